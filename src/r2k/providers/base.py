"""The provider contract: Query -> requests -> raw records -> canonical frames.

A provider is three stages (as in the OpenBB Platform): ``requests`` turns a query into concrete
requests, ``extract`` performs one request (the only place with I/O), ``transform`` turns the raw
answer into a validated canonical frame. Queries carry explicit dates: providers never read the clock.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from r2k.schemas import Kind


@dataclass(frozen=True)
class Query:
    """What to fetch: store ids, an optional first date (None = full history) and an explicit end."""

    ids: tuple[str, ...]
    end: date
    start: date | None = None
    starts: dict[str, date] = field(default_factory=dict)  # per-id start for incremental fetches
    symbols: dict[str, str] = field(default_factory=dict)  # provider-side name per id (default: the id)

    def start_for(self, series_id: str) -> date | None:
        return self.starts.get(series_id, self.start)

    def symbol_for(self, series_id: str) -> str:
        return self.symbols.get(series_id, series_id)


@dataclass(frozen=True)
class SeriesData:
    """One validated series as a provider delivers it.

    ``frame`` is canonical (see :mod:`r2k.schemas`); a macro frame may carry a ``realtime_start``
    column when the provider knows the vintage of each value.
    """

    id: str
    kind: Kind
    frame: pd.DataFrame
    source: str


@dataclass(frozen=True)
class Request:
    series_id: str
    params: dict[str, Any]


class Provider(ABC):
    name: str = "provider"

    def fetch(self, query: Query) -> list[SeriesData]:
        """Run every request of ``query``; any failure raises before anything is returned."""
        return [self.transform(self.extract(req), req) for req in self.requests(query)]

    def iter_fetch(self, query: Query) -> Iterator[SeriesData]:
        """Like :meth:`fetch` but yields series one at a time (for progress bars)."""
        for req in self.requests(query):
            yield self.transform(self.extract(req), req)

    @abstractmethod
    def requests(self, query: Query) -> Sequence[Request]: ...

    @abstractmethod
    def extract(self, request: Request) -> Any: ...

    @abstractmethod
    def transform(self, raw: Any, request: Request) -> SeriesData: ...
