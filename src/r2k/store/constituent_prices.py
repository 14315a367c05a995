"""Constituent prices from Yahoo Finance, in batches, resumable and incremental.

Each constituent's daily bars are a price series ``EQ_<TICKER>`` (``EQ_BRK_B`` for BRK.B) so market-based
measures (market capitalisation, earnings yield, debt to market value) can use the close known at the
as-of date. Every batch of tickers is one atomic ``Store.write``: an interrupted run keeps the finished
batches, and the next run asks only for dates after each series' last stored date (less a week of
overlap for late corrections); series already current are skipped. A ticker Yahoo does not know is
reported and skipped; offline or a rate limit that outlasts the retries stops the run in one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from r2k.errors import ProviderError
from r2k.parallel import chunked
from r2k.providers.base import Provider, Query, SeriesData
from r2k.providers.holdings import equity_weights
from r2k.store.constituents import load_holdings
from r2k.store.duck import Store

PREFIX = "EQ_"
BATCH = 50
OVERLAP_DAYS = 7
FATAL = ("cannot reach", "rate-limiting")  # offline / rate limit: stop, do not skip the ticker


def price_id(ticker: str) -> str:
    """The store id of a constituent's price series (EQ_ + ticker, punctuation as underscores)."""
    return PREFIX + re.sub(r"[^A-Z0-9]", "_", ticker.upper())


def yahoo_symbol(ticker: str) -> str:
    """Yahoo writes share classes with a dash (BRK-B)."""
    return ticker.upper().replace(".", "-").replace("/", "-")


@dataclass(frozen=True)
class PriceFetchSummary:
    requested: int
    current: int  # already stored up to the end date: skipped
    fetched: int
    rows_new: int
    problems: tuple[str, ...]

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    def summary(self) -> str:
        return (f"prices: {self.fetched} of {self.requested} constituents fetched ({self.current} already current), "
                f"{self.rows_new:,} new rows, {len(self.problems)} not available")


def fetch_constituent_prices(store: Store, provider: Provider, end: date, now: datetime, *, fund: str = "IWM",
                             tickers: Sequence[str] | None = None, batch: int = BATCH,
                             on_batch: Callable[[int], None] | None = None) -> PriceFetchSummary:
    """Fetch daily bars of the fund's equity holdings (or ``tickers``) up to ``end``; see the module notes."""
    if tickers is None:
        tickers = list(equity_weights(load_holdings(store, fund)[1])["ticker"])
    todo, starts, symbols = [], {}, {}
    for t in tickers:
        sid = price_id(t)
        last = store.last_date(sid) if store.has(sid) else None
        if last is not None and last >= end:
            continue
        todo.append(sid)
        symbols[sid] = yahoo_symbol(t)
        if last is not None:
            starts[sid] = last - timedelta(days=OVERLAP_DAYS)
    problems: list[str] = []
    rows_new = 0
    for part in chunked(todo, batch):
        items: list[SeriesData] = []
        for request in provider.requests(Query(ids=tuple(part), end=end, starts=starts, symbols=symbols)):
            try:
                items.append(provider.transform(provider.extract(request), request))
            except ProviderError as exc:
                if any(f in str(exc) for f in FATAL):
                    raise
                problems.append(str(exc))
        if items:
            rows_new += store.write(items, f"{provider.name}:constituents", now).rows_new
        if on_batch:
            on_batch(len(part))
    return PriceFetchSummary(len(tickers), len(tickers) - len(todo), len(todo), rows_new, tuple(problems))


def latest_closes(store: Store, as_of: date, max_age_days: int = 10) -> dict[str, float]:
    """ticker id -> the last close of each ``EQ_`` series on or before ``as_of`` (at most ``max_age_days`` old)."""
    rows = store.con.execute(
        """SELECT series_id, close FROM bars
           WHERE series_id LIKE 'EQ\\_%' ESCAPE '\\' AND date <= ? AND date >= ? AND close IS NOT NULL
           QUALIFY row_number() OVER (PARTITION BY series_id ORDER BY date DESC) = 1""",
        [as_of, as_of - timedelta(days=max_age_days)]).fetchall()
    return {sid: float(close) for sid, close in rows}
