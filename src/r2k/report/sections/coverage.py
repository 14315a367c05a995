"""Data coverage: which series the report stands on, how far they reach as of its date, and their source."""

from __future__ import annotations

from html import escape

import pandas as pd

from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import html_table, md_table

HEADERS = ("id", "kind", "first", "last", "rows", "days behind as-of", "source")


def build(ctx: ReportContext) -> Section:
    """One row per stored series, counted as of ``ctx.as_of``: a series that starts later has no rows,
    and ``days_behind`` is measured from its last row on or before the as-of date (None when it has none)."""
    rows = []
    later = False
    for info in ctx.store.status():
        later = later or (info.last is not None and info.last > ctx.as_of)
        dates = ctx.frame(info.id)["date"]
        first = dates.iloc[0].date() if len(dates) else None
        last = dates.iloc[-1].date() if len(dates) else None
        behind = None if last is None else int((pd.Timestamp(ctx.as_of) - pd.Timestamp(last)).days)
        rows.append(
            {"id": info.id, "kind": info.kind, "first": first, "last": last, "rows": len(dates),
             "days_behind": behind, "source": info.source}
        )
    cells = [
        (r["id"], r["kind"], r["first"] or "", r["last"] or "", f"{r['rows']:,}",
         "" if r["days_behind"] is None else r["days_behind"], _short(r["source"]))
        for r in rows
    ]
    note = "Rows after the as-of date exist in the store but are not used by this report." if later else ""
    html = html_table(HEADERS, cells) + (f"<p class='note'>{escape(note)}</p>" if note else "")
    return Section("coverage", "Data coverage", {"series": rows}, html, md_table(HEADERS, cells) + (f"\n\n{note}" if note else ""))


def _short(source: str) -> str:
    return source if len(source) <= 60 else "…" + source[-59:]
