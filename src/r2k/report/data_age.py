"""How old the report's data is, said first: the last close against today, and the outlook's inputs whose next
release was due by the report's date and is not in the store (:mod:`r2k.macro.freshness`, through the factor
dashboard the outlook reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from r2k.calendar.trading import trading_days
from r2k.errors import R2KError
from r2k.snapshot import Snapshot

MAX_SESSIONS_BEHIND = 5  # more trading days than this between the last close and today: the data is old
NAMES_SHOWN = 2


@dataclass(frozen=True)
class StaleInput:
    name: str
    obs_date: date | None
    stale_since: date | None


@dataclass(frozen=True)
class DataAge:
    """``last_close`` the report's date; ``latest`` the store's last close (later when the report is as of a past
    date by request: its age against today is then not a warning); ``stale`` the outlook's stale inputs."""

    last_close: date
    latest: date | None
    today: date
    sessions_behind: int
    stale: tuple[StaleInput, ...]
    n_inputs: int

    @property
    def days_behind(self) -> int:
        return (self.today - self.last_close).days

    @property
    def past_date(self) -> bool:
        """The report is as of a date before the store's last close (asked for), not built on old data."""
        return self.latest is not None and self.last_close < self.latest

    @property
    def old(self) -> bool:
        return not self.past_date and self.sessions_behind > MAX_SESSIONS_BEHIND

    @property
    def warn(self) -> bool:
        return self.old or bool(self.stale)

    def lead(self) -> str:
        return "Old data." if self.old else "Stale inputs."

    def text(self) -> str:
        """"Data to 2026-08-27, 102 days ago (70 trading days): … 37 of 43 macro inputs of the outlook were stale …"."""
        parts = []
        if self.old:
            parts.append(f"Data to {self.last_close}, {self.days_behind:,} days ago ({self.sessions_behind:,} trading days): "
                         "every number below describes that date, not today.")
        if self.stale:
            names = "; ".join(f"{s.name} since {s.stale_since}" for s in self.stale[:NAMES_SHOWN])
            more = f"; and {len(self.stale) - NAMES_SHOWN} more" if len(self.stale) > NAMES_SHOWN else ""
            parts.append(f"{len(self.stale)} of {self.n_inputs} macro inputs of the outlook were stale at {self.last_close} "
                         f"(their next release was due and is not in the store), e.g. {names}{more}; the financial "
                         "outlook and data coverage list them all.")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"last_close": self.last_close, "latest_close": self.latest, "today": self.today,
                "days_behind": self.days_behind, "sessions_behind": self.sessions_behind, "old": self.old,
                "past_date": self.past_date, "n_inputs": self.n_inputs, "n_stale": len(self.stale),
                "stale": [s.__dict__ for s in self.stale], "warning": self.text() or None}


def sessions_between(start: date, end: date) -> int:
    """Trading days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    return 0 if end <= start else len(trading_days(start + timedelta(days=1), end))


def data_age(snap: Snapshot, today: date) -> DataAge:
    """The report's data age against ``today`` and the stale inputs of its outlook (the factor dashboard at the
    report's date, read once per snapshot)."""
    from r2k.features.analysis import factor_dashboard

    try:
        readings = factor_dashboard(snap).readings
    except (R2KError, KeyError):
        readings = ()
    known = [r for r in readings if r.obs_date is not None]  # inputs with no value by then are not counted
    stale = tuple(StaleInput(r.label or r.description, r.obs_date, r.stale_since) for r in known if r.stale)
    return DataAge(snap.day, snap.resolved.last, today, sessions_between(snap.day, today), stale, len(known))
