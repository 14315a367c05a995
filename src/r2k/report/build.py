"""Assemble the report: one context as of a date, every section built from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from r2k.errors import StoreError
from r2k.report.context import ReportContext
from r2k.report.data_age import DataAge, data_age
from r2k.report.sections import Section, builders
from r2k.snapshot import Snapshot


@dataclass(frozen=True)
class Report:
    as_of: date
    symbol: str
    benchmark: str
    generated_at: datetime
    sections: tuple[Section, ...]
    published: tuple = ()  # (OriginForecast, Outlook) pairs shown, for the forecast log (r2k.monitor.service.publish)
    data_age: DataAge | None = None  # said first when the data is old or the outlook's inputs are stale

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of,
            "symbol": self.symbol,
            "benchmark": self.benchmark,
            "generated_at": self.generated_at,
            "data_age": None if self.data_age is None else self.data_age.to_dict(),
            "sections": {s.key: {"title": s.title, "facts": s.facts, "notes": list(s.notes)} for s in self.sections},
        }


def build_report(snap: Snapshot, generated_at: datetime, on_section: Callable[[str], None] | None = None,
                 today: date | None = None) -> Report:
    """Build every section from one snapshot (the store as of its date, for its symbol and benchmark).

    ``on_section(key)`` is called before each section is built (for progress displays). ``today`` (default: the
    clock's date) dates the data's age: a banner when the last close is more than 5 trading days before it.
    """
    symbol, benchmark, as_of = snap.symbol, snap.benchmark, snap.day
    if not snap.store.has(symbol):
        raise StoreError(f"series {symbol} is not in the store {snap.store.path}: import or fetch it first")
    ctx = ReportContext.of(snap)
    if not ctx.has(symbol):
        raise StoreError(f"series {symbol} has no data on or before {as_of}")
    sections = []
    for key, build in builders():
        if on_section:
            on_section(key)
        if (section := build(ctx)) is not None:
            sections.append(section)
    age = data_age(snap, today or date.today())
    return Report(as_of, symbol, benchmark, generated_at, tuple(sections), tuple(ctx.published), age)
