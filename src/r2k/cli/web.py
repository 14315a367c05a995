"""``r2k serve``: the local web dashboard (read-only over the store, bound to 127.0.0.1 by default)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import StoreOpt, UsageError, err_console, open_store, settings
from r2k.config import DEFAULT_REPORT
from r2k.snapshot import INDEX_ID


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to bind; the default serves this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    report: Annotated[Path, typer.Option("--report", help="The report file the pages link to (as written by r2k report / r2k update).")] = DEFAULT_REPORT,
    store: StoreOpt = None,
) -> None:
    """Serve the dashboard: outlook, price and channels, analytics and events, forecasts with the fan chart,
    model scores and the forecast log, macro and cycle, data coverage - each with as-of, index and horizon controls.

    The JSON API (/api/outlook, /api/channels, /api/forecast, /api/scores, ...) serves the same numbers as
    the CLI's --json, with the same parameter names; OpenAPI docs at /docs. Nothing is loaded from the
    network: Plotly's JavaScript is served by the app. The store is only read: forecasts are logged by
    r2k update and r2k forecast --log, never by a page view.
    """
    import uvicorn

    from r2k.web.app import LOCAL_HOSTS, create_app

    cfg = settings(store)
    with open_store(store) as s:  # a missing, foreign or directory store is one line now, not a 400 on every page
        last = s.last_date(INDEX_ID) if s.has(INDEX_ID) else None
    sock = listening_socket(host, port)
    if host not in LOCAL_HOSTS:
        err_console.print(f"warning: serving on {host}: other machines can reach the dashboard")
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"r2k dashboard on http://{shown}:{port} (store {cfg.store_path}, data to {last or 'no index closes yet'})")
    config = uvicorn.Config(create_app(cfg, host=host, report=report), host=host, port=port, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound here: a busy port or a host that cannot be resolved or bound is one line and
    exit 1 (uvicorn would log its own error and exit 3)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)[0]
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: cannot resolve it ({exc.strerror})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
