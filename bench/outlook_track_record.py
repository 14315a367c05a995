"""The rating track record quoted in docs/outlook.md, and (with --calibrate) the rating map itself.

One walk-forward run of the outlook model through the engine: weekly origins (every 5 trading days)
from 1990 to the last close, horizons 10, 20 and 260 trading days, refit every 4 origins. Origins on or
before the tuning cutoff (2015-12-31) fix the cut points (--calibrate writes src/r2k/outlook/rating_map.json;
no outcome is read); origins after it are the out-of-sample record. Ratings history is shown from 2005.

Run: .venv/bin/python bench/outlook_track_record.py [--data DIR] [--calibrate] [--cache FILE.parquet] [--n-jobs 2]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import pandas as pd

from _shared import DEFAULT_DATA, imported_store
from r2k.analytics.returns import risk_free_daily
from r2k.config import Settings
from r2k.features.inputs import load_inputs
from r2k.outlook.rating_map import calibrate, load_map
from r2k.outlook.source import HORIZONS, OUTLOOK_MODEL, HistoryPlan, forecast_history, needs_features
from r2k.outlook.track_record import track_record
from r2k.store import Store

MAP_PATH = Path(__file__).resolve().parents[1] / "src" / "r2k" / "outlook" / "rating_map.json"
PLAN = HistoryPlan(start=date(1990, 1, 1), step=5, refit_every=4)
SHOWN_FROM = date(2005, 1, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--calibrate", action="store_true", help="write the rating map from pre-cutoff origins")
    ap.add_argument("--cache", type=Path, help="reuse (or save) the walk-forward frame here")
    ap.add_argument("--n-jobs", type=int, default=2)
    args = ap.parse_args()
    settings = Settings(store_path=Path("unused"))
    with imported_store(args.data) as path, Store(path, read_only=True) as store:
        closes = store.series("RUT").dropna()
        fedfunds = store.series("FEDFUNDS") if store.has("FEDFUNDS") else None
        feats = load_inputs(store, "RUT") if needs_features() else None
    t0 = time.perf_counter()
    if args.cache and args.cache.exists():
        history = pd.read_parquet(args.cache)
    else:
        history = forecast_history(closes, PLAN, features=feats, seed=settings.seed, n_jobs=args.n_jobs)
        if args.cache:
            history.to_parquet(args.cache)
    print(f"walk-forward {OUTLOOK_MODEL}: {history['origin'].nunique()} origins "
          f"{history['origin'].min().date()}..{history['origin'].max().date()}, horizons {HORIZONS}: "
          f"{time.perf_counter() - t0:.1f} s")
    rf = risk_free_daily(fedfunds, pd.DatetimeIndex(closes.index))
    if args.calibrate:
        current = json.loads(MAP_PATH.read_text()) if MAP_PATH.exists() else None
        version = 1 if current is None else int(current["version"]) + 1
        rmap = calibrate(history, rf, settings.tuning_cutoff, model=OUTLOOK_MODEL, step=PLAN.step, version=version)
        MAP_PATH.write_text(json.dumps(rmap.to_dict(), indent=1) + "\n")
        print(f"wrote {MAP_PATH.name} version {version}: {rmap.calibration}")
    rmap = load_map()
    shown = history[history["origin"] >= pd.Timestamp(SHOWN_FROM)]
    rec = track_record(shown, closes, rf, rmap, settings.tuning_cutoff, PLAN.to_dict() | {"shown_from": SHOWN_FROM}, HORIZONS)
    print(rec.summary())
    for h, r in rec.horizons.items():
        print(f"  h={h}: {r.n_origins} rated origins after the cutoff with a known outcome, {r.n_independent} non-overlapping")
        for t in (r.returns_welch, r.returns_mwu, r.risk_welch):
            if t is not None:
                print(f"  h={h}: {t.summary()}")
        counts = rec.rated[rec.rated["horizon"] == h]["rating"].value_counts()
        print(f"  h={h} ratings given since {SHOWN_FROM}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
