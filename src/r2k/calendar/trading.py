"""NYSE trading days: the holiday rules, the one-off closures, and stepping h trading days ahead.

Past trading days are best taken from the stored index itself; this calendar is for the future
(forecast targets) and for checking data. Rules follow NYSE practice: a Saturday holiday is observed
on Friday (except New Year's Day, which is then not observed), a Sunday holiday on Monday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

# Unscheduled closures (national days of mourning, weather, 9/11).
SPECIAL_CLOSURES: frozenset[date] = frozenset(
    date.fromisoformat(d)
    for d in (
        "1994-04-27", "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2004-06-11",
        "2007-01-02", "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09",
    )
)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(d: date) -> date:
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


@lru_cache(maxsize=512)
def holidays(year: int) -> frozenset[date]:
    """NYSE full-day holidays of ``year`` (regular rules plus special closures)."""
    days = set()
    new_year = date(year, 1, 1)
    if new_year.weekday() != 5:  # a Saturday New Year is not observed on the Friday before
        days.add(_observed(new_year))
    if year >= 1998:
        days.add(_nth_weekday(year, 1, 0, 3))  # Martin Luther King Jr. Day
    days.add(_nth_weekday(year, 2, 0, 3))  # Presidents' Day
    days.add(easter(year) - timedelta(days=2))  # Good Friday
    days.add(_last_weekday(year, 5, 0))  # Memorial Day
    if year >= 2022:
        days.add(_observed(date(year, 6, 19)))  # Juneteenth
    days.add(_observed(date(year, 7, 4)))
    days.add(_nth_weekday(year, 9, 0, 1))  # Labor Day
    days.add(_nth_weekday(year, 11, 3, 4))  # Thanksgiving
    days.add(_observed(date(year, 12, 25)))
    days |= {d for d in SPECIAL_CLOSURES if d.year == year}
    return frozenset(d for d in days if d.year == year)


def is_trading_day(d: date) -> bool:
    return d.weekday() < 5 and d not in holidays(d.year)


def trading_days(start: date, end: date) -> pd.DatetimeIndex:
    """All NYSE trading days in [start, end]."""
    days = pd.bdate_range(start, end)
    hol = {pd.Timestamp(h) for y in range(start.year, end.year + 1) for h in holidays(y)}
    return pd.DatetimeIndex([d for d in days if d not in hol], name="date").astype("datetime64[us]")


def add_trading_days(origin: date, h: int, known: pd.DatetimeIndex | None = None) -> date:
    """The date h trading days after ``origin``.

    ``known`` (the stored index dates) is used while it reaches far enough, so the answer agrees with
    the data; past its end the holiday rules take over.
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
    d = origin_ts.date()
    while h > 0:
        d += timedelta(days=1)
        if is_trading_day(d):
            h -= 1
    return d
