"""Tear sheet: every metric against an independent hand computation on synthetic series."""

import numpy as np
import pandas as pd
import pytest
from market_support import series

from r2k.analytics.tearsheet import calendar_year_returns, monthly_table, tearsheet
from r2k.errors import DataError
from r2k.serialize import dumps


def zigzag(n: int, mu: float, a: float, start: str = "2000-01-03", seed: int | None = None) -> pd.Series:
    """Daily log returns mu ± a (alternating, or random signs with ``seed``)."""
    signs = (-1.0) ** np.arange(n) if seed is None else np.random.default_rng(seed).choice([-1.0, 1.0], n)
    r = mu + a * signs
    r[0] = 0.0
    return series(100 * np.exp(np.cumsum(r)), start)


def by_hand(c: pd.Series, rf_daily: float = 0.0) -> dict:
    """QuantStats-style definitions written out independently (252 days, calendar years of 365.25 days)."""
    years = (c.index[-1] - c.index[0]).days / 365.25
    simple = c.to_numpy()[1:] / c.to_numpy()[:-1] - 1
    logr = np.diff(np.log(c.to_numpy()))
    excess = simple - rf_daily
    peak = np.maximum.accumulate(c.to_numpy())
    mdd = float((c.to_numpy() / peak - 1).min())
    cagr = (c.iloc[-1] / c.iloc[0]) ** (1 / years) - 1
    with np.errstate(divide="ignore"):  # a window without a drawdown: inf here (NaN in the library), not compared
        return {"cagr": cagr, "vol": np.std(logr, ddof=1) * np.sqrt(252),
                "sharpe": excess.mean() * 252 / (np.std(simple, ddof=1) * np.sqrt(252)),
                "sortino": excess.mean() * 252 / (np.sqrt(np.mean(np.minimum(excess, 0) ** 2)) * np.sqrt(252)),
                "mdd": mdd, "calmar": cagr / abs(mdd)}


def test_full_window_metrics_match_hand_computation():
    c, b = zigzag(1500, 0.0004, 0.01, seed=1), zigzag(1500, 0.0002, 0.008, seed=2)
    t = tearsheet(c, b, years=3)
    full = t.windows[0]
    assert full.window == "full" and full.label == "full common history"
    for stats, s in ((full.index, c), (full.benchmark, b)):
        h = by_hand(s)
        assert stats.cagr == pytest.approx(h["cagr"], rel=1e-12)
        assert stats.volatility == pytest.approx(h["vol"], rel=1e-12)
        assert stats.sharpe == pytest.approx(h["sharpe"], rel=1e-12)
        assert stats.sortino == pytest.approx(h["sortino"], rel=1e-12)
        assert stats.max_drawdown == pytest.approx(h["mdd"], rel=1e-12)
        assert stats.calmar == pytest.approx(h["calmar"], rel=1e-12)
        assert stats.total_return == pytest.approx(s.iloc[-1] / s.iloc[0] - 1)
    assert "zero risk-free" in t.notes[0]


def test_constant_growth_gives_its_cagr_and_zero_volatility():
    n, mu = 1000, 0.0005
    c = series(100 * np.exp(mu * np.arange(n)))
    t = tearsheet(c, c * 2, years=2)
    w = t.windows[0]
    years = (c.index[-1] - c.index[0]).days / 365.25
    assert w.index.cagr == pytest.approx(np.exp(mu * (n - 1) / years) - 1)
    assert w.index.volatility == pytest.approx(0.0, abs=1e-12) and w.index.max_drawdown == 0.0
    assert np.isnan(w.index.calmar)  # no drawdown: Calmar is undefined, not infinite
    assert w.up_capture == pytest.approx(1.0)  # twice the series has the same returns


def test_risk_free_from_fedfunds_enters_sharpe_and_sortino():
    c, b = zigzag(800, 0.0006, 0.01, start="2010-01-04", seed=3), zigzag(800, 0.0003, 0.01, start="2010-01-04", seed=4)
    ff = pd.Series(2.52, index=pd.date_range("2009-01-01", "2014-01-01", freq="MS"))  # 2.52% a year -> 0.01% a day
    t = tearsheet(c, b, fedfunds=ff, years=2)
    h = by_hand(c, 0.0252 / 252)
    assert t.windows[0].index.sharpe == pytest.approx(h["sharpe"], rel=1e-9)
    assert t.windows[0].index.sortino == pytest.approx(h["sortino"], rel=1e-9)
    assert not t.notes


def test_last_years_window_and_known_drawdown():
    # 100 -> 150 (peak) -> 90 (trough, -40%) -> 200, over 4 years of business days
    path = np.concatenate([np.linspace(100, 150, 300), np.linspace(150, 90, 200), np.linspace(90, 200, 544)])
    c = series(path, "2015-01-01")
    t = tearsheet(c, series(np.linspace(100, 120, len(path)), "2015-01-01"), years=2)
    assert [w.window for w in t.windows] == ["full", "2y"]
    full, last = t.windows
    assert full.index.max_drawdown == pytest.approx(-0.4)
    worst = t.worst_drawdowns[0]
    assert worst.depth == pytest.approx(-0.4) and worst.trough_close == pytest.approx(90)
    start = c.index[-1] - pd.DateOffset(years=2)
    assert last.index.start == c.index[c.index >= start][0].date()
    assert last.index.cagr == pytest.approx(by_hand(c[c.index >= start])["cagr"], rel=1e-12)


def test_monthly_heatmap_and_calendar_years_known_answers():
    idx = pd.bdate_range("2020-01-01", "2021-03-31").astype("datetime64[us]")
    month_end_values = {(2020, m): 100 + 10 * m for m in range(1, 13)} | {(2021, 1): 200, (2021, 2): 180, (2021, 3): 198}
    c = pd.Series([month_end_values[(d.year, d.month)] for d in idx], index=idx, dtype=float)
    table = monthly_table(c)
    assert list(table.columns) == list(range(1, 13))
    assert np.isnan(table.loc[2020, 1])  # the first, partial month is only the base
    assert table.loc[2020, 2] == pytest.approx(120 / 110 - 1)
    assert table.loc[2021, 1] == pytest.approx(200 / 220 - 1) and table.loc[2021, 2] == pytest.approx(-0.1)
    assert np.isnan(table.loc[2021, 4])
    years = calendar_year_returns(c)
    assert years.loc[2020] == pytest.approx(220 / 110 - 1)  # from the first close
    assert years.loc[2021] == pytest.approx(198 / 220 - 1)
    t = tearsheet(c, c * 3, years=1)
    assert t.windows[0].index.best_month[0] == "2021-03" and t.windows[0].index.best_month[1] == pytest.approx(0.1)
    assert t.windows[0].index.worst_month == ("2021-02", pytest.approx(-0.1))
    assert t.partial_month is None  # 2021-03-31 is the month's last trading day


def test_capture_on_monthly_returns_and_ratio_points_are_weekly():
    c, b = zigzag(1200, 0.0003, 0.012, seed=5), zigzag(1200, 0.0002, 0.009, seed=6)
    t = tearsheet(c, b, years=2)
    mi = c.resample("ME").last().pct_change().dropna()
    mb = b.resample("ME").last().pct_change().dropna()
    assert t.windows[0].up_capture == pytest.approx(mi[mb > 0].mean() / mb[mb > 0].mean())
    assert t.windows[0].down_capture == pytest.approx(mi[mb < 0].mean() / mb[mb < 0].mean())
    r = t.ratio_weekly
    assert r.index.is_unique and len(r) == c.index.to_period("W-FRI").nunique()
    assert r.iloc[-1] == pytest.approx(c.iloc[-1] / b.iloc[-1])


def test_as_of_ignores_later_rows_and_json_is_fractions():
    c, b = zigzag(1500, 0.0004, 0.01, seed=7), zigzag(1500, 0.0002, 0.008, seed=8)
    cut = c.index[1100]
    spoiled_c, spoiled_b = c.copy(), b.copy()
    spoiled_c[c.index > cut] = 1e6
    spoiled_b[b.index > cut] = 1.0
    clean, dirty = tearsheet(c, b, cut.date(), years=2), tearsheet(spoiled_c, spoiled_b, cut.date(), years=2)
    assert dumps(clean.to_dict()) == dumps(dirty.to_dict())
    d = clean.to_dict()
    assert d["as_of"] == cut.date() and abs(d["windows"][0]["index"]["cagr"]) < 1


def test_too_little_common_history_is_a_clear_error():
    with pytest.raises(DataError, match="common closes"):
        tearsheet(series(np.linspace(100, 110, 30)), series(np.linspace(100, 110, 30)))
