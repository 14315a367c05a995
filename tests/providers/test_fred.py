"""FRED provider: both CSV header styles, "." for missing, the API's vintages, errors, offline."""

from __future__ import annotations

import json
import os
from datetime import date, datetime

import pytest
import requests
from provider_fakes import FIXTURES, FakeResponse, RecordingGet, fixture_text

from r2k.errors import ProviderError
from r2k.providers.base import Query
from r2k.providers.fred import API_URL, CSV_URL, FredProvider
from r2k.store import Store

NOW = datetime(2024, 7, 1, 12, 0)
KEY = "abcdef0123456789abcdef0123456789"


def fetch(get: RecordingGet, sid: str, start: date | None = None, end: date = date(2024, 6, 30), **kw):
    provider = FredProvider(get=get, **kw)
    return provider.fetch(Query(ids=(sid,), end=end, starts={sid: start} if start else {}))[0]


def test_csv_observation_date_header_with_dot_and_empty_missing():
    get = RecordingGet(FakeResponse(text=fixture_text("fredgraph_DGS10.csv")))
    item = fetch(get, "DGS10", start=date(2024, 1, 1), end=date(2024, 1, 8))
    assert item.kind == "macro" and item.source == "fred:DGS10"
    assert item.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-08"]
    assert item.frame["value"].tolist() == [3.95, 3.91, 3.99, 4.01]
    assert "realtime_start" not in item.frame  # CSV values: vintage unknown
    assert get.calls == [(CSV_URL, {"id": "DGS10", "cosd": "2024-01-01", "coed": "2024-01-08"})]


def test_csv_legacy_date_header():
    item = fetch(RecordingGet(FakeResponse(text=fixture_text("fredgraph_legacy_UNRATE.csv"))), "UNRATE")
    assert item.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-10-01", "2023-11-01", "2024-01-01"]
    assert item.frame["value"].tolist() == [3.8, 3.7, 3.7]


def test_full_history_has_no_start_parameter():
    get = RecordingGet(FakeResponse(text=fixture_text("fredgraph_legacy_UNRATE.csv")))
    fetch(get, "UNRATE")
    assert get.calls[0][1] == {"id": "UNRATE", "coed": "2024-06-30"}


def test_html_instead_of_csv_is_an_error():
    page = FakeResponse(text="<!DOCTYPE html><html><body>Error</body></html>")
    with pytest.raises(ProviderError, match=r"^DGS10: FRED did not send a CSV for DGS10 \(first line '<!DOCTYPE html>"):
        fetch(RecordingGet(page), "DGS10")


def test_text_in_a_value_names_the_line():
    text = "observation_date,DGS10\n2024-01-02,3.95\n2024-01-03,n/a\n"
    with pytest.raises(ProviderError, match=r"DGS10: bad data from FRED: fred:DGS10 CSV, line 3: column 'value' has non-numeric value 'n/a'"):
        fetch(RecordingGet(FakeResponse(text=text)), "DGS10")


def test_http_error_status():
    with pytest.raises(ProviderError, match="NOSUCH: FRED refused NOSUCH: HTTP 404"):
        fetch(RecordingGet(FakeResponse(404, text="Not Found")), "NOSUCH")


def api_answer() -> dict:
    return json.loads((FIXTURES / "fred_api_GDPC1_vintages.json").read_text())


def test_api_request_asks_for_every_vintage():
    get = RecordingGet(FakeResponse(payload=api_answer()))
    item = fetch(get, "GDPC1", start=date(2023, 7, 1), api_key=KEY)
    url, params = get.calls[0]
    assert url == API_URL
    assert params == {
        "series_id": "GDPC1", "api_key": KEY, "file_type": "json", "observation_start": "2023-07-01",
        "observation_end": "2024-06-30", "realtime_start": "1776-07-04", "realtime_end": "9999-12-31",
        "limit": 100000, "offset": 0,
    }
    assert list(item.frame.columns) == ["date", "value", "realtime_start"]
    assert len(item.frame) == 4  # the "." row is dropped


def test_api_vintages_stored_and_read_as_of(store_path):
    item = fetch(RecordingGet(FakeResponse(payload=api_answer())), "GDPC1", api_key=KEY)
    with Store(store_path) as store:
        store.write([item], "test", NOW)
        latest = store.read("GDPC1")
        assert latest["value"].tolist() == [22506.363, 22679.255]
        # 2023-11-15: only the advance estimate of 2023Q3 was published
        first = store.read("GDPC1", as_of="2023-11-15")
        assert first["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-07-01"]
        assert first["value"].tolist() == [22491.567]
        # 2024-02-01: Q3 revised (2023-11-29), Q4 advance (2024-01-25)
        mid = store.read("GDPC1", as_of="2024-02-01")
        assert mid["value"].tolist() == [22506.363, 22672.859]
        assert store.read("GDPC1", as_of="2023-10-25").empty  # before the first release
        assert len(store.vintages("GDPC1")) == 4


def test_api_pages_until_count():
    body = api_answer()
    first = {**body, "observations": body["observations"][:3], "limit": 3}
    second = {**body, "observations": body["observations"][3:], "offset": 3, "limit": 3}
    get = RecordingGet(FakeResponse(payload=first), FakeResponse(payload=second))
    item = fetch(get, "GDPC1", api_key=KEY)
    assert [c[1]["offset"] for c in get.calls] == [0, 3]
    assert len(item.frame) == 4


def test_api_error_message_is_shown_and_the_key_is_not():
    answer = FakeResponse(400, payload={"error_code": 400, "error_message": "Bad Request.  The series does not exist."})
    with pytest.raises(ProviderError) as err:
        fetch(RecordingGet(answer), "NOSUCH", api_key=KEY)
    assert str(err.value) == "NOSUCH: FRED refused NOSUCH: HTTP 400 (Bad Request.  The series does not exist.)"


def test_rate_limit_is_retried_with_backoff():
    sleeps: list[float] = []
    get = RecordingGet(FakeResponse(429), FakeResponse(429), FakeResponse(text=fixture_text("fredgraph_DGS10.csv")))
    item = fetch(get, "DGS10", sleep=sleeps.append)
    assert sleeps == [2.0, 4.0] and len(item.frame) == 4


def test_offline_fails_at_once_without_leaking_the_key():
    sleeps: list[float] = []
    url = f"https://api.stlouisfed.org/fred/series/observations?series_id=DGS10&api_key={KEY}"
    error = requests.ConnectionError(
        f"HTTPSConnectionPool(host='api.stlouisfed.org', port=443): Max retries exceeded with url: {url} "
        "(Caused by NameResolutionError(\"Failed to resolve 'api.stlouisfed.org' ([Errno -3] Temporary failure in name resolution)\"))"
    )
    get = RecordingGet(error)
    with pytest.raises(ProviderError) as err:
        fetch(get, "DGS10", api_key=KEY, sleep=sleeps.append)
    message = str(err.value)
    assert message == (
        "DGS10: cannot reach FRED (api.stlouisfed.org): offline (DNS lookup failed) "
        "— run 'r2k data import DIR' to use local CSVs"
    )
    assert KEY not in message and sleeps == [] and len(get.calls) == 1


def test_connection_refused_and_timeouts_are_offline_too():
    refused = requests.ConnectionError("[Errno 111] Connection refused")
    with pytest.raises(ProviderError, match=r"cannot reach FRED \(fred.stlouisfed.org\): connection refused"):
        fetch(RecordingGet(refused), "DGS10")
    with pytest.raises(ProviderError, match=r"cannot reach FRED \(fred.stlouisfed.org\): timed out"):
        fetch(RecordingGet(requests.ConnectTimeout("connect timeout=4.0")), "DGS10")


@pytest.mark.skipif(os.environ.get("R2K_ONLINE_TESTS") != "1", reason="set R2K_ONLINE_TESTS=1 to use the network")
def test_online_fred_csv():
    item = FredProvider().fetch(Query(ids=("DGS10",), start=date(2024, 1, 1), end=date(2024, 1, 31)))[0]
    assert item.frame.set_index("date")["value"].loc["2024-01-02"] == pytest.approx(3.95)
