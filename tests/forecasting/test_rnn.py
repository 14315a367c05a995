"""The recurrent member (rnn): no look-ahead, purge, determinism, a volatility-regime known answer,
clear errors for missing inputs and for a missing torch. Tiny networks keep every test to seconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fc_support import dates

from r2k.errors import DataError, LookAheadError
from r2k.models import Climatology, History
from r2k.models.rnn import MISSING_TORCH, DeepExtraMissing, RecurrentQuantile, distribution_from_quantiles, to_99
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan

SRC = Path(__file__).resolve().parents[2] / "src"
LOW, HIGH = 0.008, 0.024  # daily volatility of the two regimes: every interval is 3 times wider in the high one


@pytest.fixture
def torch() -> object:
    return pytest.importorskip("torch", reason="torch is not installed (optional extra 'deep')")


def tiny(**kw: object) -> RecurrentQuantile:
    settings = dict(seq_len=10, hidden=8, epochs=12, patience=3, batch=64, samples_per_epoch=256, min_samples=100,
                    macro=("z:a",), n_nets=1)
    settings.update(kw)
    return RecurrentQuantile(**settings)  # type: ignore[arg-type]


def regimes(n: int, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """An index whose daily volatility switches between LOW and HIGH in runs of 40-90 days; ``VIX`` on day t
    announces the regime of day t+1's return (15 or 45, plus noise). Returns the input frame and the
    regime (1 = high) of each day's return."""
    rng = np.random.default_rng(seed)
    high = np.zeros(n, dtype=bool)
    i, state = 0, False
    while i < n:
        k = int(rng.integers(40, 91))
        high[i : i + k] = state
        i, state = i + k, not state
    r = rng.standard_normal(n) * np.where(high, HIGH, LOW)
    r[0] = 0.0
    idx = dates(n)
    close = 100 * np.exp(np.cumsum(r))
    gspc = 50 * np.exp(np.cumsum(0.6 * r + 0.004 * rng.standard_normal(n)))
    vix = np.where(np.roll(high, -1), 45.0, 15.0) * np.exp(0.05 * rng.standard_normal(n))
    frame = pd.DataFrame({"close": close, "GSPC": gspc, "VIX": vix, "z:a": rng.standard_normal(n)}, index=idx)
    frame.loc[frame.index[:30], "z:a"] = np.nan  # a macro gap reads as 0, it does not drop rows
    return frame, high


def test_interval_is_three_times_wider_in_the_announced_high_volatility_regime(torch: object) -> None:
    frame, high = regimes(900)
    plan = FoldPlan(horizons=(5,), start=frame.index[600].date(), step=2, refit_every=1000, min_train=300)
    model = tiny(epochs=40, patience=6, samples_per_epoch=1024, lr=0.02)  # one fit at day 600, 150 origins after it
    out = walk_forward(frame["close"], [model], plan, seed=1, features=frame)
    pos = frame.index.get_indexer(out["origin"])
    width = out["q95"].to_numpy() - out["q05"].to_numpy()
    # origins whose next 5 returns and last 22 returns all lie in one regime
    calm = np.array([not high[p - 21 : p + 6].any() for p in pos])
    wild = np.array([high[p - 21 : p + 6].all() for p in pos])
    assert calm.sum() > 40 and wild.sum() > 30
    ratio = width[wild].mean() / width[calm].mean()
    assert 2.3 < ratio < 3.7, ratio
    # and the level: a normal 90% interval of a 5-day sum is 2 * 1.645 * sigma * sqrt(5)
    assert width[calm].mean() == pytest.approx(2 * 1.645 * LOW * np.sqrt(5), rel=0.2)
    q = out[[f"q{p:02d}" for p in range(1, 100)]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()


def test_rewriting_the_future_changes_no_earlier_forecast(torch: object) -> None:
    frame, _ = regimes(700, seed=5)
    cut = frame.index[560]
    garbage = frame.copy()
    after = garbage.index > cut
    rng = np.random.default_rng(99)
    for col in garbage.columns:
        garbage.loc[after, col] = rng.uniform(1, 1e4, after.sum())
    plan = FoldPlan(horizons=(5, 10), start=frame.index[500].date(), step=10, refit_every=2, min_train=300)
    a = walk_forward(frame["close"], [tiny()], plan, seed=3, features=frame)
    b = walk_forward(garbage["close"], [tiny()], plan, seed=3, features=garbage)
    assert cut in set(a["origin"])
    keep = a["origin"] <= cut
    cols = [c for c in a.columns if c != "y"]
    pd.testing.assert_frame_equal(a.loc[keep, cols], b.loc[keep, cols], check_exact=True)
    assert not np.allclose(a.loc[~keep, "q50"], b.loc[~keep, "q50"])


def test_parallel_equals_serial_and_the_seed_decides(torch: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from r2k.validation import engine

    monkeypatch.setattr(engine, "MIN_BLOCKS_PER_JOB", 1)  # really start two workers for this short plan
    frame, _ = regimes(650, seed=8)
    plan = FoldPlan(horizons=(5, 20), start=frame.index[520].date(), step=15, refit_every=2, min_train=300)
    models = [Climatology(), tiny()]
    serial = walk_forward(frame["close"], models, plan, seed=4, features=frame)
    parallel = walk_forward(frame["close"], models, plan, seed=4, n_jobs=2, features=frame)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
    other = walk_forward(frame["close"], models[1:], plan, seed=5, features=frame)
    assert not np.array_equal(serial.loc[serial["model"] == "rnn", "q50"].to_numpy(), other["q50"].to_numpy())
    assert torch.get_num_threads() >= 1 and not torch.are_deterministic_algorithms_enabled()  # global state restored


def test_history_is_guarded_and_training_targets_end_by_the_origin(torch: object) -> None:
    frame, _ = regimes(400, seed=2)
    origin = frame.index[349]
    with pytest.raises(LookAheadError):
        History(frame["close"].loc[:origin], origin, features=frame)
    for gap, last in ((0, 349 - 10), (30, 349 - 30)):
        m = tiny()
        m.fit(History(frame["close"].loc[:origin], origin, gap=gap, features=frame.loc[:origin]), np.random.default_rng(0))
        ends = m.sample_ends((5, 10))
        assert ends.max() == last and ends.min() == 9 + 22  # a complete window needs 22 returns of volatility
    d = m.predict(History(frame["close"].loc[:origin], origin, gap=30, features=frame.loc[:origin]), (5, 10),
                  np.random.default_rng(1))
    assert d[10].quantile(0.9) - d[10].quantile(0.1) > d[5].quantile(0.9) - d[5].quantile(0.1) > 0


def test_two_networks_average_their_quantiles_and_the_first_is_the_single_one(torch: object) -> None:
    frame, _ = regimes(400, seed=6)
    history = History(frame["close"], frame.index[-1], features=frame)
    one, two = tiny(), tiny(n_nets=2)
    one.fit(history, np.random.default_rng(0))
    two.fit(history, np.random.default_rng(0))
    d1, d2 = (m.predict(history, (5,), np.random.default_rng(0)) for m in (one, two))
    assert len(two._nets) == 2
    for a, b in zip(one._nets[0].state_dict().values(), two._nets[0].state_dict().values()):
        assert torch.equal(a, b)  # same seed, same network
    assert not np.allclose(d1[5].quantiles, d2[5].quantiles)
    assert (np.diff(d2[5].quantiles) >= 0).all()


def test_a_missing_input_is_a_one_line_data_error(torch: object) -> None:
    frame, _ = regimes(400, seed=2)
    origin = frame.index[-1]
    no_gspc = frame.drop(columns="GSPC")
    with pytest.raises(DataError, match=r"^rnn: needs the GSPC series, which is not in the store") as err:
        tiny().fit(History(frame["close"], origin, features=no_gspc), np.random.default_rng(0))
    assert "\n" not in str(err.value)
    stale = frame.copy()
    stale.loc[stale.index[-3:], "VIX"] = np.nan
    with pytest.raises(DataError, match=r"the VIX series ends on .*, before the forecast origin"):
        tiny().fit(History(frame["close"], origin, features=stale), np.random.default_rng(0))
    m = tiny()
    m.fit(History(frame["close"].iloc[:-5], frame.index[-6], features=frame.iloc[:-5]), np.random.default_rng(0))
    hole = frame.copy()
    hole.loc[hole.index[-4], "GSPC"] = np.nan
    with pytest.raises(DataError, match=r"input ret:GSPC is missing on .* inside the 10-day window"):
        m.predict(History(frame["close"], origin, features=hole), (5,), np.random.default_rng(0))
    with pytest.raises(DataError, match="complete 10-day training sequences"):
        _train_short(frame)


def _train_short(frame: pd.DataFrame) -> None:
    m = tiny(min_samples=1000)
    m.fit(History(frame["close"], frame.index[-1], features=frame), np.random.default_rng(0))
    m.predict(History(frame["close"], frame.index[-1], features=frame), (5,), np.random.default_rng(0))


def test_quantile_helpers_have_known_answers() -> None:
    from scipy import stats

    from r2k.models.base import LEVELS
    from r2k.models.rnn import COARSE

    q = to_99(0.01 + 0.02 * stats.norm.ppf(COARSE))  # a normal's coarse quantiles interpolate exactly
    np.testing.assert_allclose(q, 0.01 + 0.02 * stats.norm.ppf(LEVELS), atol=1e-12)
    d = distribution_from_quantiles(q)
    assert d.mean == pytest.approx(0.01, abs=1e-4)
    assert d.p_up == pytest.approx(stats.norm.sf(0, 0.01, 0.02), abs=2e-3)
    assert distribution_from_quantiles(np.linspace(0.01, 0.05, 99)).p_up == pytest.approx(0.99)


def test_without_torch_the_model_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from r2k.models import rnn

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(DeepExtraMissing) as err:
        RecurrentQuantile()
    assert str(err.value) == MISSING_TORCH and "pip install torch==2.13.0" in MISSING_TORCH
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(DeepExtraMissing, match=r"optional extra 'deep'"):
        rnn.import_torch()


def test_importing_the_registry_does_not_import_torch() -> None:
    code = "import sys, r2k.models.registry as r; assert 'rnn' in r.MODELS; print('torch' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
