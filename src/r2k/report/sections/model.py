"""The model and its testing: which model the grades rest on, its walk-forward scores against every baseline on the
same folds (Diebold–Mariano, model confidence set), the risk grades' weekly record after the tuning cutoff per notch
group with the pre-registered rank-correlation test, and the return view's evidence on direction (AUC, OOS R², a
reliability diagram of P(up))."""

from __future__ import annotations

import pandas as pd

from r2k.errors import R2KError

from r2k.outlook import Outlook
from r2k.outlook.scale import NOTCHES
from r2k.outlook.source import GRADED, MODEL_LABELS, MODEL_SHORT, WEEKS
from r2k.report import blocks as B
from r2k.report.charts import COLORS, legend_below, new_figure, to_svg
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.sections.outlook import outlook_of
from r2k.report.tables import fmt_interval, fmt_num, fmt_p, fmt_pct
from r2k.words import NA, model_name, p_value, pct

MODEL_NAMES = MODEL_LABELS
PERIOD_LABEL = "after the tuning cutoff (also looked at during development)"
REL_HEADERS = ["notch group", "count", "realised vol", "mean drawdown", "worst drawdown", "loss beyond 5%",
               "loss beyond 10%", "below rated 5% quantile (p of 5%)"]


def plan_words(o: Outlook) -> str:
    """Which plan of walk-forward origins the page's skill, P(up) evidence and grades' record come from: said next to
    every such number, so that figures from other plans (the README's benchmark, the monitor's last year) are not
    taken for a disagreement."""
    plan = o.track.plan if o.track is not None else None
    if not plan:
        return "No walk-forward record was built for this date (too little history after the tuning cutoff)."
    n = int(o.scores.table["n"].max()) if o.scores is not None and len(o.scores.table) else None
    return (f"Plan of every skill figure on this page: the outlook's walk-forward record, {MODEL_SHORT.get(o.model, o.model)} "
            f"and the baselines on the same folds, weekly origins (every {plan['step']} trading days) from {plan['start']} "
            f"to {plan.get('end') or o.as_of}, models refitted every {plan['refit_every']} origins"
            + (f", up to {n:,} forecasts per horizon" if n else "") + ". Figures quoted elsewhere (the README's benchmark, "
            "the monitor's last 52 weeks) use other origins and windows and differ by that, not by the model.")


SCORE_HEADERS = ["model", "horizon", "n", "CRPS", "skill vs climatology", "95% interval", "90% coverage",
                 "direction AUC", "Diebold–Mariano p"]


def _score_rows(o: Outlook) -> list[list[str]]:
    if o.scores is None:
        return []
    return [[MODEL_SHORT.get(r.model, r.model), f"{WEEKS.get(int(r.horizon), r.horizon)} weeks", str(r.n),
             fmt_num(r.crps, 4), fmt_pct(r.crps_skill, 1), fmt_interval(r.skill_low, r.skill_high, na="—"),
             fmt_num(r.cov90, 2), fmt_num(r.auc, 2), p_value(r.dm_p, "—")]
            for r in o.scores.table.itertuples()]


def _rel_rows(table: pd.DataFrame) -> list[list[str]]:
    def p(x: float, signed: bool = True) -> str:
        return pct(x, 1, signed, NA)

    return [[r.group, str(r.count), p(r.realised_vol, False), p(r.mean_drawdown), p(r.worst_drawdown), p(r.loss_5, False),
             p(r.loss_10, False), "n/a" if r.count == 0 else f"{p(r.below_q05, False)} ({fmt_p(r.q05_p)})"]
            for r in table.itertuples()]


def _reliability_chart(o: Outlook) -> str:
    """Forecast P(up) against the observed share of rises per bin, after the cutoff (the 4-week forecasts)."""
    ev = o.track.direction.get(GRADED[0]) if o.track is not None else None
    if ev is None or ev.reliability.empty:
        return ""
    r = ev.reliability
    fig, ax = new_figure(3.0, 5.0)
    ax.plot([0, 1], [0, 1], color=COLORS["benchmark"], lw=0.8, ls="--", label="perfect reliability")
    ax.scatter(r["mean_p_up"], r["observed"], s=12 + 80 * r["count"] / r["count"].max(), color=COLORS["index"],
               label="weekly 4-week forecasts (dot size: count)", zorder=3)
    lo = float(min(r["mean_p_up"].min(), r["observed"].min(), 0.4))
    ax.set_xlim(lo - 0.05, 1.0)
    ax.set_ylim(lo - 0.05, 1.0)
    ax.set_xlabel("forecast P(up) (bin mean)")
    ax.set_ylabel("observed share of rises")
    ax.set_title(f"Reliability of the 4-week P(up) after the tuning cutoff ({ev.n:,} forecasts)")
    legend_below(fig)
    return to_svg(fig)


def _direction_lines(o: Outlook) -> list[str]:
    if o.track is None:
        return []
    return [d.summary().replace("the cutoff", "the tuning cutoff") for d in o.track.direction.values()]


def _mcs_line(h: int, m) -> str:  # noqa: ANN001 - MCSResult
    names = lambda xs: ", ".join(MODEL_SHORT.get(x, x) for x in xs)  # noqa: E731
    out = f"{WEEKS.get(h, h)} weeks ({h} days): model confidence set at {100 * (1 - m.size):.0f}% (n = {m.n}): {names(m.included)}"
    return out + (f"; excluded: {names(m.excluded)}" if m.excluded else "")


def _history_chart(o: Outlook) -> str:
    rated = o.track.rated
    fig, ax = new_figure(3.0)
    for h, colour in zip(GRADED, (COLORS["index"], COLORS["accent"])):
        r = rated[rated["horizon"] == h]
        ax.step(pd.DatetimeIndex(r["origin"]), r["notch"], where="post", color=colour, lw=0.9, label=f"{WEEKS[h]}-week grade")
    ticks = list(range(0, len(NOTCHES), 3))
    ax.set_yticks(ticks, [NOTCHES[i] for i in ticks])
    ax.invert_yaxis()
    ax.set_ylabel("risk grade (Aaa, calmest, at the top)")
    legend_below(fig)
    ax.set_title(f"{INDEX_NAMES.get(o.symbol, o.symbol)} risk grades at each weekly origin after the tuning cutoff")
    return to_svg(fig)


def _weight_rows(o: Outlook) -> tuple[list[str], list[list[str]]]:
    """The ensemble's member weights per horizon at the origin, and where its P(up) comes from."""
    if o.weights is None or o.weights.empty:
        return [], []
    members = [c for c in o.weights.columns if c not in ("origin", "horizon", "p_up_source", "n_realised", "model")]
    rows = [[f"{WEEKS.get(int(r['horizon']), r['horizon'])} weeks", *(f"{r[m]:.2f}" for m in members),
             MODEL_SHORT.get(r["p_up_source"], r["p_up_source"]), str(r["n_realised"])] for r in o.weights.to_dict(orient="records")]
    return [MODEL_SHORT.get(m, m) for m in members], rows


def _contributions(ctx: ReportContext, o: Outlook) -> list[list[str]]:
    """LightGBM's contributions to the gradient-boosting member's latest 4-week scale forecast (one fit)."""
    if o.weights is None or "gbm" not in o.weights.columns:
        return []
    from r2k.features.predictors import predictor_label
    from r2k.validation.importance import contributions_table

    try:
        feats = ctx.snapshot.inputs()
        table = contributions_table(ctx.series(ctx.symbol), feats, horizon=20, n=8, seed=ctx.settings.seed)
    except R2KError:
        return []
    return [[predictor_label(str(r.feature)), f"{float(r.log_variance):+.3f}"] for r in table.itertuples(index=False)]


INTRO = ("A risk grade is one number of the model's forecast distribution — the 5% expected shortfall of the return "
         "over the horizon, the average outcome of the worst 5% of cases — against cut points between the 21 notches "
         "fixed once on the weekly forecasts up to {cutoff} (rating map version {version}; published with r2k: the "
         "ratings --explain command and the outlook documentation). The expected return never enters it.")
WEIGHTS = ("Its members' distributions are averaged quantile by quantile with weights learned only from their forecasts "
           "of the last eight years whose outcome was known before the origin (CRPS-optimal); the weights at this "
           "origin are below.")
SCORES_NOTE = ("The interval of skill is a 95% block-bootstrap interval (blocks of about half a year of origins); the "
               "Diebold–Mariano test uses a HAC variance. The weekly record since 2005, and the design period 2005–2015 "
               "on which the models were chosen, are in the forecasting documentation.")
RECORD_NOTE = ("Every weekly origin after the tuning cutoff {cutoff} on the same grid, in the same configuration and from "
               "the same forecasts as the live grade (a grade in this record is the one the outlook gave as of that day); "
               "outcomes are the realised index moves over the next 4 (52) weeks. The primary test was written in the "
               "outlook documentation before it was first run: the rank correlation between the notch and the deepest "
               "drawdown inside the horizon over every origin, with a block-bootstrap 95% interval (blocks of half a year "
               "of origins, longer than the overlap of the outcomes). The p beside the share below the rated 5% quantile is "
               "Kupiec's test of that share against 5% on the non-overlapping count of outcomes (overlapping weekly "
               "outcomes are not independent: counted as if they were, they would claim too much).")


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None:
        return None
    member_names, weight_rows = _weight_rows(o)
    contrib = _contributions(ctx, o)
    tr = o.track
    cutoff = o.rating_map.tuning_cutoff
    blocks: list[B.Block] = [B.Paragraph(f"The grades rest on {MODEL_NAMES.get(o.model, o.model)}."
                                         + (f" {WEIGHTS}" if weight_rows else "") + " "
                                         + INTRO.format(cutoff=cutoff, version=o.rating_map.version))]
    if weight_rows:
        blocks += [B.Heading("Ensemble weights at the origin"),
                   B.Table.of(["horizon", *member_names, "P(up) from", "realised forecasts used"], weight_rows)]
    if contrib:
        blocks += [B.Heading("What drives the gradient-boosting member's 4-week volatility forecast"),
                   B.Paragraph("LightGBM's own contributions (in log variance) of the largest predictors to the latest "
                               "forecast; the walk-forward permutation importance of every predictor is in the "
                               "forecasting documentation (r2k importance)."),
                   B.Table.of(["predictor", "contribution"], contrib)]
    verdict = None
    if o.scores is not None:
        verdict = o.scores.verdict.text(model_name, lambda h: f"over {WEEKS[h]} weeks" if h in WEEKS else f"over {h} days")
        blocks += [B.Heading(f"Walk-forward scores {PERIOD_LABEL}, against every baseline on the same folds"),
                   B.Paragraph(plan_words(o), css="note"), B.Paragraph(SCORES_NOTE),
                   B.Table.of(SCORE_HEADERS, _score_rows(o)), B.Paragraph(verdict),
                   B.Bullets(tuple(_mcs_line(h, m) for h, m in o.scores.mcs.items()))]
    if tr is not None:
        blocks += [B.Heading("Record of the risk grades (out of sample)"), B.Paragraph(RECORD_NOTE.format(cutoff=cutoff))]
        if len(tr.rated):
            blocks.append(B.Figure(_history_chart(o)))
        for h in GRADED:
            r = tr.horizons[h]
            blocks += [B.Heading(f"{WEEKS[h]}-week grades ({r.n} weekly origins with a known outcome; {r.n_independent} "
                                 f"non-overlapping)" + (" — indicative" if r.indicative else "")),
                       B.Table.of(REL_HEADERS, _rel_rows(r.groups)),
                       B.Paragraph("" if r.indicative else r.secondary_text(), lead=r.verdict())]
        blocks += [B.Heading("The return view's evidence on direction"), B.Bullets(tuple(_direction_lines(o)))]
        if reliability := _reliability_chart(o):
            blocks.append(B.Figure(reliability))
    else:
        blocks.append(B.Paragraph(f"No record: the as-of date is not after the tuning cutoff {cutoff}, so no grade has an "
                                  "out-of-sample outcome yet."))
    facts = {"model": o.model, "weights": None if o.weights is None else o.weights.to_dict(orient="records"),
             "contributions": contrib, "rating_map": o.rating_map.to_dict(), "plan": None if tr is None else tr.plan,
             "scores": None if o.scores is None else o.scores.to_dict(), "track_record": None if tr is None else tr.to_dict()}
    return Section.of("model", "The model and how it was tested", facts, blocks)
