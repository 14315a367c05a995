"""Network plumbing shared by the live providers: offline detection, one-line errors, rate-limit retries.

Offline must fail fast and clearly: the first failed request is classified (DNS, refused, unreachable,
timed out) and turned into one :class:`ProviderError` line; connection failures are never retried, only
rate limits are (with exponential backoff and an injectable ``sleep`` so tests do not wait).
"""

from __future__ import annotations

import socket
import threading
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from r2k.errors import ProviderError

OFFLINE_HINT = "run 'r2k data import DIR' to use local CSVs"
RETRY_DELAYS: tuple[float, ...] = (2.0, 4.0, 8.0, 16.0)
PROBE_TIMEOUT = 3.0

T = TypeVar("T")


class RateLimited(Exception):
    """Raised inside a request function when the server answers HTTP 429 (or says so)."""


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]


_TEXT_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("could not resolve", "name or service not known", "nameresolution", "failed to resolve",
         "temporary failure in name resolution", "nodename nor servname", "getaddrinfo"),
        "offline (DNS lookup failed)",
    ),
    (("network is unreachable", "no route to host"), "network unreachable"),
    (("connection refused", "couldn't connect", "failed to connect"), "connection refused"),
    (("timed out", "timeout"), "timed out"),
)


def network_reason(exc: BaseException) -> str | None:
    """A short reason when ``exc`` means "cannot reach the host" (DNS, refused, unreachable, timeout), else None."""
    chain = list(_chain(exc))
    for e in chain:
        if isinstance(e, socket.gaierror):
            return "offline (DNS lookup failed)"
        if isinstance(e, ConnectionRefusedError):
            return "connection refused"
        if isinstance(e, TimeoutError):
            return "timed out"
    text = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    for needles, reason in _TEXT_REASONS:
        if any(n in text for n in needles):
            return reason
    if any(n in text for n in ("connectionerror", "dnserror", "connecterror")):
        return "connection failed"
    return None


def offline_error(series_id: str, service: str, host: str, reason: str) -> ProviderError:
    return ProviderError(f"{series_id}: cannot reach {service} ({host}): {reason} — {OFFLINE_HINT}")


def probe(host: str, port: int = 443, timeout: float = PROBE_TIMEOUT) -> None:
    """Open (and close) one TCP connection to ``host`` or raise within about ``timeout`` seconds.

    Runs in a daemon thread so a hanging DNS resolver cannot block longer than the timeout. Skipped
    when an HTTPS proxy is configured (the host is then reached through the proxy, not directly).
    """
    proxies = urllib.request.getproxies()
    if proxies.get("https") or proxies.get("all"):
        return
    outcome: list[BaseException | None] = []

    def connect() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome.append(None)
        except BaseException as exc:  # handed to the calling thread
            outcome.append(exc)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout + 1.0)
    if not outcome:
        raise TimeoutError(f"no answer from {host} within {timeout:g} s")
    if outcome[0] is not None:
        raise outcome[0]


def with_retries(
    call: Callable[[], T],
    is_rate_limited: Callable[[BaseException], bool],
    sleep: Callable[[float], None],
    delays: Sequence[float] = RETRY_DELAYS,
) -> T:
    """``call()``, retried after each delay in ``delays`` while it fails with a rate-limit error."""
    for delay in delays:
        try:
            return call()
        except Exception as exc:
            if not is_rate_limited(exc):
                raise
        sleep(delay)
    return call()
