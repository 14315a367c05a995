"""The store: round trips, idempotence, atomicity, provenance, vintages and migrations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from r2k.errors import DataError, StoreError
from r2k.providers.base import SeriesData
from r2k.store import Store
from r2k.store.schema import SCHEMA_VERSION
from tests_support import NOW, macro_series, price_series

LATER = datetime(2026, 2, 1)


def snapshot(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("series", "bars", "observations", "imports")}
    finally:
        con.close()


def test_round_trip_price_and_macro(store_path: Path) -> None:
    rut = price_series("RUT", np.array([100.0, 101.5, 99.25]))
    dgs = macro_series("DGS10", np.array([4.0, -0.5, np.nan, 3.0]))
    with Store(store_path) as s:
        summary = s.write([rut, dgs], "test", NOW)
        assert (summary.rows_new, summary.rows_changed, summary.rows_unchanged) == (6, 0, 0)
        pdt.assert_frame_equal(s.read("RUT"), rut.frame)
        pdt.assert_frame_equal(s.read("dgs10"), dgs.frame)
        assert s.kind("RUT") == "price" and s.kind("DGS10") == "macro"
        info = {i.id: i for i in s.status()}
        assert info["RUT"].rows == 3 and str(info["RUT"].first) == "2020-01-01" and str(info["RUT"].last) == "2020-01-03"
        assert info["DGS10"].rows == 3


def test_reimport_changes_nothing_and_keeps_provenance(store_path: Path) -> None:
    rut = price_series("RUT", np.array([100.0, 101.0]))
    with Store(store_path) as s:
        s.write([rut], "first", NOW)
    before = snapshot(store_path)
    with Store(store_path) as s:
        summary = s.write([rut], "second", LATER)
    after = snapshot(store_path)
    assert summary.rows_unchanged == 2 and summary.rows_new == 0 and summary.rows_changed == 0
    assert before == after  # every table, the import log included
    assert len(after["imports"]) == 1
    with Store(store_path, read_only=True) as s:
        assert s.row_provenance("RUT", "2020-01-01") == {"source": "test", "imported_at": NOW}


def test_incremental_write_updates_changed_rows_only(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("RUT", np.array([100.0, 101.0]))], "a", NOW)
        summary = s.write([price_series("RUT", np.array([100.0, 102.0, 103.0]), source="b")], "b", LATER)
        assert (summary.rows_new, summary.rows_changed, summary.rows_unchanged) == (1, 1, 1)
        assert s.read("RUT")["close"].tolist() == [100.0, 102.0, 103.0]
        assert s.row_provenance("RUT", "2020-01-01")["imported_at"] == NOW
        assert s.row_provenance("RUT", "2020-01-02") == {"source": "b", "imported_at": LATER}


def test_failed_write_leaves_store_exactly_as_before(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("RUT", np.array([100.0, 101.0]))], "a", NOW)
    before = snapshot(store_path)
    good = price_series("GSPC", np.array([1.0, 2.0]))
    wrong_kind = macro_series("RUT", np.array([1.0]))  # RUT is stored as a price series
    with Store(store_path) as s, pytest.raises(DataError, match="stored as price"):
        s.write([good, wrong_kind], "b", LATER)
    broken = SeriesData("GSPC", "price", pd.DataFrame({"date": [1]}), "broken")  # missing columns: fails mid-write
    with Store(store_path) as s, pytest.raises(KeyError):
        s.write([price_series("VIX", np.array([20.0])), broken], "c", LATER)
    assert snapshot(store_path) == before


def test_read_ranges_and_as_of(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("RUT", np.arange(1.0, 11.0))], "a", NOW)
        assert s.read("RUT", start="2020-01-03", end="2020-01-07")["close"].tolist() == [3.0, 4.0, 5.0]
        assert s.read("RUT", as_of="2020-01-06")["close"].tolist() == [1.0, 2.0, 3.0, 4.0]
        assert s.read("RUT", end="2020-01-10", as_of="2020-01-02")["close"].tolist() == [1.0, 2.0]
        assert s.read("RUT", as_of="2019-01-01").empty
        assert s.last_date("RUT").isoformat() == "2020-01-14"
        close = s.series("RUT", as_of="2020-01-02")
        assert close.name == "RUT" and close.tolist() == [1.0, 2.0]


def test_vintages_read_the_value_known_then(store_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]).astype("datetime64[us]"),
            "value": [100.0, 101.0, 102.0],
            "realtime_start": pd.to_datetime(["2024-02-13", "2024-03-12", "2024-03-12"]),
        }
    )
    with Store(store_path) as s:
        s.write([SeriesData("CPIAUCSL", "macro", frame, "fred:CPIAUCSL")], "fred", NOW)
        assert s.read("CPIAUCSL", as_of="2024-02-12").empty
        assert s.read("CPIAUCSL", as_of="2024-02-20")["value"].tolist() == [100.0]
        assert s.read("CPIAUCSL", as_of="2024-03-12")["value"].tolist() == [101.0, 102.0]
        assert s.read("CPIAUCSL")["value"].tolist() == [101.0, 102.0]
        assert [i.rows for i in s.status()] == [2]


def test_missing_store_and_series_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "none.duckdb", read_only=True)
    with Store(tmp_path / "s.duckdb") as s, pytest.raises(StoreError, match="series NOPE is not in the store"):
        s.read("nope")


def test_schema_version_is_recorded_and_reopen_is_a_no_op(store_path: Path) -> None:
    Store(store_path).close()
    with Store(store_path) as s:
        assert s.con.execute("SELECT max(version), count(*) FROM schema_version").fetchall() == [(SCHEMA_VERSION, SCHEMA_VERSION)]
