"""The DuckDB store: the only module that reads or writes data on disk.

* ``write`` is atomic (one transaction for a whole import; any error rolls everything back),
  idempotent (rows identical to the stored ones are not touched, so their provenance stays), and
  keeps provenance (source and import time) on every row.
* ``read`` returns canonical frames; ``as_of`` hides prices after that date and, for macro series
  with known vintages, returns the vintage that was known then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from r2k.errors import DataError, StoreError
from r2k.providers.base import SeriesData
from r2k.schemas import BARS_COLUMNS, PRICE_FIELDS, Kind, empty_frame, frame_values
from r2k.store.opening import connect
from r2k.store.schema import UNKNOWN_VINTAGE
from r2k.store.forecast_log import ForecastLogMixin
from r2k.store.records import RecordsMixin
from r2k.store.transaction import registered, transaction

DateLike = date | str | pd.Timestamp | None


@dataclass(frozen=True)
class SeriesWrite:
    series_id: str
    kind: Kind
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    rows_missing: int = 0  # stored dates the input no longer has (counted for complete inputs, e.g. a CSV file)
    rows_deleted: int = 0  # of those, deleted (replace=True)


@dataclass(frozen=True)
class ImportSummary:
    source: str
    series: tuple[SeriesWrite, ...]

    @property
    def rows_new(self) -> int:
        return sum(s.rows_new for s in self.series)

    @property
    def rows_changed(self) -> int:
        return sum(s.rows_changed for s in self.series)

    @property
    def rows_unchanged(self) -> int:
        return sum(s.rows_unchanged for s in self.series)

    @property
    def rows_missing(self) -> int:
        return sum(s.rows_missing for s in self.series)

    @property
    def rows_deleted(self) -> int:
        return sum(s.rows_deleted for s in self.series)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "rows_new": self.rows_new,
            "rows_changed": self.rows_changed,
            "rows_unchanged": self.rows_unchanged,
            "rows_missing": self.rows_missing,
            "rows_deleted": self.rows_deleted,
            "series": [asdict(s) for s in self.series],
        }


@dataclass(frozen=True)
class SeriesInfo:
    id: str
    kind: Kind
    first: date | None
    last: date | None
    rows: int
    source: str

    def to_dict(self) -> dict:
        d = asdict(self)
        d["first"] = self.first.isoformat() if self.first else None
        d["last"] = self.last.isoformat() if self.last else None
        return d


def _day(value: DateLike) -> date | None:
    return None if value is None else pd.Timestamp(value).date()


class Store(ForecastLogMixin, RecordsMixin):
    """A DuckDB file holding every series. Use as a context manager."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path).expanduser()
        self.con = connect(self.path, read_only)  # checked, no file access or extensions (store.opening)
        self.commits = 0  # successful write transactions: says truthfully whether an interrupted command changed it

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _one(self, sql: str, params: list | None = None) -> tuple | None:
        """First row of a query (fetching all of it: DuckDB 2 refuses new work on a half-read result)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    # ------------------------------------------------------------------ write
    def write(self, items: Sequence[SeriesData], source: str, now: datetime, complete: bool = False,
              replace: bool = False) -> ImportSummary:
        """Store every series in one transaction; nothing is written if anything fails.

        The import log gets a row only when something changed, so re-writing the same data leaves every
        table exactly as it was. ``complete``: each item is the whole series (a CSV file, not an incremental
        fetch), so stored dates it lacks are counted as missing; ``replace`` also deletes them.
        """
        self._check_kinds(items)
        with transaction(self) as con:
            writes = tuple(self._write_one(item, now, complete or replace, replace) for item in items)
            changed = [w for w in writes if w.rows_new or w.rows_changed or w.rows_deleted]
            if changed:
                next_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM imports")[0]
                con.execute(
                    "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?)",
                    [next_id, source, now, len(changed), sum(w.rows_new for w in writes), sum(w.rows_changed for w in writes)],
                )
        return ImportSummary(source, writes)

    def _check_kinds(self, items: Sequence[SeriesData]) -> None:
        seen: dict[str, str] = {}
        for item in items:
            if item.id in seen:
                raise DataError(item.source, f"series {item.id} given twice in one write (also by {seen[item.id]})")
            seen[item.id] = item.source
            row = self._one("SELECT kind FROM series WHERE id = ?", [item.id])
            if row and row[0] != item.kind:
                raise DataError(item.source, f"series {item.id} is stored as {row[0]}, not {item.kind}")

    def _write_one(self, item: SeriesData, now: datetime, complete: bool = False, replace: bool = False) -> SeriesWrite:
        con = self.con
        if item.kind == "price":
            incoming = item.frame.loc[:, list(BARS_COLUMNS)]
            table, key, values = "bars", ["date"], list(PRICE_FIELDS)
        else:
            incoming = item.frame.loc[:, ["date", "value"]].copy()
            rt = item.frame["realtime_start"] if "realtime_start" in item.frame else pd.Timestamp(UNKNOWN_VINTAGE)
            incoming["realtime_start"] = rt
            table, key, values = "observations", ["date", "realtime_start"], ["value"]
        with registered(con, "incoming", incoming):
            join = " AND ".join(f"s.{k} = i.{k}" for k in key)
            differs = " OR ".join(f"s.{v} IS DISTINCT FROM i.{v}" for v in values)
            new, changed = con.execute(
                f"""SELECT count(*) FILTER (WHERE s.series_id IS NULL),
                           count(*) FILTER (WHERE s.series_id IS NOT NULL AND ({differs}))
                    FROM incoming i LEFT JOIN {table} s ON s.series_id = ? AND {join}""",
                [item.id],
            ).fetchall()[0]
            if new or changed:
                cols = ", ".join(key + values)
                updates = ", ".join(f"{v} = excluded.{v}" for v in values + ["source", "imported_at"])
                con.execute(
                    f"""INSERT INTO {table} (series_id, {cols}, source, imported_at)
                        SELECT ?, {', '.join('i.' + c for c in key + values)}, ?, ?
                        FROM incoming i LEFT JOIN {table} s ON s.series_id = ? AND {join}
                        WHERE s.series_id IS NULL OR ({differs})
                        ON CONFLICT (series_id, {', '.join(key)}) DO UPDATE SET {updates}""",
                    [item.id, item.source, now, item.id],
                )
                con.execute(
                    """INSERT INTO series VALUES (?, ?, ?, ?)
                       ON CONFLICT (id) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at""",
                    [item.id, item.kind, item.source, now],
                )
            missing = deleted = 0
            if complete:
                gone = f"FROM {table} WHERE series_id = ? AND date NOT IN (SELECT date FROM incoming)"
                missing = self._one(f"SELECT count(DISTINCT date) {gone}", [item.id])[0]
                if replace and missing:
                    con.execute(f"DELETE {gone}", [item.id])
                    deleted = missing
        return SeriesWrite(item.id, item.kind, int(new), int(changed), len(incoming) - int(new) - int(changed),
                           int(missing), int(deleted))

    # ------------------------------------------------------------------- read
    def kind(self, series_id: str) -> Kind:
        row = self._one("SELECT kind FROM series WHERE id = ?", [series_id.upper()])
        if row is None:
            raise StoreError(f"series {series_id.upper()} is not in the store {self.path} (see 'r2k data status')")
        return row[0]

    def has(self, series_id: str) -> bool:
        return self._one("SELECT 1 FROM series WHERE id = ?", [series_id.upper()]) is not None

    def read(self, series_id: str, start: DateLike = None, end: DateLike = None, as_of: DateLike = None) -> pd.DataFrame:
        """The canonical frame of ``series_id`` between ``start`` and ``end`` (inclusive), as known at ``as_of``."""
        sid = series_id.upper()
        kind = self.kind(sid)
        lo, hi, known = _day(start), _day(end), _day(as_of)
        if known is not None:
            hi = known if hi is None else min(hi, known)
        lo = lo or date(1, 1, 1)
        hi = hi or date(9999, 12, 31)
        if kind == "price":
            frame = self.con.execute(
                f"SELECT {', '.join(BARS_COLUMNS)} FROM bars WHERE series_id = ? AND date BETWEEN ? AND ? ORDER BY date",
                [sid, lo, hi],
            ).df()
        else:
            frame = self.con.execute(
                """SELECT date, value FROM observations
                   WHERE series_id = ? AND date BETWEEN ? AND ? AND realtime_start <= ?
                   QUALIFY row_number() OVER (PARTITION BY date ORDER BY realtime_start DESC) = 1
                   ORDER BY date""",
                [sid, lo, hi, known or date(9999, 12, 31)],
            ).df()
        if frame.empty:
            return empty_frame(kind)
        frame["date"] = frame["date"].astype("datetime64[us]")
        return frame.astype({c: "float64" for c in frame.columns if c != "date"})

    def vintages(self, series_id: str, as_of: DateLike = None) -> pd.DataFrame:
        """Macro rows with a known vintage (``date, realtime_start, value``), realtime_start <= as_of."""
        frame = self.con.execute(
            f"""SELECT date, realtime_start, value FROM observations
               WHERE series_id = ? AND realtime_start > DATE '{UNKNOWN_VINTAGE}' AND realtime_start <= ?
               ORDER BY date, realtime_start""",
            [series_id.upper(), _day(as_of) or date(9999, 12, 31)],
        ).df()
        return frame.astype({"date": "datetime64[us]", "realtime_start": "datetime64[us]", "value": "float64"})

    def series(self, series_id: str, start: DateLike = None, end: DateLike = None, as_of: DateLike = None) -> pd.Series:
        """The series' numbers indexed by date (closes of a price series, values of a macro series)."""
        return frame_values(self.read(series_id, start, end, as_of), series_id.upper())

    def last_date(self, series_id: str) -> date | None:
        table = "bars" if self.kind(series_id) == "price" else "observations"
        row = self._one(f"SELECT max(date) FROM {table} WHERE series_id = ?", [series_id.upper()])
        return row[0] if row else None

    def status(self, as_of: DateLike = None) -> list[SeriesInfo]:
        """One row per stored series; with ``as_of``, counted over the rows known then (prices dated by it,
        macro values dated by it in a vintage published by it): a series that starts later has no rows."""
        known = _day(as_of) or date(9999, 12, 31)
        rows = self.con.execute(
            """WITH counts AS (
                   SELECT series_id, min(date) AS first, max(date) AS last, count(*) AS n FROM bars
                   WHERE date <= ? GROUP BY 1
                   UNION ALL
                   SELECT series_id, min(date), max(date), count(DISTINCT date) FROM observations
                   WHERE date <= ? AND realtime_start <= ? GROUP BY 1)
               SELECT s.id, s.kind, c.first, c.last, coalesce(c.n, 0), s.source
               FROM series s LEFT JOIN counts c ON c.series_id = s.id ORDER BY s.kind DESC, s.id""",
            [known, known, known],
        ).fetchall()
        return [SeriesInfo(*row) for row in rows]

    def row_provenance(self, series_id: str, day: DateLike) -> dict | None:
        """Source and import time of one stored row (latest vintage for macro series)."""
        sid, d = series_id.upper(), _day(day)
        table = "bars" if self.kind(sid) == "price" else "observations"
        order = "ORDER BY realtime_start DESC" if table == "observations" else ""
        row = self._one(f"SELECT source, imported_at FROM {table} WHERE series_id = ? AND date = ? {order} LIMIT 1", [sid, d])
        return None if row is None else {"source": row[0], "imported_at": row[1]}
