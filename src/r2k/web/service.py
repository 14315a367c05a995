"""What each dashboard page and API answer computes: the same library calls as the CLI command of the same
name, with checked parameters. Every function takes an open store and returns JSON-ready values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from r2k.config import Settings
from r2k.serialize import to_jsonable
from r2k.store import Store
from r2k.web.params import BadRequest

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


def resolve_as_of(store: Store, symbol: str, as_of: date | None, min_history_days: int = 0) -> date:
    """The as-of date to use (default: the last stored close); 400 when it lies outside the data."""
    r = data_range(store, symbol)
    if as_of is None:
        return r.last
    if as_of > r.last or as_of < r.first:
        raise BadRequest(f"as_of: {as_of} is outside the {symbol} data ({r.first} to {r.last})")
    if (as_of - r.first).days < min_history_days:
        raise BadRequest(f"as_of: {as_of} leaves too little {symbol} history: the data start on {r.first} and this "
                         f"needs {min_history_days} days")
    return as_of


def outlook(store: Store, settings: Settings, symbol: str, as_of: date) -> Any:
    """The outlook object (``r2k.outlook.build_outlook``)."""
    from r2k.outlook import build_outlook

    return build_outlook(store, as_of=as_of, symbol=symbol, settings=settings)


def channels(store: Store, symbol: str, as_of: date, start: date | None, end: date | None,
             secondary_start: date | None, origin: date | None) -> dict[str, Any]:
    from r2k.analytics.trend_detect import detect_trends

    if start and end and start >= end:
        raise BadRequest(f"start {start} must be before end {end}")
    if (end and end > as_of) or (secondary_start and secondary_start >= as_of) or (start and start >= as_of):
        raise BadRequest(f"the channel windows must end on or before as_of {as_of}")
    close = store.series(symbol, as_of=as_of)
    primary = (start, end) if start or end else None
    result = detect_trends(close, as_of=as_of, primary=primary, secondary_start=secondary_start, origin=origin)
    return to_jsonable(result.to_dict())


def analyze(store: Store, symbol: str, benchmark: str, as_of: date) -> tuple[dict[str, Any], str]:
    from r2k.analytics.market import analyze as run
    from r2k.cli.analyze import load_inputs

    result = run(load_inputs(store, symbol, benchmark, as_of), as_of)
    return to_jsonable(result.to_dict()), result.summary()


def events(store: Store, kind: str, horizons: tuple[int, ...], symbol: str, as_of: date) -> tuple[dict[str, Any], str]:
    from r2k.analytics.events import run_event_study
    from r2k.cli.analyze import load_inputs

    inp = load_inputs(store, symbol, "GSPC", as_of)
    result = run_event_study(kind, inp.close, as_of, list(horizons), inp.symbol, inp.vix, inp.fedfunds, inp.etf_shares, inp.etf_close)
    return to_jsonable(result.to_dict()), result.summary()


def forecast(store: Store, symbol: str, horizons: tuple[int, ...], models: tuple[str, ...], as_of: date, seed: int,
             cache_dir: Path | None = None) -> Any:
    """The OriginForecast, exactly as ``r2k forecast`` makes it."""
    from r2k.forecasting import forecast_from_store

    return forecast_from_store(store, symbol=symbol, as_of=as_of, horizons=list(horizons), models=list(models), seed=seed,
                               cache_dir=cache_dir)


def closes_between(store: Store, symbol: str, start: date, end: date | None = None, as_of: date | None = None) -> pd.Series:
    return store.series(symbol, start=start, end=end, as_of=as_of).dropna()


def scores(store: Store, symbol: str, as_of: date, seed: int, walk_forward: bool = True,
           cache_dir: Path | None = None) -> dict[str, Any]:
    """The status (as ``r2k score --json`` shows it, without writing scores) and the latest logged forecasts."""
    from r2k.monitor.service import live_scored, monitor_status

    status = monitor_status(store, as_of, symbol, seed=seed, walk_forward=walk_forward, cache_dir=cache_dir)
    log, scored = live_scored(store, symbol, as_of)
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


def factors(store: Store, as_of: date) -> tuple[dict[str, Any], dict[str, Any]]:
    from r2k.features.analysis import cycle_report, factor_dashboard

    return to_jsonable(factor_dashboard(store, as_of).to_dict()), to_jsonable(cycle_report(store, as_of, with_history=False).to_dict())


SOURCE_WORDS = {"csv": "CSV files", "yahoo": "Yahoo Finance", "fred": "FRED", "alfred": "FRED (with vintages)"}


def coverage(store: Store, as_of: date) -> list[dict[str, Any]]:
    """Each stored series as known at ``as_of``: first and last date, rows, days behind, where it came from."""
    out = []
    for info in store.status():
        dates = store.read(info.id, as_of=as_of)["date"]
        last = pd.Timestamp(dates.iloc[-1]).date() if len(dates) else None
        out.append({"id": info.id, "kind": info.kind, "first": pd.Timestamp(dates.iloc[0]).date() if len(dates) else None,
                    "last": last, "rows": len(dates), "days_behind": None if last is None else (as_of - last).days,
                    "source": SOURCE_WORDS.get(info.source.split(":", 1)[0].lower(), info.source.split(":", 1)[0])})
    return to_jsonable(out)
