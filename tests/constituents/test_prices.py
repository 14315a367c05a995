"""Constituent prices: batched, resumable, incremental, unknown tickers skipped; market measures use them."""

from __future__ import annotations

import socket
from datetime import date, datetime

import pandas as pd
import pytest
from constituents_support import ishares_text, sec_client, write

from r2k.errors import ProviderError
from r2k.outlook.constituents import index_category_ratings
from r2k.providers.holdings import read_holdings_file
from r2k.providers.yahoo import YahooProvider
from r2k.store import Store
from r2k.store.constituent_prices import fetch_constituent_prices, latest_closes, price_id, yahoo_symbol
from r2k.store.constituents import write_holdings
from r2k.store.fundamentals import fetch_fundamentals

NOW = datetime(2026, 3, 20)
KNOWN = {"ACMI": 50.0, "FBNK": 20.0, "RLTY": 10.0, "NOXB": 5.0, "EURO": 8.0}  # GEF-B is unknown to this Yahoo


class FakeYahoo:
    """``Ticker.history``-shaped frames (tz-aware index, raw OHLC and Adj Close) for the known symbols."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, date | None, date]] = []

    def __call__(self, symbol: str, start: date | None, end_exclusive: date) -> pd.DataFrame:
        self.calls.append((symbol, start, end_exclusive))
        if symbol not in KNOWN:
            return pd.DataFrame()
        days = pd.bdate_range(start or "2026-03-02", end_exclusive - pd.Timedelta(days=1))
        index = pd.DatetimeIndex(days, name="Date").tz_localize("America/New_York")
        c = KNOWN[symbol]
        return pd.DataFrame({"Open": c, "High": c, "Low": c, "Close": c, "Adj Close": c, "Volume": 1000.0}, index=index)


def _store(tmp_path) -> Store:
    store = Store(tmp_path / "p.duckdb")
    write_holdings(store, read_holdings_file(write(tmp_path, "h.csv", ishares_text())), NOW)
    return store


def test_ids_and_symbols():
    assert price_id("BRK.B") == "EQ_BRK_B" and yahoo_symbol("brk.b") == "BRK-B" and price_id("GEFB") == "EQ_GEFB"


def test_batched_resumable_incremental(tmp_path):
    fake = FakeYahoo()
    provider = YahooProvider(download=fake, probe=lambda host: None, sleep=lambda s: None)
    with _store(tmp_path) as store:
        s = fetch_constituent_prices(store, provider, date(2026, 3, 13), NOW, batch=2)
        assert (s.requested, s.fetched, s.current, s.rows_new) == (6, 6, 0, 5 * 10)
        assert len(s.problems) == 1 and "EQ_GEFB (Yahoo GEFB)" in s.problems[0]
        assert latest_closes(store, date(2026, 3, 13))["EQ_ACMI"] == 50.0
        fake.calls.clear()
        again = fetch_constituent_prices(store, provider, date(2026, 3, 13), NOW)
        assert again.current == 5 and again.fetched == 1  # only the unknown ticker is asked again
        later = fetch_constituent_prices(store, provider, date(2026, 3, 20), NOW)
        assert later.rows_new == 5 * 5
        assert ("ACMI", date(2026, 3, 6), date(2026, 3, 21)) in fake.calls  # from the last date less a week


def test_offline_stops_with_nothing_written(tmp_path):
    def offline(host: str) -> None:
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    provider = YahooProvider(download=FakeYahoo(), probe=offline, sleep=lambda s: None)
    with _store(tmp_path) as store:
        with pytest.raises(ProviderError, match="offline"):
            fetch_constituent_prices(store, provider, date(2026, 3, 13), NOW)
        assert not store.has("EQ_ACMI")


def test_market_measures_use_the_close_and_shares_known_then(tmp_path):
    provider = YahooProvider(download=FakeYahoo(), probe=lambda host: None, sleep=lambda s: None)
    with _store(tmp_path) as store:
        fetch_fundamentals(store, sec_client(), NOW)
        fetch_constituent_prices(store, provider, date(2026, 3, 13), NOW)
        res = index_category_ratings(store, date(2026, 3, 13))
    acmi = next(r for r in res.ratings if r.ticker == "ACMI")
    cap = 50.0 * 10_000_000
    assert acmi.market["market_cap"] == cap
    ni = 0.10 * sum(100 * 1.02**k for k in range(28, 32))  # fiscal 2025, filed 2026-03-01
    assert acmi.market["earnings_yield"] == pytest.approx(ni / cap)
    assert acmi.market["debt_to_market_value"] == pytest.approx(200 / (200 + cap))
    assert res.market["coverage"] == pytest.approx(40 / 99)  # the fixture's bank and REIT report no share count
