"""The financial outlook: rates and the Fed, inflation, the consumer, credit, sectors and valuation, as
point-in-time facts with numbers and arrows (r2k.outlook.financial)."""

from __future__ import annotations

from r2k.outlook.financial import VALUATION_NOTE
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.sections.outlook import outlook_of
from r2k.report.tables import md_table
from r2k.report.templating import render_section

HEADERS = ["area", "measure", "value", "3-month direction", "z-score", "latest data"]


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None or not o.financial:
        return None
    rows = [[r.area, r.measure, r.text_value(), f"{r.arrow} {r.direction}", "" if r.z != r.z else f"{r.z:+.2f}", str(r.released or "")]
            for r in o.financial]
    html = render_section("financial", rows=rows, headers=HEADERS, valuation=VALUATION_NOTE)
    md = "\n\n".join([md_table(HEADERS, rows), VALUATION_NOTE])
    return Section("financial", "Financial outlook", {"rows": [r.to_dict() for r in o.financial], "valuation": VALUATION_NOTE},
                   html, md, notes=("Arrows: the factor's z-score (trailing 10 years) moved by more than 0.25 over 63 trading "
                                    "days; sectors: 63-day return of the sector fund minus the index's.",))
