"""``r2k backtest`` and ``r2k forecast``: walk-forward scores against climatology, and the distributions at one origin."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from r2k.cli.common import AsOfOpt, JsonOpt, StoreOpt, UsageError, console, emit_json, open_store, parse_date, parse_int_list, settings

if TYPE_CHECKING:
    from datetime import date

    import pandas as pd

    from r2k.forecasting import BacktestResult, OriginForecast
    from r2k.store import Store

# the same as r2k.forecasting.DEFAULT_MODELS (a test keeps them equal); spelled out so --help loads no models
DEFAULT_MODELS = ("climatology", "random_walk", "garch")

MODELS_HELP = "Comma-separated models: climatology, random_walk, garch, gbm (climatology is always added to a backtest)."

BACKTEST_HELP = """Walk-forward backtest of probabilistic forecasts of the h-day log return, scored against climatology.

At every origin (every --step trading days from --start to --end) each model sees only closes up to that origin and forecasts the distribution of log(close(t+h) / close(t)) as quantiles q01..q99, mean and P(up). Models: climatology (empirical distribution of all overlapping past h-day returns), random_walk (zero-mean normal, 250-day volatility x sqrt(h)), garch (GJR-GARCH(1,1) skew-t, constant mean, simulated paths; refitted every --refit-every origins, variance filtered forward in between), gbm (LightGBM forecast of the coming realised variance from price, volatility, sector and macro predictors, historical-simulation shape around the historical mean, P(up) from a logistic regression on stress signals).

Scores per model and horizon: CRPS, CRPS skill vs climatology, coverage of the 80%/90% central intervals, Berkowitz PIT test p-value (non-overlapping origins), direction AUC, out-of-sample R^2 of the mean vs the prevailing mean, and a Diebold-Mariano (HLN) p-value vs climatology; then the model confidence set and a verdict in words. --out writes the long frame (origin, target, horizon, model, y, mean, p_up, q01..q99) as .csv or .parquet.
"""

FORECAST_HELP = """Forecast distributions of the h-day log return from one origin: the last close on or before --as-of.

Prints per model and horizon the target date, mean, 5/10/50/90/95% quantiles, the matching index levels and P(up). Horizons may be long (65, 130, 260 trading days = 13, 26, 52 weeks).
"""


def _show(table: Table) -> None:
    """Tables are wide: off a terminal (pipes, files) print them at 140 columns instead of rich's 80."""
    (console if console.is_terminal else Console(width=140)).print(table)


def _names(models: str) -> list[str]:
    names = [m.strip() for m in models.split(",") if m.strip()]
    if not names:
        raise UsageError(f"--models: {models!r} names no model")
    return names


def _inputs(store: "Store", symbol: str, as_of: date | None, names: list[str]) -> "pd.DataFrame | None":
    """The input frame as known at ``as_of``, read only when a requested model needs it."""
    from r2k.features.inputs import load_inputs
    from r2k.models.registry import needs_features

    return load_inputs(store, symbol.upper(), as_of) if needs_features(names) else None


def _print_backtest(result: BacktestResult) -> None:
    s = result.scores
    table = Table("model", "h", "n", "CRPS", "skill", "cov80", "cov90", "PIT p", "AUC", "OOS R²", "DM p",
                  title=f"{result.symbol} backtest: {result.plan.summary()}", title_justify="left", box=box.SIMPLE_HEAD)
    for r in s.table.itertuples():
        table.add_row(r.model, str(r.horizon), str(r.n), f"{r.crps:.5f}", f"{100 * r.crps_skill:+.2f}%", f"{r.cov80:.3f}",
                      f"{r.cov90:.3f}", f"{r.berkowitz_p:.3g}", f"{r.auc:.3f}", f"{r.oos_r2:+.4f}",
                      "—" if r.dm_p != r.dm_p else f"{r.dm_p:.3g}")
    _show(table)
    for h, mcs in s.mcs.items():
        console.print(f"h={h}: {mcs.summary()}")
    console.print(f"[bold]Verdict:[/bold] {s.verdict}")


def backtest_cmd(
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index.")] = "RUT",
    models: Annotated[str, typer.Option("--models", help=MODELS_HELP)] = ",".join(DEFAULT_MODELS),
    horizons: Annotated[str, typer.Option("--horizons", help="Comma-separated horizons in trading days.")] = "5,10,20",
    start: Annotated[str, typer.Option("--start", help="First origin (YYYY-MM-DD).")] = "2000-01-01",
    end: Annotated[str | None, typer.Option("--end", help="Last origin (default: the last stored close).")] = None,
    step: Annotated[int, typer.Option("--step", help="Trading days between origins.", min=1)] = 5,
    refit_every: Annotated[int, typer.Option("--refit-every", help="Refit models every this many origins.", min=1)] = 4,
    window: Annotated[str, typer.Option("--window", help="Training window: expanding or rolling.")] = "expanding",
    window_length: Annotated[int | None, typer.Option("--window-length", help="Closes in a rolling window.")] = None,
    n_jobs: Annotated[int, typer.Option("--n-jobs", help="Parallel worker processes (results do not depend on it).")] = 1,
    seed: Annotated[int | None, typer.Option("--seed", help="Base random seed (default: the settings seed).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the long forecast frame to FILE.csv or FILE.parquet.")] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    d_start, d_end = parse_date(start, "--start"), parse_date(end, "--end")
    if out is not None and out.suffix.lower() not in (".csv", ".parquet"):
        raise UsageError(f"--out {out}: the file name must end in .csv or .parquet")
    if window not in ("expanding", "rolling"):
        raise UsageError(f"--window: {window!r} is not 'expanding' or 'rolling'")
    from r2k.forecasting import run_backtest

    with open_store(store) as s:
        closes = s.series(symbol.upper(), as_of=d_end)
        features = _inputs(s, symbol, d_end, _names(models))
    result = run_backtest(closes, symbol=symbol.upper(), models=_names(models), horizons=parse_int_list(horizons, "--horizons"),
                          start=d_start, end=d_end, step=step, refit_every=refit_every, window=window,
                          window_length=window_length, n_jobs=n_jobs, seed=settings(store).seed if seed is None else seed,
                          features=features)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        (result.frame.to_parquet if out.suffix.lower() == ".parquet" else result.frame.to_csv)(out, index=False)
    if as_json:
        emit_json(result.to_dict() | {"out": out})
        return
    _print_backtest(result)
    if out is not None:
        console.print(f"wrote {len(result.frame)} forecasts to {out}")


def _print_forecast(result: OriginForecast) -> None:
    table = Table("model", "h", "target", "mean", "q05", "q10", "q50", "q90", "q95", "level q10 .. q90", "P(up)",
                  title=f"{result.symbol} from the close of {result.origin.date()} ({result.last_close:,.2f})", title_justify="left",
                  box=box.SIMPLE_HEAD)
    for f in result.forecasts:
        d = f.dist
        lo, hi = (result.last_close * math.exp(d.quantile(x)) for x in (0.10, 0.90))
        table.add_row(f.model, str(f.horizon), str(f.target.date()), f"{d.mean:+.4f}",
                      *(f"{d.quantile(x):+.4f}" for x in (0.05, 0.10, 0.50, 0.90, 0.95)), f"{lo:,.0f} .. {hi:,.0f}", f"{d.p_up:.3f}")
    _show(table)


def forecast_cmd(
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index.")] = "RUT",
    horizons: Annotated[str, typer.Option("--horizons", help="Comma-separated horizons in trading days.")] = "5,10,20",
    models: Annotated[str, typer.Option("--models", help=MODELS_HELP)] = ",".join(DEFAULT_MODELS),
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default: the settings seed).")] = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    from r2k.forecasting import forecast_as_of

    d_as_of = parse_date(as_of)
    with open_store(store) as s:
        closes = s.series(symbol.upper(), as_of=d_as_of)
        features = _inputs(s, symbol, d_as_of, _names(models))
    result = forecast_as_of(closes, as_of=d_as_of, symbol=symbol.upper(), horizons=parse_int_list(horizons, "--horizons"),
                            models=_names(models), seed=settings(store).seed if seed is None else seed, features=features)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_forecast(result)


backtest_cmd.__doc__ = BACKTEST_HELP
forecast_cmd.__doc__ = FORECAST_HELP


def register(app: typer.Typer) -> None:
    app.command("backtest")(backtest_cmd)
    app.command("forecast")(forecast_cmd)
