"""refresh(): incremental start dates, one atomic write, re-basing, routing, offline."""

from __future__ import annotations

import shutil
import socket
from datetime import date, datetime

import pandas as pd
import pytest
import requests
from provider_fakes import FakeResponse, RecordingDownload, RecordingGet, history_frame, no_probe

from r2k.errors import ProviderError
from r2k.providers import registry
from r2k.providers.base import Provider, Query, Request, SeriesData
from r2k.providers.fred import FredProvider
from r2k.providers.yahoo import YahooProvider
from r2k.schemas import validate
from r2k.store import Store
from r2k.store.refresh import incremental_start, refresh

NOW = datetime(2024, 4, 1, 12, 0)
END = date(2024, 3, 29)


class FakeProvider(Provider):
    """Answers every id with a synthetic series from its start (or 2024-01-01) to end; records queries.

    Each value depends on its date only (100 + day of year / 1000), so re-reading a date gives the same number.
    """

    def __init__(self, name: str, kind: str = "price", fail: set[str] = frozenset()) -> None:
        self.name = name
        self.kind = kind
        self.fail = fail
        self.queries: list[Query] = []

    def requests(self, query: Query):
        self.queries.append(query)
        return [Request(sid, {"start": query.start_for(sid), "end": query.end, "symbol": query.symbol_for(sid)}) for sid in query.ids]

    def extract(self, request: Request):
        if request.series_id in self.fail:
            raise ProviderError(f"{request.series_id}: cannot reach Fake ({self.name}): connection refused")
        freq = "B" if self.kind == "price" else "MS"
        return pd.date_range(request.params["start"] or "2024-01-01", request.params["end"], freq=freq)

    def transform(self, raw, request: Request) -> SeriesData:
        values = 100.0 + raw.day_of_year.to_numpy() / 1000
        col = "close" if self.kind == "price" else "value"
        frame = validate(pd.DataFrame({"date": raw, col: values}), self.kind, "fake")
        return SeriesData(request.series_id, self.kind, frame, f"{self.name}:{request.params['symbol']}")


def fakes(fail_fred: set[str] = frozenset()) -> dict[str, FakeProvider]:
    return {"yahoo": FakeProvider("yahoo"), "fred": FakeProvider("fred", "macro", fail_fred), "yahoo-shares": FakeProvider("yahoo-shares", "macro")}


def seeded(store_path) -> Store:
    """A store with RUT daily to 2024-03-15 and UNRATE monthly to 2024-02-01."""
    store = Store(store_path)
    rut = pd.DataFrame({"date": pd.bdate_range("2024-01-02", "2024-03-15"), "close": 100.0})
    unrate = pd.DataFrame({"date": pd.date_range("2023-01-01", "2024-02-01", freq="MS"), "value": 3.7})
    store.write(
        [SeriesData("RUT", "price", validate(rut, "price", "seed"), "csv:RUT.csv"),
         SeriesData("UNRATE", "macro", validate(unrate, "macro", "seed"), "csv:UNRATE.csv")],
        "seed", datetime(2024, 3, 16),
    )
    return store


def snapshot(store: Store) -> list:
    """Status rows and every stored frame as text (NaN-safe comparison)."""
    return [(i.to_dict(), store.read(i.id).to_csv()) for i in store.status()]


def test_incremental_start_by_days_and_by_rows():
    daily = pd.DataFrame({"date": pd.bdate_range("2024-01-02", "2024-03-15")})
    monthly = pd.DataFrame({"date": pd.date_range("2023-01-01", "2024-02-01", freq="MS")})
    assert incremental_start(daily) == date(2024, 3, 8)  # last date - 7 days
    assert incremental_start(monthly) == date(2023, 12, 1)  # 3rd last observation
    assert incremental_start(monthly, overlap_rows=1) == date(2024, 1, 25)
    assert incremental_start(None) is None


def test_refresh_asks_only_for_what_is_missing(store_path):
    providers = fakes()
    with seeded(store_path) as store:
        summary = refresh(store, ["RUT", "UNRATE", "DGS10"], END, NOW, providers=providers)
        yahoo_q, = providers["yahoo"].queries
        assert yahoo_q.ids == ("RUT",) and yahoo_q.start_for("RUT") == date(2024, 3, 8) and yahoo_q.end == END
        assert yahoo_q.symbol_for("RUT") == "^RUT"
        starts = {q.ids[0]: q.start_for(q.ids[0]) for q in providers["fred"].queries}
        assert starts == {"UNRATE": date(2023, 12, 1), "DGS10": None}  # DGS10 is new: full history
        assert store.last_date("RUT") == END
        assert store.read("DGS10")["date"].iloc[0] == pd.Timestamp("2024-01-01")
    by_id = {s.series_id: s for s in summary.series}
    assert by_id["RUT"].rows_new == 10  # 2024-03-18 .. 2024-03-29
    assert by_id["RUT"].rows_changed == 6  # overlapping days 03-08..03-15 answered with other values
    assert summary.source == "fetch:fred,yahoo"


def test_refresh_twice_changes_nothing(store_path):
    with seeded(store_path) as store:
        refresh(store, ["RUT"], END, NOW, providers=fakes())
        again = refresh(store, ["RUT"], END, NOW, providers={"yahoo": FakeProvider("yahoo")})
    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (0, 0, 6)


def test_a_failure_leaves_the_store_untouched(store_path):
    providers = fakes(fail_fred={"DGS10"})
    with seeded(store_path) as store:
        before = snapshot(store)
        with pytest.raises(ProviderError, match="^DGS10: cannot reach Fake"):
            refresh(store, ["RUT", "UNRATE", "DGS10", "GSPC"], END, NOW, providers=providers)
        assert snapshot(store) == before
        assert [q.ids for q in providers["yahoo"].queries] == [("RUT",)]  # stopped at the failure: GSPC never asked


def test_bad_data_becomes_a_provider_error_naming_the_series(store_path):
    class Broken(FakeProvider):
        def transform(self, raw, request):
            return SeriesData(request.series_id, "price", validate(pd.DataFrame({"date": ["2024-01-02"], "close": ["x"]}), "price", "fake:^RUT"), "fake")

    with Store(store_path) as store, pytest.raises(ProviderError, match=r"^RUT: bad data from yahoo: fake:\^RUT, date .*non-numeric value 'x'"):
        refresh(store, ["RUT"], END, NOW, providers={"yahoo": Broken("yahoo")})


def test_unknown_id_and_stored_source_routing(store_path):
    with Store(store_path) as store:
        with pytest.raises(ProviderError, match=r"^NOPE: unknown series id for 'r2k data fetch'; known ids: RUT, GSPC, .*docs/providers.md"):
            refresh(store, ["NOPE"], END, NOW, providers=fakes())
        dji = validate(pd.DataFrame({"date": ["2024-03-28"], "close": [39000.0]}), "price", "seed")
        store.write([SeriesData("DJI", "price", dji, "yahoo:^DJI")], "seed", NOW)
        providers = fakes()
        refresh(store, ["dji"], END, NOW, providers=providers)
        query, = providers["yahoo"].queries
        assert query.ids == ("DJI",) and query.symbol_for("DJI") == "^DJI"


def test_default_ids_are_the_catalog(store_path):
    providers = fakes()
    with Store(store_path) as store:
        summary = refresh(store, None, date(2024, 1, 5), NOW, providers=providers)
    fetched = [s.series_id for s in summary.series]
    assert fetched == list(registry.DEFAULT_IDS)
    assert fetched[:4] == ["RUT", "GSPC", "VIX", "IWM"] and "DGS10" in fetched and "IWM_SHARES" not in fetched
    assert len(registry.DEFAULT_IDS) == 16 + 41  # RVX (Yahoo) and RVXCLS (FRED) for implied_vol


def test_stored_past_end_is_skipped(store_path):
    providers = fakes()
    with seeded(store_path) as store:
        summary = refresh(store, ["RUT"], date(2024, 1, 31), NOW, providers=providers)
    assert summary.series == () and providers["yahoo"].queries == []


def test_new_dividend_refetches_full_history(store_path):
    """Yahoo re-scales every earlier adj_close at a new ex-date: the overlap shows it, so the history is re-read."""
    days = pd.bdate_range("2024-03-01", "2024-03-15")
    stored = validate(pd.DataFrame({"date": days, "close": 200.0, "adj_close": 198.0}), "price", "seed")
    factor = 0.997  # a dividend of 0.3% going ex on 2024-03-20
    rows = [(d, 200.0, 198.0 * factor if d < pd.Timestamp("2024-03-20") else 200.0) for d in pd.bdate_range("2024-03-01", "2024-03-22")]

    def answer(symbol, start, end):
        return history_frame([r for r in rows if start is None or r[0] >= pd.Timestamp(start)])

    download = RecordingDownload(answer)
    with Store(store_path) as store:
        store.write([SeriesData("IWM", "price", stored, "csv:IWM.csv")], "seed", NOW)
        refresh(store, ["IWM"], date(2024, 3, 22), NOW, providers={"yahoo": YahooProvider(download=download, probe=no_probe)})
        adj = store.read("IWM").set_index("date")["adj_close"]
    assert [c[1] for c in download.calls] == [date(2024, 3, 8), None]  # incremental, then full history
    assert adj.loc["2024-03-01"] == pytest.approx(198.0 * factor)  # old rows re-based too
    assert adj.loc["2024-03-22"] == 200.0


def test_offline_transport_fails_at_the_first_series_and_writes_nothing(store_path):
    def offline(host: str) -> None:
        raise socket.gaierror(-2, "Name or service not known")

    download = RecordingDownload(history_frame([("2024-03-28", 1.0, 1.0)]))
    get = RecordingGet(requests.ConnectionError("Failed to resolve 'fred.stlouisfed.org'"))
    providers = {"yahoo": YahooProvider(download=download, probe=offline), "fred": FredProvider(get=get)}
    with seeded(store_path) as store:
        before = snapshot(store)
        with pytest.raises(ProviderError) as err:
            refresh(store, ["RUT", "UNRATE"], END, NOW, providers=providers)
        assert snapshot(store) == before
    assert str(err.value).startswith("RUT: cannot reach Yahoo Finance (query2.finance.yahoo.com): offline")
    assert download.calls == [] and get.calls == []
    with seeded(store_path) as store, pytest.raises(ProviderError, match=r"^UNRATE: cannot reach FRED \(fred.stlouisfed.org\): offline"):
        refresh(store, ["UNRATE"], END, NOW, providers=providers)


def test_fred_api_key_comes_from_the_environment(store_path, monkeypatch):
    seen: list[str | None] = []

    def capture(fred_api_key=None):
        seen.append(fred_api_key)
        return fakes()

    monkeypatch.setattr(registry, "default_providers", capture)
    monkeypatch.setenv("FRED_API_KEY", "k123")
    with Store(store_path) as store:
        refresh(store, ["UNRATE"], END, NOW)
        refresh(store, ["UNRATE"], END, NOW, fred_api_key=None)
        monkeypatch.delenv("FRED_API_KEY")
        refresh(store, ["UNRATE"], END, NOW)
    assert seen == ["k123", None, None]


def test_fred_vintages_through_refresh(store_path):
    obs = [
        {"realtime_start": "2024-02-02", "realtime_end": "2024-03-07", "date": "2024-01-01", "value": "3.7"},
        {"realtime_start": "2024-03-08", "realtime_end": "9999-12-31", "date": "2024-01-01", "value": "3.8"},
    ]
    get = RecordingGet(FakeResponse(payload={"count": 2, "offset": 0, "observations": obs}))
    with Store(store_path) as store:
        refresh(store, ["UNRATE"], END, NOW, providers={"fred": FredProvider(api_key="k", get=get)})
        assert store.read("UNRATE", as_of="2024-03-01")["value"].tolist() == [3.7]
        assert store.read("UNRATE")["value"].tolist() == [3.8]


def test_offline_on_the_shared_store_leaves_it_unchanged(shared_store, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(shared_store, path)

    def offline(host: str) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    providers = {"yahoo": YahooProvider(download=RecordingDownload(ValueError("unused")), probe=offline)}
    with Store(path) as store:
        before = [i.to_dict() for i in store.status()]
        last = store.last_date("RUT")
        with pytest.raises(ProviderError, match="^RUT: cannot reach Yahoo Finance .*: connection refused"):
            refresh(store, ["RUT", "DGS10"], date(2026, 11, 20), NOW, providers=providers)
        assert [i.to_dict() for i in store.status()] == before
    assert str(last) == "2026-08-27"
