"""Caches that cannot lie: an edited, damaged, empty, oversized or non-finite entry is a miss (recomputed, never
served, never an error); writes are fsynced before the rename and leave no temporary file when they fail; the
keys hold the libraries' versions; pruning evicts the least recently used entries and removes leftovers."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fc_support import gbm

from r2k.models import Climatology, GJRGarch
from r2k.store import cache_files
from r2k.store.cache import FrameCache
from r2k.store.cache_files import DIGEST_BYTES, MAGIC, cache_status, prune, read_entry, write_entry
from r2k.store.forecast_cache import ForecastCache, block_key, decode
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan

CLOSES = gbm(900, seed=4)
PLAN = FoldPlan(horizons=(5, 20), start=CLOSES.index[700].date(), step=40, refit_every=2, min_train=500)
SHAPE = (2, 2, 101)


def run(cache: ForecastCache | None) -> pd.DataFrame:
    return walk_forward(CLOSES, [Climatology(), GJRGarch()], PLAN, seed=5, cache=cache)


@pytest.fixture(scope="module")
def uncached() -> pd.DataFrame:
    return run(None)


def entries(root: Path) -> list[Path]:
    return sorted((root / "forecasts").rglob("*.entry"))


def npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def test_quantiles_multiplied_by_three_are_recomputed_not_served(tmp_path: Path, uncached: pd.DataFrame) -> None:
    run(ForecastCache(tmp_path))
    files = entries(tmp_path)
    assert files
    for p in files:  # the probe's edit: same shape, every quantile x 3, the entry's checksum left as it was
        raw = p.read_bytes()
        head = len(MAGIC) + DIGEST_BYTES
        arr = np.load(io.BytesIO(raw[head:]))
        arr[..., 2:] *= 3
        p.write_bytes(raw[:head] + npy(arr))
    again = ForecastCache(tmp_path)
    pd.testing.assert_frame_equal(run(again), uncached, check_exact=True)
    assert again.hits == 0 and again.misses == len(files)
    for p in entries(tmp_path):  # a plain .npy written over an entry (no checksum at all) is a miss too
        p.write_bytes(npy(np.load(io.BytesIO(p.read_bytes()[len(MAGIC) + DIGEST_BYTES:])) * 3))
    assert ForecastCache(tmp_path).get(entries(tmp_path)[0].stem, SHAPE) is None


@pytest.mark.parametrize("content", [b"", b"not an array", MAGIC, MAGIC + b"\0" * DIGEST_BYTES])
def test_empty_and_truncated_entries_are_misses_and_runs_go_on(tmp_path: Path, uncached: pd.DataFrame, content: bytes) -> None:
    run(ForecastCache(tmp_path))
    for p in entries(tmp_path):
        p.write_bytes(content)
    again = ForecastCache(tmp_path)
    pd.testing.assert_frame_equal(run(again), uncached, check_exact=True)
    assert again.hits == 0


def test_non_finite_blocks_are_never_written_nor_served(tmp_path: Path) -> None:
    cache = ForecastCache(tmp_path)
    bad = np.ones(SHAPE)
    bad[0, 0, 5] = np.nan
    cache.put("ab" * 20, bad)
    assert entries(tmp_path) == []
    bad[0, 0, 5] = np.inf
    write_entry(cache._path("cd" * 20), npy(bad))  # a valid checksum over a non-finite array
    assert cache.get("cd" * 20, SHAPE) is None
    cache.put("ef" * 20, np.ones(SHAPE))
    np.testing.assert_array_equal(cache.get("ef" * 20, SHAPE), np.ones(SHAPE))


def test_a_header_claiming_1e11_elements_allocates_nothing(tmp_path: Path) -> None:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": (10**11,)})
    payload = buf.getvalue() + b"\0" * 64
    cache = ForecastCache(tmp_path)
    write_entry(cache._path("ab" * 20), payload)  # a valid checksum: only the header check stands in the way
    tracemalloc.start()
    try:
        assert cache.get("ab" * 20, SHAPE) is None
        assert decode(payload, (10**11,)) is None  # even when the caller expects that shape: the data is not there
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20
    big = tmp_path / "big.entry"
    big.write_bytes(b"\0" * (2 * 2**20))
    assert read_entry(big, max_payload=1024) is None  # too large for what the caller expects: not even read


def test_writes_are_fsynced_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), replace(a, b))[1])
    assert write_entry(tmp_path / "x" / "k.entry", b"payload")
    assert calls[:2] == ["fsync", "replace"]
    assert read_entry(tmp_path / "x" / "k.entry", 100) == b"payload"


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(a: str, b: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    cache = ForecastCache(tmp_path)
    cache.put("ab" * 20, np.ones(SHAPE))  # no error: a full disk only costs recomputation
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []
    frames = FrameCache(tmp_path)
    frames.put("cd" * 16, pd.DataFrame({"a": [1.0]}))
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_frame_entries_that_were_edited_or_emptied_are_misses(tmp_path: Path) -> None:
    cache = FrameCache(tmp_path)
    frame = pd.DataFrame({"origin": pd.bdate_range("2020-01-01", periods=3), "q05": [-0.05, -0.04, -0.06], "y": [0.01, None, 0.02]})
    cache.put("ab" * 16, frame)
    pd.testing.assert_frame_equal(cache.get("ab" * 16), frame)
    path = cache._path("ab" * 16)
    raw = path.read_bytes()
    path.write_bytes(raw[:-20] + bytes(b ^ 0xFF for b in raw[-20:]))  # a flipped byte run in the parquet
    assert cache.get("ab" * 16) is None
    path.write_bytes(b"")
    assert cache.get("ab" * 16) is None
    write_entry(path, b"PAR1 not parquet at all")  # intact checksum, unreadable payload
    assert cache.get("ab" * 16) is None


def test_the_block_key_holds_the_library_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    from r2k.store import forecast_cache

    args = (Climatology(), 5, (5,), 5, [("2020-01-02", "2010-01-04", True)], [b"closes"])
    before = block_key(*args)
    versions = dict(forecast_cache.library_versions())
    assert {"numpy", "pandas", "scipy", "arch", "lightgbm", "scikit-learn", "statsmodels", "torch"} <= set(versions)
    monkeypatch.setattr(forecast_cache, "library_versions", lambda: versions | {"lightgbm": "0.0.1"})
    assert block_key(*args) != before


def _file(path: Path, size: int, age: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)
    t = time.time() - age
    os.utime(path, (t, t))
    return path


def test_prune_evicts_the_least_recently_used_and_removes_leftovers(tmp_path: Path) -> None:
    keys = [f"{i:02x}" * 20 for i in range(5)]
    made = [_file(tmp_path / "forecasts" / k[:2] / f"{k}.entry", 1000, age=100 * (5 - i)) for i, k in enumerate(keys)]
    frame = _file(tmp_path / "frames" / f"{'ee' * 16}.entry", 3000, age=50)
    legacy = _file(tmp_path / "forecasts" / "aa" / f"{'aa' * 20}.npy", 500, age=10)
    old_tmp = _file(tmp_path / "forecasts" / "aa" / f"{'bb' * 20}.entry.123.tmp", 700, age=3600)
    new_tmp = _file(tmp_path / "frames" / f"{'cc' * 16}.entry.456.tmp", 700, age=1)  # being written right now
    mine = _file(tmp_path / "notes.txt", 10, age=10**6)  # not r2k's: never touched
    st = cache_status(tmp_path)
    assert (st.entries, st.entry_bytes, st.legacy, st.temporary) == (6, 8000, 1, 2)
    assert st.by_folder == {"forecasts": (5, 5000), "frames": (1, 3000)}
    res = prune(tmp_path, limit_bytes=5000)
    # newest first: the frame (3000) and the two most recently used blocks fit in 5000
    assert (res.kept, res.kept_bytes, res.evicted, res.legacy, res.temporary) == (3, 5000, 3, 1, 1)
    assert [p.exists() for p in made] == [False, False, False, True, True] and frame.exists()
    assert not legacy.exists() and not old_tmp.exists() and new_tmp.exists() and mine.exists()
    assert prune(tmp_path, limit_bytes=0).kept == 0 and cache_status(tmp_path).entries == 0
    assert mine.exists() and not (tmp_path / "forecasts").exists()


def test_a_hit_counts_as_a_use(tmp_path: Path) -> None:
    cache = ForecastCache(tmp_path)
    cache.put("ab" * 20, np.ones(SHAPE))
    cache.put("cd" * 20, np.ones(SHAPE))
    for p, age in zip(entries(tmp_path), (10, 20)):
        os.utime(p, (time.time() - age, time.time() - age))
    assert cache.get("cd" * 20, SHAPE) is not None  # read now: the most recently used
    size = entries(tmp_path)[0].stat().st_size
    prune(tmp_path, limit_bytes=size)
    assert [p.stem for p in entries(tmp_path)] == ["cd" * 20]


def test_writers_prune_to_the_automatic_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_files, "_written", {})
    old = [_file(tmp_path / "forecasts" / "aa" / f"{'aa' * 19}{i:02x}.entry", 4000, age=1000 + i) for i in range(3)]
    assert cache_files.auto_prune(tmp_path, 10, limit_bytes=5000) is not None  # no prune in the last hour: now
    assert sum(p.exists() for p in old) == 1
    assert cache_files.auto_prune(tmp_path, 10, limit_bytes=0) is None  # pruned a moment ago: one stat, nothing else
    assert cache_files.auto_prune(tmp_path, cache_files.AUTO_EVERY_BYTES, limit_bytes=0) is not None  # wrote a lot
    assert not any(p.exists() for p in old)
    stamp = tmp_path / cache_files.STAMP
    os.utime(stamp, (time.time() - 2 * cache_files.AUTO_INTERVAL,) * 2)  # another hour went by
    assert cache_files.auto_prune(tmp_path, 10, limit_bytes=0) is not None
