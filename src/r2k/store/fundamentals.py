"""Fetching constituents' SEC facts into the store: resumable, incremental, fanned out.

* Which companies: the equity lines of the latest holdings snapshot (or the tickers given).
* Resumable: companies are fetched in batches; each company's facts and its log row are written in one
  transaction as its batch returns, so an interrupted run keeps every finished company, and the next
  run skips companies fetched within ``max_age_days``.
* Incremental: SEC serves a company's full history in one file; only facts not stored yet are added.
* Offline: the SEC hosts are probed before anything else, so it fails in seconds with one line and
  the store untouched. A rate-limit answer that outlasts the retries stops the run the same way
  (finished companies stay; the next run resumes).
* Company problems (no CIK, no XBRL facts, a fact in an unexpected unit) do not stop the run: the
  company is logged with its status and message, and none of its facts are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from r2k.parallel import Executor, chunked
from r2k.providers.holdings import equity_weights
from r2k.providers.sec import MAX_RATE, SOURCE, CompanyRecord, SecClient, fetch_company, lookup_cik, ticker_map
from r2k.store.constituents import company_log, load_holdings, write_company
from r2k.store.duck import Store

BATCH = 50  # companies per write batch (the unit of resumption)
MAX_AGE_DAYS = 7


@dataclass(frozen=True)
class FetchSummary:
    requested: int
    skipped_fresh: int
    fetched: int
    facts_new: int
    statuses: dict[str, int]
    problems: tuple[str, ...]  # one line per company that could not be used

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    def summary(self) -> str:
        parts = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        return (f"fetched {self.fetched} of {self.requested} companies ({self.skipped_fresh} fetched recently, skipped): "
                f"{parts or 'none'}; {self.facts_new:,} new facts")


def _fetch_one(item: tuple[str, int | None, str | None], client: SecClient) -> CompanyRecord:
    ticker, cik, name = item
    return fetch_company(client, ticker, cik, name)


def fetch_fundamentals(store: Store, client: SecClient, now: datetime, *, fund: str = "IWM",
                       tickers: Sequence[str] | None = None, max_age_days: float = MAX_AGE_DAYS,
                       scheduler: Any = None, n_jobs: int = 1, batch: int = BATCH,
                       on_company: Callable[[CompanyRecord], None] | None = None) -> FetchSummary:
    """Fetch SEC facts for the fund's constituents (or ``tickers``); see the module notes."""
    if tickers is None:
        _, frame = load_holdings(store, fund)
        tickers = list(equity_weights(frame)["ticker"])
    tickers = [t.upper() for t in tickers]
    log = company_log(store)
    fresh: set[str] = set()
    if len(log) and max_age_days > 0:
        recent = log[pd.to_datetime(log["fetched_at"]) >= pd.Timestamp(now - timedelta(days=max_age_days))]
        fresh = set(recent["ticker"])
    todo = [t for t in tickers if t not in fresh]
    statuses: dict[str, int] = {}
    problems: list[str] = []
    new = 0
    if todo:
        client.check_online()
        cmap = ticker_map(client)
        items = [(t, *(lookup_cik(cmap, t) or (None, None))) for t in todo]
        with Executor(scheduler, n_jobs) as ex:
            client.interval = max(client.interval, ex.workers / MAX_RATE)  # SEC's ceiling holds in total
            for part in chunked(items, batch):
                for record in ex.map(_fetch_one, part, client):
                    new += write_company(store, record, SOURCE, now)
                    statuses[record.status] = statuses.get(record.status, 0) + 1
                    if record.message:
                        problems.append(record.message)
                    if on_company:
                        on_company(record)
    return FetchSummary(len(tickers), len(tickers) - len(todo), len(todo), new, statuses, tuple(problems))
