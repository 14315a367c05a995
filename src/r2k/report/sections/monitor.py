"""Model monitoring: the forecast log's realised record next to a recent walk-forward record, and the
status in plain words (healthy / degraded / failing; thresholds in docs/monitoring.md)."""

from __future__ import annotations

from functools import partial
from html import escape

import pandas as pd

from r2k.errors import R2KError
from r2k.monitor.service import monitor_status
from r2k.monitor.status import RecordCheck
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_pct, html_table, md_table
from r2k.words import NA, p_value

MIN_CLOSES = 600  # as the forecast section: shorter histories are not forecast
HEADERS = ("record", "window", "forecasts", "CRPS skill vs climatology", "80% coverage", "90% coverage",
           "direction right", "coverage test p", "calibration test p", "status")
NOTES = ("Live record: forecasts written to the forecast log by r2k forecast, report, update and the dashboard, scored "
         "once their target date has a close. Recent walk-forward: the same model re-run weekly over the last year. "
         "Degraded: skill below -2% or a coverage/calibration test p below 0.01; failing: below -5% or p below 0.001.",)


_p = partial(p_value, na=NA)


def _row(c: RecordCheck) -> list[str]:
    return [c.label, f"{c.window_start} to {c.window_end}", str(c.n), fmt_pct(c.skill, 1),
            "n/a" if c.coverage80 != c.coverage80 else f"{100 * c.coverage80:.0f}%",
            "n/a" if c.coverage90 != c.coverage90 else f"{100 * c.coverage90:.0f}%",
            "n/a" if c.direction_rate != c.direction_rate else f"{100 * c.direction_rate:.0f}%",
            _p(c.kupiec_p), _p(c.berkowitz_p), c.status]


def build(ctx: ReportContext) -> Section | None:
    if not ctx.has(ctx.symbol):
        return None
    if len(ctx.series(ctx.symbol)) < MIN_CLOSES:
        log = ctx.store.forecast_log(ctx.symbol)
        if not (log["origin"] <= pd.Timestamp(ctx.as_of)).any():
            return None  # nothing logged by then and too short a history to walk forward: nothing to monitor
    try:
        st = monitor_status(ctx.snapshot)
    except R2KError:
        return None
    checks = [c for c in (st.live, st.walk_forward) if c is not None]
    rows = [_row(c) for c in checks]
    head = f"Model status as of {st.as_of}: {st.status} ({st.words}). The {st.model} model, version {st.model_version}."
    logline = (f"The forecast log holds {st.n_logged} forecasts up to this date ({st.log_words}); {st.n_scored} have been "
               "realised and scored. Only the live record is a clean holdout: the backtests were looked at while the "
               "models were built.")
    evidence = [f"{c.label}: {e}" for c in checks for e in c.evidence]
    html = (f"<p><strong>{escape(head)}</strong></p><p>{escape(logline)}</p>" + html_table(HEADERS, rows)
            + "<ul>" + "".join(f"<li>{escape(e)}</li>" for e in evidence) + "</ul>")
    md = "\n\n".join([f"**{head}**", logline, md_table(HEADERS, rows), "\n".join(f"- {e}" for e in evidence)])
    return Section("monitor", "Model monitoring", st.to_dict(), html, md, notes=NOTES)
