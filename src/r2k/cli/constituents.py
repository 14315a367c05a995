"""``r2k constituents``: holdings, SEC fundamentals and the index's category ratings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from r2k.cli.common import (AsOfOpt, JsonOpt, SchedulerOpt, StoreOpt, console, emit_json, given_as_of, open_store, parse_date,
                            plain, print_table, progress, scheduler_address, settings, utc_now)

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

    address = scheduler_address(scheduler, store)
    with open_store(store) as s, progress("rating the constituents", quiet=as_json):
        result = index_category_ratings(s, given_as_of(s, as_of), fund=fund, scheduler=address, n_jobs=n_jobs)
    if as_json:
        emit_json(result.to_dict(companies=companies), as_of=result.as_of)
        return
    _print_ratings(result)


def _print_ratings(result) -> None:  # noqa: ANN001 - CategoryRatings, imported lazily
    from r2k.outlook.constituents import report_rows

    console.print(f"[bold]{result.fund} constituents[/bold] as of {result.as_of} (holdings of {result.holdings_date}): "
                  f"{result.with_fundamentals:,} of {result.companies:,} companies with fundamentals")
    print_table(["category", "short term", "long term", ("coverage", "right"), "note"], list(report_rows(result)),
                title="Category ratings, weighted by index weight")
    if result.with_fundamentals:
        _print_sectors(result)
    console.print(plain(result.profile.summary()))
    if result.change:
        console.print(plain(result.change.summary()))
    if result.market.get("coverage"):
        console.print(f"Earnings yield {100 * result.market['earnings_yield']:.1f}% over the "
                      f"{100 * result.market['coverage']:.0f}% of index weight with prices and share counts")


SHORT_LABELS = {"income": "income", "balance": "balance", "leverage": "leverage", "cash_flow": "cash flow", "returns": "returns"}


def _print_sectors(result) -> None:  # noqa: ANN001
    names = sorted(result.profile.sector_weights, key=result.profile.sector_weights.get, reverse=True)
    rows = []
    for sec in names:
        cells = []
        for r in result.rows:
            s = r.sectors.get(sec, {})
            cells.append(f"{s.get('short_term') or '—'} ({100 * s.get('coverage', 0):.0f}%)")
        rows.append([sec, f"{100 * result.profile.sector_weights[sec]:.1f}%", *cells])
    print_table(["sector", ("weight", "right"), *[SHORT_LABELS[r.category] for r in result.rows]], rows,
                title="Short-term notch by sector (share of the sector's weight rated)")
    grades = list(result.rows[0].distribution)
    print_table(["category", *((g, "right") for g in grades)],
                [[SHORT_LABELS[r.category], *[f"{100 * r.distribution[g]:.0f}%" if r.rated else "—" for g in grades]]
                 for r in result.rows],
                title="Distribution of short-term notches (share of the rated weight in each grade)")


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
        emit_json(written.to_dict() | {"layout": snapshot.layout}, as_of=written.as_of)
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
    address = scheduler_address(scheduler, store)
    now = utc_now()
    with open_store(store, read_only=False) as s, progress("fetching SEC company facts", quiet=as_json) as advance:
        summary = fetch_fundamentals(s, client, now, fund=fund, tickers=tickers, max_age_days=max_age_days,
                                     scheduler=address, n_jobs=n_jobs,
                                     on_company=lambda r: advance())
    if as_json:  # as of the fetch: filings known on that day
        emit_json(summary.to_dict(), as_of=now.date())
        return
    console.print(plain(summary.summary()))
    for line in summary.problems[:20]:
        console.print(plain(f"  {line}"))
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
    with open_store(store, read_only=False) as s, progress("fetching constituent prices", quiet=as_json) as advance:
        summary = fetch_constituent_prices(s, YahooProvider(), last, utc_now(), fund=fund, tickers=tickers,
                                           on_batch=lambda n: advance(n))
    if as_json:
        emit_json(summary.to_dict(), as_of=last)
        return
    console.print(plain(summary.summary()))
    for line in summary.problems[:20]:
        console.print(plain(f"  {line}"))


@constituents_app.command("holdings")
def holdings_cmd(as_of: AsOfOpt = None, fund: FundOpt = "IWM", store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Sector weights and concentration of the latest holdings (top-10 share, effective number of
    holdings), and how they changed since the previous snapshot. Needs no fundamentals."""
    from r2k.analytics.holdings import change, profile
    from r2k.store.constituents import load_holdings, snapshot_dates

    with open_store(store) as s:
        day = given_as_of(s, as_of)
        hdate, frame = load_holdings(s, fund, day)
        dates = snapshot_dates(s, fund, day)
        prev = load_holdings(s, fund, dates[-2]) if len(dates) >= 2 else None
    prof = profile(frame, hdate)
    moved = change(prev[1], prev[0], frame, hdate) if prev else None
    if as_json:
        emit_json({"profile": prof.to_dict(), "change": moved.to_dict() if moved else None}, as_of=hdate)
        return
    console.print(plain(prof.summary()))
    print_table(["sector", ("weight", "right"), ("change", "right")],
                [[sec, f"{100 * w:.1f}%", f"{100 * moved.sector_change.get(sec, 0):+.1f} pts" if moved else ""]
                 for sec, w in prof.sector_weights.items()], title=f"Sector weights of the {fund} holdings on {hdate}")
    console.print(plain(moved.summary()) if moved else "only one snapshot stored: no change to show")


def register(app: typer.Typer) -> None:
    app.add_typer(constituents_app, name="constituents")
