"""Degenerate series: flat or constant prices, macro series given as prices, unknown benchmarks -> n/a values
or one-line usage errors, never a traceback or a silent NaN."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests_support import NOW, macro_series, price_series
from typer.testing import CliRunner

from r2k.analytics.returns import returns_summary
from r2k.cli.app import app
from r2k.forecasting import run_backtest
from r2k.store import Store
from r2k.validation.compare import model_confidence_set

runner = CliRunner()


def test_a_flat_year_gives_an_na_sharpe() -> None:
    flat = pd.Series(np.r_[np.linspace(100, 120, 300), np.full(300, 120.0)], index=pd.bdate_range("2015-01-01", periods=600))
    one_year = returns_summary(flat).risk["1y"]
    assert one_year.annual_vol == 0.0 and np.isnan(one_year.sharpe)


def test_constant_series_backtest_skips_the_mcs() -> None:
    idx = pd.bdate_range("2010-01-01", periods=1400)
    result = run_backtest(pd.Series(100.0, index=idx), horizons=[5], start=idx[1200].date(),
                          models=["climatology", "random_walk"])
    mcs = result.scores.mcs[5]
    assert mcs.included == ("climatology", "random_walk") and "do not differ" in mcs.note
    assert "does not move" in result.scores.verdict.text()


def test_mcs_skips_identical_losses() -> None:
    losses = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.5, 2.5, 3.5], "c": [0.0, 5.0, 1.0]})
    r = model_confidence_set(losses)
    assert r.note == "the losses of a and b do not differ" and r.pvalues == {"a": 1.0, "b": 1.0, "c": 1.0}


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = tmp_path / "s.duckdb"
    rng = np.random.default_rng(2)
    with Store(path) as s:
        s.write([price_series("RUT", 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 400)))),
                 macro_series("T10Y2Y", np.linspace(-1, 1, 60))], "test", NOW)
    return str(path)


@pytest.mark.parametrize("args, text", [
    (["analyze", "--symbol", "T10Y2Y"], "--symbol: T10Y2Y is a macro series"),
    (["events", "--symbol", "t10y2y"], "--symbol: T10Y2Y is a macro series"),
    (["analyze", "--benchmark", "NOPE"], "--benchmark: series NOPE is not in the store"),
    (["cycle", "--symbol", "NOPE"], "--symbol: series NOPE is not in the store"),
    (["report", "--benchmark", "NOPE", "--out", "x.md"], "--benchmark: series NOPE is not in the store"),
    (["report", "--symbol", "T10Y2Y", "--out", "x.md"], "--symbol: T10Y2Y is a macro series"),
])
def test_wrong_series_for_price_analytics(store: str, args: list[str], text: str) -> None:
    res = runner.invoke(app, [*args, "--store", store])
    assert res.exit_code == 1 and res.stderr.strip() == f"error: {text}" + res.stderr.strip().split(text, 1)[1]
    assert "\n" not in res.stderr.strip()
