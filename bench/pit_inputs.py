"""What strictly point-in-time macro inputs cost or buy the gbm member (issue 19, part 3).

The same walk-forward as bench/bench_gbm.py (weekly origins 2005-01-03 .. 2026-07-29, h = 5/10/20, refit every 4
origins, the tuned parameters), run on the input frame built under different rules:

* ``before``: the rules before issue 19 — daily yields, spreads and oil known at their own close, every value
  carried forward without limit, every catalog factor (NFCI, ANFCI, STLFSI4 and CFNAI included);
* ``after``: the current defaults — those daily series from the next trading day, a value missing once its next
  release was due (r2k.macro.freshness.due_dates), the full-sample re-estimated indexes left out (MODEL_FACTORS);
* ``after+full_sample``: the current rules with every catalog factor (what leaving the indexes out changed);
* ``same_day`` / ``no_limit``: the current defaults with one rule put back (ablations, on request).

Prints per variant, period (2005-2015, 2016-2026, all) and horizon the CRPS skill against climatology with a 95%
stationary block-bootstrap interval (blocks of 26 weekly origins), and against ``before`` the skill difference with
a HAC p-value (r2k.analytics.robust); then what each rule does on its own: ``after`` against the variant with that
rule undone, on the same origins. ``--write-docs`` writes both tables into docs/forecasting.md.

Usage: PYTHONPATH=src .venv/bin/python bench/pit_inputs.py [DATA_DIR] [--variants before,after,...] (default: all five)
       [--n-jobs 2] [--start 2005-01-03] [--write-docs]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from _shared import DEFAULT_DATA, imported_store, write_doc_block

from r2k.analytics.robust import block_bootstrap, block_length, hac_lags, hac_mean_test, skill_ratio
from r2k.calendar.releases import NEXT_SESSION, SameDay
from r2k.features import builder
from r2k.features.inputs import load_inputs
from r2k.macro.catalog import CATALOG, MODEL_FACTORS, SERIES
from r2k.models.base import QUANTILE_COLUMNS
from r2k.models.registry import make_models
from r2k.models.tuned import tuned_params_hash
from r2k.store import Store
from r2k.validation import FoldPlan, walk_forward
from r2k.validation.metrics import crps_quantiles

SEED = 20260101
AS_OF = date(2026, 8, 27)
START, END_ORIGIN = date(2005, 1, 3), date(2026, 7, 29)
PERIODS = (("2005-2015", "1900-01-01", "2015-12-31"), ("2016-2026", "2016-01-01", "2100-01-01"),
           ("2005-2026", "1900-01-01", "2100-01-01"))
DOCS = Path(__file__).resolve().parents[1] / "docs" / "forecasting.md"


@contextmanager
def same_day() -> Iterator[None]:
    """Daily yields, spreads and oil known at their own close (the rule before issue 19)."""
    saved = dict(SERIES)
    SERIES.update({sid: replace(s, release=SameDay()) for sid, s in SERIES.items() if s.release == NEXT_SESSION})
    try:
        yield
    finally:
        SERIES.update(saved)


@contextmanager
def no_limit() -> Iterator[None]:
    """Values carried forward without limit (the rule before issue 19)."""
    with mock.patch.object(builder, "due_dates", lambda *_: None):
        yield


@contextmanager
def before() -> Iterator[None]:
    with same_day(), no_limit():
        yield


@contextmanager
def current() -> Iterator[None]:
    yield


# each rule of "after" and the variant that undoes only it
RULES = (("full-sample indexes left out", "after+full_sample"), ("daily series from the next session", "same_day"),
         ("staleness limit", "no_limit"))
VARIANTS: dict[str, tuple[Callable[[], AbstractContextManager[None]], tuple]] = {
    "before": (before, CATALOG), "after": (current, MODEL_FACTORS), "after+full_sample": (current, CATALOG),
    "same_day": (same_day, MODEL_FACTORS), "no_limit": (no_limit, MODEL_FACTORS)}


def losses(frame: pd.DataFrame) -> pd.DataFrame:
    """CRPS per (origin, horizon) of each model, on the rows with an outcome."""
    known = frame[frame["y"].notna()]
    crps = crps_quantiles(known["y"].to_numpy(), known[list(QUANTILE_COLUMNS)].to_numpy())
    return known.assign(crps=crps).pivot_table(index=["horizon", "origin"], columns="model", values="crps")


def parts(table: pd.DataFrame) -> Iterator[tuple[str, int, pd.DataFrame]]:
    """(period, horizon, the losses of those origins) wherever there are enough origins to say anything."""
    for period, lo, hi in PERIODS:
        for h in sorted(table.index.get_level_values("horizon").unique()):
            part = table.loc[h]
            part = part[(part.index >= lo) & (part.index <= hi)].dropna()
            if len(part) >= 50:  # fewer: a quick check with a late --start
                yield period, int(h), part


def gain(x: np.ndarray, ref: np.ndarray, h: int) -> tuple[float, float]:
    """CRPS skill of losses ``x`` over ``ref`` on the same origins, and the HAC p of the mean loss difference."""
    return skill_ratio(x, ref), hac_mean_test(ref - x, hac_lags(len(x), h, 5)).p_value


def rows(table: pd.DataFrame, names: list[str]) -> list[dict]:
    out = []
    for period, h, part in parts(table):
        base = part["climatology"].to_numpy()
        for name in names:
            x = part[name].to_numpy()
            ci = block_bootstrap(skill_ratio, x, base, block=block_length(h, 5), seed=SEED)
            row = {"variant": name, "period": period, "horizon": h, "n": len(x), "skill": ci.estimate,
                   "low": ci.ci_low, "high": ci.ci_high}
            if name != "before" and "before" in part:
                row["vs_before"], row["p_vs_before"] = gain(x, part["before"].to_numpy(), h)
            out.append(row)
    return out


def rule_rows(table: pd.DataFrame, names: list[str]) -> list[dict]:
    """The skill of ``after`` over each variant that undoes one of its rules, with a HAC p (per period, horizon)."""
    out = []
    for period, h, part in parts(table):
        if "after" not in part:
            continue
        for rule, undone in RULES:
            if undone in names:
                g, p = gain(part["after"].to_numpy(), part[undone].to_numpy(), h)
                out.append({"rule": rule, "period": period, "horizon": h, "n": len(part), "gain": g, "p": p})
    return out


def rules_markdown(result: pd.DataFrame) -> str:
    if result.empty:
        return ""
    lines = ["What each rule does on its own (CRPS skill of `after` over the variant with only that rule undone, "
             "same origins, HAC p):", "", "| rule | period | h = 5 | h = 10 | h = 20 |", "|---|---|---|---|---|"]
    for (rule, period), g in result.groupby(["rule", "period"], sort=False):
        cells = [f"{100 * r.gain:+.2f}% (p = {r.p:.2g})" for r in g.sort_values("horizon").itertuples()]
        lines.append(f"| {rule} | {period} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(result: pd.DataFrame, wall: dict[str, float], n_jobs: int) -> str:
    lines = ["| inputs | period | h | origins | CRPS skill vs climatology (95% interval) | vs before (HAC p) |",
             "|---|---|---|---|---|---|"]
    for r in result.itertuples():
        vs = "" if pd.isna(getattr(r, "vs_before", np.nan)) else f"{100 * r.vs_before:+.2f}% (p = {r.p_vs_before:.2g})"
        lines.append(f"| {r.variant} | {r.period} | {r.horizon} | {r.n:,} | {100 * r.skill:+.2f}% "
                     f"({100 * r.low:+.2f}% to {100 * r.high:+.2f}%) | {vs} |")
    lines.append("")
    lines.append(f"Wall time per gbm walk-forward ({n_jobs} worker(s), shared machine): "
                 + ", ".join(f"{k} {v:.0f} s" for k, v in wall.items()) + f"; tuned.json {tuned_params_hash()}.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--start", default=START.isoformat(), help="first origin (a later one for a quick check)")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--out", default=None, help="save the forecasts (parquet) to score again with --frame")
    ap.add_argument("--frame", default=None, help="only score forecasts saved with --out")
    args = ap.parse_args()
    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = set(names) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variants {sorted(unknown)}; known: {', '.join(VARIANTS)}")
    if args.frame:
        saved = pd.read_parquet(args.frame)
        report(saved, [n for n in names if n in set(saved["model"])], {}, args)
        return
    plan = FoldPlan(horizons=(5, 10, 20), start=date.fromisoformat(args.start), end=END_ORIGIN, step=5, refit_every=4)
    frames, wall = [], {}
    with imported_store(Path(args.data)) as path, Store(path, read_only=True) as store:
        closes = store.series("RUT", as_of=AS_OF).dropna()
        frames.append(walk_forward(closes, make_models(["climatology"]), plan, seed=SEED))
        for name in names:
            rules, factors = VARIANTS[name]
            with rules():
                inputs = load_inputs(store, "RUT", as_of=AS_OF, factors=factors)
            t0 = time.perf_counter()
            frame = walk_forward(inputs["close"], make_models(["gbm"]), plan, seed=SEED, n_jobs=args.n_jobs, features=inputs)
            wall[name] = time.perf_counter() - t0
            frames.append(frame.assign(model=name))
            print(f"{name}: {frame['origin'].nunique()} origins, {sum(c.startswith('z:') for c in inputs.columns)} macro "
                  f"z-scores, {wall[name]:.0f} s", flush=True)
    frame = pd.concat(frames, ignore_index=True)
    if args.out:
        frame.assign(wall=frame["model"].map(wall)).to_parquet(args.out, index=False)
    report(frame, names, wall, args)


def report(frame: pd.DataFrame, names: list[str], wall: dict[str, float], args: argparse.Namespace) -> None:
    if "wall" in frame.columns:
        wall = wall or frame.dropna(subset=["wall"]).groupby("model")["wall"].first().to_dict()
        frame = frame.drop(columns="wall")
    table = losses(frame)
    result = pd.DataFrame(rows(table, names))
    text = markdown(result, wall, args.n_jobs) + "\n\n" + rules_markdown(pd.DataFrame(rule_rows(table, names)))
    print("\n" + text)
    if args.write_docs:
        write_doc_block(DOCS, "pit-inputs", text, "bench/pit_inputs.py --write-docs")
        print(f"\nwritten to {DOCS}")


if __name__ == "__main__":
    main()
