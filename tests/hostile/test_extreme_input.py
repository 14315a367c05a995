"""Extreme and nonsensical command-line values: one line and exit 1, before any slow work; stale data is said."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests_support import NOW, macro_series, price_series
from typer.testing import CliRunner

from r2k.analytics.returns import returns_summary
from r2k.cli.app import app
from r2k.errors import DataError
from r2k.providers.csvdir import read_series_csv
from r2k.store import Store

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = tmp_path / "s.duckdb"
    rng = np.random.default_rng(5)
    with Store(path) as s:
        s.write([price_series("RUT", 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 400))), start="2023-01-02"),
                 macro_series("T10Y2Y", np.linspace(-1, 1, 400), start="2023-01-02", freq="B")], "test", NOW)
    return str(path)


@pytest.mark.parametrize("args, text", [
    (["backtest", "--seed", "-1"], "Invalid value for '--seed'"),
    (["forecast", "--seed", "-1"], "Invalid value for '--seed'"),
    (["backtest", "--horizons", "99999999999999999999"], "--horizons: give 1 to 12 horizons between 1 and 520 trading days"),
    (["events", "--horizons", "5,100000"], "--horizons: give 1 to 12 horizons between 1 and 520 trading days"),
    (["factors", "--as-of", "0001-01-01"], "--as-of: 0001-01-01 is outside the years 1800..2200"),
    (["report", "--as-of", "9999-12-31", "--out", "r.md"], "--as-of: 9999-12-31 is outside the years"),
    (["sentiment", "index", "."], ".: not a file"),
    (["sentiment", "index", "x.csv", "--half-life", "nan"], "--half-life must be positive"),
    (["backtest", "--window-length", "100"], "--window-length applies only to --window rolling"),
    (["backtest", "--n-jobs", "0"], "--n-jobs: 0 is not a worker count"),
])
def test_bad_values_are_one_line_errors(store: str, args: list[str], text: str) -> None:
    res = runner.invoke(app, [*args, "--store", store])
    assert res.exit_code == 1 and text in res.stderr and "\n" not in res.stderr.strip(), res.output


def test_unwritable_store_parent(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    res = runner.invoke(app, ["data", "status", "--store", str(tmp_path / "f" / "s.duckdb")])
    assert res.exit_code == 1 and "no store at" in res.stderr
    res = runner.invoke(app, ["data", "import", str(tmp_path), "--store", str(tmp_path / "f" / "s.duckdb")])
    assert res.exit_code == 1 and f"{tmp_path / 'f'} is a file, not a folder" in res.stderr


@pytest.mark.parametrize("text, message", [
    ("date,close\n0001-01-01,1\n", "date '0001-01-01' is outside 1800..2200"),
    ("date,close\n2024-01-02,1\n9999-12-31,2\n", "line 3: date '9999-12-31' is outside"),
    ("date,high,low,close\n2024-01-02,10,9,11\n", "line 2: close 11 is above the high 10"),
    ("date,high,low,close\n2024-01-02,10,9,8\n", "line 2: close 8 is below the low 9"),
    ("date,close\n2024-01-02,1\n2024-01-03,1.7e308\n", r"line 3: close 1.7e\+308 is above 1e\+15, beyond any traded price"),
])
def test_import_refuses_impossible_rows(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "X.csv"
    p.write_text(text)
    with pytest.raises(DataError, match=message):
        read_series_csv(p)


def test_future_as_of_is_clamped_to_the_data_and_said(store: str) -> None:
    res = runner.invoke(app, ["analyze", "--as-of", "2098-12-31", "--store", store, "--json"])
    assert res.exit_code == 0, res.output
    assert '"as_of": "2024-07-12"' in res.stdout and "warning: the as-of date 2098-12-31 is after the last Russell 2000 close in the store (2024-07-12)" in res.stderr


def test_period_returns_do_not_reach_across_a_gap() -> None:
    idx = pd.bdate_range("2008-01-01", "2012-12-31").append(pd.bdate_range("2023-01-02", "2025-06-30"))
    r = returns_summary(pd.Series(np.linspace(100, 200, len(idx)), index=idx), symbol="X")
    assert "1y" in r.periods and "3y" not in r.periods and "5y" not in r.periods
    assert any(n.startswith("gap in the X data: no close between 2012-12-31 and 2023-01-02") for n in r.notes)


def test_stale_factors_are_flagged() -> None:
    from r2k.features.analysis import factors_at

    idx = pd.date_range("2000-01-01", "2023-06-01", freq="MS")  # UNRATE stops a year before the as-of date
    frames = {"UNRATE": pd.DataFrame({"date": idx, "value": np.linspace(4, 5, len(idx))})}
    dash = factors_at(frames, pd.Timestamp("2024-06-28").date())
    assert [r.name for r in dash.stale()] == ["unrate", "unrate_chg12", "sahm_gap"]  # every factor made of UNRATE
    assert dash.to_dict()["stale"] == ["unrate", "unrate_chg12", "sahm_gap"]


def test_a_close_dated_after_the_import_is_refused(tmp_path: Path) -> None:
    """A 2030 close would become every command's last close (the default as-of): the import refuses it."""
    from datetime import date

    from r2k.store.ingest import import_directory

    data = tmp_path / "d"
    data.mkdir()
    (data / "RUT.csv").write_text("date,close\n2024-01-02,1\n2030-01-02,2\n")
    (data / "FEDTARMD.csv").write_text("date,value\n2024-01-01,4.1\n2030-01-01,3.1\n")  # projections may be dated ahead
    with Store(tmp_path / "s.duckdb") as s:
        with pytest.raises(DataError, match=r"RUT\.csv: a close dated 2030-01-02 is after the day of the import \(2026-01-02\)"):
            import_directory(s, data, NOW, not_after=date(2026, 1, 2))
        assert not s.has("RUT")
        import_directory(s, data, NOW)  # a library caller that does not ask for the check (tests, benchmarks)
        assert str(s.last_date("RUT")) == "2030-01-02"
    res = runner.invoke(app, ["data", "import", str(data), "--store", str(tmp_path / "cli.duckdb")])
    assert res.exit_code == 1 and res.stderr.startswith("error: ") and "a close dated 2030-01-02 is after the day of the import" in res.stderr
    (data / "RUT.csv").write_text("date,close\n2024-01-02,1\n")
    assert runner.invoke(app, ["data", "import", str(data), "--store", str(tmp_path / "cli.duckdb")]).exit_code == 0


def test_score_refuses_a_macro_series_as_the_symbol(store: str) -> None:
    res = runner.invoke(app, ["score", "--symbol", "T10Y2Y", "--store", store])
    assert (res.exit_code, res.stderr) == (1, "error: --symbol: T10Y2Y is a macro series; price analytics need a price "
                                              "series (an index, ETF or stock)\n")
