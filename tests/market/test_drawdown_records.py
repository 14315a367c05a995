import numpy as np
import pytest
from market_support import series

from r2k.analytics.drawdown import drawdowns
from r2k.analytics.records import record_drought, record_positions


def path():
    """Peak 100 at row 10, trough 70 at row 20, back to 100 at row 35 (a tie), record 120 at row 45,
    a 5% dip, then 108 at the end (10% below 120)."""
    v = list(np.linspace(50, 100, 11))            # rows 0..10
    v += list(np.linspace(100, 70, 11))[1:]       # rows 11..20
    v += list(np.linspace(70, 100, 16))[1:]       # rows 21..35 (row 35 == 100)
    v += list(np.linspace(100, 120, 11))[1:]      # rows 36..45
    v += [114.0, 118.0, 108.0]                    # rows 46..48
    return series(v, "2020-01-01")


def test_drawdown_episodes_known_by_construction():
    c = path()
    d = drawdowns(c, threshold=0.15, symbol="SYN")
    assert d.peak_close == 120 and d.peak_date == c.index[45].date()
    assert d.current == pytest.approx(108 / 120 - 1)
    assert d.max == pytest.approx(-0.30)
    assert (d.max_peak_date, d.max_trough_date) == (c.index[10].date(), c.index[20].date())
    assert len(d.episodes) == 1  # the open 10% dip is shallower than the 15% threshold
    e = d.episodes[0]
    assert (e.peak_date, e.trough_date, e.recovery_date) == (c.index[10].date(), c.index[20].date(), c.index[35].date())
    assert (e.decline_trading_days, e.recovery_trading_days, e.total_trading_days) == (10, 15, 25)
    assert e.total_calendar_days == (c.index[35] - c.index[10]).days
    assert "10.0% below its" in d.fact()


def test_open_drawdown_has_no_recovery():
    c = path()
    d = drawdowns(c, threshold=0.09)
    last = d.episodes[-1]
    assert last.peak_close == 120 and last.recovery_date is None and last.recovery_trading_days is None


def test_records_and_stretches():
    c = path()
    rec = record_positions(c.to_numpy())
    assert list(rec) == list(range(0, 11)) + list(range(36, 46))  # the tie at row 35 is not a record
    rd = record_drought(c, symbol="SYN")
    assert rd.since == c.index[45].date() and rd.trading_days == 3
    assert rd.calendar_days == (c.index[48] - c.index[45]).days
    assert rd.longest[0].trading_days == 26 and rd.longest[0].start == c.index[10].date()  # row 10 -> row 36
    assert rd.rank == 2 and rd.n_stretches == len(rec)


def test_record_drought_on_the_real_rut(shared_store):
    from r2k.store import Store

    with Store(shared_store, read_only=True) as s:
        rut = s.series("RUT")
    before = record_drought(rut, "2025-09-17")
    assert before.since.isoformat() == "2021-11-08"
    assert before.record_close == pytest.approx(2442.74)
    assert before.rank == 2  # only 2000-03-09 .. 2004-04-05 was longer
    assert before.longest[0].start.isoformat() == "2000-03-09"
    after = record_drought(rut, "2025-09-18")
    assert after.trading_days == 0 and after.record_close == pytest.approx(2467.70)
    dd = drawdowns(rut, "2025-04-08")
    assert dd.peak_date.isoformat() == "2021-11-08"
    assert dd.fact().endswith("below its Nov 2021 peak (2,442.74 on 2021-11-08)")
