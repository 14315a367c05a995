"""`r2k constituents`: import, fetch, the rating table and holdings, through the real command."""

from __future__ import annotations

import json
import socket

import pytest
from constituents_support import PREAMBLE, RecordedSec, ishares_text, write
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.providers import net
from r2k.providers.sec import SecClient
from r2k.store import Store
from r2k.store.constituents import company_log, snapshot_dates

runner = CliRunner()


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env or {})


@pytest.fixture
def store(tmp_path):
    return tmp_path / "cli.duckdb"


def test_import_then_show_the_table_and_holdings(tmp_path, store):
    path = write(tmp_path, "IWM_holdings.csv", ishares_text())
    r = run("constituents", "import", str(path), "--store", str(store), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) | {} == {"as_of": "2026-01-05", "version": json.loads(r.output)["version"], "fund": "IWM",
                                         "lines": 7, "status": "new", "layout": "ishares"}
    r = run("constituents", "--store", str(store), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["as_of"] == "2026-01-05" and out["with_fundamentals"] == 0
    assert [row["label"] for row in out["rows"]][0] == "Income statement"
    assert out["rows"][0]["note"] == "unavailable: no fundamentals stored (run 'r2k constituents fetch')"
    assert out["holdings"]["holdings"] == 6
    r = run("constituents", "holdings", "--store", str(store))
    assert r.exit_code == 0 and "Industrials" in r.output and "6 equity holdings on 2026-01-05" in r.output


def test_bad_holdings_file_is_one_line_and_stores_nothing(tmp_path, store):
    bad = write(tmp_path, "IWM_holdings.csv", ishares_text(preamble=PREAMBLE.replace("Fund Holdings as of", "As of")))
    r = run("constituents", "import", str(bad), "--store", str(store))
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and r.output.startswith("error: ") and "preamble changed" in r.output
    with Store(store) as s:
        assert snapshot_dates(s) == []


def test_fetch_needs_a_user_agent_and_fails_offline_in_one_line(tmp_path, store, monkeypatch):
    run("constituents", "import", str(write(tmp_path, "h.csv", ishares_text())), "--store", str(store))
    r = run("constituents", "fetch", "--store", str(store))
    assert r.exit_code == 1 and "R2K_SEC_USER_AGENT" in r.output

    def offline(host: str) -> None:
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(net, "probe", offline)
    r = run("constituents", "fetch", "--store", str(store), env={"R2K_SEC_USER_AGENT": "Tester t@example.org"})
    assert r.exit_code == 1 and r.output.strip().count("\n") == 0
    assert "error: SEC fundamentals: cannot reach SEC EDGAR (www.sec.gov): offline (DNS lookup failed)" in r.output
    with Store(store) as s:
        assert company_log(s).empty


def test_fetch_then_rating_table(tmp_path, store, monkeypatch):
    run("constituents", "import", str(write(tmp_path, "h.csv", ishares_text())), "--store", str(store))
    recorded = RecordedSec()
    monkeypatch.setattr(net, "probe", lambda host: None)
    monkeypatch.setattr(SecClient, "_http_get", lambda self, url: recorded(url, {"User-Agent": self.user_agent}, None))
    r = run("constituents", "fetch", "--store", str(store), "--user-agent", "Tester t@example.org", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["statuses"] == {"ok": 3, "no_facts": 2, "error": 1}
    r = run("constituents", "--store", str(store), "--as-of", "2026-03-15")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())  # the console wraps at its width
    for words in ("Balance", "insufficient", "3 of 6 companies", "Distribution of short-term", "Estate"):
        assert words in text, words


def test_every_constituents_command_has_help():
    for cmd in (["constituents"], ["constituents", "import"], ["constituents", "fetch"], ["constituents", "holdings"]):
        r = run(*cmd, "--help")
        assert r.exit_code == 0 and "Usage:" in r.output, cmd
