"""The risk grades' record: every weekly walk-forward forecast turned into a grade with the fixed map, and how the
next h days turned out after the tuning cutoff (out of sample: the cut points were fixed before it).

Per notch group (A or better .. Caa or below): count, realised volatility (annualised, daily log returns inside the
horizon), mean and worst drawdown inside the horizon (the origin's close is the first peak), share of h-day losses
beyond 5% and beyond 10%, share of outcomes below the rated 5% quantile with the p-value of Kupiec's test that the share
is 5% on the effective sample (the non-overlapping count: weekly origins of 4- or 52-week outcomes overlap, so the
plain test, which assumes independent outcomes, would overstate the evidence; :func:`share_p`).

The primary test (pre-registered in docs/outlook.md): Spearman's rank correlation between the notch and the realised
drawdown depth over every origin after the cutoff, with a stationary block-bootstrap 95% interval (mean block at
least the horizon). Secondary: the partial rank correlation given the VIX close at the origin (does the grade add
anything to VIX alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from r2k.analytics.robust import BootstrapInterval, block_bootstrap, block_length, p_text, spearman
from r2k.outlook.rating_map import RatingMap
from r2k.outlook.ratings import grade_frame
from r2k.outlook.return_view import DirectionEvidence, direction_evidence
from r2k.outlook.scale import GROUPS, NOTCHES, group_of
from r2k.outlook.source import WEEKS
from r2k.words import p_value

TRADING_DAYS = 252
from r2k.forecasting import LIVE_REFIT, LIVE_STEP as STEP  # weekly origins: the grid the record is scored on
LOSSES = {"loss_5": -0.05, "loss_10": -0.10}


def realised_paths(closes: pd.Series, rated: pd.DataFrame) -> pd.DataFrame:
    """Per rated origin: realised simple return, annualised volatility and the worst drawdown inside the horizon
    (a negative fraction; the origin's close is the first peak); NaN where the target is beyond the data."""
    logp = np.log(closes.to_numpy(dtype=float))
    pos = pd.DatetimeIndex(closes.index).get_indexer(pd.DatetimeIndex(rated["origin"]))
    out = {"ret": [], "vol": [], "drawdown": []}
    for p, h in zip(pos, rated["horizon"].to_numpy()):
        if p < 0 or p + h >= len(logp):
            out["ret"].append(np.nan), out["vol"].append(np.nan), out["drawdown"].append(np.nan)
            continue
        path = logp[p : p + h + 1]
        out["ret"].append(float(np.expm1(path[-1] - path[0])))
        out["vol"].append(float(np.std(np.diff(path), ddof=1) * np.sqrt(TRADING_DAYS)) if h > 1 else np.nan)
        out["drawdown"].append(float(np.expm1((path - np.maximum.accumulate(path)).min())))
    return pd.DataFrame(out, index=rated.index)


def rated_history(history: pd.DataFrame, closes: pd.Series, rating_map: RatingMap, vix: pd.Series | None = None) -> pd.DataFrame:
    """Every walk-forward forecast of the outlook model as a grade, with its realised outcome where the target is in
    the data and the VIX close at the origin (NaN where unknown)."""
    parts = []
    for _, rows in history.groupby("horizon"):
        rated = grade_frame(rows.reset_index(drop=True), rating_map)
        parts.append(pd.concat([rated, realised_paths(closes, rated)], axis=1))
    out = pd.concat(parts, ignore_index=True)
    out["label"] = [NOTCHES[i] for i in out["notch"]]
    out["group"] = [group_of(i) for i in out["notch"]]
    known = out["ret"].notna()
    out["below_q05"] = np.where(known, out["y"] < out["q05"], np.nan)
    for name, level in LOSSES.items():
        out[name] = np.where(known, out["ret"] < level, np.nan)
    out["vix"] = np.nan if vix is None else vix.reindex(pd.DatetimeIndex(out["origin"])).to_numpy(dtype=float)
    return out.sort_values(["horizon", "origin"]).reset_index(drop=True)


def group_table(rated: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """One row per notch group, best first (the descriptive checks of docs/outlook.md), from one horizon's rows in
    origin order. ``q05_p``: :func:`share_p` of 5% of the group's outcomes below the rated 5% quantile (a group's origins
    are at least a week apart, so its outcomes overlap no more than consecutive weekly ones do)."""
    rows = []
    for name, _, _ in GROUPS:
        g = rated[rated["group"] == name]
        n = len(g)
        miss = g["below_q05"].to_numpy(dtype=float)
        rows.append({"group": name, "count": n, "realised_vol": g["vol"].mean() if n else np.nan,
                     "mean_drawdown": g["drawdown"].mean() if n else np.nan,
                     "worst_drawdown": g["drawdown"].min() if n else np.nan,
                     "loss_5": g["loss_5"].mean() if n else np.nan, "loss_10": g["loss_10"].mean() if n else np.nan,
                     "below_q05": miss.mean() if n else np.nan,
                     "q05_p": share_p(miss, horizon) if n else np.nan})
    return pd.DataFrame(rows)


def share_p(miss: np.ndarray, horizon: int, rate: float = 0.05) -> float:
    """p of "a share ``rate`` of the outcomes missed" for weekly outcomes of ``horizon`` days: Kupiec's likelihood
    ratio on the effective sample, the non-overlapping count (overlapping outcomes carry about one outcome's worth of
    information per overlap). Not a HAC t-test: with rare misses its variance comes from the observed share, so one
    miss in a hundred overlapping outcomes would look decisive, and none at all would have no variance to test."""
    n = len(miss)
    if n == 0:
        return float("nan")
    x, m = float(np.mean(miss)), non_overlapping(n, horizon)
    ll = lambda p: special.xlogy(x, p) + special.xlogy(1 - x, 1 - p)  # noqa: E731 - per-outcome log likelihood
    return float(stats.chi2.sf(max(0.0, 2 * m * (ll(x) - ll(rate))), 1))


def partial_rank_correlation(a: np.ndarray, b: np.ndarray, control: np.ndarray) -> float:
    """The correlation of the ranks of ``a`` and ``b`` after each is residualised by least squares on the rank of
    ``control`` (a partial Spearman correlation)."""
    ra, rb, rc = (stats.rankdata(x) for x in (a, b, control))
    design = np.column_stack([np.ones_like(rc), rc])
    resid = [r - design @ np.linalg.lstsq(design, r, rcond=None)[0] for r in (ra, rb)]
    if min(np.ptp(x) for x in resid) == 0:
        return float("nan")
    return float(np.corrcoef(resid[0], resid[1])[0, 1])


def volatility_rises(groups: pd.DataFrame) -> bool:
    """Whether the groups' realised volatility rises from the best group to the worst (groups with outcomes only)."""
    v = groups.loc[groups["count"] > 0, "realised_vol"].to_numpy()
    return bool(len(v) >= 2 and np.all(np.diff(v) > 0))


@dataclass(frozen=True)
class HorizonRecord:
    """The out-of-sample record of one horizon's grades."""

    horizon: int
    n: int  # origins after the cutoff with a realised outcome
    n_independent: int  # of which non-overlapping (one per horizon length)
    first: date | None
    last: date | None
    groups: pd.DataFrame
    primary: BootstrapInterval | None  # Spearman(notch, realised drawdown depth)
    secondary: BootstrapInterval | None  # the same, partial on the VIX at the origin
    indicative: bool  # too few independent outcomes to test (the 52-week grade)

    @property
    def weeks(self) -> int:
        return WEEKS.get(self.horizon, round(self.horizon / 5))

    def verdict(self) -> str:
        """The primary test in words (or why there is none)."""
        head = f"{self.weeks}-week grade"
        if self.indicative:
            return (f"{head}: indicative only — {self.n_independent} independent outcomes after {self.first or 'the cutoff'}, "
                    "not yet testable.")
        t = self.primary
        if t is None or not np.isfinite(t.ci_low):
            return f"{head}: too few outcomes after the cutoff to test ({self.n})."
        span = f"{self.n:,} weekly origins {self.first} .. {self.last}"
        ci = f"rank correlation with the realised drawdown {t.estimate:+.2f} (95% interval {t.ci_low:+.2f} to {t.ci_high:+.2f})"
        if t.ci_low > 0:
            words = "worse grades were followed by deeper drawdowns: the grade forecasts risk"
        elif t.ci_high < 0:
            words = "worse grades were followed by SHALLOWER drawdowns: the grade points the wrong way"
        else:
            words = "the interval includes 0: no detectable information about the coming downside"
        return f"{head} out of sample ({span}): {ci}; {words}."

    def secondary_text(self) -> str:
        s = self.secondary
        if s is None or not np.isfinite(s.ci_low):
            return "Beyond VIX alone: not computable (no VIX at the origins)."
        adds = "the grade adds to VIX alone" if s.ci_low > 0 else "no detectable addition to VIX alone"
        return (f"Beyond VIX alone: partial rank correlation given the VIX close {s.estimate:+.2f} "
                f"(95% interval {s.ci_low:+.2f} to {s.ci_high:+.2f}, {p_text(s.p_value)}): {adds}.")

    def to_dict(self) -> dict[str, Any]:
        def test(t: BootstrapInterval | None, name: str) -> dict[str, Any] | None:
            return None if t is None else {"name": name, "statistic": t.estimate, "ci_low": t.ci_low, "ci_high": t.ci_high,
                                          "p_value": t.p_value, "n": t.n, "block": t.block, "reps": t.reps}
        return {"horizon_days": self.horizon, "n": self.n, "n_independent": self.n_independent, "first": self.first,
                "last": self.last, "indicative": self.indicative, "groups": self.groups.to_dict(orient="records"),
                "primary_test": test(self.primary, "Spearman rank correlation of the notch and the realised drawdown"),
                "secondary_test": test(self.secondary, "partial rank correlation given the VIX close"),
                "volatility_rises": volatility_rises(self.groups), "verdict": self.verdict(),
                "beyond_vix": self.secondary_text()}


MIN_INDEPENDENT = 30  # below this many non-overlapping outcomes a horizon is shown as indicative, not tested


def non_overlapping(n: int, h: int) -> int:
    """How many of ``n`` consecutive weekly outcomes of ``h`` days share no day (every ceil(h / 5)-th)."""
    return -(-n // max(1, int(np.ceil(h / STEP))))


def independent_outcomes(dates: pd.DatetimeIndex, cutoff: date, h: int) -> int:
    """The non-overlapping ``h``-day outcomes realised by the last date among the record's weekly origins after
    ``cutoff`` (without building the record)."""
    from r2k.validation.folds import FoldPlan, PlanError

    try:
        folds = FoldPlan(horizons=(h,), start=cutoff + timedelta(days=1), step=STEP, refit_every=LIVE_REFIT,
                         anchored=True).folds(pd.DatetimeIndex(dates))
    except PlanError:
        return 0
    return non_overlapping(sum(f.known[0] for f in folds), h)


def horizon_record(rated: pd.DataFrame, h: int, cutoff: date, seed: int = 0) -> HorizonRecord:
    """The out-of-sample record of the ``h``-day grades (origins after ``cutoff`` with realised outcomes)."""
    oos = rated[(rated["horizon"] == h) & (rated["origin"] > pd.Timestamp(cutoff)) & rated["ret"].notna()].reset_index(drop=True)
    groups = group_table(oos, h)
    n_ind = non_overlapping(len(oos), h)
    first, last = (oos["origin"].iloc[0].date(), oos["origin"].iloc[-1].date()) if len(oos) else (None, None)
    if n_ind < MIN_INDEPENDENT:
        return HorizonRecord(h, len(oos), n_ind, first, last, groups, None, None, True)
    notch, depth = oos["notch"].to_numpy(dtype=float), -oos["drawdown"].to_numpy(dtype=float)
    block = block_length(h, STEP)
    primary = block_bootstrap(spearman, notch, depth, block=block, seed=seed)
    vix = oos["vix"].to_numpy(dtype=float)
    ok = np.isfinite(vix)
    secondary = (block_bootstrap(partial_rank_correlation, notch[ok], depth[ok], vix[ok], block=block, seed=seed)
                 if ok.sum() >= 3 else None)
    return HorizonRecord(h, len(oos), n_ind, first, last, groups, primary, secondary, False)


@dataclass(frozen=True)
class TrackRecord:
    """Grades through time (every weekly walk-forward origin), the out-of-sample record per horizon, and the return
    view's evidence on direction."""

    cutoff: date
    plan: dict[str, Any]
    rated: pd.DataFrame
    horizons: dict[int, HorizonRecord]
    direction: dict[int, DirectionEvidence] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"risk-grade record (weekly origins; out of sample = origins after {self.cutoff})"]
        for r in self.horizons.values():
            lines.append(r.verdict())
            if not r.indicative:
                lines.append(r.secondary_text())
            for row in r.groups.itertuples():
                lines.append(f"  {row.group:<13} n={row.count:>4}  vol {row.realised_vol:6.1%}  mean dd {row.mean_drawdown:+6.1%}  "
                             f"worst dd {row.worst_drawdown:+6.1%}  loss>5% {row.loss_5:5.1%}  loss>10% {row.loss_10:5.1%}  "
                             f"below q05 {row.below_q05:5.1%} (p {p_value(row.q05_p, 'n/a')})")
        lines += [d.summary() for d in self.direction.values()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        from r2k.outlook.source import TERMS

        hist = self.rated[["origin", "horizon", "label", "notch", "score"]]
        out: dict[str, Any] = {TERMS.get(h, str(h)): r.to_dict() for h, r in self.horizons.items()}
        return out | {"cutoff": self.cutoff, "plan": self.plan, "history": hist,
                      "direction": {TERMS.get(h, str(h)): d.to_dict() for h, d in self.direction.items()}}


def track_record(history: pd.DataFrame, closes: pd.Series, rating_map: RatingMap, cutoff: date, plan: dict[str, Any],
                 horizons: tuple[int, ...], vix: pd.Series | None = None, seed: int = 0) -> TrackRecord:
    """The record from a walk-forward frame holding the outlook model's rows (and climatology's, for the return view's
    evidence)."""
    from r2k.outlook.source import OUTLOOK_MODEL

    own = history[history["model"] == OUTLOOK_MODEL]
    rated = rated_history(own, closes, rating_map, vix)
    direction = {h: direction_evidence(history, h, cutoff, seed=seed) for h in horizons}
    return TrackRecord(cutoff, plan, rated, {h: horizon_record(rated, h, cutoff, seed) for h in horizons},
                       {h: d for h, d in direction.items() if d is not None})
