"""Forecast results -> forecast-log rows (pure). The store writes them (``Store.log_forecasts``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd



def member_weights(weights: pd.DataFrame | None) -> dict[tuple[str, int], dict[str, Any]]:
    """(model, horizon) -> the members' weights and the P(up) source, from ``OriginForecast.weights``."""
    if weights is None or weights.empty:
        return {}
    meta = {"origin", "horizon", "model", "n_realised"}
    return {(r["model"], int(r["horizon"])): {k: v for k, v in r.items() if k not in meta and not (isinstance(v, float) and v != v)}
            for r in weights.to_dict(orient="records")}


def forecast_rows(result: Any, model_version: str, ratings: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One row per (model, horizon) of an :class:`r2k.forecasting.OriginForecast`, with a combining model's
    member weights (and where its P(up) came from) for that horizon."""
    weights = member_weights(getattr(result, "weights", None))
    rated = None if not ratings else json.dumps(dict(ratings), sort_keys=True, default=str)
    rows = [{"symbol": result.symbol.upper(), "origin": pd.Timestamp(f.origin), "horizon": int(f.horizon), "model": f.model,
             "model_version": model_version, "target": pd.Timestamp(f.target), "last_close": float(result.last_close),
             "mean": float(f.dist.mean), "p_up": float(f.dist.p_up), "quantiles": [float(q) for q in f.dist.quantiles],
             "weights": json.dumps(weights[f.model, int(f.horizon)], sort_keys=True, default=str)
             if (f.model, int(f.horizon)) in weights else None, "ratings": rated}
            for f in result.forecasts]
    return pd.DataFrame(rows)


def ratings_of(outlook: Any) -> dict[str, Any] | None:
    """The risk grades an outlook shows, by term ({"short_term": "Baa2", "long_term": ...}), or None when it has none.

    Reads the outlook's ``to_dict()``: its ``risk_grades`` ({"short": {"label": "Baa2", ...}, "long": ...}).
    """
    if outlook is None:
        return None
    d = outlook.to_dict() if hasattr(outlook, "to_dict") else dict(outlook)
    grades = d.get("risk_grades")
    if not isinstance(grades, Mapping):
        return None
    return {f"{term}_term": g.get("label") for term, g in grades.items() if isinstance(g, Mapping)} or None


NEW_YORK = "America/New_York"
SESSION_CLOSE = "16:00"


def live_deadline(origins: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Per origin, the close (16:00 New York) of the NYSE session after it, as naive UTC like ``logged_at``: a forecast
    logged by then was made before the first day it forecasts had closed."""
    from r2k.calendar import add_trading_days

    days = pd.DatetimeIndex(origins).normalize()
    nxt = {d: pd.Timestamp(add_trading_days(d.date(), 1)) for d in days.unique()}
    local = pd.DatetimeIndex([nxt[d] for d in days]) + pd.Timedelta(SESSION_CLOSE + ":00")
    return local.tz_localize(NEW_YORK).tz_convert("UTC").tz_localize(None)


def is_live(log: pd.DataFrame) -> np.ndarray:
    """True for the rows of the live record (logged by the close of the session after their origin); the others
    are retrospective: made from data known at the origin, but after the fact."""
    if log.empty:
        return np.zeros(0, dtype=bool)
    logged = pd.DatetimeIndex(pd.to_datetime(log["logged_at"]))
    return np.asarray(logged <= live_deadline(log["origin"]), dtype=bool)
