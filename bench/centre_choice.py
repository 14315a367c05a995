"""The evidence behind the drawdown centre of implied_vol and har, from origins up to the tuning cutoff only.

Everything after 2015-12-31 is cut off before anything runs. Part 1: for weekly origins 2005-01-03 ..
2015-12-31, an expanding least-squares line of the h-day return on one stress signal (log VIX, 22-day
realised volatility, drawdown depth), fitted on samples whose window ended by the origin: out-of-sample R^2
against the historical mean, and the direction AUC of the signal and of the line. Part 2: implied_vol and har
with the historical-mean centre vs the drawdown centre, through the walk-forward engine, CRPS skill against
climatology on the same folds.

Usage: .venv/bin/python bench/centre_choice.py [DATA_DIR]
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from _shared import data_dir, imported_store
from r2k.features.inputs import load_inputs
from r2k.models.fhs import drawdown_depth
from r2k.models.registry import make_model
from r2k.store import Store
from r2k.validation.engine import walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.scoring import score_backtest

CUTOFF = date(2015, 12, 31)
FIRST = pd.Timestamp("2005-01-03")


def signal_lines(f: pd.DataFrame) -> None:
    logp = np.log(f["close"].to_numpy())
    r1 = np.diff(logp, prepend=np.nan)
    signals = {"log VIX": np.log(f["VIX"].to_numpy()),
               "22-day realised vol": np.log(pd.Series(r1 ** 2).rolling(22).mean().to_numpy()) / 2,
               "drawdown depth (deeper = larger)": -drawdown_depth(f["close"].to_numpy())}
    origins = np.flatnonzero(f.index >= FIRST)[::5]
    print("h  signal                             OOS R2   AUC(signal)  AUC(line)")
    for h in (5, 10, 20):
        y_all = np.full(len(logp), np.nan)
        y_all[:-h] = logp[h:] - logp[:-h]
        for name, sig in signals.items():
            pred, base, ys, now = [], [], [], []
            for o in origins:
                n = o - h + 1  # samples whose window ended by the origin
                x, y = sig[:n], y_all[:n]
                ok = np.isfinite(x) & np.isfinite(y)
                beta = np.linalg.lstsq(np.column_stack([np.ones(ok.sum()), x[ok]]), y[ok], rcond=None)[0]
                pred.append(beta[0] + beta[1] * sig[o]), base.append(y[ok].mean()), ys.append(y_all[o]), now.append(sig[o])
            pred, base, ys, now = map(np.array, (pred, base, ys, now))
            ok = np.isfinite(ys)
            r2 = 1 - np.sum((ys[ok] - pred[ok]) ** 2) / np.sum((ys[ok] - base[ok]) ** 2)
            print(f"{h:<3}{name:<35}{r2:+.4f}   {roc_auc_score(ys[ok] > 0, now[ok]):.3f}        {roc_auc_score(ys[ok] > 0, pred[ok]):.3f}")


def centres(f: pd.DataFrame) -> None:
    models = [make_model("climatology")]
    for name in ("implied_vol", "har"):
        for centre in ("mean", "drawdown"):
            m = make_model(name, centre=centre)
            m.name = f"{name} ({centre})"
            models.append(m)
    plan = FoldPlan(horizons=(5, 10, 20), start=FIRST.date(), step=5, refit_every=4)
    frame = walk_forward(f["close"], models, plan, seed=1, n_jobs=2, features=f)
    t = score_backtest(frame, step=5).table
    print(t[["model", "horizon", "n", "crps_skill", "cov80", "cov90", "auc", "oos_r2"]].to_string(index=False))


def main() -> None:
    with imported_store(data_dir()) as path, Store(path, read_only=True) as store:
        f = load_inputs(store, "RUT", as_of=CUTOFF, macro=False)
    print(f"data cut at {CUTOFF}: {f.index[0].date()} .. {f.index[-1].date()}\n")
    signal_lines(f)
    print()
    centres(f)


if __name__ == "__main__":
    main()
