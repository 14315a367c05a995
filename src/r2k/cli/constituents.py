"""``r2k constituents``: holdings, SEC fundamentals and the index's category ratings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from r2k.cli.common import (AsOfOpt, JsonOpt, SchedulerOpt, StoreOpt, console, emit_json, open_store, parse_date,
                            scheduler_address, settings, utc_now)

FundOpt = Annotated[str, typer.Option("--fund", help="Fund whose holdings stand for the index.")]
NJobsOpt = Annotated[int, typer.Option("--n-jobs", help="Local worker processes when no scheduler is given.")]

constituents_app = typer.Typer(
    help="Index constituents: holdings files, SEC fundamentals, and category ratings weighted by index weight. "
         "Without a subcommand: the category rating table (short- and long-term notches, coverage of index weight, "
         "sector breakdown, distribution of notches) as of --as-of.",
    invoke_without_command=True,
)


@constituents_app.callback()
def show_cmd(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fund: FundOpt = "IWM",
    companies: Annotated[bool, typer.Option("--companies", help="With --json: include every company's rating.")] = False,
    scheduler: SchedulerOpt = None,
    n_jobs: NJobsOpt = 1,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the category rating table (income statement, balance sheet, leverage, cash flow, returns):
    short- and long-term notches on the 21-notch scale, weighted by index weight, with the share of index
    weight rated, the sector breakdown and the holdings' concentration. Run without a subcommand.
    """
    if ctx.invoked_subcommand is not None:
        return
    from r2k.outlook.constituents import index_category_ratings

    with open_store(store) as s:
        result = index_category_ratings(s, parse_date(as_of), fund=fund, scheduler=scheduler_address(scheduler, store),
                                        n_jobs=n_jobs)
    if as_json:
        emit_json({"as_of": result.as_of, "version": _version(), **result.to_dict(companies=companies)})
        return
    _print_ratings(result)


def _version() -> str:
    from r2k import __version__

    return __version__


def _print_ratings(result) -> None:  # noqa: ANN001 - CategoryRatings, imported lazily
    from r2k.outlook.constituents import report_rows

    console.print(f"[bold]{result.fund} constituents[/bold] as of {result.as_of} (holdings of {result.holdings_date}): "
                  f"{result.with_fundamentals:,} of {result.companies:,} companies with fundamentals")
    table = Table("category", "short term", "long term", "coverage", "note")
    for row in report_rows(result):
        table.add_row(*row)
    console.print(table)
    if result.with_fundamentals:
        _print_sectors(result)
    console.print(result.profile.summary())
    if result.change:
        console.print(result.change.summary())
    if result.market.get("coverage"):
        console.print(f"Earnings yield {100 * result.market['earnings_yield']:.1f}% over the "
                      f"{100 * result.market['coverage']:.0f}% of index weight with prices and share counts")


SHORT_LABELS = {"income": "income", "balance": "balance", "leverage": "leverage", "cash_flow": "cash flow", "returns": "returns"}


def _print_sectors(result) -> None:  # noqa: ANN001
    sectors = Table("sector", "weight", *[SHORT_LABELS[r.category] for r in result.rows])
    names = sorted(result.profile.sector_weights, key=result.profile.sector_weights.get, reverse=True)
    for sec in names:
        cells = []
        for r in result.rows:
            s = r.sectors.get(sec, {})
            cells.append(f"{s.get('short_term') or '—'} ({100 * s.get('coverage', 0):.0f}%)")
        sectors.add_row(sec, f"{100 * result.profile.sector_weights[sec]:.1f}%", *cells)
    console.print("Short-term notch by sector (share of the sector's weight rated):")
    console.print(sectors)
    grades = list(result.rows[0].distribution)
    dist = Table("category", *grades)
    for r in result.rows:
        dist.add_row(SHORT_LABELS[r.category], *[f"{100 * r.distribution[g]:.0f}%" if r.rated else "—" for g in grades])
    console.print("Distribution of short-term notches (share of the rated weight in each grade):")
    console.print(dist)


@constituents_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="Holdings file: the iShares export (fund lines, then the table) or the tidy table.")],
    fund: FundOpt = "IWM",
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Store a holdings file with its as-of date (holdings keep a history, one snapshot per date).

    Checks: the preamble's 'Fund Holdings as of' date, a weight column, numeric weights summing to about
    100%. A bad file stops with one line naming it; nothing is stored. Re-importing changes nothing.
    """
    from r2k.providers.holdings import read_holdings_file
    from r2k.store.constituents import write_holdings

    snapshot = read_holdings_file(file, fund)
    with open_store(store, read_only=False) as s:
        written = write_holdings(s, snapshot, utc_now())
    if as_json:
        emit_json({"as_of": written.as_of, "version": _version(), **written.to_dict(), "layout": snapshot.layout})
        return
    console.print(f"{written.status}: {written.fund} holdings of {written.as_of}, {written.lines:,} lines ({snapshot.layout} layout)")


@constituents_app.command("fetch")
def fetch_cmd(
    tickers: Annotated[list[str] | None, typer.Argument(help="Tickers (default: every equity of the latest holdings).")] = None,
    user_agent: Annotated[str | None, typer.Option(
        "--user-agent", help="Who is asking, for SEC: 'Name email' (default: $R2K_SEC_USER_AGENT).")] = None,
    max_age_days: Annotated[float, typer.Option(
        "--max-age-days", help="Skip companies fetched within this many days (0: refetch all).", min=0)] = 7,
    fund: FundOpt = "IWM",
    scheduler: SchedulerOpt = None,
    n_jobs: NJobsOpt = 1,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fetch constituents' financial statements from SEC EDGAR (XBRL company facts), each fact with its
    filing date. At most 10 requests per second in total; resumable (finished companies are kept, and
    companies fetched recently are skipped); offline it fails within seconds and stores nothing.
    """
    from r2k.providers.sec import SecClient
    from r2k.store.fundamentals import fetch_fundamentals

    client = SecClient(user_agent or settings(store).sec_user_agent)
    with open_store(store, read_only=False) as s:
        with Progress(console=console, transient=True, disable=as_json) as progress:
            task = progress.add_task("fetching", total=None)
            summary = fetch_fundamentals(s, client, utc_now(), fund=fund, tickers=tickers, max_age_days=max_age_days,
                                         scheduler=scheduler_address(scheduler, store), n_jobs=n_jobs,
                                         on_company=lambda r: progress.advance(task))
    if as_json:
        emit_json({"as_of": None, "version": _version(), **summary.to_dict()})
        return
    console.print(summary.summary())
    for line in summary.problems[:20]:
        console.print(f"  {line}")
    if len(summary.problems) > 20:
        console.print(f"  ... and {len(summary.problems) - 20} more (see --json)")


@constituents_app.command("prices")
def prices_cmd(
    tickers: Annotated[list[str] | None, typer.Argument(help="Tickers (default: every equity of the latest holdings).")] = None,
    end: Annotated[str | None, typer.Option(
        "--end", help="Last date to fetch (default: the last finished session: today from 18:00 New York time, else yesterday).")] = None,
    fund: FundOpt = "IWM",
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fetch constituents' daily prices from Yahoo Finance (series EQ_<TICKER>), in batches of 50, for the
    market-based measures (market value, earnings yield, debt to market value). Resumable and incremental;
    unknown tickers are listed and skipped; offline it fails within seconds."""
    from r2k.cli.data import default_end
    from r2k.providers.yahoo import YahooProvider
    from r2k.store.constituent_prices import fetch_constituent_prices

    last = parse_date(end, "--end") or default_end(utc_now())
    with open_store(store, read_only=False) as s:
        with Progress(console=console, transient=True, disable=as_json) as progress:
            task = progress.add_task("fetching prices", total=None)
            summary = fetch_constituent_prices(s, YahooProvider(), last, utc_now(), fund=fund, tickers=tickers,
                                               on_batch=lambda n: progress.advance(task, n))
    if as_json:
        emit_json({"as_of": last, "version": _version(), **summary.to_dict()})
        return
    console.print(summary.summary())
    for line in summary.problems[:20]:
        console.print(f"  {line}")


@constituents_app.command("holdings")
def holdings_cmd(as_of: AsOfOpt = None, fund: FundOpt = "IWM", store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Sector weights and concentration of the latest holdings (top-10 share, effective number of
    holdings), and how they changed since the previous snapshot. Needs no fundamentals."""
    from r2k.analytics.holdings import change, profile
    from r2k.store.constituents import load_holdings, snapshot_dates

    day = parse_date(as_of)
    with open_store(store) as s:
        hdate, frame = load_holdings(s, fund, day)
        dates = snapshot_dates(s, fund, day)
        prev = load_holdings(s, fund, dates[-2]) if len(dates) >= 2 else None
    prof = profile(frame, hdate)
    moved = change(prev[1], prev[0], frame, hdate) if prev else None
    if as_json:
        emit_json({"as_of": hdate, "version": _version(), "profile": prof.to_dict(), "change": moved.to_dict() if moved else None})
        return
    console.print(prof.summary())
    table = Table("sector", "weight", "change")
    for sec, w in prof.sector_weights.items():
        table.add_row(sec, f"{100 * w:.1f}%", f"{100 * moved.sector_change.get(sec, 0):+.1f} pts" if moved else "n/a")
    console.print(table)
    console.print(moved.summary() if moved else "only one snapshot stored: no change to show")


def register(app: typer.Typer) -> None:
    app.add_typer(constituents_app, name="constituents")
