"""The financial outlook: rates and the Fed, inflation, the consumer, credit, sectors and valuation, as a short
paragraph per area (r2k.outlook.financial_text, each sentence with its number) next to the point-in-time table
(r2k.outlook.financial); a value past its expected release reads "stale since …", never an arrow."""

from __future__ import annotations

from r2k.outlook.financial_text import area_texts
from r2k.report import blocks as B
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.sections.outlook import outlook_of
from r2k.words import num

HEADERS = ("area", "measure", "value", "3-month direction", "z-score", "released")
NOTES = ("Direction: the factor's z-score (trailing 10 years) moved by more than 0.25 over 63 trading days; sectors: "
         "63-day return of the sector fund minus the index's. A value whose next release was due by the report's date "
         "and is not in the store is stale: it is shown with the date it went stale, not with an arrow.",)


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None or not o.financial:
        return None
    rows = [[r.area, r.label or r.measure, r.text_value(), r.trend(), num(r.z, 1, True), str(r.released or "")]
            for r in o.financial]
    texts = area_texts(o.financial)
    prose = tuple(B.Paragraph(t.text, lead=f"{t.area}.") for t in texts)
    blocks = [B.Side(prose, (B.Table.of(HEADERS, rows),))]
    facts = {"rows": [r.to_dict() for r in o.financial], "text": [t.to_dict() for t in texts],
             "stale": [r.measure for r in o.financial if r.stale_since is not None]}
    return Section.of("financial", "Financial outlook", facts, blocks, NOTES)
