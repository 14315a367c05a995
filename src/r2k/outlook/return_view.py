"""The return view, apart from the risk grade: the forecast's expected excess return and P(up) next to climatology's
(the base rates), and the evidence that the forecasts know anything about direction.

Evidence (pre-registered in docs/outlook.md), on every weekly origin after the tuning cutoff with a realised outcome:
the AUC of P(up) for a rise and the out-of-sample R² of the forecast mean of the log return against climatology's
mean, each with a stationary block-bootstrap 95% interval (mean block at least the horizon), and a reliability table
of P(up) (forecast against observed frequency of rises per bin). A verdict word is given only when the AUC interval
lies above 0.5: "above the usual" / "below the usual" when P(up) differs from climatology's by more than NEAR,
"near the usual" otherwise; without that evidence the view says "no detectable edge on direction".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from r2k.analytics.robust import BootstrapInterval, block_bootstrap, block_length
from r2k.models.base import Distribution
from r2k.models.registry import BASELINE
from r2k.validation import metrics as M

NEAR = 0.02  # P(up) within this of climatology's is "near the usual"
NO_EDGE = "no detectable edge on direction"
NOT_ASSESSED = "direction not assessed (the record after the cutoff was not built)"
MIN_OUTCOMES = 10
from r2k.forecasting import LIVE_STEP as STEP  # the weekly grid the record is scored on
BINS = np.round(np.arange(0.0, 1.0001, 0.05), 2)


def expected_simple_return(dist: Distribution) -> float:
    """E[e^y − 1] from the 99 quantiles of the log return (each quantile standing for 1% of the outcomes)."""
    return float(np.expm1(dist.quantiles).mean())


def reliability_table(p_up: np.ndarray, up: np.ndarray) -> pd.DataFrame:
    """Per P(up) bin of width 0.05 holding forecasts: the bin, how many, the mean forecast and the observed share of
    rises (a reliable forecast has the two equal)."""
    idx = np.clip(np.searchsorted(BINS, p_up, side="right") - 1, 0, len(BINS) - 2)
    rows = [{"low": float(BINS[i]), "high": float(BINS[i + 1]), "count": int((idx == i).sum()),
             "mean_p_up": float(p_up[idx == i].mean()), "observed": float(up[idx == i].mean())}
            for i in np.unique(idx)]
    return pd.DataFrame(rows, columns=["low", "high", "count", "mean_p_up", "observed"])


@dataclass(frozen=True)
class DirectionEvidence:
    """How the outlook model's P(up) and mean did after the cutoff, for one horizon."""

    horizon: int
    n: int
    first: date
    last: date
    auc: BootstrapInterval  # null 0.5
    oos_r2: BootstrapInterval  # against climatology's mean, null 0
    rises: float  # the observed share of rises
    reliability: pd.DataFrame

    @property
    def edge(self) -> bool:
        """Whether the AUC interval lies above 0.5 (a direction verdict may be shown)."""
        return bool(self.auc.ci_low > 0.5)

    def words(self) -> str:
        """What the AUC interval says, for people."""
        if self.edge:
            return "an edge on direction"
        if self.auc.ci_high < 0.5:
            return "no edge on direction: P(up) ranked the rises worse than a coin flip (the interval lies below 0.5)"
        return NO_EDGE

    def auc_text(self, digits: int = 2) -> str:
        """"AUC 0.48 (95% interval 0.41–0.55)", or why there is none (one kind of outcome only: nothing to rank)."""
        if np.isfinite(self.auc.estimate):
            a = self.auc
            return f"AUC {a.estimate:.{digits}f} (95% interval {a.ci_low:.{digits}f}–{a.ci_high:.{digits}f})"
        kind = "a rise" if self.rises == 1 else "a fall" if self.rises == 0 else "ranked alike"
        return f"no AUC: every outcome after the cutoff was {kind}"

    def summary(self) -> str:
        return (f"{self.horizon}-day P(up) after the cutoff ({self.n} weekly origins {self.first} .. {self.last}): "
                f"{self.auc_text(3)}; OOS R² of the mean "
                f"against climatology {100 * self.oos_r2.estimate:+.2f}% ({100 * self.oos_r2.ci_low:+.2f}% to "
                f"{100 * self.oos_r2.ci_high:+.2f}%); rises {100 * self.rises:.0f}%: {self.words()}")

    def to_dict(self) -> dict[str, Any]:
        return {"horizon_days": self.horizon, "n": self.n, "first": self.first, "last": self.last,
                "auc": self.auc.estimate, "auc_ci": [self.auc.ci_low, self.auc.ci_high],
                "oos_r2": self.oos_r2.estimate, "oos_r2_ci": [self.oos_r2.ci_low, self.oos_r2.ci_high],
                "rises": self.rises, "edge": self.edge, "block": self.auc.block,
                "reliability": self.reliability.to_dict(orient="records")}


def direction_evidence(frame: pd.DataFrame, h: int, cutoff: date, seed: int = 0) -> DirectionEvidence | None:
    """The evidence from a walk-forward frame holding the outlook model's and climatology's rows (None when fewer than
    MIN_OUTCOMES origins after ``cutoff`` have both and a realised outcome)."""
    from r2k.outlook.source import OUTLOOK_MODEL

    part = frame[(frame["horizon"] == h) & (frame["origin"] > pd.Timestamp(cutoff)) & frame["y"].notna()]
    own = part[part["model"] == OUTLOOK_MODEL].set_index("origin")
    base = part[part["model"] == BASELINE].set_index("origin")
    origins = own.index.intersection(base.index).sort_values()
    if len(origins) < MIN_OUTCOMES:
        return None
    own, base = own.loc[origins], base.loc[origins]
    y, p = own["y"].to_numpy(dtype=float), own["p_up"].to_numpy(dtype=float)
    up = (y > 0).astype(float)
    block = block_length(h, STEP)
    auc = block_bootstrap(lambda a, b: M.auc(a, b > 0.5), p, up, block=block, seed=seed, null=0.5)
    r2 = block_bootstrap(M.oos_r2, y, own["mean"].to_numpy(dtype=float), base["mean"].to_numpy(dtype=float),
                         block=block, seed=seed)
    return DirectionEvidence(h, len(origins), origins[0].date(), origins[-1].date(), auc, r2, float(up.mean()),
                             reliability_table(p, up))


@dataclass(frozen=True)
class ReturnView:
    """One horizon's return view: the forecast against the base rates, and a verdict only where evidence allows."""

    horizon: int
    p_up: float
    base_p_up: float  # climatology's P(up) at the origin
    expected_return: float  # E[simple return] over the horizon
    base_expected_return: float  # climatology's
    risk_free: float  # over the horizon (federal funds rate known at the origin; 0 when not stored)
    evidence: DirectionEvidence | None

    @property
    def expected_excess_return(self) -> float:
        return self.expected_return - self.risk_free

    @property
    def base_expected_excess_return(self) -> float:
        return self.base_expected_return - self.risk_free

    @property
    def verdict(self) -> str:
        if self.evidence is None:
            return NOT_ASSESSED
        if not self.evidence.edge:
            return NO_EDGE
        gap = self.p_up - self.base_p_up
        return "above the usual" if gap > NEAR else "below the usual" if gap < -NEAR else "near the usual"

    def text(self) -> str:
        """The view in words, for people."""
        from r2k.outlook.source import WEEKS

        weeks = WEEKS.get(self.horizon, round(self.horizon / 5))
        ev = "" if self.evidence is None else f" (P(up) after 2015: {self.evidence.auc_text()})"
        return (f"{weeks}-week return view: {self.verdict}{ev}. P(up) {100 * self.p_up:.0f}% against {100 * self.base_p_up:.0f}% "
                f"usually (climatology); expected excess return {100 * self.expected_excess_return:+.1f}% against "
                f"{100 * self.base_expected_excess_return:+.1f}% usually.")

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        return {"horizon_days": self.horizon, "p_up": self.p_up, "base_p_up": self.base_p_up,
                "expected_excess_return": self.expected_excess_return,
                "base_expected_excess_return": self.base_expected_excess_return, "risk_free": self.risk_free,
                "verdict": self.verdict, "auc": None if ev is None else ev.auc.estimate,
                "auc_ci": None if ev is None else [ev.auc.ci_low, ev.auc.ci_high],
                "oos_r2": None if ev is None else ev.oos_r2.estimate,
                "oos_r2_ci": None if ev is None else [ev.oos_r2.ci_low, ev.oos_r2.ci_high],
                "n_outcomes": None if ev is None else ev.n, "text": self.text()}


def return_view(dist: Distribution, base: Distribution, rf_h: float, horizon: int,
                evidence: DirectionEvidence | None) -> ReturnView:
    rf = 0.0 if rf_h != rf_h else float(rf_h)
    return ReturnView(horizon, dist.p_up, base.p_up, expected_simple_return(dist), expected_simple_return(base), rf, evidence)
