"""The strategic interaction table: named scenarios over the short-term horizon (20 trading days).

Nothing is typed in. For each scenario:

* likelihood: the outlook model's probability where the event is about the close on the horizon day
  (interpolated between the distribution's quantiles), or, where the model cannot speak to it (VIX, credit
  spreads), the historical conditional frequency: among past days whose level was in the same quintile
  (VIX) or tercile (spread) of its history as today, the share followed by the event within 20 trading
  days (only windows that ended by the as-of date are counted);
* potential impact: the conditional mean index move if it happens (the model's mean of the simple return
  beyond the threshold, or the mean 20-day index return over the historical episodes);
* technical share: the fraction of the technical signals (technical.py) pointing the scenario's way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from r2k.analytics.levels import LevelsResult
from r2k.analytics.trend_detect import TrendAnalysis
from r2k.features.inputs import carry_forward, known_at_close
from r2k.macro.catalog import SERIES
from r2k.models.base import LEVELS, Distribution
from r2k.outlook.technical import TechSignal, share_pointing

HORIZON = 20
SHORT_LABELS = {"rally_5": "rally > +5%", "fall_5": "fall > 5%", "fall_10": "fall > 10%", "above_resistance": "above resistance",
                "below_primary": "below channel bottom", "new_record": "new record", "vix_top_decile": "VIX top decile",
                "credit_widening": "HY spread +100 bp"}
VIX_DECILE = 0.90
CREDIT_WIDENING = 1.00  # percentage points of high-yield option-adjusted spread (= 100 bp)


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str
    direction: int  # +1 an up scenario, -1 a down scenario
    likelihood: float
    impact: float  # conditional mean simple index return over the horizon
    technical_share: float
    basis: str  # "model" | "history"
    detail: str

    @property
    def label(self) -> str:
        """A short label for the chart."""
        return SHORT_LABELS.get(self.key, self.name)

    @property
    def weight(self) -> float:
        """likelihood × |impact|: how much the scenario matters."""
        return self.likelihood * abs(self.impact)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _model_event(key: str, name: str, direction: int, dist: Distribution, threshold: float, signals: tuple[TechSignal, ...],
                 detail: str) -> Scenario:
    """P(y beyond ``threshold``) and E[simple return | beyond] from the quantile grid."""
    q = dist.quantiles
    below = float(np.interp(threshold, q, LEVELS, left=0.0, right=1.0))
    p = 1 - below if direction > 0 else below
    tail = q[q > threshold] if direction > 0 else q[q < threshold]
    impact = float(np.expm1(tail).mean()) if len(tail) else float(np.expm1(threshold))
    return Scenario(key, name, direction, p, impact, share_pointing(signals, direction), "model", detail)


def _conditional_frequency(level: pd.Series, close: pd.Series, event: np.ndarray, bins: int) -> tuple[float, float, int]:
    """Share of past days in today's ``bins``-quantile bucket of ``level`` followed by ``event``; the mean
    20-day index return over those episodes; the number of past days counted."""
    values = level.to_numpy(dtype=float)
    edges = np.nanquantile(values, np.linspace(0, 1, bins + 1)[1:-1])
    bucket = np.searchsorted(edges, values, side="right")
    today = bucket[-1]
    n = len(values)
    done = np.arange(n) + HORIZON < n  # windows that ended by the as-of date
    fwd = np.full(n, np.nan)
    c = close.to_numpy(dtype=float)
    fwd[: n - HORIZON] = c[HORIZON:] / c[: n - HORIZON] - 1
    cond = done & (bucket == today) & np.isfinite(values)
    if cond.sum() == 0:
        return float("nan"), float("nan"), 0
    hit = cond & event
    impact = float(np.nanmean(fwd[hit])) if hit.any() else float("nan")
    return float(event[cond].mean()), impact, int(cond.sum())


def _window_max(values: np.ndarray) -> np.ndarray:
    """max(values[d+1 .. d+HORIZON]) for each d (NaN where the window runs past the end)."""
    n = len(values)
    out = np.full(n, np.nan)
    s = pd.Series(values).rolling(HORIZON, min_periods=1).max().to_numpy()
    out[: n - HORIZON] = s[HORIZON:]
    return out


def vix_scenario(close: pd.Series, vix: pd.Series, signals: tuple[TechSignal, ...]) -> Scenario | None:
    v = carry_forward(vix, pd.DatetimeIndex(close.index))
    if v.notna().sum() < 500:
        return None
    ok = v.notna().to_numpy()
    vv, cc = v[ok], close[ok]
    threshold = float(np.nanquantile(vv.to_numpy(), VIX_DECILE))
    event = _window_max(vv.to_numpy()) >= threshold
    p, impact, n = _conditional_frequency(vv, cc, event, 5)
    detail = (f"VIX closes at or above {threshold:.1f} (its top decile since {vv.index[0].year}) within {HORIZON} trading days; "
              f"VIX now {vv.iloc[-1]:.1f}; frequency over {n:,} past days in the same VIX quintile")
    return Scenario("vix_top_decile", "Volatility regime shift (VIX into its top decile)", -1, p, impact,
                    share_pointing(signals, -1), "history", detail)


def credit_scenario(close: pd.Series, spread: pd.Series, signals: tuple[TechSignal, ...]) -> Scenario | None:
    # a day's spread is published after the close: the catalog's rule (the next trading day) gives what each close knew
    s = known_at_close(spread, SERIES["BAMLH0A0HYM2"].release, pd.DatetimeIndex(close.index))
    if s.notna().sum() < 500:
        return None
    ok = s.notna().to_numpy()
    ss, cc = s[ok], close[ok]
    vals = ss.to_numpy()
    event = (_window_max(vals) - vals) >= CREDIT_WIDENING
    p, impact, n = _conditional_frequency(ss, cc, event, 3)
    detail = (f"high-yield spread at least 1.00 pp (100 bp) above today's {vals[-1]:.2f}% within {HORIZON} trading days; "
              f"frequency over {n:,} past days in the same spread tercile")
    return Scenario("credit_widening", "Credit widening (high-yield spread +100 bp)", -1, p, impact,
                    share_pointing(signals, -1), "history", detail)


def scenarios(close: pd.Series, dist: Distribution, target: pd.Timestamp, trends: TrendAnalysis, lv: LevelsResult,
              signals: tuple[TechSignal, ...], vix: pd.Series | None = None, hy_spread: pd.Series | None = None) -> tuple[Scenario, ...]:
    """Every scenario at the last date of ``close`` (cut at the as-of date) from the 20-day distribution ``dist``."""
    last = float(close.iloc[-1])
    out = [_model_event("rally_5", "Rally beyond +5%", 1, dist, np.log(1.05), signals, "index up more than 5% on the horizon day"),
           _model_event("fall_5", "Fall beyond −5%", -1, dist, np.log(0.95), signals, "index down more than 5% on the horizon day"),
           _model_event("fall_10", "Fall beyond −10%", -1, dist, np.log(0.90), signals, "index down more than 10% on the horizon day")]
    tops = [(f"{t.role} channel top", float(t.fit.top(target))) for t in (trends.primary, trends.secondary)]
    candidates = [(lv_.kind, lv_.value) for lv_ in lv.levels if lv_.role == "resistance"] + tops
    above = [(k if k != "round" else "round number", v) for k, v in candidates if v > last]
    if above:
        kind, value = min(above, key=lambda kv: kv[1])
        out.append(_model_event("above_resistance", f"Close above the nearest resistance ({kind}, {value:,.0f})", 1, dist,
                                np.log(value / last), signals, f"{kind} at {value:,.2f}, {100 * (value / last - 1):+.1f}% from the close"))
    bottom = float(trends.primary.fit.bottom(target))
    out.append(_model_event("below_primary", f"Close below the primary channel bottom ({bottom:,.0f})", -1, dist,
                            np.log(bottom / last), signals, f"primary channel bottom on {target.date()}: {bottom:,.2f}"))
    record = float(close.max())
    out.append(_model_event("new_record", f"New record close (above {record:,.0f})", 1, dist, np.log(record / last) if record > last else 0.0,
                            signals, "close on the horizon day above the record close (a record on some day before it is at least as likely)"))
    for s in (vix_scenario(close, vix, signals) if vix is not None else None,
              credit_scenario(close, hy_spread, signals) if hy_spread is not None else None):
        if s is not None:
            out.append(s)
    return tuple(out)
