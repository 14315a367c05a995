"""The volatility members (implied_vol, har, garch_hm) and the ensemble: known answers, no look-ahead,
parallel == serial, realised-only weights, and missing inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fc_support import dates

from r2k.errors import DataError, LookAheadError
from r2k.forecasting import resolve_models, run_backtest
from r2k.models import History
from r2k.models.ensemble import Ensemble, combination, simplex_crps_weights, weight_history
from r2k.models.registry import make_model
from r2k.validation.engine import COLUMNS, known_forecasts, walk_forward
from r2k.validation.folds import FoldPlan

QCOLS = [c for c in COLUMNS if c.startswith("q")]


def regime_market(n: int = 1600, seed: int = 5) -> pd.DataFrame:
    """Daily volatility alternates 0.8% / 2.4% every 150 days; VIX states it exactly (annualised, percent)."""
    rng = np.random.default_rng(seed)
    vol = np.where((np.arange(n) // 150) % 2 == 0, 0.008, 0.024)
    r = vol * rng.standard_normal(n)
    r[0] = 0.0
    idx = dates(n)
    close = 100 * np.exp(np.cumsum(r))
    return pd.DataFrame({"close": close, "VIX": vol * np.sqrt(252) * 100}, index=idx)


def test_implied_vol_width_follows_the_implied_scale() -> None:
    m = regime_market()
    closes = m["close"]
    model = make_model("implied_vol")
    widths = {}
    for pos in (1049, 1199):  # last day of a calm block, last day of a stormy block
        h = History(closes.iloc[: pos + 1], closes.index[pos], features=m.iloc[: pos + 1])
        model.fit(h, np.random.default_rng(0))
        d = model.predict(h, (5,), np.random.default_rng(0))[5]
        widths[pos] = d.quantile(0.9) - d.quantile(0.1)
    assert model.chosen == "VIX"
    assert widths[1049] / widths[1199] == pytest.approx(1 / 3, rel=0.02)  # exactly the VIX ratio: FHS shape is shared
    # the calm-state 80% interval: N(0, 0.008^2 * 5) has q90 - q10 = 2 * 1.2816 * 0.008 * sqrt(5) = 0.0459
    assert widths[1049] == pytest.approx(0.0459, rel=0.15)


def test_implied_vol_centres_on_the_historical_mean() -> None:
    """With a constant implied scale the FHS draws m + scale * (r_s - m) / scale are the past h-day returns
    themselves: the forecast mean is exactly m, the historical mean of every past h-day return (the centre
    chosen on origins up to the tuning cutoff, docs/outlook.md)."""
    m = regime_market().assign(VIX=20.0)
    h = History(m["close"].iloc[:1200], m.index[1199], features=m.iloc[:1200])
    model = make_model("implied_vol")
    model.fit(h, np.random.default_rng(0))
    d = model.predict(h, (20,), np.random.default_rng(0))[20]
    assert d.mean == pytest.approx(float(h.h_returns(20).mean()), abs=1e-12)


def test_har_tracks_the_volatility_regime() -> None:
    m = regime_market()
    plan = FoldPlan(horizons=(5,), start=m.index[900].date(), step=10, refit_every=5)
    out = walk_forward(m["close"], [make_model("har")], plan, features=m)
    width = out["q90"] - out["q10"]
    calm = out["origin"].map(lambda t: (m.index.get_loc(t) // 150) % 2 == 0).to_numpy()
    # away from regime switches the stormy width is about 3x the calm one
    assert np.median(width[~calm]) / np.median(width[calm]) == pytest.approx(3.0, rel=0.35)


@pytest.mark.parametrize("names", [("implied_vol",), ("har",), ("garch_hm",), ("implied_vol", "har", "ensemble")])
def test_rewriting_the_future_changes_no_earlier_forecast(names: tuple[str, ...]) -> None:
    m = regime_market(1300)
    cut = m.index[1100]
    garbage = m.copy()
    after = garbage.index > cut
    rng = np.random.default_rng(3)
    garbage.loc[after, "close"] = rng.uniform(1, 1e5, after.sum())
    garbage.loc[after, "VIX"] = rng.uniform(1, 500, after.sum())
    plan = FoldPlan(horizons=(5, 20), start=m.index[900].date(), step=10, refit_every=3)
    models = [make_model(n, **({"min_history": 10, "members": ("implied_vol", "har")} if n == "ensemble" else {})) for n in names]
    if "garch_hm" in names:
        models = [make_model("garch_hm", paths=300)]
    a = walk_forward(m["close"], models, plan, seed=2, features=m)
    b = walk_forward(garbage["close"], models, plan, seed=2, features=garbage)
    cols = ["origin", "target", "horizon", "model", "mean", "p_up", *QCOLS]
    pa, pb = a[a["origin"] <= cut][cols], b[b["origin"] <= cut][cols]
    assert len(pa) > 40 and cut in set(a["origin"])
    pd.testing.assert_frame_equal(pa.reset_index(drop=True), pb.reset_index(drop=True))
    assert not np.allclose(a.loc[a["origin"] > cut, "q50"], b.loc[b["origin"] > cut, "q50"])


def test_ensemble_parallel_equals_serial() -> None:
    m = regime_market(900)
    plan = FoldPlan(horizons=(5,), start=m.index[600].date(), step=5, refit_every=1)  # 60 blocks: two workers really run
    models = [make_model("implied_vol"), make_model("har"), make_model("ensemble", members=("implied_vol", "har"), min_history=10)]
    a = walk_forward(m["close"], models, plan, seed=4, features=m, n_jobs=1)
    b = walk_forward(m["close"], models, plan, seed=4, features=m, n_jobs=2)
    pd.testing.assert_frame_equal(a, b)


def _member_frame(seed: int = 0) -> pd.DataFrame:
    """Two members' forecasts on 120 weekly origins of N(0, 1) outcomes: 'good' states N(0, 1), 'wide' N(0, 9)."""
    from scipy import stats

    rng = np.random.default_rng(seed)
    idx = dates(700)
    rows = []
    z = stats.norm.ppf(np.arange(1, 100) / 100)
    for k in range(120):
        origin, target = idx[5 * k], idx[5 * k + 5]
        y = rng.standard_normal()
        for name, s in (("good", 1.0), ("wide", 3.0)):
            rows.append({"origin": origin, "target": target, "horizon": 5, "model": name, "y": y, "mean": 0.0,
                         "p_up": 0.5, **dict(zip(QCOLS, s * z))})
    return pd.DataFrame(rows)


def test_crps_weights_prefer_the_true_distribution() -> None:
    f = _member_frame()
    c = combination(f, ("good", "wide"), 5, min_history=52)
    assert c.weights["good"] > 0.9 and sum(c.weights.values()) == pytest.approx(1.0)
    few = combination(f.head(40), ("good", "wide"), 5, min_history=52)
    assert few.weights == {"good": 0.5, "wide": 0.5} and few.n_realised == 20
    w = simplex_crps_weights(np.zeros(3), np.zeros((3, 1, 99)))
    assert w.tolist() == [1.0]


def test_ensemble_never_sees_member_forecasts_after_its_origin() -> None:
    f = _member_frame()
    origin = sorted(f["origin"].unique())[80]
    poisoned = f.copy()
    later = (poisoned["target"] > origin) & (poisoned["origin"] != origin)  # made before the origin, not yet realised
    poisoned.loc[later, QCOLS] = 1e6
    poisoned.loc[later, "y"] = -1e6
    closes = pd.Series(np.linspace(100, 120, 700), index=dates(700))
    outs = []
    for frame in (f, poisoned):
        h = History(closes.loc[:origin], origin, forecasts=known_forecasts(frame, origin))
        ens = Ensemble(members=("good", "wide"))
        ens.fit(h, np.random.default_rng(0))
        outs.append((ens.predict(h, (5,), np.random.default_rng(0))[5], ens.combos[5].weights))
    assert outs[0][1] == outs[1][1] and outs[0][0].quantiles.tolist() == outs[1][0].quantiles.tolist()
    with pytest.raises(LookAheadError, match="target after it"):
        History(closes.loc[:origin], origin, forecasts=f)  # every row, later targets included
    hist = weight_history(f, [origin], ("good", "wide"), (5,))
    assert hist.loc[0, "good"] == pytest.approx(outs[0][1]["good"])


def test_missing_vix_is_one_line_and_the_ensemble_drops_the_member() -> None:
    m = regime_market(1200)
    no_vix = m.drop(columns="VIX")
    with pytest.raises(DataError, match="needs the VIX series, which is not in the store"):
        run_backtest(m["close"], models=["implied_vol"], horizons=(5,), start=m.index[800].date(), features=no_vix)
    stale = m.copy()
    stale.loc[stale.index > m.index[1000], "VIX"] = np.nan
    models, notes = resolve_models(["ensemble"], stale, m.index[800], m.index[1100])
    names = [x.name for x in models]
    assert "implied_vol" not in names and "har" not in names and "garch_hm" in names
    assert any("VIX series ends on" in n and "left out of the ensemble" in n for n in notes)
    assert models[-1].capabilities.stacks == ("garch_hm",)


def test_implied_vol_chooses_the_volatility_index_that_scores_better() -> None:
    m = regime_market(1300)
    noisy = m["VIX"] * np.exp(np.random.default_rng(8).normal(0, 0.5, len(m)))  # a poor measure of the true volatility
    frame = m.assign(VIX=noisy, RVX=m["VIX"].where(m.index >= m.index[200]))  # RVX exact, but starts later
    model = make_model("implied_vol")
    h = History(frame["close"], frame.index[-1], features=frame)
    model.fit(h, np.random.default_rng(0))
    assert model.chosen == "RVX"
    model.fit(History(frame["close"], frame.index[-1], features=frame.assign(RVX=noisy, VIX=m["VIX"])), np.random.default_rng(0))
    assert model.chosen == "VIX"
