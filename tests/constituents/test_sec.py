"""SEC companyfacts provider and the resumable fetch, replayed from hand-made answers in SEC's format."""

from __future__ import annotations

import json
import os
import socket
from datetime import date, datetime

import pandas as pd
import pytest
from constituents_support import SEC, UA, FakeResponse, RecordedSec, ishares_text, no_probe, sec_client, write

from r2k.errors import ProviderError
from r2k.providers.holdings import read_holdings_file
from r2k.providers.sec import SecClient, facts_frame, fetch_company, lookup_cik, ticker_map
from r2k.store import Store
from r2k.store.constituents import company_log, load_facts, write_holdings
from r2k.store.fundamentals import fetch_fundamentals

NOW = datetime(2026, 3, 1)


def test_ticker_map_and_share_class_lookup():
    tickers = ticker_map(sec_client())
    assert tickers["ACMI"] == (1000001, "ACME INDUSTRIAL CORP")
    assert lookup_cik(tickers, "GEFB") == (1000006, "CLASS B EXAMPLE")  # fund files drop the dash
    assert lookup_cik(tickers, "gef.b") == (1000006, "CLASS B EXAMPLE")
    assert lookup_cik(tickers, "ZZZZ") is None


def test_industrial_facts_are_mapped_with_periods_and_filing_dates():
    body = json.loads((SEC / "CIK0001000001.json").read_text())
    f = facts_frame(body, "ACMI")
    assert set(f["concept"]) == {"revenue", "operating_income", "net_income", "interest_expense", "depreciation", "assets",
                                 "current_assets", "current_liabilities", "liabilities", "equity", "debt", "cash",
                                 "operating_cash_flow", "capex", "shares"}
    assert "EarningsPerShareBasic" not in set(f["tag"])  # unmapped tags (and their USD/shares unit) are ignored
    q1 = f[(f["tag"] == "Revenues") & (f["period_end"] == "2025-03-31")].iloc[0]
    assert (q1["days"], q1["value"], q1["filed"]) == (89, pytest.approx(100 * 1.02**28), pd.Timestamp("2025-05-10"))
    assert f[(f["tag"] == "Assets")]["days"].eq(0).all()


def test_company_outcomes_no_facts_unit_and_missing_cik():
    client = sec_client()
    ok = fetch_company(client, "ACMI", 1000001, None)
    assert ok.status == "ok" and ok.name == "ACME INDUSTRIAL CORP" and ok.last_filed == date(2026, 3, 1)
    gone = fetch_company(client, "NOXB", 1000004, "NO XBRL HOLDINGS")  # SEC answers 404
    assert (gone.status, gone.message) == ("no_facts", "NOXB (CIK 0001000004): SEC has no XBRL facts for this company")
    empty = fetch_company(client, "GEFB", 1000006, None)  # a file with an empty facts object
    assert empty.status == "no_facts"
    euro = fetch_company(client, "EURO", 1000005, None)
    assert euro.status == "error" and euro.facts is None
    assert euro.message == "EURO (CIK 0001000005): us-gaap:Revenues is reported in EUR, expected USD"
    assert fetch_company(client, "ZZZZ", None, None).status == "no_cik"


def test_user_agent_is_required_and_sent():
    with pytest.raises(ProviderError, match="R2K_SEC_USER_AGENT"):
        SecClient(None)
    with pytest.raises(ProviderError, match="e-mail"):
        SecClient("r2k")
    get = RecordedSec()
    ticker_map(sec_client(get))
    assert get.calls == [("https://www.sec.gov/files/company_tickers.json", UA)]


def test_rate_limit_page_is_retried_then_reported_in_one_line():
    slept: list[float] = []
    client = SecClient(UA, get=RecordedSec(throttle=2), sleep=slept.append, probe=no_probe, delays=(1.0, 2.0, 4.0))
    assert "ACMI" in ticker_map(client)  # two throttled answers, then the file
    assert [s for s in slept if s >= 1.0] == [1.0, 2.0]
    client = SecClient(UA, get=RecordedSec(throttle=99), sleep=lambda s: None, probe=no_probe, delays=(1.0, 2.0))
    with pytest.raises(ProviderError) as err:
        fetch_company(client, "ACMI", 1000001, None)
    assert "ACMI (CIK 0001000001): SEC is rate-limiting requests ('Request Rate Threshold Exceeded'" in str(err.value)


def test_undeclared_tool_and_server_errors():
    page = "<html><title>SEC.gov | Your Request Originates from an Undeclared Automated Tool</title></html>"
    client = SecClient(UA, get=lambda url, headers, timeout: FakeResponse(403, page), sleep=lambda s: None, probe=no_probe)
    with pytest.raises(ProviderError, match="undeclared automated tool"):
        ticker_map(client)
    client = SecClient(UA, get=lambda url, headers, timeout: FakeResponse(503, "busy"), sleep=lambda s: None, probe=no_probe)
    with pytest.raises(ProviderError, match="HTTP 503"):
        ticker_map(client)


def test_requests_are_spaced_to_the_rate_ceiling():
    t = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        t[0] += s

    client = SecClient(UA, get=RecordedSec(), sleep=sleep, clock=lambda: t[0], probe=no_probe, rate=10.0)
    for _ in range(3):
        ticker_map(client)
    assert slept == pytest.approx([0.1, 0.1])


def _store_with_holdings(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    write_holdings(store, read_holdings_file(write(tmp_path, "h.csv", ishares_text())), NOW)
    return store


def test_fetch_is_resumable_incremental_and_logs_company_problems(tmp_path):
    get = RecordedSec()
    with _store_with_holdings(tmp_path) as store:
        s = fetch_fundamentals(store, sec_client(get), NOW)
        assert (s.requested, s.fetched, s.skipped_fresh) == (6, 6, 0)
        assert s.statuses == {"ok": 3, "no_facts": 2, "error": 1}
        assert any("EUR" in p for p in s.problems)
        log = company_log(store).set_index("ticker")
        assert log.loc["EURO", "status"] == "error" and log.loc["EURO", "facts"] == 0
        n_facts = len(load_facts(store, date(2030, 1, 1)))
        assert s.facts_new == n_facts > 0
        assert 1000005 not in set(load_facts(store, date(2030, 1, 1))["cik"])  # nothing half-stored
        # a second run the next day skips every company (resumes); with max_age 0 it refetches, adding nothing
        calls = len(get.calls)
        again = fetch_fundamentals(store, sec_client(get), datetime(2026, 3, 2))
        assert (again.fetched, again.skipped_fresh, len(get.calls)) == (0, 6, calls)
        full = fetch_fundamentals(store, sec_client(get), datetime(2026, 3, 2), max_age_days=0)
        assert (full.fetched, full.facts_new) == (6, 0)


def test_offline_fails_fast_in_one_line_with_the_store_untouched(tmp_path):
    def offline(host: str) -> None:
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    client = SecClient(UA, get=RecordedSec(), sleep=lambda s: None, probe=offline)
    with _store_with_holdings(tmp_path) as store:
        with pytest.raises(ProviderError) as err:
            fetch_fundamentals(store, client, NOW)
        assert str(err.value) == ("SEC fundamentals: cannot reach SEC EDGAR (www.sec.gov): offline (DNS lookup failed); "
                                  "nothing was fetched or stored")
        assert company_log(store).empty and load_facts(store, date(2030, 1, 1)).empty


def test_rate_limit_mid_run_keeps_finished_companies(tmp_path):
    class ThrottleAfter(RecordedSec):
        def __call__(self, url, headers, timeout):
            if len(self.calls) >= 3:  # the map and two companies, then SEC says stop
                self.calls.append((url, headers.get("User-Agent")))
                return FakeResponse(429, "Too Many Requests")
            return super().__call__(url, headers, timeout)

    client = SecClient(UA, get=ThrottleAfter(), sleep=lambda s: None, probe=no_probe, delays=(1.0,))
    with _store_with_holdings(tmp_path) as store:
        with pytest.raises(ProviderError, match="rate-limiting"):
            fetch_fundamentals(store, client, NOW, batch=2)
        assert list(company_log(store)["ticker"]) == ["ACMI", "FBNK"]


def test_a_malformed_fact_is_a_company_error_naming_it():
    body = {"cik": 7, "entityName": "BROKEN", "facts": {"us-gaap": {"Assets": {"units": {"USD": [
        {"end": "2024-12-31", "val": 5.0, "accn": "a", "filed": "2025-02-01"},
        {"end": "2024-13-31", "val": 5.0, "accn": "b", "filed": "2025-02-01"}]}}}}}
    with pytest.raises(ProviderError, match=r"BRK: Assets fact 2 is malformed or inconsistent \(start None, end 2024-13-31"):
        facts_frame(body, "BRK")
    body["facts"]["us-gaap"]["Assets"]["units"]["USD"][1] = {"end": "2024-12-31", "val": 1.0, "accn": "c", "filed": "2024-06-01"}
    with pytest.raises(ProviderError, match="fact 2 is malformed or inconsistent"):  # filed before the period ended
        facts_frame(body, "BRK")


@pytest.mark.skipif(os.environ.get("R2K_ONLINE_TESTS") != "1" or not os.environ.get("R2K_SEC_USER_AGENT"),
                    reason="set R2K_ONLINE_TESTS=1 and R2K_SEC_USER_AGENT='Name email' to use the network")
def test_online_sec_companyfacts():
    client = SecClient(os.environ["R2K_SEC_USER_AGENT"])
    client.check_online()
    cik, _ = lookup_cik(ticker_map(client), "AAPL")
    record = fetch_company(client, "AAPL", cik, None)
    assert record.status == "ok" and cik == 320193
    assert {"revenue", "net_income", "assets", "equity"} <= set(record.facts["concept"])
