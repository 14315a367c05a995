"""Price levels near the current close: prior swing peaks/troughs, round numbers, channel borders.

Rules (documented so that "2,500 is key resistance" can be checked):
* Swing peak (trough): a close that is the highest (lowest) close within ``order`` trading days on
  both sides (default 20, about a month). It is confirmed only ``order`` days later, so as of t only
  swings at or before t − order count (point-in-time). Swings from the last ``lookback_years`` (5)
  are used; levels within ``merge_pct`` (1%) of each other are merged, keeping the most recent.
  Any swing level above the close is resistance, any below is support (peaks and troughs alike:
  a broken support becomes resistance). The nearest ``per_side`` (4) on each side within ±20% are kept,
  plus the all-time-high close when it is above the current close (often not yet a confirmed swing).
* Round numbers: multiples of a step set by the close's magnitude (10^(digits − 2): 100 for a close in
  the thousands, 10 in the hundreds) within ±10% of the close, labelled by the largest of 5/2.5/1 × step
  that divides them; at most ``MAX_ROUND`` (the step grows ×10 until they fit, so any price is cheap).
* Channel borders: the top and bottom of the primary and secondary channels detected by
  ``r2k.analytics.trend_detect`` at the as-of date (a note instead when the history is too short).
Distances are level − close, in points and as a fraction of the close.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.returns import upto
from r2k.analytics.trend_detect import detect_trends
from r2k.errors import DataError

SWING_ORDER = 20
LOOKBACK_YEARS = 5
MERGE_PCT = 0.01
PER_SIDE = 4
SWING_RANGE = 0.20
ROUND_RANGE = 0.10
MAX_ROUND = 12


@dataclass(frozen=True)
class Level:
    kind: str  # "swing peak", "swing trough", "round", "channel top", ...
    value: float
    date: date | None
    role: str  # "resistance" | "support"
    distance: float
    distance_pct: float
    note: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class LevelsResult:
    symbol: str
    as_of: date
    close: float
    levels: tuple[Level, ...]
    order: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    def nearest(self, role: str) -> Level | None:
        side = [lv for lv in self.levels if lv.role == role and lv.kind != "round"]
        return min(side, key=lambda lv: abs(lv.distance), default=None)

    def summary(self) -> str:
        r, s = self.nearest("resistance"), self.nearest("support")
        parts = [f"{self.symbol} {self.close:,.2f} on {self.as_of}"]
        if r:
            parts.append(f"nearest resistance {r.value:,.2f} ({r.kind}, {r.distance_pct:+.1%})")
        if s:
            parts.append(f"nearest support {s.value:,.2f} ({s.kind}, {s.distance_pct:+.1%})")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {"symbol": self.symbol, "as_of": self.as_of, "close": self.close, "order": self.order,
                "levels": [lv.to_dict() for lv in self.levels], "notes": list(self.notes)}


def swing_points(close: pd.Series, order: int = SWING_ORDER) -> pd.DataFrame:
    """Confirmed swing peaks and troughs: date, value, kind (only those with ``order`` closes after them)."""
    v = close.to_numpy()
    n = len(v)
    if n < 2 * order + 1:
        return pd.DataFrame({"date": pd.DatetimeIndex([]), "value": [], "kind": []})
    win = np.lib.stride_tricks.sliding_window_view(v, 2 * order + 1)
    mid = v[order : n - order]
    peak = mid >= win.max(axis=1)
    trough = mid <= win.min(axis=1)
    idx = np.arange(order, n - order)
    rows = [(close.index[i], v[i], "swing peak") for i in idx[peak]] + [(close.index[i], v[i], "swing trough") for i in idx[trough]]
    out = pd.DataFrame(rows, columns=["date", "value", "kind"]).sort_values("date", kind="stable")
    return out.reset_index(drop=True)


def _level(kind: str, value: float, when: date | None, close: float, note: str = "") -> Level:
    return Level(kind, float(value), when, "resistance" if value > close else "support", float(value - close),
                 float(value / close - 1), note)


def _merge(sw: pd.DataFrame) -> pd.DataFrame:
    kept: list[int] = []
    for i in sw.sort_values("date", ascending=False).index:
        if all(abs(sw.at[i, "value"] / sw.at[j, "value"] - 1) > MERGE_PCT for j in kept):
            kept.append(i)
    return sw.loc[kept]


def round_step(close: float) -> float:
    """The round-number step for a close: 10^(digits − 2), e.g. 100 for 2,480 and 10 for 215."""
    return 10.0 ** (np.floor(np.log10(close)) - 1)


def round_levels(close: float, width: float = ROUND_RANGE) -> list[Level]:
    """Round numbers within ±``width`` of the close. The range is counted in steps (close / step is 10..100), so
    a close near the largest double (1.7e308, where close × 1.1 overflows) gives finite levels too."""
    if not np.isfinite(close) or close <= 0:
        return []
    step = round_step(close)
    while True:
        units = close / step
        first, last = int(np.ceil(units * (1 - width))), int(np.floor(units * (1 + width)))
        if last - first + 1 <= MAX_ROUND:
            break
        step *= 10
    out = []
    for k in range(first, last + 1):
        m = k * step
        if not np.isfinite(m):  # beyond the largest double
            break
        mult = 5 if k % 5 == 0 else 2.5 if (2 * k) % 5 == 0 else 1
        out.append(_level("round", m, None, close, f"multiple of {mult * step:g}"))
    return out


def channel_levels(close: pd.Series, as_of: pd.Timestamp) -> tuple[list[Level], str]:
    """Borders of the primary/secondary channels at ``as_of``; a note instead when they cannot be detected."""
    last = float(close.iloc[-1])
    try:
        trends = detect_trends(close, as_of)
    except DataError as exc:  # too short a history to detect trends must not sink the other levels
        return [], f"channel borders unavailable: {exc}"
    out = []
    for name, channel in (("primary", trends.primary), ("secondary", trends.secondary)):
        for side in ("top", "bottom"):
            out.append(_level(f"{name} channel {side}", getattr(channel.fit, side)(as_of), as_of.date(), last))
    return out, ""


def levels(close: pd.Series, as_of: date | None = None, symbol: str = "RUT", order: int = SWING_ORDER,
           with_channels: bool = True) -> LevelsResult:
    """Support/resistance levels around the close at ``as_of`` and the distance to each."""
    c = upto(close, as_of, symbol)
    end, last = c.index[-1], float(c.iloc[-1])
    sw = swing_points(c[c.index >= end - pd.DateOffset(years=LOOKBACK_YEARS)], order)
    sw = sw[(sw["value"] / last - 1).abs() <= SWING_RANGE]
    sw = _merge(sw) if len(sw) else sw
    swings = [_level(r.kind, r.value, r.date.date(), last) for r in sw.itertuples()]
    above = sorted((lv for lv in swings if lv.role == "resistance"), key=lambda lv: lv.distance)[:PER_SIDE]
    below = sorted((lv for lv in swings if lv.role == "support"), key=lambda lv: -lv.distance)[:PER_SIDE]
    notes = []
    chan: list[Level] = []
    if with_channels:
        chan, note = channel_levels(c, end)
        if note:
            notes.append(note)
    ath_i = int(np.argmax(c.to_numpy()))
    if float(c.iloc[ath_i]) > last and all(lv.date != c.index[ath_i].date() for lv in above):
        above.append(_level("all-time high", float(c.iloc[ath_i]), c.index[ath_i].date(), last))
    allv = sorted(above + below + round_levels(last) + chan, key=lambda lv: -lv.value)
    return LevelsResult(symbol, end.date(), last, tuple(allv), order, tuple(notes))
