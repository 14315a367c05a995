"""``r2k importance``: which predictors a feature-using forecast model relies on."""

from __future__ import annotations

from typing import Annotated

import typer

from r2k import names
from r2k.cli.common import AsOfOpt, JsonOpt, StoreOpt, emit_json, parse_date, parse_int_list, print_table, settings, snapshot
from r2k.cli.fmt import index_name, step_progress

IMPORTANCE_HELP = """Permutation importance on CRPS inside the walk-forward, and the latest forecast's contributions.

For each predictor (the macro z-scores as one group) the model is run through the same walk-forward folds with that predictor's value at each origin replaced by its value on a random earlier day (never a later one); the table shows how much the CRPS rises (in percent of the model's own CRPS, with a bootstrap standard error). Below it, for the forecast from the last close on or before --as-of: each predictor's contribution to the predicted log variance of the coming returns and to the log-odds of a rise.
"""

def importance_cmd(
    model: Annotated[str, typer.Option("--model", help="Feature-using model (gbm).")] = "gbm",
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index.")] = "RUT",
    start: Annotated[str, typer.Option("--start", help="First origin (YYYY-MM-DD).")] = "2005-01-03",
    step: Annotated[int, typer.Option("--step", help="Trading days between origins.", min=1)] = 20,
    refit_every: Annotated[int, typer.Option("--refit-every", help="Refit every this many origins.", min=1)] = 3,
    horizons: Annotated[str, typer.Option("--horizons", help="Comma-separated horizons in trading days.")] = names.horizon_text(names.DEFAULT_HORIZONS),
    top: Annotated[int, typer.Option("--top", help="Rows of the contributions table.", min=1)] = 10,
    n_jobs: Annotated[int, typer.Option("--n-jobs", help="Parallel worker processes (results do not depend on it).")] = 1,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default: the settings seed).")] = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    from dataclasses import replace

    from r2k.validation.importance import importance_plan, latest_contributions, permutation_importance, top_contributions

    d_start = parse_date(start, "--start")
    assert d_start is not None
    hs = tuple(parse_int_list(horizons, "--horizons"))
    used_seed = settings(store).seed if seed is None else seed
    with snapshot(store, as_of, symbol) as snap:
        features = snap.inputs()
    d_as_of = snap.day if as_of is not None else None
    closes = features["close"]
    plan = importance_plan(d_start, d_as_of, step, refit_every, hs)
    with step_progress("permutation importance", quiet=as_json) as on_progress:
        result = permutation_importance(closes, features, model, plan=plan, seed=used_seed, n_jobs=n_jobs,
                                        on_progress=on_progress)
        origin, contrib = latest_contributions(closes, features, model, horizons=hs, seed=used_seed)
    result = replace(result, contributions=contrib, as_of=origin)
    if as_json:
        emit_json(result.to_dict())
        return
    from r2k.cli.fmt import num, pct
    from r2k.features.predictors import predictor_label

    print_table(["predictor", ("CRPS increase", "right"), ("± s.e.", "right"), *((f"{h} trading days", "right") for h in hs)],
                [[predictor_label(r.feature), pct(r.relative, 2, True), pct(r.relative_se, 2),
                  *(pct(getattr(r, f"h{h}") / result.base_crps, 2, True) for h in hs)] for r in result.table.itertuples()],
                title=f"{index_name(symbol)} {result.model}: permutation importance ({plan.summary()})")
    h = max(hs)
    print_table(["predictor", ("to log variance", "right"), ("to log-odds of a rise", "right")],
                [[predictor_label(r.feature), num(r.log_variance, 3, True), num(r.direction_logit, 3, True) or "—"]
                 for r in top_contributions(contrib, h, top).itertuples()],
                title=f"Contributions to the {h}-day forecast from the close of {origin.date()}")


importance_cmd.__doc__ = IMPORTANCE_HELP


def register(app: typer.Typer) -> None:
    app.command("importance")(importance_cmd)
