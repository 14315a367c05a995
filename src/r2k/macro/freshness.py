"""Data freshness: how old each series' last value is at an as-of date, against the cadence it should keep.

A series is **stale** when the value *after* its last one should have been published by the as-of date
and is not there. "Should have been published" is the series' cadence plus its release lag:

* price series (indices, ETFs): daily on NYSE sessions; stale once more than ``DAILY_GRACE_SESSIONS``
  sessions have passed after the last bar (holidays never count);
* catalog macro series (:data:`r2k.macro.catalog.SERIES`): the next observation period (a day, a week,
  a month, a quarter after the last) released by its rule from :mod:`r2k.calendar.releases`, plus a few
  days of slack (``GRACE_DAYS``) because real release days wander around the rule;
* any other series: the cadence is inferred from its dates (average spacing) with a generic lag,
  and said so (``inferred``).

Age is the as-of date minus the last observation date, in calendar days. Pure: no store, no clock.

The same rule bounds how long the point-in-time feature matrix carries a value forward (:func:`due_dates`, the
vectorised :func:`expected_by` of catalog series): past its due date a value that was not followed by the next
one is missing, not repeated, so a series that stopped neither freezes a model's input nor reads as "flat".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from r2k.calendar.releases import NthBusinessDay, ReleaseRule, SameDay, next_sessions, release_dates
from r2k.calendar.trading import trading_days
from r2k.macro.catalog import SERIES

Cadence = Literal["D", "W", "M", "Q", "A"]
CADENCE_NAMES: dict[str, str] = {"D": "daily", "W": "weekly", "M": "monthly", "Q": "quarterly", "A": "annual"}
DAILY_GRACE_SESSIONS = 3  # a daily series may miss this many sessions (FRED posts a day late; bond holidays)
GRACE_DAYS: dict[str, int] = {"W": 3, "M": 7, "Q": 14, "A": 31}


@dataclass(frozen=True)
class AfterDays:
    """A generic release lag for series outside the catalog: ``days`` after the observation date."""

    days: int

    def release_date(self, obs: date) -> date:
        return obs + timedelta(days=self.days)

    def describe(self) -> str:
        return f"about {self.days} days after the observation date (generic lag)"


# lags assumed for series whose cadence is inferred from their dates (conservative: late, not early)
GENERIC_RELEASE: dict[str, ReleaseRule | AfterDays] = {
    "D": SameDay(), "W": AfterDays(10), "M": NthBusinessDay(2, 1), "Q": NthBusinessDay(4, 1), "A": AfterDays(456)}


class SeriesMeta(Protocol):
    """What freshness needs of a stored series (``r2k.store.duck.SeriesInfo`` has it)."""

    id: str
    kind: str
    first: date | None
    last: date | None
    rows: int


@dataclass(frozen=True)
class Freshness:
    """One series' age at ``as_of`` against its expected cadence."""

    id: str
    kind: str
    last: date | None
    as_of: date
    cadence: Cadence | None
    release: str  # the release rule in words ("" for prices: a bar is known at its close)
    inferred: bool  # cadence read off the dates, not from the catalog
    expected_by: date | None  # the date the next value was due (rule + slack); stale when as_of is past it
    age_days: int | None
    max_age_days: int | None
    stale: bool

    @property
    def cadence_text(self) -> str:
        """Human words: "daily", "monthly", "weekly (inferred)" (the release lag is in ``release``)."""
        if self.cadence is None:
            return "unknown"
        return CADENCE_NAMES[self.cadence] + (" (inferred)" if self.inferred else "")

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "last": self.last, "as_of": self.as_of,
                "cadence": CADENCE_NAMES.get(self.cadence or "", None), "cadence_text": self.cadence_text,
                "release": self.release, "cadence_inferred": self.inferred, "expected_by": self.expected_by,
                "age_days": self.age_days, "max_age_days": self.max_age_days, "stale": self.stale}


def infer_cadence(first: date | None, last: date | None, rows: int) -> Cadence | None:
    """The cadence implied by the average spacing of the dates (None with fewer than 2 rows)."""
    if first is None or last is None or rows < 2:
        return None
    gap = (last - first).days / (rows - 1)
    return "D" if gap <= 4 else "W" if gap <= 10 else "M" if gap <= 45 else "Q" if gap <= 120 else "A"


def next_observation(last: date, cadence: Cadence) -> date:
    """The date the observation after ``last`` carries (next session for daily series)."""
    if cadence == "D":
        return _sessions_after(last, 1)
    if cadence == "W":
        return last + timedelta(days=7)
    months = {"M": 1, "Q": 3, "A": 12}[cadence]
    total = last.year * 12 + last.month - 1 + months
    return date(total // 12, total % 12 + 1, min(last.day, 28))


def _sessions_after(day: date, n: int) -> date:
    """The n-th NYSE session after ``day`` (1 <= n <= 10: the longest closure, 9/11, was four sessions)."""
    return trading_days(day + timedelta(days=1), day + timedelta(days=7 * n + 14))[n - 1].date()


def expected_by(last: date, cadence: Cadence, release: ReleaseRule | AfterDays | None) -> date:
    """The last date on which missing the next value is still normal (stale after it)."""
    if cadence == "D":
        return _sessions_after(last, DAILY_GRACE_SESSIONS)
    rule = release if release is not None else GENERIC_RELEASE[cadence]
    return rule.release_date(next_observation(last, cadence)) + timedelta(days=GRACE_DAYS[cadence])


def due_dates(obs: pd.DatetimeIndex | pd.Series, cadence: Cadence, release: ReleaseRule) -> pd.DatetimeIndex:
    """:func:`expected_by` of every observation date at once (a catalog rule, not a generic lag): the last day on
    which the value observed then may still be carried forward without the next one."""
    idx = pd.DatetimeIndex(obs).astype("datetime64[us]")
    if len(idx) == 0:
        return idx
    if cadence == "D":
        return pd.DatetimeIndex(next_sessions(idx.to_numpy(), DAILY_GRACE_SESSIONS)).astype("datetime64[us]")
    if cadence == "W":
        following = idx + pd.Timedelta(days=7)
    else:
        months = {"M": 1, "Q": 3, "A": 12}[cadence]
        start = (idx.to_period("M") + months).to_timestamp().astype("datetime64[us]")
        following = start + pd.to_timedelta(np.minimum(idx.day.to_numpy(), 28) - 1, unit="D")
    return release_dates(release, following) + pd.Timedelta(days=GRACE_DAYS[cadence])


def series_freshness(series_id: str, kind: str, last: date | None, as_of: date, first: date | None = None,
                     rows: int = 0) -> Freshness:
    """The freshness of one series whose last value known at ``as_of`` is dated ``last``."""
    spec = SERIES.get(series_id.upper()) if kind == "macro" else None
    cadence: Cadence | None
    release: ReleaseRule | AfterDays | None
    if kind == "price":
        cadence, release, inferred = "D", None, False
    elif spec is not None:
        cadence, release, inferred = spec.freq, spec.release, False
    else:
        cadence = infer_cadence(first, last, rows)
        release, inferred = (GENERIC_RELEASE[cadence] if cadence else None), True
    if last is None or cadence is None:
        return Freshness(series_id, kind, last, as_of, cadence, "", inferred, None,
                         None if last is None else (as_of - last).days, None, False)
    due = expected_by(last, cadence, release)
    # the rule without its list of shutdown-delayed months (those are past; the rule is what matters now)
    words = "" if kind == "price" or release is None else getattr(release, "base", release).describe()
    age = max(0, (as_of - last).days)  # a series that reaches past the as-of date is as fresh as can be
    return Freshness(series_id, kind, last, as_of, cadence, words, inferred, due, age, (due - last).days, as_of > due)


def freshness(series: Iterable[SeriesMeta], as_of: date) -> tuple[Freshness, ...]:
    """Every series' freshness at ``as_of`` (``last`` must already be the last date known at ``as_of``).

    A series with no value by ``as_of`` (it starts later) has no age and is not stale.
    """
    return tuple(series_freshness(s.id, s.kind, s.last, as_of, s.first, s.rows) for s in series)
