"""``r2k tune``: a hyperparameter search on walk-forward origins up to the tuning cutoff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from r2k import names

from r2k.cli.common import (JsonOpt, StoreOpt, UsageError, console, emit_json, parse_date, print_table, settings,
                            snapshot, utc_now)
from r2k.cli.fmt import step_progress

TUNE_HELP = """Search a model's hyperparameters (Optuna TPE, seeded) on walk-forward origins ending at the tuning cutoff.

Every close and input after the cutoff (default 2015-12-31, the settings' tuning cutoff) is dropped before the search starts, so no trial can see a later value. The objective is the mean CRPS over the horizons, scored by the walk-forward engine. The best parameters are written to the package's tuned-parameter file (with the trial count, cutoff, seed, best CRPS, date and version), which the backtest and forecasts read as the model's defaults; that default applies to a source checkout only (an installed package needs --out FILE.json, which the models do not read). Tunable: gbm.
"""


def tune_cmd(
    model: Annotated[str, typer.Option("--model", help="Model to tune (gbm).")] = "gbm",
    trials: Annotated[int, typer.Option("--trials", help="Number of trials.", min=1)] = 25,
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index.")] = "RUT",
    horizons: Annotated[str, typer.Option("--horizons", help="Comma-separated horizons in trading days.")] = names.horizon_text(names.DEFAULT_HORIZONS),
    start: Annotated[str, typer.Option("--start", help="First origin of the search plan (YYYY-MM-DD).")] = "2000-01-03",
    cutoff: Annotated[str | None, typer.Option("--cutoff", help="Last day of data the search may read (default: the settings' tuning cutoff).")] = None,
    step: Annotated[int, typer.Option("--step", help="Trading days between origins.", min=1)] = 20,
    refit_every: Annotated[int, typer.Option("--refit-every", help="Refit every this many origins.", min=1)] = 6,
    n_jobs: Annotated[int, typer.Option("--n-jobs", help="Parallel worker processes per trial (results do not depend on it).")] = 1,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the sampler and the models (default: the settings seed).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Tuned-parameter file to update (default: the package's, in a "
                                                       "source checkout only).")] = None,
    write: Annotated[bool, typer.Option("--write/--no-write", help="Write the chosen parameters.")] = True,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    from r2k.cli.common import parse_int_list
    from r2k.models.tuned import default_tuned_target
    from r2k.outfile import check_writable
    from r2k.validation.tuning import SEARCH_SPACES, tune, tuning_plan, write_tuned

    if model.strip().lower() not in SEARCH_SPACES:
        raise UsageError(f"--model: {model!r} cannot be tuned; tunable: {', '.join(SEARCH_SPACES)}")
    target = out if out is not None else default_tuned_target()
    if write and target is None:
        raise UsageError("r2k is installed as a package, whose tuned-parameter file a search does not rewrite: "
                         "give --out FILE.json (or --no-write)")
    target = check_writable(target) if write and target is not None else None  # before the search, not after it
    conf = settings(store)
    d_cut = parse_date(cutoff, "--cutoff") or conf.tuning_cutoff
    d_start = parse_date(start, "--start")
    assert d_start is not None
    if d_start >= d_cut:
        raise UsageError(f"--start {d_start} must be before the cutoff {d_cut}")
    with snapshot(store, d_cut, symbol) as snap:
        closes = snap.series()
        features = snap.model_inputs([model.strip().lower()])
    plan = tuning_plan(d_cut, d_start, step, refit_every, tuple(parse_int_list(horizons, "--horizons")))
    used_seed = conf.seed if seed is None else seed
    with step_progress(f"tuning {model} ({trials} trials)", quiet=as_json) as on_trial:
        result = tune(closes, model, features=features, trials=trials, cutoff=d_cut, plan=plan, seed=used_seed,
                      n_jobs=n_jobs, on_trial=on_trial)
    path = write_tuned(result, utc_now().date(), target) if target is not None else None
    if as_json:  # as of the cutoff: the last day of data the search read
        emit_json(result.to_dict() | {"written_to": path.name if path else None}, as_of=d_cut)
        return
    print_table(["parameter", ("best value", "right")], [[k, f"{v:.4g}" if isinstance(v, float) else str(v)]
                                                          for k, v in result.params.items()],
                title=f"{result.model}: best mean CRPS {result.best_crps:.6f} after {result.trials} trials on origins up to "
                      f"{result.cutoff} (seed {result.seed})", caption=result.plan.summary())
    if path is not None:
        console.print(f"saved as the default parameters of {result.model}" if out is None else
                      f"saved in {out.name} (the models read their defaults from the package's tuned.json only)")


tune_cmd.__doc__ = TUNE_HELP


def register(app: typer.Typer) -> None:
    app.command("tune")(tune_cmd)
