"""The one walk-forward loop. Data are sliced per fold before a model sees them; each block of origins
between refits starts from a deep copy of the model; blocks run in parallel with joblib and give the
same numbers as a serial run, because every random number comes from a seed derived from the base seed,
the model name and the origin date, never from execution order.
"""

from __future__ import annotations

import copy
import os
import zlib
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from r2k.errors import DataError
from r2k.models.base import QUANTILE_COLUMNS, Forecaster, History
from r2k.store.forecast_cache import ForecastCache, block_key, row_hashes
from r2k.validation.folds import Fold, FoldPlan, PlanError

COLUMNS: tuple[str, ...] = ("origin", "target", "horizon", "model", "y", "mean", "p_up", *QUANTILE_COLUMNS)

Progress = Callable[[int, int], None]  # (model-folds done, model-folds in all): for a caller's progress display


class _Tally:
    """Counts finished model-folds and reports them to an optional ``on_progress`` (the library prints nothing)."""

    def __init__(self, total: int, on_progress: Progress | None) -> None:
        self.done, self.total, self.on_progress = 0, total, on_progress

    def add(self, n: int) -> None:
        self.done += n
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)


def fold_rng(seed: int, model: str, origin: pd.Timestamp, stream: int) -> np.random.Generator:
    """The generator for one (model, origin); ``stream`` 0 = fit, 1 = predict."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(origin.toordinal()), zlib.crc32(model.encode()), stream]))


def _history(closes: pd.Series, features: pd.DataFrame | None, fold: Fold, offset: int, gap: int,
             members: MemberRows | None = None) -> History:
    window = closes.iloc[fold.train_start_pos - offset : fold.pos - offset + 1]
    feats = None if features is None else features.loc[: fold.origin]
    known = None if members is None else members.known(fold.origin)
    return History(window, fold.origin, gap=gap, features=feats, forecasts=known, source=features)


class MemberRows:
    """Member forecast rows with their dates held as arrays, so that the rows known at each origin of a run are
    picked out without scanning the frame's columns again at every origin."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows
        self._origin = rows["origin"].to_numpy()
        self._target = rows["target"].to_numpy()
        self._realised = rows["y"].notna().to_numpy()

    def known(self, origin: pd.Timestamp) -> pd.DataFrame:
        """Rows a combining model may see at ``origin``: those whose target was realised by then (with their
        outcome ``y``), and those made at the origin itself (outcome hidden)."""
        when = np.datetime64(pd.Timestamp(origin))
        realised = self.rows.iloc[np.flatnonzero((self._target <= when) & self._realised)]
        current = self.rows.iloc[np.flatnonzero(self._origin == when)].assign(y=np.nan)
        return pd.concat([realised, current], ignore_index=True)


def known_forecasts(members: pd.DataFrame | None, origin: pd.Timestamp) -> pd.DataFrame | None:
    """Member forecast rows a combining model may see at ``origin`` (:meth:`MemberRows.known`)."""
    return None if members is None else MemberRows(members).known(origin)


def _run_chunk(model: Forecaster, closes: pd.Series, features: pd.DataFrame | None, folds: list[Fold], offset: int,
               horizons: tuple[int, ...], gap: int, seed: int, members: pd.DataFrame | None = None,
               cache: ForecastCache | None = None, feature_hashes: np.ndarray | None = None,
               on_fold: Callable[[int], None] | None = None) -> list[tuple[int, np.ndarray]]:
    """Run consecutive folds block by block (a block is taken from ``cache`` when every input it saw is unchanged).

    BLAS is held to one thread in every process: a multi-threaded BLAS may sum in a different order,
    and an optimiser can amplify that into different estimates (serial and parallel runs must agree).
    """
    blocks: dict[int, list[Fold]] = {}
    for f in folds:
        blocks.setdefault(f.block, []).append(f)
    close_hashes = row_hashes(closes) if cache is not None else None
    member_hashes = _member_hashes(members) if cache is not None and members is not None else None
    rows = None if members is None else MemberRows(members)
    out: list[tuple[int, np.ndarray]] = []
    with threadpool_limits(limits=1):
        for block in blocks.values():
            key = ""
            if cache is not None:
                key = _block_key(model, closes, features, block, offset, horizons, gap, seed, member_hashes, close_hashes,
                                 feature_hashes)
                shape = (len(block), len(horizons), 2 + len(QUANTILE_COLUMNS))
                if (hit := cache.get(key, shape)) is not None:
                    out += [(f.index, hit[i]) for i, f in enumerate(block)]
                    if on_fold is not None:
                        on_fold(len(block))
                    continue
            done = _run_folds(model, closes, features, block, offset, horizons, gap, seed, rows, on_fold)
            if cache is not None:
                cache.put(key, np.stack([v for _, v in done]))
            out += done
    return out


def _block_key(model: Forecaster, closes: pd.Series, features: pd.DataFrame | None, block: list[Fold], offset: int,
               horizons: tuple[int, ...], gap: int, seed: int, members: tuple[pd.DataFrame, np.ndarray, np.ndarray] | None,
               close_hashes: np.ndarray | None, feature_hashes: np.ndarray | None) -> str:
    """The cache key of one block: what :func:`_history` hands the model at its origins (closes of the window,
    input rows up to the last origin and, for a combining model, the member rows made by then with the outcomes
    realised by then), plus model, seed and plan. Every row in it is known at the block's last origin."""
    lo, hi = min(f.train_start_pos for f in block) - offset, block[-1].pos - offset
    last = block[-1].origin
    parts = [closes.index[lo:hi + 1].asi8.tobytes(), close_hashes[lo:hi + 1].tobytes()]  # type: ignore[index]
    if features is not None and feature_hashes is not None:
        n = int(features.index.searchsorted(last, side="right"))
        parts += [repr([str(c) for c in features.columns]).encode(), feature_hashes[:n].tobytes()]
    if members is not None:
        rows, forecast_hashes, outcome_hashes = members
        made = (rows["origin"] <= last).to_numpy()
        known = made & (rows["target"] <= last).to_numpy() & rows["y"].notna().to_numpy()
        parts += [forecast_hashes[made].tobytes(), outcome_hashes[known].tobytes()]
    return block_key(model, seed, horizons, gap, [(f.origin.date(), f.train_start.date(), f.refit) for f in block], parts)


def _member_hashes(members: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Member rows with one hash per row of the forecast (every column but ``y``) and one of the outcome."""
    rows = members.reset_index(drop=True)
    return rows, row_hashes(rows.drop(columns="y"), index=False), row_hashes(rows[["y"]], index=False)


def _run_folds(model: Forecaster, closes: pd.Series, features: pd.DataFrame | None, folds: list[Fold], offset: int,
               horizons: tuple[int, ...], gap: int, seed: int, members: MemberRows | None = None,
               on_fold: Callable[[int], None] | None = None) -> list[tuple[int, np.ndarray]]:
    """Run consecutive folds; every refit fold starts again from a fresh copy of ``model``."""
    out: list[tuple[int, np.ndarray]] = []
    current: Forecaster | None = None
    for fold in folds:
        history = _history(closes, features, fold, offset, gap, members)
        if fold.refit or current is None:
            current = copy.deepcopy(model)
            current.fit(history, fold_rng(seed, model.name, fold.origin, 0))
        elif current.capabilities.supports_update:
            current.update(history)
        dists = current.predict(history, horizons, fold_rng(seed, model.name, fold.origin, 1))
        block = np.array([[dists[h].mean, dists[h].p_up, *dists[h].quantiles] for h in horizons])
        out.append((fold.index, block))
        if on_fold is not None:
            on_fold(1)
    return out


def _chunks(folds: list[Fold], n: int) -> list[list[Fold]]:
    """Split folds into about ``n`` runs of whole blocks (a block never straddles two chunks)."""
    blocks: dict[int, list[Fold]] = {}
    for f in folds:
        blocks.setdefault(f.block, []).append(f)
    groups = list(blocks.values())
    size = max(1, -(-len(groups) // n))
    return [[f for g in groups[i : i + size] for f in g] for i in range(0, len(groups), size)]


MIN_BLOCKS_PER_JOB = 25  # starting a worker costs ~1-2 s here: short backtests run faster serially


def _workers(n_jobs: int, folds: list[Fold]) -> int:
    """Workers worth starting: at most the CPUs and one per MIN_BLOCKS_PER_JOB refit blocks (results never
    depend on it: a block never straddles two chunks)."""
    cpus = os.cpu_count() or 1
    wanted = cpus if n_jobs < 0 else n_jobs
    return max(1, min(wanted, cpus, len({f.block for f in folds}) // MIN_BLOCKS_PER_JOB))


def walk_forward(closes: pd.Series, models: Sequence[Forecaster], plan: FoldPlan, *, seed: int = 0, n_jobs: int = 1,
                 features: pd.DataFrame | None = None, series: str = "series", cache: ForecastCache | None = None,
                 on_progress: Progress | None = None, stack_last_block: bool = False) -> pd.DataFrame:
    """Forecast every fold of ``plan`` with every model; the long frame of :data:`COLUMNS`.

    ``y`` is the realised log return origin -> target (NaN when the target is beyond the data).
    Models that combine others (``capabilities.stacks``) run after them on the same folds and see, at
    each origin, only the member forecasts whose targets were realised by then (:func:`known_forecasts`).
    With ``cache``, a refit block whose inputs are unchanged is read back instead of recomputed (bit-identical).
    ``on_progress(done, total)`` is called as model-folds finish (each fold when serial, each chunk in parallel).
    ``stack_last_block``: combining models forecast the last refit block only (a live forecast wants the origin's
    forecast; the members still run on every fold, since the combination learns from their past forecasts, and a
    combining model's forecasts in a block depend on its fit at the block's first origin, never on its own past).
    """
    closes = closes.dropna().astype(float)
    closes.index = pd.DatetimeIndex(closes.index)
    if (closes <= 0).any():
        bad = closes.index[(closes <= 0).to_numpy()][0]
        raise DataError(series, f"non-positive close {closes.loc[bad]} cannot be log-transformed", row=str(bad.date()))
    names = [m.name for m in models]
    if not models or len(set(names)) != len(names):
        raise PlanError(f"models must be a non-empty list of distinct names, got {names}")
    for m in models:
        if m.capabilities.needs_features and features is None:
            raise PlanError(f"model {m.name} needs features but none were given")
        missing = [s for s in m.capabilities.stacks if s not in names or s == m.name]
        if missing:
            raise PlanError(f"model {m.name} combines {', '.join(missing)}, which must run in the same backtest")
    base = [m for m in models if not m.capabilities.stacks]
    stackers = [m for m in models if m.capabilities.stacks]
    folds = plan.folds(closes.index)
    hashes = row_hashes(features) if cache is not None and features is not None else None
    stacked = [f for f in folds if f.block == folds[-1].block] if stack_last_block else folds
    tally = _Tally(len(folds) * len(base) + len(stacked) * len(stackers), on_progress)
    frame = _run_models(closes, base, folds, plan, features, seed, n_jobs, cache=cache, feature_hashes=hashes, tally=tally)
    for m in stackers:
        members = frame[frame["model"].isin(m.capabilities.stacks)]
        frame = pd.concat([frame, _run_models(closes, [m], stacked, plan, features, seed, n_jobs, members, cache, hashes, tally)],
                          ignore_index=True)
    order = {n: i for i, n in enumerate(names)}
    return frame.sort_values("model", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def _run_models(closes: pd.Series, models: Sequence[Forecaster], folds: list[Fold], plan: FoldPlan,
                features: pd.DataFrame | None, seed: int, n_jobs: int, members: pd.DataFrame | None = None,
                cache: ForecastCache | None = None, feature_hashes: np.ndarray | None = None,
                tally: _Tally | None = None) -> pd.DataFrame:
    if not models:
        return pd.DataFrame(columns=list(COLUMNS))
    gap = plan.gap or 0
    n_jobs = _workers(n_jobs, folds)
    chunks = _chunks(folds, max(1, n_jobs) * 4 if n_jobs != 1 else 1)
    tasks = []
    for m in models:
        for chunk in chunks:
            lo, hi = min(f.train_start_pos for f in chunk), chunk[-1].pos
            # a chunk gets the member rows it may need: made on or before its last origin
            part = None if members is None else members[members["origin"] <= chunk[-1].origin]
            tasks.append((m, closes.iloc[lo : hi + 1], chunk, lo, part))
    tally = tally or _Tally(0, None)
    if n_jobs == 1:
        results = [_run_chunk(m, c, features, ch, lo, plan.horizons, gap, seed, part, cache, feature_hashes, tally.add)
                   for m, c, ch, lo, part in tasks]
    else:
        results = []
        run = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_run_chunk)(m, c, features, ch, lo, plan.horizons, gap, seed, part, cache, feature_hashes)
            for m, c, ch, lo, part in tasks)
        for (_, _, chunk, _, _), res in zip(tasks, run, strict=True):  # in task order: the frame does not depend on timing
            results.append(res)
            tally.add(len(chunk))
    return _frame(closes, folds, plan, models, chunks, results)


def _frame(closes: pd.Series, folds: list[Fold], plan: FoldPlan, models: Sequence[Forecaster],
           chunks: list[list[Fold]], results: list) -> pd.DataFrame:
    logp = np.log(closes.to_numpy())
    H = np.array(plan.horizons)
    per_model = len(chunks)
    frames = []
    for i, m in enumerate(models):
        values = dict(item for res in results[i * per_model : (i + 1) * per_model] for item in res)
        body = np.vstack([values[f.index] for f in folds])
        n = len(folds)
        pos = np.repeat([f.pos for f in folds], len(H))
        tpos = pos + np.tile(H, n)
        y = np.full(len(pos), np.nan)
        ok = tpos < len(logp)
        y[ok] = logp[tpos[ok]] - logp[pos[ok]]
        part = pd.DataFrame(body[:, 2:], columns=list(QUANTILE_COLUMNS))
        part.insert(0, "p_up", body[:, 1])
        part.insert(0, "mean", body[:, 0])
        part.insert(0, "y", y)
        part.insert(0, "model", m.name)
        part.insert(0, "horizon", np.tile(H, n).astype("int64"))
        part.insert(0, "target", pd.DatetimeIndex([t for f in folds for t in f.targets]).astype("datetime64[us]"))
        part.insert(0, "origin", pd.DatetimeIndex(np.repeat([f.origin for f in folds], len(H))).astype("datetime64[us]"))
        frames.append(part)
    return pd.concat(frames, ignore_index=True)
