"""One entry point for the CLI, the report and the web app: the rated outlook of an index as of a date.

Reads the store once (as known at the as-of date), then composes pure parts: the outlook model's
distributions (source.py), ratings (ratings.py), the technical signals, the scenarios, the financial
outlook, key points, and the ratings' track record from the engine's walk-forward forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from r2k.analytics.drawdown import drawdowns
from r2k.analytics.levels import levels
from r2k.analytics.returns import returns_summary, risk_free_daily
from r2k.analytics.trend_detect import detect_trends
from r2k.analytics.volatility import log_returns, realized_vol, regime_label
from r2k.config import Settings
from r2k.errors import R2KError
from r2k.features.inputs import SECTOR_SERIES
from r2k.forecasting import forecast_cache
from r2k.models.registry import make_models
from r2k.outlook.financial import VALUATION_NOTE, FinancialRow, financial_rows
from r2k.outlook.keypoints import KeyPoint, key_points
from r2k.outlook.rating_map import RatingMap, load_map
from r2k.outlook.ratings import Rating, TableRow, category_rows, rate, rating_table
from r2k.outlook.scenarios import Scenario, scenarios
from r2k.outlook.source import (BASELINES, HORIZONS, LONG, MODEL_SHORT, OUTLOOK_MODEL, SHORT, HistoryPlan, OriginDistributions,
                                forecast_history, model_names, needs_features, origin_distributions)
from r2k.outlook.technical import TechSignal, technical_signals
from r2k.outlook.track_record import TrackRecord, track_record
from r2k.store.cache import FrameCache, forecasts_frame_key
from r2k.validation.scoring import Scores, score_backtest

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot

# The report's track record: origins every 40 trading days (about 2 months) after the tuning cutoff, refit
# every 2 origins (about 65 origins by 2026, a few seconds), cached on disk keyed like the block cache plus the data
# known at the as-of date (store/cache.py); bench/outlook_track_record.py runs the full weekly one quoted in the docs.
REPORT_STEP, REPORT_REFIT = 40, 2
PERIODS = ("1w", "1m", "ytd", "1y")
LONG_CAVEAT = ("P(up) at 52 weeks comes from volatility models centred on the index's historical mean return (or a "
               "line in the drawdown depth): it mostly restates that the index rose in most past years, not a view "
               "on the coming one.")


def report_plan(cutoff: date, as_of: date) -> HistoryPlan | None:
    start = cutoff + timedelta(days=1)
    return HistoryPlan(start=start, end=as_of, step=REPORT_STEP, refit_every=REPORT_REFIT) if as_of > start else None


@dataclass(frozen=True)
class Outlook:
    """The rated outlook as of one date (every number from data known then)."""

    symbol: str
    benchmark: str
    as_of: date
    origin: date
    model: str
    ratings: dict[int, Rating]
    facts: dict[str, Any]  # the key numbers
    signals: tuple[TechSignal, ...]
    scenarios: tuple[Scenario, ...]
    key_points: tuple[KeyPoint, ...]
    financial: tuple[FinancialRow, ...]
    table: tuple[TableRow, ...]
    rating_map: RatingMap = field(repr=False)
    track: TrackRecord | None = field(default=None, repr=False)
    scores: Scores | None = field(default=None, repr=False)
    caveats: dict[str, str] = field(default_factory=dict)
    weights: pd.DataFrame | None = field(default=None, repr=False)  # the ensemble's member weights at the origin
    dists: OriginDistributions | None = field(default=None, repr=False)  # the model's distributions the ratings rest on

    @property
    def short(self) -> Rating:
        return self.ratings[SHORT]

    @property
    def long(self) -> Rating:
        return self.ratings[LONG]

    def summary(self) -> str:
        lines = [f"{self.symbol} outlook as of {self.as_of} (close {self.facts['close']:,.2f} on {self.origin}; "
                 f"model {MODEL_SHORT.get(self.model, self.model)}, rating map v{self.rating_map.version}): short-term {self.short.label}, "
                 f"long-term {self.long.label}"]
        lines += [f"  {r.label} ({r.term}, {r.weeks} weeks): {r.rests_on()}" for r in self.ratings.values()]
        lines.append(f"  note: {self.caveats['p_up_long']}")
        lines.append("Key points:")
        lines += [f"  - {k.text}" for k in self.key_points]
        lines.append("Scenarios over 4 weeks (likelihood, impact if it happens, technical share, basis):")
        lines += [f"  {s.name:<58} {100 * s.likelihood:5.1f}%  {100 * s.impact:+6.1f}%  {100 * s.technical_share:4.0f}%  {s.basis}"
                  for s in self.scenarios]
        if self.track is not None:
            lines += ["Track record (out of sample):"] + [f"  {r.verdict}" for r in self.track.horizons.values()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "benchmark": self.benchmark, "as_of": self.as_of, "origin": self.origin,
                "model": self.model, "rating_map_version": self.rating_map.version,
                "ratings": {str(h): r.to_dict() for h, r in self.ratings.items()}, "facts": self.facts,
                "signals": [s.to_dict() for s in self.signals], "scenarios": [s.to_dict() for s in self.scenarios],
                "key_points": [k.to_dict() for k in self.key_points], "financial": [r.to_dict() for r in self.financial],
                "valuation": VALUATION_NOTE, "rating_table": [r.to_dict() for r in self.table], "caveats": self.caveats,
                "track_record": None if self.track is None else self.track.to_dict(),
                "scores": None if self.scores is None else self.scores.to_dict(),
                "weights": None if self.weights is None else self.weights.to_dict(orient="records")}


def _range(dists: OriginDistributions, h: int) -> dict[str, float]:
    return {"q05": dists.price(h, 0.05), "q95": dists.price(h, 0.95), "median": dists.price(h, 0.50),
            "p_up": dists.dists[h].p_up, "target": dists.targets[h]}


def _facts(close: pd.Series, bench: pd.Series | None, fedfunds: pd.Series | None, trends, dists: OriginDistributions,
           cycle: dict | None) -> dict[str, Any]:  # noqa: ANN001 - TrendAnalysis
    end = close.index[-1]
    ret = returns_summary(close, end.date(), fedfunds).periods
    bret = returns_summary(bench, end.date(), None).periods if bench is not None and len(bench) > 260 else {}
    dd = drawdowns(close, end.date())
    rv = realized_vol(log_returns(close), 20).dropna()
    pct = float((rv <= rv.iloc[-1]).mean())
    p = trends.primary
    since = len(close) - 1 - int(np.argmax(close.to_numpy()))
    return {
        "close": float(close.iloc[-1]), "date": end.date(),
        "returns": {k: {"index": ret[k].value if k in ret else float("nan"),
                        "benchmark": bret[k].value if k in bret else float("nan")} for k in PERIODS},
        "drawdown": {"current": dd.current, "record_close": dd.peak_close, "record_date": dd.peak_date, "days_since_record": since},
        "channel": {"position": p.position.position, "annual_growth": p.fit.annual_growth, "z": p.position.z,
                    "to_top_pct": p.position.to_top_pct, "to_bottom_pct": p.position.to_bottom_pct,
                    "top": p.position.top, "bottom": p.position.bottom},
        "volatility": {"realized_20d": float(rv.iloc[-1]), "percentile": pct, "regime": regime_label(pct)},
        "cycle": cycle,
        "range": {str(h): _range(dists, h) for h in HORIZONS},
    }


def _cycle(snap: Snapshot) -> dict | None:
    from r2k.features.analysis import cycle_report

    try:
        cur = cycle_report(snap, with_history=False).current
    except R2KError:
        return None
    return {"phase": cur.phase, "date": cur.date, "recession_score": cur.recession_score}


def _dashboard(snap: Snapshot):  # noqa: ANN202 - FactorDashboard | None
    from r2k.features.analysis import factor_dashboard

    try:
        return factor_dashboard(snap)
    except (R2KError, KeyError):
        return None


def _forecasts(close: pd.Series, as_of: date, plan: HistoryPlan | None, feats: pd.DataFrame | None, cfg: Settings,
               n_jobs: int, symbol: str) -> tuple[OriginDistributions, pd.DataFrame | None]:
    """The live distributions and the track record's walk-forward frame. With ``n_jobs`` > 1 and no cached frame,
    the two run at the same time in two processes (each is one long serial loop; the numbers do not depend on
    where they run: every random draw is seeded by model and origin)."""
    live = partial(origin_distributions, close, as_of, features=feats, seed=cfg.seed, symbol=symbol,
                   cache=forecast_cache(cfg.cache_dir))
    if plan is None:
        return live(), None
    if (frame := _cached_history(close, plan, feats, cfg)) is not None or n_jobs == 1:
        return live(), frame if frame is not None else _history_frame(close, plan, feats, cfg, n_jobs, symbol)
    dists, frame = Parallel(n_jobs=2)([delayed(live)(), delayed(_history_frame)(close, plan, feats, cfg, 1, symbol)])
    return dists, frame


def _history_key(close: pd.Series, plan: HistoryPlan, feats: pd.DataFrame | None, cfg: Settings) -> str:
    models = make_models([*BASELINES, *model_names()])  # every model of the run, members included (their parameters)
    return forecasts_frame_key("outlook-history", models, plan.to_dict(), cfg.seed, load_map().version, close, feats)


def _cached_history(close: pd.Series, plan: HistoryPlan, feats: pd.DataFrame | None, cfg: Settings) -> pd.DataFrame | None:
    return None if cfg.cache_dir is None else FrameCache(cfg.cache_dir).get(_history_key(close, plan, feats, cfg))


def _history_frame(close: pd.Series, plan: HistoryPlan, feats: pd.DataFrame | None, cfg: Settings, n_jobs: int,
                   symbol: str) -> pd.DataFrame | None:
    """The walk-forward frame of the outlook model and the baselines, from the cache when the inputs are unchanged."""
    cache = FrameCache(cfg.cache_dir) if cfg.cache_dir is not None else None
    key = _history_key(close, plan, feats, cfg) if cache else ""
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    try:  # a new day: the blocks before it come from the block cache, only the new ones are forecast
        frame = forecast_history(close, plan, features=feats, seed=cfg.seed, n_jobs=n_jobs, symbol=symbol, baselines=True,
                                 cache=forecast_cache(cfg.cache_dir))
    except R2KError:
        return None
    if cache is not None:
        cache.put(key, frame)
    return frame


def build_outlook(snap: Snapshot, track: HistoryPlan | None | str = "report", n_jobs: int = 1,
                  rating_map: RatingMap | None = None) -> Outlook:
    """The outlook of the snapshot's symbol as of its date.

    ``track``: "report" (the coarse post-cutoff plan), a :class:`HistoryPlan`, or None (no track record).
    The input frame and the factor dashboard come from the snapshot (built once, shared with other parts).
    """
    store, as_of, symbol, cfg, benchmark = snap.store, snap.day, snap.symbol, snap.config, snap.benchmark
    _series = snap.series_if_any
    close = snap.closes()
    rmap = rating_map or load_map()
    feats = snap.inputs() if needs_features() else None
    plan = report_plan(cfg.tuning_cutoff, as_of) if track == "report" else track
    dists, frame = _forecasts(close, as_of, plan if isinstance(plan, HistoryPlan) else None, feats, cfg, n_jobs, symbol)
    fedfunds = _series("FEDFUNDS")
    rf = risk_free_daily(fedfunds, pd.DatetimeIndex(close.index))
    rf_now = float(rf.iloc[-1]) if len(rf) else float("nan")
    ratings = {h: rate(dists.dists[h], rf_now * h, h, rmap) for h in HORIZONS}
    trends = detect_trends(close)
    signals = technical_signals(close, trends)
    lv = levels(close, None, symbol, with_channels=False)
    scen = scenarios(close, dists.dists[SHORT], dists.targets[SHORT], trends, lv, signals,
                     _series("VIX"), _series("BAMLH0A0HYM2"))
    facts = _facts(close, _series(benchmark), fedfunds, trends, dists, _cycle(snap))
    sectors = {s: x for s in SECTOR_SERIES if (x := _series(s)) is not None}
    fin = financial_rows(_dashboard(snap), close, sectors)
    points = key_points(symbol, ratings[SHORT], ratings[LONG], facts, scen, fin)
    rec = scores = None
    if isinstance(plan, HistoryPlan):
        if frame is not None:
            rec = track_record(frame[frame["model"] == OUTLOOK_MODEL], close, rf, rmap, cfg.tuning_cutoff, plan.to_dict(), HORIZONS)
            try:
                scores = score_backtest(frame, step=plan.step)
            except (R2KError, ValueError):
                scores = None
    caveats = {"p_up_long": LONG_CAVEAT,
               "model": f"Ratings rest on the {MODEL_SHORT.get(OUTLOOK_MODEL, OUTLOOK_MODEL)} model; the baselines "
                        f"{' and '.join(MODEL_SHORT.get(b, b) for b in BASELINES)} are scored on the same folds."}
    return Outlook(symbol, benchmark, as_of, dists.origin.date(), OUTLOOK_MODEL, ratings, facts, signals, scen, points, fin,
                   rating_table(ratings[SHORT], ratings[LONG], category_rows(store, as_of)), rmap, rec, scores, caveats,
                   dists.weights, dists)
