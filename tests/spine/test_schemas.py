"""Validation of canonical frames: every bad input gets a DataError naming the source, row and problem."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from r2k.errors import DataError
from r2k.schemas import detect_kind, validate


def _frame(**cols: list) -> pd.DataFrame:
    return pd.DataFrame({k: [str(v) for v in vals] for k, vals in cols.items()})


def test_detect_kind_price_and_macro() -> None:
    assert detect_kind(["date", "close"], "f") == "price"
    assert detect_kind(["Date", "Open", "High", "Low", "Close", "Volume"], "f") == "price"
    assert detect_kind(["date", "value"], "f") == "macro"


@pytest.mark.parametrize(
    "cols, message",
    [
        (["close"], "no 'date' column"),
        (["date", "price"], "unknown column layout"),
        (["date"], "unknown column layout"),
        (["date", "volume"], "needs a 'close'"),
        (["date", "value", "close"], "unknown column layout"),
    ],
)
def test_detect_kind_rejects_layouts(cols: list[str], message: str) -> None:
    with pytest.raises(DataError, match=message) as err:
        detect_kind(cols, "prices.csv")
    assert "prices.csv, line 1" in str(err.value)


def test_validate_sorts_and_keeps_missing_as_nan() -> None:
    frame = _frame(date=["2024-01-03", "2024-01-02"], close=["11", "10"], volume=["", "5"])
    out = validate(frame, "price", "f.csv", lines=pd.Series([2, 3]))
    assert list(out["date"].dt.strftime("%Y-%m-%d")) == ["2024-01-02", "2024-01-03"]
    assert out["close"].tolist() == [10.0, 11.0]
    assert np.isnan(out["volume"].iloc[1]) and out["volume"].iloc[0] == 5
    assert list(out.columns) == ["date", "open", "high", "low", "close", "adj_close", "volume"]
    assert str(out["date"].dtype) == "datetime64[us]"


def test_identical_duplicate_rows_collapse() -> None:
    frame = _frame(date=["2024-01-02", "2024-01-02"], value=["1.5", "1.5"])
    assert len(validate(frame, "macro", "f.csv")) == 1


@pytest.mark.parametrize(
    "frame, where, problem",
    [
        (_frame(date=["2024-01-02", "2024-13-01"], close=["1", "2"]), "line 3", "unparseable date '2024-13-01'"),
        (_frame(date=["2024-01-02", "2024-01-03"], close=["1", "abc"]), "line 3", "non-numeric value 'abc'"),
        (_frame(date=["2024-01-02", "2024-01-02"], close=["1", "2"]), "line 3", "duplicate date 2024-01-02"),
        (_frame(date=["2024-01-02", "2024-01-03"], close=["1", "-2"]), "line 3", "non-positive close -2"),
        (_frame(date=["2024-01-02"], close=["0"]), "line 2", "non-positive close 0"),
        (_frame(date=["2024-01-02"], high=["1"], low=["2"], close=["1.5"]), "line 2", "high 1 is below low 2"),
        (_frame(date=["2024-01-02"], close=["1"], volume=["-3"]), "line 2", "negative volume"),
    ],
)
def test_bad_rows_name_line_and_problem(frame: pd.DataFrame, where: str, problem: str) -> None:
    with pytest.raises(DataError) as err:
        validate(frame, "price", "RUT.csv", lines=pd.Series(range(2, len(frame) + 2)))
    assert str(err.value).startswith(f"RUT.csv, {where}: ")
    assert problem in str(err.value)


def test_empty_and_all_missing_frames_are_rejected() -> None:
    with pytest.raises(DataError, match="no data rows"):
        validate(_frame(date=[], value=[]), "macro", "x.csv")
    with pytest.raises(DataError, match="every row is empty"):
        validate(_frame(date=["2024-01-02"], value=[""]), "macro", "x.csv")


def test_negative_macro_values_are_fine() -> None:
    out = validate(_frame(date=["2024-01-02"], value=["-0.5"]), "macro", "T10Y2Y.csv")
    assert out["value"].iloc[0] == -0.5


def test_errors_without_lines_name_the_date() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-02"]), "close": [-1.0]})
    with pytest.raises(DataError, match=r"yahoo:\^RUT, date 2024-01-02"):
        validate(frame, "price", "yahoo:^RUT")


def test_non_finite_numbers_and_missing_dates_from_frames_are_rejected() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-02", "2024-01-03"]), "close": [1.0, np.inf]})
    with pytest.raises(DataError, match=r"yahoo:\^RUT, date 2024-01-03 00:00:00: column 'close' has non-numeric value inf"):
        validate(frame, "price", "yahoo:^RUT")
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-02", None]), "close": [1.0, 2.0]})
    with pytest.raises(DataError, match="unparseable date NaT"):
        validate(frame, "price", "yahoo:^RUT")
