"""Shared fixtures: synthetic frames with known answers, a temporary store, and ../shared/data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("R2K_SHARED_DATA", REPO.parent / "shared" / "data"))
NOW = datetime(2026, 1, 2, 12, 0, 0)


def shared_data_dir() -> Path:
    """../shared/data, or skip the test when it is absent."""
    if not (SHARED_DATA / "RUT.csv").exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def shared_data() -> Path:
    return shared_data_dir()


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One forecast cache for the whole session ($R2K_CACHE_DIR, also for Settings made from the environment): the
    cache is keyed by every input, the code and the parameters, so a block one test computed is read back
    bit-for-bit by the next test that needs it (tests of the cache itself use their own directories). It also
    keeps the tests off the user's ~/.cache/r2k. Under pytest-xdist (`make test` runs two workers) the workers share one
    directory beside their own temporary roots: an entry is written atomically, so a block one worker computed is read by
    the other."""
    base = tmp_path_factory.getbasetemp()
    path = base.parent / "cache" if os.environ.get("PYTEST_XDIST_WORKER") else base / "cache"
    path.mkdir(exist_ok=True)
    patch = pytest.MonkeyPatch()
    patch.setenv("R2K_CACHE_DIR", str(path))
    yield path
    patch.undo()


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding all of ../shared/data (built once per test session)."""
    from r2k.store.ingest import import_directory

    data = shared_data_dir()
    path = tmp_path_factory.mktemp("shared") / "shared.duckdb"
    with Store(path) as store:
        import_directory(store, data, NOW)
    return path


@pytest.fixture(scope="session")
def outlook_market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic market of the outlook and report-page tests (RUT, GSPC and VIX on business days from 2017-01-02 to
    2022-05-13, three macro series), built once per session: the tests that build its outlook with the light ensemble
    share their blocks through the session's forecast cache (a test of the cache itself gives the outlook its own
    empty directory)."""
    from outlook.outlook_support import market

    return market(tmp_path_factory.mktemp("outlook_market") / "market.duckdb")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


def business_days(start: str, n: int) -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n).astype("datetime64[us]")


def price_series(series_id: str, closes: np.ndarray, start: str = "2020-01-01", source: str = "test") -> SeriesData:
    """A close-only price series on business days."""
    frame = pd.DataFrame({"date": business_days(start, len(closes)), "close": closes})
    return SeriesData(series_id, "price", validate(frame, "price", source), source)


def macro_series(series_id: str, values: np.ndarray, start: str = "2000-01-01", freq: str = "MS", source: str = "test") -> SeriesData:
    frame = pd.DataFrame({"date": pd.date_range(start, periods=len(values), freq=freq), "value": values})
    return SeriesData(series_id, "macro", validate(frame, "macro", source), source)
