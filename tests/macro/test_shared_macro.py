"""Integration on ../shared/data: the dashboard, the cycle validation against USREC, the CLI and the report section."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.config import load_settings
from r2k.features.analysis import factor_dashboard
from r2k.macro.catalog import CONCEPTS
from r2k.report.context import ReportContext
from r2k.report.sections import macro
from r2k.snapshot import Snapshot
from r2k.store import Store

runner = CliRunner()


def test_dashboard_as_of_2026_03_31(shared_store) -> None:
    with Store(shared_store, read_only=True) as store:
        d = factor_dashboard(Snapshot(store, date(2026, 3, 31)))
    r = {x.name: x for x in d.readings}
    assert d.as_of == date(2026, 3, 31)
    assert (r["unrate"].value, r["unrate"].obs_date, r["unrate"].released) == (4.4, date(2026, 2, 1), date(2026, 3, 6))
    # CPI for March 2026 is dated 2026-03-01 but released in April: February is the latest known
    assert r["cpi_yoy"].obs_date == date(2026, 2, 1) and r["cpi_yoy"].released == date(2026, 3, 20)
    # the 10y-2y spread of 2026-03-30 (0.53; 0.51 on 2026-03-31 itself is published after that close)
    assert r["curve_10y2y"].value == pytest.approx(0.53) and r["curve_10y2y"].obs_date == date(2026, 3, 30)
    assert r["curve_10y2y"].released == date(2026, 3, 31)
    assert all(x.released is None or x.released <= d.as_of for x in d.readings)
    assert r["sloos_tightening"].age_days > 1400  # DRTSCILM stops in 2022: staleness is visible
    assert tuple(d.by_concept()) == CONCEPTS
    assert {x.direction for x in d.readings} <= {"rising", "falling", "flat", "n/a"}


def test_cli_factors_json(shared_store) -> None:
    res = runner.invoke(app, ["factors", "--store", str(shared_store), "--as-of", "2026-03-31", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    labour = {x["name"]: x for x in out["concepts"]["labour"]}
    assert labour["unrate"]["released"] == "2026-03-06"
    assert out["as_of"] == "2026-03-31"


def test_cli_cycle_history_validates_against_usrec(shared_store) -> None:
    res = runner.invoke(app, ["cycle", "--store", str(shared_store), "--as-of", "2026-03-31", "--history", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    val = out["validation"]
    leads = {r["start"]: r["lead_months"] for r in val["recessions"]}
    # 1980: inputs start in 1980, the Sahm gap needs 15 months -> cannot be called
    assert leads == {"1980-02-01": None, "1981-08-01": -6, "1990-08-01": -7, "2001-04-01": 2, "2008-01-01": 2,
                     "2020-03-01": 0}
    assert val["false_alarm_months"] == 15 and len(val["false_alarms"]) == 8
    assert out["current"]["phase"] in {"early", "mid", "late", "recession"}
    tests = {t["name"]: t for t in out["returns"]["tests"]}
    assert tests["Kruskal-Wallis vol_1m across phases"]["p_value"] < 0.001  # volatility differs by phase
    text = runner.invoke(app, ["cycle", "--store", str(shared_store), "--as-of", "2008-10-15"])
    assert text.exit_code == 0 and "Cycle phase on 2008-10-15: recession" in text.output


def test_cli_bad_date_is_one_line(shared_store) -> None:
    res = runner.invoke(app, ["factors", "--store", str(shared_store), "--as-of", "2026-13-01"])
    assert res.exit_code == 1 and "--as-of" in res.output


def test_report_section(shared_store) -> None:
    with Store(shared_store, read_only=True) as store:
        ctx = ReportContext(store, date(2026, 3, 31), load_settings())
        sec = macro.build(ctx)
    assert sec is not None and sec.title == "Macro and cycle"
    assert sec.facts["phase"] in {"early", "mid", "late", "recession"}
    assert "<svg" in sec.html and "background:rgb(" in sec.html
    assert "sentiment_series" not in sec.facts  # no SENT_ series in the shared data
    assert pd.Timestamp(sec.facts["as_of"]).date() == date(2026, 3, 31)


def test_report_section_on_a_sparse_store_plots_stored_sentiment(store_path) -> None:
    import numpy as np

    from tests_support import NOW, macro_series

    with Store(store_path) as store:
        store.write([macro_series("T10Y2Y", np.linspace(1, 0, 300), start="2019-01-01", freq="B"),
                     macro_series("SENT_LM_MEAN", np.sin(np.arange(300) / 9), start="2019-01-01", freq="B")], "t", NOW)
        ctx = ReportContext(store, date(2019, 12, 31), load_settings(), symbol="RUT")
        sec = macro.build(ctx)
    assert sec is not None and sec.facts["sentiment_series"] == ["SENT_LM_MEAN"]
    # 2019-12-31 is weekday no. 261: the spread known at its close is the 2019-12-30 one (no. 260); in percentage
    # points, the facts in fractions
    assert sec.facts["factors"]["curve_10y2y"]["value"] == pytest.approx((1 - 259 / 299) / 100)
    assert sec.facts["factors"]["curve_10y2y"]["unit"] == "fraction" and "10-year minus 2-year" in sec.html
    assert "nber_validation" not in sec.facts  # no RUT, no USREC: the history parts are skipped


def test_cli_without_macro_data_fails_in_one_line(store_path) -> None:
    import numpy as np

    from tests_support import NOW, price_series

    with Store(store_path) as store:
        store.write([price_series("RUT", np.linspace(100, 120, 50))], "t", NOW)
    res = runner.invoke(app, ["cycle", "--store", str(store_path)])
    assert res.exit_code == 1 and "T10Y2Y" in res.output and "Traceback" not in res.output
