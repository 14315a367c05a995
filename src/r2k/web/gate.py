"""One door to the store for the web app: a lock (DuckDB allows one configuration per file in a process),
a fresh read-only connection per computation, and a cache keyed by (question, store state).

The store state is the file's size and modification time: a new import, fetch or logged forecast changes
it, and every cached answer computed before is then recomputed on demand.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from r2k.errors import StoreError
from r2k.store import Store
from r2k.store.forecast_log import file_state

CACHE_SIZE = 256


class StoreBusy(StoreError):
    """Another process holds the store for writing (for example ``r2k update``)."""


class Gate:
    def __init__(self, path: Path, log_forecasts: bool = True, cache_size: int = CACHE_SIZE) -> None:
        self.path = Path(path)
        self.log_forecasts = log_forecasts
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_size = cache_size
        self.hits = self.misses = 0
        self._published: set[tuple] = set()  # forecasts known to be in the log (skip the check next time)

    def state(self) -> tuple[int, ...]:
        return file_state(self.path)

    @contextmanager
    def _open(self, read_only: bool) -> Iterator[Store]:
        try:
            store = Store(self.path, read_only=read_only)
        except StoreError as exc:
            if "lock" in str(exc).lower():
                raise StoreBusy("the store is being updated by another program; try again in a moment") from None
            raise
        try:
            yield store
        finally:
            store.close()

    def cached(self, key: Hashable, compute: Callable[[Store], Any]) -> Any:
        """The answer for ``key`` at the current store state, computed under the lock on a miss."""
        full = (key, self.state())
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                self.hits += 1
                return self._cache[full]
        with self._lock:
            full = (key, self.state())
            if full in self._cache:
                return self._cache[full]
            self.misses += 1
            with self._open(read_only=True) as store:
                value = compute(store)
            self._cache[full] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return value

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """Like :meth:`cached` for answers built from cached parts (rendered pages): no store is opened."""
        full = (key, self.state())
        with self._lock:
            if full in self._cache:
                self.hits += 1
                return self._cache[full]
        value = compute()
        with self._lock:
            self._cache[full] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def publish(self, result: Any, outlook: Any = None) -> int:
        """Append a forecast the dashboard shows to the forecast log through :func:`r2k.monitor.service.publish`;
        returns the rows written (0 when already logged, or when logging is off). Opens the store for writing only
        when something is new (a write changes the store state and so every cached answer)."""
        if not self.log_forecasts:
            return 0
        from r2k.monitor.service import is_published, publish

        done = (result.symbol, result.origin, tuple((f.model, f.horizon) for f in result.forecasts), outlook is not None)
        if done in self._published:
            return 0
        with self._lock:
            with self._open(read_only=True) as store:
                known = is_published(store, result, outlook)
            written = 0
            if not known:
                with self._open(read_only=False) as store:
                    w = publish(store, result, source="r2k serve", now=datetime.now(timezone.utc).replace(tzinfo=None),
                                outlook=outlook)
                written = w.rows_new + w.rows_changed
        self._published.add(done)
        return written
