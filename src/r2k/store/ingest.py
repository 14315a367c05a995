"""Importing a CSV directory into the store: read and validate everything first, then write atomically."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from r2k.providers.base import Query
from r2k.providers.csvdir import CsvDirProvider, series_files
from r2k.store.duck import ImportSummary, Store


def import_directory(
    store: Store,
    root: Path | str,
    now: datetime,
    on_file: Callable[[str], None] | None = None,
    replace: bool = False,
) -> tuple[ImportSummary, list[Path]]:
    """Import every series CSV below ``root``; returns the summary and the CSV files skipped.

    A bad file raises :class:`~r2k.errors.DataError` before anything is written. Each file is a whole
    series: stored dates a file no longer has (deleted or blanked rows) are counted, and deleted with
    ``replace``.
    """
    provider = CsvDirProvider(root)
    items = []
    for item in provider.iter_fetch(Query(ids=(), end=date.max)):
        items.append(item)
        if on_file:
            on_file(item.id)
    _, skipped = series_files(Path(root))
    summary = store.write(items, f"csv:{Path(root).resolve()}", now, complete=True, replace=replace)
    return summary, skipped
