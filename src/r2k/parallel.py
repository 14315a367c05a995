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
SCHEMES = ("tcp", "tls", "ws", "wss")  # the network transports of dask.distributed (inproc is in-process only)
ADDRESS_HINT = "the address must look like tcp://HOST:PORT"


class SchedulerError(R2KError):
    """The Dask scheduler cannot be reached, or Dask is not installed."""


def not_a_scheduler(address: str, why: str) -> SchedulerError:
    """The one message of every connection failure: ``<address> is not a Dask scheduler: <why>``."""
    return SchedulerError(f"{address} is not a Dask scheduler: {why}")


def check_scheduler_address(address: str) -> str:
    """``[scheme://]host:port`` with a network scheme (tcp when none is given) and a port in 1..65535, normalised;
    anything else is refused before a connection is tried (a typo must not cost a timeout)."""
    from urllib.parse import urlsplit

    text = address.strip()
    parts = urlsplit(text if "://" in text else f"tcp://{text}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in SCHEMES or not parts.hostname or port is None or not 0 < port < 65536 \
            or parts.path or parts.query or parts.fragment or parts.username:
        raise not_a_scheduler(repr(address), ADDRESS_HINT)
    return f"{parts.scheme}://{parts.netloc}"


def _why(exc: BaseException, timeout: float) -> str:
    """A connection failure in words (the cause of distributed's retry wrapper, if it has one)."""
    import asyncio
    import socket

    cause = exc
    while isinstance(cause.__cause__, BaseException):  # distributed wraps the socket's error twice
        cause = cause.__cause__
    if isinstance(cause, (asyncio.TimeoutError, TimeoutError, asyncio.CancelledError)):
        return f"no answer within {timeout:g} s"
    if isinstance(cause, ConnectionRefusedError):
        return "nothing answers there (connection refused)"
    if isinstance(cause, socket.gaierror):
        return "unknown host"
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0]}" if text else type(cause).__name__


def _reachable(address: str, timeout: float) -> None:
    """One plain TCP connection first: distributed retries a refused connection until its timeout, this does not."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    socket.create_connection((parts.hostname, parts.port), timeout=timeout).close()


async def _identity(address: str, timeout: float) -> Any:
    """What the server at ``address`` says it is (the scheduler's ``identity`` call over a raw comm)."""
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def _connect(address: str, timeout: float):
    """A Dask client for ``address``, all of it under one deadline of ``timeout`` seconds.

    distributed's own timeout does not cover its handshake (a server that accepts and stays silent hangs
    ``Client()`` forever), so a plain comm first asks the server who it is, and the client is then built in a
    daemon thread that is abandoned at the deadline.
    """
    import asyncio
    import threading
    import time

    from dask.distributed import Client

    deadline = time.monotonic() + timeout
    box: dict[str, Any] = {}

    def build() -> None:
        try:
            _reachable(address, timeout)
            who = asyncio.run(asyncio.wait_for(_identity(address, timeout), timeout))
            kind = who.get("type") if isinstance(who, dict) else None
            if kind != "Scheduler":
                why = f"it is a Dask {kind.lower()}" if isinstance(kind, str) and kind.isalpha() else \
                    "it answered, but not as a Dask scheduler"
                raise not_a_scheduler(address, why)
            client = Client(address, timeout=max(0.1, deadline - time.monotonic()), set_as_default=False)
            if box.setdefault("client", client) is not client or box.get("abandoned"):
                client.close()
        except BaseException as exc:  # noqa: BLE001 - every failure becomes the one message below
            box["error"] = exc

    worker = threading.Thread(target=build, name="r2k-dask-connect", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()) + 0.5)  # a little grace for distributed's own timeout
    if worker.is_alive():
        box["abandoned"] = True
        raise not_a_scheduler(address, f"no answer within {timeout:g} s")
    error = box.get("error")
    if isinstance(error, SchedulerError):
        raise error
    if error is not None:
        raise not_a_scheduler(address, _why(error, timeout)) from None
    return box["client"]


def _client(scheduler: Any, timeout: str = CONNECT_TIMEOUT):
    """A Dask client for ``scheduler`` (an address, a LocalCluster, or a Client), and whether we own it."""
    try:
        from dask.distributed import Client
        from dask.utils import parse_timedelta
    except ImportError:
        raise SchedulerError("a Dask scheduler was given but dask[distributed] is not installed: pip install 'r2k[scale]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if hasattr(scheduler, "scheduler_address"):  # a LocalCluster / SpecCluster object: its address is trusted
        return Client(scheduler.scheduler_address, timeout=timeout, set_as_default=False), True
    return _connect(check_scheduler_address(str(scheduler)), float(parse_timedelta(timeout, "s"))), True


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
