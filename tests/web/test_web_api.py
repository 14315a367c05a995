"""The JSON API and pages through FastAPI's test client: the CLI's numbers, the forecast log, the cache,
and bad input answered with a one-line 4xx."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from r2k.cli.app import app as cli
from r2k.config import Settings
from r2k.store import Store
from r2k.web.app import create_app
from web_support import START, build_store, install_fake_outlook

PAGE_MODELS = ("climatology", "random_walk")  # garch is slow to fit; the API test below still runs it


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture
def client(market: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    install_fake_outlook(monkeypatch)
    return TestClient(create_app(Settings(store_path=market), log_forecasts=True, walk_forward=False, models=PAGE_MODELS))


def test_forecast_api_serves_the_cli_numbers_and_logs_once(client: TestClient, market: Path) -> None:
    out = CliRunner().invoke(cli, ["forecast", "--as-of", "2021-06-30", "--horizons", "5,20", "--no-log", "--store", str(market), "--json"])
    assert out.exit_code == 0, out.output
    r = client.get("/api/forecast", params={"as_of": "2021-06-30", "horizons": "5,20"})
    assert r.status_code == 200
    body = r.json()
    doc = json.loads(out.output)  # the CLI contract puts as_of and version on top of the same payload
    assert body["as_of"] == doc["as_of"] == "2021-06-30" and body["version"] == doc["version"]
    assert body == doc  # flat: the same object as the CLI's --json
    with Store(market, read_only=True) as s:
        log = s.forecast_log("RUT")
    mine = log[(log["source"] == "r2k serve") & (log["origin"] == pd.Timestamp("2021-06-30"))]
    assert len(mine) == 2 and set(mine["model"]) == {"ensemble"}  # the published model x 2 horizons
    client.get("/api/forecast", params={"as_of": "2021-06-30", "horizons": "5,20"})
    with Store(market, read_only=True) as s:
        assert len(s.forecast_log("RUT")) == len(log)


def test_outlook_api_and_page_follow_the_as_of_date(client: TestClient) -> None:
    a = client.get("/api/outlook", params={"as_of": "2021-05-14"}).json()
    b = client.get("/api/outlook", params={"as_of": "2021-06-15"}).json()
    assert a["short_term"]["rating"] == "short positive" and b["short_term"]["rating"] == "short negative"
    page = client.get("/", params={"as_of": "2021-06-15"})
    assert page.status_code == 200 and "short negative" in page.text and "Key point for 2021-06-15" in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;" in page.text
    assert 'id="model-status"' in page.text
    with Store(client.app.state.gate.path, read_only=True) as s:
        log = s.forecast_log("RUT")
    rated = log[log["origin"] == pd.Timestamp("2021-06-15")]
    assert len(rated) == 12 and rated["ratings"].notna().all()  # 2 models x 6 horizons
    assert json.loads(rated["ratings"].iloc[0]) == {"long_term": "long neutral", "short_term": "short negative"}


def test_cached_answers_and_every_page_loads(client: TestClient) -> None:
    gate = client.app.state.gate
    for path in ("/", "/channels", "/analytics", "/forecasts", "/scores", "/macro", "/coverage"):
        r = client.get(path, params={"as_of": "2021-12-31"})
        assert r.status_code == 200, (path, r.text[:200])
        assert "Content-Security-Policy" in r.headers and "/static/plotly.min.js" in r.text
        assert "/somewhere/private" not in r.text  # sources are named, machine paths are not shown
    hits = gate.hits
    assert client.get("/channels", params={"as_of": "2021-12-31"}).status_code == 200 and gate.hits > hits
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and len(js.content) > 1_000_000


def test_scores_api_has_the_status_and_the_log(market: Path) -> None:
    client = TestClient(create_app(Settings(store_path=market), walk_forward=True, models=PAGE_MODELS))
    client.get("/api/forecast", params={"as_of": "2021-03-31"})
    body = client.get("/api/scores", params={"as_of": "2022-06-01"}).json()
    assert body["status"]["status"] in ("insufficient", "healthy", "degraded", "failing")
    assert body["status"]["thresholds"]["skill_degraded"] == -0.02
    assert body["status"]["walk_forward"]["n"] > 0
    realised = [r for r in body["log"] if r["origin"] == "2021-03-31"]
    assert realised and all(r["y"] is not None and r["crps"] > 0 for r in realised)


def test_a_future_as_of_is_clamped_to_the_last_close_and_said(client: TestClient, market: Path) -> None:
    with Store(market, read_only=True) as s:
        last = s.last_date("RUT")
    body = client.get("/api/forecast", params={"as_of": "2098-12-31", "horizons": "5"}).json()
    assert body["as_of"] == last.isoformat() and body["origin"] == last.isoformat()
    assert body["note"] == f"the as-of date 2098-12-31 is after the last Russell 2000 close in the store ({last}): the results use {last}"
    assert "note" not in client.get("/api/forecast", params={"horizons": "5"}).json()  # the default date: nothing to say
    page = client.get("/analytics", params={"as_of": "2098-12-31"})
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
    ("/api/forecast?models=garch,evil", 400, "unknown model 'evil'"),
    ("/api/events?kind=../../etc", 400, "is not one of"),
    ("/api/channels?start=2021-06-01&end=2021-01-01", 400, "must be before"),
    ("/api/channels?end=2024-01-01&as_of=2021-06-01", 400, "must end on or before"),
    ("/channels?as_of=2021-02-30", 400, "not a date"),
    ("/static/..%2F..%2Fapp.py", 404, ""),
    ("/static/missing.js", 404, "no static file"),
])
def test_bad_input_gets_a_one_line_4xx(client: TestClient, url: str, status: int, words: str) -> None:
    url, words = url.replace("START", str(pd.Timestamp(START).date())), words.replace("START", str(pd.Timestamp(START).date()))
    r = client.get(url)
    assert r.status_code == status, r.text[:300]
    text = r.json().get("error", r.json().get("detail", "")) if r.headers["content-type"].startswith("application/json") else r.text
    assert words in text and "Traceback" not in r.text and "/tmp" not in r.text and "SELECT" not in r.text
    if r.headers["content-type"].startswith("application/json") and "error" in r.json():
        assert "\n" not in r.json()["error"]


def test_error_page_escapes_the_request(client: TestClient) -> None:
    r = client.get("/forecasts", params={"as_of": "<img src=x onerror=alert(1)>"})
    assert r.status_code == 400 and "<img src=x" not in r.text and "&lt;img src=x" in r.text


def test_openapi_lists_the_api_with_cli_parameter_names(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/outlook", "/api/channels", "/api/forecast", "/api/scores", "/api/analyze", "/api/events",
            "/api/factors", "/api/cycle", "/api/coverage"} <= set(spec["paths"])
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
        r = TestClient(create_app(Settings(store_path=copy))).get("/api/coverage")
        assert r.status_code == 503 and "being updated by another program" in r.json()["error"]
    finally:
        holder.kill()
        holder.wait()
        time.sleep(0.1)


def test_scores_page_before_anything_is_realised(tmp_path: Path) -> None:
    fresh = build_store(tmp_path / "fresh.duckdb")  # nothing logged yet
    client = TestClient(create_app(Settings(store_path=fresh), walk_forward=False, models=PAGE_MODELS))
    client.get("/api/forecast", params={"as_of": "2021-11-30", "horizons": "5", "models": "climatology"})
    r = client.get("/scores", params={"as_of": "2021-11-30"})
    assert r.status_code == 200 and "pending" in r.text
    assert client.get("/api/scores", params={"as_of": "2021-11-30"}).json()["status"]["status"] == "insufficient"


def test_the_fan_is_the_outlooks_ensemble(market: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With an outlook at the date, the forecasts page draws its distributions (2 and 4 weeks), not a page model's."""
    from r2k.models.base import Distribution
    from r2k.outlook.source import OriginDistributions

    origin = pd.Timestamp("2021-12-31")
    dists = OriginDistributions("ensemble", origin, 2000.0, {h: Distribution.from_normal(0.0, 0.01 * h ** 0.5) for h in (10, 20, 260)},
                                {10: pd.Timestamp("2022-01-14"), 20: pd.Timestamp("2022-01-31"), 260: pd.Timestamp("2023-01-03")})
    install_fake_outlook(monkeypatch)
    fake = sys.modules["r2k.outlook"]
    plain = fake.build_outlook
    fake.build_outlook = lambda *a, **k: type("WithDists", (), {"dists": dists, "to_dict": plain(*a, **k).to_dict})()  # type: ignore[attr-defined]
    client = TestClient(create_app(Settings(store_path=market), log_forecasts=False, walk_forward=False, models=PAGE_MODELS))
    r = client.get("/forecasts", params={"as_of": "2021-12-31"})
    assert r.status_code == 200 and '"ensemble 5\\u201395%"' in r.text and "at 2 and 4 weeks" in r.text
    bands = dists.price_bands()
    assert list(bands.index) == [origin, pd.Timestamp("2022-01-14"), pd.Timestamp("2022-01-31")]
    assert bands.loc[origin].tolist() == [2000.0] * 5
    assert bands[0.95].iloc[2] == pytest.approx(2000.0 * np.exp(0.01 * 20 ** 0.5 * 1.6448536), rel=1e-6)
