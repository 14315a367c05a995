"""The ratings' track record: the engine's walk-forward forecasts turned into ratings, and how the
rated outcomes turned out after the tuning cutoff (out of sample: the cut points were fixed before it).

Per notch group: count, realised mean simple return, hit rate (share of rises), realised volatility
(annualised, of the daily returns inside the horizon), the mean and the worst drawdown inside the horizon,
and how often the realised return fell below the rated 5% quantile (5% if the tail is right).

The seed's "independent t-test": a Welch t-test and a Mann–Whitney test of realised returns after the
better half of ratings (Ba1 and better) against the worse half, on non-overlapping origins (one per
horizon length, so no two outcomes share a day); the same tests on realised volatility say whether the
ratings carry information about risk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from r2k.analytics.testresult import TestResult
from r2k.outlook.rating_map import RatingMap, rf_over
from r2k.outlook.ratings import rate_frame
from r2k.outlook.scale import GROUPS, NOTCHES, group_of, is_better_half

TRADING_DAYS = 252


def realised_paths(closes: pd.Series, rated: pd.DataFrame) -> pd.DataFrame:
    """Per rated origin: realised simple return, annualised volatility and worst drawdown inside the horizon."""
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


def rated_history(history: pd.DataFrame, closes: pd.Series, rf_daily: pd.Series, rating_map: RatingMap) -> pd.DataFrame:
    """Every walk-forward forecast as a rating, with its realised outcome where the target is in the data."""
    parts = []
    for h, rows in history.groupby("horizon"):
        rows = rows.reset_index(drop=True)
        rated = rate_frame(rows, rf_over(rf_daily, rows["origin"], int(h)), rating_map)
        parts.append(pd.concat([rated, realised_paths(closes, rated)], axis=1))
    out = pd.concat(parts, ignore_index=True)
    out["rating"] = [NOTCHES[i] for i in out["notch"]]
    out["group"] = [group_of(i) for i in out["notch"]]
    out["below_q05"] = np.where(out["y"].notna(), out["y"] < out["q05"], np.nan)
    return out.sort_values(["horizon", "origin"]).reset_index(drop=True)


@dataclass(frozen=True)
class HorizonRecord:
    horizon: int
    n_origins: int  # rated origins after the cutoff with a realised outcome
    table: pd.DataFrame  # one row per notch group
    returns_welch: TestResult | None
    returns_mwu: TestResult | None
    risk_welch: TestResult | None
    n_independent: int
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        return {"horizon": self.horizon, "n_origins": self.n_origins, "table": self.table,
                "n_independent": self.n_independent,
                "returns_welch": None if self.returns_welch is None else self.returns_welch.to_dict(),
                "returns_mann_whitney": None if self.returns_mwu is None else self.returns_mwu.to_dict(),
                "risk_welch": None if self.risk_welch is None else self.risk_welch.to_dict(), "verdict": self.verdict}


def reliability_table(rated: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name, _, _ in GROUPS:
        g = rated[rated["group"] == name]
        rows.append({"group": name, "count": len(g), "mean_return": g["ret"].mean() if len(g) else np.nan,
                     "hit_rate": (g["ret"] > 0).mean() if len(g) else np.nan,
                     "realised_vol": g["vol"].mean() if len(g) else np.nan,
                     "mean_drawdown": g["drawdown"].mean() if len(g) else np.nan,
                     "worst_drawdown": g["drawdown"].min() if len(g) else np.nan,
                     "below_q05": g["below_q05"].astype(float).mean() if len(g) else np.nan})
    return pd.DataFrame(rows)


def _tests(better: np.ndarray, worse: np.ndarray, what: str, alternative: str) -> tuple[TestResult, TestResult]:
    w = stats.ttest_ind(better, worse, equal_var=False)
    u = stats.mannwhitneyu(better, worse, alternative="two-sided")
    null = f"the {what} after better-half and worse-half ratings have the same mean"
    welch = TestResult(f"Welch t-test of {what}", float(w.statistic), float(w.pvalue), null, alternative,
                       df=float(w.df), n=len(better) + len(worse),
                       details={"better_mean": float(better.mean()), "worse_mean": float(worse.mean()),
                                "n_better": len(better), "n_worse": len(worse)})
    mwu = TestResult(f"Mann-Whitney test of {what}", float(u.statistic), float(u.pvalue),
                     f"the {what} after better-half and worse-half ratings come from the same distribution",
                     alternative, n=len(better) + len(worse))
    return welch, mwu


def _verdict(h: int, rw: TestResult | None, rk: TestResult | None, counts: tuple[int, int] = (0, 0)) -> str:
    if rw is None:
        return (f"{h}-day ratings: too few independent outcomes after the cutoff to test (non-overlapping origins: "
                f"{counts[0]} in the better half, {counts[1]} in the worse half; at least 3 each needed).")
    ret_info = rw.p_value < 0.05 and rw.details["better_mean"] > rw.details["worse_mean"]
    ret_wrong = rw.p_value < 0.05 and not ret_info
    risk_info = rk is not None and rk.p_value < 0.05 and rk.details["better_mean"] < rk.details["worse_mean"]
    b, w = 100 * rw.details["better_mean"], 100 * rw.details["worse_mean"]
    head = f"{h}-day ratings out of sample: better half {b:+.1f}% vs worse half {w:+.1f}% mean return (p = {rw.p_value:.2g})"
    if ret_info and risk_info:
        return head + "; the ratings carry information about both returns and risk."
    if ret_info:
        return head + "; the ratings carry information about returns."
    if ret_wrong:
        return head + "; returns after better ratings were significantly LOWER: the ratings point the wrong way on returns."
    if risk_info:
        v = rk.details
        return (head + f"; the ratings carry no information about returns, but they do about risk (realised volatility "
                f"{100 * v['better_mean']:.1f}% vs {100 * v['worse_mean']:.1f}%, p = {rk.p_value:.2g}).")
    return head + "; the ratings carry no detectable information about returns or risk."


def horizon_record(rated: pd.DataFrame, h: int, cutoff: date) -> HorizonRecord:
    """The out-of-sample record of the ``h``-day ratings (origins after ``cutoff`` with realised outcomes)."""
    oos = rated[(rated["horizon"] == h) & (rated["origin"] > pd.Timestamp(cutoff)) & rated["ret"].notna()].reset_index(drop=True)
    table = reliability_table(oos)
    if oos.empty:
        return HorizonRecord(h, 0, table, None, None, None, 0, _verdict(h, None, None))
    # non-overlapping: origins at least h trading days apart (weekly origins: every h/step-th one)
    step = max(1, int(round(h / max(1, _origin_step(oos)))))
    ind = oos.iloc[::step]
    better = ind[[is_better_half(i) for i in ind["notch"]]]
    worse = ind[[not is_better_half(i) for i in ind["notch"]]]
    rw = rm = rk = None
    if len(better) >= 3 and len(worse) >= 3:
        rw, rm = _tests(better["ret"].to_numpy(), worse["ret"].to_numpy(), f"{h}-day returns",
                        "returns differ between the halves")
        rk, _ = _tests(better["vol"].to_numpy(), worse["vol"].to_numpy(), f"{h}-day realised volatility",
                       "realised volatility differs between the halves")
    return HorizonRecord(h, len(oos), table, rw, rm, rk, len(ind), _verdict(h, rw, rk, (len(better), len(worse))))


def _origin_step(frame: pd.DataFrame) -> int:
    """The typical spacing of origins in trading days (from the week-day gaps: 7 calendar days ~ 5 trading days)."""
    if len(frame) < 2:
        return 1
    days = float(np.median(np.diff(pd.DatetimeIndex(frame["origin"]).asi8)) / 86_400e6)
    return max(1, int(round(days * 5 / 7)))


@dataclass(frozen=True)
class TrackRecord:
    """Ratings through time (every walk-forward origin) and the out-of-sample record per horizon."""

    cutoff: date
    plan: dict[str, Any]
    rated: pd.DataFrame
    horizons: dict[int, HorizonRecord]

    def summary(self) -> str:
        lines = [f"rating track record ({self.plan}); out of sample = origins after {self.cutoff}"]
        for h, r in self.horizons.items():
            lines.append(r.verdict)
            for row in r.table.itertuples():
                lines.append(f"  {row.group:<13} n={row.count:>4}  mean {row.mean_return:+.2%}  hit {row.hit_rate:.0%}  "
                             f"vol {row.realised_vol:.1%}  worst dd {row.worst_drawdown:+.1%}  below q05 {row.below_q05:.1%}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        hist = self.rated[["origin", "horizon", "rating", "score"]]
        return {"cutoff": self.cutoff, "plan": self.plan, "horizons": {str(h): r.to_dict() for h, r in self.horizons.items()},
                "history": hist}


def track_record(history: pd.DataFrame, closes: pd.Series, rf_daily: pd.Series, rating_map: RatingMap,
                 cutoff: date, plan: dict[str, Any], horizons: tuple[int, ...]) -> TrackRecord:
    rated = rated_history(history, closes, rf_daily, rating_map)
    return TrackRecord(cutoff, plan, rated, {h: horizon_record(rated, h, cutoff) for h in horizons})
