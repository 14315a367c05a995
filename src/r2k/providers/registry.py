"""The catalog of live series and the providers behind them.

A store id resolves to a :class:`Route` (provider name + provider-side symbol): first through the
catalog, else through the source recorded in the store (``yahoo:^DJI``, ``fred:DFF``), so a series
fetched once keeps refreshing even if it left the catalog. Adding a provider = a module with a
:class:`~r2k.providers.base.Provider`, an entry in :func:`default_providers`, and its ids in the catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from r2k.errors import ProviderError
from r2k.providers import fred, yahoo
from r2k.providers.base import Provider


@dataclass(frozen=True)
class Route:
    series_id: str
    provider: str
    symbol: str


def catalog() -> dict[str, Route]:
    """Every id ``r2k data fetch`` knows, in the order of the default refresh (IWM_SHARES only by name)."""
    routes = [Route(sid, yahoo.SOURCE_PREFIX, sym) for sid, sym in yahoo.SYMBOLS.items()]
    routes += [Route(sid, fred.SOURCE_PREFIX, sid) for sid in fred.SERIES]
    routes += [Route(sid, yahoo.SHARES_SOURCE_PREFIX, sym) for sid, sym in yahoo.SHARES.items()]
    return {r.series_id: r for r in routes}


DEFAULT_IDS: tuple[str, ...] = (*yahoo.SYMBOLS, *fred.SERIES)
PROVIDERS: tuple[str, ...] = (yahoo.SOURCE_PREFIX, fred.SOURCE_PREFIX, yahoo.SHARES_SOURCE_PREFIX)


def route_from_source(series_id: str, source: str | None) -> Route | None:
    """The route of a stored series whose recorded source is ``provider:symbol`` of a live provider."""
    provider, _, symbol = (source or "").partition(":")
    return Route(series_id, provider, symbol) if provider in PROVIDERS and symbol else None


def resolve(ids: Iterable[str] | None, stored_source: Callable[[str], str | None]) -> list[Route]:
    """Routes for ``ids`` (None = the default catalog); an unknown id raises one line saying where ids come from."""
    known = catalog()
    routes: list[Route] = []
    for sid in DEFAULT_IDS if ids is None else ids:
        sid = sid.upper()
        route = known.get(sid) or route_from_source(sid, stored_source(sid))
        if route is None:
            raise ProviderError(
                f"{sid}: unknown series id for 'r2k data fetch'; known ids: {', '.join(known)} "
                "(see docs/providers.md), or any id already stored from Yahoo/FRED ('r2k data status' shows sources)"
            )
        if route not in routes:
            routes.append(route)
    return routes


def default_providers(fred_api_key: str | None = None) -> dict[str, Provider]:
    """The live providers by name (FRED switches to the vintage-aware API when a key is given)."""
    return {
        yahoo.SOURCE_PREFIX: yahoo.YahooProvider(),
        fred.SOURCE_PREFIX: fred.FredProvider(api_key=fred_api_key),
        yahoo.SHARES_SOURCE_PREFIX: yahoo.YahooSharesProvider(),
    }


def id_for_symbol(symbol: str) -> str | None:
    """The catalog id whose provider symbol is ``symbol`` (``^RUT`` -> ``RUT``); None when it is not a known
    symbol or already an id."""
    sym = symbol.upper()
    for route in catalog().values():
        if route.symbol.upper() == sym and route.series_id != sym and route.provider == yahoo.SOURCE_PREFIX:
            return route.series_id
    return None


SOURCE_NAMES: dict[str, str] = {yahoo.SOURCE_PREFIX: "Yahoo Finance", fred.SOURCE_PREFIX: "FRED",
                                yahoo.SHARES_SOURCE_PREFIX: "Yahoo Finance shares outstanding",
                                "sentiment": "news sentiment index", "csv": "CSV file"}


def source_label(source: str | None) -> str:
    """A stored row's source in words for people: the provider and symbol, or the file's name, never the
    importing machine's path (``csv:/home/x/data/fred/DGS10.csv`` -> ``DGS10.csv``)."""
    prefix, sep, rest = (source or "").partition(":")
    if not sep:
        return prefix or "unknown"
    name = rest.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or rest  # a path keeps only its last part
    label = SOURCE_NAMES.get(prefix, prefix)
    if prefix == "csv":
        return name
    return f"{name} ({label})" if prefix == "sentiment" else f"{label} {name}"
