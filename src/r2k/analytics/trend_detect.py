"""Primary and secondary trend channels as of a date: detected automatically or from given windows.

Detection rule (deterministic, uses only closes up to ``as_of``):

1. Thin the daily closes to weekly (the last close of each Friday-ending week; the last, partial week
   ends at ``as_of``) and take ln.
2. Coarse segmentation (segments.py) with a minimum length of ``primary_min_weeks`` (104 = 2 years).
   The primary trend is the most recent coarse segment whose weekly straight-line fit has
   R² >= ``r2_min`` and that ended at most ``max_age_weeks`` (5 years) before as_of; if none
   qualifies, the last segment (``primary_criterion_met`` = false).
3. Fine segmentation of the last coarse segment with a minimum of ``secondary_min_weeks`` (13 = one
   quarter). The secondary trend is its last segment; it always ends at ``as_of``.
4. Each window is refitted on the daily closes (channels.fit_channel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from r2k.analytics.channels import ChannelFit, ChannelPosition, TrailRow, clean_close, fit_channel
from r2k.analytics.residual_tests import breusch_pagan, durbin_watson, effective_n, lag1_autocorrelation
from r2k.analytics.segments import Segmentation, segment_lines
from r2k.analytics.testresult import TestResult
from r2k.errors import DataError

HOLDOUT_SHARE = 0.2  # the last fifth of a window is held out to check the ±2s coverage
RULE = (
    "weekly ln(close) up to as_of is cut into straight-line segments by exact dynamic programming "
    "(cost m·ln(SSE/m) per segment, penalty k·ln(n) per segment with k = 4·(1+ρ)/(1−ρ), ρ = pooled lag-1 "
    "autocorrelation of the residuals); primary = most recent segment of >= {pw} weeks with R² >= {r2} "
    "that ended at most {age} weeks before as_of (else the last segment); "
    "secondary = last segment (>= {sw} weeks) of a finer segmentation of the last coarse segment, ending at as_of"
)


@dataclass(frozen=True)
class DetectionParams:
    """Knobs of the detection rule (defaults are what the docs describe)."""

    primary_min_weeks: int = 104
    secondary_min_weeks: int = 13
    r2_min: float = 0.5
    max_age_weeks: int = 260
    k: float = 4.0
    max_rho: float = 0.95
    max_weeks: int = 2600  # the exact segmentation is O(n²) in weeks: only the last 50 years are segmented

    def rule(self) -> str:
        return RULE.format(pw=self.primary_min_weeks, r2=self.r2_min, age=self.max_age_weeks, sw=self.secondary_min_weeks)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {"rule": self.rule()}


@dataclass(frozen=True)
class Segment:
    """One detected straight-line piece, in daily dates, with its weekly fit."""

    start: pd.Timestamp
    end: pd.Timestamp
    weeks: int
    weekly_r2: float
    annual_log_slope: float

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Detection:
    """What the detector saw: the weekly series size, both segmentations and the choices made."""

    params: DetectionParams
    weekly_n: int
    coarse: Segmentation
    coarse_segments: tuple[Segment, ...]
    fine: Segmentation
    fine_segments: tuple[Segment, ...]
    primary_index: int
    primary_criterion_met: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "params": self.params.to_dict(), "weekly_n": self.weekly_n,
            "coarse": self.coarse.to_dict() | {"segments": [s.to_dict() for s in self.coarse_segments]},
            "fine": self.fine.to_dict() | {"segments": [s.to_dict() for s in self.fine_segments]},
            "primary_index": self.primary_index, "primary_criterion_met": self.primary_criterion_met,
        }


@dataclass(frozen=True)
class TrendChannel:
    """One trend's channel as of a date, with its position, trail and residual diagnostics."""

    role: str  # primary | secondary
    source: str  # detected | given
    fit: ChannelFit
    as_of: pd.Timestamp
    as_of_close: float
    position: ChannelPosition
    trail: tuple[TrailRow, ...]
    durbin_watson: float
    rho1: float
    effective_n: float
    in_sample_inside_share: float
    breusch_pagan: TestResult
    oos_n: int
    oos_inside: int
    holdout: dict[str, Any]
    segment: Segment | None = None

    @property
    def oos_inside_share(self) -> float:
        return self.oos_inside / self.oos_n if self.oos_n else float("nan")

    def summary(self) -> str:
        return (f"{self.role}: {self.fit.summary()}; as of {self.as_of.date()}: {self.position.summary()}; "
                f"DW {self.durbin_watson:.3f}; out of sample {self.oos_inside}/{self.oos_n} inside")

    def to_dict(self) -> dict[str, Any]:
        f, p = self.fit.to_dict(), self.position
        return f | {
            "role": self.role, "source": self.source, "as_of": self.as_of, "as_of_close": self.as_of_close,
            "as_of_top": p.top, "as_of_bottom": p.bottom, "as_of_center": p.center, "position": p.position,
            "border": p.border, "distance_points": p.distance_points, "distance_pct": p.distance_pct,
            "to_top_points": p.to_top_points, "to_top_pct": p.to_top_pct,
            "to_bottom_points": p.to_bottom_points, "to_bottom_pct": p.to_bottom_pct, "z": p.z,
            "durbin_watson": self.durbin_watson, "residual_lag1_autocorrelation": self.rho1,
            "effective_n": self.effective_n, "in_sample_inside_share": self.in_sample_inside_share,
            "breusch_pagan": self.breusch_pagan.to_dict(),
            "out_of_sample": {"n": self.oos_n, "inside": self.oos_inside, "inside_share": self.oos_inside_share},
            "holdout": self.holdout,
            "detection": self.segment.to_dict() if self.segment else None,
            "trail": [r.to_dict() for r in self.trail], "formulas": list(self.fit.formulas()),
        }


@dataclass(frozen=True)
class Signal:
    name: str
    active: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "active": self.active, "text": self.text}


@dataclass(frozen=True)
class TrendAnalysis:
    """Primary and secondary channels as of ``as_of``, the reversal signals, and how they were found."""

    symbol: str
    as_of: pd.Timestamp
    origin: pd.Timestamp | None
    primary: TrendChannel
    secondary: TrendChannel
    signals: tuple[Signal, ...]
    detection: Detection | None = field(default=None, repr=False)

    def summary(self) -> str:
        lines = [self.primary.summary(), self.secondary.summary()]
        lines += [f"signal {s.name}: {'ACTIVE' if s.active else 'no'} - {s.text}" for s in self.signals]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol, "as_of": self.as_of, "origin": self.origin,
            "primary": self.primary.to_dict(), "secondary": self.secondary.to_dict(),
            "signals": [s.to_dict() for s in self.signals],
            "detection": self.detection.to_dict() if self.detection else None,
        }


def weekly_closes(close: pd.Series) -> pd.Series:
    """The last close of each Friday-ending week, indexed by its real trading date."""
    last_dates = close.index.to_series().resample("W-FRI").last().dropna()
    return close.loc[pd.DatetimeIndex(last_dates.to_numpy())]


def _segments(daily: pd.DatetimeIndex, weekly: pd.Series, x: np.ndarray, seg: Segmentation, offset: int) -> tuple[Segment, ...]:
    out = []
    wd = weekly.index
    for s, t in seg.pieces:
        s, t = s + offset, t + offset
        start = daily[daily.searchsorted(wd[s - 1], side="right")] if s > 0 else daily[0]
        xs, ys = x[s:t], np.log(weekly.to_numpy()[s:t])
        slope, r2 = _line(xs, ys)
        out.append(Segment(start, wd[t - 1], t - s, r2, slope))
    return tuple(out)


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    xc, yc = x - x.mean(), y - y.mean()
    vxx, vyy = float(xc @ xc), float(yc @ yc)
    if vxx == 0 or vyy == 0:
        return 0.0, float("nan")
    b = float(xc @ yc) / vxx
    return b, b * b * vxx / vyy


def detect_segments(close: pd.Series, params: DetectionParams = DetectionParams()) -> Detection:
    """Run the detection rule on ``close`` (already cut at as_of): both segmentations and the primary choice."""
    weekly = weekly_closes(close)
    if len(weekly) > params.max_weeks:  # a very long series: the primary trend ends within 5 years anyway
        close = close[close.index > weekly.index[-params.max_weeks - 1]]
        weekly = weekly.iloc[-params.max_weeks:]
    if len(weekly) < 6:
        raise DataError(str(close.name), f"trend detection needs at least 6 weekly closes up to {close.index[-1].date()}, got {len(weekly)}")
    x = np.asarray((weekly.index - weekly.index[0]).days, dtype="float64") / 365.25
    y = np.log(weekly.to_numpy())
    coarse = segment_lines(x, y, params.primary_min_weeks, params.k, params.max_rho)
    coarse_segments = _segments(close.index, weekly, x, coarse, 0)
    max_age = pd.Timedelta(weeks=params.max_age_weeks)
    qualified = [j for j, s in enumerate(coarse_segments) if s.weeks >= params.primary_min_weeks
                 and s.weekly_r2 >= params.r2_min and close.index[-1] - s.end <= max_age]
    primary_index = qualified[-1] if qualified else len(coarse_segments) - 1
    last_start = coarse.bounds[-2]
    fine = segment_lines(x[last_start:], y[last_start:], params.secondary_min_weeks, params.k, params.max_rho)
    fine_segments = _segments(close.index, weekly, x, fine, last_start)
    return Detection(params, len(weekly), coarse, coarse_segments, fine, fine_segments, primary_index, bool(qualified))


def _inside(fit: ChannelFit, closes: pd.Series) -> int:
    values = closes.to_numpy()
    return int(((values <= fit.top(closes.index)) & (values >= fit.bottom(closes.index))).sum())


def holdout_check(fit: ChannelFit, series: pd.Series, share: float = HOLDOUT_SHARE) -> dict[str, Any]:
    """Refit on the window without its last ``share`` of closes and count how many of those stayed inside.

    A pseudo out-of-sample coverage that exists even when the channel ends at as_of.
    """
    window = series.loc[fit.start: fit.end]
    h = int(len(window) * share)
    if h < 5 or len(window) - h < 10:
        return {"share": share, "fit_end": None, "n": 0, "inside": 0, "inside_share": float("nan")}
    early = fit_channel(series, fit.start, window.index[-h - 1], fit.origin)
    inside = _inside(early, window.iloc[-h:])
    return {"share": share, "fit_end": early.end, "n": h, "inside": inside, "inside_share": inside / h}


def _channel(role: str, source: str, series: pd.Series, start: Any, end: Any, origin: Any, segment: Segment | None) -> TrendChannel:
    fit = fit_channel(series, start, end, origin)
    as_of, as_of_close = series.index[-1], float(series.iloc[-1])
    trail = fit.trail()
    if as_of != fit.end:
        trail += (fit.trail_row("as_of", as_of, fit.obs_number(as_of, series.index), as_of_close),)
    after = series.loc[series.index > fit.end]
    resid = fit.residuals
    rho = lag1_autocorrelation(resid)
    return TrendChannel(
        role, source, fit, as_of, as_of_close, fit.position(as_of, as_of_close), trail, durbin_watson(resid), rho,
        effective_n(fit.n, rho), float(np.mean(np.abs(resid) <= 2 * fit.s)), breusch_pagan(resid, fit.x),
        len(after), _inside(fit, after), holdout_check(fit, series), segment,
    )


def _signals(primary: TrendChannel, secondary: TrendChannel) -> tuple[Signal, ...]:
    def against(t: TrendChannel) -> bool:
        return (t.fit.direction == "increasing" and t.position.position == "below") or (
            t.fit.direction == "decreasing" and t.position.position == "above")

    p, s = primary, secondary
    return (
        Signal("primary_break", against(p),
               f"close {p.as_of_close:,.2f} is {p.position.position} the {p.fit.direction} primary channel "
               f"({p.position.bottom:,.2f} .. {p.position.top:,.2f})"),
        Signal("secondary_opposite", s.fit.direction != p.fit.direction,
               f"secondary trend is {s.fit.direction} ({100 * s.fit.annual_growth:+.1f}% a year), "
               f"primary is {p.fit.direction} ({100 * p.fit.annual_growth:+.1f}% a year)"),
        Signal("secondary_break", against(s),
               f"close is {s.position.position} the {s.fit.direction} secondary channel "
               f"({s.position.bottom:,.2f} .. {s.position.top:,.2f})"),
    )


def detect_trends(
    close: pd.Series,
    as_of: Any = None,
    primary: tuple[Any, Any] | None = None,
    secondary_start: Any = None,
    origin: Any = None,
    params: DetectionParams = DetectionParams(),
) -> TrendAnalysis:
    """Primary and secondary channels as of ``as_of`` (default: the last close); only closes up to it are used.

    ``primary`` = (start, end) fixes the primary window (either may be None: first close / as_of);
    ``secondary_start`` fixes the secondary window [secondary_start, as_of]; whatever is not given is
    detected. ``origin`` (default: each window's first date) sets X = 0 for both channels.
    """
    series = clean_close(close)
    if as_of is not None:
        series = series.loc[: pd.Timestamp(as_of).normalize()]
    if len(series) < 3:
        raise DataError(str(series.name), f"fewer than 3 closes up to {as_of}")
    detection = detect_segments(series, params) if primary is None or secondary_start is None else None
    if primary is None:
        seg = detection.coarse_segments[detection.primary_index]
        prim = _channel("primary", "detected", series, seg.start, seg.end, origin, seg)
    else:
        prim = _channel("primary", "given", series, primary[0], primary[1], origin, None)
    if secondary_start is None:
        seg = detection.fine_segments[-1]
        sec = _channel("secondary", "detected", series, seg.start, None, origin, seg)
    else:
        sec = _channel("secondary", "given", series, secondary_start, None, origin, None)
    org = pd.Timestamp(origin).normalize() if origin is not None else None
    return TrendAnalysis(str(series.name), series.index[-1], org, prim, sec, _signals(prim, sec), detection)
