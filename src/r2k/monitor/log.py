"""Forecast results -> forecast-log rows (pure). The store writes them (``Store.log_forecasts``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

RATING_KEYS = ("short_term", "long_term")


def forecast_rows(result: Any, model_version: str, ratings: Mapping[str, Any] | None = None,
                  weights: Mapping[str, Mapping[str, float]] | None = None) -> pd.DataFrame:
    """One row per (model, horizon) of an :class:`r2k.forecasting.OriginForecast`.

    ``weights`` maps a combining model's name to its members' weights; when not given, a ``weights``
    attribute of the result (same shape) is used if the forecasting library provides one.
    """
    weights = weights if weights is not None else getattr(result, "weights", None) or {}
    rated = None if not ratings else json.dumps(dict(ratings), sort_keys=True, default=str)
    rows = [{"symbol": result.symbol.upper(), "origin": pd.Timestamp(f.origin), "horizon": int(f.horizon), "model": f.model,
             "model_version": model_version, "target": pd.Timestamp(f.target), "last_close": float(result.last_close),
             "mean": float(f.dist.mean), "p_up": float(f.dist.p_up), "quantiles": [float(q) for q in f.dist.quantiles],
             "weights": json.dumps(dict(weights[f.model]), sort_keys=True) if f.model in weights else None, "ratings": rated}
            for f in result.forecasts]
    return pd.DataFrame(rows)


def ratings_of(outlook: Any) -> dict[str, Any] | None:
    """The short- and long-term ratings of an outlook (its ``to_dict()``), or None when it has none.

    Accepts ``{"short_term": {"rating": ...}}`` or ``{"short_term": "..."}``, and ``*_rating`` keys.
    """
    if outlook is None:
        return None
    d = outlook.to_dict() if hasattr(outlook, "to_dict") else dict(outlook)
    out: dict[str, Any] = {}
    for key, value in d.items():
        if key in RATING_KEYS:
            out[key] = value.get("rating", value.get("label")) if isinstance(value, Mapping) else value
        elif key.endswith("rating") and not isinstance(value, (Mapping, list)):
            out[key] = value
    return out or None
