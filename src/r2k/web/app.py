"""The dashboard's FastAPI app: the JSON API under /api (the same numbers and parameter names as the CLI's --json),
HTML pages with Plotly charts drawn by the app's own copy of Plotly (no network), API docs at /docs.

The app only reads the store. Bad input answers 4xx with one line ({"error": ...} under /api/, a styled page
elsewhere); nothing from a request reaches SQL or the file system, and every text from data or requests is escaped
(Jinja autoescape). Only requests addressed to this machine's names (and ``--host``) are served.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from r2k import __version__
from r2k.config import DEFAULT_REPORT, Settings
from r2k.web import api, assets, errors, pages
from r2k.web.gate import QUEUE, SLOTS, Gate

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class SecurityHeaders:
    """Adds :data:`HEADERS` to every answer (a plain ASGI middleware: it leaves the request's messages alone, so a
    route can still tell that its client hung up)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def trusted_hosts(host: str | None = None) -> list[str]:
    """The Host names served: this machine's, plus the address the server was bound to (DNS-rebinding guard); an IPv6
    address also as the Host header writes it, in brackets."""
    names = [*LOCAL_HOSTS, *([host] if host else [])]
    return list(dict.fromkeys([*names, *(f"[{n}]" for n in names if ":" in n)]))


def create_app(settings: Settings, *, host: str | None = None, walk_forward: bool = True, report: Path | None = DEFAULT_REPORT,
               slots: int = SLOTS, queue: int = QUEUE, hosts: Sequence[str] | None = None) -> FastAPI:
    """The dashboard over the store at ``settings.store_path`` (opened read-only per computation).

    ``host``: the address bound (served besides 127.0.0.1, localhost and ::1); ``walk_forward`` adds the recent
    walk-forward record to the model status (several seconds per as-of date); ``report``: the report file linked
    from every page when it exists; ``slots``/``queue``: computations at once and waiting (beyond: 503).
    """
    app = FastAPI(title="r2k dashboard", version=__version__, docs_url=None, redoc_url=None,
                  description="Russell 2000 research: the same numbers as the r2k command line, read from the local store.")
    app.state.settings = settings
    app.state.gate = Gate(settings.store_path, slots=slots, queue=queue)
    app.state.walk_forward = walk_forward
    app.state.report_path = None if report is None else Path(report).resolve()
    app.add_middleware(SecurityHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=5)  # level 9 costs ~15 ms on a 50 kB page
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts or trusted_hosts(host)))

    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(assets.router)
    return app
