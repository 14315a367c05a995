"""Derived records as the scheduled job last published them, kept in the store (schema v4, table published_records).

Why: two records take a minute or more of two cores to compute from nothing, and the report, the outlook and the
dashboard read them: the outlook's weekly record since the tuning cutoff ("outlook") and the monitor's walk-forward
over the last year ("monitor"). The update job computes them once after new data and keeps them here, so readers get
them back whatever the state of the disposable forecast cache. One record of each name per symbol, replaced whole by
each publication (one transaction). A record is stored under the key of everything that produced it (the inputs as
known at its as-of date, the code, the models' parameters, the plan, the seed) and read back only under that key:
after a data revision or a code change it is simply not used until the job publishes again.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from r2k.store.cache import FrameCache
from r2k.store.transaction import registered, transaction

TABLE = "published_records"


@dataclass(frozen=True)
class PublishedRecord:
    """Which record of a name a symbol has in the store, and when and by what it was written."""

    symbol: str
    name: str
    key: str
    as_of: date
    source: str
    written_at: datetime

    def to_dict(self) -> dict:
        return asdict(self)


class RecordsMixin:
    """Published-record methods of :class:`r2k.store.Store` (which provides ``con``)."""

    con: duckdb.DuckDBPyConnection

    def has_published_records(self) -> bool:
        """False for a store written by an older version and opened read-only (not migrated yet)."""
        rows = self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [TABLE]).fetchall()
        return bool(rows[0][0])

    def write_record(self, symbol: str, name: str, key: str, as_of: date, parts: dict[str, pd.DataFrame], source: str,
                     now: datetime) -> bool:
        """Replace ``symbol``'s record ``name`` by ``parts`` (named frames) in one transaction. A record already stored
        under ``key`` with these parts is left as it is (False): publishing the same inputs twice changes nothing."""
        stored = self.con.execute(f"SELECT part FROM {TABLE} WHERE symbol = ? AND name = ? AND key = ?",
                                  [symbol.upper(), name, key]).fetchall()
        if {p for (p,) in stored} == set(parts):
            return False
        rows = pd.DataFrame({"part": list(parts), "data": [_parquet(f) for f in parts.values()]})
        rows = rows.assign(symbol=symbol.upper(), name=name, key=key, as_of=pd.Timestamp(as_of), source=source,
                           written_at=now)
        with transaction(self) as con, registered(con, "incoming_record", rows):  # type: ignore[arg-type] - self is a Store
            con.execute(f"DELETE FROM {TABLE} WHERE symbol = ? AND name = ?", [symbol.upper(), name])
            con.execute(f"""INSERT INTO {TABLE} SELECT symbol, name, part, key, CAST(as_of AS DATE), data, source, written_at
                            FROM incoming_record""")
        return True

    def read_record(self, symbol: str, name: str, key: str, parts: tuple[str, ...]) -> dict[str, pd.DataFrame] | None:
        """The ``parts`` of ``symbol``'s record ``name`` if it was published under ``key`` with every one of them."""
        if not self.has_published_records():
            return None
        rows = self.con.execute(f"SELECT part, data FROM {TABLE} WHERE symbol = ? AND name = ? AND key = ?",
                                [symbol.upper(), name, key]).fetchall()
        found = dict(rows)
        if any(p not in found for p in parts):
            return None
        try:
            return {p: pd.read_parquet(io.BytesIO(found[p])) for p in parts}
        except Exception:  # noqa: BLE001 - bytes that do not parse (an edited store) are a miss: the caller recomputes
            return None

    def published_record(self, symbol: str, name: str) -> PublishedRecord | None:
        """What record ``name`` the symbol has (whatever its key), or None."""
        if not self.has_published_records():
            return None
        rows = self.con.execute(f"SELECT key, as_of, source, written_at FROM {TABLE} WHERE symbol = ? AND name = ? LIMIT 1",
                                [symbol.upper(), name]).fetchall()
        return None if not rows else PublishedRecord(symbol.upper(), name, *rows[0])


def _parquet(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf)
    return buf.getvalue()


def read_through(store: RecordsMixin, cache_dir: Path | None, symbol: str, name: str, key: str, parts: tuple[str, ...],
                 compute: Callable[[], dict[str, pd.DataFrame] | None]) -> dict[str, pd.DataFrame] | None:
    """A derived record's parts, cheapest first: as published in the store, from the frame cache under ``cache_dir``,
    or ``compute()`` (then kept in the frame cache). Every way is keyed by ``key``, so all give the same frames."""
    if (stored := store.read_record(symbol, name, key, parts)) is not None:
        return stored
    cache = FrameCache(cache_dir) if cache_dir is not None else None
    if cache is not None and (hit := cache.get_parts(key, parts)) is not None:
        return hit
    made = compute()
    if made is not None and cache is not None:
        cache.put_parts(key, made)
    return made
