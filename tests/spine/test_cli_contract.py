"""The CLI's one output contract (docs/cli.md): `--json` is an object with `as_of` and `version` first; human
output is tables without pandas artefacts, ANSI codes or a blank first line when piped; `-h` on every command;
errors are one `error: ...` line on stderr with exit code 1; progress is silent when piped."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from tests_support import NOW, price_series
from typer.testing import CliRunner

from r2k import __version__
from r2k.cli.app import app
from r2k.store import Store

runner = CliRunner()
ANSI = re.compile(r"\x1b\[")
LAST = "2024-07-05"  # the last of 1,200 business days from 2019-12-02


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """RUT, GSPC and VIX on 1,200 business days (random walks with fixed seeds), ending on LAST."""
    rng = np.random.default_rng(11)
    n = 1200
    rut = 1500 * np.exp(np.cumsum(rng.normal(0.0003, 0.013, n)))
    spx = 3000 * np.exp(np.cumsum(rng.normal(0.0003, 0.010, n)))
    vix = np.clip(18 + np.cumsum(rng.normal(0, 0.5, n)), 9, 80)
    path = tmp_path_factory.mktemp("contract") / "s.duckdb"
    with Store(path) as s:
        s.write([price_series(sid, v, start="2019-12-02") for sid, v in (("RUT", rut), ("GSPC", spx), ("VIX", vix))],
                source="test", now=NOW)
        assert str(s.last_date("RUT")) == LAST
    return str(path)


@pytest.fixture(scope="module")
def headlines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("news") / "news.csv"
    path.write_text("date,time_et,headline\n2024-07-01,09:00,Profits fell sharply\n2024-07-01,10:00,Strong gains lift "
                    "stocks\n2024-07-03,11:00,Losses widen at lender\n2024-07-08,09:30,Record earnings\n", encoding="utf-8")
    return path


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


def contract(result) -> dict:
    doc = json.loads(result.stdout)
    assert isinstance(doc, dict) and list(doc)[:2] == ["as_of", "version"] and doc["version"] == __version__
    return doc


@pytest.mark.parametrize(("args", "as_of"), [
    (["analyze"], LAST),
    (["events", "--kind", "vix-spike", "--horizons", "5,20"], LAST),
    (["channels"], LAST),
    (["forecast", "--models", "climatology,random_walk", "--horizons", "5", "--no-log"], LAST),
    (["forecast", "--models", "random_walk", "--horizons", "5", "--as-of", "2023-06-30", "--no-log"], "2023-06-30"),
])
def test_json_is_an_object_with_as_of_and_version(store: str, args: list[str], as_of: str) -> None:
    doc = contract(invoke(*args, "--store", store, "--json"))
    assert doc["as_of"] == as_of


def test_backtest_json_has_the_data_date_and_the_verdict_on_top(store: str) -> None:
    doc = contract(invoke("backtest", "--store", store, "--models", "random_walk", "--horizons", "5", "--start",
                          "2023-10-02", "--step", "20", "--json"))
    assert doc["as_of"] == LAST and list(doc)[2] == "verdict" and doc["verdict"] == doc["scores"]["verdict"]
    skill = {r["model"]: r["crps_skill"] for r in doc["scores"]["table"]}
    assert skill["climatology"] == 0 and abs(skill["random_walk"]) < 1  # a fraction, not a percent


def test_sentiment_json(headlines: Path) -> None:
    doc = contract(invoke("sentiment", "index", str(headlines), "--scorer", "lm", "--json"))
    assert doc["as_of"] == doc["last"] == "2024-07-08"
    score = contract(invoke("sentiment", "score", "profits fell", "--scorer", "lm", "--json"))
    assert score["as_of"] is None and score["results"][0]["scorer"] == "lm"  # a text has no date


def test_ratings_json_is_as_of_its_tuning_cutoff() -> None:
    doc = contract(invoke("ratings", "--json"))
    assert doc["as_of"] == doc["tuning_cutoff"] == "2015-12-31" and doc["map_version"] >= 1


def test_sentiment_index_is_a_table_of_whole_counts_and_blanks(headlines: Path) -> None:
    out = invoke("sentiment", "index", str(headlines), "--scorer", "lm", "--tail", "10").stdout
    for artefact in ("NaN", "dtype", "None", "raw_mean", "neg_share"):
        assert artefact not in out, artefact
    day = next(line for line in out.splitlines() if line.startswith("2024-07-01"))
    assert day.split()[3] == "2"  # two headlines that day: a whole count, not 2.0
    quiet = next(line for line in out.splitlines() if line.startswith("2024-07-02"))
    assert len(quiet.split()) == 5  # no headline: the day's own mean and share are blank, not NaN


@pytest.mark.parametrize("args", [["analyze"], ["events", "--horizons", "5"], ["channels"],
                                  ["forecast", "--models", "random_walk", "--horizons", "5", "--no-log"]])
def test_human_output_piped_has_no_blank_first_line_ansi_or_pandas(store: str, args: list[str]) -> None:
    out = invoke(*args, "--store", store).stdout
    assert out.strip() and out.splitlines()[0].strip(), "blank first line"
    assert not ANSI.search(out)
    for artefact in ("NaN", "dtype", "nan%", "None", "primary_break", "ret_1m", "`"):
        assert artefact not in out, (args, artefact)


def test_analyze_shows_percentages_and_human_names(store: str) -> None:
    out = invoke("analyze", "--store", store).stdout
    assert out.startswith("Russell 2000 (RUT) closed at ") and "Against the S&P 500" in out
    assert re.search(r"\n1y\s+[+-]\d+\.\d%", out)  # returns in percent in text (fractions in JSON)


def _commands(group: Any, path: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        yield (*path, name)
        if hasattr(cmd, "commands"):  # a group (typer vendors its own click classes)
            yield from _commands(cmd, (*path, name))


def test_every_command_answers_dash_h_without_a_blank_first_line() -> None:
    root = typer.main.get_command(app)
    paths = list(_commands(root))
    assert len(paths) > 15 and ("sentiment", "index") in paths and ("constituents", "holdings") in paths
    for path in [(), *paths]:
        result = runner.invoke(app, [*path, "-h"])
        assert result.exit_code == 0, path
        assert result.stdout.startswith(" Usage: r2k"), (path, result.stdout[:80])
        assert not ANSI.search(result.stdout) and "<bool>" not in result.stdout, path


def test_forecast_models_help_is_its_own() -> None:
    text = " ".join(invoke("forecast", "-h").stdout.replace("│", " ").split())  # the help column may wrap anywhere
    assert "Default: the ensemble" in text and "Climatology is always added to a backtest" not in text


@pytest.mark.parametrize(("args", "message"), [
    (["data", "import"], "DIRECTORY"),
    (["sentiment", "index", "x.csv", "--bogus"], "--bogus"),
    (["nosuch"], "nosuch"),
    (["backtest", "--step", "x"], "--step"),
    (["sentiment", "score"], "text"),
])
def test_usage_errors_are_one_line_on_stderr_with_exit_1(args: list[str], message: str) -> None:
    result = runner.invoke(app, args, env={"R2K_DATA_DIR": ""})
    assert result.exit_code == 1, (args, result.output)
    assert result.stdout == "" and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def test_progress_is_silent_when_piped(store: str) -> None:
    """A real process with stdout and stderr piped: tables on stdout, nothing at all on stderr."""
    proc = subprocess.run([sys.executable, "-c", "from r2k.cli.app import main; main()", "backtest", "--store", store, "--models", "random_walk",
                           "--horizons", "5", "--start", "2023-12-01", "--step", "20"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "Verdict:" in proc.stdout and not ANSI.search(proc.stdout)
    assert proc.stdout.splitlines()[0].startswith("Russell 2000 backtest")
    verdict = next(line for line in proc.stdout.splitlines() if line.startswith("Verdict:"))
    assert verdict.endswith(").") and "random_walk" not in verdict  # one unwrapped line, model names for people
