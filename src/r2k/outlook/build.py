"""One entry point for the CLI, the report and the web app: the outlook of an index as of a date.

Reads the store once (as known at the as-of date), then composes pure parts: the outlook model's distributions
(source.py), the risk grades (ratings.py), the return view (return_view.py), the technical signals, the scenarios,
the financial outlook, key points, and the grades' weekly record from the engine's walk-forward forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from r2k.analytics.drawdown import drawdowns
from r2k.analytics.levels import levels
from r2k.analytics.returns import returns_summary, risk_free_daily
from r2k.analytics.trend_detect import detect_trends
from r2k.analytics.volatility import log_returns, realized_vol, regime_label
from r2k.errors import R2KError
from r2k.features.inputs import SECTOR_SERIES
from r2k.forecasting import forecast_cache
from r2k.outlook.financial import VALUATION_NOTE, FinancialRow, financial_rows
from r2k.outlook.keypoints import KeyPoint, key_points
from r2k.outlook.rating_map import RatingMap, load_map
from r2k.outlook.record import load_record, report_plan
from r2k.outlook.ratings import RiskGrade, TableRow, category_rows, grade, rating_table
from r2k.outlook.return_view import ReturnView, return_view
from r2k.outlook.scenarios import Scenario, scenarios
from r2k.outlook.source import (BASELINES, GRADED, HORIZONS, LONG, MODEL_SHORT, OUTLOOK_MODEL, SHORT, TERMS, HistoryPlan,
                                OriginDistributions, needs_features, origin_distributions, record_distributions)
from r2k.outlook.technical import TechSignal, technical_signals
from r2k.outlook.track_record import TrackRecord, independent_outcomes, track_record
from r2k.validation.scoring import Scores, score_backtest

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot

PERIODS = ("1w", "1m", "ytd", "1y")
LONG_CAVEAT = ("The 52-week view is indicative: {n} independent 52-week outcomes since the tuning cutoff, not yet "
               "testable. Its P(up) comes from volatility models centred on the index's historical mean return: it "
               "mostly restates that the index rose in most past years, not a view on the coming one.")


@dataclass(frozen=True)
class Outlook:
    """The outlook as of one date (every number from data known then): risk grades and the return view."""

    symbol: str
    benchmark: str
    as_of: date
    origin: date
    model: str
    grades: dict[int, RiskGrade]
    returns: dict[int, ReturnView]
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
    dists: OriginDistributions | None = field(default=None, repr=False)  # the model's distributions the grades rest on

    @property
    def short(self) -> RiskGrade:
        return self.grades[SHORT]

    @property
    def long(self) -> RiskGrade:
        return self.grades[LONG]

    def to_dict(self) -> dict[str, Any]:
        out = {"symbol": self.symbol, "benchmark": self.benchmark, "as_of": self.as_of, "origin": self.origin,
               "model": self.model, "rating_map_version": self.rating_map.version,
               "risk_grades": {TERMS[h]: g.to_dict() for h, g in self.grades.items()},
               "return_view": {TERMS[h]: r.to_dict() for h, r in self.returns.items()}, "facts": self.facts,
               "signals": [s.to_dict() for s in self.signals], "scenarios": [s.to_dict() for s in self.scenarios],
               "key_points": [k.to_dict() for k in self.key_points], "financial": [r.to_dict() for r in self.financial],
               "valuation": VALUATION_NOTE, "rating_table": [r.to_dict() for r in self.table], "caveats": self.caveats,
               "scores": None if self.scores is None else self.scores.to_dict(),
               "weights": None if self.weights is None else self.weights.to_dict(orient="records")}
        if self.track is not None:
            out["track"] = self.track.to_dict()
        return out


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


def _forecasts(snap: Snapshot, close: pd.Series, plan: HistoryPlan | None, feats: pd.DataFrame | None,
               n_jobs: int) -> tuple[OriginDistributions, pd.DataFrame | None]:
    """The record first, then the live distributions: the record's last origin when its plan ends on the as-of date
    (the same numbers), else a live forecast, whose member blocks the record has put in the forecast cache."""
    cfg, symbol = snap.config, snap.symbol
    record = None if plan is None else load_record(snap.store, close, plan, feats, cfg, n_jobs, symbol)
    dists = None if record is None else record_distributions(record, close, seed=cfg.seed, symbol=symbol)
    if dists is None:
        dists = origin_distributions(close, snap.day, features=feats, seed=cfg.seed, symbol=symbol,
                                     cache=forecast_cache(cfg.cache_dir))
    return dists, None if record is None else record.frame


def build_outlook(snap: Snapshot, track: HistoryPlan | None | str = "report", n_jobs: int = 1,
                  rating_map: RatingMap | None = None) -> Outlook:
    """The outlook of the snapshot's symbol as of its date.

    ``track``: "report" (every weekly origin after the tuning cutoff), a :class:`HistoryPlan`, or None (no record:
    the return view's verdict is then "not assessed"). The input frame and the factor dashboard come from the
    snapshot (built once, shared with other parts).
    """
    store, as_of, symbol, cfg, benchmark = snap.store, snap.day, snap.symbol, snap.config, snap.benchmark
    _series = snap.series_if_any
    close = snap.closes()
    rmap = rating_map or load_map()
    feats = snap.inputs() if needs_features() else None
    plan = report_plan(cfg.tuning_cutoff, as_of) if track == "report" else track
    plan = plan if isinstance(plan, HistoryPlan) else None
    dists, frame = _forecasts(snap, close, plan, feats, n_jobs)
    fedfunds = _series("FEDFUNDS")
    rf = risk_free_daily(fedfunds, pd.DatetimeIndex(close.index))
    rf_now = float(rf.iloc[-1]) if len(rf) else float("nan")
    rec = scores = None
    if plan is not None and frame is not None:
        rec = track_record(frame, close, rmap, cfg.tuning_cutoff, plan.to_dict(), GRADED, _series("VIX"), cfg.seed)
        try:
            scores = score_backtest(frame, step=plan.step)
        except (R2KError, ValueError):
            scores = None
    grades = {h: grade(dists.dists[h], h, rmap) for h in GRADED}
    views = {h: return_view(dists.dists[h], dists.base[h], rf_now * h, h, None if rec is None else rec.direction.get(h))
             for h in GRADED}
    trends = detect_trends(close)
    signals = technical_signals(close, trends)
    lv = levels(close, None, symbol, with_channels=False)
    scen = scenarios(close, dists.dists[SHORT], dists.targets[SHORT], trends, lv, signals,
                     _series("VIX"), _series("BAMLH0A0HYM2"))
    facts = _facts(close, _series(benchmark), fedfunds, trends, dists, _cycle(snap))
    sectors = {s: x for s in SECTOR_SERIES if (x := _series(s)) is not None}
    fin = financial_rows(_dashboard(snap), close, sectors)
    points = key_points(symbol, grades[SHORT], views[SHORT], facts, scen, fin)
    n_long = rec.horizons[LONG].n_independent if rec is not None else independent_outcomes(close.index, cfg.tuning_cutoff, LONG)
    caveats = {"long": LONG_CAVEAT.format(n=n_long),
               "model": f"Grades rest on the {MODEL_SHORT.get(OUTLOOK_MODEL, OUTLOOK_MODEL)} model; the baselines "
                        f"{' and '.join(MODEL_SHORT.get(b, b) for b in BASELINES)} are scored on the same folds."}
    return Outlook(symbol, benchmark, as_of, dists.origin.date(), OUTLOOK_MODEL, grades, views, facts, signals, scen, points,
                   fin, rating_table(grades[SHORT], grades[LONG], category_rows(store, as_of)), rmap, rec, scores, caveats,
                   dists.weights, dists)
