"""CSV directory provider: every ``*.csv`` below a directory is one series named by its upper-case stem.

A file with ``date`` plus any of ``open,high,low,close,adj_close,volume`` is a price series; a file with
``date,value`` is a macro series. Folders holding other kinds of data (``text/``, ``constituents/``)
and files whose layout is plainly not a series (``IWM_dividends.csv``) are skipped and reported.
"""

from __future__ import annotations

import csv
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
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(source, f"not UTF-8 text (byte {exc.start}): {exc.reason}") from None
    if not text.strip():
        raise DataError(source, "empty file")
    header = next(csv.reader([text.splitlines()[0]]))
    kind = detect_kind(header, source)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=True)
    except pd.errors.ParserError as exc:
        raise DataError(source, f"malformed CSV: {exc}") from None
    frame.columns = [c.strip().lower() for c in frame.columns]
    lines = pd.Series(range(2, len(frame) + 2))
    canonical = validate(frame, kind, source, lines=lines)
    return SeriesData(series_id or path.stem.upper(), kind, canonical, f"csv:{path.resolve()}")


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
