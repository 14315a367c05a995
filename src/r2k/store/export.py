"""Export one stored series, as known at a date, to CSV or Parquet (``r2k data export``).

The columns are the stored ones (``date,open,high,low,close,adj_close,volume`` for prices, ``date,value``
for macro series), so the CSV re-imports with ``r2k data import`` to the same rows. The file is written
atomically (:mod:`r2k.outfile`): a failed export leaves no partial file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from r2k.errors import R2KError
from r2k.outfile import check_writable, write_atomic
from r2k.store.duck import Store

FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet"}


class ExportError(R2KError):
    """The export cannot be made (unknown series, unknown file format)."""


@dataclass(frozen=True)
class ExportResult:
    series_id: str
    kind: str
    path: Path
    format: str
    rows: int
    first: date | None
    last: date | None
    as_of: date | None  # None: every stored row (latest vintage of macro values)

    def to_dict(self) -> dict:
        return {"series_id": self.series_id, "kind": self.kind, "path": str(self.path), "format": self.format,
                "rows": self.rows, "first": self.first, "last": self.last, "as_of": self.as_of}


def export_format(path: Path) -> str:
    """The format a file name asks for (by its suffix), or a one-line error naming the accepted ones."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ExportError(f"--out {Path(path).name}: unknown file type {Path(path).suffix or '(no suffix)'!r}; "
                          f"use {' or '.join(FORMATS)}")
    return fmt


def export_frame(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write a canonical frame: ISO dates, empty cells for missing values, full float precision."""
    out = frame.copy()
    if fmt == "csv":
        out["date"] = out["date"].dt.strftime("%Y-%m-%d")
        vol = out["volume"] if "volume" in out else None
        if vol is not None and bool((vol.dropna() % 1 == 0).all()):
            out["volume"] = vol.astype("Int64")  # share counts as whole numbers, not 179800000.0

        def write(tmp: str) -> None:
            out.to_csv(tmp, index=False, na_rep="", lineterminator="\n")
    else:
        out["date"] = out["date"].dt.date

        def write(tmp: str) -> None:
            out.to_parquet(tmp, index=False)
    write_atomic(path, write)


def export_series(store: Store, series_id: str, path: Path, as_of: date | None = None) -> ExportResult:
    """Write ``series_id`` as known at ``as_of`` (every stored row when None) to ``path`` (.csv or .parquet)."""
    sid = series_id.upper()
    fmt = export_format(path)
    if not store.has(sid):
        raise ExportError(f"series {sid} is not in the store (see 'r2k data status')")
    path = check_writable(Path(path))
    frame = store.read(sid, as_of=as_of)
    export_frame(frame, path, fmt)
    dates = frame["date"]
    return ExportResult(sid, store.kind(sid), path, fmt, len(frame),
                        dates.iloc[0].date() if len(frame) else None, dates.iloc[-1].date() if len(frame) else None,
                        as_of)
