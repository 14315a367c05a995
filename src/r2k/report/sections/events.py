"""Event studies: after each kind of event, do the index's forward returns differ from other days'?

One row per kind and horizon (event mean, other days' mean, the difference with its 95% interval and p
from the Welch test), the verdict once per kind, and the average paths around the events.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.ticker import MaxNLocator

from r2k.analytics.events import EventPath, EventStudy, average_path, run_event_study
from r2k.names import ANALYZE_EVENTS
from r2k.report import blocks as B
from r2k.report.charts import COLORS, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.tables import fmt_pct
from r2k.words import NA, p_value

KIND_NAMES = {"reconstitution": "Russell reconstitution day", "rank-day": "Russell rank day", "vix-spike": "VIX spike",
              "rate-cut": "First Fed rate cut of a cycle", "flows": "IWM outflows", "channel-break": "Trend-channel break"}
UNAVAILABLE = {"flows": "not available: the store holds no history of IWM shares outstanding",
               "rate-cut": "not available: the Fed funds rate is not stored"}
MIN_CLOSES = 300


_p = partial(p_value, na=NA)


def _ci(r) -> str:  # noqa: ANN001
    lo, hi = r.difference_ci_low, r.difference_ci_high
    return "n/a" if lo != lo else f"{fmt_pct(lo, 2)} to {fmt_pct(hi, 2)}"


def _rows(studies: dict[str, EventStudy]) -> list[list[str]]:
    rows = []
    for kind, ev in studies.items():
        if not ev.available:
            continue
        for k, r in enumerate(ev.results):
            rows.append([KIND_NAMES.get(kind, kind) if k == 0 else "", str(r.horizon), str(r.n_events),
                         fmt_pct(r.mean_event, 2), fmt_pct(r.mean_control, 2), fmt_pct(r.difference, 2), _ci(r),
                         _p(r.welch.p_value)])
    return rows


def _verdicts(studies: dict[str, EventStudy]) -> list[tuple[str, str]]:
    out = []
    for kind, ev in studies.items():
        name = KIND_NAMES.get(kind, kind)
        if not ev.available:
            out.append((name, UNAVAILABLE.get(kind, ev.message) + "."))
        else:
            out.append((name, f"{ev.verdict()} {len(ev.event_dates)} events; rule: {ev.rule}."))
    return out


def _paths_chart(paths: list[EventPath], symbol: str) -> str:
    shown = [p for p in paths if p.n_events]
    ncols = 2 if len(shown) > 1 else 1
    nrows = -(-len(shown) // ncols)
    fig, ax = new_figure(2.3 * nrows + 0.6)
    fig.set_size_inches(7.0 if ncols > 1 else 5.0, 2.3 * nrows + 0.6)  # narrower than full width: text stays legible on phones
    ax.remove()
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, squeeze=False)).ravel()
    for k, (a, p) in enumerate(zip(axes, shown)):
        a.plot(p.days, 100 * np.asarray(p.event_mean), color=COLORS["accent"], lw=1.3, label="after events (mean)")
        a.plot(p.days, 100 * np.asarray(p.unconditional_mean), color=COLORS["benchmark"], lw=1.0, ls="--",
               label="after any day (mean)")
        a.axvline(0, color="#555555", lw=0.6)
        a.axhline(0, color="#555555", lw=0.4)
        a.grid(axis="y", alpha=0.3)
        a.grid(axis="x", visible=False)
        a.yaxis.set_major_locator(MaxNLocator(4))
        a.set_xticks([d for d in (0, 20, 40, 60) if p.days[0] <= d <= p.days[-1]])
        a.spines[["top", "right"]].set_visible(False)
        a.set_title(f"{KIND_NAMES.get(p.kind, p.kind)} ({p.n_events} events)", fontsize=9)
        if k % ncols == 0:
            a.set_ylabel("cumulative return, %")
    for a in axes[len(shown):]:
        a.remove()
    for a in axes[:len(shown)][-ncols:]:
        a.set_xlabel("trading days from the event")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, frameon=False)
    fig.suptitle(f"Average {INDEX_NAMES.get(symbol, symbol)} path around events (log return from the event-day close)",
                 fontsize=10)
    return to_svg(fig)


def build(ctx: ReportContext) -> Section | None:
    close = ctx.series_if_any(ctx.symbol)
    if close is None or len(close) < MIN_CLOSES:
        return None
    vix, ff = ctx.series_if_any("VIX"), ctx.series_if_any("FEDFUNDS")
    etf, shares = ctx.series_if_any("IWM"), ctx.series_if_any("IWM_SHARES")
    studies = {k: run_event_study(k, close, ctx.as_of, symbol=ctx.symbol, vix=vix, fedfunds=ff, shares=shares, etf_close=etf)
               for k in ANALYZE_EVENTS}
    paths = [average_path(close, ev.event_dates, k, as_of=ctx.as_of) for k, ev in studies.items() if ev.available]
    head = ["event", "horizon, trading days", "events", "mean after events", "mean after other days", "difference",
            "95% interval of the difference", "p (Welch)"]
    rows = _verdicts(studies)
    intro = ("Forward log returns of the index after each event day against all other days. Means and tests use "
             "non-overlapping windows: events at least h days apart, other days on a grid of h-day windows that do "
             "not touch an event window. The interval and p come from Welch's t-test; a p below 0.05 at one of four "
             "horizons happens by chance about one time in five.")
    chart = _paths_chart(paths, ctx.symbol) if any(p.n_events for p in paths) else ""
    blocks = [B.Paragraph(intro), B.Table.of(head, _rows(studies)), *(B.Paragraph(v, lead=f"{n}:") for n, v in rows),
              *([B.Figure(chart)] if chart else [])]
    facts = {k: ev.to_dict() for k, ev in studies.items()} | {"paths": [p.to_dict() for p in paths]}
    return Section.of("events", "Event studies", facts, blocks,
                      ("The paths are averages over every event with the whole window before the report date (windows may "
                       "overlap): a picture, not a test.",))
