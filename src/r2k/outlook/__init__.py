"""The rated outlook: ratings (score -> notch, published mapping, track record), scenarios (the strategic
interaction table), key points and the financial outlook. Entry point: :func:`build_outlook`."""

from r2k.outlook.build import Outlook, build_outlook

__all__ = ["Outlook", "build_outlook"]
