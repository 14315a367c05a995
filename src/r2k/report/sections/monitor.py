"""Model monitoring: the forecast log's realised record next to a recent walk-forward record, and the
status in plain words (healthy / degraded / failing; thresholds in docs/monitoring.md). The table is the one the
terminal and the dashboard show (r2k.monitor.table)."""

from __future__ import annotations

import pandas as pd

from r2k.errors import R2KError
from r2k.monitor.service import monitor_status
from r2k.monitor.table import STATUS_HEADERS, status_rows
from r2k.names import PUBLISHED_MODEL
from r2k.report import blocks as B
from r2k.report.context import ReportContext
from r2k.report.sections.base import Section
from r2k.words import model_name

MIN_CLOSES = 600  # as the forecast section: shorter histories are not forecast
NOTES = ("Live record: forecasts written to the forecast log by r2k forecast, report and update, scored "
         "once their target date has a close. Recent walk-forward: the same model re-run weekly over the last year. "
         "Degraded: skill below -2% or a coverage/calibration test p below 0.01; failing: below -5% or p below 0.001.",)


def which_model(model: str, n_logged: int) -> str:
    """Which model the status judges, and how it relates to the one the outlook rests on (said on the page, so that
    a status of GJR-GARCH is not read as the ensemble's)."""
    published = model_name(PUBLISHED_MODEL)
    if model == PUBLISHED_MODEL:
        return f"The status judges the {published}, the model the risk grades and forecasts above rest on."
    why = ("the forecast log holds no forecasts by this date and it is the monitor's default" if n_logged == 0 else
           f"it is the first model in the forecast log, which holds no {published} forecasts by this date")
    return (f"The status judges {model_name(model)}: {why}. The risk grades and forecasts above rest on the {published}; "
            f"once its forecasts are logged, the status judges the {published}.")


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
    d = st.to_dict()
    head = (f"Model status as of {st.as_of}: {st.status} ({st.words}). {model_name(st.model)}, version "
            f"{st.model_version}.")
    logline = (f"The forecast log holds {st.n_logged} forecasts up to this date ({st.log_words}); {st.n_scored} have been "
               "realised and scored. Only the live record is a clean holdout: the backtests were looked at while the "
               "models were built.")
    checks = [c for c in (st.live, st.walk_forward) if c is not None]
    blocks = [B.Paragraph(head, strong=True), B.Paragraph(which_model(st.model, st.n_logged)), B.Paragraph(logline),
              B.Table.of(STATUS_HEADERS, status_rows(d)),
              B.Bullets(tuple(f"{c.label}: {e}" for c in checks for e in c.evidence))]
    return Section.of("monitor", "Model monitoring", d, blocks, NOTES)
