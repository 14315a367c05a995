"""The JSON API and the pages through FastAPI's test client over the real outlook on a small synthetic store: the
CLI's numbers, one data function per topic for both, read-only browsing, the parameters honoured, bad input and
unknown paths answered with one line (JSON under /api/, a styled page elsewhere), only local Host names served."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from r2k.cli.app import app as cli
from r2k.config import Settings
from r2k.names import OUTLOOK_HORIZONS
from r2k.serialize import dumps, envelope
from r2k.snapshot import Snapshot
from r2k.store import Store
from r2k.store.forecast_log import file_state
from r2k.web.app import create_app
from web_support import AS_OF, START, build_store, log_rows, real_outlook

LOCAL = "http://127.0.0.1"
PAGES = ("/", "/channels", "/analytics", "/forecasts", "/scores", "/macro", "/coverage")


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_store(tmp_path_factory.mktemp("web") / "web.duckdb")
    res = CliRunner().invoke(cli, ["forecast", "--as-of", "2021-06-30", "--horizons", "5,20", "--models", "climatology",
                                   "--log", "--store", str(path)])
    assert res.exit_code == 0, res.output  # one logged forecast, realised by the end of the data
    return path


@pytest.fixture(scope="module")
def outlook_env(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    mp = pytest.MonkeyPatch()
    real_outlook(mp, tmp_path_factory.mktemp("cache"))
    yield
    mp.undo()


@pytest.fixture(scope="module")
def client(market: Path, outlook_env: None) -> TestClient:
    return TestClient(create_app(Settings(store_path=market), walk_forward=False, report=None), base_url=LOCAL)


def charts_of(page: str) -> list[dict]:
    found = re.search(r'id="r2k-charts">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_browsing_every_page_and_answer_writes_nothing(client: TestClient, market: Path) -> None:
    rows, state = log_rows(market), file_state(market)
    assert rows == 2
    for path in (*PAGES, "/api/outlook", "/api/forecast", "/api/scores", "/api/coverage"):
        r = client.get(path, params={"as_of": AS_OF})
        assert r.status_code == 200, (path, r.text[:300])
        assert "Content-Security-Policy" in r.headers
        assert "/somewhere/private" not in r.text  # sources are named, machine paths are not shown
    assert client.get("/api/forecast", params={"as_of": "2021-11-30", "horizons": "5,20"}).status_code == 200
    assert log_rows(market) == rows and file_state(market) == state  # the store file was not even touched


def test_the_outlook_api_is_the_real_outlook_and_the_page_shows_its_grade(client: TestClient, market: Path) -> None:
    from r2k.outlook import build_outlook

    with Store(market, read_only=True) as s:
        snap = Snapshot(s, pd.Timestamp(AS_OF).date(), settings=Settings(store_path=market))
        real = build_outlook(snap)
    body = client.get("/api/outlook", params={"as_of": AS_OF}).json()
    assert json.loads(dumps(envelope(real))) == body
    assert {"short", "long"} <= set(body["risk_grades"])
    page = client.get("/", params={"as_of": AS_OF}).text
    grade = re.search(r'id="risk-grade">.*?<div class="notch">([^<]+)</div>', page, re.S)
    assert grade is not None and grade.group(1) == real.short.label == body["risk_grades"]["short"]["label"]
    for key in ("outlook", "scenarios", "forecast", "model"):  # the report's own sections, one renderer for both
        assert f'<section id="{key}">' in page
    assert '<link rel="stylesheet" href="/static/report.css">' in page and "<svg" in page


def test_the_report_stylesheet_is_shared_not_copied(client: TestClient) -> None:
    from r2k.report.build import Report
    from r2k.report.render import to_html

    css = client.get("/static/report.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.text.startswith("@scope (.report) {")
    report_page = to_html(Report(pd.Timestamp(AS_OF).date(), "RUT", "GSPC", pd.Timestamp("2026-01-02").to_pydatetime(), ()))
    inline = re.search(r"<style>(.*?)</style>", report_page, re.S)
    assert inline is not None and inline.group(1).strip() in css.text


def test_forecast_api_serves_the_cli_numbers(client: TestClient, market: Path) -> None:
    out = CliRunner().invoke(cli, ["forecast", "--as-of", AS_OF, "--horizons", "5,20", "--no-log", "--store", str(market), "--json"])
    assert out.exit_code == 0, out.output
    body = client.get("/api/forecast", params={"as_of": AS_OF, "horizons": "5,20"}).json()
    assert body == json.loads(out.output)  # flat: the same object as the CLI's --json
    assert {f["model"] for f in body["forecasts"]} == {"ensemble"} and {f["horizon"] for f in body["forecasts"]} == {5, 20}


def test_the_forecasts_page_shows_the_published_model_and_honours_horizons(client: TestClient) -> None:
    page = client.get("/forecasts", params={"as_of": AS_OF, "horizons": "5,10"}).text
    table = page.split('id="forecast-table"')[1].split("</table>")[0]
    horizons = re.findall(r'<td class="num">(\d+)</td><td class="num">\d{4}-', table)
    assert sorted(set(map(int, horizons))) == [5, 10]
    labels = re.findall(r"<tr[^>]*><td>([^<]+)</td>", table)
    assert labels[:2] == ["ensemble (published)"] * 2 and set(labels[2:]) == {"climatology (baseline)", "random walk (baseline)"}
    assert "ensemble 5–95%" in {d["name"] for d in charts_of(page)[0]["data"]}  # the chart's model is the table's first
    assert 'value="5,10"' in page
    default = client.get("/forecasts", params={"as_of": AS_OF}).text  # the outlook's horizons and its own distributions
    with Store(client.app.state.gate.path, read_only=True) as s:
        from r2k.outlook import build_outlook

        o = build_outlook(Snapshot(s, pd.Timestamp(AS_OF).date(), settings=Settings(store_path=s.path)))
    table = default.split('id="forecast-table"')[1].split("</table>")[0]
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in table.split("</tr>")]
    published = [c for c in cells if c and c[0] == "ensemble (published)"]
    assert [c[1] for c in published] == [str(h) for h in OUTLOOK_HORIZONS]
    assert [c[5] for c in published] == [f"{o.dists.last_close * np.exp(o.dists.dists[h].quantile(0.5)):,.0f}" for h in OUTLOOK_HORIZONS]
    events = client.get("/api/events", params={"as_of": AS_OF, "horizons": "5"}).json()
    assert events["horizons"] == [5]


def test_pages_show_names_and_percentages(client: TestClient) -> None:
    analytics = client.get("/analytics", params={"as_of": AS_OF}).text
    titles = [c["layout"]["title"]["text"] for c in charts_of(analytics)]
    assert titles[0] == "Russell 2000 and S&P 500, last five years (rebased to 100)"
    assert re.search(r"[+-]\d+\.\d%", analytics) and "p = 0<" not in analytics and "p = 0.000" not in analytics
    scores = client.get("/scores", params={"as_of": AS_OF}).text
    assert "climatology" in scores and re.search(r"[+-]\d+\.\d% to [+-]\d+\.\d%", scores)  # the 80% range of the return
    page = client.get("/", params={"as_of": AS_OF}).text
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', page)
    assert options == [("GSPC", "S&amp;P 500 (GSPC)"), ("RUT", "Russell 2000 (RUT)"), ("VIX", "VIX")]


def test_a_page_for_another_symbol_uses_that_symbol(client: TestClient) -> None:
    r = client.get("/channels", params={"as_of": AS_OF, "symbol": "GSPC"})
    assert r.status_code == 200 and "S&amp;P 500 price and trend channels" in r.text and 'value="GSPC" selected' in r.text


def test_cached_answers_are_hits(client: TestClient) -> None:
    gate = client.app.state.gate
    client.get("/channels", params={"as_of": AS_OF})
    hits, computed = gate.hits, gate.computed
    assert client.get("/channels", params={"as_of": AS_OF}).status_code == 200
    assert gate.hits > hits and gate.computed == computed
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and len(js.content) > 1_000_000


def test_a_future_as_of_is_clamped_to_the_last_close_and_said(client: TestClient, market: Path) -> None:
    with Store(market, read_only=True) as s:
        last = s.last_date("RUT")
    body = client.get("/api/forecast", params={"as_of": "2098-12-31", "horizons": "5", "models": "climatology"}).json()
    assert body["as_of"] == last.isoformat() and body["origin"] == last.isoformat()
    assert body["note"] == f"the as-of date 2098-12-31 is after the last Russell 2000 close in the store ({last}): the results use {last}"
    assert "note" not in client.get("/api/forecast", params={"horizons": "5", "models": "climatology"}).json()
    page = client.get("/channels", params={"as_of": "2098-12-31"})
    assert page.status_code == 200 and "is after the last Russell 2000 close" in page.text


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/api/forecast?as_of=2021-13-45", 400, "as_of: '2021-13-45' is not a date"),
    ("/api/forecast?as_of=yesterday", 400, "not a date"),
    ("/api/forecast?as_of=1990-01-01", 400, "outside the RUT data"),
    ("/api/channels?as_of=START", 400, "leaves too little RUT history: the data start on START and this needs 30 days"),
    ("/api/forecast?symbol=NOPE", 404, "NOPE is not a price series"),
    ("/api/forecast?symbol=RUT;DROP%20TABLE%20bars", 400, "is not a series id"),
    ("/api/forecast?horizons=" + ",".join(["5"] * 150), 400, "at most 200 characters"),
    ("/api/forecast?horizons=1,2,3,4,5,6,7,8,9,10,11,12,13", 400, "1 to 12 horizons"),
    ("/api/forecast?horizons=0", 400, "between 1 and 520"),
    ("/api/forecast?horizons=abc", 400, "whole numbers"),
    ("/forecasts?horizons=abc", 400, "whole numbers"),
    ("/api/forecast?models=garch,evil", 400, "unknown model 'evil'"),
    ("/api/events?kind=../../etc", 400, "is not one of"),
    ("/api/channels?start=2021-06-01&end=2021-01-01", 400, "must be before"),
    ("/api/channels?end=2024-01-01&as_of=2021-06-01", 400, "must end on or before"),
    ("/channels?as_of=2021-02-30", 400, "not a date"),
    ("/static/..%2F..%2Fapp.py", 404, ""),
    ("/static/missing.js", 404, "no static file"),
    ("/api/no-such-thing", 404, "there is no page at /api/no-such-thing"),
    ("/no-such-page", 404, "there is no page at /no-such-page"),
    ("/report", 404, "no report has been written yet"),
])
def test_bad_input_gets_a_one_line_4xx(client: TestClient, url: str, status: int, words: str) -> None:
    start = str(pd.Timestamp(START).date())
    r = client.get(url.replace("START", start))
    assert r.status_code == status, r.text[:300]
    as_json = r.headers["content-type"].startswith("application/json")
    assert as_json == (url.startswith(("/api/", "/static/")))  # JSON under /api/, a styled page elsewhere
    text = r.json()["error"] if as_json else r.text
    assert words.replace("START", start) in text and "Traceback" not in r.text and "/tmp" not in r.text
    if as_json:
        assert "\n" not in r.json()["error"]
    else:
        assert '<link rel="stylesheet" href="/static/app.css">' in text and 'id="error-message"' in text


def test_error_page_escapes_the_request(client: TestClient) -> None:
    r = client.get("/forecasts", params={"as_of": "<img src=x onerror=alert(1)>"})
    assert r.status_code == 400 and "<img src=x" not in r.text and "&lt;img src=x" in r.text


def test_only_local_host_names_are_served(market: Path) -> None:
    app = create_app(Settings(store_path=market), walk_forward=False, host="192.168.1.5")
    for host, status in (("127.0.0.1:8000", 200), ("localhost", 200), ("[::1]:8000", 200), ("192.168.1.5:8000", 200),
                         ("evil.example", 400), ("127.0.0.1.evil.example", 400)):
        r = TestClient(app, base_url=f"http://{host}").get("/docs")
        assert r.status_code == status, host


def test_the_latest_report_is_linked_when_there_is_one(market: Path, tmp_path: Path, outlook_env: None) -> None:
    report = tmp_path / "r2k-report.html"
    client = TestClient(create_app(Settings(store_path=market), walk_forward=False, report=report), base_url=LOCAL)
    assert "Latest report" not in client.get("/coverage", params={"as_of": AS_OF}).text
    report.write_text("<!doctype html><title>the report</title>")
    assert 'href="/report"' in client.get("/coverage", params={"as_of": AS_OF}).text
    r = client.get("/report")
    assert r.status_code == 200 and "<title>the report</title>" in r.text


def test_openapi_lists_the_api_with_cli_parameter_names(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/outlook", "/api/channels", "/api/forecast", "/api/scores", "/api/analyze", "/api/events",
                                  "/api/factors", "/api/cycle", "/api/coverage"}
    names = {p["name"] for p in spec["paths"]["/api/forecast"]["get"]["parameters"]}
    assert names == {"symbol", "horizons", "models", "as_of"}


def test_api_docs_page_works_offline(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "GET /api/forecast" in r.text and "Comma-separated horizons" in r.text
    assert "cdn" not in r.text.lower() and "http://" not in r.text.replace("http://127.0.0.1", "")


def test_store_held_by_another_writer_answers_503(market: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys
    import time

    copy = tmp_path / "copy.duckdb"
    shutil.copy(market, copy)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
                               "time.sleep(60)", str(copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        r = TestClient(create_app(Settings(store_path=copy)), base_url=LOCAL).get("/api/coverage")
        assert r.status_code == 503 and "being updated by another program" in r.json()["error"] and r.headers["retry-after"]
    finally:
        holder.kill()
        holder.wait()
        time.sleep(0.1)


def test_scores_show_the_logged_forecast_realised(client: TestClient) -> None:
    body = client.get("/api/scores", params={"as_of": "2022-05-13"}).json()
    realised = [r for r in body["log"] if r["origin"] == "2021-06-30"]
    assert len(realised) == 2 and all(r["y"] is not None and r["crps"] > 0 for r in realised)
    before = client.get("/scores", params={"as_of": "2021-07-01"})
    assert before.status_code == 200 and "pending" in before.text  # as known on 2021-07-01: not yet realised


def test_every_page_says_first_when_its_data_is_old(client: TestClient) -> None:
    """The report's data-age banner on every page: the synthetic data ends years before today."""
    for path in PAGES:
        r = client.get(path)  # as of the last close
        assert r.status_code == 200, path
        text = r.text
        banner = text.index('<div class="banner" role="note"><strong>Old data.</strong> Data to ')
        assert banner < text.index("<footer")
    past = client.get("/channels", params={"as_of": AS_OF})
    assert past.status_code == 200 and "Price and channels" in past.text
    assert "Old data." not in past.text  # an earlier date asked for is not old data
