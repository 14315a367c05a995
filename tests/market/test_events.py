from datetime import date

import numpy as np
import pandas as pd
import pytest
from market_support import bdays, series

from r2k.analytics.events import event_positions, event_study, first_rate_cuts, newey_west, run_event_study, vix_spikes
from r2k.errors import DataError


def bumped_series(n: int, events: list[int], h: int, drift: float = 0.001, bump: float = 0.01) -> pd.Series:
    """Daily log return ``drift``, plus ``bump`` on each of the h days after every event row."""
    r = np.full(n, drift)
    for e in events:
        r[e + 1 : e + 1 + h] += bump
    r[0] = 0.0
    return series(100 * np.exp(np.cumsum(r)), "2001-01-01")


def test_event_returns_known_by_construction():
    events = list(range(50, 950, 60))
    c = bumped_series(1000, events, 5)
    study = event_study(c, [c.index[e] for e in events], horizons=(5,), kind="test")
    r = study.results[0]
    assert r.n_events == len(events)
    assert r.mean_event == pytest.approx(5 * 0.011)
    assert r.median_event == pytest.approx(5 * 0.011) and r.hit_event == 1.0
    assert r.welch.p_value < 1e-6 and r.mann_whitney.p_value < 1e-6 and r.hac.p_value < 1e-6
    # controls never overlap an event window, so they only carry the drift
    assert r.mean_control == pytest.approx(5 * 0.001)
    assert r.difference == pytest.approx(0.05)
    assert study.table()[0]["verdict"].startswith("Welch t-test: very strong evidence")


def test_overlapping_events_are_thinned_to_h_days_apart():
    c = bumped_series(400, [100], 5)
    study = event_study(c, [c.index[i] for i in (100, 102, 104, 106, 200)], horizons=(5, 1))
    r5, r1 = study.results
    assert r5.n_events == 3  # 100, 106 (>= 5 after 100), 200; 102 and 104 overlap
    assert r1.n_events == 5


def test_event_on_a_non_trading_day_moves_to_the_next_session():
    idx = bdays(10, "2024-06-24")  # Monday
    pos = event_positions(idx, [date(2024, 6, 29), date(2024, 6, 1), date(2030, 1, 1)])  # Saturday; before; after
    assert list(pos) == [5]


def test_no_events_gives_nan_tests_not_errors():
    c = bumped_series(200, [], 5)
    r = event_study(c, [], horizons=(5,)).results[0]
    assert r.n_events == 0 and np.isnan(r.welch.p_value) and "not computable" in r.welch.verdict()


def test_newey_west_matches_the_textbook_formula():
    rng = np.random.default_rng(0)
    n, lags = 300, 3
    d = (rng.random(n) < 0.1).astype(float)
    y = 0.5 * d + rng.normal(size=n)
    x = np.column_stack([np.ones(n), d])
    beta, se = newey_west(y, x, lags)
    e = y - x @ beta
    s = sum((1 - abs(l) / (lags + 1)) * sum(np.outer(x[t] * e[t], x[t - abs(l)] * e[t - abs(l)]) if l >= 0 else
            np.outer(x[t - abs(l)] * e[t - abs(l)], x[t] * e[t]) for t in range(abs(l), n)) for l in range(-lags, lags + 1))
    inv = np.linalg.inv(x.T @ x)
    assert se == pytest.approx(np.sqrt(np.diag(inv @ s @ inv)))
    assert beta == pytest.approx(np.linalg.lstsq(x, y, rcond=None)[0])


def test_vix_spike_rule_keeps_the_first_day_of_a_cluster():
    v = np.full(200, 15.0)
    v[50:53] = 32.0        # level spike, three days: one event
    v[60] = 31.0           # within 20 days of the last spike day: same cluster
    v[120] = 23.0          # >= 1.5 x the previous 20-day mean of 15: jump spike
    vix = series(v, "2010-01-01")
    assert vix_spikes(vix) == [vix.index[50].date(), vix.index[120].date()]


def test_first_rate_cut_of_a_cycle_dated_when_known():
    months = pd.date_range("2000-01-01", periods=30, freq="MS")
    ff = np.full(30, 5.0)
    ff[5:] = 4.75          # cut in June 2000 -> known 2000-07-01
    ff[7:] = 4.5           # another cut two months later: same cycle
    ff[20:] = 4.2          # 13 months later: new cycle, known 2001-10-01
    ff[22:] = 4.15         # only 5bp: not a cut
    cuts = first_rate_cuts(pd.Series(ff, index=months))
    assert cuts == [date(2000, 7, 1), date(2001, 10, 1)]


def test_run_event_study_kinds():
    c = bumped_series(3000, [], 5)
    rc = run_event_study("reconstitution", c, horizons=(1, 5))
    assert rc.available and all(d.month == 6 for d in rc.event_dates) and len(rc.event_dates) == 12  # 2001..2012 (the series ends 2012-06-29)
    assert date(2004, 6, 25) in rc.event_dates
    rank = run_event_study("rank-day", c, horizons=(20,))
    assert len(rank.event_dates) == 12 and all(d.month in (4, 5) for d in rank.event_dates)
    fl = run_event_study("flows", c, etf_close=c)
    assert not fl.available and "IWM_SHARES" in fl.message
    assert not run_event_study("vix-spike", c).available
    with pytest.raises(DataError, match="unknown event kind 'x'"):
        run_event_study("x", c)


def test_rate_cut_events_use_only_values_known_at_as_of():
    c = bumped_series(600, [], 5)  # 2001-01-01 .. 2003-04
    months = pd.date_range("2000-01-01", periods=40, freq="MS")
    ff = pd.Series(np.where(months >= "2001-06-01", 3.0, 5.0), index=months)
    before = run_event_study("rate-cut", c, as_of="2001-06-29", fedfunds=ff)
    after = run_event_study("rate-cut", c, as_of="2001-07-02", fedfunds=ff)
    assert before.event_dates == () and after.event_dates == (date(2001, 7, 2),)


def test_optional_event_inputs_that_start_after_as_of_are_unavailable_with_the_date():
    c = bumped_series(600, [], 5)
    as_of = c.index[300]
    vix = pd.Series(40.0, index=c.index[400:])
    study = run_event_study("vix-spike", c, as_of, vix=vix)
    assert not study.available and study.message == f"unavailable: no VIX closes on or before {as_of.date()}"
    flows = run_event_study("flows", c, as_of, etf_close=c[c.index > as_of])
    assert not flows.available and flows.message == f"unavailable: no IWM closes on or before {as_of.date()}"


def test_channel_breaks_skip_year_ends_with_too_little_history():
    rng = np.random.default_rng(1)
    idx = bdays(650, "1994-12-20")  # 1994-12-30 has two weekly closes: too few to detect a channel
    c = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.0004, 0.01, 650))), index=idx, name="X")
    study = run_event_study("channel-break", c, horizons=(5,))
    assert study.available and all(d.year >= 1996 for d in study.event_dates)
