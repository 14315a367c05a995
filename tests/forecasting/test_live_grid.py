"""One forecast per date: the live forecast is the one a weekly backtest on the fixed trading-day grid makes at that
date (the same member fits and weights), whichever other horizons are asked for; and a new day of data reuses
every past block of yesterday's live ensemble, with exactly the numbers of an uncached run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fc_support import dates, gbm
from test_members import regime_market

from r2k.calendar.trading import session_number
from r2k.forecasting import LIVE_REFIT, LIVE_STEP, _live_plan, forecast_as_of, run_backtest
from r2k.models.base import QUANTILE_COLUMNS
from r2k.models.registry import make_model
from r2k.store.forecast_cache import ForecastCache
from r2k.validation.folds import FoldPlan

MARKET = regime_market(1300)
MODELS = ("ensemble",)
HORIZONS = (5, 20)
BLOCK = LIVE_STEP * LIVE_REFIT


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


def test_the_final_origin_joins_the_refit_block_of_the_grid_before_it() -> None:
    idx = dates(1500)
    boundary = 1440 - session_number(idx[1440]) % 20  # a refit day of the grid
    grid = dict(horizons=(5,), start=idx[1000].date(), step=5, refit_every=4, anchored=True, final=True)
    for end in (boundary + 7, boundary + 19, boundary + 5):  # off the grid (twice), and on it
        folds = FoldPlan(**grid, end=idx[end].date()).folds(idx)
        assert folds[-1].origin == idx[end] and not folds[-1].refit
        first_of_block = [f for f in folds if f.block == folds[-1].block]
        assert first_of_block[0].origin == idx[boundary] and first_of_block[0].refit
        assert all(session_number(f.origin) % 5 == 0 for f in folds[:-1])
        assert [f.index for f in folds] == list(range(len(folds)))
    on_boundary = FoldPlan(**grid, end=idx[boundary].date()).folds(idx)
    assert on_boundary[-1].origin == idx[boundary] and on_boundary[-1].refit
    # no grid day in the span: the last date alone, a fresh fit
    one = FoldPlan(**(grid | {"start": idx[boundary + 1].date()}), end=idx[boundary + 7].date()).folds(idx)
    assert [f.origin for f in one] == [idx[boundary + 7]] and one[0].refit


def _around_a_refit_day(closes: pd.Series) -> list[int]:
    """The day before a refit day of the grid, the refit day and the day after (positions)."""
    last = len(closes) - 1
    boundary = last - 1 - (session_number(closes.index[last - 1]) % BLOCK)
    return [boundary - 1, boundary, boundary + 1]


def _forecast(pos: int, cache: ForecastCache | None, horizons: tuple[int, ...] = HORIZONS):  # noqa: ANN202 - OriginForecast
    closes = MARKET["close"].iloc[: pos + 1]
    return forecast_as_of(closes, horizons=horizons, models=MODELS, seed=3, features=MARKET.iloc[: pos + 1], cache=cache)


@pytest.fixture(scope="module")
def day_by_day(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, ForecastCache, object]]:
    """The live forecast on three consecutive days around a refit day, with one cache directory: each day's cache
    counts its own hits and misses."""
    directory = tmp_path_factory.mktemp("cache")
    out = []
    for pos in _around_a_refit_day(MARKET["close"]):
        cache = ForecastCache(directory)
        out.append((pos, cache, _forecast(pos, cache)))
    return out


def test_a_new_day_recomputes_only_the_newest_blocks(day_by_day: list) -> None:
    first, *later = day_by_day
    assert first[2].notes == ()  # no member left out: the ensemble and its four members run
    per_block = len(make_model("ensemble").capabilities.stacks) * len(HORIZONS)  # members x one plan per horizon
    ensemble = len(HORIZONS)  # the ensemble runs the plan's last block only (the origin's), once per horizon
    assert first[1].hits == 0 and first[1].misses > 5 * per_block  # a cold start fills many blocks
    # the refit day: the block yesterday's date had joined is complete now, and the day starts a block of its own;
    # the day after joins that new block
    for (pos, cache, _), new_blocks in zip(later, (2, 1), strict=True):
        assert cache.misses == new_blocks * per_block + ensemble, f"day {pos}: {cache.misses} misses"
        assert cache.hits >= first[1].misses - 2 * per_block - ensemble  # every other past block is read back


def test_a_new_day_gives_exactly_the_uncached_numbers(day_by_day: list) -> None:
    for pos, _, cached in day_by_day[-1:]:
        fresh = _forecast(pos, None)
        pd.testing.assert_frame_equal(cached.table(), fresh.table(), check_exact=True)
        pd.testing.assert_frame_equal(cached.weights, fresh.weights, check_exact=True)


def test_the_live_origin_is_the_last_close_on_the_weekly_grid(day_by_day: list) -> None:
    for pos, _, result in day_by_day:
        closes = MARKET["close"].iloc[: pos + 1]
        assert result.origin == closes.index[-1]
        assert {f.origin for f in result.forecasts} == {closes.index[-1]}
        assert {f.model for f in result.forecasts} == {"ensemble"} and len(result.forecasts) == len(HORIZONS)
        folds = _live_plan(closes, HORIZONS, True).folds(closes.index)
        assert folds[-1].origin == closes.index[-1]
        assert all(session_number(f.origin) % BLOCK == 0 for f in folds if f.refit)
        assert np.isfinite(result.table()["mean"]).all()


def test_a_distribution_does_not_depend_on_the_other_horizons_asked_for(tmp_path) -> None:  # noqa: ANN001
    # one cache: a block's key holds the horizons it was run for, so a run that mixed horizons would miss it
    cache = ForecastCache(tmp_path)
    pos = len(MARKET) - 3
    alone, many = _forecast(pos, cache, (20,)), _forecast(pos, cache, (5, 20, 60))
    pick = lambda r: r.table().query("horizon == 20").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(pick(alone), pick(many), check_exact=True)
    garch = make_model("garch", paths=400)  # the simulated paths: day k's draws never depend on how far they go
    from r2k.models.base import History

    h = History(MARKET["close"].iloc[:1200], MARKET.index[1199])
    garch.fit(h, np.random.default_rng(0))
    short = garch.predict(h, (20,), np.random.default_rng(5))[20]
    long_ = garch.predict(h, (5, 20, 260), np.random.default_rng(5))[20]
    assert np.array_equal(short.quantiles, long_.quantiles) and short.p_up == long_.p_up


def test_the_live_forecast_is_the_weekly_backtests_forecast_at_that_origin(tmp_path) -> None:  # noqa: ANN001
    """At 20 spread origins of a weekly backtest (refit days and the days between), the live forecast as of that
    date gives exactly the backtest's distribution (the members' blocks come from the backtest's cache)."""
    cache = ForecastCache(tmp_path)
    start = MARKET.index[900].date()
    bt = run_backtest(MARKET["close"], models=MODELS, horizons=(20,), start=start, seed=3, features=MARKET,
                      step=LIVE_STEP, refit_every=LIVE_REFIT, anchored=True, cache=cache)
    rows = bt.frame[bt.frame["model"] == "ensemble"].set_index("origin")
    origins = rows.index[:: max(1, len(rows) // 20)][:20]
    assert len(origins) >= 20 and not all(session_number(o) % BLOCK == 0 for o in origins)
    for o in origins:
        pos = MARKET.index.get_loc(o)
        live = _forecast(pos, cache, (20,)).forecasts[0]
        assert live.origin == o
        np.testing.assert_array_equal(live.dist.quantiles, rows.loc[o, list(QUANTILE_COLUMNS)].to_numpy(dtype=float))
        assert live.dist.p_up == rows.loc[o, "p_up"] and live.dist.mean == rows.loc[o, "mean"]


def test_a_record_ending_on_its_as_of_date_is_the_grid_record_plus_the_live_forecast(tmp_path) -> None:  # noqa: ANN001
    """``final``: the weekly record up to an off-grid date gains that date as its last origin (unrealised) and
    nothing else changes; that row is the live forecast, whose member blocks are then read back, not refitted."""
    cache = ForecastCache(tmp_path)
    pos = _around_a_refit_day(MARKET["close"].iloc[:1200])[1] + 7  # off the grid, inside a refit block
    closes, start = MARKET["close"].iloc[: pos + 1], MARKET.index[900].date()
    common = dict(models=MODELS, horizons=(20,), start=start, seed=3, features=MARKET.iloc[: pos + 1], step=LIVE_STEP,
                  refit_every=LIVE_REFIT, anchored=True)
    grid = run_backtest(closes, **common).frame
    ending = run_backtest(closes, **common, final=True, cache=cache).frame
    extra = ending[ending["origin"] == closes.index[-1]]
    assert closes.index[-1] not in set(grid["origin"]) and len(extra) == ending["model"].nunique() and extra["y"].isna().all()
    pd.testing.assert_frame_equal(ending[ending["origin"] != closes.index[-1]].reset_index(drop=True), grid, check_exact=True)
    misses = cache.misses
    live = _forecast(pos, cache, (20,)).forecasts[0]
    row = extra[extra["model"] == "ensemble"].iloc[0]
    np.testing.assert_array_equal(live.dist.quantiles, row[list(QUANTILE_COLUMNS)].to_numpy(dtype=float))
    assert live.dist.mean == row["mean"] and live.dist.p_up == row["p_up"]
    assert cache.misses - misses <= 1  # at most the ensemble's own block (its key holds every member row it saw)


def test_a_combining_model_run_on_the_last_block_only_gives_that_blocks_forecasts_unchanged() -> None:
    """What the live forecast runs: the members on every fold, the ensemble on the last refit block only."""
    from r2k.models.registry import make_models
    from r2k.validation.engine import walk_forward

    closes = MARKET["close"].iloc[:1150]
    plan = FoldPlan(horizons=(20,), start=MARKET.index[900].date(), step=LIVE_STEP, refit_every=LIVE_REFIT, min_train=500,
                    anchored=True, final=True)
    models = make_models(["garch_hm", "implied_vol", "har", "gbm", "ensemble"])
    full = walk_forward(closes, models, plan, seed=3, features=MARKET.iloc[:1150])
    last = walk_forward(closes, models, plan, seed=3, features=MARKET.iloc[:1150], stack_last_block=True)
    folds = plan.folds(closes.index)
    block = {f.origin for f in folds if f.block == folds[-1].block}
    assert 1 < len(block) < len(folds)
    ens = last["model"] == "ensemble"
    assert set(last.loc[ens, "origin"]) == block
    keep = (full["model"] != "ensemble") | full["origin"].isin(block)
    pd.testing.assert_frame_equal(last.reset_index(drop=True), full[keep].reset_index(drop=True), check_exact=True)


def test_short_histories_still_forecast_the_last_close() -> None:
    closes = gbm(120)
    result = forecast_as_of(closes, horizons=(5,), models=("climatology",), seed=1)
    assert result.origin == closes.index[-1]
    plan = _live_plan(closes, (5,), True)
    assert plan.folds(closes.index)[-1].origin == closes.index[-1]
