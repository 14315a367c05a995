"""The CSV download layouts the import recognises by their header, and how each maps to the canonical frames.

People import what they download: Yahoo Finance, FRED, Nasdaq and Stooq files, or any ``date,<number>``
file. Each layout says which header it has, which cells mean "not available", whether numbers may carry
``$`` and thousands separators (only where that source writes them), and whether its dates are US-style.
Anything else is an error naming the file and listing these layouts (docs/providers.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from r2k.errors import DataError
from r2k.schemas import PRICE_FIELDS, Kind

ACCEPTED = (
    "r2k (date plus any of open,high,low,close,adj_close,volume; or date,value), "
    "Yahoo Finance (Date,Open,High,Low,Close,Adj Close,Volume), FRED (observation_date,SERIES or DATE,SERIES), "
    "Nasdaq (Date,Close/Last,Volume,Open,High,Low), Stooq (Date,Open,High,Low,Close,Volume), "
    "or date plus one numeric column"
)
FRED_ID = re.compile(r"[A-Z0-9_]+")
PRICE_ALIASES = {"adj close": "adj_close", "adj_close": "adj_close", "close/last": "close", "price": "close", "last": "close"}
NASDAQ = ("date", "close/last", "volume", "open", "high", "low")
STOOQ = ("Date", "Open", "High", "Low", "Close", "Volume")
MONEY = re.compile(r"[$,]")
FRED_MISSING = frozenset({"."})  # how older FRED files write "not available"


@dataclass(frozen=True)
class Layout:
    """How one download layout maps to a canonical frame."""

    name: str
    kind: Kind
    columns: dict[str, str]  # header as written in the file -> canonical column
    missing: frozenset[str] = field(default_factory=frozenset)  # cells meaning "not available" besides ""
    money: bool = False  # "$1,234.50" allowed (the source writes prices that way)
    us_dates: bool = False  # MM/DD/YYYY is the source's own date format
    series: str | None = None  # the series the header names (FRED: observation_date,DGS10), checked against the file name

    def to_canonical(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rename to canonical columns, blank the missing-value tokens, strip money signs where allowed."""
        out = frame.rename(columns=self.columns)
        for col in out.columns:
            if col == "date":
                continue
            cells = out[col].str.strip()
            if self.missing:
                cells = cells.where(~cells.isin(self.missing), "")
            if self.money:
                cells = cells.str.replace(MONEY, "", regex=True)
            out[col] = cells
        return out


def _twice(header: Sequence[str], source: str) -> None:
    cols = [c.strip().lower() for c in header]
    twice = sorted({c for c in cols if cols.count(c) > 1})
    if twice:
        raise DataError(source, f"column(s) {', '.join(twice)} given twice", row=1)


def detect_layout(header: Sequence[str], source: str) -> Layout:
    """The layout of a file from its header row (names already stripped of spaces, NBSP and a BOM), or a one-line
    error listing the accepted layouts."""
    lower = [h.lower() for h in header]
    _twice(header, source)
    if len(header) == 2 and (lower[0] == "observation_date" or header[0] == "DATE") and FRED_ID.fullmatch(header[1]):
        return Layout("FRED", "macro", {header[0]: "date", header[1]: "value"}, FRED_MISSING, series=header[1])
    if "date" not in lower:
        raise DataError(source, f"no 'date' column (columns: {', '.join(lower) or 'none'})", row=1)
    names = dict(zip(header, lower))
    if "close/last" in lower and set(lower) <= set(NASDAQ):
        mapping = {h: PRICE_ALIASES.get(c, c) for h, c in names.items()}
        return Layout("Nasdaq", "price", mapping, frozenset({"N/A", "--"}), money=True, us_dates=True)
    rest = [c for c in lower if c != "date"]
    if rest == ["value"]:  # FRED's "." is missing here too: a FRED download with its header renamed
        return Layout("r2k", "macro", {h: c for h, c in names.items()}, FRED_MISSING)
    canonical = [PRICE_ALIASES.get(c, c) for c in rest]
    if rest and set(canonical) <= set(PRICE_FIELDS) and len(set(canonical)) == len(canonical):
        if "close" not in canonical and "adj_close" not in canonical:
            raise DataError(source, "a price file needs a 'close' or 'adj_close' column", row=1)
        mapping = {h: PRICE_ALIASES.get(c, c) for h, c in names.items()}
        if "adj close" in lower:
            return Layout("Yahoo Finance", "price", mapping, frozenset({"null"}))
        return Layout("Stooq" if set(header) <= set(STOOQ) else "r2k", "price", mapping)
    if len(rest) == 1:
        return Layout("date,<one numeric column>", "macro", {h: "date" if c == "date" else "value" for h, c in names.items()},
                      FRED_MISSING)
    raise DataError(source, f"unknown column layout ({', '.join(header)}); accepted layouts: {ACCEPTED}", row=1)


SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class SlashDates:
    """US ``MM/DD/YYYY`` dates, read chunk by chunk: accepted only when the whole column is month-first and
    either the layout is US-style or some day is above 12 (otherwise the column is ambiguous)."""

    source: str
    us_layout: bool
    day_above_12: bool = False
    first_line: int | None = None

    @staticmethod
    def applies(first_date: str) -> bool:
        return SLASH.match(first_date.strip()) is not None

    def to_iso(self, dates: pd.Series, lines: pd.Series) -> pd.Series:
        """ISO text for a chunk of ``MM/DD/YYYY`` cells; a cell in another format is an error naming its line."""
        text = dates.str.strip()
        parts = text.str.extract(SLASH)
        bad = parts[0].isna()
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(self.source, f"unparseable date {dates.iloc[pos]!r} (the column is MM/DD/YYYY)", row=int(lines.iloc[pos]))
        month, day = parts[0].astype(int), parts[1].astype(int)
        if (month > 12).any():
            pos = int((month > 12).to_numpy().nonzero()[0][0])
            raise DataError(self.source, f"date {dates.iloc[pos]!r} is day-first (DD/MM/YYYY); write dates as "
                            "YYYY-MM-DD or MM/DD/YYYY", row=int(lines.iloc[pos]))
        if self.first_line is None:
            self.first_line = int(lines.iloc[0])
        self.day_above_12 = self.day_above_12 or bool((day > 12).any())
        iso = parts[2] + "-" + parts[0].str.zfill(2) + "-" + parts[1].str.zfill(2)
        wrong = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").isna()
        if wrong.any():
            pos = int(wrong.to_numpy().nonzero()[0][0])
            raise DataError(self.source, f"unparseable date {dates.iloc[pos]!r}", row=int(lines.iloc[pos]))
        return iso

    def check(self) -> None:
        """After the last chunk: refuse a column that reads equally well as DD/MM/YYYY."""
        if not self.us_layout and not self.day_above_12:
            raise DataError(self.source, "ambiguous dates: every date reads both as MM/DD/YYYY and as DD/MM/YYYY; "
                            "write them as YYYY-MM-DD", row=self.first_line)
