"""Importing a CSV directory into the store: read and validate everything first, then write atomically."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from r2k.errors import DataError
from r2k.providers.base import Query, SeriesData
from r2k.providers.csvdir import CsvDirProvider, series_files
from r2k.store.duck import ImportSummary, Store


def import_directory(
    store: Store,
    root: Path | str,
    now: datetime,
    on_file: Callable[[str], None] | None = None,
    replace: bool = False,
    not_after: date | None = None,
) -> tuple[ImportSummary, list[Path]]:
    """Import every series CSV below ``root``; returns the summary and the CSV files skipped.

    A bad file raises :class:`~r2k.errors.DataError` before anything is written. Each file is a whole
    series: stored dates a file no longer has (deleted or blanked rows) are counted, and deleted with
    ``replace``. ``not_after`` (the CLI passes the day of the import) refuses a price dated after it: a close
    dated 2030 would become every command's last close. Macro files may run ahead (projections).
    """
    provider = CsvDirProvider(root)
    items = []
    for item in provider.iter_fetch(Query(ids=(), end=date.max)):
        if not_after is not None:
            _no_future_close(item, not_after)
        items.append(item)
        if on_file:
            on_file(item.id)
    _, skipped = series_files(Path(root))
    summary = store.write(items, f"csv:{Path(root).resolve()}", now, complete=True, replace=replace)
    return summary, skipped


def _no_future_close(item: SeriesData, day: date) -> None:
    if item.kind != "price":
        return
    late = item.frame["date"][item.frame["date"] > pd.Timestamp(day)]
    if len(late):
        raise DataError(item.source.removeprefix("csv:"), f"a close dated {late.iloc[0].date()} is after the day of the "
                        f"import ({day}); a close cannot be dated in the future")
