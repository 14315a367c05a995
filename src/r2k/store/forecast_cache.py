"""A disk cache of walk-forward forecasts, one entry per model and refit block.

Why: the outlook's live ensemble and its track record re-run the same member forecasts at the same past origins
every time a report, a forecast or a dashboard page is built. A block (a refit origin and the origins that reuse
its fit) depends only on what the engine hands the model there, so its forecasts can be kept and reused exactly.

The key is a hash of everything that reaches the model in the block, and nothing else:
  - the model's class and parameters (tuned parameters included: they are fields of the model), the code of the
    packages a forecast runs through (models, features, macro, analytics, the engine), the r2k version;
  - the seed, the horizons, the purge gap, and the block's folds (origin, training-window start, refit);
  - the closes of the training window up to the block's last origin, the input frame's rows up to that origin
    (values, dates and column names), and for a combining model the member forecasts made by that origin with
    the outcomes realised by then (what it is shown at its origins).
A revised close or input value on or before an origin is a new key for every block that saw it; rows after the
block's last origin are not in its key (they cannot have been used). An entry is never stale, only unused;
deleting the directory costs recomputation only. Values are stored as ``.npy`` (float64, bit-exact).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from r2k import __version__

CODE_PACKAGES = ("models", "features", "macro", "analytics", "calendar")
CODE_FILES = ("validation/engine.py", "schemas.py")


@cache
def code_fingerprint() -> str:
    """A hash of the source files a forecast runs through (so an edited model never reuses old forecasts)."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(p for pkg in CODE_PACKAGES for p in (root / pkg).rglob("*") if p.suffix in (".py", ".json"))
    files += [root / f for f in CODE_FILES]
    h = hashlib.sha256(__version__.encode())
    for p in files:
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes() if p.exists() else b"")
    return h.hexdigest()


def model_identity(model: Any) -> str:
    """The model's class and constructor parameters (an unfitted model: its state is its parameters)."""
    cls = type(model)
    params = ({f.name: getattr(model, f.name) for f in fields(model) if f.init} if is_dataclass(model)
              else dict(sorted(vars(model).items())))
    return json.dumps([cls.__module__, cls.__qualname__, params], default=repr, sort_keys=True)


def row_hashes(obj: pd.Series | pd.DataFrame | None, index: bool = True) -> np.ndarray:
    """One uint64 per row (its values, and its date with ``index``), so a hash of any subset of rows is cheap."""
    if obj is None or len(obj) == 0:
        return np.empty(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(obj, index=index).to_numpy()


def block_key(model: Any, seed: int, horizons: tuple[int, ...], gap: int, folds: list[tuple[Any, ...]],
              parts: list[bytes]) -> str:
    """The key of one block: ``folds`` as (origin, train start, refit) tuples, ``parts`` the input bytes."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(model_identity(model).encode())
    h.update(json.dumps([int(seed), [int(x) for x in horizons], int(gap), [[str(v) for v in f] for f in folds]]).encode())
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()[:40]


class ForecastCache:
    """``.npy`` files of block forecasts (folds x horizons x [mean, p_up, q01..q99]) under ``directory``/forecasts."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / "forecasts"
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.npy"

    def get(self, key: str, shape: tuple[int, ...]) -> np.ndarray | None:
        """The stored block, or None (absent, damaged, or of another shape)."""
        try:
            arr = np.load(self._path(key), allow_pickle=False)
        except (OSError, ValueError):
            self.misses += 1
            return None
        if arr.shape != shape or arr.dtype != np.float64:
            self.misses += 1
            return None
        self.hits += 1
        return arr

    def put(self, key: str, values: np.ndarray) -> None:
        """Write atomically; a read-only or full disk only costs recomputation."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{key}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                np.save(fh, np.ascontiguousarray(values, dtype=np.float64), allow_pickle=False)
            tmp.replace(path)
        except OSError:
            return
