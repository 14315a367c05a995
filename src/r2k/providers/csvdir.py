"""CSV directory provider: every ``*.csv`` below a directory is one series named by its upper-case stem.

A file with ``date`` plus any of ``open,high,low,close,adj_close,volume`` is a price series; a file with
``date,value`` is a macro series; common downloads (Yahoo Finance, FRED, Nasdaq, Stooq, ``date,<number>``)
are recognised by their header (:mod:`r2k.providers.layouts`). A file named by a provider symbol
(``^RUT.csv``) takes the catalog id (``RUT``). Folders holding other kinds of data (``text/``,
``constituents/``) and files whose layout is plainly not a series (``IWM_dividends.csv``) are skipped.
Files are read in chunks, so memory stays a small multiple of the parsed numbers, not of the text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.providers.base import Provider, Query, Request, SeriesData
from r2k.providers.layouts import Layout, SlashDates, detect_layout
from r2k.schemas import finish, parse

CHUNK_ROWS = 50_000
# ids end up in HTML, Markdown, file names and SQL parameters: keep them to a plain character set
SAFE_ID = re.compile(r"[A-Z0-9_\-.^=]+")

NOT_SERIES_DIRS = frozenset({"text", "constituents"})
NOT_SERIES_SUFFIXES = ("_dividends", "_holdings")


@dataclass(frozen=True)
class CsvFile:
    path: Path
    series_id: str

    @property
    def renamed(self) -> bool:
        """True when the id came from the registry (``^RUT.csv`` -> ``RUT``), not from the file name."""
        return self.series_id != self.path.stem.upper()


def series_id_for(path: Path) -> str:
    """The store id of a file: its upper-case stem, or the catalog id of a provider symbol (``^GSPC`` -> GSPC)."""
    from r2k.providers.registry import id_for_symbol

    stem = path.stem.strip().upper()
    if not SAFE_ID.fullmatch(stem):
        raise DataError(str(path), f"series id {stem!r} from the file name has characters other than letters, digits "
                        "and _ - . ^ =; rename the file")
    return id_for_symbol(stem) or stem


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
        found.append(CsvFile(path, series_id_for(path)))
    ids: dict[str, Path] = {}
    for f in found:
        if f.series_id in ids:
            raise DataError(str(f.path), f"series id {f.series_id} is also given by {ids[f.series_id]}")
        ids[f.series_id] = f.path
    return found, skipped


def read_series_csv(path: Path, series_id: str | None = None) -> SeriesData:
    """Read and validate one CSV file in chunks; errors name the file and the line."""
    source = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            layout, parsed, lines = _read_chunks(csv.reader(fh), source)
    except UnicodeDecodeError:
        raise _decode_error(path) from None
    named = path.stem.strip().upper()
    if layout.series is not None and layout.series.upper() != named:
        raise DataError(source, f"the header names the series {layout.series} but the file name says {named}: rename the "
                        f"file to {layout.series}.csv (or fix the header)", row=1)
    canonical = finish(pd.concat(parsed, ignore_index=True), layout.kind, source,
                       pd.Series(np.concatenate(lines)))
    return SeriesData(series_id or series_id_for(path), layout.kind, canonical, f"csv:{path.resolve()}")


def _decode_error(path: Path) -> DataError:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return DataError(str(path), f"not UTF-8 text (byte {exc.start}): {exc.reason}", row=line)
    return DataError(str(path), "not UTF-8 text")  # pragma: no cover - the stream decoder agreed with this one


def _read_chunks(reader: Iterator[list[str]], source: str) -> tuple[Layout, list[pd.DataFrame], list[np.ndarray]]:
    """Layout, parsed chunks and their line numbers. Blank lines are skipped (the numbers stay true); a row
    with more or fewer fields than the header is an error, never a guess."""
    layout: Layout | None = None
    header: list[str] = []
    dates: SlashDates | None = None
    parsed: list[pd.DataFrame] = []
    all_lines: list[np.ndarray] = []
    rows: list[list[str]] = []
    lines: list[int] = []

    def flush() -> None:
        nonlocal dates
        frame = layout.to_canonical(pd.DataFrame(rows, columns=header, dtype=str))
        at = pd.Series(lines)
        if dates is None:
            dates = SlashDates(source, layout.us_dates) if SlashDates.applies(frame["date"].iloc[0]) else False
        if dates:
            frame["date"] = dates.to_iso(frame["date"], at)
        parsed.append(parse(frame, layout.kind, source, at))
        all_lines.append(np.asarray(lines, dtype=np.int64))
        if len(parsed) > 1:  # identical rows collapse anyway: hold only distinct rows (at most ~146k days)
            merged = pd.concat(parsed, ignore_index=True)
            unique = ~merged.duplicated().to_numpy()
            parsed[:] = [merged[unique]]
            all_lines[:] = [np.concatenate(all_lines)[unique]]
        rows.clear()
        lines.clear()

    try:
        for row in reader:
            if not row or (not row[0].strip() and all(not cell.strip() for cell in row)):
                continue
            if layout is None:
                header = [cell.strip().lstrip("\ufeff").strip() for cell in row]  # once, for the layout and the frame
                layout = detect_layout(header, source)
            elif len(row) != len(header):
                raise DataError(source, f"malformed CSV: {len(row)} fields, the header has {len(header)}", row=reader.line_num)
            else:
                rows.append(row)
                lines.append(reader.line_num)
                if len(rows) >= CHUNK_ROWS:
                    flush()
    except csv.Error as exc:
        raise DataError(source, f"malformed CSV: {exc}", row=reader.line_num) from None
    if layout is None:
        raise DataError(source, "empty file")
    if rows:
        flush()
    if not parsed:
        raise DataError(source, "no data rows")
    if dates:
        dates.check()
    return layout, parsed, all_lines


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
