"""``r2k backtest`` and ``r2k forecast``: walk-forward scores against climatology, and the distributions at one origin."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from r2k import names
from r2k.cli.common import (
    AsOfOpt, JsonOpt, SchedulerOpt, StoreOpt, UsageError, check_n_jobs, console, emit_json, parse_date, parse_int_list,
    print_table, scheduler_address, settings, snapshot,
)
from r2k.cli.fmt import index_name, step_progress
from r2k.cli.monitor import log_published

if TYPE_CHECKING:
    from r2k.forecasting import BacktestResult, OriginForecast
    from r2k.validation.scoring import Scores

KNOWN_MODELS = ", ".join(f"{m} (optional extra '{names.OPTIONAL_MODELS[m]}')" if m in names.OPTIONAL_MODELS else m
                         for m in names.MODELS)
DEFAULT_HORIZONS = names.horizon_text(names.DEFAULT_HORIZONS)

MODELS_HELP = (f"Comma-separated models: {KNOWN_MODELS}. Climatology is always added to a backtest; the ensemble "
               "brings its members.")
FORECAST_MODELS_HELP = (f"Comma-separated models to forecast with: {KNOWN_MODELS}. Default: the ensemble, which runs its "
                        "members over the 8 years before the origin to learn its weights; a single model such as garch "
                        "is faster.")

BACKTEST_HELP = """Walk-forward backtest of probabilistic forecasts of the h-day log return, scored against climatology.

At every origin (every --step trading days from --start to --end) each model sees only closes up to that origin and forecasts the distribution of log(close(t+h) / close(t)) as quantiles q01..q99, mean and P(up). Models: climatology (empirical distribution of all overlapping past h-day returns), random_walk (zero-mean normal, 250-day volatility x sqrt(h)), garch (GJR-GARCH(1,1) skew-t, constant mean, simulated paths; refitted every --refit-every origins, variance filtered forward in between), gbm (LightGBM forecast of the coming realised variance from price, volatility, sector and macro predictors, historical-simulation shape around the historical mean, P(up) from a logistic regression on stress signals).

Members of the ensemble: garch_hm (GARCH re-centred on the historical mean), implied_vol (VIX-scaled filtered historical simulation), har (log-HAR of realised variance with log VIX^2), gbm (LightGBM scale and direction), rnn (a small GRU, optional); the ensemble averages their quantiles with weights learned only from forecasts whose targets were realised before each origin (the members also forecast the 3 years before --start so it starts with weights). Models that read VIX use its 16:15 ET close on the origin day: the forecast is issued then.

Scores per model and horizon: CRPS, CRPS skill vs climatology, coverage of the 80%/90% central intervals, Berkowitz PIT test p-value (non-overlapping origins), direction AUC, out-of-sample R^2 of the mean vs the prevailing mean, the 95% block-bootstrap interval of the skill and a Diebold-Mariano (HAC) p-value vs climatology; then the model confidence set and a verdict in words (better only when the test and the interval agree). --out writes the long frame (origin, target, horizon, model, y, mean, p_up, q01..q99) as .csv or .parquet.
"""

FORECAST_HELP = """Forecast distributions of the h-day log return from one origin: the last close on or before --as-of.

Prints per model and horizon the target date, mean, 5/10/50/90/95% quantiles, the matching index levels and P(up). Horizons may be long (65, 130, 260 trading days = 13, 26, 52 weeks). The default model is the ensemble: it runs its members over the 8 years before the origin (every 20 trading days) to learn its weights from realised forecasts only, and prints the weights per horizon and where its P(up) comes from. It uses the VIX close of the origin day (16:15 ET), so the forecast is issued at 16:15. A forecast from the last stored close is written to the forecast log (a repeat changes nothing; --no-log skips it); one from an earlier --as-of is not, unless --log asks for it, and such rows count as a retrospective record, never as the live one. 'r2k score' scores them once realised.
"""

LOG_HELP = ("Write the forecasts to the forecast log. Default: only when forecasting from the last stored close (a past "
            "--as-of is not logged; with --log its rows are a retrospective record).")


def _names(models: str) -> list[str]:
    names = [m.strip() for m in models.split(",") if m.strip()]
    if not names:
        raise UsageError(f"--models: {models!r} names no model")
    return names


def _print_notes(notes: tuple[str, ...]) -> None:
    for n in notes:
        console.print(f"note: {n}", highlight=False)


def _model(name: str) -> str:
    from r2k.outlook.source import MODEL_SHORT

    return MODEL_SHORT.get(name, name)


def _print_scores(scores: Scores, title: str) -> None:
    """The score table, the model confidence set per horizon and the verdict (r2k backtest and r2k evaluate)."""
    from r2k.cli.fmt import count, num, p_value, pct

    def interval(r: Any) -> str:
        return "" if r.skill_low != r.skill_low else f"{pct(r.skill_low, 1, True)} to {pct(r.skill_high, 1, True)}"

    rows = [[_model(r.model), str(r.horizon), count(r.n), num(r.crps, 4), pct(r.crps_skill, 1, True), interval(r),
             pct(r.cov80, 0), pct(r.cov90, 0), p_value(r.berkowitz_p), num(r.auc, 2), pct(r.oos_r2, 1, True),
             p_value(r.dm_p)] for r in scores.table.itertuples()]
    print_table(["model", ("trading days", "right"), ("n", "right"), ("CRPS", "right"), ("skill", "right"), ("95% interval", "right"),
                 ("80%", "right"), ("90%", "right"), ("PIT p", "right"), ("AUC", "right"), ("OOS R²", "right"),
                 ("DM p", "right")], rows, title=title,
                caption="trading days: the horizon; n: forecasts scored; skill: CRPS improvement over climatology, with "
                        "its 95% block-bootstrap interval; 80%, 90%: share of outcomes inside the central interval; "
                        "PIT p: calibration test; DM p: skill differs from climatology's (Diebold-Mariano, HAC).")
    for h, mcs in scores.mcs.items():
        if mcs.note:
            console.print(f"{h} trading days: model confidence set not computed ({mcs.note}); every model kept")
        else:
            console.print(f"{h} trading days: models not shown worse than the best (model confidence set at "
                          f"{pct(1 - mcs.size, 0)}, {count(mcs.n)} origins): {', '.join(map(_model, mcs.included))}")
    console.print(f"[bold]Verdict:[/bold] {scores.verdict.text(_model, lambda h: f'over {h} trading days')}")


def _print_backtest(result: BacktestResult) -> None:
    _print_scores(result.scores, f"{index_name(result.symbol)} backtest: {result.plan.summary()}")
    _print_notes(result.notes)


def backtest_cmd(
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index.")] = "RUT",
    models: Annotated[str, typer.Option("--models", help=MODELS_HELP)] = ",".join(names.DEFAULT_MODELS),
    horizons: Annotated[str, typer.Option("--horizons", help="Comma-separated horizons in trading days.")] = names.horizon_text(names.DEFAULT_HORIZONS),
    start: Annotated[str, typer.Option("--start", help="First origin (YYYY-MM-DD).")] = "2000-01-01",
    end: Annotated[str | None, typer.Option("--end", help="Last origin (default: the last stored close).")] = None,
    step: Annotated[int, typer.Option("--step", help="Trading days between origins.", min=1)] = 5,
    refit_every: Annotated[int, typer.Option("--refit-every", help="Refit models every this many origins.", min=1)] = 4,
    window: Annotated[str, typer.Option("--window", help="Training window: expanding or rolling.")] = "expanding",
    window_length: Annotated[int | None, typer.Option("--window-length", help="Closes in a rolling window.")] = None,
    n_jobs: Annotated[int, typer.Option("--n-jobs", help="Parallel worker processes (results do not depend on it).")] = 1,
    scheduler: SchedulerOpt = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Base random seed (default: the settings seed).", min=0)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the long forecast frame to FILE.csv or FILE.parquet.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write a self-contained HTML page of the scores to FILE.html "
                                                                  "(skill with intervals, PIT, coverage, CRPS over time).")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    d_start, d_end = parse_date(start, "--start"), parse_date(end, "--end")
    from r2k.outfile import check_writable

    if out is not None and out.suffix.lower() not in (".csv", ".parquet"):
        raise UsageError(f"--out {out}: the file name must end in .csv or .parquet")
    if report is not None and report.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--report {report}: the file name must end in .html")
    # checked before the backtest, not after it
    out = check_writable(out) if out is not None else None
    report = check_writable(report) if report is not None else None
    if window not in ("expanding", "rolling"):
        raise UsageError(f"--window: {window!r} is not 'expanding' or 'rolling'")
    if window_length is not None and window != "rolling":
        raise UsageError("--window-length applies only to --window rolling (an expanding window uses every close)")
    address = scheduler_address(scheduler, store)
    from r2k.forecasting import forecast_cache, run_backtest
    from r2k.parallel import joblib_backend

    names = _names(models)
    with snapshot(store, d_end, symbol) as snap:
        closes = snap.series()
        features = snap.model_inputs(names)
    d_end = d_end and snap.day
    with (joblib_backend(address) as workers,  # a cluster: its workers replace --n-jobs
          step_progress("walk-forward backtest", quiet=as_json) as on_progress):
        result = run_backtest(closes, symbol=symbol.upper(), models=names, horizons=parse_int_list(horizons, "--horizons"),
                              start=d_start, end=d_end, step=step, refit_every=refit_every, window=window,
                              window_length=window_length, n_jobs=workers or check_n_jobs(n_jobs),
                              seed=settings(store).seed if seed is None else seed, features=features,
                              cache=forecast_cache(settings(store).cache_dir), on_progress=on_progress)
    if out is not None:
        from r2k.backtest_file import write_backtest_frame

        write_backtest_frame(result.frame, out)
    if report is not None:
        from r2k.report.backtest_page import write_backtest_page

        write_backtest_page(result, report)
    if as_json:  # as of the last close read (the outcomes scored); the verdict first, then the detail
        emit_json({"verdict": result.scores.verdict.text()} | result.to_dict() | {"out": out, "report": report},
                  as_of=closes.index[-1].date())
        return
    _print_backtest(result)
    if out is not None:
        console.print(f"wrote {len(result.frame)} forecasts to {out}")
    if report is not None:
        console.print(f"wrote the backtest report to {report}")


def _print_forecast(result: OriginForecast) -> None:
    from r2k.cli.fmt import count, num, pct

    rows = []
    for f in result.forecasts:
        d = f.dist
        lo, hi = (result.last_close * math.exp(d.quantile(x)) for x in (0.10, 0.90))
        rows.append([_model(f.model), str(f.horizon), str(f.target.date()), pct(d.mean, 2, True),
                     *(pct(d.quantile(x), 2, True) for x in (0.05, 0.50, 0.95)), f"{num(lo, 0)} .. {num(hi, 0)}", pct(d.p_up, 1)])
    print_table(["model", ("trading days", "right"), "target", ("mean", "right"), ("5%", "right"), ("median", "right"),
                 ("95%", "right"), ("80% range of the index", "right"), ("P(up)", "right")], rows,
                title=f"{index_name(result.symbol)} from the close of {result.origin.date()} ({num(result.last_close)}): "
                      "log return to the target date")
    if result.weights is not None:
        members = [c for c in result.weights.columns if c not in ("origin", "horizon", "p_up_source", "n_realised", "model")]
        print_table(["model", ("trading days", "right"), *((_model(m), "right") for m in members), "P(up) from",
                     ("realised forecasts", "right")],
                    [[_model(r["model"]), str(r["horizon"]), *(pct(r[m], 0) for m in members), _model(str(r["p_up_source"])),
                      count(r["n_realised"])] for r in result.weights.to_dict(orient="records")],
                    title="Ensemble weights (learned from realised forecasts before the origin)")
    _print_notes(result.notes)


def forecast_cmd(
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index.")] = "RUT",
    horizons: Annotated[str, typer.Option("--horizons", help="Comma-separated horizons in trading days.")] = names.horizon_text(names.DEFAULT_HORIZONS),
    models: Annotated[str, typer.Option("--models", help=FORECAST_MODELS_HELP)] = ",".join(names.PUBLISHED_MODELS),
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default: the settings seed).", min=0)] = None,
    as_of: AsOfOpt = None,
    log: Annotated[bool | None, typer.Option("--log/--no-log", help=LOG_HELP, show_default=False)] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    import pandas as pd

    from r2k.forecasting import forecast_from_store

    hs = parse_int_list(horizons, "--horizons")
    with snapshot(store, as_of, symbol) as snap, step_progress("forecasting", quiet=as_json) as on_progress:
        result = forecast_from_store(snap, horizons=hs, models=_names(models), seed=seed, on_progress=on_progress)
        last = snap.resolved.last
    live = last is not None and result.origin == pd.Timestamp(last)  # from the last close; an earlier origin is retrospective
    if log if log is not None else live:
        log_published(store, [(result, None)], "r2k forecast")
    if as_json:  # as of the origin: the last close used
        emit_json(result.to_dict(), as_of=result.origin.date())
        return
    _print_forecast(result)


def evaluate_cmd(
    file: Annotated[Path, typer.Argument(help="A frame written by 'r2k backtest --out' (.csv or .parquet).", show_default=False)],
    step: Annotated[int | None, typer.Option("--step", help="Trading days between origins (default: read from the origins' "
                                                           "spacing on the NYSE calendar).", min=1)] = None,
    baseline: Annotated[str, typer.Option("--baseline", help="The model every other is scored against.")] = "climatology",
    as_json: JsonOpt = False,
) -> None:
    """Score a saved backtest (r2k backtest --out FILE) again, without the store: the same score table, skill
    intervals, Diebold-Mariano tests, model confidence sets and verdict as the run that wrote it (docs/forecasting.md,
    "Scores", gives the exact method, so anyone can check the numbers)."""
    from r2k.forecasting import score_saved_backtest

    saved = score_saved_backtest(file, step, baseline)
    if as_json:
        known = saved.frame.loc[saved.frame["y"].notna(), "target"]
        emit_json({"verdict": saved.scores.verdict.text()} | saved.to_dict(),
                  as_of=known.max().date() if len(known) else None)
        return
    _print_scores(saved.scores, f"{file.name}: {saved.frame['origin'].nunique():,} origins "
                                f"{saved.frame['origin'].min().date()} to {saved.frame['origin'].max().date()}, "
                                f"every {saved.step} trading days")


backtest_cmd.__doc__ = BACKTEST_HELP
forecast_cmd.__doc__ = FORECAST_HELP


def register(app: typer.Typer) -> None:
    app.command("backtest")(backtest_cmd)
    app.command("forecast")(forecast_cmd)
    app.command("evaluate")(evaluate_cmd)
