"""`r2k data fetch` run for real, with the live providers replaced through the registry."""

from __future__ import annotations

import json
import socket
from datetime import date, datetime

from provider_fakes import FakeResponse, RecordingDownload, RecordingGet, fixture_text, yahoo_history_fixture
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.cli.data import default_end
from r2k.providers import registry
from r2k.providers.fred import FredProvider
from r2k.providers.yahoo import YahooProvider

runner = CliRunner()


def use_providers(monkeypatch, probe, download, get) -> None:
    providers = {"yahoo": YahooProvider(download=download, probe=probe), "fred": FredProvider(get=get)}
    monkeypatch.setattr(registry, "default_providers", lambda fred_api_key=None: providers)


def test_fetch_json(monkeypatch, store_path):
    download = RecordingDownload(yahoo_history_fixture())
    get = RecordingGet(FakeResponse(text=fixture_text("fredgraph_DGS10.csv")))
    use_providers(monkeypatch, lambda host: None, download, get)
    result = runner.invoke(app, ["data", "fetch", "rut", "DGS10", "--end", "2024-01-08", "--store", str(store_path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["source"] == "fetch:fred,yahoo"
    assert {s["series_id"]: s["rows_new"] for s in out["series"]} == {"RUT": 4, "DGS10": 4}
    assert download.calls == [("^RUT", None, date(2024, 1, 9))]
    status = json.loads(runner.invoke(app, ["data", "status", "--store", str(store_path), "--json"]).output)
    assert {(s["id"], s["source"], s["last"]) for s in status["series"]} == {("RUT", "yahoo:^RUT", "2024-01-05"), ("DGS10", "fred:DGS10", "2024-01-08")}


def test_fetch_offline_one_line_and_exit_1(monkeypatch, store_path):
    def offline(host: str) -> None:
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    use_providers(monkeypatch, offline, RecordingDownload(ValueError("unused")), RecordingGet(ValueError("unused")))
    result = runner.invoke(app, ["data", "fetch", "RUT", "--store", str(store_path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "RUT: cannot reach Yahoo Finance (query2.finance.yahoo.com): offline" in lines[0]


def test_fetch_unknown_id(monkeypatch, store_path):
    use_providers(monkeypatch, lambda host: None, RecordingDownload(ValueError("unused")), RecordingGet(ValueError("unused")))
    result = runner.invoke(app, ["data", "fetch", "nope", "--store", str(store_path)])
    assert result.exit_code == 1 and "NOPE: unknown series id" in result.output


def test_default_end_is_the_last_finished_new_york_session():
    assert default_end(datetime(2024, 3, 28, 21, 0)) == date(2024, 3, 27)  # 17:00 EDT: today's bar is not final
    assert default_end(datetime(2024, 3, 28, 22, 0)) == date(2024, 3, 28)  # 18:00 EDT
    assert default_end(datetime(2024, 1, 5, 3, 0)) == date(2024, 1, 4)  # 22:00 EST on Jan 4 (UTC is already Jan 5)
    assert default_end(datetime(2024, 1, 4, 15, 0)) == date(2024, 1, 3)  # 10:00 EST: mid-session
