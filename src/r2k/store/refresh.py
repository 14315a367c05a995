"""Refreshing the store from the live providers: incremental, all-or-nothing.

For each id the provider is asked only for the dates from ``start = min(last stored date - overlap_days,
date of the overlap_rows-th last stored row)`` on (full history when the id is absent): the overlap
re-reads recent values so revisions and provisional last bars are corrected, and the row rule makes
monthly/quarterly series re-read their last few observations too. When the overlap shows that Yahoo
re-based a price series (a split, or a new dividend re-scaling ``adj_close``), that series is fetched
again in full so its history stays on one basis.

Every series is fetched and validated first; then everything is written in ONE ``Store.write``. Any
failure raises a one-line :class:`ProviderError` naming the series, and the store is left untouched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

import pandas as pd

from r2k.errors import DataError, ProviderError
from r2k.providers import registry
from r2k.providers.base import Provider, Query, SeriesData
from r2k.store.duck import ImportSummary, Store

# The single place where r2k reads the FRED key from the environment (only when the caller did not
# pass ``fred_api_key`` and no providers were injected).
FRED_API_KEY_ENV = "FRED_API_KEY"
FROM_ENV = "$FRED_API_KEY"

CLOSE_JUMP = 0.01  # overlapping closes moving more than this mean a split re-basing
ADJ_RATIO_JUMP = 1e-4  # adj_close/close moving more than this mean a dividend re-adjustment


def refresh(
    store: Store,
    ids: Iterable[str] | None,
    end: date,
    now: datetime,
    on_series: Callable[[str], None] | None = None,
    *,
    providers: Mapping[str, Provider] | None = None,
    fred_api_key: str | None = FROM_ENV,
    overlap_days: int = 7,
    overlap_rows: int = 3,
) -> ImportSummary:
    """Fetch ``ids`` (None = the whole catalog) up to ``end`` and store them atomically.

    ``providers`` (name -> Provider) replaces the live ones (tests); ``fred_api_key`` defaults to the
    ``FRED_API_KEY`` environment variable; with a key FRED vintages are stored.
    """
    sources = {info.id: info.source for info in store.status()}
    routes = registry.resolve(ids, sources.get)
    if providers is None:
        key = os.environ.get(FRED_API_KEY_ENV) if fred_api_key == FROM_ENV else fred_api_key
        providers = registry.default_providers(fred_api_key=key)
    items: list[SeriesData] = []
    for route in routes:
        stored = store.read(route.series_id) if route.series_id in sources else None
        start = incremental_start(stored, overlap_days, overlap_rows)
        if start is not None and start > end:
            continue  # nothing is missing up to ``end``
        provider = providers[route.provider]
        item = fetch_one(provider, route, start, end)
        if stored is not None and item.kind == "price" and rebased(stored, item.frame):
            item = fetch_one(provider, route, None, end)
        items.append(item)
        if on_series:
            on_series(route.series_id)
    used = sorted({r.provider for r in routes})
    return store.write(items, f"fetch:{','.join(used)}", now)


def incremental_start(stored: pd.DataFrame | None, overlap_days: int = 7, overlap_rows: int = 3) -> date | None:
    """First date to ask for: the last stored date less the overlap (None = the full history)."""
    if stored is None or stored.empty:
        return None
    dates = stored["date"]
    by_days = dates.iloc[-1] - pd.Timedelta(days=overlap_days)
    by_rows = dates.iloc[-min(max(overlap_rows, 1), len(dates))]
    return min(by_days, by_rows).date()


def fetch_one(provider: Provider, route: registry.Route, start: date | None, end: date) -> SeriesData:
    """One series from ``provider``; bad data becomes a ProviderError naming the series."""
    sid = route.series_id
    query = Query(ids=(sid,), end=end, starts={sid: start} if start else {}, symbols={sid: route.symbol})
    try:
        items = provider.fetch(query)
    except DataError as exc:
        raise ProviderError(f"{sid}: bad data from {provider.name}: {exc}") from None
    if len(items) != 1 or items[0].id != sid:
        raise ProviderError(f"{sid}: provider {provider.name} answered with {[i.id for i in items]}")
    return items[0]


def rebased(stored: pd.DataFrame, fresh: pd.DataFrame) -> str | None:
    """Why the overlapping days show a new price basis (split or dividend re-adjustment), else None.

    The last stored bar is left out: it may have been a provisional intraday quote.
    """
    old = stored.set_index("date")
    new = fresh.set_index("date")
    common = old.index.intersection(new.index)
    common = common[common < old.index.max()]
    if common.empty:
        return None
    o, n = old.loc[common], new.loc[common]
    close_jump = (n["close"] / o["close"] - 1).abs().max()
    if close_jump > CLOSE_JUMP:
        return f"closes moved by {close_jump:.1%} on days already stored (split?)"
    ratio_jump = ((n["adj_close"] / n["close"]) / (o["adj_close"] / o["close"]) - 1).abs().max()
    if ratio_jump > ADJ_RATIO_JUMP:
        return f"adj_close/close moved by {ratio_jump:.3%} on days already stored (new dividend)"
    return None
