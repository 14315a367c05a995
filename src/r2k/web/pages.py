"""The HTML pages: each calls its topic's data function (the same one the JSON route calls) and renders it with
names, not ids, and percentages, not fractions. Pages only read: nothing here writes the forecast log."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from r2k.names import EVENT_HORIZONS, EVENT_KINDS, OUTLOOK_HORIZONS, PUBLISHED_MODEL
from r2k.params import parse_choice, parse_date
from r2k.web import charts, service, topics
from r2k.web.deps import AskDep, HorizonsDep, IndexAskDep
from r2k.web.errors import BadRequest
from r2k.web.render import page
from r2k.words import PERIOD_NAMES, model_name

router = APIRouter(include_in_schema=False)
DateQ = Annotated[str | None, Query(max_length=200)]


@router.get("/", response_class=HTMLResponse)
def outlook(request: Request, ask: AskDep) -> HTMLResponse:
    """The report's first sections (grades, scenarios, fan chart, record), rendered by the report's own builders."""
    return page(request, "outlook", ask, sections=topics.outlook_sections(ask), report_css=True)


@router.get("/channels", response_class=HTMLResponse)
def channels(request: Request, ask: AskDep, start: DateQ = None, end: DateQ = None, secondary_start: DateQ = None) -> HTMLResponse:
    args = (parse_date(start, "start"), parse_date(end, "end"), parse_date(secondary_start, "secondary_start"), None)
    result = topics.channels(ask, *args)
    fig = ask.cached(("channel-chart", args), lambda s: charts.channel_chart(s.series(), result))
    form = {"start": start or "", "end": end or "", "secondary_start": secondary_start or ""}
    return page(request, "channels", ask, result=result, charts=[fig], form=form)


@router.get("/analytics", response_class=HTMLResponse)
def analytics(request: Request, ask: AskDep, horizons: HorizonsDep,
              kind: Annotated[str, Query(max_length=200)] = "reconstitution") -> HTMLResponse:
    k = parse_choice(kind, EVENT_KINDS, "kind")
    a = topics.analyze(ask)
    ev = topics.events(ask, k, horizons)
    figs = ask.cached(("analytics-charts", k, horizons), lambda s: [
        charts.relative_chart(s.series(), s.series_if_any("GSPC"), s.symbol, "GSPC"), charts.event_chart(ev)])
    return page(request, "analytics", ask, horizons=horizons or EVENT_HORIZONS, default_horizons=EVENT_HORIZONS, a=a, ev=ev,
                kind=k, kinds=EVENT_KINDS, periods=PERIOD_NAMES, charts=figs)


@router.get("/forecasts", response_class=HTMLResponse)
def forecasts(request: Request, ask: AskDep, horizons: HorizonsDep) -> HTMLResponse:
    """The published model's distributions at the chosen horizons (chart and table: the same model), the
    baselines labelled as such beside it."""
    hs = horizons or OUTLOOK_HORIZONS
    fc = topics.forecast(ask, hs)
    after = ask.cached(("realised", hs), lambda s: service.closes_between(
        s.store, s.symbol, fc.origin.date(), max(f.target for f in fc.forecasts).date()))
    fig = ask.cached(("fan", hs), lambda s: charts.fan_chart(s.series(), fc, PUBLISHED_MODEL, after))
    rows = [{"model": f.model, "published": f.model == PUBLISHED_MODEL, "label": model_label(f.model), "horizon": f.horizon, "target": f.target, "mean": f.dist.mean,
             "p_up": f.dist.p_up, **{f"level{int(100 * q)}": fc.last_close * math.exp(f.dist.quantile(q)) for q in (0.1, 0.5, 0.9)}}
            for f in fc.forecasts]
    return page(request, "forecasts", ask, horizons=hs, default_horizons=OUTLOOK_HORIZONS, fc=fc, rows=rows, charts=[fig],
                published=model_name(PUBLISHED_MODEL), models=",".join(topics.FORECAST_MODELS), realised=charts.shows_realised(after))


def model_label(model: str) -> str:
    return f"{model_name(model)} (published)" if model == PUBLISHED_MODEL else f"{model_name(model)} (baseline)"


@router.get("/scores", response_class=HTMLResponse)
def scores(request: Request, ask: AskDep) -> HTMLResponse:
    sc = topics.scores(ask)
    records = [r for r in (sc["status"]["live"], sc["status"]["walk_forward"]) if r]
    skill = charts.skill_chart(records)
    return page(request, "scores", ask, scores=sc, status=sc["status"], charts=[skill] if skill["data"] else [])


@router.get("/macro", response_class=HTMLResponse)
def macro(request: Request, ask: IndexAskDep) -> HTMLResponse:
    f, c = topics.macro(ask)
    return page(request, "macro", ask, symbol_choice=False, factors=f, cycle=c, charts=[charts.factor_chart(f)])


@router.get("/coverage", response_class=HTMLResponse)
def coverage(request: Request, ask: IndexAskDep) -> HTMLResponse:
    return page(request, "coverage", ask, symbol_choice=False, section=topics.coverage(ask), report_css=True)


@router.get("/report")
def latest_report(request: Request) -> FileResponse:
    """The report ``r2k report`` or ``r2k update`` wrote last (the file named at start-up), as written."""
    path: Path | None = request.app.state.report_path
    if path is None or not path.is_file():
        raise BadRequest("no report has been written yet: run r2k report", status=404)
    return FileResponse(path, media_type="text/html")

