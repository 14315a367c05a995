"""One write transaction on the store's connection, with Ctrl-C and failures told truthfully.

DuckDB turns Ctrl-C during a statement into ``RuntimeError('Query interrupted')`` (``InterruptException`` when
interrupted through its API). After that, or after any failed statement, every later statement of the
transaction fails with "Current transaction is aborted", and the connection may hold an unfinished result
that refuses everything until it is aborted. So: the first error is the one that propagates (cleanup errors
never replace it), the unfinished result is aborted before the rollback, an interruption is re-raised as
``KeyboardInterrupt`` (the CLI's exit 130), and an interrupted COMMIT is checked for whether it went through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from r2k.errors import StoreError
from r2k.store.opening import one_line

NO_TRANSACTION = "no transaction is active"


class Committing(Protocol):
    """What a transaction needs of a store: its connection, its path and its count of committed writes."""

    con: duckdb.DuckDBPyConnection
    path: Path
    commits: int


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, as Python or DuckDB reports it: KeyboardInterrupt, ``InterruptException``, ``RuntimeError('Query
    interrupted')``, or a DuckDB error wrapping the traceback of a KeyboardInterrupt raised in Python code that
    DuckDB was running (its scan of a registered pandas frame)."""
    if isinstance(exc, (KeyboardInterrupt, duckdb.InterruptException)):
        return True
    text = str(exc).strip()
    if type(exc) is RuntimeError:
        return text.lower() == "query interrupted"
    return isinstance(exc, duckdb.Error) and text.splitlines()[-1:] in (["KeyboardInterrupt:"], ["KeyboardInterrupt"])


def roll_back(con: duckdb.DuckDBPyConnection) -> bool:
    """Abort an unfinished result and roll back. False when no transaction was open any more (a COMMIT that
    completed although its call was interrupted); errors of the cleanup itself are never raised."""
    try:
        con.abort()
    except (duckdb.Error, AttributeError):
        pass
    try:
        con.execute("ROLLBACK")
    except duckdb.Error as exc:
        return NO_TRANSACTION not in str(exc)
    return True


@contextmanager
def transaction(store: Committing) -> Iterator[duckdb.DuckDBPyConnection]:
    """``BEGIN`` ... ``COMMIT`` on ``store.con``; on any failure roll back and re-raise the first error.

    ``store.commits`` counts the transactions that reached the file, so an interrupted command can say whether
    the store changed. A failing COMMIT (read-only directory, disk full) becomes a one-line StoreError.
    """
    con = store.con
    con.execute("BEGIN TRANSACTION")
    committing = False
    try:
        yield con
        committing = True
        con.execute("COMMIT")
    except BaseException as exc:
        still_open = roll_back(con)
        if committing and not still_open:
            store.commits += 1
        if is_interrupt(exc):
            raise KeyboardInterrupt from None
        if committing and isinstance(exc, duckdb.Error):
            raise StoreError(f"cannot commit to store {store.path}: {one_line(exc)} "
                             "(rolled back: the store is unchanged)") from None
        raise
    store.commits += 1


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> Iterator[None]:
    """``frame`` as the table ``name`` inside the block. When the block failed, a failing unregister (the
    transaction is aborted) is ignored: the block's own error is the one to report."""
    con.register(name, frame)
    try:
        yield
    except BaseException:
        try:
            con.unregister(name)
        except duckdb.Error:
            pass
        raise
    con.unregister(name)
