"""Independent tasks, run serially, on local processes (joblib) or on a Dask distributed cluster.

Work is expressed once as ``fn(item)`` over a list; results come back in the order of the items, so
nothing depends on where or in which order a task ran. A scheduler address (``--scheduler
tcp://host:8786`` or ``R2K_DASK_SCHEDULER``) selects Dask; otherwise ``n_jobs`` local processes.
``joblib_backend`` hands code already written with joblib (the walk-forward engine) to the same cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from r2k.errors import R2KError

T = TypeVar("T")
R = TypeVar("R")
SCHEDULER_ENV = "R2K_DASK_SCHEDULER"
CONNECT_TIMEOUT = "10s"


class SchedulerError(R2KError):
    """The Dask scheduler cannot be reached, or Dask is not installed."""


def _client(scheduler: Any, timeout: str = CONNECT_TIMEOUT):
    """A Dask client for ``scheduler`` (an address, a LocalCluster, or a Client), and whether we own it."""
    if hasattr(scheduler, "scheduler_address"):  # a LocalCluster / SpecCluster object
        scheduler = scheduler.scheduler_address
    try:
        from dask.distributed import Client
    except ImportError:
        raise SchedulerError("a Dask scheduler was given but dask[distributed] is not installed: pip install 'r2k[scale]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False), True
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {type(exc).__name__}") from None


class Executor:
    """Runs ``map`` on the chosen backend; use as a context manager so a Dask client is closed."""

    def __init__(self, scheduler: Any = None, n_jobs: int = 1, connect_timeout: str = CONNECT_TIMEOUT) -> None:
        self.scheduler = scheduler
        self.n_jobs = n_jobs
        self.connect_timeout = connect_timeout
        self.client = None
        self._owned = False

    def __enter__(self) -> "Executor":
        if self.scheduler is not None:
            self.client, self._owned = _client(self.scheduler, self.connect_timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None and self._owned:
            self.client.close()
        self.client = None

    @property
    def workers(self) -> int:
        """How many tasks run at once (Dask workers' threads, or local jobs)."""
        if self.client is not None:
            return max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))
        if self.n_jobs == -1:
            import os

            return os.cpu_count() or 1
        return max(1, self.n_jobs)

    def map(self, fn: Callable[..., R], items: Sequence[T], *args: Any) -> list[R]:
        """``[fn(item, *args) for item in items]``, in item order, on the chosen backend."""
        if not items:
            return []
        if self.client is not None:
            shared = [self.client.scatter(a, broadcast=True) for a in args]
            futures = self.client.map(fn, list(items), *[[s] * len(items) for s in shared], pure=False)
            return self.client.gather(futures)
        if self.n_jobs != 1:
            from joblib import Parallel, delayed

            return Parallel(n_jobs=self.n_jobs)(delayed(fn)(item, *args) for item in items)
        return [fn(item, *args) for item in items]


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` in consecutive chunks of ``size`` (tasks big enough to be worth shipping)."""
    return [list(items[i : i + size]) for i in range(0, len(items), max(1, size))]


@contextmanager
def joblib_backend(scheduler: Any) -> Iterator[int]:
    """Route joblib ``Parallel`` calls inside the block to the Dask cluster; yields its worker count.

    With no scheduler, nothing changes and it yields 0 (keep the caller's ``n_jobs``).
    """
    if scheduler is None:
        yield 0
        return
    import joblib

    with Executor(scheduler) as ex:
        with joblib.parallel_config(backend="dask", client=ex.client):
            yield ex.workers
