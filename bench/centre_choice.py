"""The return signal: candidates for the centre of the implied-volatility and HAR members, chosen on origins up to
the tuning cutoff only (the pre-registered test of docs/outlook.md), then scored after it.

``--choose`` cuts the data at 2015-12-31 before anything runs: at every weekly origin of the anchored grid from
1995-01-03, an expanding least-squares line of the 20-day log return on each candidate signal (samples whose
window ended by the origin, from the first day VIX is known) against the historical mean of the same samples;
Clark–West with a HAC variance (hac_lags(n, 20, 5)); a candidate passes with p < 0.05/3 and OOS R² > 0. It writes
the block "centre-choice" of docs/outlook.md.
``--after`` scores the same lines on the weekly origins after the cutoff (OOS R² with a stationary block-bootstrap
95% interval, Clark–West p, AUC of the line's forecast for a rise) and writes the block "centre-after"; run it only
once the choice is committed.

Usage: .venv/bin/python bench/centre_choice.py (--choose | --after) [--data DIR]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from _shared import DEFAULT_DATA, imported_store, write_doc_block
from r2k.analytics.robust import block_bootstrap, block_length, hac_lags
from r2k.features.inputs import load_inputs
from r2k.store import Store
from r2k.validation import metrics as M
from r2k.validation.folds import FoldPlan

CUTOFF = date(2015, 12, 31)
FIRST = date(1995, 1, 3)
H, STEP = 20, 5
ALPHA = 0.05
DOC = Path(__file__).resolve().parents[1] / "docs" / "outlook.md"
NAMES = {"vrp": "variance risk premium", "log_vix": "VIX level (log VIX)", "drawdown": "drawdown depth"}


def signals(f: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each candidate at every close (NaN where an input is unknown)."""
    logp = np.log(f["close"].to_numpy(dtype=float))
    r = np.diff(logp, prepend=np.nan)
    rv = 252 * pd.Series(r * r).rolling(22).mean().to_numpy()
    vix = f["VIX"].to_numpy(dtype=float)
    return {"vrp": (vix / 100) ** 2 - rv, "log_vix": np.log(vix), "drawdown": logp - np.maximum.accumulate(logp)}


@dataclass(frozen=True)
class LineForecasts:
    origins: pd.DatetimeIndex
    y: np.ndarray  # realised 20-day log return (NaN when unknown)
    line: np.ndarray  # the candidate line at the origin's signal
    mean: np.ndarray  # the historical mean of the same samples


def line_forecasts(f: pd.DataFrame, x: np.ndarray, first: date, last: date) -> LineForecasts:
    """Expanding least squares of the 20-day log return on ``x`` at each weekly grid origin in first..last."""
    logp = np.log(f["close"].to_numpy(dtype=float))
    y_all = np.full(len(logp), np.nan)
    y_all[:-H] = logp[H:] - logp[:-H]
    start = int(np.flatnonzero(np.isfinite(f["VIX"].to_numpy(dtype=float)))[0])
    ok = np.isfinite(x) & np.isfinite(y_all) & (np.arange(len(x)) >= start)
    xs, ys = np.where(ok, x, 0.0), np.where(ok, y_all, 0.0)
    c = {k: np.concatenate([[0.0], np.cumsum(v)]) for k, v in
         {"n": ok.astype(float), "x": xs, "y": ys, "xx": xs * xs, "xy": xs * ys}.items()}
    folds = FoldPlan(horizons=(H,), start=first, end=last, step=STEP, refit_every=4, anchored=True).folds(f.index)
    pos = np.array([fd.pos for fd in folds])
    k = pos - H + 1  # samples s <= pos - H: their window ended by the origin
    n, sx, sy, sxx, sxy = (c[key][k] for key in ("n", "x", "y", "xx", "xy"))
    b = (sxy - sx * sy / n) / (sxx - sx * sx / n)
    a = sy / n - b * sx / n
    return LineForecasts(f.index[pos], y_all[pos], a + b * x[pos], sy / n)


def after_cutoff(lf: LineForecasts) -> LineForecasts:
    keep = lf.origins > pd.Timestamp(CUTOFF)
    return LineForecasts(lf.origins[keep], lf.y[keep], lf.line[keep], lf.mean[keep])


def evaluate(lf: LineForecasts) -> dict[str, float]:
    ok = np.isfinite(lf.y) & np.isfinite(lf.line)
    y, line, mean = lf.y[ok], lf.line[ok], lf.mean[ok]
    cw = M.clark_west(y, line, mean, lags=hac_lags(len(y), H, STEP))
    r2 = block_bootstrap(lambda a, b, c: M.oos_r2(a, b, c), y, line, mean, block=block_length(H, STEP))
    return {"n": int(ok.sum()), "first": lf.origins[ok][0].date(), "last": lf.origins[ok][-1].date(), "oos_r2": r2.estimate,
            "r2_low": r2.ci_low, "r2_high": r2.ci_high, "cw_stat": cw.statistic, "cw_p": cw.p_value,
            "auc": M.auc(line, y > 0), "lags": hac_lags(len(y), H, STEP)}


def rows_text(results: dict[str, dict[str, float]], with_interval: bool) -> list[str]:
    head = "| candidate | origins | OOS R² | " + ("95% interval | " if with_interval else "") + "Clark–West t | p | AUC of the line |"
    out = [head, "|---" * (head.count("|") - 1) + "|"]
    for key, r in results.items():
        ci = f"{100 * r['r2_low']:+.2f}% .. {100 * r['r2_high']:+.2f}% | " if with_interval else ""
        out.append(f"| {NAMES[key]} | {r['n']:,} | {100 * r['oos_r2']:+.2f}% | {ci}{r['cw_stat']:+.2f} | {r['cw_p']:.3g} | {r['auc']:.3f} |")
    return out


def choose(data: Path) -> None:
    t0 = time.perf_counter()
    with imported_store(data) as path, Store(path, read_only=True) as store:
        f = load_inputs(store, "RUT", as_of=CUTOFF, macro=False)  # nothing after the cutoff is read
    assert f.index[-1] <= pd.Timestamp(CUTOFF)
    sig = signals(f)
    results = {k: evaluate(line_forecasts(f, x, FIRST, CUTOFF)) for k, x in sig.items()}
    bar = ALPHA / len(results)
    passing = {k: r for k, r in results.items() if r["cw_p"] < bar and r["oos_r2"] > 0}
    winner = min(passing, key=lambda k: passing[k]["cw_p"]) if passing else None
    r0 = next(iter(results.values()))
    lines = [f"Weekly origins {r0['first']} .. {r0['last']} with a known 20-day outcome by the cutoff ({r0['n']:,}); "
             f"HAC lags {r0['lags']}; data cut at {CUTOFF} before the run. Bar: Clark–West p < {bar:.4f} and OOS R² > 0.", "",
             *rows_text(results, with_interval=False), ""]
    if winner is None:
        lines.append("**Choice: no candidate passes. The centre of the implied-volatility and HAR members is the historical "
                     "mean of past h-day returns** (as for GARCH (historical mean) and gradient boosting), at every horizon.")
    else:
        lines.append(f"**Choice: {NAMES[winner]}** (the smallest Clark–West p among the passing candidates) becomes the "
                     "centre of the implied-volatility and HAR members, at every horizon.")
    write_doc_block(DOC, "centre-choice", "\n".join(lines), "bench/centre_choice.py --choose")
    print("\n".join(lines))
    print(f"({time.perf_counter() - t0:.1f} s)")


def after(data: Path) -> None:
    t0 = time.perf_counter()
    with imported_store(data) as path, Store(path, read_only=True) as store:
        f = load_inputs(store, "RUT", macro=False)
    sig = signals(f)
    start = CUTOFF - timedelta(days=45)  # a refit block early: the first origin after the cutoff is the record's
    results = {k: evaluate(after_cutoff(line_forecasts(f, x, start, f.index[-1].date()))) for k, x in sig.items()}
    r0 = next(iter(results.values()))
    lines = [f"Weekly origins {r0['first']} .. {r0['last']} after the cutoff with a known 20-day outcome ({r0['n']:,}); "
             f"the lines keep learning from every sample known at each origin; intervals: stationary block bootstrap, "
             f"mean block {block_length(H, STEP)} origins.", "", *rows_text(results, with_interval=True)]
    write_doc_block(DOC, "centre-after", "\n".join(lines), "bench/centre_choice.py --after")
    print("\n".join(lines))
    print(f"({time.perf_counter() - t0:.1f} s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--choose", action="store_true", help="the pre-registered choice on origins up to the cutoff")
    mode.add_argument("--after", action="store_true", help="score the candidate lines after the cutoff")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    choose(args.data) if args.choose else after(args.data)


if __name__ == "__main__":
    main()
