"""The JSON API under /api: each answer is the object the CLI command of the same name prints with ``--json`` (the
same parameter names and limits), built by the topic's one data function (:mod:`r2k.web.topics`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from r2k.models.registry import MODELS
from r2k.names import DEFAULT_HORIZONS, EVENT_KINDS, PUBLISHED_MODELS, horizon_text
from r2k.params import parse_choice, parse_date, parse_horizons, parse_models, parse_symbol
from r2k.serialize import dumps, envelope, to_jsonable
from r2k.web import topics
from r2k.web.deps import Ask, AskDep, HorizonsDep, IndexAskDep

router = APIRouter(prefix="/api")


def answer(ask: Ask, key: tuple, build: Any, item_key: str = "items", as_of: Any = None) -> Response:
    """The one output contract, as the CLI's --json object: as_of (given, else the payload's own, else the snapshot's
    date), version, the note when the date asked for was clamped to the last close, and the payload, flat; serialised
    once per (question, store state)."""
    def body() -> bytes:
        result = to_jsonable(build())
        own = result.get("as_of") if isinstance(result, dict) else None
        return dumps(envelope(result, as_of or own or ask.day, item_key, ask.snap.note), indent=None).encode()

    return Response(ask.memo(("api", *key, ask.snap.note), body), media_type="application/json")


@router.get("/outlook", summary="The outlook: risk grades, return views, key points, scenarios (as r2k outlook --json).")
def outlook(ask: AskDep) -> Response:
    return answer(ask, ("outlook",), lambda: topics.outlook(ask))


@router.get("/channels", summary="Primary and secondary trend channels (as r2k channels --json).")
def channels(ask: AskDep, start: Annotated[str | None, Query(max_length=200, description="Primary window start (as --start); omit to detect.")] = None,
             end: Annotated[str | None, Query(max_length=200, description="Primary window end (as --end).")] = None,
             secondary_start: Annotated[str | None, Query(max_length=200, description="Secondary window start (as --secondary-start).")] = None,
             origin: Annotated[str | None, Query(max_length=200, description="Date where X = 0 (as --origin).")] = None) -> Response:
    args = (parse_date(start, "start"), parse_date(end, "end"), parse_date(secondary_start, "secondary_start"), parse_date(origin, "origin"))
    return answer(ask, ("channels", args), lambda: topics.channels(ask, *args))


@router.get("/analyze", summary="Market analytics (as r2k analyze --json).")
def analyze(ask: AskDep, benchmark: Annotated[str, Query(max_length=200, description="Series id of the benchmark (as --benchmark).")] = "GSPC") -> Response:
    bench = parse_symbol(benchmark, "benchmark")
    return answer(ask, ("analyze", bench), lambda: topics.analyze(ask, bench))


@router.get("/events", summary="Event study (as r2k events --json).")
def events(ask: AskDep, horizons: HorizonsDep,
           kind: Annotated[str, Query(max_length=200, description="Event kind (as --kind).")] = "reconstitution") -> Response:
    k = parse_choice(kind, EVENT_KINDS, "kind")
    return answer(ask, ("events", k, horizons), lambda: topics.events(ask, k, horizons))


@router.get("/forecast", summary="Forecast distributions from one origin (as r2k forecast --json); never logged.")
def forecast(ask: AskDep,
             horizons: Annotated[str, Query(max_length=200, description="Comma-separated horizons in trading days (as --horizons).")] = horizon_text(DEFAULT_HORIZONS),
             models: Annotated[str, Query(max_length=200, description="Comma-separated models (as --models).")] = ",".join(PUBLISHED_MODELS)) -> Response:
    hs, ms = parse_horizons(horizons), parse_models(models, tuple(MODELS))
    fc = topics.forecast(ask, hs, ms)
    return answer(ask, ("forecast", hs, ms), lambda: fc, as_of=fc.origin.date())


@router.get("/scores", summary="Model status and the forecast log with realised scores (as r2k score --json, read-only).")
def scores(ask: AskDep) -> Response:
    return answer(ask, ("scores",), lambda: topics.scores(ask))


@router.get("/factors", summary="Macro factors (as r2k factors --json).")
def factors(ask: IndexAskDep) -> Response:
    return answer(ask, ("factors",), lambda: topics.macro(ask)[0])


@router.get("/cycle", summary="Cycle phase (as r2k cycle --json).")
def cycle(ask: IndexAskDep) -> Response:
    return answer(ask, ("cycle",), lambda: topics.macro(ask)[1])


@router.get("/coverage", summary="Stored series as known at as_of, with their freshness (as the report's data coverage).")
def coverage(ask: IndexAskDep) -> Response:
    return answer(ask, ("coverage",), lambda: topics.coverage(ask).facts["series"], item_key="series")
