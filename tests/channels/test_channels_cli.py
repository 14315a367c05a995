"""The real ``r2k channels`` command on a small synthetic store."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from channel_synth import known_closes
from tests_support import NOW
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store

runner = CliRunner()
KEYS = {"start", "end", "origin", "n", "a", "b", "s", "annual_growth", "channel_spread", "start_top", "start_bottom", "end_top",
        "end_bottom", "as_of", "as_of_close", "as_of_top", "as_of_bottom", "position", "distance_points", "distance_pct",
        "direction", "durbin_watson", "breusch_pagan", "out_of_sample", "holdout", "detection", "trail"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.Series]:
    close = known_closes(6.5, 0.0004, 0.05, start="2015-01-01", n=1500).rename("RUT")
    frame = pd.DataFrame({"date": close.index.astype("datetime64[us]"), "close": close.to_numpy()})
    path = tmp_path_factory.mktemp("ch") / "ch.duckdb"
    with Store(path) as s:
        s.write([SeriesData("RUT", "price", validate(frame, "price", "test"), "test")], "test", NOW)
    return str(path), close


def run(*args: str) -> dict:
    result = runner.invoke(app, ["channels", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_keys_detected(store: tuple[str, pd.Series]) -> None:
    path, close = store
    out = run("--store", path)
    assert KEYS <= set(out["primary"]) and KEYS <= set(out["secondary"])
    assert out["as_of"] == str(close.index[-1].date()) and out["primary"]["source"] == "detected"
    assert out["secondary"]["end"] == out["as_of"]
    assert out["primary"]["position"] in {"inside", "above", "below"}
    assert out["primary"]["breusch_pagan"]["null"] and out["detection"]["params"]["rule"]


def test_given_window_known_answer_and_origin(store: tuple[str, pd.Series]) -> None:
    path, close = store
    full = run("--store", path, "--start", "2015-01-01", "--end", str(close.index[-1].date()), "--secondary-start", "2019-01-02")
    p = full["primary"]
    assert p["a"] == pytest.approx(6.5, abs=1e-10) and p["b"] == pytest.approx(0.0004, abs=1e-14) and p["s"] == pytest.approx(0.05, rel=1e-10)
    assert p["n"] == 1500 and p["source"] == "given" and full["detection"] is None
    moved = run("--store", path, "--start", "2016-01-01", "--end", "2018-12-31", "--secondary-start", "2019-01-02", "--origin", "2015-01-01")
    own = run("--store", path, "--start", "2016-01-01", "--end", "2018-12-31", "--secondary-start", "2019-01-02")
    mp, op = moved["primary"], own["primary"]
    assert mp["origin"] == "2015-01-01" and op["origin"] == "2016-01-01"
    assert mp["b"] == pytest.approx(op["b"], rel=1e-10) and mp["a"] == pytest.approx(op["a"] - op["b"] * 365, abs=1e-10)
    assert mp["i_start"] == 261 and mp["trail"][0]["x"] == 365.0 and mp["as_of_top"] == pytest.approx(op["as_of_top"], rel=1e-10)
    assert mp["out_of_sample"]["n"] == len(close.loc["2019-01-01":])


def test_as_of_cuts_the_data(store: tuple[str, pd.Series]) -> None:
    path, close = store
    out = run("--store", path, "--as-of", "2019-06-30")
    assert out["as_of"] == "2019-06-28" and out["primary"]["as_of_close"] == pytest.approx(close.loc["2019-06-28"])
    assert out["primary"]["end"] <= "2019-06-28"


def test_text_output_has_key_facts_and_trail(store: tuple[str, pd.Series]) -> None:
    path, _ = store
    # the trail comes with --explain; a wide terminal keeps each table cell on one line (pytest-xdist's workers get 80 columns)
    result = runner.invoke(app, ["channels", "--store", path, "--explain"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for needle in ("Trend channels of the", "Calculation trail, primary channel", "annual growth = exp(365 ×", "top = exp(a + b·X + 2s)",
                   "close beyond the primary channel against its direction"):
        assert needle in result.output
    assert "primary_break" not in result.output  # human names, not ids


def test_errors_are_one_line(store: tuple[str, pd.Series], tmp_path: Path) -> None:
    path, _ = store
    bad = runner.invoke(app, ["channels", "--store", path, "--start", "2019-13-01"])
    assert bad.exit_code == 1 and "--start: '2019-13-01' is not a date" in bad.output
    order = runner.invoke(app, ["channels", "--store", path, "--start", "2019-01-01", "--end", "2018-01-01"])
    assert order.exit_code == 1 and "must be before --end" in order.output
    missing = runner.invoke(app, ["channels", "--store", path, "--symbol", "NOPE"])
    assert missing.exit_code == 1 and "NOPE" in missing.output and "Traceback" not in missing.output


def test_help_explains_the_rule() -> None:
    result = runner.invoke(app, ["channels", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "dynamic programming" in text and "not a 95% band" in text and "--secondary-start" in text
