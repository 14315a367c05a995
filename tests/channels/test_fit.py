"""Known answers for the log-linear channel: parameters, borders, position, origin, trail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from channel_synth import known_closes

from r2k.analytics.channels import fit_channel
from r2k.errors import DataError

A, B, S = 6.5, 0.0004, 0.05


@pytest.fixture(scope="module")
def closes() -> pd.Series:
    return known_closes(A, B, S)


def test_known_answer_a_b_s(closes: pd.Series) -> None:
    fit = fit_channel(closes)
    assert fit.a == pytest.approx(A, abs=1e-10)
    assert fit.b == pytest.approx(B, abs=1e-14)
    assert fit.s == pytest.approx(S, rel=1e-10)
    assert (fit.n, fit.i_start, fit.i_end) == (1500, 0, 1499)
    assert fit.start == closes.index[0] and fit.end == closes.index[-1] and fit.origin == closes.index[0]
    assert fit.direction == "increasing"


def test_borders_growth_spread(closes: pd.Series) -> None:
    fit = fit_channel(closes)
    d = pd.Timestamp("2030-06-30")  # far after the window: extrapolated
    x = (d - closes.index[0]).days
    assert fit.center(d) == pytest.approx(np.exp(A + B * x), rel=1e-10)
    assert fit.top(d) == pytest.approx(np.exp(A + B * x + 2 * S), rel=1e-10)
    assert fit.bottom(d) == pytest.approx(np.exp(A + B * x - 2 * S), rel=1e-10)
    assert fit.annual_growth == pytest.approx(np.exp(365 * B) - 1, rel=1e-10)
    assert fit.channel_spread == pytest.approx(np.exp(4 * S) - 1, rel=1e-10)
    assert fit.top(d) / fit.bottom(d) - 1 == pytest.approx(fit.channel_spread, rel=1e-10)
    many = fit.top(pd.DatetimeIndex([d, closes.index[0]]))
    assert isinstance(many, np.ndarray) and many[1] == pytest.approx(np.exp(A + 2 * S), rel=1e-10)
    assert isinstance(fit.top("2030-06-30"), float)
    r = fit.to_dict()
    assert r["start_top"] == pytest.approx(np.exp(A + 2 * S)) and r["end_bottom"] == pytest.approx(fit.bottom(closes.index[-1]))


@pytest.mark.parametrize(
    ("factor", "position", "border", "pct"),
    [(1.10, "above", "top", 0.10), (0.95, "below", "bottom", -0.05), (0.995, "inside", "top", -0.005), (1.02, "inside", "bottom", 0.02)],
)
def test_position_and_distances(closes: pd.Series, factor: float, position: str, border: str, pct: float) -> None:
    fit = fit_channel(closes)
    d = pd.Timestamp("2021-03-01")
    ref = fit.top(d) if border == "top" else fit.bottom(d)
    p = fit.position(d, ref * factor)
    assert (p.position, p.border) == (position, border)
    assert p.distance_pct == pytest.approx(pct, abs=1e-12)
    assert p.distance_points == pytest.approx(ref * factor - ref, rel=1e-12)
    assert p.to_top_points == pytest.approx(ref * factor - fit.top(d), rel=1e-12)
    assert p.to_bottom_pct == pytest.approx(ref * factor / fit.bottom(d) - 1, rel=1e-12)
    assert p.z == pytest.approx((np.log(ref * factor) - np.log(fit.center(d))) / S, rel=1e-9)


def test_window_and_origin_override(closes: pd.Series) -> None:
    start, end, origin = "2017-01-02", "2019-12-31", "2015-06-01"
    own = fit_channel(closes, start, end)
    moved = fit_channel(closes, start, end, origin=origin)
    delta = (own.start - pd.Timestamp(origin)).days
    assert moved.origin == pd.Timestamp(origin) and moved.start == own.start
    assert moved.b == pytest.approx(own.b, rel=1e-10) and moved.s == pytest.approx(own.s, rel=1e-10)
    assert moved.a == pytest.approx(own.a - own.b * delta, abs=1e-10)
    dates = pd.DatetimeIndex(["2016-01-04", "2018-05-01", "2024-01-02"])
    np.testing.assert_allclose(moved.top(dates), own.top(dates), rtol=1e-10)
    # i counts observations from the origin: business days from 2015-06-01 to 2017-01-02 (exclusive)
    assert moved.i_start == len(pd.bdate_range(origin, "2017-01-01")) and moved.i_end == moved.i_start + own.n - 1
    assert moved.x[0] == delta and own.x[0] == 0
    assert moved.trail()[0].i == moved.i_start and moved.trail()[0].x == delta


def test_trail_numbers(closes: pd.Series) -> None:
    fit = fit_channel(closes, "2016-03-01", "2018-03-01")
    start, end = fit.trail()
    assert (start.label, start.i, start.x) == ("start", 0, 0.0)
    x_end = float((fit.end - fit.start).days)
    assert (end.label, end.i, end.x) == ("end", fit.n - 1, x_end)
    assert end.center == pytest.approx(np.exp(fit.a + fit.b * x_end), rel=1e-12)
    assert end.top == pytest.approx(np.exp(fit.a + fit.b * x_end + 2 * fit.s), rel=1e-12)
    assert end.close == pytest.approx(closes.loc[fit.end])
    text = "\n".join(end.formulas)
    assert f"X = {fit.end.date()} − {fit.origin.date()} = {x_end:g} calendar days; i = {fit.n - 1}" in text
    assert f"exp({fit.a:.6f} + {fit.b:.8f} × {x_end:g} + 2 × {fit.s:.6f}) = {end.top:,.2f}" in text
    growth = fit.formulas()[1]
    assert f"exp(365 × {fit.b:.8f}) − 1 = {100 * fit.annual_growth:.2f}%" in growth


def test_bad_input_is_named() -> None:
    bad = pd.Series([100.0, -1.0, 102.0, 103.0], index=pd.bdate_range("2020-01-01", periods=4), name="BAD")
    with pytest.raises(DataError, match=r"BAD, 2020-01-02: close -1.0 is not positive"):
        fit_channel(bad)
    short = pd.Series([100.0, 101.0, 102.0], index=pd.bdate_range("2020-01-01", periods=3), name="SHORT")
    with pytest.raises(DataError, match=r"SHORT: the channel window 2020-01-02 .. last holds 2 closes"):
        fit_channel(short, start="2020-01-02")


def test_origin_inside_the_window_counts_backwards(closes: pd.Series) -> None:
    fit = fit_channel(closes, "2017-01-02", "2019-12-31", origin="2018-01-01")
    own = fit_channel(closes, "2017-01-02", "2019-12-31")
    before = len(pd.bdate_range("2017-01-02", "2017-12-31"))
    assert fit.i_start == -before and fit.x[0] == -364.0 and fit.trail()[0].i == -before
    assert fit.a == pytest.approx(float(np.log(own.center("2018-01-01"))), abs=1e-10)
    assert fit.obs_number("2018-01-01", closes.index) == 0
