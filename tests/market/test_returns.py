import numpy as np
import pandas as pd
import pytest
from market_support import geometric, series

from r2k.analytics.returns import period_start, returns_summary, risk_free_daily
from r2k.errors import DataError


def test_geometric_series_period_returns_and_cagr():
    mu = 0.0004
    c = geometric(3000, mu)
    res = returns_summary(c, symbol="GEO")
    end = c.index[-1]
    for p, pr in res.periods.items():
        base = c[c.index <= period_start(p, end)].index[-1]
        k = c.index.get_loc(end) - c.index.get_loc(base)
        assert pr.value == pytest.approx(np.expm1(mu * k), rel=1e-9), p
        assert pr.start_date == base.date()
    span = (end - c.index[0]).days / 365.25
    assert res.risk["all"].annual_return == pytest.approx(np.exp(mu * (len(c) - 1) / span) - 1, rel=1e-9)
    assert res.risk["all"].annual_vol == pytest.approx(0.0, abs=1e-9)
    assert set(res.periods) == {"1w", "1m", "3m", "mtd", "ytd", "1y", "3y", "5y"}


def test_period_bases_are_calendar_anchored():
    end = pd.Timestamp("2026-08-27")
    assert period_start("ytd", end) == pd.Timestamp("2025-12-31")
    assert period_start("mtd", end) == pd.Timestamp("2026-07-31")
    assert period_start("1w", end) == pd.Timestamp("2026-08-20")
    assert period_start("3m", end) == pd.Timestamp("2026-05-27")
    assert period_start("5y", end) == pd.Timestamp("2021-08-27")


def test_calendar_months_known_by_construction():
    idx = pd.bdate_range("2021-01-01", "2022-03-15")
    values = np.where(idx.month % 2 == 0, 110.0, 100.0)  # even months close at 110, odd at 100
    c = pd.Series(values, index=idx)
    months = dict(returns_summary(c, months_back=12).months)
    assert months["2022-02"] == pytest.approx(0.10)
    assert months["2022-01"] == pytest.approx(100 / 110 - 1)
    assert months["2022-03"] == pytest.approx(100 / 110 - 1)  # the current month so far
    assert len(months) == 13


def test_risk_free_is_known_only_after_its_month():
    ff = pd.Series([1.2, 2.4], index=pd.DatetimeIndex(["2020-01-01", "2020-02-01"]))
    idx = pd.DatetimeIndex(["2020-01-15", "2020-01-31", "2020-02-03", "2020-03-02"])
    rf = risk_free_daily(ff, idx)
    assert np.isnan(rf.iloc[0]) and np.isnan(rf.iloc[1])
    assert rf.iloc[2] == pytest.approx(0.012 / 252)
    assert rf.iloc[3] == pytest.approx(0.024 / 252)


def test_sharpe_and_sortino_match_their_formulas():
    rng = np.random.default_rng(1)
    c = series(100 * np.cumprod(1 + rng.normal(0.0005, 0.01, 600)))
    ff = pd.Series(2.52, index=pd.date_range("1999-01-01", "2003-01-01", freq="MS"))
    r = returns_summary(c, fedfunds=ff).risk["all"]
    ex = c.pct_change().dropna() - 0.0252 / 252
    assert r.sharpe == pytest.approx(ex.mean() * 252 / (c.pct_change().std() * np.sqrt(252)), rel=1e-9)
    down = np.sqrt(np.mean(np.minimum(ex, 0) ** 2)) * np.sqrt(252)
    assert r.sortino == pytest.approx(ex.mean() * 252 / down, rel=1e-9)
    assert r.risk_free_mean == pytest.approx(0.0252)


def test_as_of_before_the_data_is_a_named_error():
    with pytest.raises(DataError, match="GEO: no data on or before 1999-01-01"):
        returns_summary(geometric(10, 0.001), "1999-01-01", symbol="GEO")
