"""A small synthetic market store for the dashboard tests (RUT, GSPC and VIX on business days from 2017, two macro
series) and the settings that make the real outlook cheap on it: the synthetic rating map and the ensemble's two
lightest members (the outlook tests check the members; these tests check the dashboard around the real outlook)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from outlook.outlook_support import light_ensemble, store_with, synthetic_map
from r2k.store import Store
from tests_support import macro_series

NOW = datetime(2026, 1, 2, 12, 0)
START, N = "2017-01-02", 1400  # to 2022-05-13: the grades' weekly record after 2015 has outcomes
AS_OF = "2021-12-31"


def build_store(path: Path) -> Path:
    store_with(path, n=N, start=START)
    months = np.arange(300)
    with Store(path) as s:
        s.write([macro_series("T10Y2Y", 1 + np.sin(months / 15), "1997-01-01"),
                 macro_series("UNRATE", 5 + np.sin(months / 20), "1997-01-01")], "csv:/somewhere/private", NOW)
    return path


def real_outlook(mp: pytest.MonkeyPatch, cache: Path) -> None:
    """The real ``build_outlook`` with the synthetic rating map and the light ensemble, caching under ``cache``."""
    import r2k.outlook.build as build

    mp.setattr(build, "load_map", synthetic_map)
    light_ensemble(mp)
    mp.setenv("R2K_CACHE_DIR", str(cache))


def log_rows(path: Path) -> int:
    with Store(path, read_only=True) as s:
        return len(s.forecast_log())
