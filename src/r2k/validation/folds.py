"""The fold plan: which origins are forecast, on which training window, with which refits and purge gap.

An origin is a trading day whose close is the last one used; targets lie h trading days later (the
index's own dates while they reach, the NYSE calendar beyond). Origins are counted in trading days
(``step``). A model is refitted at every ``refit_every``-th origin; the origins in between form one
*block* that reuses (or cheaply updates) the block's fit. The purge gap keeps every training target
inside the past: a training sample for an h-day target starts at least max(h, gap) days before the origin.

An *anchored* plan puts its origins and block boundaries on a fixed grid of trading days (a block starts on a
day whose NYSE session number is a multiple of ``step * refit_every``), so a plan that starts or ends one day
later has the same past folds (the same cache keys); ``final`` makes the last date an origin of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from r2k.calendar import add_trading_days
from r2k.calendar.trading import session_number
from r2k.errors import R2KError
from r2k.names import DEFAULT_HORIZONS


class PlanError(R2KError):
    """A fold plan is inconsistent or leaves no origin to forecast."""


@dataclass(frozen=True)
class Fold:
    index: int
    block: int
    refit: bool
    pos: int  # position of the origin in the dates
    origin: pd.Timestamp
    train_start_pos: int
    train_start: pd.Timestamp
    last_sample: pd.Timestamp | None  # latest training-sample start for the longest horizon (purge)
    targets: tuple[pd.Timestamp, ...]  # one per horizon, in plan order
    known: tuple[bool, ...]  # whether each target's close is in the data


@dataclass(frozen=True)
class FoldPlan:
    """First/last origin, step, horizons, window (expanding or rolling of ``window_length`` closes),
    refit cadence (in origins), purge gap (None: each horizon's own h) and the minimum training length.
    ``anchored``: the first origin is moved forward to the next block boundary of the fixed trading-day grid
    (:func:`grid_offset`); ``final``: the last date (``end`` or the last close) is an origin, on the grid or not,
    always as a block of its own with a fresh fit."""

    horizons: tuple[int, ...] = DEFAULT_HORIZONS
    start: date | None = None
    end: date | None = None
    step: int = 5
    window: Literal["expanding", "rolling"] = "expanding"
    window_length: int | None = None
    refit_every: int = 1
    gap: int | None = None
    min_train: int = 500
    anchored: bool = False
    final: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "horizons", tuple(int(h) for h in self.horizons))
        if not self.horizons or min(self.horizons) < 1 or len(set(self.horizons)) != len(self.horizons):
            raise PlanError(f"horizons {self.horizons} must be distinct positive trading-day counts")
        if self.step < 1 or self.refit_every < 1 or self.min_train < 2:
            raise PlanError(f"step ({self.step}), refit_every ({self.refit_every}) must be >= 1 and min_train >= 2")
        if self.window not in ("expanding", "rolling"):
            raise PlanError(f"window must be 'expanding' or 'rolling', got {self.window!r}")
        if self.window == "rolling" and (self.window_length is None or self.window_length < self.min_train):
            raise PlanError(f"a rolling window needs window_length >= min_train ({self.min_train}), got {self.window_length}")
        if self.gap is not None and self.gap < max(self.horizons):
            raise PlanError(f"purge gap {self.gap} is shorter than the longest horizon {max(self.horizons)}: training targets would overlap the test period")
        if self.start and self.end and self.start > self.end:
            raise PlanError(f"first origin {self.start} is after the last origin {self.end}")

    @property
    def purge(self) -> int:
        """The gap applied to the longest horizon."""
        return self.gap if self.gap is not None else max(self.horizons)

    def folds(self, dates: pd.DatetimeIndex) -> list[Fold]:
        """The folds over ``dates`` (the index's trading days, sorted, unique)."""
        dates = pd.DatetimeIndex(dates)
        if not dates.is_monotonic_increasing or not dates.is_unique:
            raise PlanError("the dates of the series must be sorted and unique")
        first = self.min_train
        if self.start is not None:
            first = max(first, int(np.searchsorted(dates.values, np.datetime64(pd.Timestamp(self.start)), side="left")))
        last = len(dates) - 1
        if self.end is not None:
            last = min(last, int(np.searchsorted(dates.values, np.datetime64(pd.Timestamp(self.end)), side="right")) - 1)
        if self.anchored and len(dates):
            first += grid_offset(dates, first, self.step * self.refit_every)
        if self.final and first > last >= self.min_train:
            first = last  # no grid origin in the span: the last date alone
        if len(dates) == 0 or first > last:
            span = f"{dates[0].date()}..{dates[-1].date()}" if len(dates) else "no dates"
            raise PlanError(f"no origin between {self.start} and {self.end} with {self.min_train} closes of training data (data: {span})")
        positions = list(range(first, last + 1, self.step))
        if self.final:  # the last date is always a block of its own (a fresh fit), on the grid or not
            positions = [p for p in positions if p != last]
        n_grid = len(positions)
        if self.final:
            positions.append(last)
        out = []
        for k, pos in enumerate(positions):
            lo = 0 if self.window == "expanding" else max(0, pos - int(self.window_length) + 1)
            origin = dates[pos]
            targets = tuple(pd.Timestamp(dates[pos + h]) if pos + h < len(dates)
                            else pd.Timestamp(add_trading_days(origin.date(), h, known=dates)) for h in self.horizons)
            sample_pos = pos - self.purge
            if k < n_grid:
                block, refit = k // self.refit_every, k % self.refit_every == 0
            else:
                block, refit = (n_grid - 1) // self.refit_every + 1, True
            out.append(Fold(k, block, refit, pos, origin, lo, dates[lo],
                            dates[sample_pos] if sample_pos >= lo else None, targets,
                            tuple(pos + h < len(dates) for h in self.horizons)))
        return out

    def table(self, dates: pd.DatetimeIndex) -> pd.DataFrame:
        """One row per fold: training window, purge, origin, refit flag and target dates."""
        rows = []
        for f in self.folds(dates):
            row: dict[str, Any] = {"fold": f.index, "block": f.block, "refit": f.refit, "train_start": f.train_start,
                                   "train_end": f.origin, "last_sample": f.last_sample, "gap": self.purge, "origin": f.origin}
            row.update({f"target_{h}": t for h, t in zip(self.horizons, f.targets)})
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        return {"horizons": list(self.horizons), "start": self.start, "end": self.end, "step": self.step,
                "window": self.window, "window_length": self.window_length, "refit_every": self.refit_every,
                "gap": self.purge, "min_train": self.min_train, "anchored": self.anchored, "final": self.final}

    def summary(self) -> str:
        win = "expanding" if self.window == "expanding" else f"rolling {self.window_length} closes"
        grid = " on the fixed trading-day grid" if self.anchored else ""
        final = " and the last date" if self.final else ""
        return (f"origins {self.start or 'first possible'}..{self.end or 'last close'} every {self.step} trading days{grid}{final}; "
                f"horizons {', '.join(map(str, self.horizons))}; {win} window; refit every {self.refit_every} origin(s); "
                f"purge gap {self.purge} days")


def grid_offset(dates: pd.DatetimeIndex, pos: int, period: int) -> int:
    """Days from position ``pos`` to the next position on the fixed grid: positions counted in the series' own
    trading days from the NYSE session number of its first date, a multiple of ``period`` (when the series holds
    every NYSE session, as the stored Russell 2000 does, the grid days are those whose session number is one)."""
    return -(session_number(dates[0]) + pos) % period
