"""The risk grade's calibration (--calibrate writes src/r2k/outlook/rating_map.json) and its record, the numbers of
docs/outlook.md (the blocks "rating-map", "grade-record", "direction-record" and "grade-checks").

One configuration (the live one, r2k.outlook.source): the ensemble on the anchored weekly grid (origins every 5
trading days, refit every 12), one run per horizon (20 and 260 trading days), the weights learned over the last 8
years with a warm-up covering them, climatology and the random walk on the same folds. --calibrate runs the origins
1995..2015-12-31 with the data cut at the cutoff (no outcome is read) and writes the map; the record then runs every
weekly origin from 1995 to the last close and scores the grades and the direction after the cutoff against the tests
written beforehand in docs/outlook.md. Block forecasts are kept in the forecast cache (R2K_CACHE_DIR, else the user
cache directory): a second run reads them back.

Run: .venv/bin/python bench/outlook_track_record.py [--data DIR] [--calibrate] [--n-jobs 2] [--no-docs]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import pandas as pd

from _shared import DEFAULT_DATA, imported_store, write_doc_block
from r2k.config import load_settings
from r2k.forecasting import forecast_cache
from r2k.outlook.rating_map import CALIBRATION_START, MAP_VERSION, calibrate_from_closes, cut_rows, load_map
from r2k.outlook.source import GRADED, OUTLOOK_MODEL, SHORT, WEEKS, HistoryPlan, forecast_history
from r2k.outlook.track_record import track_record, volatility_rises
from r2k.snapshot import Snapshot
from r2k.store import Store
from r2k.words import p_value

ROOT = Path(__file__).resolve().parents[1]
MAP_PATH = ROOT / "src" / "r2k" / "outlook" / "rating_map.json"
DOC = ROOT / "docs" / "outlook.md"
WRITER = "bench/outlook_track_record.py"
CHECK_DATES = {"worse half": (date(2008, 10, 10), date(2020, 3, 16)), "better half": (date(2017, 6, 30), date(2026, 8, 27))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--calibrate", action="store_true", help="write the rating map from origins up to the cutoff")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--no-docs", action="store_true", help="print only; leave docs/outlook.md as it is")
    args = ap.parse_args()
    settings = load_settings()
    started = time.perf_counter()
    with imported_store(args.data) as path, Store(path, read_only=True) as store:
        closes = store.series("RUT").dropna()
        vix = store.series("VIX").dropna()
        feats = Snapshot(store, None, settings=settings).model_inputs([OUTLOOK_MODEL])
        cache = forecast_cache(settings.cache_dir)
        if args.calibrate:
            t0 = time.perf_counter()
            rmap = calibrate_from_closes(closes, settings.tuning_cutoff, seed=settings.seed, version=MAP_VERSION,
                                         n_jobs=args.n_jobs, features=feats, cache_dir=settings.cache_dir)
            MAP_PATH.write_text(json.dumps(rmap.to_dict(), indent=1) + "\n")
            print(f"wrote {MAP_PATH.name} version {rmap.version}: {rmap.calibration} ({time.perf_counter() - t0:.0f} s)")
        t0 = time.perf_counter()
        plan = HistoryPlan(start=CALIBRATION_START)
        frame = forecast_history(closes, plan, features=feats, seed=settings.seed, n_jobs=args.n_jobs, baselines=True,
                                 cache=cache)
        own = frame[frame["model"] == OUTLOOK_MODEL]
        print(f"walk-forward {OUTLOOK_MODEL}: {own['origin'].nunique()} weekly origins {own['origin'].min().date()}.."
              f"{own['origin'].max().date()}, horizons {GRADED}: {time.perf_counter() - t0:.0f} s")
        rmap = load_map()
        rec = track_record(frame, closes, rmap, settings.tuning_cutoff, plan.to_dict(), GRADED, vix, settings.seed)
        print(rec.summary())
        checks = live_checks(store, closes, rec, rmap, settings, cache)
    print("\n".join(checks))
    took = time.perf_counter() - started
    print(f"({took:.0f} s in all)")
    if not args.no_docs:
        write_docs(rec, rmap, checks)


def live_checks(store, closes, rec, rmap, settings, cache) -> list[str]:  # noqa: ANN001
    """The grade as of the issue's four dates, and the record's grade against the live grade at 24 spread origins."""
    from r2k.outlook.ratings import grade
    from r2k.outlook.source import origin_distributions

    def live(day: date):  # noqa: ANN202 - OriginDistributions
        return origin_distributions(closes, day, features=Snapshot(store, day, settings=settings).model_inputs([OUTLOOK_MODEL]),
                                    seed=settings.seed, cache=cache)

    lines = []
    for half, days in CHECK_DATES.items():
        for day in days:
            g = grade(live(day).dists[SHORT], SHORT, rmap)
            ok = (g.notch >= 11) == (half == "worse half")
            lines.append(f"- {day}: {g.meaning()} — in the {'worse' if g.notch >= 11 else 'better'} half "
                         f"({'as expected' if ok else 'NOT as expected'}: {half}).")
    groups = rec.horizons[SHORT].groups
    vols = ", ".join(f"{r.group} {100 * r.realised_vol:.1f}%" for r in groups.itertuples() if r.count)
    rises = "rises" if volatility_rises(groups) else "does NOT rise"
    lines.append(f"- Realised volatility of the 4-week notch groups after the cutoff {rises} from the best group to the "
                 f"worst: {vols}.")
    rated = rec.rated[rec.rated["origin"] > pd.Timestamp(settings.tuning_cutoff)]
    picks = pd.concat([rows.iloc[:: max(1, len(rows) // 12)].head(12) for _, rows in rated.groupby("horizon")])
    same = 0
    for row in picks.itertuples():
        g = grade(live(pd.Timestamp(row.origin).date()).dists[row.horizon], row.horizon, rmap)
        same += (g.notch, g.score) == (row.notch, row.score)
    lines.append(f"- The record's grade equals the grade of `r2k outlook --as-of` that origin at {same} of {len(picks)} "
                 f"spread origins (both horizons; the same notch and the same score to the last bit).")
    r, d = rec.horizons[SHORT], rec.direction.get(SHORT)
    passed = r.primary is not None and r.primary.ci_low > 0
    adds = r.secondary is not None and r.secondary.ci_low > 0
    lines += ["", f"In short: the 4-week grade {'passes' if passed else 'does not pass'} the primary test (it "
                  f"{'orders' if passed else 'does not detectably order'} the coming downside out of sample), "
                  f"{'adds' if adds else 'adds nothing detectable'} to the VIX level alone; on the direction of the "
                  f"next 4 weeks the forecasts show {'nothing' if d is None else d.words()}."]
    return lines


def pct(x: float, signed: bool = True, digits: int = 1) -> str:
    return "n/a" if x != x else (f"{100 * x:+.{digits}f}%" if signed else f"{100 * x:.{digits}f}%")


def write_docs(rec, rmap, checks: list[str]) -> None:  # noqa: ANN001 - TrackRecord, RatingMap
    c = rmap.calibration
    hs = sorted(rmap.horizons)
    lines = [f"Rating map version {rmap.version}, {c['n_origins']:,} weekly origins {c['first_origin']} .. "
             f"{c['last_origin']}; a grade's expected shortfall at or above the cut gets the notch or better.", "",
             "| notch | share of weeks | " + " | ".join(f"cut, {WEEKS[h]} weeks" for h in hs) + " |",
             "|---|---|" + "---|" * len(hs)]
    for label, f, cuts in cut_rows(rmap):
        lines.append(f"| {label} | {100 * f:.1f}% | " + " | ".join("below Ca" if x is None else pct(x) for x in cuts) + " |")
    write_doc_block(DOC, "rating-map", "\n".join(lines), f"{WRITER} --calibrate")

    lines = []
    for h, r in rec.horizons.items():
        title = f"**{WEEKS[h]} weeks (h = {h}), {r.n:,} weekly origins {r.first} .. {r.last} ({r.n_independent} non-overlapping)**"
        lines += [title + (" — indicative" if r.indicative else ""), "",
                  "| notch group | count | realised vol | mean drawdown | worst drawdown | loss beyond 5% | loss beyond 10% | "
                  "below rated 5% quantile | p of 5% |", "|---|---|---|---|---|---|---|---|---|"]
        for g in r.groups.itertuples():
            lines.append(f"| {g.group} | {g.count} | {pct(g.realised_vol, False)} | {pct(g.mean_drawdown)} | "
                         f"{pct(g.worst_drawdown)} | {pct(g.loss_5, False)} | {pct(g.loss_10, False)} | "
                         f"{pct(g.below_q05, False)} | {'n/a' if g.count == 0 else p_value(g.q05_p, 'n/a')} |")
        lines += ["", f"{r.verdict()}" + ("" if r.indicative else f" {r.secondary_text()}"), ""]
    write_doc_block(DOC, "grade-record", "\n".join(lines), WRITER)

    lines = []
    for h, d in rec.direction.items():
        lines.append(f"- {WEEKS[h]} weeks: {d.n:,} weekly origins {d.first} .. {d.last}; AUC of P(up) {d.auc.estimate:.3f} "
                     f"(95% interval {d.auc.ci_low:.3f} to {d.auc.ci_high:.3f}); out-of-sample R² of the mean against "
                     f"climatology {pct(d.oos_r2.estimate, digits=2)} ({pct(d.oos_r2.ci_low, digits=2)} to {pct(d.oos_r2.ci_high, digits=2)}); rises "
                     f"{pct(d.rises, False)}: **{d.words()}**.")
    d = rec.direction.get(SHORT)
    if d is not None:
        lines += ["", f"Reliability of the 4-week P(up) after the cutoff:", "", "| P(up) bin | forecasts | mean P(up) | observed rises |",
                  "|---|---|---|---|"]
        lines += [f"| {r.low:.2f}–{r.high:.2f} | {r.count} | {r.mean_p_up:.3f} | {r.observed:.3f} |" for r in d.reliability.itertuples()]
    write_doc_block(DOC, "direction-record", "\n".join(lines), WRITER)
    write_doc_block(DOC, "grade-checks", "\n".join(checks), WRITER)


if __name__ == "__main__":
    main()
