"""Assemble the report: one context as of a date, every section built from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from r2k.config import Settings
from r2k.errors import StoreError
from r2k.report.context import ReportContext
from r2k.report.sections import Section, builders
from r2k.store import Store


@dataclass(frozen=True)
class Report:
    as_of: date
    symbol: str
    benchmark: str
    generated_at: datetime
    sections: tuple[Section, ...]
    published: tuple = ()  # the forecasts shown (OriginForecast), for the forecast log

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of,
            "symbol": self.symbol,
            "benchmark": self.benchmark,
            "generated_at": self.generated_at,
            "sections": {s.key: {"title": s.title, "facts": s.facts, "notes": list(s.notes)} for s in self.sections},
        }


def build_report(
    store: Store,
    settings: Settings,
    generated_at: datetime,
    as_of: date | None = None,
    symbol: str = "RUT",
    benchmark: str = "GSPC",
    on_section: Callable[[str], None] | None = None,
) -> Report:
    """Build every section as of ``as_of`` (default: the last stored close of ``symbol``).

    ``on_section(key)`` is called before each section is built (for progress displays).
    """
    symbol, benchmark = symbol.upper(), benchmark.upper()
    if not store.has(symbol):
        raise StoreError(f"series {symbol} is not in the store {store.path}: import or fetch it first")
    if as_of is None:
        as_of = pd.Timestamp(store.last_date(symbol)).date()
    ctx = ReportContext(store=store, as_of=as_of, settings=settings, symbol=symbol, benchmark=benchmark)
    if not ctx.has(symbol):
        raise StoreError(f"series {symbol} has no data on or before {as_of}")
    sections = []
    for key, build in builders():
        if on_section:
            on_section(key)
        if (section := build(ctx)) is not None:
            sections.append(section)
    return Report(as_of, symbol, benchmark, generated_at, tuple(sections), tuple(ctx.published))
