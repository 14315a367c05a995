"""Constituent data in the store: holdings snapshots, the SEC company log and point-in-time XBRL facts.

Writes are atomic per unit (a snapshot, a company): a bad file or a failed company leaves the tables
as they were. Reads are point in time: ``read_holdings(as_of)`` gives the latest snapshot dated on or
before ``as_of``; ``read_facts(as_of)`` gives only facts *filed* on or before ``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from r2k.errors import DataError, StoreError
from r2k.providers.holdings import COLUMNS as HOLDING_COLUMNS
from r2k.providers.holdings import HoldingsSnapshot
from r2k.providers.sec import FACT_COLUMNS, CompanyRecord
from r2k.schemas import MIN_DATE
from r2k.store.duck import Store
from r2k.store.transaction import registered, transaction

NO_TABLES = "the store has no constituent tables yet: run 'r2k constituents import FILE' first"


@dataclass(frozen=True)
class SnapshotWrite:
    fund: str
    as_of: date
    lines: int
    status: str  # "new" | "replaced" | "unchanged"

    def to_dict(self) -> dict:
        return {"fund": self.fund, "as_of": self.as_of, "lines": self.lines, "status": self.status}


def _has_tables(store: Store) -> bool:
    return store._one("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'holdings'")[0] > 0


def write_holdings(store: Store, snapshot: HoldingsSnapshot, now: datetime) -> SnapshotWrite:
    """Store a snapshot (replacing a different stored one of the same fund and date; identical: untouched).

    A snapshot dated after ``now`` (the import time) is refused: it would become every later read's latest
    holdings, and the default as-of of the constituents commands."""
    if snapshot.as_of > now.date():
        raise DataError(snapshot.source.removeprefix("holdings:"),
                        f"holdings dated {snapshot.as_of} are after the import ({now.date()}); a snapshot cannot be "
                        "dated in the future")
    key = [snapshot.fund, snapshot.as_of]
    incoming = snapshot.frame.loc[:, list(HOLDING_COLUMNS)]
    stored = store.con.execute(
        f"SELECT {', '.join(HOLDING_COLUMNS)} FROM holdings WHERE fund = ? AND as_of = ? ORDER BY position", key).df()
    if len(stored) == len(incoming) and _frames_equal(stored, incoming):
        return SnapshotWrite(snapshot.fund, snapshot.as_of, len(incoming), "unchanged")
    with transaction(store) as con, registered(con, "incoming_holdings", incoming):
        con.execute("DELETE FROM holdings WHERE fund = ? AND as_of = ?", key)
        con.execute(f"""INSERT INTO holdings (fund, as_of, {', '.join(HOLDING_COLUMNS)}, source, imported_at)
                        SELECT ?, ?, {', '.join(HOLDING_COLUMNS)}, ?, ? FROM incoming_holdings""",
                    [*key, snapshot.source, now])
    return SnapshotWrite(snapshot.fund, snapshot.as_of, len(incoming), "replaced" if not stored.empty else "new")


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    for col in HOLDING_COLUMNS:
        x, y = a[col], b[col]
        if pd.api.types.is_numeric_dtype(y):
            if not ((x.astype(float) - y.astype(float)).abs().fillna(0) < 1e-12).all() or not x.isna().equals(y.isna()):
                return False
        elif not x.fillna("").astype(str).equals(y.fillna("").astype(str)):
            return False
    return True


def snapshot_dates(store: Store, fund: str = "IWM", as_of: date | None = None) -> list[date]:
    """The stored snapshot dates of ``fund`` (on or before ``as_of``), oldest first.

    Only dates from 1800 to the day of their own import count: a store written before the import checked them
    may hold a sentinel (0001-01-01) or a future date (2100-01-01), which must never become the latest snapshot."""
    if not _has_tables(store):
        return []
    rows = store.con.execute("SELECT DISTINCT as_of FROM holdings WHERE fund = ? AND as_of <= ? AND as_of >= ? "
                             "AND as_of <= CAST(imported_at AS DATE) ORDER BY as_of",
                             [fund.upper(), as_of or date(9999, 12, 31), MIN_DATE.date()]).fetchall()
    return [r[0] for r in rows]


def load_holdings(store: Store, fund: str = "IWM", as_of: date | None = None) -> tuple[date, pd.DataFrame]:
    """The latest snapshot of ``fund`` dated on or before ``as_of``: (its date, frame of HOLDING_COLUMNS)."""
    dates = snapshot_dates(store, fund, as_of)
    if not dates:
        when = f" dated on or before {as_of}" if as_of else ""
        raise StoreError(f"no {fund.upper()} holdings{when} in the store: run 'r2k constituents import FILE'")
    frame = store.con.execute(f"SELECT {', '.join(HOLDING_COLUMNS)} FROM holdings WHERE fund = ? AND as_of = ? ORDER BY position",
                              [fund.upper(), dates[-1]]).df()
    return dates[-1], frame


# ------------------------------------------------------------------ SEC facts
def write_company(store: Store, record: CompanyRecord, source: str, now: datetime) -> int:
    """Store one company's facts and its log row in one transaction; returns the number of new facts."""
    if not _has_tables(store):
        raise StoreError(NO_TABLES)
    new = 0
    with transaction(store) as con:
        if record.facts is not None and not record.facts.empty:
            with registered(con, "incoming_facts", record.facts.loc[:, list(FACT_COLUMNS)]):
                new = store._one(
                    """SELECT count(*) FROM incoming_facts i LEFT JOIN facts f USING (cik, tag, unit, period_end, days, accn)
                       WHERE f.cik IS NULL""")[0]
                con.execute(
                    f"""INSERT INTO facts ({', '.join(FACT_COLUMNS)}, source, imported_at)
                        SELECT {', '.join('i.' + c for c in FACT_COLUMNS)}, ?, ? FROM incoming_facts i
                        ON CONFLICT (cik, tag, unit, period_end, days, accn) DO UPDATE SET
                          value = excluded.value, filed = excluded.filed, concept = excluded.concept""",
                    [source, now])
        con.execute(
            """INSERT INTO sec_companies VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (ticker) DO UPDATE SET cik = excluded.cik, name = excluded.name, status = excluded.status,
                 message = excluded.message, facts = excluded.facts, last_filed = excluded.last_filed,
                 fetched_at = excluded.fetched_at""",
            [record.ticker, record.cik, record.name, record.status, record.message,
             0 if record.facts is None else len(record.facts), record.last_filed, now])
    return int(new)


def company_log(store: Store) -> pd.DataFrame:
    """The SEC fetch log: ticker, cik, name, status, message, facts, last_filed, fetched_at."""
    if not _has_tables(store):
        return pd.DataFrame(columns=["ticker", "cik", "name", "status", "message", "facts", "last_filed", "fetched_at"])
    return store.con.execute("SELECT * FROM sec_companies ORDER BY ticker").df()


def load_facts(store: Store, as_of: date, ciks: list[int] | None = None) -> pd.DataFrame:
    """Every stored fact filed on or before ``as_of`` (of ``ciks``, if given): FACT_COLUMNS."""
    if not _has_tables(store):
        return pd.DataFrame(columns=list(FACT_COLUMNS))
    sql = f"SELECT {', '.join(FACT_COLUMNS)} FROM facts WHERE filed <= ?"
    params: list = [as_of]
    if ciks is not None:
        store.con.register("wanted_ciks", pd.DataFrame({"cik": pd.Series(ciks, dtype="int64")}))
        sql += " AND cik IN (SELECT cik FROM wanted_ciks)"
    try:
        frame = store.con.execute(sql + " ORDER BY cik, concept, period_end, filed", params).df()
    finally:
        if ciks is not None:
            store.con.unregister("wanted_ciks")
    for col in ("period_end", "filed"):
        frame[col] = frame[col].astype("datetime64[us]")
    return frame
