"""gbm through the real commands on ../shared/data: the input frame is loaded only when a model needs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from r2k.cli.app import app

runner = CliRunner()
pytestmark = pytest.mark.shared_data


def test_forecast_and_backtest_with_gbm(shared_store: Path) -> None:
    out = runner.invoke(app, ["forecast", "--models", "climatology,gbm", "--as-of", "2020-03-20", "--horizons", "5,20",
                              "--store", str(shared_store), "--json"])
    assert out.exit_code == 0, out.output
    fc = {(f["model"], f["horizon"]): f for f in json.loads(out.output)["forecasts"]}
    # in the March 2020 crash the boosted scale is far wider than the historical distribution
    width = {m: fc[(m, 20)]["quantiles"]["q90"] - fc[(m, 20)]["quantiles"]["q10"] for m in ("climatology", "gbm")}
    assert width["gbm"] > 2 * width["climatology"]
    out = runner.invoke(app, ["backtest", "--models", "gbm", "--start", "2019-01-02", "--end", "2019-12-31", "--step", "20",
                              "--horizons", "5", "--store", str(shared_store), "--json"])
    assert out.exit_code == 0, out.output
    table = json.loads(out.output)["scores"]["table"]
    assert {r["model"] for r in table} == {"climatology", "gbm"}


def test_importance_command_on_a_short_plan(shared_store: Path) -> None:
    out = runner.invoke(app, ["importance", "--start", "2024-01-02", "--step", "60", "--horizons", "5", "--as-of", "2024-12-31",
                              "--store", str(shared_store), "--json"])
    assert out.exit_code == 0, out.output
    res = json.loads(out.output)
    assert res["as_of"] == "2024-12-31" and {r["feature"] for r in res["table"]} >= {"log_vix", "rv_22", "z:*"}
    assert set(res["contributions"]["scale"]["5"]) >= {"log_vix", "(bias)"}
