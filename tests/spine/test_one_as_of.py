"""One as-of rule: the same --as-of gives the same resolved date and the same numbers from the CLI, the API and
the report, for dates inside the data, on a weekend, on the last close and after it (clamped, and said)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from r2k.cli.app import app as cli
from r2k.config import Settings
from r2k.report.context import ReportContext
from r2k.report.sections import market
from r2k.serialize import dumps
from r2k.snapshot import Snapshot, resolve
from r2k.store import Store
from r2k.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_support import build_store  # noqa: E402

DATES = ("2020-06-30", "2021-03-13", "2021-12-31", None, "2098-12-31")  # None: the last close, asked for by date
ANALYSIS_KEYS = ("as_of", "close", "returns", "volatility", "drawdown", "record_drought", "relative", "levels")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("asof") / "asof.duckdb")


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(Settings(store_path=store), walk_forward=False), base_url="http://127.0.0.1")


def _cli(store: Path, *args: str) -> dict:
    res = CliRunner().invoke(cli, [*args, "--store", str(store), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("asked", DATES)
def test_cli_api_and_report_agree_on_the_date_and_the_numbers(store: Path, client: TestClient, asked: str | None) -> None:
    with Store(store, read_only=True) as s:
        last = s.last_date("RUT")
        text = asked or last.isoformat()
        rule = resolve(s, date.fromisoformat(text))
        snap = Snapshot(s, date.fromisoformat(text), settings=Settings(store_path=store))
        section = market.build(ReportContext.of(snap))
        close_day = s.series("RUT", as_of=snap.day).index[-1].date().isoformat()  # a weekend: the Friday before
    expected = min(date.fromisoformat(text), last).isoformat()
    assert rule.day.isoformat() == snap.day.isoformat() == expected
    assert (rule.note is not None) == (text == "2098-12-31")

    doc = _cli(store, "analyze", "--as-of", text)
    api = client.get("/api/analyze", params={"as_of": text}).json()
    assert doc["as_of"] == api["as_of"] == close_day  # the last date of data the result uses (docs/cli.md)
    assert api.get("note") == rule.note  # the API says why the date moved; the CLI says it on stderr
    assert {k: v for k, v in api.items() if k != "note"} == doc
    report = json.loads(dumps(section.facts))
    assert {k: report[k] for k in ANALYSIS_KEYS} == {k: doc[k] for k in ANALYSIS_KEYS}

    fc = _cli(store, "forecast", "--as-of", text, "--models", "climatology", "--horizons", "5,20", "--no-log")
    api_fc = client.get("/api/forecast", params={"as_of": text, "models": "climatology", "horizons": "5,20"}).json()
    assert fc["as_of"] == fc["origin"] == api_fc["as_of"] == close_day
    assert {k: v for k, v in api_fc.items() if k != "note"} == fc


def test_the_cli_says_when_it_used_the_last_close(store: Path) -> None:
    res = CliRunner().invoke(cli, ["analyze", "--as-of", "2098-12-31", "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "warning: the as-of date 2098-12-31 is after the last Russell 2000 close in the store" in res.stderr
    with Store(store, read_only=True) as s:
        last = s.last_date("RUT").isoformat()
    score = CliRunner().invoke(cli, ["score", "--as-of", "2098-12-31", "--no-walk-forward", "--store", str(store), "--json"])
    assert score.exit_code == 0, score.output
    assert json.loads(score.stdout)["as_of"] == last and "the results use" in score.stderr  # issue 22, item 9


@pytest.mark.slow  # the ensemble's outlook with its members' eight years of history, as the README writes it
def test_the_readme_library_example_runs(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"### Using r2k as a library.*?```python\n(.*?)```", readme, flags=re.S)
    assert code is not None
    monkeypatch.setenv("R2K_STORE", str(store))
    names: dict = {}
    exec(compile(code.group(1), "README.md", "exec"), names)  # noqa: S102 - the README's own example, as written
    assert names["snap"].day == names["fc"].origin.date() and names["outlook"].as_of == names["snap"].day
    assert set(names["bt"].scores.table["model"]) == {"climatology", "garch"}
