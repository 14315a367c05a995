"""The request's parameters and snapshot as FastAPI dependencies: every value is parsed by :mod:`r2k.params` (one
:class:`r2k.errors.InputError` -> a 400 page or a JSON error), the snapshot is one per (symbol, date, store
state) and shared by every page and answer of that date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import anyio
from fastapi import Depends, Query, Request

from r2k.config import Settings
from r2k.params import parse_date, parse_horizons, parse_symbol
from r2k.snapshot import INDEX_ID, Snapshot
from r2k.store import Store
from r2k.web import service
from r2k.web.gate import Gate


def symbol_param(symbol: Annotated[str, Query(description="Series id of the index (as --symbol).", max_length=200)] = INDEX_ID) -> str:
    return parse_symbol(symbol)


def as_of_param(as_of: Annotated[str | None, Query(description="Use only data known at this date, YYYY-MM-DD (as --as-of); "
                                                               "default: the last stored close.", max_length=200)] = None) -> date | None:
    return parse_date(as_of)


def horizons_param(horizons: Annotated[str | None, Query(description="Comma-separated horizons in trading days (as --horizons); "
                                                                     "default: the page's own.", max_length=200)] = None
                   ) -> tuple[int, ...] | None:
    return None if horizons is None or not horizons.strip() else parse_horizons(horizons)


@dataclass(frozen=True)
class Ask:
    """One request's question: the store door, the snapshot of its symbol and date, and whether its client is gone."""

    gate: Gate
    settings: Settings
    snap: Snapshot
    range: service.DataRange
    request: Request
    walk_forward: bool = True

    @property
    def symbol(self) -> str:
        return self.snap.symbol

    @property
    def day(self) -> date:
        return self.snap.day

    def gone(self) -> bool:
        """True once the client has disconnected (checked before a computation starts; sync routes run in a worker
        thread of the event loop, so the check is handed back to the loop)."""
        try:
            return anyio.from_thread.run(client_gone, self.request)
        except RuntimeError:  # not in a worker thread of the loop (direct calls in tests)
            return False

    def cached(self, key: tuple, compute: Any) -> Any:
        """``compute(snapshot)`` once per (key, symbol, date, store state), through a fresh read-only connection."""
        return self.gate.cached((*key, self.symbol, self.day), lambda s: compute(self.snap.bind(s)), self.gone)

    def memo(self, key: tuple, compute: Any) -> Any:
        """Like :meth:`cached` for values built from cached parts (no store opened)."""
        return self.gate.memo((*key, self.symbol, self.day), compute, self.gone)

    def need_history(self, days: int) -> Ask:
        service.check_history(self.snap, self.range, days)
        return self


async def client_gone(request: Request) -> bool:
    """Whether the client has hung up, without waiting: the pending messages are read (a GET's empty body first,
    then the disconnect if there is one); Starlette's ``is_disconnected`` reads only the first."""
    for _ in range(3):
        message: dict[str, Any] = {}
        with anyio.CancelScope() as scope:
            scope.cancel()  # nothing pending: the read is cancelled at once
            message = await request.receive()
        if message.get("type") == "http.disconnect":
            return True
        if message.get("type") != "http.request":
            return False
    return False


def _ask(request: Request, symbol: str, as_of: date | None) -> Ask:
    gate: Gate = request.app.state.gate
    settings: Settings = request.app.state.settings
    rng = gate.cached(("range", symbol), lambda s: service.data_range(s, symbol))
    snap = gate.cached(("snapshot", symbol, as_of), lambda s: Snapshot(s, as_of, symbol, settings=settings))
    service.check_history(snap, rng, 0)
    return Ask(gate, settings, snap, rng, request, request.app.state.walk_forward)


def ask(request: Request, symbol: Annotated[str, Depends(symbol_param)], as_of: Annotated[date | None, Depends(as_of_param)]) -> Ask:
    """The request's snapshot for its ``symbol`` and ``as_of``."""
    return _ask(request, symbol, as_of)


def index_ask(request: Request, as_of: Annotated[date | None, Depends(as_of_param)]) -> Ask:
    """The snapshot of the index itself (macro, coverage: pages with no symbol)."""
    return _ask(request, INDEX_ID, as_of)


def symbols(store: Store) -> list[str]:
    """The price series the store holds (the symbol select)."""
    return sorted(i.id for i in store.status() if i.kind == "price")


AskDep = Annotated[Ask, Depends(ask)]
IndexAskDep = Annotated[Ask, Depends(index_ask)]
HorizonsDep = Annotated[tuple[int, ...] | None, Depends(horizons_param)]
