"""Sector relative strength on synthetic funds; the event-study difference CI against scipy; average paths."""

import numpy as np
import pandas as pd
import pytest
from market_support import series
from scipy import stats

from r2k.analytics.events import average_path, event_study
from r2k.analytics.sectors import STALE_TRADING_DAYS, period_return, sector_strength


def _index(n: int = 600) -> pd.Series:
    return series(100 * np.exp(0.0005 * np.arange(n)), "2020-01-01")


def test_sector_relative_strength_known_answers():
    idx = _index()
    twice = idx * 2  # moves exactly with the index: relative strength 0
    faster = series(50 * np.exp(0.0015 * np.arange(600)), "2020-01-01")  # 0.001 a day more than the index
    stale = (idx * 3).iloc[:-20]  # ends 20 sessions before the index
    r = sector_strength(idx, {"XLK": twice, "XLE": faster, "XLU": stale})
    rows = {row.symbol: row for row in r.rows}
    assert [row.symbol for row in r.rows][0] == "XLE"  # sorted by 3-month strength
    assert rows["XLK"].name == "Technology" and rows["XLE"].name == "Energy"
    for p in r.periods:
        assert rows["XLK"].vs_index[p] == pytest.approx(0.0, abs=1e-12)
        assert rows["XLU"].vs_index[p] == pytest.approx(0.0, abs=1e-12)  # measured to its own last close
    end = idx.index[-1]
    base = idx.index[idx.index.searchsorted(end - pd.DateOffset(months=3), side="right") - 1]
    rows_apart = idx.index.get_loc(end) - idx.index.get_loc(base)
    assert rows["XLE"].vs_index["3m"] == pytest.approx(np.exp(0.001 * rows_apart) - 1)
    assert rows["XLE"].returns["3m"] == pytest.approx(period_return(faster, end, 3))
    # against each other: the equal-weight mean of the three funds' returns, and the rank
    mean3 = np.mean([rows[s].returns["3m"] for s in rows])
    assert rows["XLE"].vs_sectors["3m"] == pytest.approx((1 + rows["XLE"].returns["3m"]) / (1 + mean3) - 1)
    assert rows["XLE"].rank["3m"] == 1
    # data age in index sessions, flagged beyond the threshold
    assert rows["XLU"].age_trading_days == 20 and rows["XLU"].stale and 20 > STALE_TRADING_DAYS
    assert rows["XLK"].age_trading_days == 0 and not rows["XLK"].stale
    assert [s.symbol for s in r.stale] == ["XLU"]
    assert rows["XLU"].last_date == stale.index[-1].date()


def test_sector_strength_is_point_in_time_and_skips_funds_starting_later():
    idx, fund = _index(), series(100 * np.exp(0.001 * np.arange(600)), "2020-01-01")
    cut = idx.index[400]
    dirty = fund.copy()
    dirty[dirty.index > cut] = 1.0
    a = sector_strength(idx, {"XLF": fund}, cut.date())
    b = sector_strength(idx, {"XLF": dirty}, cut.date())
    assert a.to_dict() == b.to_dict()
    late = series(np.linspace(10, 20, 50), "2030-01-01")  # no close on or before as_of: left out
    assert [r.symbol for r in sector_strength(idx, {"XLF": fund, "XLC": late}, cut.date()).rows] == ["XLF"]
    young = fund.iloc[-100:]  # fewer than 12 months of closes: that period is n/a, not a wrong number
    row = sector_strength(idx, {"XLF": young}).rows[0]
    assert np.isnan(row.returns["12m"]) and row.rank["12m"] is None and not np.isnan(row.returns["1m"])


def _welch_by_hand(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = stats.t.ppf(0.975, df) * np.sqrt(va + vb)
    d = a.mean() - b.mean()
    return d - half, d + half


def test_difference_interval_matches_scipy_and_the_welch_formula():
    rng = np.random.default_rng(11)
    n, h = 400, 5
    c = series(100 * np.exp(np.cumsum(rng.normal(0.0003, 0.01, n))), "2015-01-01")
    events = [40, 90, 150, 210, 300, 350]  # >= h apart
    study = event_study(c, [c.index[e] for e in events], horizons=(h,))
    r = study.results[0]
    logc = np.log(c.to_numpy())
    fwd = logc[h:] - logc[:-h]
    ev = fwd[events]
    grid = np.arange(0, n - h, h)
    ctrl = fwd[[g for g in grid if min(abs(g - e) for e in events) >= h]]
    t = stats.ttest_ind(ev, ctrl, equal_var=False)
    ci = t.confidence_interval(0.95)
    assert r.n_events == len(ev) and r.n_control == len(ctrl)
    assert r.difference == pytest.approx(ev.mean() - ctrl.mean())
    assert (r.difference_ci_low, r.difference_ci_high) == pytest.approx((ci.low, ci.high))
    assert (r.difference_ci_low, r.difference_ci_high) == pytest.approx(_welch_by_hand(ev, ctrl))
    assert r.welch.p_value == pytest.approx(t.pvalue)
    d = r.to_dict()
    assert d["difference_ci_low"] == r.difference_ci_low and d["difference_p"] == r.welch.p_value
    assert study.to_dict()["verdict"] == study.verdict()


def test_verdict_is_one_sentence_per_kind():
    r = np.full(1000, 0.001)
    for e in range(50, 950, 60):
        r[e + 1 : e + 6] += 0.01
    c = series(100 * np.exp(np.cumsum(r)), "2001-01-01")
    events = [c.index[e] for e in range(50, 950, 60)]
    strong = event_study(c, events, horizons=(1, 5))
    assert strong.verdict().startswith("Returns after events differ at the 5% level at 1 day (higher by")
    assert "5 days (higher by 5.00%" in strong.verdict() and "about 10% of the time" in strong.verdict()
    flat = event_study(series(100 * np.exp(0.001 * np.arange(300))), [], horizons=(5,))
    assert flat.verdict() == "Not testable: too few events with enough closes after them."
    noisy = event_study(series(100 * np.exp(np.cumsum(np.random.default_rng(2).normal(0, 0.01, 800)))),
                        [pd.Timestamp("2000-03-01"), pd.Timestamp("2000-09-01"), pd.Timestamp("2001-06-01")], horizons=(5, 20))
    quiet = min(x.welch.p_value for x in noisy.results) >= 0.05
    assert noisy.verdict().startswith("No horizon shows a difference at the 5% level (Welch t-test; smallest p = " if quiet
                                      else "Returns after events differ at the 5% level at ")


def test_average_path_known_answers_and_no_look_ahead():
    n, mu = 500, 0.001
    r = np.full(n, mu)
    events = [100, 250]
    for e in events:
        r[e + 1 : e + 11] += 0.02  # +2% a day for ten days after each event
    r[0] = 0.0
    c = series(100 * np.exp(np.cumsum(r)), "2010-01-01")
    p = average_path(c, [c.index[e] for e in events], "test", before=5, after=20)
    assert p.days[0] == -5 and p.days[-1] == 20 and p.n_events == 2
    k = np.asarray(p.days)
    expected = mu * k + 0.02 * np.clip(k, 0, 10)
    assert np.asarray(p.event_mean) == pytest.approx(expected)
    logc = np.log(c.to_numpy())
    every = np.arange(5, n - 20)
    assert p.unconditional_mean[-1] == pytest.approx(np.mean(logc[every + 20] - logc[every]))
    # an event too close to the end for the whole window is left out; later rows never matter
    cut = c.index[262]
    assert average_path(c, [c.index[e] for e in events], before=5, after=20, as_of=cut.date()).n_events == 1
    dirty = c.copy()
    dirty[dirty.index > cut] = 7.0
    assert average_path(dirty, [c.index[e] for e in events], before=5, after=20, as_of=cut.date()) == \
        average_path(c, [c.index[e] for e in events], before=5, after=20, as_of=cut.date())
