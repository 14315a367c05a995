"""Every number README.md and docs/forecasting.md publish about the forecasts, written by ONE command.

    PYTHONPATH=src .venv/bin/python bench/ensemble_results.py [DATA_DIR] --n-jobs 2 --write

Runs (bench/ensemble_runs.py; the block-forecast cache of R2K_CACHE_DIR makes a re-run read back every unchanged
block): the weekly backtest 2005 .. 2026-07-29 of climatology, GARCH, every ensemble member and the ensemble in
all five weekday phases (phase 0, the published plan, adds the recurrent network), and gbm's permutation
importance and drop-block refits on the monthly plan of ``r2k importance``. Scores every period with the project's
rules (r2k.validation.scoring: block-bootstrap intervals of skill, Diebold–Mariano with a HAC variance, model
confidence sets) and prints the Markdown blocks; ``--write`` replaces them in the documents, between
``<!-- begin NAME -->`` / ``<!-- end NAME -->`` markers. ``--frames DIR`` also saves the frames, ``--reuse-frames`` reads them back instead
of running (for working on this script only: the published numbers come from a full run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from _shared import DEFAULT_DATA, imported_store, wrap_paragraphs, write_doc_block
from ensemble_runs import FIRST, LAST, PHASES, SEED, phase_start, read_inputs, run_importance, run_phase

from r2k.analytics.robust import p_text
from r2k.validation.scoring import against, common_rows, crps_of, score_backtest
from r2k.words import model_name

ROOT = Path(__file__).resolve().parents[1]
CUTOFF = pd.Timestamp("2015-12-31")
HORIZONS = (5, 10, 20)
WEEKS = {5: "1 week", 10: "2 weeks", 20: "4 weeks"}
PERIODS = {"after": "after the tuning cutoff (also looked at during development)", "design": "design period",
           "full": "full period"}
MEMBERS = ("garch_hm", "implied_vol", "har", "gbm")


# --- formatting ---------------------------------------------------------------------------------------------


def pct(x: float, d: int = 1) -> str:
    return "—" if x != x else f"{100 * x:+.{d}f}%"


def span(lo: float, hi: float, d: int = 1) -> str:
    return "—" if lo != lo else f"{100 * lo:+.{d}f} to {100 * hi:+.{d}f}"


def pv(p: float) -> str:
    return "—" if p != p else ("<0.001" if p < 0.001 else f"{p:.2g}")


def name(model: str) -> str:
    return model_name(model)


def listing(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


# --- periods ------------------------------------------------------------------------------------------------


def period(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    if key == "after":
        return frame[frame["origin"] > CUTOFF]
    if key == "design":
        return frame[frame["origin"] <= CUTOFF]
    return frame


def span_words(frame: pd.DataFrame) -> str:
    o = frame["origin"]
    return f"{o.min().date()} to {o.max().date()}, {o.nunique():,} weekly origins"


class Period:
    """One period's score table, model confidence sets and pairwise comparisons."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.scores = score_backtest(frame, step=5)
        self.table = self.scores.table.set_index(["model", "horizon"])

    def row(self, model: str, h: int) -> pd.Series:
        return self.table.loc[(model, h)]

    def versus(self, model: str, reference: str) -> pd.DataFrame:
        """``model`` against ``reference`` on their common origins: skill, interval, DM p per horizon."""
        return against(self.frame, reference, 5, models=(model, reference)).set_index("horizon")


# --- the blocks ---------------------------------------------------------------------------------------------


def scores_table(p: Period, models: tuple[str, ...]) -> str:
    rows = []
    for m in models:
        for h in HORIZONS:
            r = p.row(m, h)
            rows.append([name(m), str(h), pct(r["crps_skill"], 2), span(r["skill_low"], r["skill_high"], 2), pv(r["dm_p"]),
                         f"{r['cov80']:.3f} / {r['cov90']:.3f}", pv(r["berkowitz_p"]), f"{r['auc']:.2f}"])
    return table(["model", "h", "CRPS skill vs climatology", "95% interval", "DM p", "cover 80% / 90%", "Berkowitz p",
                  "AUC of P(up)"], rows)


def combination_table(periods: dict[str, Period]) -> str:
    rows = []
    for key in ("after", "design"):
        p = periods[key]
        for ref in ("implied_vol", "garch"):
            v = p.versus("ensemble", ref)
            for h in HORIZONS:
                e, b = p.row("ensemble", h), p.row(ref, h)
                rows.append([PERIODS[key].split(" (")[0], name(ref), str(h), pct(v.loc[h, "crps_skill"], 2),
                             span(v.loc[h, "skill_low"], v.loc[h, "skill_high"], 2), pv(v.loc[h, "dm_p"]),
                             f"{pv(e['berkowitz_p'])} / {pv(b['berkowitz_p'])}",
                             f"{e['cov80']:.3f} / {b['cov80']:.3f}"])
    return table(["period", "against", "h", "ensemble's CRPS skill over it", "95% interval", "DM p",
                  "Berkowitz p: ensemble / it", "80% cover: ensemble / it"], rows)


def mcs_lines(periods: dict[str, Period]) -> str:
    out = []
    for key in ("after", "design"):
        for h, m in periods[key].scores.mcs.items():
            out.append(f"- {PERIODS[key].split(' (')[0]}, {WEEKS[h]}: " + ", ".join(name(x) for x in m.included)
                       + (f" (left out: {', '.join(name(x) for x in m.excluded)})" if m.excluded else ""))
    return "\n".join(out)


def phase_table(phases: dict[int, pd.DataFrame]) -> tuple[str, dict[int, tuple[float, float, float]]]:
    """Ensemble and implied_vol after the cutoff in each phase; per h the range of the ensemble's skill and its
    largest DM p over the phases."""
    rows, ranges = [], {}
    skills: dict[int, list[float]] = {h: [] for h in HORIZONS}
    ps: dict[int, list[float]] = {h: [] for h in HORIZONS}
    for k, frame in phases.items():
        p = Period(period(frame, "after"))
        cells = []
        for h in HORIZONS:
            r = p.row("ensemble", h)
            skills[h].append(float(r["crps_skill"]))
            ps[h].append(float(r["dm_p"]))
            cells.append(f"{pct(r['crps_skill'])} ({span(r['skill_low'], r['skill_high'])}), {pv(r['dm_p'])}")
        iv = [pct(p.row("implied_vol", h)["crps_skill"]) for h in HORIZONS]
        rows.append([str(k), f"{phase_start(k)} ({pd.Timestamp(phase_start(k)).day_name()})", *cells, " / ".join(iv)])
    for h in HORIZONS:
        ranges[h] = (min(skills[h]), max(skills[h]), max(ps[h]))
    return table(["phase", "first origin", *(f"ensemble {WEEKS[h]}: skill (95% interval), DM p" for h in HORIZONS),
                  "implied vol alone 1/2/4 weeks"], rows), ranges


def weights_text(weights: pd.DataFrame | None) -> str:
    if weights is None or weights.empty:
        return "The ensemble ran without learned weights."
    members = [c for c in weights.columns if c not in ("origin", "horizon", "p_up_source", "n_realised", "model")]
    mean = weights.groupby("horizon")[members].mean()
    parts = [f"{WEEKS.get(int(h), h)}: " + ", ".join(f"{name(m)} {mean.loc[h, m]:.2f}" for m in members) for h in mean.index]
    return "Mean ensemble weights over the refit origins (phase 0) — " + "; ".join(parts) + "."


@dataclass(frozen=True)
class Combination:
    """What the combination buys, in sentences decided by the numbers (after the cutoff, against the best member)."""

    skill: str
    calibration: str
    robustness: str
    simpler: str

    def text(self) -> str:
        return " ".join(x for x in (self.skill, self.calibration, self.robustness, self.simpler) if x)


def combination(periods: dict[str, Period]) -> Combination:
    after, design = periods["after"], periods["design"]
    v = after.versus("ensemble", "implied_vol")
    outcome = {h: ("better" if v.loc[h, "skill_low"] > 0 and v.loc[h, "dm_p"] < 0.05 else
                   "worse" if v.loc[h, "skill_high"] < 0 and v.loc[h, "dm_p"] < 0.05 else "no different") for h in HORIZONS}
    diffs = " / ".join(f"{pct(v.loc[h, 'crps_skill'], 2)} ({span(v.loc[h, 'skill_low'], v.loc[h, 'skill_high'], 2)})"
                       for h in HORIZONS)
    if all(o == "no different" for o in outcome.values()):
        skill = (f"After the cutoff the ensemble's CRPS is not distinguishable from implied volatility alone at any "
                 f"horizon: its skill over it is {diffs} at 1 / 2 / 4 weeks, every 95% interval containing 0, so on "
                 "skill the combination adds nothing to its best member.")
    else:
        said = listing([f"{outcome[h]} at {WEEKS[h]}" for h in HORIZONS])
        skill = (f"After the cutoff the ensemble against implied volatility alone (DM p < 0.05 with the interval on one "
                 f"side of 0): {said}; its skill over it is {diffs} at 1 / 2 / 4 weeks.")
    e = [after.row("ensemble", h) for h in HORIZONS]
    b = [after.row("implied_vol", h) for h in HORIZONS]
    passes = [h for h, x, y in zip(HORIZONS, e, b) if x["berkowitz_p"] >= 0.05 > y["berkowitz_p"]]
    fails = [h for h, x, y in zip(HORIZONS, e, b) if y["berkowitz_p"] >= 0.05 > x["berkowitz_p"]]
    cover_e = " / ".join(f"{x['cov80']:.2f}" for x in e)
    cover_b = " / ".join(f"{y['cov80']:.2f}" for y in b)
    calibration = ("Calibration after the cutoff (Berkowitz PIT p at 1 / 2 / 4 weeks, ensemble against implied "
                   f"volatility: {' / '.join(pv(x['berkowitz_p']) for x in e)} against "
                   f"{' / '.join(pv(y['berkowitz_p']) for y in b)}; 80% intervals covering {cover_e} against {cover_b}): "
                   + (f"the ensemble's PIT test passes at {listing([WEEKS[h] for h in passes])} where implied "
                      "volatility's fails" if passes else "the ensemble's PIT test passes nowhere implied volatility's fails")
                   + (f", and fails at {listing([WEEKS[h] for h in fails])} where implied volatility's passes" if fails else "")
                   + ".")
    best = {h: max(MEMBERS, key=lambda m: design.row(m, h)["crps_skill"]) for h in HORIZONS}
    gap = " / ".join(f"{100 * (design.row('ensemble', h)['crps_skill'] - design.row(best[h], h)['crps_skill']):+.2f}"
                     for h in HORIZONS)
    robustness = ("In the design period the best single member was "
                  + listing([f"{name(best[h])} at {WEEKS[h]}" for h in HORIZONS])
                  + f"; the ensemble's skill minus that member's was {gap} points at 1 / 2 / 4 weeks, without knowing "
                    "in advance which member would be best.")
    simpler = ""
    if all(o != "better" for o in outcome.values()) and all("implied_vol" in after.scores.mcs[h].included for h in HORIZONS):
        simpler = ("A simpler default — implied volatility alone — would have been as good on CRPS after the cutoff (it "
                   "stays in the 90% model confidence set at every horizon); the ensemble's case rests on calibration "
                   "and on not having to pick the best member in advance.")
    return Combination(skill, calibration, robustness, simpler)


def autocorrelation_text(frame: pd.DataFrame) -> str:
    """Autocorrelation of the weekly CRPS differences, ensemble minus climatology: why the tests need long lags."""
    acf = {}
    for h in HORIZONS:
        by = common_rows(frame, h, ("ensemble", "climatology"))
        d = pd.Series(crps_of(by["ensemble"]) - crps_of(by["climatology"]))
        acf[h] = {lag: d.autocorr(lag) for lag in (1, 4, 13)}
    parts = "; ".join(f"{WEEKS[h]} ahead " + " / ".join(f"{v:.2f}" for v in acf[h].values()) for h in HORIZONS)
    a = acf[HORIZONS[0]][4]
    why = (f"At 1 week ahead, where consecutive targets do not overlap at all, differences four weeks apart are still "
           f"correlated {a:.2f}: the dependence outlasts the overlap, hence the HAC bandwidth of at least 13 origins and "
           "the half-year bootstrap blocks." if a > 0.05 else
           f"At 1 week ahead, where consecutive targets do not overlap, differences four weeks apart are correlated only "
           f"{a:.2f}.")
    return ("Autocorrelation of the weekly CRPS differences (ensemble minus climatology, all origins) at lags of 1 / 4 / "
            f"13 weeks: {parts}. {why}")


def readme_text(periods: dict[str, Period], ranges: dict[int, tuple[float, float, float]], runtime: str) -> str:
    after, design = periods["after"], periods["design"]

    def lead(p: Period, model: str) -> str:
        return " / ".join(f"**{pct(p.row(model, h)['crps_skill'])}** ({span(p.row(model, h)['skill_low'], p.row(model, h)['skill_high'])})"
                          for h in HORIZONS)

    ps = " / ".join(pv(after.row("ensemble", h)["dm_p"]) for h in HORIZONS)
    rng = " / ".join(f"{pct(lo)} to {pct(hi)}" for lo, hi, _ in ranges.values())
    worst = " / ".join(pv(p) for _, _, p in ranges.values())
    auc = " / ".join(f"{after.row('ensemble', h)['auc']:.2f}" for h in HORIZONS)
    c = combination(periods)
    buys = " ".join(x for x in (c.skill, c.calibration, c.simpler) if x)
    return (
        "The published forecast is an **ensemble** of volatility models — VIX-scaled filtered historical simulation, a "
        "HAR regression of realised variance on VIX, GARCH and LightGBM — whose weights are learned only from forecasts "
        f"already realised. **After the tuning cutoff** ({span_words(after.frame)}; also looked at during development, "
        "so only the live forecast log is a clean holdout) its CRPS beats the historical distribution by "
        f"{lead(after, 'ensemble')} at 1 / 2 / 4 weeks (95% block-bootstrap intervals in percent; Diebold–Mariano p "
        f"{ps}). Run from each of the five phases of the trading week instead, that skill ranges over {rng} (largest "
        f"DM p {worst}). "
        f"**What the combination buys:** {buys} In the **design period** 2005–2015, on which the models, their "
        f"settings and the member set were chosen, the ensemble scored {lead(design, 'ensemble')}. All of it is "
        f"**volatility timing**: the direction of the next weeks is not forecastable here (AUC of P(up) {auc} after the "
        "cutoff). Read the risk grades and fans as statements about risk, not about returns (docs/forecasting.md has every "
        "table, docs/outlook.md the risk grades). Every number in this paragraph is written by "
        f"`bench/ensemble_results.py --write` ({runtime}).")


def member_table(p: Period, model: str, label: str) -> str:
    rows = []
    for key in ("after", "design", "full"):
        q = p[key]
        n = q.frame["origin"].nunique()
        for h in HORIZONS:
            r = q.row(model, h)
            rows.append([f"{PERIODS[key].split(' (')[0]} ({n:,})", str(h), pct(r["crps_skill"], 2),
                         span(r["skill_low"], r["skill_high"], 2), pv(r["dm_p"]), f"{r['cov80']:.2f} / {r['cov90']:.2f}",
                         pv(r["berkowitz_p"]), f"{r['auc']:.2f}"])
    return table(["origins", "h", f"{label} CRPS skill", "95% interval", "DM p", "cover 80% / 90%", "Berkowitz p", "AUC"], rows)


def versus_table(periods: dict[str, Period], model: str, reference: str) -> str:
    rows = []
    for key in ("after", "design", "full"):
        v = periods[key].versus(model, reference)
        rows.append([PERIODS[key].split(" (")[0]] + [f"{pct(v.loc[h, 'crps_skill'], 2)} ({span(v.loc[h, 'skill_low'], v.loc[h, 'skill_high'], 2)}), "
                                                      f"{pv(v.loc[h, 'dm_p'])}" for h in HORIZONS])
    return table(["origins", *(f"{name(model)} over {name(reference)}, {WEEKS[h]}" for h in HORIZONS)], rows)


def importance_text(perm: pd.DataFrame, drops: pd.DataFrame) -> str:
    from r2k.features.predictors import predictor_label
    from r2k.validation.ablation import BLOCKS

    by = perm.set_index("feature")
    rows = []
    for d in drops.itertuples():
        pr = by.loc[d.block] if d.block in by.index else None
        rows.append([d.block, str(d.columns), "—" if pr is None else f"{pct(pr['relative'], 2)} (± {100 * pr['relative_se']:.2f})",
                     f"{pct(d.crps_increase, 2)} ({span(d.low, d.high, 2)})", pv(d.dm_p)])
    blocks = table(["block of predictors", "columns", "permuted: CRPS increase (± s.e.)",
                    "refitted without it: CRPS increase (95% interval)", "DM p"], rows)
    single = perm[~perm["feature"].isin(list(BLOCKS))].head(8)
    rows = [[predictor_label(r.feature), f"{pct(r.relative, 2)} (± {100 * r.relative_se:.2f})",
             *(pct(getattr(r, f"h{h}") / getattr(r, "base_crps"), 2) for h in HORIZONS)] for r in single.itertuples()]
    singles = table(["predictor", "permuted: CRPS increase (± s.e.)", *(f"h={h}" for h in HORIZONS)], rows)
    top_perm = perm[perm["feature"].isin(list(BLOCKS))].iloc[0]
    top = drops.set_index("block").loc[top_perm["feature"]]
    change = (f"its CRPS changes by {pct(top['crps_increase'], 2)} (95% interval {span(top['low'], top['high'], 2)}, "
              f"{p_text(top['dm_p'])})")
    if top["low"] > 0 and top["dm_p"] < 0.05:
        after = f"refitted without it, {change}: the other predictors cannot make up for it."
    elif top["crps_increase"] <= 0:
        after = (f"refitted without it, gbm is no worse — {change}: what the permutation measures, the other predictors "
                 "recover in a refit, so the claim that this block matters most does not survive.")
    else:
        after = (f"refitted without it, {change}: not shown to matter once the model may lean on the other predictors "
                 "instead.")
    verdict = f"Permutation ranks the {top_perm['feature']} block first ({pct(top_perm['relative'], 2)} of gbm's CRPS); {after}"
    return f"{blocks}\n\n{verdict}\n\nSingle predictors, permuted:\n\n{singles}"


# --- main ---------------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--write", action="store_true", help="replace the blocks in README.md and docs/forecasting.md")
    ap.add_argument("--frames", type=Path, default=None, help="save the backtest frames here (parquet)")
    ap.add_argument("--reuse-frames", action="store_true", help="read the frames saved under --frames instead of running")
    args = ap.parse_args()
    data = Path(args.data)
    if not (data / "RUT.csv").exists():
        sys.exit(f"no data at {data}")
    t0 = time.perf_counter()
    log: Callable[[str], None] = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    phases, weights = {}, None
    saved = args.frames
    t_runs = t_imp = 0.0
    if args.reuse_frames and saved is not None:
        phases = {k: pd.read_parquet(saved / f"phase{k}.parquet") for k in range(PHASES)}
        weights = pd.read_parquet(saved / "weights0.parquet")
        perm, drops = pd.read_parquet(saved / "permutation.parquet"), pd.read_parquet(saved / "drops.parquet")
    else:
        with imported_store(data) as path:
            inputs = read_inputs(path)
        for k in range(PHASES):
            t1 = time.perf_counter()
            result = run_phase(inputs, k, args.n_jobs, log)
            t_runs += time.perf_counter() - t1
            phases[k] = result.frame
            weights = result.weights if k == 0 else weights
            for n in result.notes:
                log(f"note: {n}")
        t1 = time.perf_counter()
        perm, drops = run_importance(inputs, args.n_jobs, log)
        t_imp = time.perf_counter() - t1
        if saved is not None:
            saved.mkdir(parents=True, exist_ok=True)
            for k, f in phases.items():
                f.to_parquet(saved / f"phase{k}.parquet")
            if weights is not None:
                weights.to_parquet(saved / "weights0.parquet")
            perm.to_parquet(saved / "permutation.parquet")
            drops.to_parquet(saved / "drops.parquet")
    frame = phases[0]
    periods = {key: Period(period(frame, key)) for key in PERIODS}
    log(f"scored: {time.perf_counter() - t0:.0f} s")
    phase_md, ranges = phase_table(phases)
    wall = time.perf_counter() - t0
    load = os.getloadavg()[0]
    runtime = (f"{wall / 60:.0f} min with `--n-jobs 2` at a load average of {load:.1f}: the five backtests "
               f"{t_runs / 60:.0f} min, importance and refits {t_imp / 60:.0f} min; backtest blocks already in the "
               "forecast cache are read back, not refitted" if not args.reuse_frames else
               "scored from saved frames, not a full run")
    models = ("ensemble", *MEMBERS, "garch")
    blocks = {
        "ensemble-readme": readme_text(periods, ranges, runtime),
        "ensemble-results": "\n\n".join([
            f"**After the tuning cutoff** ({span_words(periods['after'].frame)}; also looked at during development):",
            scores_table(periods["after"], models),
            f"**Design period** ({span_words(periods['design'].frame)}), on which the members, their settings, the "
            "member set and the drawdown centre were chosen (in sample for those choices):",
            scores_table(periods["design"], models),
            f"**Full period** ({span_words(frame)}), for reference: " + "; ".join(
                f"{WEEKS[h]} {pct(periods['full'].row('ensemble', h)['crps_skill'])} "
                f"({span(periods['full'].row('ensemble', h)['skill_low'], periods['full'].row('ensemble', h)['skill_high'])}), "
                f"{p_text(periods['full'].row('ensemble', h)['dm_p'])}" for h in HORIZONS) + " for the ensemble.",
            "**What the combination buys.** " + combination(periods).text(),
            combination_table(periods),
            "Models in the 90% model confidence set (stationary bootstrap, half-year blocks):",
            mcs_lines(periods),
            "**The phase of the origins.** Origins every 5 trading days are one of five phases of the trading days; the "
            "same backtest from each phase (phase k starts k trading days after 2005-01-03; phase 0 is the one above), "
            "after the tuning cutoff:",
            phase_md,
            weights_text(weights),
            autocorrelation_text(frame),
            f"Seed {SEED}; origins {FIRST} .. {LAST} every 5 trading days, refit every 4; this run: {runtime}."]),
        "gbm-results": member_table(periods, "gbm", name("gbm")) + "\n\n" + versus_table(periods, "gbm", "garch"),
        "rnn-results": member_table(periods, "rnn", name("rnn")) if "rnn" in set(frame["model"]) else "rnn was not run.",
        "importance": importance_text(perm, drops),
    }
    for key, text in blocks.items():
        print(f"\n<!-- {key} -->\n{text}")
    if args.write:
        for key, text in blocks.items():
            write_doc_block(ROOT / ("README.md" if key == "ensemble-readme" else "docs/forecasting.md"), key, wrap_paragraphs(text),
                            "bench/ensemble_results.py --write")
        log("wrote README.md and docs/forecasting.md")


if __name__ == "__main__":
    main()
