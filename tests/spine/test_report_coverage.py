"""The coverage section counts what is known at the report's as-of date, not what the store holds today."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from r2k.config import Settings
from r2k.report.context import ReportContext
from r2k.report.sections import coverage
from r2k.store import Store
from tests_support import NOW, macro_series, price_series


def test_coverage_is_measured_as_of_the_report_date(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write(
            [
                price_series("RUT", np.arange(100.0, 110.0), start="2024-01-01"),  # business days to 2024-01-12
                price_series("IWM", np.array([50.0, 51.0]), start="2024-02-01"),  # starts after the as-of date
                macro_series("UNRATE", np.array([3.7, 3.8, 3.9]), start="2023-12-01"),  # 12-01, 01-01, 02-01
            ],
            "test",
            NOW,
        )
        ctx = ReportContext(store=s, as_of=date(2024, 1, 4), settings=Settings(store_path=store_path))
        section = coverage.build(ctx)
    rows = {r["id"]: r for r in section.facts["series"]}
    assert (rows["RUT"]["first"], rows["RUT"]["last"], rows["RUT"]["rows"], rows["RUT"]["days_behind"]) == (
        date(2024, 1, 1), date(2024, 1, 4), 4, 0)
    assert (rows["UNRATE"]["last"], rows["UNRATE"]["rows"], rows["UNRATE"]["days_behind"]) == (date(2024, 1, 1), 2, 3)
    assert (rows["IWM"]["first"], rows["IWM"]["last"], rows["IWM"]["rows"], rows["IWM"]["days_behind"]) == (None, None, 0, None)
    assert "Rows after the as-of date exist in the store" in section.html
    assert "2024-01-12" not in section.html and "2024-02-01" not in section.html  # nothing after as-of is shown
    assert [rows[k]["stale"] for k in ("RUT", "IWM", "UNRATE")] == [False, False, False]
    assert rows["UNRATE"]["cadence"] == "monthly" and rows["RUT"]["source"] == "test"


def test_coverage_flags_stale_series_and_hides_machine_paths(store_path: Path) -> None:
    with Store(store_path) as s:
        s.write([price_series("RUT", np.arange(100.0, 110.0), start="2024-01-01", source="csv:/home/me/data/RUT.csv"),
                 price_series("XLB", np.arange(10.0, 12.0), start="2024-01-01", source="csv:/home/me/data/etf/XLB.csv"),
                 macro_series("DRTSCILM", np.array([5.0, 7.0]), start="2023-01-01", freq="QS")], "test", NOW)
        ctx = ReportContext(store=s, as_of=date(2024, 1, 12), settings=Settings(store_path=store_path))
        section = coverage.build(ctx)
    rows = {r["id"]: r for r in section.facts["series"]}
    # XLB stops 2024-01-02: 8 sessions missed; DRTSCILM's 2023-07 survey was due early September 2023
    assert (rows["XLB"]["days_behind"], rows["XLB"]["stale"]) == (10, True)
    assert (rows["DRTSCILM"]["cadence"], rows["DRTSCILM"]["stale"]) == ("quarterly", True)
    assert not rows["RUT"]["stale"] and section.facts["stale"] == ["XLB", "DRTSCILM"]
    assert "/home/me" not in section.html and "XLB.csv" in section.html and "STALE" in section.html
    assert "2 of 3 series are stale" in section.markdown
    # names next to ids, in the table and in the stale list
    assert "<td>Materials sector fund</td><td>XLB</td>" in section.html and rows["RUT"]["name"] == "Russell 2000"
    assert "stale in the store: Materials sector fund, SLOOS" not in section.markdown
    assert ": Materials sector fund, SLOOS: net % of banks tightening C&amp;I loans (large firms)." in section.markdown
