"""The factor dashboard: each factor's latest point-in-time value, z-score, direction and staleness.

Direction compares the z-score now with the z-score 63 trading days (about 3 months) earlier, both
point-in-time: a change above +0.25 is "rising", below -0.25 "falling", otherwise "flat". Using the
z-score puts every factor on one scale (a 0.25 standard-deviation move).

A stale factor (its next value was due and is not known) shows its last real value with that value's
observation date and ``stale_since``, but no z-score and no direction ("n/a"): the matrix no longer carries
it, so nothing reads a series that stopped as "flat".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from r2k.macro.catalog import CONCEPT_NAMES
from r2k.macro.freshness import series_freshness
from r2k.macro.units import JSON_UNITS, display, to_json

DIRECTION_LOOKBACK = 63
DIRECTION_THRESHOLD = 0.25


@dataclass(frozen=True)
class FactorReading:
    """One factor at the as-of date. ``value`` is in FRED's units (percent for rates and growth rates, see
    ``unit``); ``to_dict`` gives fractions. Age and staleness follow :mod:`r2k.macro.freshness`."""

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
    age_days: int | None  # days from the observation date of the value used to the as-of date
    stale: bool = False  # the next value was due (cadence + release lag + slack) and is not known
    label: str = ""
    unit: str = "index"
    signed: bool = False  # a change (shown with its sign), not a level
    expected_by: date | None = None  # when the next value was due

    @property
    def stale_since(self) -> date | None:
        """The first day the value was stale (the day after the next one was due), or None when fresh."""
        return self.expected_by + timedelta(days=1) if self.stale and self.expected_by is not None else None

    def display(self) -> str:
        """The value for people, with its unit: "4.40%", "+0.35 pp", "218,750"."""
        return display(self.value, self.unit, self.signed)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d.update(value=to_json(self.value, self.unit), z=_num(self.z), z_change=_num(self.z_change),
                 unit=JSON_UNITS[self.unit], display=self.display(), stale_since=self.stale_since)
        return d


def _num(x: float) -> float | None:
    return None if x != x else float(x)


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
        """Readings whose next value was due by the as-of date and is not known (missing or late data)."""
        return [r for r in self.readings if r.stale]

    def summary(self) -> str:
        lines = [f"factors as of {self.as_of} (direction: z change over {self.lookback_days} trading days, "
                 f"+/-{self.threshold})"]
        for concept, rs in self.by_concept().items():
            lines.append(f"[{CONCEPT_NAMES.get(concept, concept)}]")
            for r in rs:
                lines.append(f"  {r.label}: {r.display()}, z {r.z:+.2f}, {r.direction}, observed {r.obs_date}, "
                             f"released {r.released}" + (" (stale)" if r.stale else ""))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Values as fractions (0.0421 = 4.21%) with a ``unit`` per reading; z-scores unitless."""
        return {"as_of": self.as_of, "lookback_days": self.lookback_days, "threshold": self.threshold,
                "concepts": {c: [r.to_dict() for r in rs] for c, rs in self.by_concept().items()},
                "concept_z": {c: _num(z) for c, z in self.concept_z().items()}, "stale": [r.name for r in self.stale()]}


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
        obs = _day(matrix.obs_date.at[t, f.name])
        fresh = series_freshness(f.series_id, "macro", obs, t.date())
        readings.append(FactorReading(
            f.name, f.concept, f.series_id, f.description, float(matrix.last_value.at[t, f.name]), float(z_now), dz,
            direction(dz, threshold), obs, released, fresh.age_days, fresh.stale, f.label or f.name, f.unit,
            f.signed, fresh.expected_by))
    return FactorDashboard(t.date(), lookback, threshold, tuple(readings))
