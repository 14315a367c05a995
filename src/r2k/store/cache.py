"""A cache of derived frames on disk, keyed by a hash of everything that produced them (the input data
as known at the as-of date, the plan, the model, the seed and the r2k version). A changed input is a new
key, so an entry is never stale; deleting the directory only costs recomputation.

Used for the outlook's walk-forward track record, which costs seconds per report otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from r2k import __version__


def frame_key(*parts: Any) -> str:
    """A stable hash of frames/series (by content, index included) and JSON-able values."""
    h = hashlib.sha256(__version__.encode())
    for p in parts:
        if isinstance(p, (pd.Series, pd.DataFrame)):
            h.update(pd.util.hash_pandas_object(p, index=True).to_numpy().tobytes())
            names = p.columns if isinstance(p, pd.DataFrame) else [p.name]
            h.update(json.dumps([str(c) for c in names]).encode())
        else:
            h.update(json.dumps(p, default=str, sort_keys=True).encode())
    return h.hexdigest()[:32]


class FrameCache:
    """Parquet files named by key in ``directory`` (created on first write; writes are atomic)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.parquet"

    def get(self, key: str) -> pd.DataFrame | None:
        path = self._path(key)
        if not path.exists():
            return None
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError):  # a damaged entry is recomputed
            return None

    def put(self, key: str, frame: pd.DataFrame) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self._path(key).with_suffix(f".{os.getpid()}.tmp")
            frame.to_parquet(tmp)
            tmp.replace(self._path(key))
        except OSError:  # a read-only or full disk only costs recomputation
            return
