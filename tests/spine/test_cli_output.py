"""What people read in the terminal: the answer first, one horizon unit per table, $COLUMNS honoured when piped,
one warning line for an as-of date after the last close."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests_support import NOW
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store
from r2k.words import weeks


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    idx = pd.bdate_range("2015-01-01", periods=1500)
    t = np.arange(1500)
    close = 1000 * 1.0004 ** t * (1 + 0.05 * np.sin(t / 20))  # a rising trend with waves around it
    frame = pd.DataFrame({"date": idx.astype("datetime64[us]"), "close": close})
    path = tmp_path_factory.mktemp("cli_out") / "s.duckdb"
    with Store(path) as s:
        s.write([SeriesData("RUT", "price", validate(frame, "price", "test"), "test")], "test", NOW)
    return str(path)


def run(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def test_channels_answer_first_and_the_trail_only_with_explain(store: str) -> None:
    out = run("channels", "--store", store).stdout
    first = out.splitlines()[0]
    assert first.startswith("Russell 2000 closed at ") and first.endswith(".")
    lines = out.splitlines()
    assert lines[1].startswith("  Primary trend since ") and lines[2].startswith("  Secondary trend since ")
    assert lines[3].startswith("  Reversal signals: ")
    assert "Calculation trail" not in out and "Detection rule" not in out and "r2k channels --explain" in out
    explained = run("channels", "--store", store, "--explain").stdout
    assert explained.splitlines()[0] == first
    assert "Calculation trail, primary channel" in explained and "Detection rule: " in explained


def test_an_as_of_after_the_last_close_warns_in_one_line_once(store: str) -> None:
    res = run("channels", "--store", store, "--as-of", "2098-12-31")
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning: ")]
    last = pd.bdate_range("2015-01-01", periods=1500)[-1].date()
    assert warnings == [f"warning: the as-of date 2098-12-31 is after the last Russell 2000 close in the store "
                        f"({last}): the results use {last}"]
    assert f"on {last}." in res.stdout.splitlines()[0]
    again = run("channels", "--store", store, "--as-of", "2098-12-31")  # the next command says it again
    assert again.stderr.count("warning: ") == 1
    assert "warning" not in run("channels", "--store", store, "--as-of", "2019-06-30").stderr


def test_piped_tables_honour_columns(store: str) -> None:
    def table_lines(out: str) -> list[str]:
        return [line for line in out.splitlines() if "primary" in line and "secondary" in line]

    narrow = run("channels", "--store", store, env={"COLUMNS": "60"}).stdout
    assert table_lines(narrow) and max(len(line) for line in table_lines(narrow)) <= 60
    assert max(len(line) for line in narrow.splitlines() if set(line) == {"─"}) <= 60
    wide = run("channels", "--store", store, env={"COLUMNS": ""}).stdout  # unset: 140, so the table is one line a row
    assert max(len(line) for line in table_lines(wide)) > 60


def test_outlook_horizons_read_in_weeks() -> None:
    assert (weeks(20), weeks(260), weeks(5), weeks(7)) == ("4 weeks", "52 weeks", "1 week", "7 trading days")
    out = run("ratings").stdout
    assert "cut, 4 weeks" in out and "cut, 52 weeks" in out and "days" not in out.split("Notches")[1].splitlines()[0]
