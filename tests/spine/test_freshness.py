"""Data freshness: known ages, cadences and stale flags on synthetic series; export round trips."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.macro.catalog import SERIES
from r2k.macro.freshness import due_dates, expected_by, freshness, infer_cadence, series_freshness
from r2k.providers.registry import source_label
from r2k.store import Store
from tests_support import NOW, macro_series, price_series

runner = CliRunner()


@pytest.mark.parametrize(("as_of", "stale"), [(date(2024, 1, 9), False), (date(2024, 1, 10), True)])
def test_daily_prices_may_miss_three_sessions(as_of: date, stale: bool) -> None:
    # last bar Thursday 2024-01-04; sessions after it: 01-05, 01-08, 01-09 (allowed), 01-10 (the 4th: stale)
    f = series_freshness("RUT", "price", date(2024, 1, 4), as_of)
    assert (f.cadence, f.expected_by, f.age_days, f.max_age_days, f.stale) == ("D", date(2024, 1, 9),
                                                                                (as_of - date(2024, 1, 4)).days, 5, stale)


def test_holidays_do_not_count_as_missed_sessions() -> None:
    # last bar 2023-12-22 (Friday): 12-25 is a holiday, so the 3rd session after it is 12-28
    assert series_freshness("RUT", "price", date(2023, 12, 22), date(2023, 12, 28)).stale is False
    assert series_freshness("RUT", "price", date(2023, 12, 22), date(2023, 12, 29)).stale is True


def test_monthly_macro_uses_its_release_rule() -> None:
    # UNRATE for 2024-01 is out on the Employment Situation day for February (2024-03-08); 7 days' slack
    f = series_freshness("UNRATE", "macro", date(2024, 1, 1), date(2024, 3, 15))
    assert (f.cadence, f.expected_by, f.stale) == ("M", date(2024, 3, 15), False)
    assert series_freshness("UNRATE", "macro", date(2024, 1, 1), date(2024, 3, 16)).stale is True
    assert "Friday" in f.release and f.cadence_text == "monthly"


def test_real_cases_sector_etfs_and_sloos_are_stale() -> None:
    as_of = date(2026, 8, 27)
    etf = series_freshness("XLB", "price", date(2026, 1, 2), as_of)
    sloos = series_freshness("DRTSCILM", "macro", date(2022, 1, 1), as_of)
    assert (etf.age_days, etf.stale) == (237, True)
    # quarterly: the 2022-04 survey was due on the first trading day of June 2022 (+14 days' slack)
    assert (sloos.age_days, sloos.cadence, sloos.expected_by, sloos.stale) == (1699, "Q", date(2022, 6, 15), True)


def test_unknown_series_infer_their_cadence() -> None:
    assert infer_cadence(date(2000, 1, 1), date(2009, 12, 1), 120) == "M"
    assert infer_cadence(date(2000, 1, 3), date(2000, 12, 29), 52) == "W"
    assert infer_cadence(date(2000, 1, 3), date(2000, 12, 29), 252) == "D"
    assert infer_cadence(date(2000, 1, 1), date(2000, 1, 1), 1) is None
    f = series_freshness("USREC", "macro", date(2024, 1, 1), date(2024, 3, 1), first=date(2000, 1, 1), rows=289)
    # generic monthly lag: first trading day of the month after next (2024-04-01) + 7 days
    assert (f.cadence, f.inferred, f.expected_by, f.stale, f.cadence_text) == ("M", True, date(2024, 4, 8), False,
                                                                               "monthly (inferred)")


def test_freshness_over_store_status_as_of(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("RUT", np.arange(100.0, 110.0), start="2024-01-01"),  # to 2024-01-12
                 price_series("IWM", np.array([50.0, 51.0]), start="2024-02-01"),  # starts after the as-of date
                 macro_series("UNRATE", np.array([3.7, 3.8, 3.9]), start="2023-12-01")], "test", NOW)
        infos = s.status(date(2024, 1, 4))
    rows = {f.id: f for f in freshness(infos, date(2024, 1, 4))}
    assert (rows["RUT"].last, rows["RUT"].age_days, rows["RUT"].stale) == (date(2024, 1, 4), 0, False)
    assert (rows["IWM"].last, rows["IWM"].age_days, rows["IWM"].stale) == (None, None, False)
    assert (rows["UNRATE"].last, rows["UNRATE"].age_days) == (date(2024, 1, 1), 3)


def test_source_label_never_shows_the_machines_path() -> None:
    assert source_label("csv:/home/someone/data/fred/DGS10.csv") == "DGS10.csv"
    assert source_label("csv:C:\\data\\RUT.csv") == "RUT.csv"
    assert source_label("yahoo:^RUT") == "Yahoo Finance ^RUT"
    assert source_label("fred:DGS10") == "FRED DGS10"
    assert source_label("") == "unknown"


def _store_with_data(tmp_path: Path) -> tuple[Path, str]:
    data = tmp_path / "data"
    (data / "fred").mkdir(parents=True)
    (data / "RUT.csv").write_text("date,open,high,low,close,volume\n2024-01-02,99.5,101.25,98,100,1000\n"
                                  "2024-01-03,,,,102.125,\n2024-01-04,101,103,100.5,101.3333333333,2500\n")
    (data / "fred" / "DGS10.csv").write_text("date,value\n2024-01-02,3.9\n2024-01-03,\n2024-01-04,3.95\n")
    store = str(tmp_path / "s.duckdb")
    assert runner.invoke(app, ["data", "import", str(data), "--store", store]).exit_code == 0
    return data, store


@pytest.mark.parametrize("sid", ["RUT", "DGS10"])
def test_export_csv_reimports_to_the_same_rows(tmp_path: Path, sid: str) -> None:
    _, store = _store_with_data(tmp_path)
    out = tmp_path / "out" / f"{sid}.csv"
    res = runner.invoke(app, ["data", "export", sid.lower(), "--out", str(out), "--store", store, "--json"])
    assert res.exit_code == 0, res.output
    meta = json.loads(res.stdout)
    assert (meta["series_id"], meta["rows"], meta["first"], meta["last"]) == (sid, 3 if sid == "RUT" else 2,
                                                                              "2024-01-02", "2024-01-04")
    again = str(tmp_path / "again.duckdb")
    assert runner.invoke(app, ["data", "import", str(out.parent), "--store", again]).exit_code == 0
    with Store(store, read_only=True) as a, Store(again, read_only=True) as b:
        pd.testing.assert_frame_equal(a.read(sid), b.read(sid))


def test_export_as_of_and_parquet(tmp_path: Path) -> None:
    _, store = _store_with_data(tmp_path)
    out = tmp_path / "rut.parquet"
    res = runner.invoke(app, ["data", "export", "RUT", "--as-of", "2024-01-03", "--out", str(out), "--store", store])
    assert res.exit_code == 0, res.output
    frame = pd.read_parquet(out)
    assert list(frame.columns) == ["date", "open", "high", "low", "close", "adj_close", "volume"]
    assert [str(d) for d in frame["date"]] == ["2024-01-02", "2024-01-03"]
    assert frame["close"].tolist() == [100.0, 102.125] and np.isnan(frame["open"].iloc[1])


def test_export_errors_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    _, store = _store_with_data(tmp_path)
    bad = runner.invoke(app, ["data", "export", "RUT", "--out", str(tmp_path / "x.xlsx"), "--store", store])
    assert bad.exit_code == 1 and bad.stderr.strip().count("\n") == 0 and "unknown file type '.xlsx'" in bad.stderr
    missing = runner.invoke(app, ["data", "export", "NOPE", "--out", str(tmp_path / "x.csv"), "--store", store])
    assert missing.exit_code == 1 and "series NOPE is not in the store" in missing.stderr
    assert not list(tmp_path.glob("x.*"))


def test_status_without_as_of_lists_every_row_and_measures_ages_at_the_index_close(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("RUT", np.arange(100.0, 104.0), start="2024-01-01"),  # to 2024-01-04
                 price_series("IWM", np.arange(50.0, 58.0), start="2024-01-01")], "test", NOW)  # to 2024-01-10
    full = json.loads(runner.invoke(app, ["data", "status", "--store", str(store_path), "--json"]).stdout)
    rows = {r["id"]: r for r in full["series"]}
    assert full["as_of"] == "2024-01-04" and full["rows_after_as_of"] == ["IWM"]
    assert (rows["IWM"]["last"], rows["IWM"]["rows"], rows["IWM"]["age_days"], rows["IWM"]["stale"]) == (
        "2024-01-10", 8, 0, False)
    then = json.loads(runner.invoke(app, ["data", "status", "--store", str(store_path), "--as-of", "2024-01-03",
                                          "--json"]).stdout)
    assert {r["id"]: (r["last"], r["rows"]) for r in then["series"]} == {"IWM": ("2024-01-03", 3),
                                                                           "RUT": ("2024-01-03", 3)}


def test_status_of_a_macro_only_store(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([macro_series("UNRATE", np.array([3.7, 3.8]), start="2023-12-01")], "test", NOW)
    res = runner.invoke(app, ["data", "status", "--store", str(store_path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["as_of"] == "2024-01-01" and out["series"][0]["age_days"] == 0


def test_export_round_trip_on_the_shared_data(shared_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    for sid in ("RUT", "DRTSCILM"):
        res = runner.invoke(app, ["data", "export", sid, "--out", str(out / f"{sid}.csv"), "--store", str(shared_store)])
        assert res.exit_code == 0, res.output
    again = tmp_path / "again.duckdb"
    assert runner.invoke(app, ["data", "import", str(out), "--store", str(again)]).exit_code == 0
    with Store(shared_store, read_only=True) as a, Store(again, read_only=True) as b:
        for sid in ("RUT", "DRTSCILM"):
            pd.testing.assert_frame_equal(a.read(sid), b.read(sid))


def test_due_dates_are_expected_by_for_every_catalog_series() -> None:
    """The feature matrix's carry limit (vectorised) is the dashboard's stale rule (one date at a time)."""
    rng = np.random.default_rng(0)
    for sid, spec in SERIES.items():
        obs = pd.DatetimeIndex(sorted(pd.Timestamp("1985-01-01") + pd.to_timedelta(rng.integers(0, 15000, 40), unit="D")))
        if spec.freq in ("M", "Q"):
            obs = obs.to_period("M").to_timestamp()
        got = due_dates(obs, spec.freq, spec.release)
        assert [d.date() for d in got] == [expected_by(d.date(), spec.freq, spec.release) for d in obs], sid
