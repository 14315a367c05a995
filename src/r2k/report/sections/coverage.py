"""Data coverage: which series the report stands on (name and id), how far they reach as of its date, how fresh
they are against their expected cadence, and where they came from (the provider or file name, never a machine's
path)."""

from __future__ import annotations

from r2k.analytics.sectors import SECTOR_NAMES
from r2k.macro.catalog import SERIES
from r2k.macro.freshness import DAILY_GRACE_SESSIONS, freshness
from r2k.providers.registry import source_label
from r2k.report import blocks as B
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.words import INDEX_NAMES

HEADERS = ("series", "id", "kind", "first", "last", "rows", "age (days)", "cadence", "fresh?", "source")
OTHER_NAMES = {"VIX": "CBOE VIX", "USREC": "NBER recession indicator", "PCEPILFE": "Core PCE price index"}


def series_title(series_id: str) -> str:
    """The human name of a stored series: an index, a sector fund, a catalogued macro series; "" when unknown."""
    if series_id in INDEX_NAMES:
        return INDEX_NAMES[series_id]
    if series_id in SECTOR_NAMES:
        return f"{SECTOR_NAMES[series_id]} sector fund"
    if series_id in SERIES:
        return SERIES[series_id].title
    return OTHER_NAMES.get(series_id, "")


def build(ctx: ReportContext) -> Section:
    """One row per stored series, counted as of ``ctx.as_of``: a series that starts later has no rows, and
    ``days_behind`` (the age) is measured from its last row on or before the as-of date (None when it has none).
    ``stale``: its next value was due by the as-of date (cadence + release lag) and is not in the store."""
    stored = ctx.store.status()
    later = any(i.last is not None and i.last > ctx.as_of for i in stored)
    infos = ctx.store.status(ctx.as_of)
    fresh = {f.id: f for f in freshness(infos, ctx.as_of)}
    rows = []
    for info in infos:
        f = fresh[info.id]
        rows.append({"id": info.id, "name": series_title(info.id), "kind": info.kind, "first": info.first,
                     "last": info.last, "rows": info.rows, "days_behind": f.age_days, "cadence": f.cadence_text,
                     "expected_by": f.expected_by, "stale": f.stale, "source": source_label(info.source)})
    cells = [
        (r["name"] or r["id"], r["id"], r["kind"], r["first"] or "", r["last"] or "", f"{r['rows']:,}",
         "" if r["days_behind"] is None else f"{r['days_behind']:,}", r["cadence"],
         "STALE" if r["stale"] else ("no data yet" if r["last"] is None else "yes"), r["source"])
        for r in rows
    ]
    stale = [r for r in rows if r["stale"]]
    notes = [f"{len(stale)} of {len(rows)} series are stale at {ctx.as_of}: their next value was due by then "
             f"(daily series within {DAILY_GRACE_SESSIONS} trading days; weekly, monthly and quarterly series after "
             "their cadence plus the usual release lag and a few days) and is not in the store"
             + (": " + ", ".join(r["name"] or r["id"] for r in stale) + "." if stale else ".")]
    if later:
        notes.append("Rows after the as-of date exist in the store but are not used by this report.")
    blocks = [B.Table.of(HEADERS, cells), *(B.Paragraph(n, css="note") for n in notes)]
    return Section.of("coverage", "Data coverage", {"series": rows, "stale": [r["id"] for r in stale]}, blocks)
