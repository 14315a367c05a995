"""The project's technical signals at one date, each pointing up (+1), down (−1) or neither (0).

Used for the "technical share" of each scenario: the fraction of these signals pointing the scenario's
way. Rules (closes up to the as-of date only):

* primary trend: the primary channel's slope (up if it grows);
* channel position: the close above (up) or below (down) the primary channel's centre line;
* reversal signals: an active break of the primary or secondary channel points against that channel's
  trend; none active: neither;
* momentum 3 months: the sign of the 63-day return; momentum 12-1 months: the sign of the return from
  252 to 21 trading days ago;
* moving-average trend: close above the 200-day average; 50/200-day cross: the 50-day average above the 200-day;
* drawdown: within 10% of the record close points up, deeper than 20% down, in between neither;
* records: a record close in the last 63 trading days points up, none in the last 252 down, else neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from r2k.analytics.trend_detect import TrendAnalysis


@dataclass(frozen=True)
class TechSignal:
    name: str
    direction: int  # +1 up, -1 down, 0 neither
    detail: str

    @property
    def arrow(self) -> str:
        return {1: "↑", -1: "↓", 0: "→"}[self.direction]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "direction": self.direction, "detail": self.detail}


def _sign(x: float) -> int:
    return 0 if x != x or x == 0 else (1 if x > 0 else -1)


def technical_signals(close: pd.Series, trends: TrendAnalysis) -> tuple[TechSignal, ...]:
    """Every technical signal on the last date of ``close`` (already cut at the as-of date)."""
    c = close.dropna()
    last = float(c.iloc[-1])
    p = trends.primary
    out = [TechSignal("primary trend", _sign(p.fit.b), f"primary channel {p.fit.direction} at {100 * p.fit.annual_growth:+.1f}% a year"),
           TechSignal("channel position", _sign(p.position.z), f"close {p.position.z:+.1f} residual s.d. from the primary centre line")]
    breaks = [s for s in trends.signals if s.active and s.name in ("primary_break", "secondary_break")]
    if breaks:
        t = p if breaks[0].name == "primary_break" else trends.secondary
        out.append(TechSignal("reversal signals", -_sign(t.fit.b), f"active: {breaks[0].text}"))
    else:
        out.append(TechSignal("reversal signals", 0, "no active channel break"))

    def ret(a: int, b: int = 0) -> float:
        return float(c.iloc[-1 - b] / c.iloc[-1 - a] - 1) if len(c) > a else float("nan")

    m3, m12 = ret(63), ret(252, 21)
    out += [TechSignal("momentum 3 months", _sign(m3), f"63-day return {100 * m3:+.1f}%"),
            TechSignal("momentum 12-1 months", _sign(m12), f"return from 12 to 1 months ago {100 * m12:+.1f}%")]
    ma50, ma200 = c.iloc[-50:].mean(), c.iloc[-200:].mean()
    out += [TechSignal("moving-average trend", _sign(last - ma200), f"close {last:,.0f} vs 200-day average {ma200:,.0f}"),
            TechSignal("50/200-day cross", _sign(ma50 - ma200), f"50-day average {ma50:,.0f} vs 200-day {ma200:,.0f}")]
    record = float(c.max())
    dd = last / record - 1
    out.append(TechSignal("drawdown", 1 if dd > -0.10 else (-1 if dd < -0.20 else 0), f"{100 * dd:.1f}% below the record close"))
    since = len(c) - 1 - int(np.argmax(c.to_numpy()))
    out.append(TechSignal("records", 1 if since < 63 else (-1 if since >= 252 else 0),
                          f"last record close {since} trading days ago"))
    return tuple(out)


def share_pointing(signals: tuple[TechSignal, ...], direction: int) -> float:
    """The fraction of all signals that point ``direction``."""
    return sum(s.direction == direction for s in signals) / len(signals) if signals else float("nan")
