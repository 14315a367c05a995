"""Risk grades: the scale's stated frequencies, the score's known answers, calibration that ignores the future,
the rating map round trip and its words."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from r2k.models.base import QUANTILE_COLUMNS, Distribution
from r2k.outlook.rating_map import RatingMapError, calibrate, cut_rows, explain, from_dict, load_map
from r2k.outlook.ratings import category_rows, grade, rating_table
from r2k.outlook.scale import GROUPS, NOTCHES, frequencies, group_of, is_better_half
from r2k.outlook.score import expected_shortfall, frame_scores

from outlook_support import synthetic_map


def test_scale_has_21_notches_with_a_symmetric_bell_of_frequencies() -> None:
    f = np.array(frequencies())
    assert len(NOTCHES) == 21 and NOTCHES[0] == "Aaa" and NOTCHES[-1] == "C"
    assert f.sum() == pytest.approx(1.0)
    assert f == pytest.approx(f[::-1])  # symmetric
    assert f[0] == pytest.approx(stats.norm.cdf(-9.5 / 4))  # Aaa ~0.9%
    assert f[10] == pytest.approx(stats.norm.cdf(0.5 / 4) - stats.norm.cdf(-0.5 / 4))  # Ba1 ~10%
    assert [group_of(i) for i in (0, 6, 7, 10, 15, 16, 20)] == ["A or better", "A or better", "Baa", "Ba", "B", "Caa or below", "Caa or below"]
    assert sum(hi - lo + 1 for _, lo, hi in GROUPS) == 21
    assert is_better_half(10) and not is_better_half(11)


def test_expected_shortfall_of_a_normal_has_the_known_value() -> None:
    """For a normal log return the score is the trapezoid rule over the 1%..5% quantiles of R = e^y − 1 (the worst 1%
    at the 1% quantile): within a few tenths of a percent of the exact 5% ES of R, and never counting the centre twice."""
    mu, sigma = 0.01, 0.05
    d = Distribution.from_normal(mu, sigma)
    r = np.expm1(mu + sigma * stats.norm.ppf([0.01, 0.02, 0.03, 0.04, 0.05]))
    assert expected_shortfall(d.quantiles)[0] == pytest.approx((1.5 * r[0] + r[1] + r[2] + r[3] + 0.5 * r[4]) / 5, rel=1e-9)
    u = np.linspace(0, 0.05, 200_001)[1:]
    exact = np.expm1(mu + sigma * stats.norm.ppf(u)).mean()  # E[R | R below its 5% quantile]
    assert expected_shortfall(d.quantiles)[0] == pytest.approx(exact, abs=0.004)
    wider = Distribution.from_normal(mu, 2 * sigma)
    shifted = Distribution.from_normal(mu + 0.02, sigma)
    assert expected_shortfall(wider.quantiles)[0] < expected_shortfall(d.quantiles)[0] < expected_shortfall(shifted.quantiles)[0]


def test_wider_downside_gets_a_worse_grade_and_says_so_in_words() -> None:
    rmap = synthetic_map()
    calm = grade(Distribution.from_normal(0.005, 0.025), 20, rmap)
    usual = grade(Distribution.from_normal(0.005, 0.045), 20, rmap)
    storm = grade(Distribution.from_normal(0.005, 0.12), 20, rmap)
    assert calm.notch < usual.notch < storm.notch
    assert calm.share_worse < 0.2 and storm.share_worse > 0.95 and storm.group == "Caa or below"
    # the expected return moves the grade only through the tail it shifts: a higher centre with the same spread is calmer,
    # never "worse" because a centre is low relative to a risk-free rate
    assert grade(Distribution.from_normal(-0.01, 0.045), 20, rmap).score < usual.score
    text = usual.meaning()
    assert text.startswith(f"{usual.label} — 4-week downside risk higher than in ") and "of weeks 1995–2015" in text
    assert text.endswith("(Aaa calmest, C most dangerous)")
    d = usual.to_dict()
    assert {"label", "notch", "score", "horizon_days", "share_worse", "definition"} <= set(d)
    assert d["horizon_days"] == 20 and d["label"] == usual.label and "expected shortfall" in d["definition"]


def test_share_worse_is_the_share_of_calmer_calibration_weeks() -> None:
    rmap = synthetic_map()
    m = rmap.for_horizon(20)
    mean, sd = -0.09, 0.03
    for share in (0.1, 0.5, 0.9):
        score = mean + sd * stats.norm.ppf(share)  # the score at this share of the calibration weeks
        assert float(m.share_worse(score)) == pytest.approx(1 - share, abs=0.01)


def _history(n: int, seed: int, start: str = "1995-01-06") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    origins = pd.date_range(start, periods=n, freq="W-FRI")
    mu, sig = rng.normal(0.01, 0.01, n), rng.uniform(0.02, 0.09, n)
    rows = [{"origin": o, "target": o + pd.Timedelta(days=28), "horizon": 20, "model": "ensemble", "y": np.nan, "mean": m,
             "p_up": 0.5, **dict(zip(QUANTILE_COLUMNS, Distribution.from_normal(m, s).quantiles))}
            for o, m, s in zip(origins, mu, sig)]
    return pd.DataFrame(rows)


def test_calibration_gives_each_notch_its_stated_frequency_and_ignores_later_origins() -> None:
    hist = _history(1500, 1)
    cutoff = date(2015, 12, 31)
    rmap = calibrate(hist, cutoff, model="ensemble", step=5, version=3)
    pre = hist[hist["origin"] <= pd.Timestamp(cutoff)]
    m = rmap.for_horizon(20)
    notches = m.notch(frame_scores(pre))
    counts = np.bincount(notches, minlength=21) / len(notches)
    assert counts == pytest.approx(np.array(frequencies()), abs=0.01)
    assert float(m.share_worse(np.median(frame_scores(pre)))) == pytest.approx(0.5, abs=0.01)
    # rewrite every origin after the cutoff: the map does not move
    later = hist["origin"] > pd.Timestamp(cutoff)
    garbage = hist.copy()
    garbage.loc[later, list(QUANTILE_COLUMNS)] = garbage.loc[later, list(QUANTILE_COLUMNS)] * 50 - 3
    assert calibrate(garbage, cutoff, model="ensemble", step=5, version=3).to_dict() == rmap.to_dict()
    # round trip through JSON; a map of another score is refused
    assert from_dict(json.loads(json.dumps(rmap.to_dict()))).to_dict() == rmap.to_dict()
    with pytest.raises(RatingMapError, match="score"):
        from_dict(rmap.to_dict() | {"score": "sharpe+q05+p_loss10"})


def test_shipped_map_is_version_3_on_the_graded_horizons_and_explains_itself() -> None:
    rmap = load_map()
    assert rmap.version == 3 and set(rmap.horizons) == {20, 260}
    assert rmap.tuning_cutoff == date(2015, 12, 31)
    assert date.fromisoformat(rmap.calibration["last_origin"]) <= rmap.tuning_cutoff
    assert rmap.years == "1995–2015"
    text = explain(rmap)
    assert "expected shortfall" in text and "tuning cutoff 2015-12-31" in text and "Aaa is the calmest" in text
    rows = cut_rows(rmap)
    assert [r[0] for r in rows] == list(NOTCHES) and rows[-1][2] == [None, None]
    assert rows[0][2][0] > rows[10][2][0] > rows[19][2][0]  # Aaa needs the mildest tail


def test_rating_table_keeps_the_category_rows_as_not_yet_available() -> None:
    rmap = synthetic_map()
    g = grade(Distribution.from_normal(0.01, 0.05), 20, rmap)
    table = rating_table(g, g)
    assert table[0].short_term == g.label and "expected shortfall" in table[0].basis
    assert [t.category for t in table[1:]] == [c.category for c in category_rows()]
    assert all(t.short_term is None and "not yet available" in t.basis for t in table[1:])
