"""The real commands on ../shared/data, the library entry points and the report section."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.config import load_settings
from r2k.forecasting import forecast_as_of, run_backtest
from r2k.models import QUANTILE_COLUMNS
from r2k.store import Store

runner = CliRunner()
pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def rut(shared_store: Path) -> pd.Series:
    with Store(shared_store, read_only=True) as s:
        return s.series("RUT")


def test_backtest_scores_every_model_against_climatology(rut: pd.Series) -> None:
    r = run_backtest(rut, models=["random_walk", "garch"], horizons=(5, 20), start=date(2019, 1, 1), step=21, refit_every=6, seed=1)
    t = r.scores.table
    assert r.models == ("climatology", "random_walk", "garch")
    assert set(t["model"]) == {"climatology", "random_walk", "garch"} and set(t["horizon"]) == {5, 20}
    assert (t.loc[t["model"] == "climatology", "crps_skill"] == 0).all()
    assert t["n"].nunique() <= 2 and (t["n"] > 80).all()  # the same folds for every model
    assert ((t["cov80"] > 0.5) & (t["cov80"] < 1)).all() and (t["crps"] > 0).all()
    assert t.loc[t["model"] == "random_walk", "auc"].eq(0.5).all()  # P(up) = 0.5 always carries no ranking
    assert "climatology" in r.scores.verdict.text()
    f = r.frame
    assert f["y"].isna().sum() > 0 and (f[list(QUANTILE_COLUMNS)].diff(axis=1).iloc[:, 1:] >= 0).all().all()


def test_forecast_as_of_uses_only_closes_up_to_the_date(rut: pd.Series) -> None:
    a = forecast_as_of(rut, as_of=date(2020, 3, 20), horizons=(5, 65), models=["climatology", "random_walk"], seed=2)
    b = forecast_as_of(rut.loc[:"2020-03-20"], horizons=(5, 65), models=["climatology", "random_walk"], seed=2)
    assert a.origin == pd.Timestamp("2020-03-20") and a.to_dict() == b.to_dict()
    rw = next(f for f in a.forecasts if f.model == "random_walk" and f.horizon == 65)
    assert rw.dist.p_up == pytest.approx(0.5) and rw.target == pd.Timestamp("2020-06-23")


def test_cli_backtest_json_and_out(shared_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "bt.parquet"
    res = runner.invoke(app, ["backtest", "--store", str(shared_store), "--models", "random_walk", "--horizons", "5,10",
                              "--start", "2022-01-03", "--step", "21", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["models"] == ["climatology", "random_walk"] and doc["plan"]["horizons"] == [5, 10]
    assert {r["model"] for r in doc["scores"]["table"]} == {"climatology", "random_walk"}
    frame = pd.read_parquet(out)
    assert list(frame.columns[:7]) == ["origin", "target", "horizon", "model", "y", "mean", "p_up"] and len(frame) == doc["n_forecasts"]
    text = runner.invoke(app, ["backtest", "--store", str(shared_store), "--models", "random_walk", "--horizons", "5",
                               "--start", "2024-01-02", "--step", "21"])
    assert text.exit_code == 0 and "Verdict" in text.output and "climatology" in text.output


def test_cli_forecast_json_and_errors(shared_store: Path) -> None:
    res = runner.invoke(app, ["forecast", "--store", str(shared_store), "--as-of", "2025-06-30", "--horizons", "5,260",
                              "--models", "climatology,garch", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["origin"] == "2025-06-30" and len(doc["forecasts"]) == 4
    g = next(f for f in doc["forecasts"] if f["model"] == "garch" and f["horizon"] == 5)
    assert g["quantiles"]["q05"] < g["quantiles"]["q50"] < g["quantiles"]["q95"] and 0 < g["p_up"] < 1
    again = json.loads(runner.invoke(app, ["forecast", "--store", str(shared_store), "--as-of", "2025-06-30", "--horizons", "5,260",
                                           "--models", "climatology,garch", "--json"]).output)
    assert again == doc  # seeded
    bad = runner.invoke(app, ["forecast", "--store", str(shared_store), "--models", "oracle"])
    assert bad.exit_code == 1 and "unknown model 'oracle'" in bad.output
    bad_out = runner.invoke(app, ["backtest", "--store", str(shared_store), "--out", "x.txt"])
    assert bad_out.exit_code == 1 and ".csv or .parquet" in bad_out.output


@pytest.mark.slow  # the ensemble's weekly record from 2016 to 2024 on 39 years of data: 52 s on the quiet machine
def test_report_section(shared_store: Path) -> None:
    """The real ensemble's section (tests/outlook/test_forecast_section.py checks the same on a synthetic market, fast)."""
    from r2k.report.context import ReportContext
    from r2k.report.sections.forecast import build

    with Store(shared_store, read_only=True) as s:
        sec = build(ReportContext(store=s, as_of=date(2024, 12, 31), settings=load_settings()))  # the session cache
    assert sec is not None and sec.key == "forecast" and "<svg" in sec.html
    # the fan is the ensemble's (the outlook's own distributions): the last close, then 2 and 4 weeks
    assert sec.facts["origin"] == pd.Timestamp("2024-12-31") and sec.facts["model"] == "ensemble"
    assert len(sec.facts["fan"]["0.5"]) == 3 and sec.facts["fan"]["dates"][0] == date(2024, 12, 31)
    assert np.all(np.diff(sec.facts["fan"]["0.95"]) > 0)  # the upper band widens with the horizon
    record = sec.facts["record"]
    assert set(record["model"]) == {"ensemble", "climatology"} and "same origins as climatology" in sec.markdown
