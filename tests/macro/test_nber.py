"""USREC as NBER had announced it: a recession is known from its peak announcement and closes only at the
announced trough (the release rule of the cycle validation)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from r2k.calendar.nber import NBER_RECESSIONS, usrec_as_of
from r2k.macro.cycle import validate_nber
from r2k.snapshot import Snapshot


def usrec() -> pd.Series:
    months = pd.date_range("2000-01-01", "2025-12-01", freq="MS")
    rec = [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in
           (("2001-04-01", "2001-11-01"), ("2008-01-01", "2009-06-01"), ("2020-03-01", "2020-04-01"))]
    return pd.Series([float(any(a <= m <= b for a, b in rec)) for m in months], index=months)


@pytest.mark.parametrize("as_of, last, ones", [
    (date(2020, 3, 21), "2020-02-01", 26),  # the March-2020 recession was announced on 2020-06-08
    (date(2020, 6, 8), "2020-06-01", 30),   # announced: open through the as-of month (trough unknown)
    (date(2021, 7, 19), "2021-07-01", 28),  # trough announced: 2020-03..04 only
    (date(2008, 10, 15), "2007-12-01", 8),  # the 2008 recession was announced on 2008-12-01
    (date(2008, 12, 1), "2008-12-01", 20),
])
def test_recessions_are_known_only_once_announced(as_of: date, last: str, ones: int) -> None:
    known = usrec_as_of(usrec(), as_of)
    assert known.index[-1] == pd.Timestamp(last)
    assert int(known.sum()) == ones


def test_a_recession_missing_from_the_table_is_not_known() -> None:
    u = usrec()
    u[pd.Timestamp("2024-05-01")] = 1.0
    assert usrec_as_of(u, date(2025, 12, 31)).index[-1] == pd.Timestamp("2024-04-01")


def test_validation_as_of_march_2020_does_not_know_that_recession() -> None:
    months = pd.date_range("2015-01-31", "2020-03-31", freq="ME")
    phase = pd.Series("mid", index=months)
    v = validate_nber(phase, usrec_as_of(usrec(), date(2020, 3, 21)))
    assert [r.start for r in v.recessions] == []
    assert v.months_evaluated == 62  # 2015-01 .. 2020-02


def test_table_is_chronological_and_announcements_follow_the_months() -> None:
    for tp in NBER_RECESSIONS:
        assert pd.Timestamp(tp.peak_announced) > pd.Timestamp(tp.peak) and tp.trough_announced > tp.peak_announced


def test_cycle_history_on_shared_data_is_point_in_time(shared_store) -> None:  # noqa: ANN001 - fixture
    from r2k.features.analysis import cycle_report
    from r2k.store import Store

    with Store(shared_store, read_only=True) as s:
        early = cycle_report(Snapshot(s, date(2020, 3, 20)), with_history=True).validation
        late = cycle_report(Snapshot(s, date(2008, 10, 15)), with_history=True).validation
    assert all(r.start < date(2020, 1, 1) for r in early.recessions)
    assert all(r.start < date(2008, 1, 1) for r in late.recessions)
