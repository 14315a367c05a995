"""Release lags of macro series: the first date a value dated for an observation period is public.

FRED dates a value by its *observation* period (the first day of the month for monthly data, the
week-ending day for weekly data). A value is usable only from its *release* date. The rules below
are deliberately conservative: a lag that is too short is look-ahead, one slightly too long only
costs timeliness. A value released on a day that is not a trading day is usable on the next
trading day (the feature matrix keeps values whose release date is <= t).

Rules (the catalog in :mod:`r2k.macro.catalog` says which series uses which):

* ``SameDay``            known at the close of their own date: only the CBOE VIX close (16:15 ET; a forecast
  using it is issued at 16:15, still before everything it forecasts).
* ``NextSession``        daily yields, spreads and oil (H.15, ICE BofA, Moody's, EIA via FRED): the value dated d
  is published after the 16:00 close of d (FRED posts it the next morning), so it is usable from the next NYSE
  trading day. ``NEXT_SESSION`` is the one rule for these series everywhere (features and scenarios).
* ``Weekly(weekday, min_days)`` the first ``weekday`` at least ``min_days`` after the observation
  date, e.g. initial claims (week ending Saturday) -> the following Thursday.
* ``FirstFriday``        the Employment Situation day: BLS publishes on the third Friday after the
  reference week (the week, Sunday to Saturday, that contains the 12th). That is usually the first
  Friday of the next month but the second when the first comes early (2010-09 -> Oct 8,
  2023-11 -> Dec 8, 2024-02 -> Mar 8); when it is January 1 (a federal holiday) the Friday after.
* ``NthBusinessDay(months, n)`` the n-th NYSE trading day of the month ``months`` after the
  observation month (a fixed conservative day standing in for "about mid-month"; NYSE days are a
  close proxy for federal business days).

* ``Delayed(base, overrides)`` a rule plus known late releases (``SHUTDOWN_DELAYS``: the 1995-96,
  2013, 2018-19 and 2025 government shutdowns pushed BLS/Census/BEA releases weeks past any fixed rule).

Where the store holds vintages (``realtime_start``), those replace the rule altogether (see
:mod:`r2k.features`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from r2k.calendar.trading import FIRST, LAST, trading_days


@lru_cache(maxsize=1)
def _calendar() -> pd.DatetimeIndex:
    return trading_days(date(1950, 1, 1), date(2040, 12, 31))


def next_sessions(days: np.ndarray, n: int = 1) -> np.ndarray:
    """The n-th NYSE session after each of ``days`` (datetime64[us]); past the calendar's end (2100), n days later."""
    cal = trading_days(FIRST, LAST).to_numpy()
    pos = np.searchsorted(cal, days, side="right") + n - 1
    return np.where(pos < len(cal), cal[np.minimum(pos, len(cal) - 1)], days + np.timedelta64(n, "D"))


@lru_cache(maxsize=4096)
def nth_business_day(year: int, month: int, n: int) -> date:
    """The n-th (1-based) NYSE trading day of a month."""
    cal = _calendar()
    start = np.datetime64(f"{year:04d}-{month:02d}-01", "us")
    pos = int(np.searchsorted(cal.values, start)) + n - 1
    return cal[pos].date()


def _month_shift(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + months
    return total // 12, total % 12 + 1


@dataclass(frozen=True)
class SameDay:
    """Known at the close of the observation date (daily market prices, yields and spreads)."""

    def release_date(self, obs: date) -> date:
        return obs

    def describe(self) -> str:
        return "same day (market close)"


@dataclass(frozen=True)
class NextSession:
    """Known from the first NYSE trading day after the observation date (published after that day's close)."""

    def release_date(self, obs: date) -> date:
        return pd.Timestamp(next_sessions(np.array([np.datetime64(obs, "us")]))[0]).date()

    def describe(self) -> str:
        return "next trading day (published after the close)"


NEXT_SESSION = NextSession()


@dataclass(frozen=True)
class Weekly:
    """The first ``weekday`` (0 = Monday) at least ``min_days`` after the observation date."""

    weekday: int
    min_days: int = 1

    def release_date(self, obs: date) -> date:
        first = pd.Timestamp(obs) + pd.Timedelta(days=self.min_days)
        return (first + pd.Timedelta(days=(self.weekday - first.weekday()) % 7)).date()

    def describe(self) -> str:
        day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[self.weekday]
        return f"first {day} at least {self.min_days} day(s) after the observation date"


@dataclass(frozen=True)
class FirstFriday:
    """The Employment Situation day: the third Friday after the reference week (Sunday-Saturday, holding
    the 12th), i.e. the first or second Friday of the next month (January 1 moves a week).

    A plain "first Friday of m+1" would be a week early whenever that Friday falls before day 20 after
    the reference week ends (e.g. November 2023 payrolls came out on December 8, not December 1).
    """

    def release_date(self, obs: date) -> date:
        twelfth = date(obs.year, obs.month, 12)
        week_end = twelfth.toordinal() + (5 - twelfth.weekday()) % 7  # the Saturday ending the reference week
        out = date.fromordinal(week_end + 20)  # Friday 6 days later, plus two more weeks
        return date.fromordinal(week_end + 27) if (out.month, out.day) == (1, 1) else out

    def describe(self) -> str:
        return "third Friday after the reference week (the week of the 12th): first or second Friday of the next month"


@dataclass(frozen=True)
class NthBusinessDay:
    """The ``n``-th trading day of the month ``months`` after the observation month."""

    months: int
    n: int

    def release_date(self, obs: date) -> date:
        y, m = _month_shift(obs, self.months)
        return nth_business_day(y, m, self.n)

    def describe(self) -> str:
        return f"trading day {self.n} of observation month + {self.months}"


@dataclass(frozen=True)
class Delayed:
    """A base rule plus known late releases: ``overrides`` maps "YYYY-MM" observation months to dates.

    The release is the later of the rule and every override for this or an earlier month (an
    override never makes a value earlier, and releases stay in observation order).
    """

    base: "SameDay | NextSession | Weekly | FirstFriday | NthBusinessDay"
    overrides: tuple[tuple[str, date], ...]

    def release_date(self, obs: date) -> date:
        month = f"{obs.year:04d}-{obs.month:02d}"
        # a later month is never out before an earlier, delayed one: overrides carry forward
        return max([self.base.release_date(obs)] + [d for m, d in self.overrides if m <= month])

    def describe(self) -> str:
        return f"{self.base.describe()}; known late releases: " + ", ".join(f"{m} -> {d}" for m, d in self.overrides)


ReleaseRule = SameDay | NextSession | Weekly | FirstFriday | NthBusinessDay | Delayed

# Releases delayed by the federal government shutdowns of December 1995 - January 1996 (with the
# January 1996 blizzard), October 2013, December 2018 - January 2019 (Commerce only: Census and BEA;
# BLS was funded) and October-November 2025 (BLS, Census and BEA release calendars). Later than any
# fixed rule, so listed explicitly; an override only ever makes a release later.
SHUTDOWN_DELAYS: dict[str, tuple[tuple[str, date], ...]] = {
    "employment": (("1995-12", date(1996, 1, 19)), ("2013-09", date(2013, 10, 22)), ("2013-10", date(2013, 11, 8)),
                   ("2025-09", date(2025, 11, 20)), ("2025-10", date(2025, 12, 16)), ("2025-11", date(2025, 12, 16))),
    "cpi": (("2013-09", date(2013, 10, 30)), ("2025-09", date(2025, 10, 24)), ("2025-11", date(2025, 12, 18))),
    "retail_ppi": (("2013-09", date(2013, 10, 29)), ("2018-12", date(2019, 2, 14)), ("2019-01", date(2019, 3, 11)),
                   ("2025-09", date(2025, 11, 25)), ("2025-10", date(2025, 12, 16))),
    "housing": (("2018-12", date(2019, 2, 26)), ("2019-01", date(2019, 3, 26))),
    "pce": (("2018-12", date(2019, 3, 1)), ("2019-01", date(2019, 3, 29)), ("2025-09", date(2025, 12, 5))),
    "gdp": (("1995-10", date(1996, 2, 23)), ("2018-10", date(2019, 2, 28)), ("2025-07", date(2025, 12, 23))),
    "jolts": (("2025-09", date(2025, 12, 9)),),
}


def release_dates(rule: ReleaseRule, obs_dates: pd.DatetimeIndex | pd.Series) -> pd.DatetimeIndex:
    """The release date of every observation date (vectorised for the common rules)."""
    idx = pd.DatetimeIndex(obs_dates).astype("datetime64[us]")
    if isinstance(rule, Delayed):
        out = release_dates(rule.base, idx).to_numpy()
        months = np.asarray(idx.strftime("%Y-%m"))
        for m, d in rule.overrides:
            out = np.where(months >= m, np.maximum(out, np.datetime64(d, "us")), out)
        return pd.DatetimeIndex(out).astype("datetime64[us]")
    if isinstance(rule, SameDay):
        return idx
    if isinstance(rule, NextSession):
        return pd.DatetimeIndex(next_sessions(idx.to_numpy())).astype("datetime64[us]")
    if isinstance(rule, Weekly):
        first = idx + pd.Timedelta(days=rule.min_days)
        ahead = (rule.weekday - first.day_of_week) % 7
        return first + pd.to_timedelta(np.asarray(ahead), unit="D")
    # monthly rules depend only on the month: compute once per distinct month
    months = idx.to_period("M")
    cache = {p: pd.Timestamp(rule.release_date(p.to_timestamp().date())) for p in months.unique()}
    return pd.DatetimeIndex([cache[p] for p in months]).astype("datetime64[us]")
