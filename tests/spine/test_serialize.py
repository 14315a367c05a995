"""JSON conversion: dates as ISO text, every kind of missing value as null, never the string "NaT"."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd

from r2k.serialize import dumps, to_jsonable


def test_missing_values_become_null() -> None:
    assert to_jsonable([pd.NaT, np.datetime64("NaT"), float("nan"), np.float64("inf"), None]) == [None] * 5
    frame = pd.DataFrame({"d": [pd.Timestamp("2024-01-02"), pd.NaT], "x": [1.5, np.nan]})
    assert json.loads(dumps(frame)) == [{"d": "2024-01-02", "x": 1.5}, {"d": None, "x": None}]


def test_dates_and_numpy_scalars() -> None:
    assert to_jsonable(np.datetime64("2024-01-02")) == "2024-01-02"
    assert to_jsonable(pd.Timestamp("2024-01-02 10:30")) == "2024-01-02T10:30:00"
    assert to_jsonable({date(2024, 1, 2): np.int64(3), "b": np.bool_(True)}) == {"2024-01-02": 3, "b": True}
    series = pd.Series([1.0, np.nan], index=pd.DatetimeIndex(["2024-01-02", "2024-01-03"]))
    assert to_jsonable(series) == {"2024-01-02": 1.0, "2024-01-03": None}
