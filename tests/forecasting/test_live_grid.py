"""The live plan on a fixed trading-day grid: a new day of data reuses every past block of yesterday's live
ensemble (only the newest block is recomputed), with exactly the numbers of an uncached run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fc_support import dates, gbm
from test_members import regime_market

from r2k.calendar.trading import session_number
from r2k.models.registry import make_model
from r2k.forecasting import LIVE_REFIT, LIVE_STEP, _live_plan, forecast_as_of
from r2k.store.forecast_cache import ForecastCache
from r2k.validation.folds import FoldPlan

MARKET = regime_market(1300)
MODELS = ("ensemble",)
HORIZONS = (5, 20)


def test_anchored_origins_do_not_depend_on_where_the_series_starts() -> None:
    idx = dates(1500)
    plan = FoldPlan(horizons=(5,), start=idx[1000].date(), step=5, refit_every=4, min_train=300, anchored=True)
    full = plan.folds(idx)
    late = plan.folds(idx[37:])  # the same days, stored from 37 sessions later
    assert [f.origin for f in full] == [f.origin for f in late]
    assert [f.refit for f in full] == [f.refit for f in late]
    assert all(session_number(f.origin) % 20 == 0 for f in full if f.refit)
    assert all(session_number(f.origin) % 5 == 0 for f in full)
    assert 1000 <= full[0].pos < 1020


def test_the_final_origin_is_a_block_of_its_own_with_a_fresh_fit() -> None:
    idx = dates(1500)
    on_grid = 1440 - session_number(idx[1440]) % 20
    for end in (on_grid + 7, on_grid):  # off the grid, and on it (not merged into the grid's last block)
        plan = FoldPlan(horizons=(5,), start=idx[1000].date(), end=idx[end].date(), step=20, refit_every=3,
                        anchored=True, final=True)
        folds = plan.folds(idx)
        assert folds[-1].origin == idx[end] and folds[-1].refit and folds[-1].block == folds[-2].block + 1
        assert all(session_number(f.origin) % 20 == 0 for f in folds[:-1]) and folds[-2].pos < end
        assert [f.index for f in folds] == list(range(len(folds)))
    # no grid day in the span: the last date alone
    one = FoldPlan(horizons=(5,), start=idx[on_grid + 1].date(), end=idx[on_grid + 7].date(), step=20, refit_every=3,
                   anchored=True, final=True).folds(idx)
    assert [f.origin for f in one] == [idx[on_grid + 7]] and one[0].refit


def _next_days(closes: pd.Series) -> list[int]:
    """The day before a grid day, the grid day and the day after (positions; the last is the last close)."""
    last = len(closes) - 1
    on_grid = last - 1 - (session_number(closes.index[last - 1]) % LIVE_STEP)
    return [on_grid - 1, on_grid, on_grid + 1]


def _forecast(pos: int, cache: ForecastCache | None):  # noqa: ANN202 - an OriginForecast
    closes = MARKET["close"].iloc[: pos + 1]
    return forecast_as_of(closes, horizons=HORIZONS, models=MODELS, seed=3, features=MARKET.iloc[: pos + 1], cache=cache)


@pytest.fixture(scope="module")
def day_by_day(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, ForecastCache, object]]:
    """The live forecast on three consecutive days with one cache directory (the day before a grid day, the grid
    day, the day after): each day's cache counts its own hits and misses."""
    directory = tmp_path_factory.mktemp("cache")
    out = []
    for pos in _next_days(MARKET["close"]):
        cache = ForecastCache(directory)
        out.append((pos, cache, _forecast(pos, cache)))
    return out


def test_a_new_day_recomputes_only_the_newest_block(day_by_day: list) -> None:
    first, *later = day_by_day
    assert first[2].notes == ()  # no member left out: the ensemble and its four members run
    n_models = 1 + len(make_model("ensemble").capabilities.stacks)
    assert first[1].hits == 0 and first[1].misses > 5 * n_models  # a cold start fills many blocks
    # the grid day: only its own block (the live origin); the day after: that one, and the grid block it joined
    for (pos, cache, _), new_blocks in zip(later, (1, 2), strict=True):
        assert cache.misses == new_blocks * n_models, f"day {pos}: {cache.misses} misses"
        assert cache.hits >= first[1].misses - 2 * n_models  # every other past block is read back


def test_a_new_day_gives_exactly_the_uncached_numbers(day_by_day: list) -> None:
    for pos, _, cached in day_by_day[1:]:
        fresh = _forecast(pos, None)
        pd.testing.assert_frame_equal(cached.table(), fresh.table(), check_exact=True)
        pd.testing.assert_frame_equal(cached.weights, fresh.weights, check_exact=True)


def test_the_live_origin_is_the_last_close_and_a_fresh_fit(day_by_day: list) -> None:
    for pos, _, result in day_by_day:
        closes = MARKET["close"].iloc[: pos + 1]
        assert result.origin == closes.index[-1]
        assert {f.origin for f in result.forecasts} == {closes.index[-1]}
        assert {f.model for f in result.forecasts} == {"ensemble"} and len(result.forecasts) == len(HORIZONS)
        folds = _live_plan(closes, HORIZONS, True).folds(closes.index)
        assert folds[-1].origin == closes.index[-1] and folds[-1].refit
        refits = [f for f in folds if f.refit and f is not folds[-1]]
        assert all(session_number(f.origin) % (LIVE_STEP * LIVE_REFIT) == 0 for f in refits)
        assert np.isfinite(result.table()["mean"]).all()


def test_short_histories_still_forecast_the_last_close() -> None:
    closes = gbm(120)
    result = forecast_as_of(closes, horizons=(5,), models=("climatology",), seed=1)
    assert result.origin == closes.index[-1]
    plan = _live_plan(closes, (5,), True)
    assert plan.folds(closes.index)[-1].origin == closes.index[-1]

