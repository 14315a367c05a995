"""Scorecards (known answers on the grids), company kinds, index aggregation by weight, report rows."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pytest
from constituents_support import SEC, ishares_text, sec_client, write

from r2k.analytics.fundamentals import fundamentals
from r2k.outlook.constituents import TAG_RANK, aggregate, index_category_ratings, report_rows, store_report_rows
from r2k.outlook.scale import NOTCHES, grade, notch, number
from r2k.outlook.scorecard import FINANCIAL, INDUSTRIAL, REIT, CategoryScore, CompanyRating, rate_company
from r2k.providers.holdings import read_holdings_file
from r2k.providers.sec import facts_frame
from r2k.store import Store
from r2k.store.constituents import write_holdings
from r2k.store.fundamentals import fetch_fundamentals


def test_scale_has_21_notches_and_round_trips():
    assert len(NOTCHES) == 21 and NOTCHES[0] == "Aaa" and NOTCHES[-1] == "C"
    assert all(notch(number(n)) == n for n in NOTCHES)
    assert notch(6.49) == "A2" and notch(6.5) == "A2" and notch(6.51) == "A3" and notch(0.2) == "Aaa" and notch(40) == "C"
    assert notch(float("nan")) is None and grade("Baa3") == "Baa" and grade("Ca") == "Ca" and grade("Aaa") == "Aaa"


def test_grids_score_anchor_values_at_the_middle_notch_and_interpolate():
    g = INDUSTRIAL["operating_margin"]
    assert [g.score(v) for v in (0.30, 0.15, 0.10, -0.20)] == [1, 6, 9, 20]
    assert g.score(0.125) == pytest.approx(7.5) and g.score(0.9) == 1 and g.score(-3) == 20
    lev = INDUSTRIAL["debt_to_ebitda"]  # lower is better
    assert lev.score(0.0) == 1 and lev.score(2.75) == 9 and lev.score(3.25) == pytest.approx(10.5) and lev.score(50) == 20
    assert math.isnan(g.score(float("nan")))


def _rate(name: str, ticker: str, sector: str, as_of: date) -> CompanyRating:
    cik = {"ACMI": 1, "FBNK": 2, "RLTY": 3}[ticker]
    facts = facts_frame(json.loads((SEC / f"CIK000100000{cik}.json").read_text()), ticker)
    return rate_company(ticker, name, sector, 1.0, fundamentals(facts, as_of, TAG_RANK))


def test_industrial_scorecard_known_answers():
    r = _rate("Acme", "ACMI", "Industrials", date(2025, 2, 15))
    R = sum(100 * 1.02 ** k for k in range(23, 27))  # TTM revenue to 2024-09-30
    c = r.categories
    growth = INDUSTRIAL["revenue_growth"].score(1.02**4 - 1)
    assert c["income"].short_term == pytest.approx((6 + 6 + growth) / 3)  # margins 15% and 10% sit on the A anchors
    assert c["balance"].short_term == pytest.approx((6 + 7.5) / 2)  # current ratio 2.0; equity/assets 0.5
    assert c["leverage"].measures["debt_to_ebitda"] == pytest.approx(200 / (0.18 * R))
    assert c["leverage"].measures["interest_coverage"] == pytest.approx(7.5)
    assert c["cash_flow"].measures["fcf_to_debt"] == pytest.approx(0.10 * R / 200)
    assert c["returns"].measures["roic"] == pytest.approx(0.15 * R * 0.79 / 550)
    assert notch(c["balance"].short_term) == "A3"
    # the ratios are the same every year, so the long term equals the level (no trend, no instability)
    assert c["balance"].long_term == pytest.approx(6.75)


def test_bank_is_scored_only_on_bank_measures():
    r = _rate("Bank", "FBNK", "Financials", date(2026, 3, 15))
    assert r.kind == "financial"
    assert r.categories["returns"].short_term == pytest.approx((8.0 + 9.0) / 2)  # ROA 1.0%, ROE 10%
    assert r.categories["balance"].short_term == pytest.approx(7.5)  # equity/assets 10%
    assert r.categories["balance"].long_term == pytest.approx(7.5)
    for cat in ("income", "leverage", "cash_flow"):
        assert math.isnan(r.categories[cat].short_term)
        assert r.categories[cat].note == "not rated: does not apply to a financial company"
    assert FINANCIAL["roa"].score(0.01) == pytest.approx(8.0)


def test_reit_uses_reit_grids():
    r = _rate("Reit", "RLTY", "Real Estate", date(2026, 3, 15))
    assert r.kind == "reit"
    assert r.categories["leverage"].short_term == pytest.approx((8.0 + 9.0) / 2)  # debt/EBITDA 6.0, coverage 2.5
    assert r.categories["balance"].short_term == pytest.approx(REIT["equity_to_assets"].score(700 / 1500))
    assert math.isnan(r.categories["returns"].short_term)


def _company(ticker: str, weight: float, sector: str, score: float) -> CompanyRating:
    cats = {c: CategoryScore(score, score, {}) for c in ("income", "balance", "leverage", "cash_flow", "returns")}
    return CompanyRating(ticker, ticker, sector, "industrial", weight, "2025-12-31", cats)


def test_aggregate_weights_coverage_distribution_and_threshold():
    rows = aggregate([_company("A", 0.5, "Tech", 3.0), _company("B", 0.3, "Tech", 9.0), _company("C", 0.2, "Energy", float("nan"))])
    income = rows[0]
    assert income.short_score == pytest.approx((0.5 * 3 + 0.3 * 9) / 0.8)  # 5.25 -> A1
    assert (income.short_term, income.coverage, income.rated) == ("A1", pytest.approx(0.8), 2)
    assert income.distribution["Aa"] == pytest.approx(0.625) and income.distribution["Baa"] == pytest.approx(0.375)
    assert sum(income.distribution.values()) == pytest.approx(1.0)
    assert income.sectors["Energy"]["coverage"] == 0.0 and income.sectors["Tech"]["short_term"] == "A1"
    thin = aggregate([_company("A", 0.4, "Tech", 3.0), _company("C", 0.6, "Energy", float("nan"))])[0]
    assert thin.short_term is None and thin.note == "insufficient coverage: 40% of index weight rated, 50% needed"


@pytest.fixture
def fetched_store(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        write_holdings(store, read_holdings_file(write(tmp_path, "h.csv", ishares_text())), datetime(2026, 3, 1))
        fetch_fundamentals(store, sec_client(), datetime(2026, 3, 1))
    return path


def test_index_ratings_from_the_store(fetched_store):
    with Store(fetched_store, read_only=True) as store:
        res = index_category_ratings(store, date(2026, 3, 15))
    assert (res.companies, res.with_fundamentals, res.holdings_date) == (6, 3, date(2026, 1, 5))
    rows = {r.category: r for r in res.rows}
    assert rows["balance"].coverage == pytest.approx(70 / 99)  # ACMI, FBNK, RLTY
    assert rows["balance"].short_term is not None
    assert rows["income"].coverage == pytest.approx(40 / 99) and rows["income"].short_term is None
    assert rows["income"].note.startswith("insufficient coverage: 40%")
    assert rows["leverage"].coverage == pytest.approx(50 / 99)  # ACMI and the REIT
    table = report_rows(res)
    assert table[0][0] == "Income statement" and table[1][3] == "71% of index weight"
    d = res.to_dict(companies=True)
    assert d["as_of"] == date(2026, 3, 15) and len(d["ratings"]) == 6


def test_report_rows_say_why_when_data_is_missing(tmp_path):
    with Store(tmp_path / "empty.duckdb") as store:
        rows = store_report_rows(store)
        assert rows[0] == ("Income statement", "—", "—", "—", "unavailable: no IWM holdings stored (run 'r2k constituents import FILE')")
        write_holdings(store, read_holdings_file(write(tmp_path, "h.csv", ishares_text())), datetime(2026, 3, 1))
        rows = store_report_rows(store)
    assert len(rows) == 5 and all(r[4] == "unavailable: no fundamentals stored (run 'r2k constituents fetch')" for r in rows)
