"""Report sections in page order; each module exposes ``build(ctx) -> Section | None``."""

from __future__ import annotations

import importlib

from r2k.report.sections.base import Section, SectionBuilder

SECTION_MODULES = ("outlook", "scenarios", "model", "financial", "prices", "channels", "market", "tearsheet", "sectors",
                   "events", "forecast", "monitor", "macro", "coverage")


def builders() -> list[tuple[str, SectionBuilder]]:
    return [(name, importlib.import_module(f"r2k.report.sections.{name}").build) for name in SECTION_MODULES]


__all__ = ["SECTION_MODULES", "Section", "builders"]
