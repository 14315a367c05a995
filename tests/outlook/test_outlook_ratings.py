"""Ratings: the scale's stated frequencies, the score's known answers, calibration that ignores the future,
and the rating map round trip."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from r2k.models.base import QUANTILE_COLUMNS, Distribution
from r2k.outlook.rating_map import calibrate, explain, from_dict, load_map
from r2k.outlook.ratings import category_rows, rate, rating_table
from r2k.outlook.scale import GROUPS, NOTCHES, frequencies, group_of, is_better_half
from r2k.outlook.score import components

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


def test_components_of_a_normal_distribution_have_known_values() -> None:
    mu, sigma = 0.01, 0.05
    d = Distribution.from_normal(mu, sigma)
    c = components(d.quantiles[None, :], 0.002).iloc[0]
    assert c["q05"] == pytest.approx(np.expm1(mu - 1.6448536 * sigma), rel=1e-6)
    # P(R < -10%) = Phi((log 0.9 - mu) / sigma), interpolated between percent quantiles
    assert c["p_loss10"] == pytest.approx(stats.norm.cdf((np.log(0.9) - mu) / sigma), abs=2e-3)
    sd = (np.expm1(mu + 1.6448536 * sigma) - np.expm1(mu - 1.6448536 * sigma)) / (2 * 1.6448536)
    assert c["sd"] == pytest.approx(sd, rel=1e-6)
    assert c["sharpe"] == pytest.approx((np.expm1(d.quantiles).mean() - 0.002) / sd, rel=1e-6)


def test_better_distributions_get_better_notches() -> None:
    rmap = synthetic_map()
    good = rate(Distribution.from_normal(0.03, 0.03), 0.001, 20, rmap)
    mid = rate(Distribution.from_normal(0.01, 0.05), 0.001, 20, rmap)
    bad = rate(Distribution.from_normal(-0.02, 0.12), 0.001, 20, rmap)
    assert good.notch < mid.notch < bad.notch
    assert good.label in NOTCHES and bad.group in ("B", "Caa or below")
    assert "expected return" in good.rests_on() and good.to_dict()["rating"] == good.label


def _history(n: int, seed: int, start: str = "1995-01-06") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    origins = pd.date_range(start, periods=n, freq="W-FRI")
    mu, sig = rng.normal(0.01, 0.01, n), rng.uniform(0.02, 0.09, n)
    rows = [{"origin": o, "target": o + pd.Timedelta(days=28), "horizon": 20, "model": "garch", "y": np.nan, "mean": m,
             "p_up": 0.5, **dict(zip(QUANTILE_COLUMNS, Distribution.from_normal(m, s).quantiles))}
            for o, m, s in zip(origins, mu, sig)]
    return pd.DataFrame(rows)


def test_calibration_gives_each_notch_its_stated_frequency_and_ignores_later_origins() -> None:
    hist = _history(1500, 1)
    rf = pd.Series(0.0001, index=pd.date_range("1990-01-01", "2030-12-31", freq="D"))
    cutoff = date(2015, 12, 31)
    rmap = calibrate(hist, rf, cutoff, model="garch", step=5)
    pre = hist[hist["origin"] <= pd.Timestamp(cutoff)]
    m = rmap.for_horizon(20)
    notches = m.notch(m.score(components(pre[list(QUANTILE_COLUMNS)].to_numpy(), 0.002)))
    counts = np.bincount(notches, minlength=21) / len(notches)
    assert counts == pytest.approx(np.array(frequencies()), abs=0.01)
    # rewrite every origin after the cutoff: the map does not move
    later = hist["origin"] > pd.Timestamp(cutoff)
    garbage = hist.copy()
    garbage.loc[later, list(QUANTILE_COLUMNS)] = garbage.loc[later, list(QUANTILE_COLUMNS)] * 50 - 3
    assert calibrate(garbage, rf, cutoff, model="garch", step=5).to_dict() == rmap.to_dict()
    # round trip through JSON
    assert from_dict(json.loads(json.dumps(rmap.to_dict()))).to_dict() == rmap.to_dict()


def test_shipped_map_covers_the_rated_horizons_and_explains_itself() -> None:
    rmap = load_map()
    assert set(rmap.horizons) >= {10, 20, 260}
    assert rmap.tuning_cutoff == date(2015, 12, 31)
    assert date.fromisoformat(rmap.calibration["last_origin"]) <= rmap.tuning_cutoff
    text = explain(rmap)
    assert "Aaa" in text and "C " in text and "tuning cutoff 2015-12-31" in text


def test_rating_table_keeps_the_category_rows_as_not_yet_available() -> None:
    rmap = synthetic_map()
    r = rate(Distribution.from_normal(0.01, 0.05), 0.0, 20, rmap)
    table = rating_table(r, r)
    assert table[0].short_term == r.label
    assert [t.category for t in table[1:]] == [c.category for c in category_rows()]
    assert all(t.short_term is None and "not yet available" in t.basis for t in table[1:])
