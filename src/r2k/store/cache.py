"""A cache of derived frames on disk, keyed by a hash of everything that produced them, and nothing else.

Used for the outlook's walk-forward track record: rebuilding it from the block cache takes about a second, reading
it back a few milliseconds. Its key (:func:`forecasts_frame_key`) holds what the block cache's keys hold — the
models' identities (class and parameters, tuned ones included), the code and library fingerprints — plus the whole
r2k source (the code that assembles the frame) and the caller's inputs (data as known at the as-of date, plan,
seed, rating-map version). A changed member, input or line of code is a new key, so an entry is never stale.
Entries are checksummed (:mod:`r2k.store.cache_files`): a damaged or edited one is a miss, never a wrong record.
Deleting the directory only costs recomputation.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from r2k import __version__
from r2k.store.cache_files import SUFFIX, auto_prune, read_entry, write_entry
from r2k.store.forecast_cache import code_fingerprint, library_versions, model_identity, source_fingerprint

MAX_FRAME_BYTES = 256 * 2**20  # a track-record frame is about 1 MB


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


@cache
def package_fingerprint() -> str:
    """A hash of every r2k source file: any code change may change how a derived frame is assembled."""
    return source_fingerprint(("",))


def forecasts_frame_key(tag: str, models: Sequence[Any], *parts: Any) -> str:
    """The key of a frame derived from the walk-forward forecasts of ``models`` (model objects, as the engine gets
    them): their identities, the block cache's code and library fingerprints, the whole r2k source, and ``parts``."""
    return frame_key(tag, [model_identity(m) for m in models], code_fingerprint(), package_fingerprint(),
                     library_versions(), *parts)


class FrameCache:
    """Checksummed parquet entries named by key under ``directory``/frames (created on first write)."""

    def __init__(self, directory: Path) -> None:
        self.root = Path(directory)
        self.directory = self.root / "frames"

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{SUFFIX}"

    def get(self, key: str) -> pd.DataFrame | None:
        """The stored frame, or None (absent, damaged, edited or unreadable: recomputed by the caller)."""
        payload = read_entry(self._path(key), MAX_FRAME_BYTES)
        if payload is None:
            return None
        try:
            return pd.read_parquet(io.BytesIO(payload))
        except Exception:  # noqa: BLE001 - a checksummed entry that still fails to parse is a miss, whatever the error
            return None

    def get_parts(self, key: str, names: Sequence[str]) -> dict[str, pd.DataFrame] | None:
        """Named frames stored together by :meth:`put_parts`, or None when any of them is a miss."""
        out = {name: self.get(f"{key}-{name}") for name in names}
        return None if any(v is None for v in out.values()) else out  # type: ignore[return-value]

    def put_parts(self, key: str, parts: dict[str, pd.DataFrame]) -> None:
        for name, frame in parts.items():
            self.put(f"{key}-{name}", frame)

    def put(self, key: str, frame: pd.DataFrame) -> None:
        """Write atomically; a read-only or full disk only costs recomputation."""
        buf = io.BytesIO()
        frame.to_parquet(buf)
        if write_entry(self._path(key), buf.getvalue()):
            auto_prune(self.root, buf.tell())
