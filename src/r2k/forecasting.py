"""Library entry points for the CLI and the report: a scored walk-forward backtest, and the forecast
distributions at one origin. Both go through the one walk-forward engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from r2k import names
from r2k.errors import DataError
from r2k.features.inputs import starts_later
from r2k.models.base import QUANTILE_COLUMNS, Distribution, Forecast, Forecaster
from r2k.models.ensemble import WINDOW_YEARS, weight_history
from r2k.models.registry import BASELINE, make_model, make_models
from r2k.store.forecast_cache import ForecastCache
from r2k.validation.engine import Progress, walk_forward
from r2k.validation.folds import FoldPlan
from r2k.validation.scoring import Scores, score_backtest

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot

DEFAULT_MODELS, PUBLISHED_MODELS = names.DEFAULT_MODELS, names.PUBLISHED_MODELS
# A combining model learns its weights from member forecasts of the last WINDOW_YEARS (models.ensemble); a backtest's
# members start this long before its first scored origin (a whole learning window and a margin of more than one refit
# block of LIVE_REFIT weekly origins), so every weight is learned from the rows a live forecast at that origin would use.
WARMUP = pd.DateOffset(years=WINDOW_YEARS, months=6)


def _with_baseline(models: Sequence[str]) -> list[str]:
    names = [m.strip().lower() for m in models if m.strip()]
    return names if BASELINE in names else [BASELINE, *names]


def input_start(models: Sequence[Forecaster], features: pd.DataFrame | None, horizons: Sequence[int]) -> pd.Timestamp | None:
    """The first origin at which every input the models need has enough history for the longest horizon
    (each model's ``capabilities.min_history`` + h known days); None when no model needs one, Timestamp.max
    when it never has."""
    lo = None
    for m in models:
        for column in m.capabilities.inputs:
            if features is None or column not in features.columns:
                continue
            known = features[column].dropna()
            need = m.capabilities.min_history + max(horizons)
            at = known.index[need] if len(known) > need else pd.Timestamp.max
            lo = at if lo is None else max(lo, at)
    return lo


def input_problem(model: Forecaster, features: pd.DataFrame | None, first: pd.Timestamp, last: pd.Timestamp,
                  horizons: Sequence[int] = (1,)) -> str | None:
    """Why ``model`` cannot forecast every origin in first..last from ``features``, or None when it can."""
    ready = input_start([model], features, horizons)
    for column in model.capabilities.inputs:
        if features is None or column not in features.columns or features[column].dropna().empty:
            if (start := starts_later(features, column)) is not None:
                when = "origin" if first == last else "first origin"
                return f"{model.name}: the {column} series starts on {start}, after the {when} {first.date()}"
            return f"{model.name}: needs the {column} series, which is not in the store"
        col = features[column].loc[:last]
        known = col.dropna()
        if known.empty or known.index[-1] < col.index[-1]:
            end = known.index[-1].date() if len(known) else "never"
            return f"{model.name}: the {column} series ends on {end}, before the last origin {last.date()}"
        if known.index[0] > first:
            return f"{model.name}: the {column} series starts on {known.index[0].date()}, after the first origin {first.date()}"
    if ready is not None and ready > first:
        return (f"{model.name}: its inputs need {model.capabilities.min_history + max(horizons)} known days before the first origin "
                f"{first.date()} for {max(horizons)}-day forecasts")
    return None


def resolve_models(names: Sequence[str], features: pd.DataFrame | None, first: pd.Timestamp,
                   last: pd.Timestamp, horizons: Sequence[int] = (1,)) -> tuple[list[Forecaster], tuple[str, ...]]:
    """Models by name, with every combining model's members added before it. A member whose inputs are missing
    is dropped from the combination with a note; a model asked for by name whose inputs are missing is an error."""
    asked = make_models(names)
    notes: list[str] = []
    out: dict[str, Forecaster] = {}
    for model in asked:
        if not model.capabilities.stacks:
            if (problem := input_problem(model, features, first, last, horizons)) is not None:
                raise DataError(model.name, problem.removeprefix(f"{model.name}: "))
            out.setdefault(model.name, model)
            continue
        kept = []
        for member in model.capabilities.stacks:
            m = out.get(member) or make_model(member)
            if (problem := input_problem(m, features, first, last, horizons)) is not None:
                notes.append(f"{problem}: left out of the {model.name}")
                continue
            out.setdefault(member, m)
            kept.append(member)
        if not kept:
            raise DataError(model.name, "no member can forecast these origins: " + "; ".join(notes))
        out[model.name] = make_model(model.name, members=tuple(kept)) if tuple(kept) != model.capabilities.stacks else model
    return list(out.values()), tuple(notes)


@dataclass(frozen=True)
class BacktestResult:
    """The long forecast frame of a walk-forward backtest and its scores."""

    symbol: str
    plan: FoldPlan
    models: tuple[str, ...]
    seed: int
    frame: pd.DataFrame
    scores: Scores
    notes: tuple[str, ...] = ()
    weights: pd.DataFrame | None = None  # a combining model's member weights at each of its refit origins

    def summary(self) -> str:
        notes = "".join(f"\nnote: {n}" for n in self.notes)
        return f"{self.symbol} backtest: {self.plan.summary()}; seed {self.seed}\n{self.scores.summary()}{notes}"

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "plan": self.plan.to_dict(), "models": list(self.models), "seed": self.seed,
                "n_forecasts": len(self.frame), "n_origins": int(self.frame["origin"].nunique()),
                "first_origin": self.frame["origin"].min(), "last_origin": self.frame["origin"].max(),
                "scores": self.scores.to_dict(), "notes": list(self.notes),
                "weights": None if self.weights is None else self.weights.to_dict(orient="records")}


def run_backtest(closes: pd.Series, *, symbol: str = "RUT", models: Sequence[str] = DEFAULT_MODELS,
                 horizons: Sequence[int] = names.DEFAULT_HORIZONS, start: date | None = None, end: date | None = None,
                 step: int = 5, refit_every: int = 4, window: str = "expanding", window_length: int | None = None,
                 n_jobs: int = 1, seed: int = 0, features: pd.DataFrame | None = None, anchored: bool = False,
                 final: bool = False, cache: ForecastCache | None = None,
                 on_progress: Progress | None = None) -> BacktestResult:
    """Walk forward over ``closes`` and score every model against climatology on the same folds.

    Climatology is added when it is not listed: every score is relative to it. ``features`` is the daily input
    frame (:func:`r2k.features.inputs.load_inputs`) for the models that need one. When a combining model is
    asked for, the members also forecast the WARMUP before ``start`` (those origins are not scored), so its
    weights are learned from a full window of realised forecasts from the first scored origin on. ``cache`` reuses the
    forecasts of refit blocks whose inputs are unchanged (:mod:`r2k.store.forecast_cache`; same numbers).
    ``anchored`` starts the origins at the next refit-block boundary of the fixed trading-day grid (FoldPlan), so a
    run one day later has the same past blocks (cache hits). ``final`` makes the last date (``end`` or the last close)
    an origin too, on the grid or not (it joins the grid's last refit block, as a live forecast's origin does).
    ``on_progress(done, total)`` reports finished model-folds (for a progress display; the library prints nothing).
    """
    plan = FoldPlan(horizons=tuple(horizons), start=start, end=end, step=step, refit_every=refit_every,
                    window=window, window_length=window_length, anchored=anchored, final=final)  # type: ignore[arg-type]
    run = backtest_frame(closes, plan, models, symbol=symbol, n_jobs=n_jobs, seed=seed, features=features, cache=cache,
                         on_progress=on_progress)
    refits = [f.origin for f in run.folds if f.refit]
    weights = _weights(run.frame if run.warm is None else run.warm, run.built, refits, plan.horizons)
    return BacktestResult(symbol, plan, tuple(m.name for m in run.built), seed, run.frame, score_backtest(run.frame, step=step),
                          run.notes, weights)


@dataclass(frozen=True)
class BacktestRun:
    """A backtest's forecasts before scoring: the frame (scored origins only), the frame with the warm-up origins
    (None without a warm-up), the plan's folds, the models as run and the notes."""

    frame: pd.DataFrame
    warm: pd.DataFrame | None
    folds: list
    built: tuple
    notes: tuple[str, ...]
    horizons: tuple[int, ...]
    left_out: tuple[str, ...] = ()  # the notes on members left out of a combination (what a live forecast notes)

    def last_weights(self) -> pd.DataFrame | None:
        """A combining model's weights at the plan's last origin, as learned at its refit block (a live forecast's)."""
        return block_weights(self.frame if self.warm is None else self.warm, self.built, self.folds, self.horizons)


def backtest_frame(closes: pd.Series, plan: FoldPlan, models: Sequence[str], *, symbol: str = "RUT", n_jobs: int = 1,
                   seed: int = 0, features: pd.DataFrame | None = None, cache: ForecastCache | None = None,
                   on_progress: Progress | None = None) -> BacktestRun:
    """The walk-forward forecasts of :func:`run_backtest` (climatology added, the members' warm-up before a combining
    model's first origin) without the scores and weights, for callers that score a frame of their own."""
    names = _with_baseline(models)
    closes = closes.dropna()
    folds = plan.folds(pd.DatetimeIndex(closes.index))
    built, notes = resolve_models(names, features, folds[0].origin, folds[-1].origin, plan.horizons)
    run_plan = plan
    left_out = notes
    if any(m.capabilities.stacks for m in built) and plan.start is not None:
        run_plan = _warm_plan(plan, pd.DatetimeIndex(closes.index), folds[0].pos, built, features)
        if run_plan is plan:
            notes += (f"no warm-up before {plan.start}: the members' inputs start too late; the combination starts with equal weights",)
    frame = walk_forward(closes, built, run_plan, seed=seed, n_jobs=n_jobs, features=features, series=symbol, cache=cache,
                         on_progress=on_progress)
    if run_plan is plan:
        return BacktestRun(frame, None, folds, tuple(built), notes, plan.horizons, left_out)
    return BacktestRun(frame[frame["origin"] >= folds[0].origin].reset_index(drop=True), frame, folds, tuple(built), notes,
                       plan.horizons, left_out)


@dataclass(frozen=True)
class SavedBacktest:
    """A backtest frame read back from a file (``r2k backtest --out``) and scored by the same rules."""

    path: Path
    step: int
    frame: pd.DataFrame
    scores: Scores

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.path, "step": self.step, "models": list(dict.fromkeys(self.frame["model"])),
                "n_forecasts": len(self.frame), "n_origins": int(self.frame["origin"].nunique()),
                "first_origin": self.frame["origin"].min(), "last_origin": self.frame["origin"].max(),
                "scores": self.scores.to_dict()}


def score_saved_backtest(path: Path, step: int | None = None, baseline: str = BASELINE) -> SavedBacktest:
    """Score a saved backtest frame: the same table, intervals, tests and verdict as the run that wrote it. ``step``
    (trading days between origins) defaults to the spacing of the file's origins on the NYSE calendar."""
    from r2k.backtest_file import read_backtest_frame
    from r2k.validation.scoring import origin_step

    frame = read_backtest_frame(Path(path))
    if baseline not in set(frame["model"]):
        raise DataError(str(path), f"the baseline {baseline} is not among its models ({', '.join(sorted(set(frame['model'])))})")
    used = step or origin_step(frame["origin"])
    return SavedBacktest(Path(path), used, frame, score_backtest(frame, step=used, baseline=baseline))


def _warm_plan(plan: FoldPlan, dates: pd.DatetimeIndex, first_pos: int, built: Sequence[Forecaster],
               features: pd.DataFrame | None) -> FoldPlan:
    """The plan extended back by up to WARMUP on the same grid of origins and refit blocks (so every scored
    origin is one of the plan's own), never before the members' inputs have enough history (:func:`input_start`)."""
    lo = pd.Timestamp(plan.start) - WARMUP
    ready = input_start(built, features, plan.horizons)
    lo = lo if ready is None else max(lo, ready)
    k = 0
    while first_pos - plan.step * (k + 1) >= plan.min_train and dates[first_pos - plan.step * (k + 1)] >= lo:
        k += 1
    k -= k % plan.refit_every
    return plan if k == 0 else replace(plan, start=dates[first_pos - plan.step * k].date())


def _weights(frame: pd.DataFrame, built: Sequence[Forecaster], origins: list[pd.Timestamp],
             horizons: tuple[int, ...]) -> pd.DataFrame | None:
    """Each combining model's weights at ``origins``, recomputed from the realised member forecasts it saw, with BLAS
    on one thread as in the engine (so they do not depend on the process or the thread count)."""
    with threadpool_limits(limits=1):
        parts = [weight_history(frame, origins, m.capabilities.stacks, horizons, getattr(m, "min_history", 52),
                                getattr(m, "window_years", WINDOW_YEARS)).assign(model=m.name)
                 for m in built if m.capabilities.stacks]
    return pd.concat(parts, ignore_index=True) if parts else None


def block_weights(frame: pd.DataFrame, built: Sequence[Forecaster], folds: list, horizons: tuple[int, ...]) -> pd.DataFrame | None:
    """Each combining model's weights at the last of ``folds``: those learned at the first origin of its refit block."""
    fitted = next(f.origin for f in reversed(folds) if f.refit)
    weights = _weights(frame, built, [fitted], horizons)
    return None if weights is None else weights.assign(origin=folds[-1].origin)


@dataclass(frozen=True)
class OriginForecast:
    """Every model's distribution at one origin (the last close on or before the as-of date)."""

    symbol: str
    origin: pd.Timestamp
    last_close: float
    forecasts: tuple[Forecast, ...]
    seed: int
    notes: tuple[str, ...] = ()
    weights: pd.DataFrame | None = None  # a combining model's member weights per horizon at this origin

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([f.row() for f in self.forecasts])

    def price_quantiles(self, model: str, levels: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Price levels last_close * exp(q) per horizon for one model (rows: horizon; columns: level)."""
        rows = {f.horizon: [self.last_close * np.exp(f.dist.quantile(lv)) for lv in levels] for f in self.forecasts if f.model == model}
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(levels)).sort_index()

    def summary(self) -> str:
        lines = [f"{self.symbol} forecasts from the close of {self.origin.date()} ({self.last_close:,.2f}):"]
        lines += [f"  {f.summary()}" for f in self.forecasts]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "origin": self.origin, "last_close": self.last_close, "seed": self.seed,
                "forecasts": [f.to_dict() for f in self.forecasts], "notes": list(self.notes),
                "weights": None if self.weights is None else self.weights.to_dict(orient="records")}


# the grid of the live forecast, the outlook's record and its calibration: weekly origins, members refitted every 12 of them
# (60 trading days, as the live plan always did; their state is updated at every origin)
LIVE_STEP, LIVE_REFIT = 5, 12


def _live_plan(closes: pd.Series, horizons: tuple[int, ...], stacked: bool, ready: pd.Timestamp | None = None) -> FoldPlan:
    """The plan behind one live forecast: just the origin, or (for a combining model) the weekly grid of a backtest
    (LIVE_STEP, LIVE_REFIT, anchored on NYSE session numbers) from WARMUP before the origin (never before ``ready``,
    the first day the members' inputs have enough history) up to the origin, which joins the grid's last refit
    block. So the forecast at any date is the one a weekly backtest on the same grid makes there: the same member
    fits, the same realised rows behind the weights (the block's first origin), the same numbers; and the next
    day's plan has the same past blocks (cache hits)."""
    origin = pd.Timestamp(closes.index[-1])
    min_train = min(500, len(closes) - 1)
    if not stacked:
        return FoldPlan(horizons=horizons, start=origin.date(), end=origin.date(), step=1, min_train=min_train)
    lower = origin - WARMUP
    first = closes.index[closes.index.searchsorted(lower if ready is None else max(lower, min(ready, origin)))]
    return FoldPlan(horizons=horizons, start=first.date(), end=origin.date(), step=LIVE_STEP, min_train=min_train,
                    refit_every=LIVE_REFIT, anchored=True, final=True)


def _origin_run(closes: pd.Series, wanted: list[str], horizons: tuple[int, ...], *, symbol: str, seed: int,
                features: pd.DataFrame | None, cache: ForecastCache | None,
                on_progress: Progress | None) -> tuple[pd.DataFrame, tuple[str, ...], pd.DataFrame | None]:
    """One live plan for ``horizons``: the forecast rows at the origin, notes, and a combining model's weights as
    used there (learned at the origin's refit block)."""
    asked = [make_model(n) for n in wanted]
    stacked = any(m.capabilities.stacks for m in asked)
    members = [make_model(s) for m in asked for s in m.capabilities.stacks]
    plan = _live_plan(closes, horizons, stacked, input_start(members, features, horizons))
    folds = plan.folds(pd.DatetimeIndex(closes.index))
    origin = folds[-1].origin
    built, notes = resolve_models(wanted, features, folds[0].origin, origin, horizons)
    frame = walk_forward(closes, built, plan, seed=seed, series=symbol, features=features, cache=cache, on_progress=on_progress,
                         stack_last_block=True)
    weights = block_weights(frame, built, folds, plan.horizons)
    return frame[(frame["origin"] == origin) & frame["model"].isin(wanted)], notes, weights


def _share(on_progress: Progress | None, i: int, n: int) -> Progress | None:
    """Progress of the i-th of n runs as a share of the whole (per mille)."""
    if on_progress is None:
        return None
    return lambda done, total: on_progress(1000 * i + (1000 * done) // max(total, 1), 1000 * n)


def forecast_as_of(closes: pd.Series, *, as_of: date | None = None, symbol: str = "RUT",
                   horizons: Sequence[int] = names.DEFAULT_HORIZONS, models: Sequence[str] = DEFAULT_MODELS, seed: int = 0,
                   features: pd.DataFrame | None = None, cache: ForecastCache | None = None,
                   on_progress: Progress | None = None) -> OriginForecast:
    """The distributions of every model for the origin = the last close on or before ``as_of``.

    A combining model (the ensemble) is run with its members on the weekly backtest grid over the WARMUP before
    the origin, through the same engine (:func:`_live_plan`): its weights come from realised forecasts only, and
    the forecast at an origin is the one a weekly backtest makes there. Each horizon has a plan of its own, so a
    distribution never depends on which other horizons were asked for. ``cache`` reuses the forecasts of refit
    blocks whose inputs are unchanged (the same numbers, without refitting).
    """
    closes = closes.dropna()
    if as_of is not None:
        closes = closes.loc[: pd.Timestamp(as_of)]
    if closes.empty:
        raise DataError(symbol, f"no closes on or before {as_of}")
    if len(closes) < 3:  # the plan needs >= 2 closes of training data before the origin
        raise DataError(symbol, f"only {len(closes)} closes up to {closes.index[-1].date()}: too short a history to forecast from",
                        row=str(closes.index[-1].date()))
    origin = pd.Timestamp(closes.index[-1])
    if features is not None:
        features = features.loc[:origin]
    wanted = [m.strip().lower() for m in models]
    hs = tuple(sorted(set(horizons)))
    stacked = any(make_model(n).capabilities.stacks for n in wanted)
    plans = [(h,) for h in hs] if stacked else [hs]
    runs = [_origin_run(closes, wanted, p, symbol=symbol, seed=seed, features=features, cache=cache,
                        on_progress=_share(on_progress, i, len(plans))) for i, p in enumerate(plans)]
    now = pd.concat([r[0] for r in runs], ignore_index=True)
    notes = tuple(dict.fromkeys(n for r in runs for n in r[1]))
    parts = [r[2] for r in runs if r[2] is not None]
    return OriginForecast(symbol, origin, float(closes.iloc[-1]), frame_forecasts(now, wanted), seed, notes,
                          pd.concat(parts, ignore_index=True) if parts else None)


def frame_forecasts(rows: pd.DataFrame, models: Sequence[str]) -> tuple[Forecast, ...]:
    """Forecast-frame rows as forecasts, ordered by ``models`` (as listed), then by horizon."""
    order = {n: i for i, n in enumerate(models)}
    rows = rows.sort_values(["model", "horizon"], key=lambda s: s.map(order) if s.name == "model" else s, kind="stable")
    return tuple(Forecast(r["model"], pd.Timestamp(r["origin"]), int(r["horizon"]), pd.Timestamp(r["target"]),
                          Distribution(float(r["mean"]), np.array([r[c] for c in QUANTILE_COLUMNS]), float(r["p_up"])))
                 for r in rows.to_dict(orient="records"))


def forecast_from_store(snap: Snapshot, *, horizons: Sequence[int] = names.DEFAULT_HORIZONS, models: Sequence[str] = PUBLISHED_MODELS,
                        seed: int | None = None, on_progress: Progress | None = None) -> OriginForecast:
    """:func:`forecast_as_of` on the closes and inputs of a snapshot (the CLI's, the update job's and the
    dashboard's one way to forecast); the seed (default: the settings') and the block-forecast cache
    (Settings.cache_dir) come from the snapshot's settings."""
    names = [m.strip().lower() for m in models if m.strip()]
    cfg = snap.config
    return forecast_as_of(snap.series(), as_of=snap.day, symbol=snap.symbol, horizons=horizons, models=names,
                          seed=cfg.seed if seed is None else seed, features=snap.model_inputs(names),
                          cache=forecast_cache(cfg.cache_dir), on_progress=on_progress)


def forecast_cache(cache_dir: Path | None) -> ForecastCache | None:
    """The block-forecast cache under ``cache_dir`` (None: no cache)."""
    return None if cache_dir is None else ForecastCache(cache_dir)
