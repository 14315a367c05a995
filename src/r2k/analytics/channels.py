"""Log-linear trend channels: ln(close) = a + b·X fitted by OLS, borders at ±2 residual sd.

X is calendar days from the channel's origin; i counts observations from the origin (0-based).
The borders can be evaluated at any date, also after the window (extrapolation), which is what
support/resistance levels and "channel break" events use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from r2k.errors import DataError

WIDTH = 2.0  # borders at ±2 residual standard deviations


def clean_close(close: pd.Series, name: str | None = None) -> pd.Series:
    """Closes sorted by date, NaN dropped; a non-positive close or a duplicate date is a DataError."""
    label = name or str(close.name or "close")
    s = close.dropna()
    s = pd.Series(s.to_numpy(dtype="float64"), index=pd.DatetimeIndex(s.index).normalize(), name=label).sort_index()
    if s.index.has_duplicates:
        dup = s.index[s.index.duplicated()][0]
        raise DataError(label, "duplicate date in the closes", row=str(dup.date()))
    bad = s[s <= 0]
    if len(bad):
        raise DataError(label, f"close {bad.iloc[0]} is not positive (ln undefined)", row=str(bad.index[0].date()))
    return s


def _ts(value: Any) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _days(dates: Any, origin: pd.Timestamp) -> np.ndarray:
    idx = pd.DatetimeIndex(np.atleast_1d(pd.to_datetime(dates))).normalize()
    return np.asarray((idx - origin).days, dtype="float64")


@dataclass(frozen=True)
class ChannelPosition:
    """Where one close sits relative to a channel on its date.

    ``distance_*`` refer to ``border``: the border the close is beyond, or the nearer one when inside;
    points = close − border (positive above it), pct = points / border value.
    """

    date: pd.Timestamp
    close: float
    top: float
    bottom: float
    center: float
    position: str  # inside | above | below
    border: str  # top | bottom
    distance_points: float
    distance_pct: float
    to_top_points: float
    to_top_pct: float
    to_bottom_points: float
    to_bottom_pct: float
    z: float  # (ln close − centre line) / s: the residual in units of s

    @property
    def inside(self) -> bool:
        return self.position == "inside"

    def summary(self) -> str:
        where = {"inside": "inside the channel", "above": "above the top border", "below": "below the bottom border"}[self.position]
        return (f"{self.date.date()} close {self.close:,.2f} is {where}; {self.distance_points:+,.2f} points "
                f"({100 * self.distance_pct:+.2f}%) from the {self.border} border ({getattr(self, self.border):,.2f})")

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class TrailRow:
    """One line of the calculation trail: a date of the window with every number substituted."""

    label: str
    date: pd.Timestamp
    i: int
    x: float
    close: float | None
    center: float
    top: float
    bottom: float
    formulas: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class ChannelFit:
    """OLS fit of ln(close) on calendar days from ``origin`` over the window [start, end].

    ``a`` is the fitted ln level at the origin, ``b`` the slope per calendar day, ``s`` the residual
    sd with n − 2 degrees of freedom. ``i_start``/``i_end`` are observation numbers counted from the origin.
    """

    name: str
    start: pd.Timestamp
    end: pd.Timestamp
    origin: pd.Timestamp
    n: int
    i_start: int
    i_end: int
    a: float
    b: float
    s: float
    r2: float
    dates: pd.DatetimeIndex = field(repr=False, compare=False)
    x: np.ndarray = field(repr=False, compare=False)
    y: np.ndarray = field(repr=False, compare=False)

    @property
    def annual_growth(self) -> float:
        return float(np.expm1(365.0 * self.b))

    @property
    def channel_spread(self) -> float:
        """Top border over bottom border minus one: exp(4s) − 1."""
        return float(np.expm1(2 * WIDTH * self.s))

    @property
    def direction(self) -> str:
        return "increasing" if self.b > 0 else "decreasing" if self.b < 0 else "flat"

    @property
    def residuals(self) -> np.ndarray:
        return self.y - (self.a + self.b * self.x)

    def _at(self, dates: Any, k: float) -> np.ndarray | float:
        values = np.exp(self.a + self.b * _days(dates, self.origin) + k * self.s)
        return float(values[0]) if np.ndim(dates) == 0 else values

    def top(self, dates: Any) -> np.ndarray | float:
        """Top border exp(a + bX + 2s) at any dates (a scalar date gives a float)."""
        return self._at(dates, WIDTH)

    def bottom(self, dates: Any) -> np.ndarray | float:
        """Bottom border exp(a + bX − 2s) at any dates."""
        return self._at(dates, -WIDTH)

    def center(self, dates: Any) -> np.ndarray | float:
        """Centre line exp(a + bX) at any dates."""
        return self._at(dates, 0.0)

    def position(self, date: Any, close: float) -> ChannelPosition:
        """Inside/above/below and the distances of ``close`` on ``date`` from the borders."""
        d = _ts(date)
        top, bottom, center = self.top(d), self.bottom(d), self.center(d)
        if close > top:
            position, border = "above", "top"
        elif close < bottom:
            position, border = "below", "bottom"
        else:
            position = "inside"
            border = "top" if np.log(top / close) <= np.log(close / bottom) else "bottom"
        ref = top if border == "top" else bottom
        z = (np.log(close) - np.log(center)) / self.s if self.s > 0 else float("nan")
        return ChannelPosition(
            d, float(close), top, bottom, center, position, border, close - ref, close / ref - 1.0,
            close - top, close / top - 1.0, close - bottom, close / bottom - 1.0, float(z),
        )

    def obs_number(self, date: Any, index: pd.DatetimeIndex) -> int:
        """Observation number of ``date`` counted from the origin (0-based) in the trading dates ``index``."""
        return int(index.searchsorted(_ts(date)) - index.searchsorted(self.origin))

    def trail_row(self, label: str, date: Any, i: int, close: float | None) -> TrailRow:
        d = _ts(date)
        x = float(_days(d, self.origin)[0])
        lin = self.a + self.b * x
        a, b, s = f"{self.a:.6f}", f"{self.b:.8f}", f"{self.s:.6f}"
        line = f"{a} + {b} × {x:g}"
        formulas = (
            f"X = {d.date()} − {self.origin.date()} = {x:g} calendar days; i = {i}",
            f"centre = exp(a + b·X) = exp({line}) = exp({lin:.6f}) = {np.exp(lin):,.2f}",
            f"top = exp(a + b·X + 2s) = exp({line} + 2 × {s}) = {np.exp(lin + WIDTH * self.s):,.2f}",
            f"bottom = exp(a + b·X − 2s) = exp({line} − 2 × {s}) = {np.exp(lin - WIDTH * self.s):,.2f}",
        ) + ((f"close = {close:,.2f}; ln(close) = {np.log(close):.6f}; residual = {np.log(close) - lin:+.6f} = {(np.log(close) - lin) / self.s:+.2f} s",)
             if close is not None and self.s > 0 else ())
        return TrailRow(label, d, i, x, close, float(np.exp(lin)), float(np.exp(lin + WIDTH * self.s)),
                        float(np.exp(lin - WIDTH * self.s)), formulas)

    def trail(self) -> tuple[TrailRow, ...]:
        """The first and last date of the window, every number substituted."""
        first, last = float(np.exp(self.y[0])), float(np.exp(self.y[-1]))
        return (self.trail_row("start", self.start, self.i_start, first), self.trail_row("end", self.end, self.i_end, last))

    def formulas(self) -> tuple[str, ...]:
        """The parameter lines of the trail: growth and spread with the numbers substituted."""
        return (
            (f"OLS of ln(close) on X over {self.start.date()} .. {self.end.date()}: n = {self.n}, "
             f"a = {self.a:.6f}, b = {self.b:.8f} per day, s = {self.s:.6f} (n − 2 = {self.n - 2} dof), R² = {self.r2:.4f}"),
            f"annual growth = exp(365 × b) − 1 = exp(365 × {self.b:.8f}) − 1 = {100 * self.annual_growth:.2f}%",
            f"channel spread = exp(4 × s) − 1 = exp(4 × {self.s:.6f}) − 1 = {100 * self.channel_spread:.2f}%",
        )

    def summary(self) -> str:
        return (f"{self.name} channel {self.start.date()} .. {self.end.date()} (origin {self.origin.date()}, n = {self.n}): "
                f"{self.direction}, {100 * self.annual_growth:+.2f}% a year, spread {100 * self.channel_spread:.1f}%, R² {self.r2:.3f}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "start": self.start, "end": self.end, "origin": self.origin, "n": self.n,
            "i_start": self.i_start, "i_end": self.i_end, "a": self.a, "b": self.b, "s": self.s, "r2": self.r2,
            "annual_growth": self.annual_growth, "channel_spread": self.channel_spread, "direction": self.direction,
            "start_top": self.top(self.start), "start_bottom": self.bottom(self.start),
            "end_top": self.top(self.end), "end_bottom": self.bottom(self.end),
        }


def fit_channel(close: pd.Series, start: Any = None, end: Any = None, origin: Any = None) -> ChannelFit:
    """Fit the log-linear channel over [start, end] (default: all of ``close``), X from ``origin``.

    ``origin`` defaults to the first date of the window. When it differs, X and i are measured from it
    and ``a`` is the fitted ln level at the origin; the channel (b, s, borders) is unchanged.
    """
    series = clean_close(close)
    name = str(series.name)
    window = series.loc[_ts(start) if start is not None else None: _ts(end) if end is not None else None]
    where = f"{_ts(start).date() if start is not None else 'first'} .. {_ts(end).date() if end is not None else 'last'}"
    if len(window) < 3:
        raise DataError(name, f"the channel window {where} holds {len(window)} closes; at least 3 are needed")
    dates = pd.DatetimeIndex(window.index)
    org = _ts(origin) if origin is not None else dates[0]
    x = _days(dates, org)
    y = np.log(window.to_numpy())
    xc, yc = x - x.mean(), y - y.mean()
    sxx = float(xc @ xc)
    if sxx == 0:
        raise DataError(name, f"the channel window {where} spans a single date")
    b = float(xc @ yc) / sxx
    a = float(y.mean() - b * x.mean())
    resid = y - (a + b * x)
    sse = float(resid @ resid)
    n = len(y)
    syy = float(yc @ yc)
    i0 = int(series.index.searchsorted(dates[0]) - series.index.searchsorted(org))
    return ChannelFit(
        name, dates[0], dates[-1], org, n, i0, i0 + n - 1, a, b, float(np.sqrt(sse / (n - 2))),
        1.0 - sse / syy if syy > 0 else float("nan"), dates, x, y,
    )
