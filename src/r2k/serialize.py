"""Turn result objects into plain JSON-ready values (dates as ISO strings, NaN as null)."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def to_jsonable(obj: Any) -> Any:
    """Recursively convert ``obj`` to JSON-ready Python values."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, bool):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(obj, np.bool_):
        return bool(obj)
    if obj is pd.NaT:  # before the datetime checks: NaT is a datetime instance whose isoformat() is "NaT"
        return None
    if isinstance(obj, np.datetime64):
        return to_jsonable(pd.Timestamp(obj))
    if isinstance(obj, pd.Timestamp):
        return None if pd.isna(obj) else (obj.date().isoformat() if obj == obj.normalize() else obj.isoformat())
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Enum):
        return to_jsonable(obj.value)
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "to_dict") and not isinstance(obj, (pd.DataFrame, pd.Series)):
        return to_jsonable(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {to_jsonable(k) if not isinstance(k, str) else k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset, np.ndarray)):
        return [to_jsonable(v) for v in obj]
    raise TypeError(f"cannot serialise {type(obj).__name__} to JSON")


def dumps(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(to_jsonable(obj), indent=indent, allow_nan=False)


def envelope(payload: Any, as_of: date | None = None, key: str = "items", note: str | None = None) -> dict[str, Any]:
    """The one output contract of the CLI's ``--json`` and the API: ``{"as_of", "version", "note"?, **payload}``.

    A mapping payload is merged flat (a payload object's ``to_dict()`` first); a list payload goes under ``key``.
    ``as_of`` defaults to the payload's own ``as_of``; ``note`` (e.g. why the as-of date was clamped) is added when
    given. Fractions, not percents, inside (0.0123 = 1.23%).
    """
    from r2k import __version__

    if hasattr(payload, "to_dict") and not isinstance(payload, (pd.DataFrame, pd.Series)):
        payload = payload.to_dict()
    body = dict(payload) if isinstance(payload, dict) or hasattr(payload, "keys") else {key: list(payload)}
    if "version" in body:  # it would silently replace r2k's version: name the payload's own version otherwise
        raise ValueError("a JSON payload may not have its own 'version' key")
    day = as_of if as_of is not None else body.pop("as_of", None)
    body.pop("as_of", None)
    head = {"as_of": day, "version": __version__} | ({"note": note} if note else {})
    return head | body
