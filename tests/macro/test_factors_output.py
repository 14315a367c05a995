"""factors/cycle output: one default as-of (the last index close), fractions in JSON, units and stale flags."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.errors import StoreError
from r2k.macro.units import display, to_json
from r2k.snapshot import clock_series, resolve
from r2k.store import Store
from tests_support import NOW, macro_series, price_series

runner = CliRunner()


def test_units_for_people_and_machines() -> None:
    assert (display(218750.0, "persons"), display(67.0, "thousand persons", signed=True)) == ("218,750", "+67,000")
    assert (display(4.4, "percent"), display(0.74, "percent", signed=True), display(-0.69, "pp")) == (
        "4.40%", "+0.74%", "-0.69 pp")
    assert to_json(4.4, "percent") == pytest.approx(0.044) and to_json(67.0, "thousand persons") == 67000.0
    assert to_json(float("nan"), "pp") is None and display(float("nan"), "index") == "n/a"


def test_default_as_of_is_the_last_index_close(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("RUT", np.arange(100.0, 110.0), start="2024-01-01"),  # to 2024-01-12
                 price_series("GSPC", np.arange(100.0, 115.0), start="2024-01-01"),  # to 2024-01-19
                 macro_series("T10Y2Y", np.linspace(1, 0, 30), start="2024-01-01", freq="B")], "t", NOW)
        assert (clock_series(s), resolve(s).day) == ("RUT", date(2024, 1, 12))
        assert resolve(s, date(2024, 1, 5)).day == date(2024, 1, 5)
    out = json.loads(runner.invoke(app, ["factors", "--store", str(store_path), "--json"]).stdout)
    assert out["as_of"] == "2024-01-12"  # not the last T10Y2Y date (2024-02-09)
    text = runner.invoke(app, ["factors", "--store", str(store_path)])
    assert "as of 2024-01-12 (the last Russell 2000 close)" in text.stdout


def test_default_as_of_falls_back_to_the_first_price_series(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("IWM", np.arange(1.0, 6.0), start="2024-01-01"),
                 price_series("GSPC", np.arange(1.0, 4.0), start="2024-01-01")], "t", NOW)
        assert (clock_series(s), resolve(s).day) == ("GSPC", date(2024, 1, 3))
    with Store(store_path.with_name("macro.duckdb")) as s:
        s.write([macro_series("T10Y2Y", np.ones(5), freq="B")], "t", NOW)
        with pytest.raises(StoreError, match="no price series"):
            resolve(s)


def test_factors_json_is_fractions_with_units_and_stale_flags(shared_store: Path) -> None:
    res = runner.invoke(app, ["factors", "--store", str(shared_store), "--as-of", "2026-08-27", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    f = {x["name"]: x for rs in out["concepts"].values() for x in rs}
    assert (f["unrate"]["value"], f["unrate"]["unit"], f["unrate"]["display"]) == (pytest.approx(0.043), "fraction", "4.30%")
    assert (f["claims_4w"]["value"], f["claims_4w"]["unit"], f["claims_4w"]["display"]) == (218750.0, "persons", "218,750")
    assert f["sloos_tightening"]["age_days"] == 1699 and f["sloos_tightening"]["stale"]
    # a stale factor keeps its last real value and says since when it is stale, but has no z-score or direction
    assert f["sloos_tightening"]["value"] is not None and f["sloos_tightening"]["z"] is None
    assert f["sloos_tightening"]["direction"] == "n/a" and f["sloos_tightening"]["stale_since"] is not None
    # a Treasury yield is published after the close: at 2026-08-27 the 2026-08-26 value is the last one known
    assert not f["dgs10"]["stale"] and f["dgs10"]["age_days"] == 1 and f["dgs10"]["stale_since"] is None
    assert "sloos_tightening" in out["stale"] and "dgs10" not in out["stale"]
    text = runner.invoke(app, ["factors", "--store", str(shared_store), "--as-of", "2026-08-27"])
    assert "218,750" in text.stdout and "2.1875e+05" not in text.stdout and "STALE" in text.stdout


def test_cycle_json_fractions_agree_with_the_fired_rules(shared_store: Path) -> None:
    res = runner.invoke(app, ["cycle", "--store", str(shared_store), "--as-of", "2008-10-15", "--json"])
    out = json.loads(res.stdout)
    ev = out["current"]["evidence"]
    assert [e["rule"] for e in ev if e["group"] == "early"] == ["recovering", "slack", "steep_curve", "improving"]
    for e in ev:
        if e["rule"] == "recovering":  # also needs "no recession call now": in a recession it never fires
            assert not e["fired"] and e["value"] <= 24
        elif e["value"] is not None:
            v, t = e["value"], e["threshold"]
            assert {">=": v >= t, "<=": v <= t, ">": v > t, "<": v < t}[e["op"]] == e["fired"], e
    assert out["current"]["phase"] == "recession"
    assert sum(e["fired"] for e in ev if e["group"] == "early") == out["current"]["early_score"]
    text = runner.invoke(app, ["cycle", "--store", str(shared_store), "--as-of", "2026-03-31", "--history"])
    assert text.exit_code == 0 and "False alarms" in text.stdout and "ret_1m" not in text.stdout
