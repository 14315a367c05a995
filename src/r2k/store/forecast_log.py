"""The forecast log and its realised scores (tables of schema v2), as methods mixed into :class:`Store`.

The log records what was published: the first write of a (symbol, origin, horizon, model, model version)
stands, so writing the same forecast twice changes nothing, and a later run cannot rewrite history. The
one field that may be filled in later is ``ratings`` (null until an outlook is produced for that origin).
Scores are derived numbers: re-scoring writes only rows that are new or whose realised value changed
(a revised close).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from r2k.store.transaction import registered, transaction

KEY = ("symbol", "origin", "horizon", "model", "model_version")
LOG_COLUMNS = (*KEY, "target", "last_close", "mean", "p_up", "quantiles", "weights", "ratings", "source", "logged_at")
SCORE_COLUMNS = (*KEY, "y", "crps", "pit", "hit80", "hit90", "direction_hit", "scored_at")
SCORE_VALUES = ("y", "crps", "pit", "hit80", "hit90", "direction_hit")


@dataclass(frozen=True)
class LogWrite:
    """What one write to the forecast log or the score table did."""

    rows_new: int
    rows_changed: int
    rows_unchanged: int

    def to_dict(self) -> dict:
        return asdict(self)


def file_state(path: Path | str) -> tuple[int, int, int, int]:
    """A cheap token that changes whenever the store file (or its write-ahead log) changes: cache keys use it."""
    out: list[int] = []
    for p in (Path(path), Path(f"{path}.wal")):
        try:
            st = os.stat(p)
            out += [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            out += [0, 0]
    return tuple(out)  # type: ignore[return-value]


class ForecastLogMixin:
    """Forecast-log methods of :class:`r2k.store.Store` (which provides ``con``)."""

    con: duckdb.DuckDBPyConnection

    @contextmanager
    def _staged(self, name: str, frame: pd.DataFrame) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction with ``frame`` registered as table ``name``: committed on success, else rolled back."""
        with transaction(self) as con, registered(con, name, frame):  # type: ignore[arg-type] - self is a Store
            yield con

    def has_forecast_log(self) -> bool:
        """False for a store written by an older version and opened read-only (not migrated yet)."""
        rows = self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'forecast_log'").fetchall()
        return bool(rows[0][0])

    def log_forecasts(self, rows: pd.DataFrame, source: str, now: datetime) -> LogWrite:
        """Append forecast rows (columns: KEY, target, last_close, mean, p_up, quantiles, weights, ratings) in one
        transaction. Existing keys are left as they are, except that a null ``ratings`` is filled in."""
        if rows.empty:
            return LogWrite(0, 0, 0)
        incoming = rows.loc[:, list(LOG_COLUMNS[:-2])].copy()
        incoming["source"], incoming["logged_at"] = source, now
        key_join = " AND ".join(f"l.{k} = i.{k}" for k in KEY)
        with self._staged("incoming_log", incoming) as con:
            new, rated = con.execute(
                f"""SELECT count(*) FILTER (WHERE l.symbol IS NULL),
                           count(*) FILTER (WHERE l.symbol IS NOT NULL AND l.ratings IS NULL AND i.ratings IS NOT NULL)
                    FROM incoming_log i LEFT JOIN forecast_log l ON {key_join}""").fetchall()[0]
            if new:
                con.execute(f"""INSERT INTO forecast_log SELECT {', '.join('i.' + c for c in LOG_COLUMNS)}
                                FROM incoming_log i LEFT JOIN forecast_log l ON {key_join} WHERE l.symbol IS NULL""")
            if rated:
                con.execute(f"""UPDATE forecast_log l SET ratings = i.ratings FROM incoming_log i
                                WHERE {key_join} AND l.ratings IS NULL AND i.ratings IS NOT NULL""")
        return LogWrite(int(new), int(rated), len(incoming) - int(new) - int(rated))

    def forecast_log(self, symbol: str | None = None) -> pd.DataFrame:
        """Every logged forecast (newest origin first) with its realised score columns (null until scored)."""
        if not self.has_forecast_log():
            return pd.DataFrame(columns=[*LOG_COLUMNS, *SCORE_VALUES])
        where = "WHERE l.symbol = ?" if symbol else ""
        frame = self.con.execute(
            f"""SELECT l.*, {', '.join('s.' + c for c in SCORE_VALUES)} FROM forecast_log l
                LEFT JOIN forecast_scores s USING ({', '.join(KEY)}) {where}
                ORDER BY l.origin DESC, l.symbol, l.horizon, l.model, l.model_version""",
            [symbol.upper()] if symbol else []).df()
        for col in ("origin", "target"):
            frame[col] = frame[col].astype("datetime64[us]")
        return frame

    def write_scores(self, rows: pd.DataFrame, now: datetime) -> LogWrite:
        """Upsert realised scores (columns: KEY + SCORE_VALUES); identical rows are not touched."""
        if rows.empty:
            return LogWrite(0, 0, 0)
        incoming = rows.loc[:, [*KEY, *SCORE_VALUES]].copy()
        incoming["scored_at"] = now
        key_join = " AND ".join(f"s.{k} = i.{k}" for k in KEY)
        differs = " OR ".join(f"s.{v} IS DISTINCT FROM i.{v}" for v in SCORE_VALUES)
        with self._staged("incoming_scores", incoming) as con:
            new, changed = con.execute(
                f"""SELECT count(*) FILTER (WHERE s.symbol IS NULL), count(*) FILTER (WHERE s.symbol IS NOT NULL AND ({differs}))
                    FROM incoming_scores i LEFT JOIN forecast_scores s ON {key_join}""").fetchall()[0]
            if new or changed:
                updates = ", ".join(f"{v} = excluded.{v}" for v in (*SCORE_VALUES, "scored_at"))
                con.execute(f"""INSERT INTO forecast_scores SELECT {', '.join('i.' + c for c in SCORE_COLUMNS)}
                                FROM incoming_scores i LEFT JOIN forecast_scores s ON {key_join}
                                WHERE s.symbol IS NULL OR ({differs})
                                ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}""")
        return LogWrite(int(new), int(changed), len(incoming) - int(new) - int(changed))
