"""Pages from Jinja templates (autoescaped; the number formatters of :mod:`r2k.words` as filters), with the common
frame every page has: navigation, the as-of / horizons / symbol controls, the as-of note, the latest report."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from r2k import __version__
from r2k.monitor.table import STATUS_HEADERS, status_rows
from r2k.names import horizon_text
from r2k.web.deps import Ask, symbols
from r2k.words import day, index_name, jinja_filters, model_name, p_text

PAGES = (("outlook", "/", "Outlook"), ("channels", "/channels", "Price and channels"), ("analytics", "/analytics", "Analytics and events"),
         ("forecasts", "/forecasts", "Forecasts"), ("scores", "/scores", "Model scores"), ("macro", "/macro", "Macro and cycle"),
         ("coverage", "/coverage", "Data coverage"))


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("r2k.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(jinja_filters())  # the one set of number formatters, as in the report
    env.filters.update(p_text=p_text, index_name=index_name, model_name=model_name, day=day)
    env.globals.update(status_rows=status_rows, status_headers=STATUS_HEADERS)  # the monitor table, as in the report
    return env


@cache
def report_css() -> str:
    """The report's stylesheet (:func:`r2k.report.render.stylesheet`, one definition for both), scoped to the
    ``.report`` element that holds the report's sections on a dashboard page, so its page rules stay there."""
    from r2k.report.render import stylesheet

    return f"@scope (.report) {{\n{stylesheet()}\n}}\n"


def latest_report(path: Path | None) -> dict[str, Any] | None:
    """The report file ``r2k report`` / ``r2k update`` wrote, when there is one: its link and when it was written."""
    if path is None or not path.is_file():
        return None
    return {"href": "/report", "written": datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")}


def page(request: Request, name: str, ask: Ask | None = None, *, horizons: tuple[int, ...] | None = None,
         default_horizons: tuple[int, ...] | None = None, symbol_choice: bool = True, **ctx: Any) -> HTMLResponse:
    """Render templates/<name>.html.j2 inside the common frame."""
    common: dict[str, Any] = {"pages": PAGES, "page": name, "version": __version__,
                              "report": latest_report(request.app.state.report_path)}
    if ask is not None:
        held = ask.gate.cached(("symbols",), symbols)
        common.update(symbol=ask.symbol, symbols=held if symbol_choice else [], as_of=ask.day, note=ask.snap.note,
                      first=ask.range.first, last=ask.range.last, index=index_name(ask.symbol),
                      horizons=horizon_text(horizons) if horizons else "",
                      default_horizons=horizon_text(default_horizons) if default_horizons else None,
                      banner=stale_banner(ask))
    return HTMLResponse(environment().get_template(f"{name}.html.j2").render(**common, **ctx))


def stale_banner(ask: Ask) -> dict[str, str] | None:
    """The report's data-age warning for the page's snapshot (old data against today's date, or stale inputs of the
    outlook), said first on every page as in the report; None when there is nothing to say."""
    from r2k.report.data_age import data_age

    today = date.today()
    age = ask.cached(("data-age", today), lambda s: data_age(s, today))
    return {"lead": age.lead(), "text": age.text()} if age.warn else None


def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    html = environment().get_template("error.html.j2").render(pages=PAGES, page="", status=status, message=message,
                                                              version=__version__, report=None)
    return HTMLResponse(html, status_code=status, headers=headers)
