"""Integration on ../shared/data (skipped when absent): every file imports, values match SOURCES.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from r2k.store import Store
from r2k.store.ingest import import_directory
from tests_support import NOW


def test_every_series_file_imports(shared_store: Path, shared_data: Path) -> None:
    expected = {p.stem.upper() for p in shared_data.rglob("*.csv")} - {"IWM_DIVIDENDS", "IWM_HOLDINGS_2026-05-05"}
    expected -= {p.stem.upper() for p in (shared_data / "text").glob("*.csv")}
    with Store(shared_store, read_only=True) as s:
        info = {i.id: i for i in s.status()}
    assert set(info) == expected
    assert info["RUT"].kind == "price" and info["DGS10"].kind == "macro"
    assert (str(info["RUT"].first), str(info["RUT"].last), info["RUT"].rows) == ("1987-09-10", "2026-08-27", 9815)
    assert info["GSPC"].rows == 24782 and info["IWM"].rows == 6622 and info["VIX"].rows == 9232


def test_known_closes_from_sources(shared_store: Path) -> None:
    with Store(shared_store, read_only=True) as s:
        rut = s.series("RUT")
        assert rut[pd.Timestamp("2024-05-28")] == 2066.85
        assert rut[pd.Timestamp("2021-11-08")] == 2442.74
        assert rut[: "2025-09-17"].max() == 2442.74 and rut[pd.Timestamp("2025-09-18")] == 2467.70
        assert s.read("RUT", start="2026-08-27")["open"].isna().all()  # close-only tail
        iwm = s.read("IWM", start="2000-05-26", end="2000-05-26")
        assert round(iwm["adj_close"].iloc[0], 4) == 32.5057


def test_reimport_of_shared_data_is_a_no_op(shared_store: Path, shared_data: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(shared_store.read_bytes())
    with Store(copy) as s:
        summary, _ = import_directory(s, shared_data, NOW)
    assert summary.rows_new == 0 and summary.rows_changed == 0 and summary.rows_unchanged > 200_000
