"""The factor dashboard: each factor's latest point-in-time value, z-score, direction and staleness.

Direction compares the z-score now with the z-score 63 trading days (about 3 months) earlier, both
point-in-time: a change above +0.25 is "rising", below -0.25 "falling", otherwise "flat". Using the
z-score puts every factor on one scale (a 0.25 standard-deviation move).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from r2k.macro.catalog import SERIES

DIRECTION_LOOKBACK = 63
DIRECTION_THRESHOLD = 0.25
# the oldest a value may be (days since its release) before a newer release was due: a period plus slack
# for holidays and irregular release days (a monthly release moves between about the 1st and the 17th)
MAX_AGE_DAYS = {"D": 7, "W": 14, "M": 45, "Q": 120}


@dataclass(frozen=True)
class FactorReading:
    name: str
    concept: str
    series_id: str
    description: str
    value: float
    z: float
    z_change: float
    direction: str
    obs_date: date | None
    released: date | None
    age_days: int | None  # days from the release of the value used to the as-of date
    stale: bool = False  # older than its frequency allows: a newer value should have been released by now


@dataclass(frozen=True)
class FactorDashboard:
    """Every catalog factor as known at ``as_of`` (grouped by concept in catalog order)."""

    as_of: date
    lookback_days: int
    threshold: float
    readings: tuple[FactorReading, ...]

    def by_concept(self) -> dict[str, list[FactorReading]]:
        out: dict[str, list[FactorReading]] = {}
        for r in self.readings:
            out.setdefault(r.concept, []).append(r)
        return out

    def concept_z(self) -> dict[str, float]:
        """Mean z-score per concept (factors without a z-score left out)."""
        return {c: float(np.nanmean(zs)) if np.isfinite(zs).any() else float("nan")
                for c, rs in self.by_concept().items() for zs in [np.array([r.z for r in rs], dtype=float)]}

    def stale(self) -> list[FactorReading]:
        """Readings whose latest value is older than their release rule allows (missing or late data)."""
        return [r for r in self.readings if r.stale]

    def summary(self) -> str:
        lines = [f"factors as of {self.as_of} (direction: z change over {self.lookback_days} trading days, "
                 f"+/-{self.threshold})"]
        for concept, rs in self.by_concept().items():
            lines.append(f"[{concept}]")
            for r in rs:
                lines.append(f"  {r.name:<20} {r.value:>12.4g}  z {r.z:+.2f}  {r.direction:<7} obs {r.obs_date} "
                             f"released {r.released}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"as_of": self.as_of, "lookback_days": self.lookback_days, "threshold": self.threshold,
                "concepts": {c: [r.__dict__ for r in rs] for c, rs in self.by_concept().items()},
                "concept_z": self.concept_z(), "stale": [r.name for r in self.stale()]}


def direction(z_change: float, threshold: float = DIRECTION_THRESHOLD) -> str:
    if z_change != z_change:
        return "n/a"
    return "rising" if z_change > threshold else "falling" if z_change < -threshold else "flat"


def _day(x: object) -> date | None:
    return None if pd.isna(x) else pd.Timestamp(x).date()


def dashboard(matrix, as_of: date | str, lookback: int = DIRECTION_LOOKBACK,  # noqa: ANN001 - FeatureMatrix
              threshold: float = DIRECTION_THRESHOLD) -> FactorDashboard:
    """Read the dashboard off a point-in-time feature matrix whose last date is ``as_of``."""
    t = pd.Timestamp(as_of)
    pos = int(matrix.values.index.get_loc(t))
    before = matrix.values.index[max(0, pos - lookback)]
    readings = []
    for f in matrix.factors:
        z_now, z_then = matrix.z.at[t, f.name], matrix.z.at[before, f.name]
        released = _day(matrix.released.at[t, f.name])
        dz = float(z_now - z_then) if pos >= lookback else float("nan")
        age = None if released is None else (t.date() - released).days
        spec = SERIES.get(f.series_id)
        stale = age is not None and spec is not None and age > MAX_AGE_DAYS.get(spec.freq, 120)
        readings.append(FactorReading(
            f.name, f.concept, f.series_id, f.description, float(matrix.values.at[t, f.name]), float(z_now), dz,
            direction(dz, threshold), _day(matrix.obs_date.at[t, f.name]), released, age, stale))
    return FactorDashboard(t.date(), lookback, threshold, tuple(readings))
