"""The monitor's recent walk-forward on the fixed trading-day grid: a new day of data reuses every past block
(none, or only the newest, is recomputed), the numbers equal an uncached run, and the year is still covered."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from r2k.calendar import trading_days
from r2k.calendar.trading import session_number
from r2k.monitor.service import WALK_FORWARD, recent_walk_forward
from r2k.store.forecast_cache import ForecastCache

_R = np.random.default_rng(4).normal(0.0003, 0.012, 1100)
CLOSES = pd.Series(100 * np.exp(np.cumsum(_R)), index=trading_days(date(2000, 1, 3), date(2005, 1, 1))[:1100], name="SYN")
STEP = WALK_FORWARD["step"]
BLOCK = STEP * WALK_FORWARD["refit_every"]


def _days() -> list[int]:
    """The day before a block boundary of the grid, the boundary, and the next day (positions)."""
    edge = 1080 - session_number(CLOSES.index[1080]) % BLOCK
    return [edge - 1, edge, edge + 1]


def _check(pos: int, cache_dir: Path | None):  # noqa: ANN202 - a RecordCheck
    return recent_walk_forward(CLOSES.iloc[: pos + 1], "random_walk", CLOSES.index[pos].date(), "SYN", 0, cache_dir=cache_dir)


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> list[ForecastCache]:
    """Every ForecastCache the monitor opens, to read its hits and misses."""
    import r2k.forecasting as fc

    made: list[ForecastCache] = []

    def opened(directory: Path | None) -> ForecastCache | None:
        if directory is None:
            return None
        made.append(ForecastCache(directory))
        return made[-1]

    monkeypatch.setattr(fc, "forecast_cache", opened)
    return made


def test_a_new_day_reuses_the_past_blocks_of_the_walk_forward(tmp_path: Path, counted: list[ForecastCache]) -> None:
    before, edge, after = _days()
    cold = _check(before, tmp_path)
    n_models = 2  # climatology and the random walk
    assert counted[-1].hits == 0 and counted[-1].misses > 10 * n_models
    on_edge = _check(edge, tmp_path)  # a new grid origin: one new block per model
    assert (counted[-1].misses, counted[-1].hits) == (n_models, counted[0].misses - n_models * _dropped(before, edge))
    _check(after, tmp_path)  # no new grid origin: nothing to recompute
    assert counted[-1].misses == 0
    fresh = _check(edge, None)
    assert asdict(on_edge) == asdict(fresh)
    assert cold is not None and cold.n > 0


def _dropped(a: int, b: int) -> int:
    """Blocks at the start of day ``a``'s window that day ``b``'s window no longer holds (0 or 1)."""
    def first(pos: int) -> int:
        lower = CLOSES.index.searchsorted(CLOSES.index[pos] - pd.Timedelta(weeks=WALK_FORWARD["weeks"]))
        lo = max(500, lower - BLOCK + 1)
        return lo + (-(session_number(CLOSES.index[0]) + lo) % BLOCK)
    return (first(b) - first(a)) // BLOCK


def test_the_walk_forward_still_covers_the_judged_year(monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.forecasting as fc

    runs = []
    real = fc.run_backtest
    monkeypatch.setattr(fc, "run_backtest", lambda *a, **k: runs.append(real(*a, **k)) or runs[-1])
    for pos in _days():
        assert recent_walk_forward(CLOSES.iloc[: pos + 1], "random_walk", CLOSES.index[pos].date(), "SYN", 0) is not None
        origins = runs[-1].frame["origin"]
        year_ago = CLOSES.index[pos] - pd.Timedelta(weeks=WALK_FORWARD["weeks"])
        # from the last grid block boundary on or before a year (and a 20-day horizon) ago, to the last grid day
        assert year_ago - pd.Timedelta(weeks=5) < origins.min() <= year_ago
        assert session_number(origins.min()) % BLOCK == 0
        assert CLOSES.index[pos - STEP] < origins.max() <= CLOSES.index[pos]
