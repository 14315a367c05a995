"""r2k evaluate: a saved backtest frame scores to exactly the numbers of the run that wrote it; a broken file is one
line naming the file, the line and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from fc_support import gbm
from typer.testing import CliRunner

from r2k.backtest_file import read_backtest_frame, write_backtest_frame
from r2k.cli.app import app
from r2k.errors import DataError
from r2k.forecasting import BacktestResult, run_backtest, score_saved_backtest
from r2k.validation.scoring import origin_step

runner = CliRunner()


@pytest.fixture(scope="module")
def result() -> BacktestResult:
    c = gbm(1300)
    return run_backtest(c, models=["random_walk"], horizons=(5, 20), start=c.index[800].date(), step=5, refit_every=4, seed=2)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_saved_frame_scores_to_the_runs_numbers(result: BacktestResult, tmp_path: Path, suffix: str) -> None:
    path = write_backtest_frame(result.frame, tmp_path / f"bt{suffix}")
    saved = score_saved_backtest(path)
    assert saved.step == 5 == origin_step(result.frame["origin"])
    pd.testing.assert_frame_equal(saved.scores.table, result.scores.table, rtol=1e-12, check_dtype=False)
    assert saved.scores.verdict.text() == result.scores.verdict.text()
    assert {h: m.included for h, m in saved.scores.mcs.items()} == {h: m.included for h, m in result.scores.mcs.items()}


def test_cli_evaluate_json_and_text(result: BacktestResult, tmp_path: Path) -> None:
    path = write_backtest_frame(result.frame, tmp_path / "bt.csv")
    r = runner.invoke(app, ["evaluate", str(path), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["step"] == 5 and doc["verdict"] == result.scores.verdict.text() and doc["models"] == ["climatology", "random_walk"]
    row = next(x for x in doc["scores"]["table"] if x["model"] == "random_walk" and x["horizon"] == 20)
    expected = result.scores.table.set_index(["model", "horizon"]).loc[("random_walk", 20)]
    assert row["skill_low"] == pytest.approx(expected["skill_low"], rel=1e-12) and row["dm_p"] == pytest.approx(expected["dm_p"])
    assert doc["scores"]["method"]["20"]["lags"] == 13 and doc["scores"]["method"]["20"]["block"] == 26
    text = runner.invoke(app, ["evaluate", str(path)]).output
    assert "Verdict:" in text and "random walk" in text and "95% interval" in text


def _broken(tmp_path: Path, frame: pd.DataFrame, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_broken_files_name_the_line_and_the_problem(result: BacktestResult, tmp_path: Path) -> None:
    f = result.frame.reset_index(drop=True)
    cases = {
        "missing column(s) q50": f.drop(columns=["q50"]),
        "line 4: origin is not a date: 'soon'": f.assign(origin=f["origin"].astype(str).where(f.index != 2, "soon")),
        "line 3: quantiles q01..q99 decrease": f.assign(q40=f["q40"].where(f.index != 1, 9.0)),
        "appears twice": pd.concat([f, f.iloc[[0]]]),
        "line 2: horizon is not a positive whole number: 0": f.assign(horizon=f["horizon"].where(f.index != 0, 0)),
    }
    for problem, frame in cases.items():
        with pytest.raises(DataError, match=problem.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
            read_backtest_frame(_broken(tmp_path, frame))
    r = runner.invoke(app, ["evaluate", str(_broken(tmp_path, cases["appears twice"]))])
    assert r.exit_code == 1 and len(r.output.strip().splitlines()) == 1 and "bad.csv" in r.output
    r = runner.invoke(app, ["evaluate", str(tmp_path / "none.csv")])
    assert r.exit_code == 1 and "no such file" in r.output
    with pytest.raises(DataError, match="baseline garch is not among its models"):
        score_saved_backtest(write_backtest_frame(f, tmp_path / "ok.csv"), baseline="garch")
