"""Data coverage: which series the report stands on, how far they reach, and where they came from."""

from __future__ import annotations

import pandas as pd

from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import html_table, md_table

HEADERS = ("id", "kind", "first", "last", "rows", "days behind as-of", "source")


def build(ctx: ReportContext) -> Section:
    rows = []
    for info in ctx.store.status():
        last = info.last if info.last is None or info.last <= ctx.as_of else ctx.as_of
        behind = None if last is None else int((pd.Timestamp(ctx.as_of) - pd.Timestamp(last)).days)
        rows.append(
            {"id": info.id, "kind": info.kind, "first": info.first, "last": info.last, "rows": info.rows,
             "days_behind": behind, "source": info.source}
        )
    cells = [
        (r["id"], r["kind"], r["first"], r["last"], f"{r['rows']:,}", "" if r["days_behind"] is None else r["days_behind"], _short(r["source"]))
        for r in rows
    ]
    note = "Rows after the as-of date exist in the store but are not used by this report." if any(
        r["last"] and r["last"] > ctx.as_of for r in rows
    ) else ""
    html = html_table(HEADERS, cells) + (f"<p class='note'>{note}</p>" if note else "")
    return Section("coverage", "Data coverage", {"series": rows}, html, md_table(HEADERS, cells) + (f"\n\n{note}" if note else ""))


def _short(source: str) -> str:
    return source if len(source) <= 60 else "…" + source[-59:]
