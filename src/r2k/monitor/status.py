"""Drift status (pure): is the model still working? Scored forecasts -> healthy / degraded / failing.

A record (the live forecast log, or a recent walk-forward backtest) is judged over its last 52 weeks of
realised targets on three pieces of evidence, each with documented thresholds (docs/monitoring.md):

* CRPS skill against climatology on the same origins and horizons, 1 - CRPS(model) / CRPS(climatology):
  below ``SKILL_DEGRADED`` (-2%) is degraded, below ``SKILL_FAILING`` (-5%) failing.
* Coverage of the central 80% interval, Kupiec test on non-overlapping origins: p < ``P_DEGRADED`` (0.01)
  degraded, p < ``P_FAILING`` (0.001) failing.
* PIT calibration, Berkowitz test per horizon on non-overlapping origins, Bonferroni across horizons:
  the same p thresholds.

With fewer than ``MIN_FORECASTS`` matched forecasts the skill is not judged, and a test with fewer than
``MIN_TESTED`` non-overlapping forecasts is not judged; a record with nothing judged is "insufficient".
The overall status is the worse of the live record and the recent walk-forward record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from r2k.validation import metrics as M

WINDOW_WEEKS = 52
SKILL_DEGRADED, SKILL_FAILING = -0.02, -0.05
P_DEGRADED, P_FAILING = 0.01, 0.001
MIN_FORECASTS, MIN_TESTED = 20, 10
BASELINE = "climatology"
ORDER = ("insufficient", "healthy", "degraded", "failing")
WORDS = {"insufficient": "not enough realised forecasts yet to judge", "healthy": "working as validated",
         "degraded": "worse than its thresholds: retraining and a look at the evidence are due",
         "failing": "far outside its thresholds: do not rely on it until it is retrained and re-validated"}
THRESHOLDS = {"window_weeks": WINDOW_WEEKS, "skill_degraded": SKILL_DEGRADED, "skill_failing": SKILL_FAILING,
              "p_degraded": P_DEGRADED, "p_failing": P_FAILING, "min_forecasts": MIN_FORECASTS, "min_tested": MIN_TESTED}


@dataclass(frozen=True)
class RecordCheck:
    """One record's numbers over the window and the status they give."""

    label: str
    model: str
    window_start: date
    window_end: date
    n: int
    n_matched: int
    crps: float
    crps_baseline: float
    skill: float
    coverage80: float
    coverage90: float
    direction_rate: float
    kupiec_p: float
    berkowitz_p: float
    n_tested: int
    status: str
    evidence: tuple[str, ...]
    rolling_skill: tuple[tuple[date, float], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "rolling_skill"}
        d["evidence"] = list(self.evidence)
        d["rolling_skill"] = [{"date": t, "skill": s} for t, s in self.rolling_skill]
        return d


def _worst(statuses: list[str]) -> str:
    return max(statuses, key=ORDER.index) if statuses else "insufficient"


def thin(origins: pd.Series, horizon: int) -> np.ndarray:
    """Positions of origins at least ``horizon`` business days apart (greedy from the first): non-overlapping targets."""
    days = pd.DatetimeIndex(origins).values.astype("datetime64[D]")
    order = np.argsort(days, kind="stable")
    keep, last = [], None
    for i in order:
        if last is None or np.busday_count(last, days[i]) >= horizon:
            keep.append(i)
            last = days[i]
    return np.array(keep, dtype=int)


def _skill(frame: pd.DataFrame, model: str) -> tuple[float, float, int]:
    key = ["origin", "horizon"] + (["model_version"] if "model_version" in frame else [])
    m = frame[frame["model"] == model].set_index(key)["crps"]
    b = frame[frame["model"] == BASELINE].set_index(key)["crps"]
    both = m.to_frame("m").join(b.to_frame("b"), how="inner")
    if both.empty:
        return np.nan, np.nan, 0
    return float(both["m"].mean()), float(both["b"].mean()), len(both)


def rolling_skill(scored: pd.DataFrame, model: str, as_of: date, weeks: int = WINDOW_WEEKS, points: int = 60) -> tuple[tuple[date, float], ...]:
    """CRPS skill over the trailing ``weeks`` at up to ``points`` weekly dates ending at ``as_of``."""
    if scored.empty:
        return ()
    end = pd.Timestamp(as_of)
    first = pd.Timestamp(scored["target"].min())
    dates = [d for d in pd.date_range(end=end, periods=points, freq="7D") if d >= first]
    out = []
    for d in dates:
        w = scored[(scored["target"] > d - pd.Timedelta(weeks=weeks)) & (scored["target"] <= d)]
        mc, bc, n = _skill(w, model)
        if n >= MIN_FORECASTS and bc > 0:
            out.append((d.date(), 1 - mc / bc))
    return tuple(out)


def check_record(scored: pd.DataFrame, model: str, as_of: date, label: str, weeks: int = WINDOW_WEEKS) -> RecordCheck:
    """Judge one record: ``scored`` has origin, target, horizon, model, crps, pit, hit80, hit90, direction_hit
    (and optionally model_version), one row per forecast, climatology's rows alongside the model's."""
    end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(weeks=weeks)
    w = scored[(scored["target"] > start) & (scored["target"] <= end)] if len(scored) else scored
    mine = w[w["model"] == model] if len(w) else w
    mc, bc, n_matched = _skill(w, model) if len(w) else (np.nan, np.nan, 0)
    skill = 1 - mc / bc if n_matched and bc > 0 else np.nan
    verdicts: list[str] = []
    evidence: list[str] = []
    if n_matched >= MIN_FORECASTS and np.isfinite(skill):
        v = "failing" if skill < SKILL_FAILING else "degraded" if skill < SKILL_DEGRADED else "healthy"
        verdicts.append(v)
        evidence.append(f"CRPS skill against climatology {100 * skill:+.1f}% over {n_matched} forecasts "
                        f"({'below' if v != 'healthy' else 'within'} the {100 * (SKILL_FAILING if v == 'failing' else SKILL_DEGRADED):+.0f}% threshold)")
    else:
        evidence.append(f"CRPS skill not judged: {n_matched} forecasts matched with climatology (needs {MIN_FORECASTS})")
    kup_ps, ber_ps, n_tested = [], [], 0
    for h, g in mine.groupby("horizon") if len(mine) else []:
        g = g.reset_index(drop=True)
        idx = thin(g["origin"], int(h))
        if len(idx) < MIN_TESTED:
            continue
        n_tested += len(idx)
        kup_ps.append(M.kupiec(1 - g["hit80"].to_numpy(dtype=int)[idx], 0.20).p_value)
        ber_ps.append(M.berkowitz(g["pit"].to_numpy(dtype=float)[idx]).p_value)
    kupiec_p = min(1.0, min(kup_ps) * len(kup_ps)) if kup_ps else np.nan
    berkowitz_p = min(1.0, np.nanmin(ber_ps) * len(ber_ps)) if ber_ps and np.isfinite(ber_ps).any() else np.nan
    cov80 = float(mine["hit80"].mean()) if len(mine) else np.nan
    for name, p, what in (("coverage", kupiec_p, f"80% interval held {100 * cov80:.0f}% of outcomes" if len(mine) else ""),
                          ("calibration", berkowitz_p, "PIT calibration (Berkowitz)")):
        if not np.isfinite(p):
            evidence.append(f"{name} not judged: fewer than {MIN_TESTED} non-overlapping forecasts per horizon")
            continue
        v = "failing" if p < P_FAILING else "degraded" if p < P_DEGRADED else "healthy"
        verdicts.append(v)
        evidence.append(f"{what}: p = {p:.2g} ({'fails' if v != 'healthy' else 'passes'} at {P_FAILING if v == 'failing' else P_DEGRADED})")
    status = _worst(verdicts) if verdicts else "insufficient"
    return RecordCheck(label, model, start.date(), end.date(), len(mine), n_matched, mc, bc, skill, cov80,
                       float(mine["hit90"].mean()) if len(mine) else np.nan,
                       float(mine["direction_hit"].mean()) if len(mine) else np.nan,
                       kupiec_p, berkowitz_p, n_tested, status, tuple(evidence),
                       rolling_skill(scored, model, as_of, weeks) if len(scored) else ())


@dataclass(frozen=True)
class MonitorStatus:
    """The overall status: the worse of the live record and the recent walk-forward record. The retrospective
    record (forecasts logged after the session that followed their origin) is shown beside them and never judged:
    only the live record is a clean holdout."""

    symbol: str
    as_of: date
    model: str
    model_version: str
    live: RecordCheck
    walk_forward: RecordCheck | None
    n_logged: int
    n_scored: int
    n_retrospective: int  # logged forecasts (scored or not) that are not part of the live record
    retrospective: RecordCheck | None = None

    @property
    def status(self) -> str:
        checks = [c.status for c in (self.live, self.walk_forward) if c is not None and c.status != "insufficient"]
        return _worst(checks) if checks else "insufficient"

    @property
    def words(self) -> str:
        return WORDS[self.status]

    @property
    def retrain(self) -> bool:
        return self.status in ("degraded", "failing")

    def summary(self) -> str:
        lines = [f"{self.symbol} model {self.model} ({self.model_version}) as of {self.as_of}: {self.status.upper()} - {self.words}",
                 f"  forecast log: {self.n_logged} logged, {self.n_scored} realised and scored; {self.log_words}"]
        for c in (self.live, self.walk_forward, self.retrospective):
            if c is None:
                continue
            judged = " (not judged: logged after the fact)" if c is self.retrospective else ""
            lines.append(f"  {c.label} record, {c.window_start} .. {c.window_end}: {c.status}{judged}")
            lines += [f"    - {e}" for e in c.evidence]
        return "\n".join(lines)

    @property
    def log_words(self) -> str:
        """How the log splits into the live and the retrospective record, in words."""
        live = self.n_logged - self.n_retrospective
        return (f"{live} in the live record" + (f", {self.n_retrospective} retrospective (logged after the session that "
                                                 "followed their origin: a separate record, never judged)"
                                                 if self.n_retrospective else ""))

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "as_of": self.as_of, "model": self.model, "model_version": self.model_version,
                "status": self.status, "words": self.words, "retrain": self.retrain, "n_logged": self.n_logged,
                "n_scored": self.n_scored, "n_live": self.n_logged - self.n_retrospective,
                "n_retrospective": self.n_retrospective, "log_words": self.log_words, "live": self.live.to_dict(),
                "walk_forward": None if self.walk_forward is None else self.walk_forward.to_dict(),
                "retrospective": None if self.retrospective is None else self.retrospective.to_dict(), "thresholds": THRESHOLDS}
