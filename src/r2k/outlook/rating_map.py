"""The published score -> notch mapping: cut points fixed on origins before the tuning cutoff.

The mapping is a versioned JSON file shipped in the package (``rating_map.json``), written once by
``r2k ratings --calibrate`` (or bench/outlook_track_record.py --calibrate) from the walk-forward forecasts of
origins on or before the cutoff. Calibration reads no realised outcome at all: only the forecasts' scores.
Later data never moves the cut points; a new calibration gets a new version number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from r2k.errors import R2KError
from r2k.outlook.scale import NOTCHES, cumulative_shares, frequencies
from r2k.outlook.score import COMPONENTS, combine, components, frame_quantiles

MAP_FILE = "rating_map.json"


class RatingMapError(R2KError):
    """The rating map is missing, malformed or does not cover a horizon."""


@dataclass(frozen=True)
class HorizonMap:
    horizon: int
    standard: dict[str, dict[str, float]]  # component -> {"mean", "sd"} on pre-cutoff origins
    cuts: tuple[float, ...]  # 20 ascending score cut points (from the worst notch up)

    def score(self, parts: pd.DataFrame) -> np.ndarray:
        return combine(parts, self.standard)

    def notch(self, score: float | np.ndarray) -> np.ndarray:
        """Notch index (0 = Aaa) for each score: the number of cut points at or above it."""
        return len(self.cuts) - np.searchsorted(np.asarray(self.cuts), np.asarray(score, dtype=float), side="right")

    def to_dict(self) -> dict[str, Any]:
        return {"standard": self.standard, "cuts": list(self.cuts)}


@dataclass(frozen=True)
class RatingMap:
    version: int
    model: str
    tuning_cutoff: date
    calibration: dict[str, Any]  # origins used: first, last, count, step
    horizons: dict[int, HorizonMap]

    def for_horizon(self, h: int) -> HorizonMap:
        if h not in self.horizons:
            raise RatingMapError(f"the rating map (version {self.version}) has no cut points for {h} trading days")
        return self.horizons[h]

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "model": self.model, "tuning_cutoff": self.tuning_cutoff.isoformat(),
                "calibration": self.calibration, "notches": list(NOTCHES), "frequencies": list(frequencies()),
                "horizons": {str(h): m.to_dict() for h, m in sorted(self.horizons.items())}}


def from_dict(d: dict[str, Any]) -> RatingMap:
    try:
        hz = {int(h): HorizonMap(int(h), {c: {"mean": float(v["standard"][c]["mean"]), "sd": float(v["standard"][c]["sd"])} for c in COMPONENTS},
                                 tuple(float(x) for x in v["cuts"])) for h, v in d["horizons"].items()}
        out = RatingMap(int(d["version"]), str(d["model"]), date.fromisoformat(d["tuning_cutoff"]), dict(d["calibration"]), hz)
    except (KeyError, TypeError, ValueError) as exc:
        raise RatingMapError(f"{MAP_FILE}: malformed rating map ({exc!r})") from None
    for m in hz.values():
        if len(m.cuts) != len(NOTCHES) - 1 or list(m.cuts) != sorted(m.cuts) or not np.all(np.isfinite(m.cuts)):
            raise RatingMapError(f"{MAP_FILE}: horizon {m.horizon} needs {len(NOTCHES) - 1} ascending cut points")
    return out


def load_map() -> RatingMap:
    """The rating map shipped with the package."""
    try:
        text = resources.files("r2k.outlook").joinpath(MAP_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RatingMapError(f"{MAP_FILE} is missing from the package: run `r2k ratings --calibrate`") from None
    return from_dict(json.loads(text))


def rf_over(rf_daily: pd.Series, origins: pd.Series, h: int) -> np.ndarray:
    """The risk-free simple return over h trading days at each origin (the daily rate known then, times h)."""
    return rf_daily.reindex(pd.DatetimeIndex(origins)).to_numpy(dtype=float) * h


def calibrate(history: pd.DataFrame, rf_daily: pd.Series, cutoff: date, *, model: str, step: int,
              version: int = 1) -> RatingMap:
    """Cut points and standardisation from the forecasts of origins on or before ``cutoff`` (no outcomes used)."""
    pre = history[history["origin"] <= pd.Timestamp(cutoff)]
    if pre.empty:
        raise RatingMapError(f"no walk-forward origin on or before the tuning cutoff {cutoff}")
    shares = cumulative_shares()
    hz = {}
    for h, rows in pre.groupby("horizon"):
        parts = components(frame_quantiles(rows), rf_over(rf_daily, rows["origin"], int(h)))
        standard = {c: {"mean": float(parts[c].mean()), "sd": float(parts[c].std(ddof=1))} for c in COMPONENTS}
        flat = [c for c in COMPONENTS if not np.isfinite(standard[c]["sd"]) or standard[c]["sd"] <= 0]
        if flat:
            raise RatingMapError(f"cannot calibrate {int(h)}-day ratings: {', '.join(flat)} never varied over the "
                                 f"{len(parts)} origins up to {cutoff} (too short or too calm a history)")
        scores = combine(parts, standard)
        hz[int(h)] = HorizonMap(int(h), standard, tuple(float(x) for x in np.quantile(scores, shares)))
    origins = pd.DatetimeIndex(pre["origin"].unique())
    info = {"first_origin": origins.min().date().isoformat(), "last_origin": origins.max().date().isoformat(),
            "n_origins": int(len(origins)), "step_trading_days": step}
    return RatingMap(version, model, cutoff, info, hz)


CALIBRATION_START = date(1990, 1, 1)
CALIBRATION_STEP, CALIBRATION_REFIT = 5, 4


def calibrate_from_closes(closes: pd.Series, fedfunds: pd.Series | None, cutoff: date, *, seed: int, n_jobs: int = 1,
                          features: pd.DataFrame | None = None, version: int = 1) -> RatingMap:
    """Run the outlook model weekly from 1990 to the cutoff through the engine and calibrate on its forecasts."""
    from r2k.analytics.returns import risk_free_daily
    from r2k.outlook.source import OUTLOOK_MODEL, HistoryPlan, forecast_history

    plan = HistoryPlan(start=CALIBRATION_START, end=cutoff, step=CALIBRATION_STEP, refit_every=CALIBRATION_REFIT)
    past = closes.loc[: pd.Timestamp(cutoff)]  # nothing after the cutoff is read at all
    history = forecast_history(past, plan, features=None if features is None else features.loc[: pd.Timestamp(cutoff)],
                               seed=seed, n_jobs=n_jobs)
    rf = risk_free_daily(fedfunds, pd.DatetimeIndex(past.index))
    return calibrate(history, rf, cutoff, model=OUTLOOK_MODEL, step=CALIBRATION_STEP, version=version)


def explain(rating_map: RatingMap) -> str:
    """The published mapping in words and numbers (``r2k ratings --explain``, docs/outlook.md)."""
    from r2k.outlook.score import __doc__ as score_doc

    c = rating_map.calibration
    lines = [f"Rating map version {rating_map.version} for the {rating_map.model} model, fixed on {c['n_origins']:,} weekly "
             f"origins {c['first_origin']}..{c['last_origin']} (on or before the tuning cutoff {rating_map.tuning_cutoff}); "
             "no realised outcome was used and later data never moves it.", "", (score_doc or "").strip(), "",
             "Notch frequencies (share of calibration origins per notch, best first) and score cut points (a score at or "
             "above the cut gets the notch or better):"]
    freqs = frequencies()
    hs = sorted(rating_map.horizons)
    lines.append("notch   freq   " + "  ".join(f"cut h={h:<4}" for h in hs))
    for i, (label, f) in enumerate(zip(NOTCHES, freqs)):
        cuts = [rating_map.horizons[h].cuts[len(NOTCHES) - 2 - i] if i < len(NOTCHES) - 1 else float("-inf") for h in hs]
        lines.append(f"{label:<6} {100 * f:5.1f}%  " + "  ".join(f"{x:>+10.3f}" for x in cuts))
    lines.append("")
    lines.append("Standardisation (pre-cutoff mean and standard deviation of each component):")
    for h in hs:
        s = rating_map.horizons[h].standard
        lines.append(f"  h={h}: " + "; ".join(f"{k} {v['mean']:+.4f} ± {v['sd']:.4f}" for k, v in s.items()))
    return "\n".join(lines)
