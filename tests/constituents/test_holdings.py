"""Holdings files: both layouts, the checks on bad files, the store round trip, profile and change."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from constituents_support import HEADER, LINES, PREAMBLE, ishares_text, write

from r2k.analytics.holdings import change, profile
from r2k.errors import DataError, StoreError
from r2k.providers.holdings import equity_weights, read_holdings_file
from r2k.store import Store
from r2k.store.constituents import load_holdings, snapshot_dates, write_holdings
from r2k.store.schema import SCHEMA_VERSION

NOW = datetime(2026, 1, 6)


def test_ishares_layout_parses_preamble_numbers_and_stops_at_legal_text(tmp_path):
    snap = read_holdings_file(write(tmp_path, "IWM_holdings.csv", ishares_text()))
    assert (snap.fund, snap.as_of, snap.layout) == ("IWM", date(2026, 1, 5), "ishares")
    f = snap.frame
    assert list(f["ticker"]) == [line[0] for line in LINES]
    assert f["weight"].sum() == pytest.approx(1.0)
    assert f.loc[0, "market_value"] == 40_000_000.0 and f.loc[0, "weight"] == pytest.approx(0.40)
    assert f.loc[0, "quantity"] == 1000.0


def test_tidy_layout_of_the_shared_file(shared_data):
    snap = read_holdings_file(shared_data / "constituents" / "IWM_holdings_2026-05-05.csv")
    assert (snap.as_of, snap.layout, len(snap.frame)) == (date(2026, 5, 5), "tidy", 1929)
    assert snap.frame["weight"].sum() == pytest.approx(0.999)
    eq = equity_weights(snap.frame)
    assert len(eq) == 1920 and eq["weight"].sum() == pytest.approx(1.0)  # 1,924 equity lines, 4 without a ticker
    assert eq.iloc[0]["ticker"] == "BE"
    p = profile(snap.frame, snap.as_of)
    assert (round(p.top10_share, 4), round(p.effective_holdings), round(p.sector_weights["Industrials"], 4)) == (0.0729, 532, 0.1954)


@pytest.mark.parametrize("text, words", [
    (ishares_text(preamble=PREAMBLE.replace("Fund Holdings as of", "Holdings on")), "preamble changed"),
    (ishares_text(preamble=PREAMBLE.replace("Jan 05, 2026", "05/01/26")), "preamble changed"),
    (ishares_text(header=HEADER.replace("Weight (%)", "Allocation")), "no weight column"),
    (ishares_text(lines=LINES[:3]), "weights sum to 70.00%"),
    (ishares_text(lines=[(*LINES[0][:5], "forty"), *LINES[1:]]), "weight_pct 'forty' is not a number"),
    (PREAMBLE, "no holdings table"),
    ("", "empty file"),
])
def test_bad_files_raise_one_line_naming_the_file(tmp_path, text, words):
    path = write(tmp_path, "IWM_holdings.csv", text)
    with pytest.raises(DataError) as err:
        read_holdings_file(path)
    assert words in str(err.value) and "IWM_holdings.csv" in str(err.value)
    assert "\n" not in str(err.value)


def test_bad_number_names_its_line(tmp_path):
    lines = [LINES[0], (*LINES[1][:5], "x"), *LINES[2:]]
    with pytest.raises(DataError, match="line 12"):  # 9 preamble lines, the header on 10, FBNK on 12
        read_holdings_file(write(tmp_path, "h.csv", ishares_text(lines=lines)))


def test_round_trip_history_and_point_in_time_reads(tmp_path):
    first = read_holdings_file(write(tmp_path, "a.csv", ishares_text()))
    moved = [(*LINES[0][:4], "30,000,000.00", "30.00"), LINES[1], LINES[2], LINES[3], LINES[4], LINES[5],
             ("NEWC", "NEW CO", "Energy", "Equity", "10,000,000.00", "10.00"), LINES[6]]
    second_text = ishares_text(lines=moved).replace("Jan 05, 2026", "Apr 06, 2026")
    second = read_holdings_file(write(tmp_path, "b.csv", second_text))
    with Store(tmp_path / "s.duckdb") as store:
        assert write_holdings(store, first, NOW).status == "new"
        assert write_holdings(store, first, NOW).status == "unchanged"
        assert write_holdings(store, second, datetime(2026, 4, 7)).status == "new"
        assert snapshot_dates(store) == [date(2026, 1, 5), date(2026, 4, 6)]
        d, frame = load_holdings(store, as_of=date(2026, 3, 31))
        assert d == date(2026, 1, 5)
        pd.testing.assert_frame_equal(frame, first.frame, check_dtype=False)
        assert load_holdings(store)[0] == date(2026, 4, 6)
        with pytest.raises(StoreError, match="no IWM holdings dated on or before 2025-12-31"):
            load_holdings(store, as_of=date(2025, 12, 31))


def test_profile_and_change_known_answers(tmp_path):
    a = read_holdings_file(write(tmp_path, "a.csv", ishares_text())).frame
    p = profile(a, date(2026, 1, 5))
    w = [40, 20, 10, 10, 10, 9]
    assert p.holdings == 6 and p.equity_share == pytest.approx(0.99)
    assert p.top10_share == pytest.approx(1.0)
    assert p.effective_holdings == pytest.approx(99**2 / sum(x * x for x in w))
    assert p.sector_weights["Industrials"] == pytest.approx(49 / 99)
    b = a.copy()
    b.loc[b["ticker"] == "NOXB", "ticker"] = "NEWC"  # one holding swapped for another of the same size
    c = change(a, date(2026, 1, 5), b, date(2026, 4, 6))
    assert (c.added, c.removed) == (1, 1)
    assert c.turnover == pytest.approx(10 / 99)
    assert c.sector_change["Industrials"] == pytest.approx(0.0)


def test_a_version_1_store_is_migrated_with_its_data_kept(tmp_path):
    import duckdb

    from r2k.store.schema import MIGRATIONS

    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute(MIGRATIONS[0])
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)")
    con.execute("INSERT INTO series VALUES ('RUT', 'price', 'test', TIMESTAMP '2026-01-01')")
    con.execute("INSERT INTO bars VALUES ('RUT', DATE '2026-01-02', NULL, NULL, NULL, 2000, NULL, NULL, 'test', TIMESTAMP '2026-01-01')")
    con.close()
    with Store(path) as store:
        assert store.series("RUT").iloc[0] == 2000
        assert snapshot_dates(store) == []
        assert store._one("SELECT max(version) FROM schema_version")[0] == SCHEMA_VERSION


@pytest.mark.parametrize("text", [
    ishares_text(preamble=PREAMBLE.replace("Jan 05, 2026", "Jan 01, 0001")),
    ishares_text(preamble=PREAMBLE.replace("Jan 05, 2026", "Dec 31, 9999")),
    "as_of,ticker,name,sector,asset_class,market_value,weight_pct\n0001-01-01,AAA,A,Energy,Equity,1,100\n",
])
def test_holdings_dates_outside_1800_2200_are_refused(tmp_path, text):
    with pytest.raises(DataError, match=r"h\.csv.*as-of date (0001-01-01|9999-12-31) is outside the years 1800\.\.2200"):
        read_holdings_file(write(tmp_path, "h.csv", text))


def test_holdings_dated_after_the_import_are_refused_and_nothing_is_stored(tmp_path):
    future = read_holdings_file(write(tmp_path, "IWM_2100.csv", ishares_text().replace("Jan 05, 2026", "Jan 01, 2100")))
    same_day = read_holdings_file(write(tmp_path, "IWM_today.csv", ishares_text().replace("Jan 05, 2026", "Jan 06, 2026")))
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(DataError, match=r"IWM_2100\.csv: holdings dated 2100-01-01 are after the import \(2026-01-06\)"):
            write_holdings(store, future, NOW)
        assert snapshot_dates(store) == []
        assert write_holdings(store, same_day, NOW).status == "new"  # dated the day of the import: fine


def test_a_stored_future_snapshot_never_becomes_the_default(tmp_path):
    """A store written before the check may hold a snapshot dated after its import: reads skip it."""
    snap = read_holdings_file(write(tmp_path, "a.csv", ishares_text()))
    with Store(tmp_path / "s.duckdb") as store:
        write_holdings(store, snap, NOW)
        store.con.execute("INSERT INTO holdings SELECT fund, DATE '2100-01-01', position, ticker, name, sector, asset_class,"
                          " weight, market_value, quantity, price, exchange, source, imported_at FROM holdings")
        store.con.execute("INSERT INTO holdings SELECT fund, DATE '0001-01-01', position, ticker, name, sector, asset_class,"
                          " weight, market_value, quantity, price, exchange, source, imported_at FROM holdings"
                          " WHERE as_of = DATE '2026-01-05'")
        assert snapshot_dates(store) == [date(2026, 1, 5)]
        assert load_holdings(store)[0] == date(2026, 1, 5)
        assert load_holdings(store, as_of=date(2150, 1, 1))[0] == date(2026, 1, 5)
        from r2k.outlook.constituents import index_category_ratings

        assert index_category_ratings(store).as_of == date(2026, 1, 5)
        store.con.execute("INSERT INTO sec_companies VALUES ('ACMI', 1, 'ACME', 'ok', '', 0, DATE '2100-01-01', ?)", [NOW])
        assert index_category_ratings(store).as_of == date(2026, 1, 5)  # a filing dated after its fetch is ignored


@pytest.mark.parametrize("line, words", [
    (("ACMI", "ACME INDUSTRIAL CORP", "Industrials", "Equity", "40,000,000.00", "-40.00"), "line 11: weight_pct '-40.00' of equity"),
    (("ACMI", "ACME INDUSTRIAL CORP", "Industrials", "Equity", "-40,000,000.00", "40.00"),
     "line 11: market_value '-40,000,000.00' of equity"),
])
def test_negative_equity_weights_and_market_values_are_refused(tmp_path, line, words):
    with pytest.raises(DataError, match=words + " holding ACMI is negative"):
        read_holdings_file(write(tmp_path, "h.csv", ishares_text(lines=[line, *LINES[1:]])))


def test_a_negative_cash_line_is_kept():
    """Cash and derivatives lines can be negative (settlements, futures): they are not equity holdings."""
    lines = [*LINES[:6], ("USD", "USD CASH", "Cash and/or Derivatives", "Cash", "-1,000,000.00", "-1.00"),
             ("XTSLA", "BLK CSH FND", "Cash and/or Derivatives", "Money Market", "2,000,000.00", "2.00")]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        snap = read_holdings_file(write(Path(tmp), "h.csv", ishares_text(lines=lines)))
    assert snap.frame["weight"].min() == pytest.approx(-0.01) and len(equity_weights(snap.frame)) == 6


def test_the_weight_basis_is_stated(tmp_path):
    full = read_holdings_file(write(tmp_path, "a.csv", ishares_text())).frame
    p = profile(full, date(2026, 1, 5))
    assert p.weight_basis == "market values" and p.to_dict()["weight_basis"] == "market values"
    assert "weights from market values" in p.summary()
    lines = [(*LINES[0][:4], "-", "40.00"), *LINES[1:]]  # one equity line without a market value
    gap = read_holdings_file(write(tmp_path, "b.csv", ishares_text(lines=lines))).frame
    q = profile(gap, date(2026, 1, 5))
    assert q.weight_basis == "the file's weights (1 equity line has no market value)"
    assert "weights from the file's weights (1 equity line has no market value)" in q.summary()
    assert q.sector_weights["Industrials"] == pytest.approx(49 / 99)  # the rounded weights: the same here
