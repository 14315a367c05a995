"""``r2k analyze`` (every market measure as of a date) and ``r2k events`` (one event study)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from r2k.cli.common import (
    AsOfOpt, JsonOpt, StoreOpt, UsageError, progress, require_price, emit_json, latest_date, open_store, parse_date, parse_int_list,
)

if TYPE_CHECKING:
    import pandas as pd

    from r2k.analytics.market import MarketInputs
    from r2k.store import Store

BenchmarkOpt = Annotated[str | None, typer.Option(
    "--benchmark", help="Series id of the benchmark (large caps); default GSPC when stored.", show_default=False)]
DEFAULT_BENCHMARK = "GSPC"
SHARES_ID = "IWM_SHARES"
# the same as r2k.analytics.events.KINDS (a test keeps them equal); spelled out so --help loads no analytics
EVENT_KINDS = ("reconstitution", "rank-day", "flows", "vix-spike", "rate-cut", "channel-break")


def _series(store: Store, series_id: str, as_of: date) -> pd.Series | None:
    """Closes or values known at ``as_of``; None when the store has none."""
    if not store.has(series_id):
        return None
    values = store.series(series_id, as_of=as_of)
    return values if len(values) else None


def price_series(store: Store, symbol: str, as_of: date, option: str = "--symbol") -> pd.Series:
    """Closes of a stored price series known at ``as_of``; a macro series, a missing one or one with a
    non-positive close is a usage error (price analytics take logs and ratios of closes)."""
    require_price(store, symbol, option)
    close = _series(store, symbol, as_of)
    if close is None:
        raise UsageError(f"series {symbol.upper()} has no rows on or before {as_of} in the store (see 'r2k data status')")
    if (close <= 0).any():
        bad = close.index[(close <= 0).to_numpy()][0]
        raise UsageError(f"{option}: {symbol.upper()} has a non-positive close on {bad.date()}; price analytics need positive prices")
    return close


def load_inputs(store: Store, symbol: str, benchmark: str | None, as_of: date) -> MarketInputs:
    """Read every series an analysis uses, as known at ``as_of``; an explicit ``benchmark`` must be stored."""
    from r2k.analytics.market import MarketInputs

    close = price_series(store, symbol, as_of)
    if benchmark is not None:
        price_series(store, benchmark, as_of, "--benchmark")
    benchmark = benchmark or DEFAULT_BENCHMARK
    return MarketInputs(close, _series(store, benchmark, as_of), _series(store, "VIX", as_of),
                        _series(store, "FEDFUNDS", as_of), _series(store, "IWM", as_of),
                        _series(store, SHARES_ID, as_of), symbol.upper(), benchmark.upper())


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

    with open_store(store) as s:
        day = latest_date(s, symbol, parse_date(as_of))
        inputs = load_inputs(s, symbol, benchmark, day)
    with progress("analysing", quiet=as_json):
        result = analyze(inputs, day)
    if as_json:
        emit_json(result.to_dict())
        return
    from r2k.cli.market_view import print_analysis
    from r2k.serialize import to_jsonable

    print_analysis(to_jsonable(result.to_dict()))


def events_cmd(
    kind: Annotated[str, typer.Option("--kind", help=f"Event kind: {', '.join(EVENT_KINDS)}.")] = "reconstitution",
    horizons: Annotated[str, typer.Option("--horizons", help="Forward horizons in trading days, comma-separated.")] = "1,5,20,60",
    symbol: Annotated[str, typer.Option("--symbol", help="Series id whose forward returns are studied.")] = "RUT",
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Event study: forward log returns after event days vs all other days (mean, median, hit rate,
    Welch t and Mann-Whitney on non-overlapping samples, Newey-West HAC on all days)."""
    from r2k.analytics.events import run_event_study

    hs = parse_int_list(horizons, "--horizons")
    with open_store(store) as s:
        day = latest_date(s, symbol, parse_date(as_of))
        inp = load_inputs(s, symbol, None, day)
    result = run_event_study(kind, inp.close, day, hs, inp.symbol, inp.vix, inp.fedfunds, inp.etf_shares, inp.etf_close)
    if as_json:
        emit_json(result.to_dict())
        return
    from r2k.cli.market_view import print_event_study
    from r2k.serialize import to_jsonable

    print_event_study(to_jsonable(result.to_dict()))


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_cmd)
    app.command("events")(events_cmd)
