"""The published score -> notch mapping of the risk grade: cut points fixed on origins up to the tuning cutoff.

The mapping is a versioned JSON file shipped in the package (``rating_map.json``), written by
``bench/outlook_track_record.py --calibrate`` (``r2k ratings --calibrate --out FILE`` writes the same map elsewhere,
for comparison) from the outlook model's weekly walk-forward forecasts of origins on or before the cutoff, with the
data cut at the cutoff before anything runs. Calibration reads no realised outcome: only the forecasts' scores
(score.py). Per horizon it keeps the 20 cut points at the notches' stated shares (scale.py) and the score's
percentiles, which say how a score compares with the calibration weeks ("share_worse"). Later data never moves
them; a new calibration gets a new version number.
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
from r2k.outlook.score import frame_scores

MAP_FILE = "rating_map.json"
MAP_VERSION = 3  # the first map of the risk grade (versions 1 and 2 mixed expected return and tail)
SCORE = "es05"  # the score the cut points are for (score.py)
PERCENTILES = np.linspace(0.0, 1.0, 101)


class RatingMapError(R2KError):
    """The rating map is missing, malformed or does not cover a horizon."""


@dataclass(frozen=True)
class HorizonMap:
    horizon: int
    cuts: tuple[float, ...]  # 20 ascending score cut points (from the worst notch up)
    percentiles: tuple[float, ...]  # the calibration scores at 0%, 1%, .. 100%

    def notch(self, score: float | np.ndarray) -> np.ndarray:
        """Notch index (0 = Aaa) for each score: the number of cut points above it."""
        return len(self.cuts) - np.searchsorted(np.asarray(self.cuts), np.asarray(score, dtype=float), side="right")

    def share_worse(self, score: float | np.ndarray) -> np.ndarray:
        """The share of calibration weeks whose score was higher (calmer) than ``score``: "downside risk higher than
        in this share of weeks"."""
        return 1.0 - np.interp(np.asarray(score, dtype=float), np.asarray(self.percentiles), PERCENTILES)

    def to_dict(self) -> dict[str, Any]:
        return {"cuts": list(self.cuts), "percentiles": list(self.percentiles)}


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

    @property
    def years(self) -> str:
        """The calibration weeks' span in years, for people ("1995–2015")."""
        return f"{self.calibration['first_origin'][:4]}–{self.calibration['last_origin'][:4]}"

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "model": self.model, "score": SCORE, "tuning_cutoff": self.tuning_cutoff.isoformat(),
                "calibration": self.calibration, "notches": list(NOTCHES), "frequencies": list(frequencies()),
                "horizons": {str(h): m.to_dict() for h, m in sorted(self.horizons.items())}}


def from_dict(d: dict[str, Any]) -> RatingMap:
    try:
        if d.get("score") != SCORE:
            raise ValueError(f"score {d.get('score')!r}, this r2k grades by {SCORE!r}")
        hz = {int(h): HorizonMap(int(h), tuple(float(x) for x in v["cuts"]), tuple(float(x) for x in v["percentiles"]))
              for h, v in d["horizons"].items()}
        out = RatingMap(int(d["version"]), str(d["model"]), date.fromisoformat(d["tuning_cutoff"]), dict(d["calibration"]), hz)
    except (KeyError, TypeError, ValueError) as exc:
        raise RatingMapError(f"{MAP_FILE}: malformed rating map ({exc})") from None
    for m in hz.values():
        for name, values, n in (("cut points", m.cuts, len(NOTCHES) - 1), ("percentiles", m.percentiles, len(PERCENTILES))):
            if len(values) != n or list(values) != sorted(values) or not np.all(np.isfinite(values)):
                raise RatingMapError(f"{MAP_FILE}: horizon {m.horizon} needs {n} ascending finite {name}")
    return out


def load_map() -> RatingMap:
    """The rating map shipped with the package."""
    try:
        text = resources.files("r2k.outlook").joinpath(MAP_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RatingMapError(f"{MAP_FILE} is missing from the package: run bench/outlook_track_record.py --calibrate") from None
    return from_dict(json.loads(text))


def calibrate(history: pd.DataFrame, cutoff: date, *, model: str, step: int, version: int) -> RatingMap:
    """Cut points and percentiles from the forecasts of origins on or before ``cutoff`` (no outcome is read)."""
    pre = history[history["origin"] <= pd.Timestamp(cutoff)]
    if pre.empty:
        raise RatingMapError(f"no walk-forward origin on or before the tuning cutoff {cutoff}")
    hz = {}
    for h, rows in pre.groupby("horizon"):
        scores = frame_scores(rows)
        if not np.ptp(scores) > 0:
            raise RatingMapError(f"cannot calibrate {int(h)}-day grades: the score never varied over the {len(scores)} "
                                 f"origins up to {cutoff} (too short or too calm a history)")
        hz[int(h)] = HorizonMap(int(h), tuple(float(x) for x in np.quantile(scores, cumulative_shares())),
                                tuple(float(x) for x in np.quantile(scores, PERCENTILES)))
    origins = pd.DatetimeIndex(pre["origin"].unique())
    info = {"first_origin": origins.min().date().isoformat(), "last_origin": origins.max().date().isoformat(),
            "n_origins": int(len(origins)), "step_trading_days": step}
    return RatingMap(version, model, cutoff, info, hz)


CALIBRATION_START = date(1995, 1, 2)  # the ensemble's VIX-based members need about four years of VIX (from 1990)


def calibrate_from_closes(closes: pd.Series, cutoff: date, *, seed: int, version: int, n_jobs: int = 1,
                          features: pd.DataFrame | None = None, cache_dir: Any = None) -> RatingMap:
    """Run the outlook model on the weekly grid from CALIBRATION_START to the cutoff through the engine (the data cut
    at the cutoff before anything runs) and calibrate on its forecasts."""
    from r2k.forecasting import forecast_cache
    from r2k.outlook.source import OUTLOOK_MODEL, HistoryPlan, forecast_history

    plan = HistoryPlan(start=CALIBRATION_START, end=cutoff)
    cut = pd.Timestamp(cutoff)
    history = forecast_history(closes.loc[:cut], plan, features=None if features is None else features.loc[:cut],
                               seed=seed, n_jobs=n_jobs, cache=forecast_cache(cache_dir))
    return calibrate(history, cutoff, model=OUTLOOK_MODEL, step=plan.step, version=version)


def explain(rating_map: RatingMap) -> str:
    """The published mapping in words (``r2k ratings --explain``)."""
    from r2k.outlook.score import __doc__ as score_doc

    c = rating_map.calibration
    return "\n".join([
        f"Rating map version {rating_map.version} for the {rating_map.model} model, fixed on {c['n_origins']:,} weekly "
        f"origins {c['first_origin']}..{c['last_origin']} (on or before the tuning cutoff {rating_map.tuning_cutoff}); no "
        "realised outcome was used and later data never moves it.", "", (score_doc or "").strip().replace("``", ""), "",
        "Each notch has a stated share of the calibration weeks (the middle notches Baa3..Ba2 about 10% each, Aaa and C "
        "under 1%); its cut point is the score's quantile at that share. Aaa is the calmest outlook, C the most dangerous.",
    ])


def cut_rows(rating_map: RatingMap) -> list[tuple[str, float, list[float | None]]]:
    """Per notch, best first: label, stated frequency, and the cut point per horizon (a score at or above it gets the
    notch or better; None for C, which takes everything below Ca)."""
    hs = sorted(rating_map.horizons)
    n = len(NOTCHES)
    return [(label, f, [rating_map.horizons[h].cuts[n - 2 - i] if i < n - 1 else None for h in hs])
            for i, (label, f) in enumerate(zip(NOTCHES, frequencies()))]
