"""The poison test of the macro inputs: gbm forecasts up to a date are identical when everything published after it
is rewritten — later vintages of old months, later observations, and the daily yields and spreads of that very day
(published after its close) — on a synthetic store read through the same path as the CLI (store -> load_inputs ->
the walk-forward engine)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fc_support import gbm as random_walk

from r2k.calendar.releases import release_dates
from r2k.features.inputs import load_inputs
from r2k.macro.catalog import SERIES
from r2k.models.gbm import GradientBoosting
from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan
from tests_support import NOW

CLOSES = random_walk(1100, seed=5)
CUT = CLOSES.index[950]  # the last origin that must not move
PLAN = FoldPlan(horizons=(5,), start=CLOSES.index[800].date(), step=50, refit_every=1, min_train=750)
DAILY = ("BAMLH0A0HYM2", "DGS10")


def _macro(sid: str, dates: pd.DatetimeIndex, values: np.ndarray, vintages: pd.DatetimeIndex | None = None) -> SeriesData:
    frame = pd.DataFrame({"date": dates.astype("datetime64[us]"), "value": values})
    if vintages is None:
        return SeriesData(sid, "macro", validate(frame, "macro", "test"), "test")
    return SeriesData(sid, "macro", frame.assign(realtime_start=vintages.astype("datetime64[us]")), "test")


def _series(poison: bool) -> list[SeriesData]:
    """RUT, VIX and four macro series (two daily, one weekly, one monthly) plus payrolls with vintages; with
    ``poison`` every value published after CUT is garbage and old payroll months get garbage vintages after CUT."""
    rng = np.random.default_rng(1)
    idx = pd.DatetimeIndex(CLOSES.index)
    prices = [SeriesData(sid, "price", validate(pd.DataFrame({"date": idx, "close": v}), "price", "test"), "test")
              for sid, v in (("RUT", CLOSES.to_numpy()), ("VIX", 18 * np.exp(np.cumsum(rng.normal(0, 0.05, len(idx))))))]
    days = pd.bdate_range("1996-01-01", idx[-1])
    weeks = pd.date_range("1996-01-06", idx[-1], freq="W-SAT")
    months = pd.date_range("1996-01-01", idx[-1], freq="MS")
    values = {"BAMLH0A0HYM2": 4 + np.cumsum(rng.normal(0, 0.05, len(days))),
              "DGS10": 5 + np.cumsum(rng.normal(0, 0.04, len(days))),
              "ICSA": 3e5 + np.cumsum(rng.normal(0, 5e3, len(weeks))),
              "UNRATE": 5 + np.cumsum(rng.normal(0, 0.1, len(months)))}
    dates = {"BAMLH0A0HYM2": days, "DGS10": days, "ICSA": weeks, "UNRATE": months}
    payrolls = 1.3e5 + np.cumsum(rng.normal(100, 150, len(months)))
    first = release_dates(SERIES["PAYEMS"].release, months)
    revised = first + pd.Timedelta(days=35)  # each month revised about a month after its first print
    if poison:
        for sid in values:  # a daily value dated CUT is published after CUT's close: poisoned too
            late = (dates[sid] >= CUT) if sid in DAILY else (release_dates(SERIES[sid].release, dates[sid]) > CUT)
            values[sid] = np.where(late, -1e6, values[sid])
    out = prices + [_macro(sid, dates[sid], values[sid]) for sid in values]
    vint_dates = months.append(months)
    vint_values = np.concatenate([payrolls, payrolls + 50.0])
    vint_stamps = first.append(revised)
    if poison:
        vint_values = np.where(vint_stamps > CUT, 9e9, vint_values)
        old = months[first <= CUT]  # a new vintage of every old month, published after CUT
        vint_dates = vint_dates.append(old)
        vint_values = np.concatenate([vint_values, np.full(len(old), -9e9)])
        vint_stamps = vint_stamps.append(pd.DatetimeIndex([CUT + pd.Timedelta(days=1)] * len(old)))
    return out + [_macro("PAYEMS", vint_dates, vint_values, vint_stamps)]


def _inputs(tmp_path: Path, poison: bool) -> pd.DataFrame:
    path = tmp_path / f"{'poison' if poison else 'clean'}.duckdb"
    with Store(path) as store:
        store.write(_series(poison), "test", NOW)
        return load_inputs(store, "RUT", as_of=CLOSES.index[-1].date(), series=("VIX",))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("pit")
    return _inputs(tmp, False), _inputs(tmp, True)


def test_macro_inputs_up_to_the_cut_ignore_everything_published_later(inputs: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    clean, poisoned = inputs
    assert {"z:hy_oas", "z:dgs10", "z:claims_4w", "z:unrate", "z:payrolls_3m"} <= set(clean.columns)
    pd.testing.assert_frame_equal(clean.loc[:CUT], poisoned.loc[:CUT], check_exact=True)
    # teeth: the day after the cut sees the poisoned daily values dated the cut, and later rows the vintages
    after = clean.index[clean.index > CUT][0]
    assert clean.at[after, "m:hy_oas"] != poisoned.at[after, "m:hy_oas"]
    assert not clean.loc[after:, "m:payrolls_3m"].equals(poisoned.loc[after:, "m:payrolls_3m"])


def test_gbm_forecasts_up_to_the_cut_are_identical_when_later_macro_values_are_rewritten(
        inputs: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    model = GradientBoosting(n_trees=20, min_train=750)
    clean, poisoned = (walk_forward(CLOSES, [model], PLAN, seed=3, features=f) for f in inputs)
    upto = clean["origin"] <= CUT
    assert upto.sum() >= 3 and (~upto).sum() >= 1
    cols = [c for c in clean.columns if c != "y"]
    pd.testing.assert_frame_equal(clean.loc[upto, cols], poisoned.loc[upto, cols], check_exact=True)
