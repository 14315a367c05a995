"""The outlook's weekly record as the scheduled job last published it, kept in the store (schema v4).

Why: the record (every weekly forecast of the outlook model, its members and baselines since the tuning cutoff) takes
about a minute of two cores to compute from nothing, and the report, the outlook and the dashboard all read it. The
update job computes it once after new data and keeps it here, so they read it back instead, whatever the state of
the disposable forecast cache. One record per symbol, replaced whole by each publication (one transaction). It is
stored under the key of everything that produced it (r2k.outlook.build.record_key: the inputs as known at its as-of
date, the code, the models' parameters, the plan, the seed), and read back only under that key: after a data
revision or a code change it is simply not used until the job publishes again.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from r2k.store.transaction import registered, transaction


@dataclass(frozen=True)
class PublishedRecord:
    """Which record a symbol has in the store, and when and by what it was written."""

    symbol: str
    key: str
    as_of: date
    source: str
    written_at: datetime

    def to_dict(self) -> dict:
        return asdict(self)


class RecordsMixin:
    """Published-record methods of :class:`r2k.store.Store` (which provides ``con``)."""

    con: duckdb.DuckDBPyConnection

    def has_records(self) -> bool:
        """False for a store written by an older version and opened read-only (not migrated yet)."""
        rows = self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'outlook_records'").fetchall()
        return bool(rows[0][0])

    def write_record(self, symbol: str, key: str, as_of: date, parts: dict[str, pd.DataFrame], source: str,
                     now: datetime) -> None:
        """Replace ``symbol``'s record by ``parts`` (named frames) in one transaction."""
        rows = pd.DataFrame({"part": list(parts), "data": [_parquet(f) for f in parts.values()]})
        rows = rows.assign(symbol=symbol.upper(), key=key, as_of=pd.Timestamp(as_of), source=source, written_at=now)
        with transaction(self) as con, registered(con, "incoming_record", rows):  # type: ignore[arg-type] - self is a Store
            con.execute("DELETE FROM outlook_records WHERE symbol = ?", [symbol.upper()])
            con.execute("""INSERT INTO outlook_records SELECT symbol, part, key, CAST(as_of AS DATE), data, source, written_at
                           FROM incoming_record""")

    def read_record(self, symbol: str, key: str, names: tuple[str, ...]) -> dict[str, pd.DataFrame] | None:
        """The parts of ``symbol``'s record if it was published under ``key`` with every one of ``names``, else None."""
        if not self.has_records():
            return None
        rows = self.con.execute("SELECT part, data FROM outlook_records WHERE symbol = ? AND key = ?",
                                [symbol.upper(), key]).fetchall()
        found = {part: data for part, data in rows}
        if any(n not in found for n in names):
            return None
        return {n: pd.read_parquet(io.BytesIO(found[n])) for n in names}

    def published_record(self, symbol: str) -> PublishedRecord | None:
        """What record ``symbol`` has (whatever its key), or None."""
        if not self.has_records():
            return None
        rows = self.con.execute("SELECT key, as_of, source, written_at FROM outlook_records WHERE symbol = ? LIMIT 1",
                                [symbol.upper()]).fetchall()
        return None if not rows else PublishedRecord(symbol.upper(), rows[0][0], rows[0][1], rows[0][2], rows[0][3])


def _parquet(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf)
    return buf.getvalue()
