"""Macro and cycle: the factor z-score heat table, the cycle phase shaded over the index, sentiment if stored."""

from __future__ import annotations

from html import escape

import pandas as pd

from r2k.calendar.nber import usrec_as_of
from r2k.features.analysis import CycleReport, cycle_report, factor_dashboard
from r2k.macro.factors import FactorDashboard
from r2k.report.charts import COLORS, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_num, fmt_pct, html_table, md_table

PHASE_COLORS = {"early": "#a5d6a7", "mid": "#e0e0e0", "late": "#ffe082", "recession": "#ef9a9a"}
SENTIMENT_PREFIX = "SENT_"


def _heat(z: float) -> str:
    """Inline background colour for a z-score: blue below 0, red above, white at 0 (saturating at |z| = 2.5)."""
    if z != z:
        return "background:#f5f5f5"
    a = min(abs(z) / 2.5, 1.0)
    r, g, b = (255, int(255 - 140 * a), int(255 - 140 * a)) if z > 0 else (int(255 - 140 * a), int(255 - 110 * a), 255)
    return f"background:rgb({r},{g},{b})"


def _heat_table(d: FactorDashboard) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("concept", "factor", "value", "z", "direction", "obs", "released"))
    body = []
    for concept, rs in d.by_concept().items():
        for i, r in enumerate(rs):
            first = f"<td><b>{escape(concept)}</b></td>" if i == 0 else "<td></td>"
            body.append(f"<tr>{first}<td title=\"{escape(r.description)}\">{escape(r.name)}</td>"
                        f"<td>{fmt_num(r.value, 3)}</td><td style=\"{_heat(r.z)}\">{fmt_num(r.z, 2)}</td>"
                        f"<td>{r.direction}</td><td>{r.obs_date or 'n/a'}</td><td>{r.released or 'n/a'}</td></tr>")
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _phase_chart(ctx: ReportContext, cycle: CycleReport) -> str:
    closes = ctx.series(ctx.symbol)
    phases = cycle.history["phase"]
    phases = phases[phases.index >= closes.index[0] - pd.Timedelta(days=31)]
    fig, ax = new_figure()
    ax.plot(closes.index, closes.to_numpy(), color=COLORS["index"], lw=0.9, label=ctx.symbol)
    # each month-end phase colours the month that follows it (it is known at that close)
    edges = list(phases.index) + [closes.index[-1]]
    for (start, phase), end in zip(phases.items(), edges[1:]):
        ax.axvspan(start, end, color=PHASE_COLORS[phase], alpha=0.55, lw=0)
    if ctx.has("USREC"):  # NBER recessions as a dark strip at the bottom, for comparison only
        rec = usrec_as_of(ctx.series("USREC"), ctx.as_of)  # as NBER had announced it by the as-of date
        for d in rec.index[rec.to_numpy() > 0]:
            if d >= closes.index[0]:
                ax.axvspan(d, d + pd.offsets.MonthBegin(1), ymin=0, ymax=0.04, color="#424242", lw=0)
        ax.fill_between([], [], color="#424242", label="NBER recession")
    for phase, colour in PHASE_COLORS.items():
        ax.fill_between([], [], color=colour, label=phase)
    ax.set_yscale("log")
    ax.set_ylabel("close (log scale)")
    ax.legend(loc="upper left", frameon=False, ncol=6)
    ax.set_title(f"{ctx.symbol} with the point-in-time cycle phase (month-end calls)")
    return to_svg(fig)


def _sentiment_chart(ctx: ReportContext) -> tuple[str, list[str]]:
    """The decayed daily mean score of each stored scorer (SENT_<SCORER>_MEAN); counts and shares stay in JSON."""
    ids = [s.id for s in ctx.store.status()
           if s.id.startswith(SENTIMENT_PREFIX) and s.id.endswith("_MEAN") and s.kind == "macro"]
    ids = [i for i in ids if ctx.has(i)]
    if not ids:
        return "", []
    fig, ax = new_figure(height=2.8)
    last = None
    for sid in ids:
        values = ctx.series(sid)
        ax.plot(values.index, values.to_numpy(), lw=0.8, label=sid)
        last = values.index[-1] if last is None else max(last, values.index[-1])
    ax.axhline(0, color="#777", lw=0.6)
    ax.legend(loc="upper left", frameon=False)
    ax.set_ylabel("decayed mean score")
    ax.set_title(f"Daily news sentiment index (headline feed ends {last.date()})")
    return to_svg(fig), ids


def build(ctx: ReportContext) -> Section | None:
    if not ctx.has("T10Y2Y"):
        return None
    dash = ctx.memo("factor_dashboard", lambda: factor_dashboard(ctx.store, ctx.as_of))  # shared with the outlook
    cycle = cycle_report(ctx.store, ctx.as_of, symbol=ctx.symbol, with_history=ctx.has(ctx.symbol))
    cur = cycle.current
    facts: dict = {
        "as_of": dash.as_of, "phase": cur.phase, "phase_date": cur.date, "recession_score": cur.recession_score,
        "early_score": cur.early_score, "late_score": cur.late_score,
        "rules_fired": [e.rule for e in cur.evidence if e.fired],
        "concept_z": dash.concept_z(),
        "factors": {r.name: {"value": r.value, "z": r.z, "direction": r.direction, "released": r.released}
                    for r in dash.readings},
    }
    if cycle.validation is not None:
        facts["nber_validation"] = cycle.validation.to_dict()
    fired = ", ".join(facts["rules_fired"]) or "none"
    text = (f"Cycle phase on {cur.date}: {cur.phase} (recession signals {cur.recession_score}/4, early "
            f"{cur.early_score}/4, late {cur.late_score}/4; rules fired: {fired}). Factor z-scores are over a "
            f"trailing 10 years, using only values released by {dash.as_of}.")
    html = [f"<p>{escape(text)}</p>", _heat_table(dash)]
    md = [text, "", md_table(["concept", "factor", "value", "z", "direction", "released"],
                             [[r.concept, r.name, fmt_num(r.value, 3), fmt_num(r.z, 2), r.direction, r.released]
                              for r in dash.readings])]
    notes = ["Macro values are FRED's revised values placed at conservative release dates, not real-time vintages."]
    if ctx.has(ctx.symbol):
        html.append(_phase_chart(ctx, cycle))
    if cycle.validation is not None:
        def lead(x: int | None) -> str:
            return "n/a" if x is None else f"{x:+d}"

        rows = [[r.start, r.end, r.first_call or "not called", lead(r.lead_months), r.sustained_call or "n/a",
                 lead(r.sustained_lead_months)] for r in cycle.validation.recessions]
        headers = ["NBER start", "NBER end", "first recession call", "months vs start", "first call held 2+ months",
                   "months vs start"]
        alarms = f"False alarms (outside recessions +/- {cycle.validation.tolerance} months): " \
                 f"{len(cycle.validation.false_alarms)} episodes, {cycle.validation.false_alarm_months} months."
        html += [html_table(headers, rows), f"<p>{escape(alarms)}</p>"]
        md += ["", md_table(headers, rows), "", alarms]
    if cycle.returns is not None:
        t = cycle.returns.table
        phases = [p for p in dict.fromkeys(t.index.get_level_values(0)) if t.loc[(p, "ret_1m"), "n"] > 0]
        facts["ret_1m_mean_by_phase"] = {p: float(t.loc[(p, "ret_1m"), "mean"]) for p in phases}
        facts["vol_1m_mean_by_phase"] = {p: float(t.loc[(p, "vol_1m"), "mean"]) for p in phases}
        facts["phase_tests"] = [x.to_dict() for x in cycle.returns.tests if x.name.startswith("Kruskal")]
        headers = ["phase", "months", "mean 1m log return", "mean 3m", "mean 12m", "next-month vol"]
        rows = [[p, int(t.loc[(p, "ret_1m"), "n"])]
                + [fmt_pct(t.loc[(p, m), "mean"]) for m in ("ret_1m", "ret_3m", "ret_12m")]
                + [f"{100 * t.loc[(p, 'vol_1m'), 'mean']:.1f}%"] for p in phases]
        tests = " ".join(x.verdict() + "." for x in cycle.returns.tests if x.name.startswith("Kruskal"))
        html += [html_table(headers, rows), f"<p>{escape(tests)}</p>"]
        md += ["", md_table(headers, rows), "", tests]
    chart, ids = _sentiment_chart(ctx)
    if ids:
        facts["sentiment_series"] = ids
        html.append(chart)
    return Section("macro", "Macro and cycle", facts, "".join(html), "\n".join(md), tuple(notes))
