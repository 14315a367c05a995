"""The risk grades' record and the return view's evidence on constructed outcomes with known answers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from r2k.models.base import QUANTILE_COLUMNS, Distribution
from r2k.outlook.return_view import NO_EDGE, NOT_ASSESSED, direction_evidence, reliability_table, return_view
from r2k.validation.metrics import kupiec
from r2k.outlook.track_record import (share_p, group_table, horizon_record, independent_outcomes, non_overlapping,
                                      partial_rank_correlation, realised_paths, volatility_rises)


def test_realised_paths_known_answers() -> None:
    closes = pd.Series([100.0, 110.0, 99.0, 108.9, 120.0], index=pd.bdate_range("2020-01-01", periods=5))
    rated = pd.DataFrame({"origin": [closes.index[0], closes.index[3]], "horizon": [3, 3]})
    out = realised_paths(closes, rated)
    assert out.loc[0, "ret"] == pytest.approx(0.089)
    assert out.loc[0, "drawdown"] == pytest.approx(99 / 110 - 1)
    assert np.isnan(out.loc[1, "ret"])  # the target is beyond the data
    falling = pd.Series([100.0, 95.0, 90.0, 99.0], index=pd.bdate_range("2020-01-01", periods=4))
    dd = realised_paths(falling, pd.DataFrame({"origin": [falling.index[0]], "horizon": [3]}))
    assert dd.loc[0, "drawdown"] == pytest.approx(-0.10)  # the origin's close is the first peak


def _rated(n: int, informative: bool, seed: int = 0, h: int = 20) -> pd.DataFrame:
    """Weekly origins whose notch decides (or not) the size of the coming drawdown and volatility."""
    rng = np.random.default_rng(seed)
    origins = pd.bdate_range("2016-01-04", periods=n * 5, freq="B")[::5]
    notch = rng.integers(2, 19, n)
    risk = 0.01 + (0.004 * notch if informative else np.full(n, 0.04))
    depth = risk * rng.uniform(0.5, 1.5, n)
    ret = rng.normal(0, risk)
    groups = ["A or better" if k <= 6 else "Baa" if k <= 9 else "Ba" if k <= 12 else "B" if k <= 15 else "Caa or below" for k in notch]
    return pd.DataFrame({"origin": origins, "horizon": h, "notch": notch, "ret": ret, "vol": 3 * risk, "drawdown": -depth,
                         "y": np.log1p(ret), "q05": -0.05, "below_q05": (np.log1p(ret) < -0.05).astype(float),
                         "loss_5": (ret < -0.05).astype(float), "loss_10": (ret < -0.10).astype(float),
                         "vix": 12 + 100 * risk + rng.normal(0, 2, n), "group": groups})


def test_a_grade_that_orders_the_downside_passes_the_primary_test() -> None:
    rec = horizon_record(_rated(240, True), 20, date(2015, 12, 31))
    assert not rec.indicative and rec.n == 240 and rec.n_independent == 60
    assert rec.primary.estimate > 0.5 and rec.primary.ci_low > 0 and rec.primary.block >= 4  # blocks at least the horizon
    assert "the grade forecasts risk" in rec.verdict()
    assert volatility_rises(rec.groups)
    d = rec.to_dict()
    assert set(d["primary_test"]) >= {"statistic", "ci_low", "ci_high"}
    assert [g["group"] for g in d["groups"]] == ["A or better", "Baa", "Ba", "B", "Caa or below"]
    assert set(d["groups"][0]) >= {"group", "count", "realised_vol", "worst_drawdown", "loss_5", "loss_10", "below_q05"}


def test_an_uninformative_grade_says_so() -> None:
    rec = horizon_record(_rated(240, False, seed=4), 20, date(2015, 12, 31))
    assert rec.primary.ci_low < 0 < rec.primary.ci_high
    assert "no detectable information about the coming downside" in rec.verdict()


def test_partial_rank_correlation_removes_what_the_control_explains() -> None:
    rng = np.random.default_rng(2)
    c = rng.normal(size=2000)
    a, b = c + 0.1 * rng.normal(size=2000), c + 0.1 * rng.normal(size=2000)  # related only through c
    assert np.corrcoef(a, b)[0, 1] > 0.9
    assert abs(partial_rank_correlation(a, b, c)) < 0.1
    extra = rng.normal(size=2000)
    assert partial_rank_correlation(a + extra, b + extra, c) > 0.5  # a shared part beyond c survives


def test_group_table_counts_and_its_p_allows_for_overlapping_outcomes() -> None:
    rated = _rated(400, True)
    t = group_table(rated, 20)
    assert t["count"].sum() == 400
    row = t[t["group"] == "Baa"].iloc[0]
    sub = rated[rated["group"] == "Baa"]
    assert row["worst_drawdown"] == pytest.approx(sub["drawdown"].min())
    assert row["loss_5"] == pytest.approx(sub["loss_5"].mean()) and row["below_q05"] == pytest.approx(sub["below_q05"].mean())
    assert 0 <= row["q05_p"] <= 1
    # 10% misses in runs of 8 consecutive weekly origins, as overlapping 4-week outcomes of one bad month give:
    # Kupiec on all 400 outcomes calls it decisive; on the 100 non-overlapping ones it is borderline
    clustered = rated.assign(group="Baa", below_q05=np.where(np.arange(400) % 80 < 8, 1.0, 0.0))
    p = group_table(clustered, 20).set_index("group").loc["Baa", "q05_p"]
    assert kupiec(clustered["below_q05"].to_numpy(dtype=int), 0.05).p_value < 0.001
    assert p == pytest.approx(kupiec(np.where(np.arange(100) % 20 < 2, 1, 0), 0.05).p_value)  # the same share, n = 100
    assert 0.01 < p < 0.1
    # one miss in 98 weekly 4-week outcomes (25 independent) is no evidence of a too-wide quantile; none in 92 neither
    one = np.zeros(98)
    one[40] = 1.0
    assert share_p(one, 20) > 0.2 and share_p(np.zeros(92), 20) > 0.1
    assert share_p(np.zeros(92), 20) == pytest.approx(stats.chi2.sf(2 * 23 * np.log(1 / 0.95), 1))


def test_few_independent_outcomes_make_the_long_grade_indicative() -> None:
    rated = _rated(300, True, h=260)
    rec = horizon_record(rated, 260, date(2015, 12, 31))
    assert rec.indicative and rec.primary is None and rec.n_independent == non_overlapping(300, 260) == 6
    assert "indicative only" in rec.verdict() and "6 independent outcomes" in rec.verdict()


def test_independent_outcomes_counts_the_records_non_overlapping_windows() -> None:
    days = pd.bdate_range("2014-01-01", "2019-12-31")
    n = independent_outcomes(days, date(2015, 12, 31), 260)
    assert n == 3  # 2016..2019: four years of days, three whole 52-week windows after the first weekly origin
    assert independent_outcomes(days[:100], date(2015, 12, 31), 260) == 0


def _frame(n: int, skill: bool, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    origins = pd.bdate_range("2016-01-04", periods=n * 5, freq="B")[::5]
    signal = rng.normal(size=n)
    y = 0.004 + (0.02 * signal if skill else 0) + rng.normal(0, 0.03, n)
    p = 1 / (1 + np.exp(-(0.3 + (1.5 * signal if skill else rng.normal(0, 0.3, n)))))
    base = Distribution.from_normal(0.004, 0.04)
    rows = []
    for model, mean, pu in (("ensemble", 0.004 + (0.02 * signal if skill else 0.0), p), ("climatology", np.full(n, 0.004), np.full(n, 0.55))):
        part = pd.DataFrame({"origin": origins, "target": origins + pd.Timedelta(days=28), "horizon": 20, "model": model,
                             "y": y, "mean": mean, "p_up": pu})
        rows.append(pd.concat([part, pd.DataFrame([base.quantiles] * n, columns=list(QUANTILE_COLUMNS))], axis=1))
    return pd.concat(rows, ignore_index=True)


def test_direction_verdicts_only_with_evidence() -> None:
    cutoff = date(2015, 12, 31)
    skilled, noise = direction_evidence(_frame(500, True), 20, cutoff), direction_evidence(_frame(500, False, 3), 20, cutoff)
    assert skilled.edge and skilled.auc.ci_low > 0.5 and skilled.oos_r2.estimate > 0
    assert not noise.edge and noise.auc.ci_low < 0.5 < noise.auc.ci_high and noise.words() == NO_EDGE
    assert skilled.words() == "an edge on direction"
    d = Distribution.from_normal(0.02, 0.04)
    base = Distribution.from_normal(0.004, 0.04)
    assert return_view(d, base, 0.001, 20, skilled).verdict == "above the usual"
    assert return_view(base, d, 0.001, 20, skilled).verdict == "below the usual"
    assert return_view(base, base, 0.001, 20, skilled).verdict == "near the usual"
    assert return_view(d, base, 0.001, 20, noise).verdict == NO_EDGE == "no detectable edge on direction"
    view = return_view(d, base, 0.001, 20, None)
    assert view.verdict == NOT_ASSESSED
    out = return_view(d, base, 0.001, 20, noise).to_dict()
    assert {"p_up", "base_p_up", "expected_excess_return", "verdict", "auc", "auc_ci"} <= set(out)
    assert out["expected_excess_return"] == pytest.approx(np.expm1(d.quantiles).mean() - 0.001)
    assert out["auc_ci"] == [noise.auc.ci_low, noise.auc.ci_high]


def test_reliability_table_bins_forecasts_and_outcomes() -> None:
    p = np.array([0.52, 0.53, 0.61, 0.62, 0.64])
    up = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    t = reliability_table(p, up)
    assert t["count"].tolist() == [2, 3] and t["low"].tolist() == [0.5, 0.6]
    assert t["observed"].tolist() == pytest.approx([0.5, 2 / 3]) and t["mean_p_up"].tolist() == pytest.approx([0.525, 0.623333], abs=1e-6)


def test_auc_text_says_why_there_is_no_auc_when_every_outcome_rose() -> None:
    from r2k.analytics.robust import BootstrapInterval
    from r2k.outlook.return_view import DirectionEvidence

    def ev(auc: float, rises: float) -> DirectionEvidence:
        interval = BootstrapInterval(auc, auc - 0.05, auc + 0.05, 0.5, 0.95, 52, 999, 10, 0.5)
        r2 = BootstrapInterval(-0.01, -0.05, 0.02, 0.6, 0.95, 52, 999, 10)
        return DirectionEvidence(260, 10, date(2016, 1, 4), date(2025, 8, 12), interval, r2, rises, pd.DataFrame())

    assert ev(0.48, 0.6).auc_text() == "AUC 0.48 (95% interval 0.43–0.53)"
    assert ev(float("nan"), 1.0).auc_text() == "no AUC: every outcome after the cutoff was a rise"
    assert "nan" not in ev(float("nan"), 0.0).summary() and ev(float("nan"), 0.0).words() == NO_EDGE
