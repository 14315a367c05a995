"""``r2k serve``: the local web dashboard (read-only over the store, bound to 127.0.0.1 by default)."""

from __future__ import annotations

from typing import Annotated

import typer

from r2k.cli.common import StoreOpt, UsageError, err_console, settings


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to bind; the default serves this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not write the forecasts the dashboard shows to the forecast log.")] = False,
    store: StoreOpt = None,
) -> None:
    """Serve the dashboard: outlook, price and channels, analytics and events, forecasts with the fan chart,
    model scores and the forecast log, macro and cycle, data coverage - each with an as-of date picker.

    The JSON API (/api/outlook, /api/channels, /api/forecast, /api/scores, ...) serves the same numbers as
    the CLI's --json, with the same parameter names; OpenAPI docs at /docs. Nothing is loaded from the
    network: Plotly's JavaScript is served by the app. The store is only read, except that forecasts shown
    are appended to the forecast log (unless --no-log).
    """
    import uvicorn

    from r2k.web.app import create_app

    cfg = settings(store)
    if not cfg.store_path.exists():
        raise UsageError(f"no store at {cfg.store_path}: run 'r2k data import DIR' or 'r2k data fetch' first")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"warning: serving on {host}: other machines can reach the dashboard")
    uvicorn.run(create_app(cfg, log_forecasts=not no_log), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
