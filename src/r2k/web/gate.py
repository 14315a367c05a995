"""One door to the store for the web app: cached answers keyed by (question, store state), read without any
compute lock; a miss is computed once however many requests ask for it at the same time (single flight, one lock
per key); at most ``slots`` computations run at once and at most ``queue`` more wait for a slot, beyond which a
request is refused at once (503 with Retry-After) rather than stalling every other page; a request whose client
has gone away is not computed.

The store state is the file's size and modification time: a new import or fetch changes it, and every answer
computed before is then recomputed on demand. The dashboard only reads: each computation opens its own
read-only connection.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from r2k.errors import StoreError
from r2k.store import Store
from r2k.store.forecast_log import file_state

CACHE_SIZE = 256
SLOTS, QUEUE = 2, 8  # two cores: two computations at once, eight more may wait
RETRY_AFTER = 10  # seconds a refused client is asked to wait


class StoreBusy(StoreError):
    """Another process holds the store for writing (for example ``r2k update``)."""


class Overloaded(StoreError):
    """Every computation slot is taken and the queue is full: answered 503 with a Retry-After header."""

    retry_after = RETRY_AFTER


class Gone(StoreError):
    """The client went away before its computation started: nothing was computed."""


@dataclass
class _Flight:
    """One computation in progress: the requests that arrive meanwhile wait for its result."""

    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None


class Gate:
    def __init__(self, path: Path, cache_size: int = CACHE_SIZE, slots: int = SLOTS, queue: int = QUEUE) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # guards the dictionaries below only; never held while computing
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._flights: dict[tuple, _Flight] = {}
        self._cache_size = cache_size
        self._slots = threading.BoundedSemaphore(slots)
        self._admitted = 0  # computations running or waiting for a slot
        self._limit = slots + queue
        self._local = threading.local()  # a computation that asks for another part keeps its one slot
        self.hits = self.misses = self.computed = 0

    def state(self) -> tuple[int, ...]:
        return file_state(self.path)

    @contextmanager
    def _open(self) -> Iterator[Store]:
        try:
            store = Store(self.path, read_only=True)
        except StoreError as exc:
            if "lock" in str(exc).lower():
                raise StoreBusy("the store is being updated by another program; try again in a moment") from None
            raise
        try:
            yield store
        finally:
            store.close()

    def cached(self, key: Hashable, compute: Callable[[Store], Any], gone: Callable[[], bool] | None = None) -> Any:
        """The answer for ``key`` at the current store state; ``compute(store)`` runs on a miss, once for all the
        requests asking at the same time, through a fresh read-only connection."""
        return self._answer(key, lambda: self._with_store(compute), gone)

    def memo(self, key: Hashable, compute: Callable[[], Any], gone: Callable[[], bool] | None = None) -> Any:
        """Like :meth:`cached` for answers built from cached parts (rendered pages): no store is opened."""
        return self._answer(key, compute, gone)

    def _with_store(self, compute: Callable[[Store], Any]) -> Any:
        with self._open() as store:
            return compute(store)

    def _answer(self, key: Hashable, compute: Callable[[], Any], gone: Callable[[], bool] | None) -> Any:
        while True:
            full = (key, self.state())
            with self._lock:
                if full in self._cache:
                    self.hits += 1
                    self._cache.move_to_end(full)
                    return self._cache[full]
                flight = self._flights.get(full)
                leader = flight is None
                if leader:
                    flight = self._flights[full] = _Flight()
                    self.misses += 1
            if leader:
                return self._lead(full, flight, compute, gone)
            flight.done.wait()  # the same question is being computed: wait for that answer
            if isinstance(flight.error, Gone):
                continue  # its client left before it started: ask again (this client may be the new leader)
            if flight.error is not None:
                raise flight.error
            return flight.value

    def _lead(self, full: tuple, flight: _Flight, compute: Callable[[], Any], gone: Callable[[], bool] | None) -> Any:
        try:
            flight.value = self._compute(compute, gone)
            with self._lock:
                self._cache[full] = flight.value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            return flight.value
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                self._flights.pop(full, None)
            flight.done.set()

    def _compute(self, compute: Callable[[], Any], gone: Callable[[], bool] | None) -> Any:
        """Run ``compute`` in a slot (a nested computation of the same thread keeps the slot it has)."""
        if getattr(self._local, "in_slot", False):
            return compute()
        with self._lock:
            if self._admitted >= self._limit:
                raise Overloaded("the dashboard is busy with other computations; try again in a few seconds")
            self._admitted += 1
        try:
            with self._slots:
                if gone is not None and gone():
                    raise Gone("the client disconnected before the computation started")
                self._local.in_slot = True
                try:
                    self.computed += 1
                    return compute()
                finally:
                    self._local.in_slot = False
        finally:
            with self._lock:
                self._admitted -= 1
