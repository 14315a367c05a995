"""CSV directory provider: every ``*.csv`` below a directory is one series named by its upper-case stem.

A file with ``date`` plus any of ``open,high,low,close,adj_close,volume`` is a price series; a file with
``date,value`` is a macro series. Folders holding other kinds of data (``text/``, ``constituents/``)
and files whose layout is plainly not a series (``IWM_dividends.csv``) are skipped and reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from r2k.errors import DataError
from r2k.providers.base import Provider, Query, Request, SeriesData
from r2k.schemas import detect_kind, validate

NOT_SERIES_DIRS = frozenset({"text", "constituents"})
NOT_SERIES_SUFFIXES = ("_dividends", "_holdings")


@dataclass(frozen=True)
class CsvFile:
    path: Path
    series_id: str


def series_files(root: Path) -> tuple[list[CsvFile], list[Path]]:
    """The series files below ``root`` and the CSV files skipped as other kinds of data."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(str(root), "not a directory")
    found: list[CsvFile] = []
    skipped: list[Path] = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue
        rel = path.relative_to(root)
        if any(part.lower() in NOT_SERIES_DIRS for part in rel.parts[:-1]) or path.stem.lower().endswith(
            NOT_SERIES_SUFFIXES
        ):
            skipped.append(path)
            continue
        found.append(CsvFile(path, path.stem.upper()))
    ids: dict[str, Path] = {}
    for f in found:
        if f.series_id in ids:
            raise DataError(str(f.path), f"series id {f.series_id} is also given by {ids[f.series_id]}")
        ids[f.series_id] = f.path
    return found, skipped


def read_series_csv(path: Path, series_id: str | None = None) -> SeriesData:
    """Read and validate one CSV file; errors name the file and the line."""
    source = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(source, f"not UTF-8 text (byte {exc.start}): {exc.reason}", row=line) from None
    if not text.strip():
        raise DataError(source, "empty file")
    header, rows, lines = _csv_rows(text, source)
    kind = detect_kind(header, source)
    frame = pd.DataFrame(rows, columns=[c.strip().lower() for c in header], dtype=str)
    canonical = validate(frame, kind, source, lines=pd.Series(lines))
    return SeriesData(series_id or path.stem.upper(), kind, canonical, f"csv:{path.resolve()}")


def _csv_rows(text: str, source: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows and each row's line number; blank lines are skipped (the numbers stay true) and
    a row with more or fewer fields than the header is an error, never a guess."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = row
            elif len(row) != len(header):
                raise DataError(source, f"malformed CSV: {len(row)} fields, the header has {len(header)}", row=reader.line_num)
            else:
                rows.append(row)
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise DataError(source, f"malformed CSV: {exc}", row=reader.line_num) from None
    return header or [], rows, lines


class CsvDirProvider(Provider):
    """Reads a directory of CSV files; ``query.ids`` empty means every series found."""

    name = "csv"

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def requests(self, query: Query) -> Sequence[Request]:
        files, _ = series_files(self.root)
        wanted = set(query.ids)
        return [Request(f.series_id, {"path": f.path}) for f in files if not wanted or f.series_id in wanted]

    def extract(self, request: Request) -> Path:
        return request.params["path"]

    def transform(self, raw: Path, request: Request) -> SeriesData:
        return read_series_csv(raw, request.series_id)
