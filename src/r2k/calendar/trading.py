"""NYSE trading days, from the maintained ``exchange_calendars`` package (calendar XNYS).

Past trading days are best taken from the stored index itself; this calendar is for the future
(forecast targets) and for checking data. XNYS knows the holiday rules as they changed over time
(Lincoln's Birthday, Washington's Birthday on 22 February before 1971, election days until 1980,
Juneteenth from 2022) and the one-off closures (presidential funerals, the 1968 paperwork Wednesdays,
the 1977 blackout, Hurricane Gloria 1985, 9/11, Hurricane Sandy 2012); it agrees with every stored
Russell 2000 date 1987-2026.

The sessions are the weekdays minus XNYS's regular holidays (evaluated over the whole span) and its
ad-hoc closures. ``ExchangeCalendar.sessions`` itself drops the regular holidays before 1970 (pandas'
holiday calendars default to starting in 1970); from 1970 on the two are identical (a test checks).
Saturday sessions before 1952 are not modelled. The package is imported on first use only.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from exchange_calendars import ExchangeCalendar

FIRST = date(1885, 1, 1)  # the earliest day exchange_calendars' XNYS covers
LAST = date(2100, 12, 31)  # far enough for any forecast target; built once, ~55,000 sessions


@lru_cache(maxsize=1)
def _xnys() -> ExchangeCalendar:
    """The XNYS calendar object, for its holiday rules only (built over one year: the rules do not depend on the
    span, and a short span keeps the first call at ~0.3 s)."""
    import exchange_calendars as xc

    with warnings.catch_warnings():  # exchange_calendars 4.13 reads Series.values, which pandas 3.1 deprecates
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        return xc.get_calendar("XNYS", start="2020-01-02", end="2020-12-31")


@lru_cache(maxsize=1)
def _sessions() -> np.ndarray:
    """Every session FIRST..LAST as sorted datetime64[us]: weekdays that are neither a regular holiday nor an
    ad-hoc closure of XNYS."""
    cal = _xnys()
    closed = cal.regular_holidays.holidays(FIRST.isoformat(), LAST.isoformat()).union(pd.DatetimeIndex(cal.adhoc_holidays))
    days = pd.bdate_range(FIRST, LAST).difference(closed.tz_localize(None).normalize())
    return days.as_unit("us").values


def _check(d: date, what: str = "date") -> date:
    """``d`` as a plain date (a Timestamp or datetime counts for its day), checked to lie in FIRST..LAST."""
    d = d.date() if isinstance(d, datetime) else d
    if not FIRST <= d <= LAST:
        raise ValueError(f"{what} {d} is outside the NYSE calendar ({FIRST} to {LAST})")
    return d


def _day(d: date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "us")


@lru_cache(maxsize=512)
def holidays(year: int) -> frozenset[date]:
    """NYSE full-day closures on weekdays of ``year`` (regular holidays and one-off closures)."""
    _check(date(year, 1, 1), "year")
    open_days = set(trading_days(date(year, 1, 1), date(year, 12, 31)).date)
    weekdays = pd.bdate_range(date(year, 1, 1), date(year, 12, 31)).date
    return frozenset(d for d in weekdays if d not in open_days)


def is_trading_day(d: date) -> bool:
    d = _check(d)
    s = _sessions()
    pos = int(np.searchsorted(s, _day(d)))
    return pos < len(s) and s[pos] == _day(d)


def trading_days(start: date, end: date) -> pd.DatetimeIndex:
    """All NYSE trading days in [start, end]."""
    start, end = _check(start, "start"), _check(end, "end")
    s = _sessions()
    lo, hi = np.searchsorted(s, _day(start), side="left"), np.searchsorted(s, _day(end), side="right")
    return pd.DatetimeIndex(s[lo:hi], name="date")


def session_number(d: date) -> int:
    """How many NYSE sessions lie between FIRST and ``d`` (``d`` excluded): a fixed count, so a grid of trading days
    numbered by it does not depend on where a stored series starts (anchored fold plans)."""
    return int(np.searchsorted(_sessions(), np.datetime64(pd.Timestamp(d).date().isoformat(), "us"), side="left"))


def add_trading_days(origin: date, h: int, known: pd.DatetimeIndex | None = None) -> date:
    """The date h trading days after ``origin``.

    ``known`` (the stored index dates) is used while it reaches far enough, so the answer agrees with
    the data; past its end the NYSE calendar takes over.
    """
    if h < 0:
        raise ValueError("h must be non-negative")
    origin_ts = pd.Timestamp(origin)
    if known is not None and len(known):
        pos = int(np.searchsorted(known.values, origin_ts.to_datetime64(), side="right"))
        ahead = known[pos : pos + h]
        if len(ahead) == h:
            return (ahead[-1] if h else origin_ts).date()
        h -= len(ahead)
        origin_ts = ahead[-1] if len(ahead) else origin_ts
    d = _check(origin_ts.date(), "origin")
    if h == 0:
        return d
    s = _sessions()
    pos = int(np.searchsorted(s, _day(d), side="right")) + h - 1
    if pos >= len(s):
        raise ValueError(f"{h} trading days after {d} is past the end of the NYSE calendar ({LAST})")
    return pd.Timestamp(s[pos]).date()

