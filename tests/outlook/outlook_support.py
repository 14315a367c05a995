"""Synthetic stores and a synthetic rating map for the outlook tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from r2k.outlook.rating_map import PERCENTILES, HorizonMap, RatingMap
from r2k.outlook.scale import cumulative_shares
from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store

NOW = datetime(2026, 1, 2, 12, 0, 0)
# a synthetic calibration: the 5% expected shortfall normal around these (mean, sd) per horizon
SCORES = {20: (-0.09, 0.03), 260: (-0.30, 0.08)}


def synthetic_map(horizons: tuple[int, ...] = (20, 260)) -> RatingMap:
    """A map whose calibration scores were normal with the SCORES mean and sd of each horizon."""
    from scipy import stats

    def at(h: int, shares: np.ndarray) -> tuple[float, ...]:
        mean, sd = SCORES[h]
        return tuple(float(mean + sd * stats.norm.ppf(np.clip(s, 0.001, 0.999))) for s in shares)

    return RatingMap(3, "ensemble", date(2015, 12, 31), {"first_origin": "1995-01-06", "last_origin": "2015-12-24",
                                                         "n_origins": 1, "step_trading_days": 5},
                     {h: HorizonMap(h, at(h, cumulative_shares()), at(h, PERCENTILES)) for h in horizons})


def walk(n: int, seed: int = 3, start: str = "2019-01-01", drift: float = 0.0004, vol: float = 0.011) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 1500 * np.exp(np.cumsum(drift + vol * rng.standard_normal(n)))


def store_with(path: Path, n: int = 900, start: str = "2019-01-01", garbage_after: str | None = None, vol: float = 0.011) -> Path:
    """RUT, GSPC and VIX on business days; with ``garbage_after``, every row after that date is nonsense."""
    idx = pd.bdate_range(start, periods=n).astype("datetime64[us]")
    series = {"RUT": walk(n, 3, vol=vol), "GSPC": walk(n, 4, vol=0.009), "VIX": 15 + 5 * np.abs(np.sin(np.arange(n) / 40.0)) + np.arange(n) % 7}
    items = []
    for sid, values in series.items():
        v = values.copy()
        if garbage_after is not None:
            late = idx > pd.Timestamp(garbage_after)
            v[late] = np.where(np.arange(late.sum()) % 2, 5.0, 90_000.0)
        frame = pd.DataFrame({"date": idx, "close": v})
        items.append(SeriesData(sid, "price", validate(frame, "price", "test"), "test"))
    with Store(path) as store:
        store.write(items, "test", NOW)
    return path


def market(path: Path, garbage_after: str | None = None) -> Path:
    """The outlook tests' market: :func:`store_with`'s five years from 2017 (the grades' weekly record after 2015 has
    outcomes) and three macro series (the term spread, unemployment and a daily headline sentiment), which
    ``garbage_after`` leaves alone."""
    from tests_support import macro_series

    store_with(path, n=1400, start="2017-01-02", garbage_after=garbage_after)
    months = np.arange(300)
    with Store(path) as store:
        store.write([macro_series("T10Y2Y", 1 + np.sin(months / 15), "1997-01-01"),
                     macro_series("UNRATE", 5 + np.sin(months / 20), "1997-01-01"),
                     macro_series("SENT_LM_MEAN", 0.1 * np.sin(np.arange(700) / 9), "2019-01-01", "B")], "test", NOW)
    return path


LIGHT_MEMBERS = ("implied_vol", "har")


def light_ensemble(mp) -> None:  # noqa: ANN001 - pytest.MonkeyPatch
    """The outlook model with its two cheapest members: the synthetic tests check the outlook's plans, windows,
    record and renderings, not the members (tests/forecasting tests each of them, look-ahead included)."""
    import functools

    import r2k.models.registry as registry
    from r2k.models.ensemble import Ensemble

    mp.setitem(registry.MODELS, "ensemble", functools.partial(Ensemble, members=LIGHT_MEMBERS))
