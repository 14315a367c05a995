"""A disk cache of walk-forward forecasts, one entry per model and refit block.

Why: the outlook's live ensemble and its track record re-run the same member forecasts at the same past origins
every time a report, a forecast or a dashboard page is built. A block (a refit origin and the origins that reuse
its fit) depends only on what the engine hands the model there, so its forecasts can be kept and reused exactly.

The key is a hash of everything that reaches the model in the block, and nothing else:
  - the model's class and parameters (tuned parameters included: they are fields of the model), the code of the
    packages a forecast runs through (models, features, macro, analytics, the engine), the r2k version, and the
    versions of the libraries the numbers come from (numpy, pandas, scipy, arch, lightgbm, scikit-learn,
    statsmodels, torch, ...: :func:`library_versions`);
  - the seed, the horizons, the purge gap, and the block's folds (origin, training-window start, refit);
  - the closes of the training window up to the block's last origin, the input frame's rows up to that origin
    (values, dates and column names), and for a combining model the member forecasts made by that origin with
    the outcomes realised by then (what it is shown at its origins).
A revised close or input value on or before an origin is a new key for every block that saw it; rows after the
block's last origin are not in its key (they cannot have been used). An entry is never stale, only unused;
deleting the directory costs recomputation only. Values are stored as ``.npy`` bytes (float64, bit-exact) inside a
checksummed entry (:mod:`r2k.store.cache_files`): an entry that is damaged, of another shape or holds a non-finite
number is a miss and is recomputed; the ``.npy`` header is read and checked before any array is made.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
from dataclasses import fields, is_dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from r2k import __version__
from r2k.store.cache_files import SUFFIX, auto_prune, read_entry, write_entry

CODE_PACKAGES = ("models", "features", "macro", "analytics", "calendar")
CODE_FILES = ("validation/engine.py", "schemas.py")
# the distributions whose code computes or reads forecasts (absent ones count as absent: installing one is a change)
LIBRARIES = ("numpy", "pandas", "scipy", "arch", "lightgbm", "scikit-learn", "statsmodels", "torch", "pyarrow",
             "exchange_calendars", "joblib")
MAX_HEADER = 4096  # bytes: an .npy header of a block is about 128


def source_fingerprint(packages: tuple[str, ...], files: tuple[str, ...] = ()) -> str:
    """A hash of the r2k source files (``.py`` and ``.json``) under ``packages`` plus ``files`` and the r2k version."""
    root = Path(__file__).resolve().parents[1]
    paths = sorted(p for pkg in packages for p in (root / pkg).rglob("*") if p.suffix in (".py", ".json"))
    paths += [root / f for f in files]
    h = hashlib.sha256(__version__.encode())
    for p in paths:
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes() if p.exists() else b"")
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """A hash of the source files a forecast runs through (so an edited model never reuses old forecasts)."""
    return source_fingerprint(CODE_PACKAGES, CODE_FILES)


@cache
def library_versions() -> dict[str, str]:
    """Python's and every forecast library's installed version ("absent" when not installed)."""
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


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
    h.update(json.dumps(library_versions(), sort_keys=True).encode())
    h.update(model_identity(model).encode())
    h.update(json.dumps([int(seed), [int(x) for x in horizons], int(gap), [[str(v) for v in f] for f in folds]]).encode())
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()[:40]


class ForecastCache:
    """Checksummed entries of block forecasts (folds x horizons x [mean, p_up, q01..q99]) under ``directory``/forecasts."""

    def __init__(self, directory: Path) -> None:
        self.root = Path(directory)
        self.directory = self.root / "forecasts"
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str, shape: tuple[int, ...]) -> np.ndarray | None:
        """The stored block, or None (absent, damaged, of another shape, or not finite): a miss is recomputed."""
        payload = read_entry(self._path(key), MAX_HEADER + 8 * int(np.prod(shape)))
        arr = None if payload is None else decode(payload, shape)
        if arr is None:
            self.misses += 1
            return None
        self.hits += 1
        return arr

    def put(self, key: str, values: np.ndarray) -> None:
        """Write atomically (a non-finite block is not kept); a read-only or full disk only costs recomputation."""
        arr = np.ascontiguousarray(values, dtype=np.float64)
        if not np.isfinite(arr).all():
            return
        buf = io.BytesIO()
        np.save(buf, arr, allow_pickle=False)
        if write_entry(self._path(key), buf.getvalue()):
            auto_prune(self.root, buf.tell())


def decode(payload: bytes, shape: tuple[int, ...]) -> np.ndarray | None:
    """The float64 array of ``shape`` in ``.npy`` bytes, or None: the header is checked before the data is read, so a
    header claiming another shape (however large) never allocates anything."""
    buf = io.BytesIO(payload)
    try:
        version = np.lib.format.read_magic(buf)
        read_header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if read_header is None:
            return None
        stored, fortran, dtype = read_header(buf)
    except (ValueError, OSError, SyntaxError, TypeError):
        return None
    data = payload[buf.tell():]
    if tuple(stored) != tuple(shape) or fortran or dtype != np.dtype("<f8") or len(data) != 8 * int(np.prod(shape)):
        return None
    arr = np.frombuffer(data, dtype="<f8").reshape(shape).copy()
    return arr if np.isfinite(arr).all() else None
