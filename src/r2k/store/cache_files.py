"""Cache entries that cannot lie, and the housekeeping of a cache directory.

An entry is one file: a tag, the SHA-256 of the payload, the payload. It is written to a temporary file in the same
folder, flushed to disk (fsync) and renamed into place, so a reader sees a whole entry or none; a failed write (full
disk, read-only folder) removes its temporary file and only costs recomputation. It is read back only when its size
is plausible for what the caller expects and the digest matches: a damaged, truncated, empty or hand-edited entry is
a miss, never an error and never a wrong result.

Housekeeping (``r2k cache status|prune``): entries are used least-recently-first evicted (a hit refreshes the file's
modification time), temporary files older than ``LEFTOVER_AGE`` (left by killed processes or full disks) are removed,
and entries of an older format (never read again) are removed by a prune. Writers prune automatically to
``DEFAULT_MAX_MB`` at most once an hour per cache (:func:`auto_prune`). Only r2k's own files in its own
sub-folders are ever touched.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from r2k.outfile import LEFTOVER_AGE

MAGIC = b"r2k-cache-entry-1\n"
DIGEST_BYTES = 32
SUFFIX = ".entry"
SUBDIRS = ("forecasts", "frames")  # the only folders housekeeping looks into
DEFAULT_MAX_MB = 512  # the automatic size limit (least recently used entries beyond it are evicted)
AUTO_EVERY_BYTES = 32 * 2**20  # a writing process re-checks the limit after this much new data
MB = 2**20

_ENTRY = re.compile(r"[0-9a-f]{16,64}\.entry")
_LEGACY = re.compile(r"[0-9a-f]{16,64}\.(npy|parquet)")  # formats before checksums: never read any more
_TEMP = re.compile(r"[0-9a-f]{16,64}(\.entry)?\.\d+\.tmp")


def write_entry(path: Path, payload: bytes) -> bool:
    """Store ``payload`` at ``path`` atomically (tag + SHA-256 + payload, fsync, rename); False when it could not."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _sync_dir(path.parent)
    except OSError:  # a read-only or full disk only costs recomputation
        _unlink(tmp)
        return False
    return True


def read_entry(path: Path, max_payload: int) -> bytes | None:
    """The payload stored at ``path``, or None when absent, larger than ``max_payload`` bytes, or not intact.

    The size is checked before anything is read, so a damaged entry never makes the reader allocate more than the
    caller expects. A hit refreshes the file's modification time (least-recently-used pruning)."""
    head = len(MAGIC) + DIGEST_BYTES
    try:
        size = path.stat().st_size
        if not head <= size <= head + max_payload:
            return None
        with open(path, "rb") as fh:
            data = fh.read(size + 1)
    except (OSError, ValueError):
        return None
    payload = data[head:]
    if len(data) != size or not data.startswith(MAGIC) or hashlib.sha256(payload).digest() != data[len(MAGIC):head]:
        return None
    _touch(path)
    return payload


def _sync_dir(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every file system lets a folder be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # a read-only cache still serves its entries
        pass


def _unlink(path: Path) -> int:
    """Remove a file; its size, or 0 when it was already gone or cannot be removed."""
    try:
        size = path.stat().st_size
        path.unlink()
    except OSError:
        return 0
    return size


@dataclass(frozen=True)
class CacheFile:
    path: Path
    kind: str  # "entry" | "legacy" | "temporary"
    size: int
    used: float  # modification time: written or last read


def cache_files(root: Path) -> Iterator[CacheFile]:
    """r2k's files under the cache's own sub-folders (and old frame entries at its top level)."""
    root = Path(root)
    folders = [root] + [p for sub in SUBDIRS for p in _walk(root / sub)]
    for folder in folders:
        try:
            items = list(os.scandir(folder))
        except OSError:
            continue
        for item in items:
            kind = ("entry" if _ENTRY.fullmatch(item.name) else "legacy" if _LEGACY.fullmatch(item.name)
                    else "temporary" if _TEMP.fullmatch(item.name) else None)
            if kind is None or (folder == root and kind == "entry"):
                continue
            try:
                st = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.is_file(follow_symlinks=False):
                yield CacheFile(Path(item.path), kind, st.st_size, st.st_mtime)


def _walk(folder: Path) -> list[Path]:
    """``folder`` and its sub-folders (two levels: forecasts/ab/)."""
    try:
        subs = [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    return [folder, *subs]


@dataclass(frozen=True)
class CacheStatus:
    """What a cache directory holds: entries by folder, their size, and files a prune would remove."""

    directory: Path
    entries: int
    entry_bytes: int
    by_folder: dict[str, tuple[int, int]]  # folder -> (entries, bytes)
    legacy: int
    legacy_bytes: int
    temporary: int
    temporary_bytes: int
    oldest_use: float | None
    newest_use: float | None
    limit_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.entry_bytes + self.legacy_bytes + self.temporary_bytes

    def to_dict(self) -> dict[str, Any]:
        stamp = lambda t: None if t is None else time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t))  # noqa: E731
        return {"directory": str(self.directory), "entries": self.entries, "entry_bytes": self.entry_bytes,
                "by_folder": {k: {"entries": n, "bytes": b} for k, (n, b) in self.by_folder.items()},
                "legacy_entries": self.legacy, "legacy_bytes": self.legacy_bytes, "temporary_files": self.temporary,
                "temporary_bytes": self.temporary_bytes, "total_bytes": self.total_bytes,
                "oldest_use": stamp(self.oldest_use), "newest_use": stamp(self.newest_use), "limit_bytes": self.limit_bytes}


def cache_status(root: Path, limit_bytes: int = DEFAULT_MAX_MB * MB) -> CacheStatus:
    """Count what ``root`` holds (nothing is changed)."""
    root = Path(root)
    files = list(cache_files(root))
    entries = [f for f in files if f.kind == "entry"]
    by_folder: dict[str, tuple[int, int]] = {}
    for f in entries:
        name = f.path.relative_to(root).parts[0]
        n, b = by_folder.get(name, (0, 0))
        by_folder[name] = (n + 1, b + f.size)
    legacy = [f for f in files if f.kind == "legacy"]
    temporary = [f for f in files if f.kind == "temporary"]
    uses = [f.used for f in entries]
    return CacheStatus(root, len(entries), sum(f.size for f in entries), by_folder, len(legacy),
                       sum(f.size for f in legacy), len(temporary), sum(f.size for f in temporary),
                       min(uses) if uses else None, max(uses) if uses else None, limit_bytes)


@dataclass(frozen=True)
class PruneResult:
    """What a prune removed and what is left."""

    directory: Path
    limit_bytes: int
    evicted: int
    evicted_bytes: int
    legacy: int
    temporary: int
    removed_bytes: int
    kept: int
    kept_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def prune(root: Path, limit_bytes: int = DEFAULT_MAX_MB * MB, now: float | None = None) -> PruneResult:
    """Evict the least recently used entries until the rest fit in ``limit_bytes``; remove entries of an older
    format and temporary files older than ``LEFTOVER_AGE`` (a temporary file being written right now is kept)."""
    root = Path(root)
    now = time.time() if now is None else now
    files = list(cache_files(root))
    legacy = [f for f in files if f.kind == "legacy"]
    temporary = [f for f in files if f.kind == "temporary" and now - f.used > LEFTOVER_AGE]
    removed = sum(_unlink(f.path) for f in (*legacy, *temporary))
    entries = sorted((f for f in files if f.kind == "entry"), key=lambda f: f.used, reverse=True)
    kept, kept_bytes, evicted, evicted_bytes = 0, 0, 0, 0
    for f in entries:  # newest first: keep while they fit
        if kept_bytes + f.size <= limit_bytes:
            kept, kept_bytes = kept + 1, kept_bytes + f.size
        else:
            evicted, evicted_bytes = evicted + 1, evicted_bytes + _unlink(f.path)
    _remove_empty_folders(root)
    return PruneResult(root, limit_bytes, evicted, evicted_bytes, len(legacy), len(temporary), removed + evicted_bytes,
                       kept, kept_bytes)


def _remove_empty_folders(root: Path) -> None:
    for sub in SUBDIRS:
        for folder in reversed(_walk(root / sub)):
            try:
                folder.rmdir()  # only succeeds when empty
            except OSError:
                pass


STAMP = ".last-prune"  # its modification time: when a writer last pruned this cache
AUTO_INTERVAL = 3600.0  # seconds between automatic prunes of one cache (a prune walks every entry)
_written: dict[Path, int] = {}  # bytes written per cache root by this process since its last automatic prune


def auto_prune(root: Path, written: int, limit_bytes: int = DEFAULT_MAX_MB * MB) -> PruneResult | None:
    """Called by writers after each entry: prunes ``root`` to ``limit_bytes`` when no writer did in the last
    ``AUTO_INTERVAL`` seconds, or when this process wrote ``AUTO_EVERY_BYTES`` since it last pruned, so a cache
    never grows far beyond its limit unattended while a typical run costs one ``stat``."""
    root = Path(root)
    _written[root] = _written.get(root, 0) + written
    stamp = root / STAMP
    try:
        recent = time.time() - stamp.stat().st_mtime < AUTO_INTERVAL
    except OSError:
        recent = False
    if recent and _written[root] < AUTO_EVERY_BYTES:
        return None
    _written[root] = 0
    try:
        stamp.touch()
        return prune(root, limit_bytes)
    except OSError:
        return None
