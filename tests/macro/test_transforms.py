"""Known-answer tests of the transforms and the Sahm gap on synthetic series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from r2k.macro.transforms import Transform, momentum_3_12, regular, rolling_zscore, sahm_gap


def monthly(values, start="2000-01-01") -> pd.Series:
    return pd.Series(np.asarray(values, float), index=pd.date_range(start, periods=len(values), freq="MS"))


def test_yoy_of_constant_growth() -> None:
    s = monthly(100 * 1.01 ** np.arange(36))
    yoy = Transform("yoy").apply(s, "M")
    assert yoy.index[0] == pd.Timestamp("2001-01-01")
    np.testing.assert_allclose(yoy.to_numpy(), 100 * (1.01**12 - 1), rtol=1e-12)


def test_yoy_uses_calendar_months_across_a_missing_month() -> None:
    s = monthly(np.arange(1, 31, dtype=float)).drop(pd.Timestamp("2001-03-01"))  # value 15 missing
    yoy = Transform("yoy").apply(s, "M")
    assert pd.Timestamp("2001-03-01") not in yoy.index  # the missing month is not invented
    assert pd.Timestamp("2002-03-01") not in yoy.index  # and its base is not replaced by a neighbour
    assert yoy[pd.Timestamp("2002-04-01")] == pytest.approx(100 * (28 / 16 - 1))


def test_diff_pct_mean_and_yoy_diff() -> None:
    s = monthly(np.arange(24) * 0.5)
    assert Transform("diff", 3).apply(s, "M").eq(1.5).all()
    assert Transform("yoy_diff").apply(s, "M").eq(6.0).all()
    assert Transform("mean", 4).apply(s, "M").iloc[0] == pytest.approx(0.75)
    assert Transform("pct", 1).apply(monthly([100, 110, 121]), "M").to_list() == pytest.approx([10.0, 10.0])


def test_percent_change_from_a_non_positive_base_is_undefined() -> None:
    # WTI settled at -36.98 on 2020-04-20; a percent change from that (or from 0) is not a number
    s = pd.Series([60.0, -36.98, 0.0, 20.0, 62.61, 61.34], index=pd.bdate_range("2020-04-17", periods=6))
    out = Transform("pct", 3).apply(s, "D")
    assert out.index.tolist() == [s.index[3]] and out.iloc[0] == pytest.approx(100 * (20 / 60 - 1))


def test_momentum_on_a_ramp() -> None:
    # mean of the last 3 of a ramp is t-1, of the last 12 is t-5.5: the difference is 4.5
    mom = momentum_3_12(monthly(np.arange(40)), "M").dropna()
    np.testing.assert_allclose(mom.to_numpy(), 4.5)
    daily = momentum_3_12(pd.Series(np.arange(600.0), index=pd.bdate_range("2000-01-03", periods=600)), "D").dropna()
    np.testing.assert_allclose(daily.to_numpy(), (252 - 1) / 2 - (63 - 1) / 2)


def test_rolling_zscore_of_a_ramp() -> None:
    # last point of a ramp over a window of n: z = ((n-1)/2) / sqrt(n(n+1)/12)
    s = monthly(np.arange(200.0))
    z = rolling_zscore(s, "M", years=10, min_years=3)
    n = 120
    assert z.iloc[-1] == pytest.approx(((n - 1) / 2) / np.sqrt(n * (n + 1) / 12))
    assert z.iloc[: 36 - 1].isna().all() and z.iloc[35:].notna().all()
    assert rolling_zscore(monthly(np.ones(60)), "M").isna().all()  # zero spread: undefined, not infinite


def test_sahm_gap() -> None:
    u = monthly([4.0] * 15 + [5.0] * 3)
    gap = sahm_gap(u)
    assert gap.iloc[-1] == pytest.approx(1.0)
    assert gap[pd.Timestamp("2001-03-01")] == pytest.approx(0.0)
    assert sahm_gap(u.drop(pd.Timestamp("2001-04-01"))).iloc[-1] == pytest.approx(1.0)  # tolerates one gap


def test_regular_only_regularises_monthly_and_quarterly() -> None:
    s = monthly([1.0, 2.0, 3.0]).drop(pd.Timestamp("2000-02-01"))
    assert regular(s, "M").isna().sum() == 1
    assert len(regular(s, "D")) == 2


def test_sahm_needs_monthly() -> None:
    with pytest.raises(ValueError, match="monthly"):
        Transform("sahm").apply(pd.Series([1.0, 2.0], index=pd.bdate_range("2000-01-03", periods=2)), "D")
