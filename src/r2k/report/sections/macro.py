"""Macro and cycle: the factor z-score heat table, the cycle phase shaded over the index, sentiment if stored."""

from __future__ import annotations

import pandas as pd
from matplotlib.patches import Patch

from r2k.calendar.nber import usrec_as_of
from r2k.features.analysis import CycleReport, cycle_report, factor_dashboard
from r2k.macro.catalog import CONCEPT_NAMES
from r2k.macro.factors import FactorDashboard
from r2k.report import blocks as B
from r2k.report.charts import COLORS, legend_below, log_price_axis, new_figure, plain_number, spans, tag_right, to_svg, weekly
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.render import INDEX_NAMES
from r2k.report.tables import fmt_num, fmt_pct, humanise

PHASE_COLORS = {"early": "#a5d6a7", "mid": "#e0e0e0", "late": "#ffe082", "recession": "#ef9a9a"}
PHASE_NAMES = {"early": "early expansion", "mid": "mid-cycle", "late": "late cycle", "recession": "recession"}
SENTIMENT_PREFIX = "SENT_"
SCORER_NAMES = {"lm": "Loughran–McDonald", "vader": "VADER", "embedding": "sentence-embedding",
                "finetuned": "fine-tuned MiniLM"}
PHASE_MEASURES = {"ret_1m": "the 1-month return", "ret_3m": "the 3-month return", "ret_12m": "the 12-month return",
                  "vol_1m": "next-month volatility"}
FACTOR_FACTS = ("label", "value", "unit", "display", "z", "direction", "obs_date", "released", "age_days", "stale")
FACTOR_HEADERS = ("concept", "factor", "value", "z", "direction", "observed", "released", "age (days)", "stale")


def _heat(z: float) -> str:
    """The background for a z-score: blue below 0, red above, white at 0 (saturating at |z| = 2.5)."""
    if z != z:
        return "#f5f5f5"
    a = min(abs(z) / 2.5, 1.0)
    r, g, b = (255, int(255 - 140 * a), int(255 - 140 * a)) if z > 0 else (int(255 - 140 * a), int(255 - 110 * a), 255)
    return f"rgb({r},{g},{b})"


def _factor_table(d: FactorDashboard) -> B.Table:
    """Factor rows by concept: human label, value with its unit, z-score (shaded), direction or "stale since …",
    observation and release dates, and a plain STALE flag when the next value was due by the as-of date and is missing."""
    rows = []
    for concept, rs in d.by_concept().items():
        rows += [[CONCEPT_NAMES.get(concept, concept) if i == 0 else "", r.label, r.display(),
                  B.Shaded(fmt_num(r.z, 2), _heat(r.z)), f"stale since {r.stale_since}" if r.stale else r.direction,
                  r.obs_date or "n/a", r.released or "n/a", "" if r.age_days is None else r.age_days,
                  "STALE" if r.stale else ""] for i, r in enumerate(rs)]
    return B.Table.of(FACTOR_HEADERS, rows)


def _phase_chart(ctx: ReportContext, cycle: CycleReport) -> str:
    """Weekly closes over the phase called at each month-end, consecutive months of one phase merged into one band."""
    name = INDEX_NAMES.get(ctx.symbol, ctx.symbol)
    closes = ctx.series(ctx.symbol)
    phases = cycle.history["phase"]
    phases = phases[phases.index >= closes.index[0] - pd.Timedelta(days=31)]
    fig, ax = new_figure(3.4)
    ax.set_title(f"{name} and the business-cycle phase called each month-end")
    w = weekly(closes)
    ax.plot(w.index, w.to_numpy(), color=COLORS["index"], lw=0.9, label=f"{name} (weekly closes)")
    # each month-end phase colours the month that follows it (it is known at that close)
    for start, end, phase in spans(phases, closes.index[-1]):
        ax.axvspan(max(start, closes.index[0]), end, color=PHASE_COLORS[phase], alpha=0.55, lw=0)
    handles = [Patch(color=colour, alpha=0.55, label=PHASE_NAMES[phase]) for phase, colour in PHASE_COLORS.items()]
    if ctx.has("USREC"):  # NBER recessions as a dark strip at the bottom, for comparison only
        rec = usrec_as_of(ctx.series("USREC"), ctx.as_of)  # as NBER had announced it by the as-of date
        rec = rec[rec.index >= closes.index[0] - pd.Timedelta(days=31)]
        for start, end, flag in spans(rec > 0, rec.index[-1] + pd.offsets.MonthBegin(1)) if len(rec) else []:
            if flag:
                ax.axvspan(max(start, closes.index[0]), end, ymin=0, ymax=0.04, color="#424242", lw=0)
        handles.append(Patch(color="#424242", label="NBER recession (as announced by then)"))
    ax.margins(x=0.01)
    log_price_axis(ax)
    legend_below(fig, handles=[*ax.get_lines()[:1], *handles])
    tag_right(ax, [(float(closes.iloc[-1]), plain_number(float(closes.iloc[-1])), COLORS["index"])])
    return to_svg(fig)


def sentiment_name(series_id: str) -> str:
    """'SENT_LM_MEAN' -> 'Loughran–McDonald headline sentiment'."""
    scorer = series_id.removeprefix(SENTIMENT_PREFIX).removesuffix("_MEAN").lower()
    return f"{SCORER_NAMES.get(scorer, scorer)} headline sentiment"


def _sentiment_chart(ctx: ReportContext) -> tuple[str, list[str]]:
    """The decayed daily mean score of each stored scorer (SENT_<SCORER>_MEAN), weekly; counts and shares
    stay in JSON."""
    ids = [s.id for s in ctx.store.status()
           if s.id.startswith(SENTIMENT_PREFIX) and s.id.endswith("_MEAN") and s.kind == "macro"]
    ids = [i for i in ids if ctx.has(i)]
    if not ids:
        return "", []
    fig, ax = new_figure(2.8)
    last = None
    for sid in ids:
        values = ctx.series(sid)
        w = weekly(values)
        ax.plot(w.index, w.to_numpy(), lw=0.9, label=sentiment_name(sid))
        last = values.index[-1] if last is None else max(last, values.index[-1])
    ax.axhline(0, color="#777", lw=0.6)
    ax.margins(x=0.01)
    ax.set_ylabel("decayed daily mean score")
    legend_below(fig)
    ax.set_title(f"News headline sentiment, weekly (the feed ends {last.date()})")
    return to_svg(fig), ids


def build(ctx: ReportContext) -> Section | None:
    if not ctx.has("T10Y2Y"):
        return None
    dash = factor_dashboard(ctx.snapshot)  # shared with the outlook
    cycle = cycle_report(ctx.snapshot, with_history=ctx.has(ctx.symbol))
    cur = cycle.current
    facts: dict = {
        "as_of": dash.as_of, "phase": cur.phase, "phase_date": cur.date, "recession_score": cur.recession_score,
        "early_score": cur.early_score, "late_score": cur.late_score,
        "rules_fired": [e.rule for e in cur.evidence if e.fired],
        "concept_z": dash.concept_z(),
        # values as fractions (0.0421 = 4.21%) with their unit, as `r2k factors --json`
        "factors": {r.name: {k: v for k, v in r.to_dict().items() if k in FACTOR_FACTS} for r in dash.readings},
    }
    if cycle.validation is not None:
        facts["nber_validation"] = cycle.validation.to_dict()
    fired = "; ".join(e.text for e in cur.evidence if e.fired) or "none"
    stale = f" {len(dash.stale())} of {len(dash.readings)} factors are stale (marked below)." if dash.stale() else ""
    text = (f"Business-cycle phase at the month-end {cur.date}: {PHASE_NAMES.get(cur.phase, cur.phase)} (recession "
            f"signals {cur.recession_score} of 4, early-expansion {cur.early_score} of 4, late-cycle {cur.late_score} of 4; "
            f"signals that fired: {fired}). Factor z-scores are over a "
            f"trailing 10 years, using only values released by {dash.as_of}.{stale}")
    blocks: list[B.Block] = [B.Paragraph(text), _factor_table(dash)]
    notes = ["Macro values are FRED's revised values placed at conservative release dates, not real-time vintages."]
    if ctx.has(ctx.symbol):
        blocks.append(B.Figure(_phase_chart(ctx, cycle)))
    if cycle.validation is not None:
        def lead(x: int | None) -> str:
            return "n/a" if x is None else f"{x:+d}"

        rows = [[r.start, r.end, r.first_call or "not called", lead(r.lead_months), r.sustained_call or "n/a",
                 lead(r.sustained_lead_months)] for r in cycle.validation.recessions]
        headers = ["NBER start", "NBER end", "first recession call", "months vs start", "first call held 2+ months",
                   "months vs start"]
        alarms = f"False alarms (outside recessions +/- {cycle.validation.tolerance} months): " \
                 f"{len(cycle.validation.false_alarms)} episodes, {cycle.validation.false_alarm_months} months."
        blocks += [B.Table.of(headers, rows), B.Paragraph(alarms)]
    if cycle.returns is not None:
        t = cycle.returns.table
        phases = [p for p in dict.fromkeys(t.index.get_level_values(0)) if t.loc[(p, "ret_1m"), "n"] > 0]
        facts["ret_1m_mean_by_phase"] = {p: float(t.loc[(p, "ret_1m"), "mean"]) for p in phases}
        facts["vol_1m_mean_by_phase"] = {p: float(t.loc[(p, "vol_1m"), "mean"]) for p in phases}
        facts["phase_tests"] = [x.to_dict() for x in cycle.returns.tests if x.name.startswith("Kruskal")]
        headers = ["phase", "months", "mean 1-month log return", "mean 3-month", "mean 12-month",
                   "next-month volatility"]
        rows = [[PHASE_NAMES.get(p, p), int(t.loc[(p, "ret_1m"), "n"])]
                + [fmt_pct(t.loc[(p, m), "mean"]) for m in ("ret_1m", "ret_3m", "ret_12m")]
                + [f"{100 * t.loc[(p, 'vol_1m'), 'mean']:.1f}%"] for p in phases]
        words = {**PHASE_MEASURES, ctx.symbol: INDEX_NAMES.get(ctx.symbol, ctx.symbol)}
        tests = " ".join(humanise(x.verdict(), words) + "." for x in cycle.returns.tests if x.name.startswith("Kruskal"))
        blocks += [B.Table.of(headers, rows), B.Paragraph(tests)]
    chart, ids = _sentiment_chart(ctx)
    if ids:
        facts["sentiment_series"] = ids
        blocks.append(B.Figure(chart))
    return Section.of("macro", "Macro and cycle", facts, blocks, notes)
