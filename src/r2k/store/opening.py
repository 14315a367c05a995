"""Opening a store file safely: created atomically, checked before use, never running the file's own code.

A store file may be foreign, truncated, written by a newer r2k, or hostile (a view over
``read_text('/etc/passwd')``, a SQLite file that makes DuckDB fetch an extension). So the connection
has file access and extension loading switched off, the required tables must be base tables, the
schema version must be one this r2k knows, and a new store is built in a temporary file and renamed
into place only once migrated (a first import killed at any moment leaves no half-made store).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from r2k.errors import StoreError
from r2k.outfile import remove_leftovers
from r2k.store.schema import SCHEMA_VERSION, migrate

# file system access off (no read_text/read_csv/COPY/ATTACH from a stored view), no extension loading or
# installing (a SQLite file would otherwise make DuckDB download one over HTTP)
SAFE_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
REQUIRED_TABLES = ("schema_version", "series", "bars", "observations", "imports")


def one_line(exc: BaseException) -> str:
    """A DuckDB error as one line (its messages carry a caret diagram on later lines)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A checked connection to the store at ``path`` (created atomically when missing and writable)."""
    if not read_only and path.parent.is_dir():
        remove_leftovers(path.parent, f".{path.name}.*.new*")  # what a first import killed (or out of disk) left
    if not path.exists() or (path.is_file() and path.stat().st_size == 0 and not read_only):
        if read_only:
            raise StoreError(f"no store at {path}: run 'r2k data import DIR' or 'r2k data fetch' first")
        _create(path)
    elif path.is_dir():
        raise StoreError(f"store {path} is a directory, not a DuckDB file")
    elif path.stat().st_size == 0:
        raise StoreError(f"store {path} is an empty file (an interrupted first import?): delete it and import again")
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=SAFE_CONFIG)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open store {path}: {one_line(exc)}") from None
    try:
        _check(con, path, read_only)
    except BaseException:
        con.close()
        raise
    return con


def _create(path: Path) -> None:
    """Build a migrated store in a temporary file next to ``path`` and rename it into place."""
    blocker = next((p for p in (path.parent, *path.parent.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise StoreError(f"cannot create store {path}: {blocker} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as exc:
        raise StoreError(f"cannot create store {path}: {exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(tmp)  # DuckDB must create the file itself; the random name stays ours in a private pattern
    try:
        con = duckdb.connect(tmp, config=SAFE_CONFIG)
        try:
            migrate(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, path)
    except (duckdb.Error, OSError) as exc:
        raise StoreError(f"cannot create store {path}: {one_line(exc)}") from None
    finally:
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _check(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
    """Refuse files that are not r2k stores this version can use; migrate older ones (read-write)."""
    kinds = dict(con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'").fetchall())
    if not kinds and not read_only:
        migrate(con)  # a DuckDB file with nothing in it yet: treat as new
        return
    if "schema_version" not in kinds:
        raise StoreError(f"{path} is not an r2k store (no schema_version table)")
    views = [t for t in REQUIRED_TABLES if kinds.get(t, "BASE TABLE") != "BASE TABLE"]
    if views:
        raise StoreError(f"{path} is not a usable r2k store: {', '.join(views)} must be tables, not views")
    row = con.execute("SELECT max(version) FROM schema_version").fetchall()
    version = int(row[0][0]) if row and row[0][0] is not None else 0
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer r2k (schema version {version}; this r2k knows up to "
                         f"{SCHEMA_VERSION}): upgrade r2k")
    if version == SCHEMA_VERSION:
        missing = [t for t in REQUIRED_TABLES if t not in kinds]
        if missing:
            raise StoreError(f"{path} is not a usable r2k store: missing table(s) {', '.join(missing)}")
    elif not read_only:
        migrate(con)
