"""Yahoo provider: yfinance frame shapes, time zones, empty frames, rate limits, offline."""

from __future__ import annotations

import os
import socket
from datetime import date

import numpy as np
import pandas as pd
import pytest
from provider_fakes import RecordingDownload, history_frame, no_probe, yahoo_download_frame, yahoo_history_fixture

from r2k.errors import ProviderError
from r2k.providers.base import Query
from r2k.providers.yahoo import YahooProvider, YahooSharesProvider, bars_from_yahoo

END = date(2024, 1, 5)
EXPECTED_CLOSES = [1994.439941, 1957.089966, 1952.699951, 1955.079956]
EXPECTED_DATES = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]).astype("datetime64[us]")


def fetch(download: RecordingDownload, sid: str = "RUT", start: date | None = None, end: date = END, **kw):
    provider = YahooProvider(download=download, probe=kw.pop("probe", no_probe), **kw)
    query = Query(ids=(sid,), end=end, starts={sid: start} if start else {})
    return provider.fetch(query)[0]


def test_history_frame_tz_aware_single_index():
    item = fetch(RecordingDownload(yahoo_history_fixture()))
    assert item.id == "RUT" and item.kind == "price" and item.source == "yahoo:^RUT"
    frame = item.frame
    assert list(frame.columns) == ["date", "open", "high", "low", "close", "adj_close", "volume"]
    assert (frame["date"].to_numpy() == EXPECTED_DATES.to_numpy()).all()
    assert frame["date"].dtype == "datetime64[us]"
    np.testing.assert_allclose(frame["close"], EXPECTED_CLOSES)
    np.testing.assert_allclose(frame["adj_close"], EXPECTED_CLOSES)  # indices: adj_close == close
    assert frame["volume"].iloc[0] == 4542540000.0
    assert np.isnan(frame["volume"].iloc[2])  # volume 0 = not reported


@pytest.mark.parametrize("ticker_first", [False, True], ids=["Price,Ticker", "Ticker,Price"])
def test_download_multiindex_selects_the_ticker_level(ticker_first):
    raw = yahoo_download_frame(yahoo_history_fixture(), ["IWM", "^RUT"], ticker_first=ticker_first)
    assert raw.columns.names == (["Ticker", "Price"] if ticker_first else ["Price", "Ticker"])
    item = fetch(RecordingDownload(raw))
    np.testing.assert_allclose(item.frame["close"], np.array(EXPECTED_CLOSES) * 2)  # ^RUT is the 2nd (x2)
    assert (item.frame["date"].to_numpy() == EXPECTED_DATES.to_numpy()).all()


def test_multiindex_without_the_ticker_is_an_error():
    raw = yahoo_download_frame(yahoo_history_fixture(), ["IWM"])
    with pytest.raises(ProviderError, match=r"RUT \(Yahoo \^RUT\): the Yahoo frame has no columns for \^RUT \(tickers: IWM\)"):
        fetch(RecordingDownload(raw))


def test_dates_are_exchange_local_dates_not_utc_dates():
    raw = history_frame([("2024-01-02", 10.0, 10.0), ("2024-01-03", 11.0, 11.0)])
    # the same instants in UTC: midnight New York = 05:00 UTC, still the same calendar day
    utc = raw.copy()
    utc.index = raw.index.tz_convert("UTC")
    assert str(fetch(RecordingDownload(utc)).frame["date"].iloc[0].date()) == "2024-01-02"
    # a stamp at 21:00 New York is already the next day in UTC: the trading date stays the New York one
    late = raw.copy()
    late.index = pd.DatetimeIndex(["2024-01-03 02:00", "2024-01-04 02:00"], tz="UTC", name="Date")
    dates = fetch(RecordingDownload(late)).frame["date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2024-01-02", "2024-01-03"]


def test_empty_frame_from_offline_download_is_an_error():
    # offline, yf.download prints the DNS error and returns this: no rows, MultiIndex columns
    empty = pd.DataFrame(columns=pd.MultiIndex.from_product([["Adj Close", "Close", "High", "Low", "Open", "Volume"], ["^RUT"]], names=["Price", "Ticker"]))
    with pytest.raises(ProviderError, match=r"^RUT \(Yahoo \^RUT\): Yahoo Finance returned no rows for 2024-01-01 to 2024-01-05"):
        fetch(RecordingDownload(empty), start=date(2024, 1, 1))


def test_auto_adjusted_frame_is_rejected():
    raw = yahoo_history_fixture().drop(columns=["Adj Close"])
    with pytest.raises(ProviderError, match="auto_adjust=True"):
        fetch(RecordingDownload(raw))


def test_actions_columns_are_ignored_and_unknown_columns_rejected():
    raw = yahoo_history_fixture().assign(Dividends=0.0, **{"Stock Splits": 0.0})
    assert len(fetch(RecordingDownload(raw)).frame) == 4
    with pytest.raises(ProviderError, match="unexpected Yahoo columns Foo"):
        fetch(RecordingDownload(raw.assign(Foo=1)))


def test_request_range_end_is_inclusive_and_late_quotes_dropped():
    # Yahoo may append the latest quote after the requested end: it must not be stored
    raw = history_frame([("2024-01-04", 10.0, 10.0), ("2024-01-05", 11.0, 11.0), ("2024-01-08", 12.0, 12.0)])
    download = RecordingDownload(raw)
    item = fetch(download, start=date(2024, 1, 4))
    assert download.calls == [("^RUT", date(2024, 1, 4), date(2024, 1, 6))]  # yfinance's end is exclusive
    assert item.frame["close"].tolist() == [10.0, 11.0]


def test_bad_prices_name_the_series():
    raw = history_frame([("2024-01-04", 10.0, 10.0), ("2024-01-05", -1.0, 11.0)])
    with pytest.raises(ProviderError, match=r"RUT: bad data from Yahoo Finance: yahoo:\^RUT, date 2024-01-05.*non-positive"):
        bars_from_yahoo(raw, "^RUT", "RUT", None, END)


class YFRateLimitError(Exception):
    """Same name and message as yfinance.exceptions.YFRateLimitError."""

    def __init__(self) -> None:
        super().__init__("Too Many Requests. Rate limited. Try after a while.")


def test_rate_limit_retried_with_exponential_backoff():
    sleeps: list[float] = []
    download = RecordingDownload(YFRateLimitError(), YFRateLimitError(), yahoo_history_fixture())
    item = fetch(download, sleep=sleeps.append)
    assert sleeps == [2.0, 4.0]
    assert len(download.calls) == 3 and len(item.frame) == 4


def test_rate_limit_gives_up_after_the_last_delay():
    sleeps: list[float] = []
    with pytest.raises(ProviderError, match="RUT: Yahoo Finance is rate-limiting requests .still after 4 retries"):
        fetch(RecordingDownload(YFRateLimitError()), sleep=sleeps.append)
    assert sleeps == [2.0, 4.0, 8.0, 16.0]


def test_offline_probe_fails_before_any_download():
    def offline(host: str) -> None:
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    download = RecordingDownload(yahoo_history_fixture())
    with pytest.raises(ProviderError) as err:
        fetch(download, probe=offline)
    assert str(err.value) == (
        "RUT: cannot reach Yahoo Finance (query2.finance.yahoo.com): offline (DNS lookup failed) "
        "— run 'r2k data import DIR' to use local CSVs"
    )
    assert download.calls == []


class DNSError(OSError):
    """Shaped like curl_cffi's DNSError, which yfinance raises offline."""


def test_offline_during_download_is_not_retried():
    sleeps: list[float] = []
    error = DNSError("Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com.")
    download = RecordingDownload(error)
    with pytest.raises(ProviderError, match=r"cannot reach Yahoo Finance .*offline \(DNS lookup failed\)"):
        fetch(download, sleep=sleeps.append)
    assert sleeps == [] and len(download.calls) == 1


def test_probe_runs_once_per_provider():
    probes: list[str] = []
    provider = YahooProvider(download=RecordingDownload(yahoo_history_fixture()), probe=probes.append)
    provider.fetch(Query(ids=("RUT", "GSPC"), end=END))
    assert probes == ["query2.finance.yahoo.com"]


def test_shares_outstanding_series():
    stamps = pd.DatetimeIndex(["2024-01-02 09:30", "2024-01-02 16:00", "2024-01-10 12:00"]).tz_localize("America/New_York")
    raw = pd.Series([2.5e8, 2.6e8, 2.7e8], index=stamps)
    calls: list[tuple] = []

    def shares(symbol, start, end):
        calls.append((symbol, start, end))
        return raw

    provider = YahooSharesProvider(shares=shares, probe=no_probe)
    item = provider.fetch(Query(ids=("IWM_SHARES",), end=date(2024, 1, 31), start=date(2024, 1, 1)))[0]
    assert calls == [("IWM", date(2024, 1, 1), date(2024, 1, 31))]
    assert item.kind == "macro" and item.source == "yahoo-shares:IWM"
    assert item.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-01-10"]
    assert item.frame["value"].tolist() == [2.6e8, 2.7e8]  # the last count of each day


def test_shares_missing_is_an_error():
    provider = YahooSharesProvider(shares=lambda *a: None, probe=no_probe)
    with pytest.raises(ProviderError, match="IWM_SHARES: Yahoo Finance has no shares-outstanding history for IWM"):
        provider.fetch(Query(ids=("IWM_SHARES",), end=date(2024, 1, 31)))


@pytest.mark.skipif(os.environ.get("R2K_ONLINE_TESTS") != "1", reason="set R2K_ONLINE_TESTS=1 to use the network")
def test_online_yahoo_rut_month():
    item = YahooProvider().fetch(Query(ids=("RUT",), start=date(2024, 5, 1), end=date(2024, 5, 31)))[0]
    closes = item.frame.set_index("date")["close"]
    assert closes.loc["2024-05-28"] == pytest.approx(2066.85, abs=0.01)  # SOURCES.md acceptance value


def test_default_downloader_asks_yfinance_for_raw_prices(monkeypatch, tmp_path):
    import yfinance

    from r2k.providers import yahoo

    calls: list[dict] = []
    cache_dirs: list[str] = []

    class FakeTicker:
        def __init__(self, symbol: str) -> None:
            self.symbol = symbol

        def history(self, **kw):
            calls.append({"symbol": self.symbol, **kw})
            return yahoo_history_fixture()

    monkeypatch.setattr(yfinance, "Ticker", FakeTicker)
    monkeypatch.setattr(yfinance, "set_tz_cache_location", cache_dirs.append)
    monkeypatch.setattr(yahoo, "_cache_ready", False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    yahoo.yfinance_history("^RUT", None, date(2024, 1, 6))
    yahoo.yfinance_history("^RUT", date(2024, 1, 2), date(2024, 1, 6))
    common = {"symbol": "^RUT", "end": "2024-01-06", "interval": "1d", "auto_adjust": False, "actions": False, "timeout": 30}
    assert calls == [{**common, "period": "max"}, {**common, "start": "2024-01-02"}]
    assert cache_dirs == [str(tmp_path / "r2k" / "yfinance")]  # set once, outside the repo
