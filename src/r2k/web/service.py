"""What each dashboard page and API answer computes: the same library calls as the CLI command of the same
name, with checked parameters. Every function takes a snapshot (the store as of the request's date, bound to an
open connection) and returns JSON-ready values or the library's result object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from r2k.serialize import to_jsonable
from r2k.snapshot import Snapshot
from r2k.store import Store
from r2k.web.errors import BadRequest

LOG_ROWS = 200


@dataclass(frozen=True)
class DataRange:
    symbol: str
    first: date
    last: date


def data_range(store: Store, symbol: str) -> DataRange:
    """The first and last stored close of ``symbol``; 404 when it is not a stored price series."""
    if not store.has(symbol) or store.kind(symbol) != "price":
        raise BadRequest(f"symbol: {symbol} is not a price series in the store", status=404)
    closes = store.series(symbol).dropna()
    if closes.empty:
        raise BadRequest(f"symbol: {symbol} has no closes in the store", status=404)
    return DataRange(symbol, pd.Timestamp(closes.index[0]).date(), pd.Timestamp(closes.index[-1]).date())


def check_history(snap: Snapshot, r: DataRange, min_history_days: int) -> None:
    """400 when the snapshot's date is before the data or leaves fewer than ``min_history_days`` calendar days of
    data before it (a date after the data was already clamped to its last close by the snapshot)."""
    if snap.day < r.first:
        raise BadRequest(f"as_of: {snap.day} is outside the {r.symbol} data ({r.first} to {r.last})")
    if (snap.day - r.first).days < min_history_days:
        raise BadRequest(f"as_of: {snap.day} leaves too little {r.symbol} history: the data start on {r.first} and this "
                         f"needs {min_history_days} days")


def outlook(snap: Snapshot) -> Any:
    """The outlook object (``r2k.outlook.build_outlook``), kept in the snapshot under "outlook", where the report's
    sections look for it (one outlook per snapshot, whoever asks first)."""
    from r2k.outlook import build_outlook

    return snap.memo("outlook", lambda: build_outlook(snap, track="report", n_jobs=2))


def channels(snap: Snapshot, start: date | None, end: date | None, secondary_start: date | None,
             origin: date | None) -> dict[str, Any]:
    from r2k.analytics.trend_detect import detect_trends

    as_of = snap.day
    if start and end and start >= end:
        raise BadRequest(f"start {start} must be before end {end}")
    if (end and end > as_of) or (secondary_start and secondary_start >= as_of) or (start and start >= as_of):
        raise BadRequest(f"the channel windows must end on or before as_of {as_of}")
    close = snap.series()
    primary = (start, end) if start or end else None
    result = detect_trends(close, as_of=as_of, primary=primary, secondary_start=secondary_start, origin=origin)
    return to_jsonable(result.to_dict())


def analyze(snap: Snapshot, benchmark: str) -> dict[str, Any]:
    from r2k.analytics.market import analyze as run

    return to_jsonable(run(snap.market_inputs(benchmark), snap.day).to_dict())


def events(snap: Snapshot, kind: str, horizons: tuple[int, ...]) -> dict[str, Any]:
    from r2k.analytics.events import run_event_study

    inp = snap.market_inputs()
    result = run_event_study(kind, inp.close, snap.day, list(horizons), inp.symbol, inp.vix, inp.fedfunds, inp.etf_shares,
                             inp.etf_close)
    return to_jsonable(result.to_dict())


def forecast(snap: Snapshot, horizons: tuple[int, ...], models: tuple[str, ...]) -> Any:
    """The OriginForecast, exactly as ``r2k forecast`` makes it."""
    from r2k.forecasting import forecast_from_store

    return forecast_from_store(snap, horizons=list(horizons), models=list(models))


def outlook_forecast(snap: Snapshot, outlook: Any, horizons: tuple[int, ...]) -> Any:
    """The outlook's own distributions of its model at ``horizons`` (the ones its grades rest on) and the baselines
    forecast at the same origin (milliseconds), as one OriginForecast."""
    from r2k.forecasting import OriginForecast, forecast_as_of
    from r2k.names import BASELINES

    fc = outlook.dists.forecast
    base = forecast_as_of(snap.closes().loc[: fc.origin], symbol=snap.symbol, horizons=horizons, models=BASELINES,
                          seed=snap.config.seed)
    shown = [f for f in fc.forecasts if f.model == outlook.model and f.horizon in horizons]
    return OriginForecast(fc.symbol, fc.origin, fc.last_close, (*shown, *base.forecasts), fc.seed, fc.notes, fc.weights)


def closes_between(store: Store, symbol: str, start: date, end: date | None = None, as_of: date | None = None) -> pd.Series:
    return store.series(symbol, start=start, end=end, as_of=as_of).dropna()


def scores(snap: Snapshot, walk_forward: bool = True) -> dict[str, Any]:
    """The status (as ``r2k score --json`` shows it, without writing scores) and the latest logged forecasts."""
    from r2k.monitor.service import live_scored, monitor_status

    status = monitor_status(snap, walk_forward=walk_forward)
    log, scored = live_scored(snap.store, snap.symbol, snap.day)
    rows = []
    if len(log):
        keys = ["symbol", "origin", "horizon", "model", "model_version"]
        merged = log.drop(columns=["y", "crps", "pit", "hit80", "hit90", "direction_hit"]).merge(
            scored.drop(columns=["target", "logged_at"]), on=keys, how="left")
        for r in merged.head(LOG_ROWS).to_dict(orient="records"):
            q = list(r.pop("quantiles"))
            r.update(q10=q[9], q50=q[49], q90=q[89])
            rows.append(r)
    return {"status": to_jsonable(status.to_dict()), "log": to_jsonable(rows), "n_log_shown": len(rows)}


def factors(snap: Snapshot) -> tuple[dict[str, Any], dict[str, Any]]:
    from r2k.features.analysis import cycle_report, factor_dashboard

    return to_jsonable(factor_dashboard(snap).to_dict()), to_jsonable(cycle_report(snap, with_history=False).to_dict())


def report_sections(snap: Snapshot, keys: tuple[str, ...]) -> list[Any]:
    """The report's sections ``keys`` built from the snapshot (what they would publish is dropped: browsing never
    writes the forecast log)."""
    import importlib

    from r2k.report.context import ReportContext

    ctx = ReportContext.of(snap)
    built = (importlib.import_module(f"r2k.report.sections.{k}").build(ctx) for k in keys)
    return [s for s in built if s is not None]
