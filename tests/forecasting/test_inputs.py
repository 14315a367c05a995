"""The daily input frame the models see: alignment, bounded carry-forward, FRED fallbacks, no look-ahead."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from r2k.errors import DataError
from r2k.features.inputs import assemble_inputs, carry_forward, load_inputs, require
from r2k.providers.base import SeriesData
from r2k.store import Store


def test_carry_forward_stops_after_the_limit() -> None:
    idx = pd.DatetimeIndex(pd.bdate_range("2020-01-01", periods=12))
    s = pd.Series([1.0, 2.0, 3.0], index=[idx[0], idx[2], idx[3]])
    out = carry_forward(s, idx, limit=2)
    assert out.tolist()[:6] == [1.0, 1.0, 2.0, 3.0, 3.0, 3.0]
    assert out.iloc[6:].isna().all()  # the series stopped: missing, not frozen
    holiday = pd.Series([7.0], index=[pd.Timestamp("2020-01-04")])  # a Saturday value counts from Monday
    assert carry_forward(holiday, idx, limit=1).dropna().index.tolist() == [idx[3], idx[4]]


def test_assemble_keeps_index_dates_and_prefixes_macro() -> None:
    idx = pd.DatetimeIndex(pd.bdate_range("2021-03-01", periods=5))
    closes = pd.Series(np.arange(5.0) + 10, index=idx)
    macro = pd.DataFrame({"claims": [1.0, 1.0, 2.0, 2.0, 2.0]}, index=idx)
    f = assemble_inputs(closes, {"VIX": pd.Series([20.0, 21.0], index=idx[:2])}, macro, macro * 10)
    assert list(f.columns) == ["close", "VIX", "m:claims", "z:claims"] and f.index.equals(idx)
    assert f["z:claims"].iloc[-1] == 20.0 and f["VIX"].iloc[-1] == 21.0


def test_require_names_the_missing_series() -> None:
    idx = pd.DatetimeIndex(pd.bdate_range("2021-03-01", periods=5))
    f = pd.DataFrame({"close": 1.0, "VIX": [20.0, 21.0, np.nan, np.nan, np.nan]}, index=idx)
    with pytest.raises(DataError, match="the VIX series ends on 2021-03-02, before the forecast origin 2021-03-05"):
        require(f, "VIX", "implied_vol", idx[-1])
    with pytest.raises(DataError, match="needs the RVX series, which is not in the store"):
        require(f, "RVX", "implied_vol", idx[-1])


def _bars(sid: str, idx: pd.DatetimeIndex, close: np.ndarray) -> SeriesData:
    frame = pd.DataFrame({"date": idx.astype("datetime64[us]"), "open": close, "high": close, "low": close, "close": close,
                          "adj_close": np.nan, "volume": np.nan})
    return SeriesData(sid, "price", frame, "test")


def test_load_inputs_uses_vixcls_when_vix_is_absent_and_respects_as_of(tmp_path) -> None:  # noqa: ANN001
    idx = pd.DatetimeIndex(pd.bdate_range("2022-01-03", periods=40))
    vixcls = pd.DataFrame({"date": idx.astype("datetime64[us]"), "value": np.linspace(15, 30, 40)})
    with Store(tmp_path / "s.duckdb") as store:
        store.write([_bars("RUT", idx, np.linspace(2000, 2100, 40)), SeriesData("VIXCLS", "macro", vixcls, "test")], "test", datetime(2026, 1, 1))
        f = load_inputs(store, "RUT", as_of=idx[19].date(), macro=False)
    assert f.index[-1] == idx[19] and f["VIX"].iloc[-1] == pytest.approx(vixcls["value"].iloc[19])


def test_a_stored_input_that_starts_later_is_named_with_its_start(tmp_path) -> None:  # noqa: ANN001
    """VIX is stored but starts after the origin: say when it starts, not that it is missing from the store."""
    from typer.testing import CliRunner

    from r2k.cli.app import app

    idx = pd.DatetimeIndex(pd.bdate_range("2018-01-01", periods=700))
    rng = np.random.default_rng(4)
    rut = 1500 * np.exp(np.cumsum(rng.normal(0, 0.01, 700)))
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([_bars("RUT", idx, rut), _bars("VIX", idx[600:], np.full(100, 20.0))], "test", datetime(2026, 1, 1))
    res = CliRunner().invoke(app, ["forecast", "--models", "implied_vol", "--as-of", str(idx[550].date()), "--no-log",
                                   "--store", str(path)])
    assert (res.exit_code, res.stderr) == (1, f"error: implied_vol: the VIX series starts on {idx[600].date()}, after the "
                                              f"origin {idx[550].date()}\n")
    other = tmp_path / "novix.duckdb"
    with Store(other) as store:
        store.write([_bars("RUT", idx, rut)], "test", datetime(2026, 1, 1))
    res = CliRunner().invoke(app, ["forecast", "--models", "implied_vol", "--no-log", "--store", str(other)])
    assert (res.exit_code, res.stderr) == (1, "error: implied_vol: needs the VIX series, which is not in the store\n")
