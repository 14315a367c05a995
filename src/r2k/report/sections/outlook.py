"""The first screen: the two ratings with what they rest on, the key numbers, the key points, and the
seed's rating table (category rows shown as not yet available until constituent ratings exist)."""

from __future__ import annotations

from r2k.errors import R2KError
from r2k.outlook import Outlook, build_outlook
from r2k.outlook.build import PERIODS
from r2k.outlook.source import LONG, MEDIUM, MODEL_LABELS, SHORT
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct, humanise, md_table, md_text
from r2k.report.templating import render_section

PERIOD_NAMES = {"1w": "1 week", "1m": "1 month", "ytd": "year to date", "1y": "1 year"}


def outlook_of(ctx: ReportContext) -> Outlook | None:
    """The outlook shared by the outlook, scenario and model sections (built once per report)."""
    def build() -> Outlook | None:
        try:
            return build_outlook(ctx.snapshot, track="report", n_jobs=2)
        except R2KError:
            return None
    return ctx.memo("outlook", build)


def key_numbers(o: Outlook) -> list[tuple[str, str]]:
    f = o.facts
    rows = [("Close", f"{fmt_num(f['close'])} on {f['date']}")]
    for k in PERIODS:
        r = f["returns"][k]
        rows.append((f"Return, {PERIOD_NAMES[k]}", f"{fmt_pct(r['index'])} (S&P 500 {fmt_pct(r['benchmark'])})"))
    dd = f["drawdown"]
    rows.append(("Drawdown", "at a record close" if dd["current"] >= 0 else
                 f"{fmt_pct(dd['current'])} from the record {fmt_num(dd['record_close'])} ({dd['record_date']})"))
    ch = f["channel"]
    rows.append(("Primary channel", f"{ch['position']}: top {fmt_num(ch['top'], 0)} ({fmt_pct(ch['top'] / f['close'] - 1)}), "
                                    f"bottom {fmt_num(ch['bottom'], 0)} ({fmt_pct(ch['bottom'] / f['close'] - 1)})"))
    v = f["volatility"]
    rows.append(("Volatility regime", f"{v['regime']}: 20-day {100 * v['realized_20d']:.1f}% a year, percentile {100 * v['percentile']:.0f}"))
    if f["cycle"]:
        rows.append(("Cycle phase", f"{f['cycle']['phase']} (month-end {f['cycle']['date']})"))
    for h, label in ((SHORT, "4 weeks"), (LONG, "52 weeks")):
        r = f["range"][str(h)]
        rows.append((f"P(up), {label}", f"{r['p_up']:.2f}"))
        rows.append((f"5–95% range, {label}", f"{fmt_num(r['q05'], 0)} – {fmt_num(r['q95'], 0)}"))
    return rows


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None:
        return None
    numbers = key_numbers(o)
    names = {o.symbol: INDEX_NAMES.get(o.symbol, o.symbol)}
    points = [(humanise(k.text, names), k.section) for k in o.key_points]
    html = render_section("outlook", o=o, short=o.ratings[SHORT], long=o.ratings[LONG], medium=o.ratings[MEDIUM],
                          numbers=numbers, caveat=o.caveats["p_up_long"], points=points,
                          model_name=MODEL_LABELS.get(o.model, o.model))
    md = [f"**Short-term rating (4 weeks): {o.short.label}** — {o.short.rests_on()}.",
          f"**Long-term rating (52 weeks): {o.long.label}** — {o.long.rests_on()}.",
          f"2-week rating: {o.ratings[MEDIUM].label}.",
          md_table(["measure", "value"], numbers), f"_{o.caveats['p_up_long']}_", "### Key points",
          "\n".join(f"- {md_text(text)} ([evidence](#{section}))" for text, section in points)]
    md += ["### Rating table", md_table(["category", "short-term", "long-term", "basis"],
                                                 [[r.category, r.short_term or "not yet available", r.long_term or "not yet available", r.basis]
                                                  for r in o.table])]
    facts = {k: v for k, v in o.to_dict().items() if k not in ("track_record", "scores")}
    return Section("outlook", f"{INDEX_NAMES.get(o.symbol, o.symbol)} outlook", facts, html, "\n\n".join(md))
