"""Writing an output file the safe way: checked before the work, replaced atomically, cleaned up on failure.

A report or a backtest can take minutes; an unwritable ``--out`` must fail first, not after. The file is
written to a fresh temporary file in the target directory (created exclusively, so a pre-planted
``<out>.tmp`` symlink is never followed) and renamed over the target only once complete.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from r2k.errors import R2KError


class OutputError(R2KError):
    """An output file cannot be written (a directory, no permission, disk full)."""


LEFTOVER_AGE = 600.0  # seconds: a temporary file older than this belongs to a process that died (or a full disk)


def remove_leftovers(folder: Path, pattern: str, min_age: float = LEFTOVER_AGE) -> int:
    """Remove the files matching the glob ``pattern`` in ``folder`` that are older than ``min_age`` seconds (what a
    killed process or a full disk left; a file being written right now is younger). Returns how many went."""
    removed = 0
    cutoff = time.time() - min_age
    for p in Path(folder).glob(pattern):
        try:
            if p.is_file() and not p.is_symlink() and p.stat().st_mtime < cutoff:
                p.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _temp(path: Path) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return tmp


def check_writable(path: Path) -> Path:
    """Fail now, with one line, when ``path`` could not be written later; creates missing parent folders."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(path.parent, f".{path.name}.*.tmp")
        os.unlink(_temp(path))
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, write: Callable[[str], None]) -> Path:
    """Call ``write(temporary_path)`` and rename the result over ``path``; on any failure remove the temporary."""
    path = check_writable(path)
    tmp = _temp(path)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; a report gets the usual permissions
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_text(path: Path, text: str) -> Path:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    return write_atomic(path, write)


def write_bytes(path: Path, data: bytes) -> Path:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    return write_atomic(path, write)
