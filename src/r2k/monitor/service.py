"""Library entry points over the store: publish a forecast to the log, score realised forecasts, and the
drift status. The CLI (``r2k forecast``, ``r2k score``, ``r2k report``, ``r2k update``) and the dashboard
call these and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from r2k.errors import R2KError
from r2k.monitor.log import forecast_rows, is_live, ratings_of
from r2k.monitor.realised import score_backtest_frame, score_log
from r2k.monitor.status import BASELINE, WINDOW_WEEKS, MonitorStatus, RecordCheck, check_record
from r2k.monitor.version import model_version
from r2k.names import MONITOR_HORIZONS, STATUS_MODELS
from r2k.store import Store
from r2k.store.forecast_log import LogWrite
from r2k.store.records import PublishedRecord
from r2k.validation.folds import grid_offset

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot

WALK_FORWARD = {"horizons": MONITOR_HORIZONS, "step": 5, "refit_every": 4, "weeks": WINDOW_WEEKS + 4}
WALK_FORWARD_RECORD = "monitor"  # its name among the store's published records


def publish(store: Store, result: Any, *, source: str, now: datetime, outlook: Any = None,
            version: str | None = None) -> LogWrite:
    """The one writer of shown forecasts: every distribution of an OriginForecast to the log (idempotent), with
    the ratings of the outlook shown beside it, if any, and a combining model's member weights."""
    rows = forecast_rows(result, version or model_version(), ratings_of(outlook))
    return store.log_forecasts(rows, source, now)


@dataclass(frozen=True)
class ScoreRun:
    """What ``r2k score`` did: logged forecasts, those realised, and the score-table write."""

    symbol: str
    n_logged: int
    n_realised: int
    write: LogWrite

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "n_logged": self.n_logged, "n_realised": self.n_realised, **self.write.to_dict()}


def score_forecasts(store: Store, now: datetime, symbol: str = "RUT") -> ScoreRun:
    """Score every logged forecast of ``symbol`` whose target date has a stored close, and store the scores."""
    log = store.forecast_log(symbol)
    if log.empty:
        return ScoreRun(symbol.upper(), 0, 0, LogWrite(0, 0, 0))
    scored = score_log(log, store.series(symbol.upper()))
    return ScoreRun(symbol.upper(), len(log), len(scored), store.write_scores(scored, now))


def primary_model(models: Any) -> str:
    """The model whose record the status judges: the first of names.STATUS_MODELS that was logged."""
    names = set(models)
    return next((m for m in STATUS_MODELS if m in names), "garch")


def live_scored(store: Store, symbol: str, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The log as known at ``as_of`` (origins on or before it) and its forecasts realised by then, scored
    from the closes known at ``as_of`` (not from the score table, which uses the latest data)."""
    log = store.forecast_log(symbol)
    if log.empty:
        return log, log
    log = log[log["origin"] <= pd.Timestamp(as_of)].reset_index(drop=True)
    scores = score_log(log, store.series(symbol.upper(), as_of=as_of))
    keys = ["symbol", "origin", "horizon", "model", "model_version"]
    if scores.empty:  # nothing realised by as_of (an empty frame has no dates to join on)
        return log, log.loc[:, [*keys, "y", "crps", "pit", "hit80", "hit90", "direction_hit", "target", "logged_at"]].iloc[0:0]
    scored = scores.merge(log[[*keys, "target", "logged_at"]], on=keys, how="left")
    return log, scored


def recent_walk_forward(closes: pd.Series, model: str, as_of: date, symbol: str, seed: int,
                        features: pd.DataFrame | None = None, cache_dir: Path | None = None,
                        store: Store | None = None) -> RecordCheck | None:
    """The model and climatology walked forward over the last year before ``as_of`` (weekly origins), judged
    like the live record. None when the model cannot be run by name or the history is too short.
    The origins lie on the fixed trading-day grid (from its last refit-block boundary on or before a year ago), so
    the next day's run has the same past blocks; ``cache_dir`` reuses them (the same numbers). The frame is read
    from ``store`` when `r2k update` published it there for these inputs (:func:`publish_walk_forward`)."""
    frame = walk_forward_frame(closes, model, as_of, symbol, seed, features, cache_dir, store)
    return None if frame is None else check_record(score_backtest_frame(frame[1]), model, as_of, "recent walk-forward")


def walk_forward_frame(closes: pd.Series, model: str, as_of: date, symbol: str, seed: int,
                       features: pd.DataFrame | None = None, cache_dir: Path | None = None,
                       store: Store | None = None) -> tuple[str, pd.DataFrame] | None:
    """The key and the forecast frame of :func:`recent_walk_forward`: from the store, the frame cache or the engine."""
    from r2k.forecasting import forecast_cache, run_backtest
    from r2k.models.registry import make_model, make_models
    from r2k.store.cache import forecasts_frame_key
    from r2k.store.records import read_through

    closes = closes.loc[: pd.Timestamp(as_of)]
    block = WALK_FORWARD["step"] * WALK_FORWARD["refit_every"]
    # the grid day itself (not a day before it): a combining model's warm-up then also moves one block at a time
    lower = max(0, closes.index.searchsorted(pd.Timestamp(as_of) - pd.Timedelta(weeks=WALK_FORWARD["weeks"])) - block + 1)
    lower += grid_offset(closes.index, lower, block) if len(closes) else 0
    start = closes.index[min(lower, len(closes) - 1)].date() if len(closes) else as_of
    plan = {"horizons": WALK_FORWARD["horizons"], "start": start, "end": as_of, "step": WALK_FORWARD["step"],
            "refit_every": WALK_FORWARD["refit_every"], "anchored": True}
    try:
        models = make_models([BASELINE, *make_model(model).capabilities.stacks, model])
    except (R2KError, KeyError, ValueError):
        return None
    key = forecasts_frame_key("monitor-walk-forward", models, plan, seed, closes, features)

    def compute() -> dict[str, pd.DataFrame] | None:
        try:
            return {"frame": run_backtest(closes, symbol=symbol, models=[BASELINE, model], seed=seed, features=features,
                                          cache=forecast_cache(cache_dir), **plan).frame}
        except R2KError:
            return None

    if store is None:
        parts = compute()
    else:
        parts = read_through(store, cache_dir, symbol, WALK_FORWARD_RECORD, key, ("frame",), compute)
    return None if parts is None else (key, parts["frame"])


def publish_walk_forward(snap: Snapshot, now: datetime, source: str) -> PublishedRecord | None:
    """Compute the recent walk-forward of the model the status judges (through the caches) and keep it in the store,
    for the report's and the dashboard's status to read back. None (nothing written) when it cannot be run."""
    log, _ = live_scored(snap.store, snap.symbol, snap.day)
    name = primary_model(log["model"] if len(log) else ())
    closes = snap.series().dropna()
    made = walk_forward_frame(closes, name, snap.day, snap.symbol, snap.config.seed, snap.model_inputs([name]),
                              snap.config.cache_dir, snap.store)
    if made is None:
        return None
    snap.store.write_record(snap.symbol, WALK_FORWARD_RECORD, made[0], snap.day, {"frame": made[1]}, source, now)
    return snap.store.published_record(snap.symbol, WALK_FORWARD_RECORD)


def monitor_status(snap: Snapshot, model: str | None = None, walk_forward: bool = True) -> MonitorStatus:
    """The status as of the snapshot's date: live record, recent walk-forward record (its block forecasts kept
    under the settings' cache directory)."""
    symbol, day, cfg = snap.symbol, snap.day, snap.config
    closes = snap.series().dropna()
    if closes.empty:
        raise R2KError(f"series {symbol} has no closes on or before {day}")
    log, scored = live_scored(snap.store, symbol, day)
    name = model or primary_model(log["model"] if len(log) else ())
    live_rows = is_live(scored)
    live = check_record(scored[live_rows], name, day, "live")
    retro = scored[~live_rows]
    retrospective = check_record(retro, name, day, "retrospective") if len(retro) else None
    wf = None
    if walk_forward:
        wf = recent_walk_forward(closes, name, day, symbol, cfg.seed, snap.model_inputs([name]), cfg.cache_dir, snap.store)
    versions = log.loc[log["model"] == name, "model_version"] if len(log) else pd.Series(dtype=str)
    return MonitorStatus(symbol, day, name, str(versions.iloc[0]) if len(versions) else model_version(), live, wf,
                         len(log), len(scored), int((~is_live(log)).sum()), retrospective)
