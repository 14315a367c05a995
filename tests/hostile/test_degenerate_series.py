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


def _near_max_closes(n: int = 600) -> np.ndarray:
    """Closes near the largest double (1.7e308, at most 1.79e308): any 'close × 1.1' overflows."""
    rng = np.random.default_rng(1)
    walk = np.clip(0.2 * np.cumsum(rng.normal(0, 0.01, n)), -0.05, 0.05)
    return 1.7e308 * np.exp(np.clip(walk - walk[-1], -0.05, 0.05))


def test_round_levels_near_the_largest_double_are_finite() -> None:
    from r2k.analytics.levels import round_levels

    for close in (1.7e308, 1.79e308, 2480.0):
        levels = round_levels(close)
        assert levels and all(np.isfinite(lv.value) and np.isfinite(lv.distance) for lv in levels)
        assert all(abs(lv.value / close - 1) <= 0.1 for lv in levels)
    assert [lv.value for lv in round_levels(2480.0)][:3] == [2300.0, 2400.0, 2500.0]


@pytest.mark.parametrize("args", [["analyze"], ["analyze", "--json"], ["channels"], ["report", "--out", "OUT"]])
def test_closes_near_the_largest_double_do_not_crash(tmp_path: Path, args: list[str]) -> None:
    """The import refuses such closes now (tests/hostile/test_extreme_input.py); a store written before holds them."""
    from r2k.providers.base import SeriesData
    from r2k.schemas import BARS_COLUMNS

    closes = _near_max_closes()
    frame = pd.DataFrame({c: np.nan for c in BARS_COLUMNS}, index=range(len(closes)))
    frame["date"], frame["close"] = pd.bdate_range("2022-01-03", periods=len(closes)).astype("datetime64[us]"), closes
    path = tmp_path / "huge.duckdb"
    with Store(path) as s:
        s.write([SeriesData("RUT", "price", frame, "test")], "test", NOW)
    res = runner.invoke(app, [*[str(tmp_path / "r.md") if a == "OUT" else a for a in args], "--store", str(path)])
    assert res.exit_code == 0, (res.output, repr(res.exception))
    assert "Traceback" not in res.output
