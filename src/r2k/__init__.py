"""r2k: Russell 2000 research system.

The names a library user needs (README, "Using r2k as a library"), imported on first use so that ``import r2k``
stays light::

    import r2k

    with r2k.open_store() as store:                      # $R2K_STORE, else the user data directory
        snap = r2k.Snapshot(store, as_of=None)           # the last close; a later date is clamped to it
        outlook = r2k.build_outlook(snap, track=None)
        fc = r2k.forecast_from_store(snap, horizons=[5, 20])
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from r2k.store import Store

# public name -> the module that defines it
_LAZY = {
    "Settings": "r2k.config", "load_settings": "r2k.config",
    "Snapshot": "r2k.snapshot", "resolve": "r2k.snapshot",
    "build_outlook": "r2k.outlook.build",
    "run_backtest": "r2k.forecasting", "forecast_as_of": "r2k.forecasting", "forecast_from_store": "r2k.forecasting",
    "build_report": "r2k.report.build", "write_report": "r2k.report.render",
    "InputError": "r2k.errors", "R2KError": "r2k.errors",
}
__all__ = ["__version__", "open_store", *_LAZY]


def open_store(path: Path | str | None = None, read_only: bool = True) -> Store:
    """The store at ``path`` (default: ``$R2K_STORE``, else the user data directory), opened safely; close it
    (or use it as a context manager) when done."""
    from r2k.config import load_settings
    from r2k.store import Store

    return Store(load_settings().with_store(path).store_path, read_only=read_only)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'r2k' has no attribute {name!r}")
