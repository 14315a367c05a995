"""Detection: a known breakpoint, no look-ahead, residual diagnostics, reversal signals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from channel_synth import known_closes, piecewise_closes, random_walk

from r2k.analytics.residual_tests import breusch_pagan, durbin_watson, effective_n, lag1_autocorrelation
from r2k.analytics.segments import segment_lines
from r2k.analytics.trend_detect import detect_trends, weekly_closes
from r2k.serialize import dumps


def test_finds_known_breakpoint() -> None:
    close = piecewise_closes("2019-06-14", (0.20, -0.15), "2014-01-01", "2022-06-30", sd=0.01)
    result = detect_trends(close)
    # weekly thinning: the break is located to the week, plus what the noise blurs of a kink
    assert abs((result.primary.fit.start - pd.Timestamp("2019-06-14")).days) <= 28
    assert result.primary.fit.end == close.index[-1]
    assert result.primary.fit.direction == "decreasing"
    assert np.log1p(result.primary.fit.annual_growth) * 365.25 / 365 == pytest.approx(-0.15, abs=0.01)
    segs = result.detection.coarse_segments
    assert len(segs) == 2 and segs[0].annual_log_slope == pytest.approx(0.20, abs=0.01)
    assert result.detection.coarse.rho < 0.2  # white noise: plain BIC
    assert result.secondary.fit.end == close.index[-1]


def test_segmentation_exact_lines() -> None:
    x = np.arange(300, dtype="float64")
    y = np.where(x < 180, 0.01 * x, 1.8 - 0.02 * (x - 180)) + np.random.default_rng(1).normal(0, 0.01, 300)
    seg = segment_lines(x, y, min_size=20)
    assert seg.bounds[0] == 0 and seg.bounds[-1] == 300 and len(seg.bounds) == 3
    assert abs(seg.bounds[1] - 180) <= 2


def test_no_look_ahead() -> None:
    close = random_walk()
    t = close.index[1800]
    garbage = close.copy()
    garbage.loc[garbage.index > t] = np.random.default_rng(5).uniform(1, 1e6, int((garbage.index > t).sum()))
    clean, dirty = detect_trends(close, as_of=t), detect_trends(garbage, as_of=t)
    assert dumps(clean.to_dict()) == dumps(dirty.to_dict())
    assert clean.as_of == t and clean.primary.fit.end <= t and clean.secondary.fit.end == t


def test_detection_is_deterministic_and_json_complete() -> None:
    close = random_walk(seed=4)
    first, second = detect_trends(close), detect_trends(close)
    assert dumps(first.to_dict()) == dumps(second.to_dict())
    d = first.to_dict()
    keys = {"start", "end", "origin", "n", "a", "b", "s", "annual_growth", "channel_spread", "start_top", "start_bottom",
            "end_top", "end_bottom", "as_of", "as_of_close", "as_of_top", "as_of_bottom", "position", "distance_points",
            "distance_pct", "direction", "durbin_watson", "breusch_pagan", "out_of_sample", "detection", "trail"}
    assert keys <= set(d["primary"]) and keys <= set(d["secondary"])
    assert {s["name"] for s in d["signals"]} == {"primary_break", "secondary_opposite", "secondary_break"}
    weeks = [s["weeks"] for s in d["detection"]["coarse"]["segments"]]
    assert sum(weeks) == d["detection"]["weekly_n"] == len(weekly_closes(close))
    assert all(w >= 104 for w in weeks)


def test_out_of_sample_counts() -> None:
    close = known_closes(6.5, 0.0004, 0.05)
    result = detect_trends(close, primary=("2015-01-01", "2018-12-31"), secondary_start="2020-01-01")
    p = result.primary
    after = close.loc["2019-01-01":]
    inside = ((after >= p.fit.bottom(after.index)) & (after <= p.fit.top(after.index))).sum()
    assert (p.oos_n, p.oos_inside) == (len(after), inside)
    assert p.source == "given" and result.detection is None
    assert result.secondary.fit.start == pd.Timestamp("2020-01-01") and result.secondary.oos_n == 0
    assert p.trail[-1].label == "as_of" and p.trail[-1].date == close.index[-1]
    assert p.trail[-1].i == len(close) - 1
    assert 0.9 < p.in_sample_inside_share <= 1.0


def test_durbin_watson_white_noise_and_ar1() -> None:
    rng = np.random.default_rng(0)
    white = rng.standard_normal(5000)
    assert durbin_watson(white) == pytest.approx(2.0, abs=0.1)
    ar = np.zeros(5000)
    for t in range(1, 5000):
        ar[t] = 0.95 * ar[t - 1] + white[t]
    assert durbin_watson(ar) < 0.2
    assert lag1_autocorrelation(ar) == pytest.approx(0.95, abs=0.03)
    assert durbin_watson(ar) == pytest.approx(2 * (1 - lag1_autocorrelation(ar)), abs=0.01)
    assert effective_n(1000, 0.9) == pytest.approx(1000 * 0.1 / 1.9)


def test_channel_diagnostics_on_ar1_residuals() -> None:
    dates = pd.bdate_range("2010-01-01", periods=3000)
    x = np.asarray((dates - dates[0]).days, dtype="float64")
    e = np.zeros(len(x))
    shocks = np.random.default_rng(2).normal(0, 0.01, len(x))
    for t in range(1, len(x)):
        e[t] = 0.98 * e[t - 1] + shocks[t]
    result = detect_trends(pd.Series(np.exp(7 + 0.0003 * x + e), index=dates, name="AR"), primary=(None, None), secondary_start="2020-01-02")
    assert result.primary.durbin_watson < 0.1
    white = detect_trends(known_closes(7, 0.0003, 0.02, n=3000), primary=(None, None), secondary_start="2020-01-02")
    assert white.primary.durbin_watson == pytest.approx(2.0, abs=0.15)


def test_breusch_pagan_known_answer_and_power() -> None:
    from statsmodels.stats.diagnostic import het_breuschpagan

    rng = np.random.default_rng(9)
    x = np.arange(2000, dtype="float64")
    hetero = rng.standard_normal(2000) * (0.2 + x / 1000)
    res = breusch_pagan(hetero, x)
    lm, p, _, _ = het_breuschpagan(hetero, np.column_stack([np.ones_like(x), x]))
    assert res.statistic == pytest.approx(lm, rel=1e-9) and res.p_value == pytest.approx(p, rel=1e-6)
    assert res.p_value < 1e-6 and res.rejected and res.df == 1 and res.n == 2000
    assert "constant" in res.null and "changes" in res.alternative
    assert breusch_pagan(rng.standard_normal(2000), x).p_value > 0.001


def test_reversal_signals() -> None:
    close = piecewise_closes("2019-06-14", (0.20, -0.30), "2014-01-01", "2021-06-30")
    result = detect_trends(close, primary=("2014-01-01", "2019-06-14"), secondary_start="2019-06-17")
    signals = {s.name: s.active for s in result.signals}
    assert result.primary.fit.direction == "increasing" and result.secondary.fit.direction == "decreasing"
    assert result.primary.position.position == "below"
    assert signals == {"primary_break": True, "secondary_opposite": True, "secondary_break": False}
    assert result.primary.oos_n > 0 and result.primary.oos_inside < result.primary.oos_n


def test_stale_or_poor_segments_fall_back_to_the_last() -> None:
    up = piecewise_closes("2014-01-01", (0.25, 0.0), "2010-01-01", "2020-12-31", sd=0.01)
    result = detect_trends(up)
    assert result.detection.primary_criterion_met is False
    last = result.detection.coarse_segments[-1]
    assert result.primary.fit.start == last.start and last.weekly_r2 < 0.5
    assert abs((last.start - pd.Timestamp("2014-01-01")).days) <= 28
