"""One data function per topic, called by both the JSON route and the HTML page of that topic (datasette's way):
each returns the library's result (or JSON-ready values) for the request's snapshot, cached per (question, symbol,
date, store state) by the gate. Nothing here writes: the dashboard only reads the store."""

from __future__ import annotations

from datetime import date
from typing import Any

from r2k.errors import R2KError
from r2k.names import BASELINES, EVENT_HORIZONS, OUTLOOK_HORIZONS, PUBLISHED_MODELS
from r2k.report.sections import Section
from r2k.web import service
from r2k.web.deps import Ask

OUTLOOK_HISTORY = 400  # calendar days of closes the outlook needs before its date
HISTORY = 30  # the other topics
OUTLOOK_SECTIONS = ("outlook", "scenarios", "forecast", "model")
FORECAST_MODELS = (*PUBLISHED_MODELS, *BASELINES)  # the published model and the baselines it is judged against


def outlook(ask: Ask) -> Any:
    """The rated outlook (``r2k outlook --json``); kept in the snapshot, where the report's sections find it."""
    ask.need_history(OUTLOOK_HISTORY)
    return ask.cached(("outlook",), service.outlook)


def channels(ask: Ask, start: date | None = None, end: date | None = None, secondary_start: date | None = None,
             origin: date | None = None) -> dict[str, Any]:
    ask.need_history(HISTORY)
    args = (start, end, secondary_start, origin)
    return ask.cached(("channels", args), lambda s: service.channels(s, *args))


def analyze(ask: Ask, benchmark: str = "GSPC") -> dict[str, Any]:
    ask.need_history(HISTORY)
    return ask.cached(("analyze", benchmark), lambda s: service.analyze(s, benchmark))


def events(ask: Ask, kind: str, horizons: tuple[int, ...] | None = None) -> dict[str, Any]:
    ask.need_history(HISTORY)
    hs = horizons or EVENT_HORIZONS
    return ask.cached(("events", kind, hs), lambda s: service.events(s, kind, hs))


def forecast(ask: Ask, horizons: tuple[int, ...] | None = None, models: tuple[str, ...] = FORECAST_MODELS) -> Any:
    """The OriginForecast of ``models`` (default: the published model and the baselines) at ``horizons`` (default: the
    outlook's). At the outlook's horizons the published model's distributions are the outlook's own (the ones its
    grades rest on, no second forecast); other horizons run the published model's walk-forward for them (minutes the
    first time on the full history)."""
    ask.need_history(HISTORY)
    hs = horizons or OUTLOOK_HORIZONS
    if models == FORECAST_MODELS and set(hs) <= set(OUTLOOK_HORIZONS):
        try:
            o = outlook(ask)
        except R2KError:  # no outlook at this date (too little history): forecast the models directly
            o = None
        if o is not None and o.dists is not None and o.dists.forecast is not None:
            return ask.cached(("forecast", hs, models), lambda s: service.outlook_forecast(s, o, hs))
    return ask.cached(("forecast", hs, models), lambda s: service.forecast(s, hs, models))


def scores(ask: Ask) -> dict[str, Any]:
    return ask.cached(("scores", ask.walk_forward), lambda s: service.scores(s, ask.walk_forward))


def macro(ask: Ask) -> tuple[dict[str, Any], dict[str, Any]]:
    """The factor dashboard and the cycle phase (``r2k factors --json``, ``r2k cycle --json``)."""
    return ask.cached(("macro",), service.factors)


def coverage(ask: Ask) -> Section:
    """The report's data coverage section: its facts are the API's answer, its HTML the page's table."""
    return ask.cached(("coverage",), lambda s: service.report_sections(s, ("coverage",))[0])


def outlook_sections(ask: Ask) -> list[Section]:
    """The report's outlook, scenario, forecast (fan chart) and model (record) sections for the request's snapshot:
    one renderer of each block for the report and the dashboard."""
    outlook(ask)  # its error, when there is no outlook at this date, is the page's answer
    return ask.cached(("outlook-sections",), lambda s: service.report_sections(s, OUTLOOK_SECTIONS))
