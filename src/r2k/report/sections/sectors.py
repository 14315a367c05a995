"""Sectors: relative strength of the sector funds against the index and each other, with their data age."""

from __future__ import annotations

from r2k.analytics.sectors import SECTOR_SYMBOLS, SectorsResult, sector_strength
from r2k.report import blocks as B
from r2k.report.context import ReportContext
from r2k.report.heatmap import Heat
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num

SCALE = {"1m": 0.05, "3m": 0.08, "6m": 0.12, "12m": 0.15}  # full colour at these relative returns
PERIOD_WORDS = {"1m": "1 month", "3m": "3 months", "6m": "6 months", "12m": "12 months"}


def _heat(v: float, p: str) -> object:
    return "n/a" if v != v else Heat(f"{100 * v:+.1f}", v, SCALE.get(p, 0.1))


def _rows(r: SectorsResult) -> tuple[list[str], list[list[object]]]:
    idx = INDEX_NAMES.get(r.index, r.index)
    head = ["sector (fund)"] + [f"{p} vs index" for p in r.periods] + [f"{p} vs sectors" for p in r.periods] \
        + ["rank (3m)", "last close", "on", "data age, trading days"]
    rows = []
    for s in r.rows:
        age = f"{s.age_trading_days} (stale)" if s.stale else str(s.age_trading_days)
        rank = s.rank.get("3m")
        rows.append([f"{s.name} ({s.symbol})"] + [_heat(s.vs_index[p], p) for p in r.periods]
                    + [_heat(s.vs_sectors[p], p) for p in r.periods]
                    + ["n/a" if rank is None else f"{rank} of {len(r.rows)}", fmt_num(s.last_close), str(s.last_date), age])
    return head, rows


def _stale_text(r: SectorsResult) -> str:
    stale = r.stale
    if not stale:
        return f"Every sector fund has a close within {r.stale_threshold} trading days of {r.as_of}."
    ends = sorted({s.last_date for s in stale})
    when = f"on {ends[0]}" if len(ends) == 1 else f"between {ends[0]} and {ends[-1]}"
    oldest = max(s.age_trading_days for s in stale)
    who = "All sector funds'" if len(stale) == len(r.rows) else f"{len(stale)} of the {len(r.rows)} sector funds'"
    return (f"{who} data end {when}, up to {oldest} trading days before the report date ({r.as_of}). Their figures "
            f"describe the periods up to each fund's own last close, with the index measured over the same dates: they "
            f"are not current.")


def build(ctx: ReportContext) -> Section | None:
    sectors = {s: ctx.series(s) for s in SECTOR_SYMBOLS if ctx.has(s)}
    close = ctx.series_if_any(ctx.symbol)
    if not sectors or close is None:
        return None
    r = sector_strength(close, sectors, ctx.as_of, ctx.symbol)
    if not r.rows:
        return None
    head, rows = _rows(r)
    idx = INDEX_NAMES.get(r.index, r.index)
    method = (f"Relative strength, %: the change of the fund / {idx} price ratio over the period (vs index), and of the "
              f"fund against the equal-weight average of the sector funds (vs sectors); green: the sector did better; "
              f"rank 1 = strongest over 3 months. Data age: {idx} sessions after the fund's last close. "
              f"Price returns, without dividends. Sorted by 3-month strength against the {idx}.")
    stale = _stale_text(r)
    blocks = [B.Paragraph(stale, strong=bool(r.stale)), B.Table.of(head, rows, css="data heatmap"),
              B.Paragraph(method, css="note")]
    return Section.of("sectors", f"Sectors against the {idx}", r.to_dict(), blocks)
