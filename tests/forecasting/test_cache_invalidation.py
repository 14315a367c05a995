"""A member change — its parameters (tuned ones included) or the code — invalidates every cache that holds its
output: the member's blocks in the block cache, and the outlook's track-record frame (which holds the combination
of every member)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gbm_support import vol_driven_inputs

from r2k.config import Settings
from r2k.models import Climatology
from r2k.models.gbm import GradientBoosting
from r2k.outlook import record
from r2k.outlook.source import HistoryPlan
from r2k.store import cache, forecast_cache
from r2k.store.forecast_cache import ForecastCache
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan

INPUTS, _ = vol_driven_inputs(1000, seed=2)
CLOSES = INPUTS["close"]
PLAN = FoldPlan(horizons=(5,), start=CLOSES.index[850].date(), step=40, refit_every=1, min_train=750)


def run(tmp_path: Path, member: GradientBoosting) -> ForecastCache:
    fc = ForecastCache(tmp_path)
    walk_forward(CLOSES, [Climatology(), member], PLAN, seed=1, features=INPUTS, cache=fc)
    return fc


def history_key(tmp_path: Path) -> str:
    plan = HistoryPlan(start=date(2003, 6, 2), end=CLOSES.index[-1].date(), step=40, refit_every=2)
    return record.record_key(CLOSES, plan, INPUTS, Settings(store_path=tmp_path / "s.duckdb", cache_dir=tmp_path))


def test_a_member_change_invalidates_its_blocks_and_the_track_record_frame(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    member = GradientBoosting(n_trees=10, min_train=750)
    blocks = run(tmp_path, member).misses // 2
    assert blocks >= 3 and run(tmp_path, member).hits == 2 * blocks  # a repeat run reads everything back
    frame_key = history_key(tmp_path)
    assert history_key(tmp_path) == frame_key

    # parameters: the member's blocks are recomputed, the baseline's are not; the frame key moves with the
    # member's tuned parameters (tuned.json), the outlook's rating-map version and any library version
    changed = run(tmp_path, GradientBoosting(n_trees=11, min_train=750))
    assert (changed.hits, changed.misses) == (blocks, blocks)
    with monkeypatch.context() as m:
        m.setattr("r2k.models.gbm.tuned_params", lambda name: {"n_trees": 99})
        assert history_key(tmp_path) != frame_key
    with monkeypatch.context() as m:
        m.setattr(record, "load_map", lambda: type("Map", (), {"version": "0-test"})())
        assert history_key(tmp_path) != frame_key
    with monkeypatch.context() as m:
        m.setattr(cache, "library_versions", lambda: {"numpy": "0.0.0"})
        assert history_key(tmp_path) != frame_key

    # code: an edited model (or any code the forecasts run through) recomputes every block and the frame
    with monkeypatch.context() as m:
        m.setattr(forecast_cache, "code_fingerprint", lambda: "edited")
        m.setattr(cache, "code_fingerprint", lambda: "edited")
        assert run(tmp_path, member).hits == 0
        assert history_key(tmp_path) != frame_key
    with monkeypatch.context() as m:
        m.setattr(cache, "package_fingerprint", lambda: "edited elsewhere")  # e.g. the code assembling the frame
        assert history_key(tmp_path) != frame_key
    assert history_key(tmp_path) == frame_key and run(tmp_path, member).misses == 0


def test_the_frame_key_follows_the_data_it_was_built_from(tmp_path: Path) -> None:
    k = history_key(tmp_path)
    plan = HistoryPlan(start=date(2003, 6, 2), end=CLOSES.index[-1].date(), step=40, refit_every=2)
    cfg = Settings(store_path=tmp_path / "s.duckdb", cache_dir=tmp_path)
    revised = INPUTS.copy()
    revised.iloc[100, revised.columns.get_loc("VIX")] += 1.0
    assert record.record_key(CLOSES, plan, revised, cfg) != k
    assert record.record_key(CLOSES * 1.0001, plan, INPUTS, cfg) != k
    assert record.record_key(CLOSES, plan, INPUTS, Settings(store_path=cfg.store_path, cache_dir=tmp_path, seed=7)) != k
