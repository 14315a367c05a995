"""Outlook: the index's risk grade on the 21-notch scale (one downside measure of the forecast distribution, its
published mapping and weekly record), the return view apart from it, constituent category ratings, scenarios (the
strategic interaction table), key points and the financial outlook. Entry point: :func:`build_outlook`.

``build_outlook`` is imported lazily, so ``r2k.outlook.constituents`` and friends load without the
forecasting stack.
"""

from typing import Any

__all__ = ["Outlook", "build_outlook"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from r2k.outlook import build

        return getattr(build, name)
    raise AttributeError(f"module 'r2k.outlook' has no attribute {name!r}")
