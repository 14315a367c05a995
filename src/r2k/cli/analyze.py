"""``r2k analyze`` (every market measure as of a date) and ``r2k events`` (one event study)."""

from __future__ import annotations

from typing import Annotated

import typer

from r2k import names

from r2k.cli.common import AsOfOpt, JsonOpt, StoreOpt, emit_json, parse_int_list, progress, snapshot

BenchmarkOpt = Annotated[str | None, typer.Option(
    "--benchmark", help="Series id of the benchmark (large caps); default GSPC when stored.", show_default=False)]
EVENT_KINDS = names.EVENT_KINDS
CLI_FIELDS = ("--symbol", "--benchmark")  # how errors name the options


def analyze_cmd(
    symbol: Annotated[str, typer.Option("--symbol", help="Series id of the index to analyse.")] = "RUT",
    benchmark: BenchmarkOpt = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Returns, volatility (realized, EWMA, GARCH, GJR-GARCH), drawdowns, record drought, relative strength
    against the benchmark, price levels, ETF flows and event studies - all using data up to --as-of.

    JSON keys: as_of, close, returns (by period), performance, volatility, garch, drawdown, record_drought,
    relative, levels, flows, events.
    """
    from r2k.analytics.market import analyze

    with snapshot(store, as_of, symbol) as snap:
        inputs = snap.market_inputs(benchmark, CLI_FIELDS)
    with progress("analysing", quiet=as_json):
        result = analyze(inputs, snap.day)
    if as_json:
        emit_json(result.to_dict())
        return
    from r2k.cli.market_view import print_analysis
    from r2k.serialize import to_jsonable

    print_analysis(to_jsonable(result.to_dict()))


def events_cmd(
    kind: Annotated[str, typer.Option("--kind", help=f"Event kind: {', '.join(EVENT_KINDS)}.")] = "reconstitution",
    horizons: Annotated[str, typer.Option("--horizons", help="Forward horizons in trading days, comma-separated.")] = names.horizon_text(names.EVENT_HORIZONS),
    symbol: Annotated[str, typer.Option("--symbol", help="Series id whose forward returns are studied.")] = "RUT",
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Event study: forward log returns after event days vs all other days (mean, median, hit rate,
    Welch t and Mann-Whitney on non-overlapping samples, Newey-West HAC on all days)."""
    from r2k.analytics.events import run_event_study

    hs = parse_int_list(horizons, "--horizons")
    with snapshot(store, as_of, symbol) as snap:
        inp = snap.market_inputs(fields=CLI_FIELDS)
    result = run_event_study(kind, inp.close, snap.day, hs, inp.symbol, inp.vix, inp.fedfunds, inp.etf_shares, inp.etf_close)
    if as_json:
        emit_json(result.to_dict())
        return
    from r2k.cli.market_view import print_event_study
    from r2k.serialize import to_jsonable

    print_event_study(to_jsonable(result.to_dict()))


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_cmd)
    app.command("events")(events_cmd)
