"""The FastAPI app: JSON API under /api (the same numbers and parameter names as the CLI's --json), HTML
pages with Plotly charts drawn by the app's own copy of Plotly (no network), OpenAPI docs at /docs.

Bad input answers 4xx with one line ({"error": ...} or a short page); nothing from a request reaches SQL
or the file system, and every text from data or requests is escaped (Jinja autoescape).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader

from r2k import __version__
from r2k.config import Settings
from r2k.errors import R2KError
from r2k.monitor.table import STATUS_HEADERS, status_rows
from r2k.names import (DEFAULT_HORIZONS, DEFAULT_MODELS, EVENT_HORIZONS, EVENT_KINDS, FAN_HORIZONS, LONG_FAN, PUBLISHED_HORIZONS,
                       PUBLISHED_MODELS, SHOWN_HORIZONS, horizon_text)
from r2k.params import parse_choice, parse_date, parse_horizons, parse_models, parse_symbol
from r2k.serialize import dumps, envelope, to_jsonable
from r2k.snapshot import Snapshot
from r2k.web import charts, service
from r2k.web.errors import BadRequest
from r2k.web.gate import Gate, StoreBusy
from r2k.words import jinja_filters

STATIC = Path(__file__).parent / "static"
PAGES = (("outlook", "/", "Outlook"), ("channels", "/channels", "Price and channels"), ("analytics", "/analytics", "Analytics and events"),
         ("forecasts", "/forecasts", "Forecasts"), ("scores", "/scores", "Model scores"), ("macro", "/macro", "Macro and cycle"),
         ("coverage", "/coverage", "Data coverage"))
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'")

SymbolQ = Query("RUT", description="Series id of the index (as --symbol).", max_length=200)
AsOfQ = Query(None, description="Use only data known at this date, YYYY-MM-DD (as --as-of); default: the last stored close.", max_length=200)


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def answer(snap: Snapshot, result: Any, key: str = "items", as_of: Any = None) -> dict[str, Any]:
    """The one output contract, as the CLI's --json object: as_of (given, else the payload's own, else the snapshot's
    date), version, the note when the date asked for was clamped to the last close, and the payload, flat."""
    body = to_jsonable(result)
    own = body.get("as_of") if isinstance(body, dict) else None
    return envelope(body, as_of or own or snap.day, key, snap.note)


def create_app(settings: Settings, log_forecasts: bool = True, walk_forward: bool = True,
               models: tuple[str, ...] | None = None) -> FastAPI:
    """The dashboard over the store at ``settings.store_path`` (opened read-only per computation).

    ``walk_forward`` adds the recent walk-forward record to the model status (several seconds per as-of date);
    ``models`` are the models the pages show (default: the forecasting library's defaults, as the CLI).
    """
    from r2k.models.registry import MODELS

    page_models = tuple(models or DEFAULT_MODELS)
    fan_model = "garch" if "garch" in page_models else page_models[-1]

    gate = Gate(settings.store_path, log_forecasts=log_forecasts)
    env = Environment(loader=PackageLoader("r2k.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(jinja_filters())  # the one set of number formatters, as in the report
    env.globals.update(status_rows=status_rows, status_headers=STATUS_HEADERS)  # the monitor table, as in the report
    app = FastAPI(title="r2k dashboard", version=__version__, docs_url=None, redoc_url=None,
                  description="Russell 2000 research: the same numbers as the r2k command line, read from the local store.")
    app.state.gate = gate
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=5)  # level 9 costs ~15 ms on a 50 kB page
    known_models = tuple(MODELS)

    # ------------------------------------------------------------------ errors
    def _error(request: Request, status: int, message: str) -> Response:
        message = message.splitlines()[0] if message else "error"
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse({"error": message}, status_code=status)
        html = env.get_template("error.html.j2").render(pages=PAGES, page="", status=status, message=message, version=__version__)
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(BadRequest)
    async def _bad(request: Request, exc: BadRequest) -> Response:
        return _error(request, exc.status, str(exc))

    @app.exception_handler(StoreBusy)
    async def _busy(request: Request, exc: StoreBusy) -> Response:
        return _error(request, 503, str(exc))

    @app.exception_handler(R2KError)
    async def _r2k(request: Request, exc: R2KError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return _error(request, 400, f"{where}: {first.get('msg', 'invalid value')}")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:  # never a traceback to the client
        return _error(request, 500, f"internal error ({type(exc).__name__}) while answering this request")

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # noqa: ANN001, ANN202 - starlette's signature
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    # ------------------------------------------------------------- computations
    def snap_for(symbol: str, as_of: str | None, min_days: int = 0) -> Snapshot:
        """The request's snapshot (one per symbol, date asked for and store state: its series and input frame are
        read once for every page and answer of that date); 404 for an unknown symbol, 400 for too little history."""
        d = parse_date(as_of)
        rng = gate.cached(("range", symbol), lambda s: service.data_range(s, symbol))
        snap = gate.cached(("snapshot", symbol, d), lambda s: Snapshot(s, d, symbol, settings=settings))
        service.check_history(snap, rng, min_days)
        return snap

    def on(snap: Snapshot, key: tuple, compute: Any) -> Any:
        """``compute(snapshot)`` cached under ``key`` at the current store state, reading through a fresh connection."""
        return gate.cached(key, lambda s: compute(snap.bind(s)))

    def get_outlook(snap: Snapshot) -> Any:
        out = on(snap, ("outlook", snap.symbol, snap.day), service.outlook)
        gate.publish(get_forecast(snap, PUBLISHED_HORIZONS, page_models, log=False), outlook=out)
        return out

    def get_forecast(snap: Snapshot, horizons: tuple[int, ...], models: tuple[str, ...], log: bool = True) -> Any:
        fc = on(snap, ("forecast", snap.symbol, horizons, models, snap.day), lambda b: service.forecast(b, horizons, models))
        if log:
            gate.publish(fc)
        return fc

    def get_scores(snap: Snapshot) -> dict[str, Any]:
        return on(snap, ("scores", snap.symbol, snap.day), lambda b: service.scores(b, walk_forward))

    def api_memo(key: tuple, build: Any) -> Response:
        """A cached API answer: the envelope serialised once per (question, store state)."""
        return Response(gate.memo(("api", *key), lambda: dumps(build(), indent=None).encode()), media_type="application/json")

    def page_memo(key: tuple, build: Any) -> HTMLResponse:
        return HTMLResponse(gate.memo(("page", *key), lambda: build().body))

    def render(page: str, snap: Snapshot, **ctx: Any) -> HTMLResponse:
        rng = gate.cached(("range", snap.symbol), lambda s: service.data_range(s, snap.symbol))
        html = env.get_template(f"{page}.html.j2").render(pages=PAGES, page=page, symbol=snap.symbol, as_of=snap.day,
                                                          note=snap.note, first=rng.first, last=rng.last, version=__version__,
                                                          **ctx)
        return HTMLResponse(html)

    # --------------------------------------------------------------------- API
    @app.get("/api/outlook", summary="The outlook: ratings, key points, scenarios (as r2k outlook --json).")
    def api_outlook(symbol: str = SymbolQ, as_of: str | None = AsOfQ) -> Response:
        sym = parse_symbol(symbol)
        snap = snap_for(sym, as_of, 400)
        return api_memo(("outlook", sym, snap.day, snap.note), lambda: answer(snap, get_outlook(snap)))

    @app.get("/api/channels", summary="Primary and secondary trend channels (as r2k channels --json).")
    def api_channels(symbol: str = SymbolQ, as_of: str | None = AsOfQ,
                     start: str | None = Query(None, max_length=200, description="Primary window start (as --start); omit to detect."),
                     end: str | None = Query(None, max_length=200, description="Primary window end (as --end)."),
                     secondary_start: str | None = Query(None, max_length=200, description="Secondary window start (as --secondary-start)."),
                     origin: str | None = Query(None, max_length=200, description="Date where X = 0 (as --origin).")) -> Response:
        sym = parse_symbol(symbol)
        snap = snap_for(sym, as_of, 30)
        args = (parse_date(start, "start"), parse_date(end, "end"), parse_date(secondary_start, "secondary_start"),
                parse_date(origin, "origin"))
        return api_memo(("channels", sym, snap.day, snap.note, args),
                        lambda: answer(snap, on(snap, ("channels", sym, snap.day, args), lambda b: service.channels(b, *args))))

    @app.get("/api/analyze", summary="Market analytics (as r2k analyze --json).")
    def api_analyze(symbol: str = SymbolQ, benchmark: str = Query("GSPC", max_length=200, description="Series id of the benchmark (as --benchmark)."), as_of: str | None = AsOfQ) -> Response:
        sym, bench = parse_symbol(symbol), parse_symbol(benchmark, "benchmark")
        snap = snap_for(sym, as_of, 30)
        return api_memo(("analyze", sym, bench, snap.day, snap.note),
                        lambda: answer(snap, on(snap, ("analyze", sym, bench, snap.day), lambda b: service.analyze(b, bench))[0]))

    @app.get("/api/events", summary="Event study (as r2k events --json).")
    def api_events(kind: str = Query("reconstitution", max_length=200, description="Event kind (as --kind)."),
                   horizons: str = Query(horizon_text(EVENT_HORIZONS), max_length=200, description="Forward horizons in trading days (as --horizons)."),
                   symbol: str = SymbolQ, as_of: str | None = AsOfQ) -> Response:
        sym, k, hs = parse_symbol(symbol), parse_choice(kind, EVENT_KINDS, "kind"), parse_horizons(horizons)
        snap = snap_for(sym, as_of, 30)
        return api_memo(("events", k, hs, sym, snap.day, snap.note),
                        lambda: answer(snap, on(snap, ("events", k, hs, sym, snap.day), lambda b: service.events(b, k, hs))[0]))

    @app.get("/api/forecast", summary="Forecast distributions from one origin (as r2k forecast --json); logged.")
    def api_forecast(symbol: str = SymbolQ, horizons: str = Query(horizon_text(DEFAULT_HORIZONS), max_length=200, description="Comma-separated horizons in trading days (as --horizons)."),
                     models: str = Query(",".join(PUBLISHED_MODELS), max_length=200, description="Comma-separated models (as --models)."), as_of: str | None = AsOfQ) -> Response:
        sym, hs, ms = parse_symbol(symbol), parse_horizons(horizons), parse_models(models, known_models)
        snap = snap_for(sym, as_of, 30)
        return api_memo(("forecast", sym, hs, ms, snap.day, snap.note), lambda: answer(snap, fc := get_forecast(snap, hs, ms), as_of=fc.origin.date()))

    @app.get("/api/scores", summary="Model status and the forecast log with realised scores (as r2k score --json, read-only).")
    def api_scores(symbol: str = SymbolQ, as_of: str | None = AsOfQ) -> Response:
        sym = parse_symbol(symbol)
        snap = snap_for(sym, as_of)
        return api_memo(("scores", sym, snap.day, snap.note), lambda: answer(snap, get_scores(snap)))

    @app.get("/api/factors", summary="Macro factors (as r2k factors --json).")
    def api_factors(as_of: str | None = AsOfQ) -> Response:
        snap = snap_for("RUT", as_of)
        return api_memo(("factors", snap.day, snap.note), lambda: answer(snap, on(snap, ("macro", snap.day), service.factors)[0]))

    @app.get("/api/cycle", summary="Cycle phase (as r2k cycle --json).")
    def api_cycle(as_of: str | None = AsOfQ) -> Response:
        snap = snap_for("RUT", as_of)
        return api_memo(("cycle", snap.day, snap.note), lambda: answer(snap, on(snap, ("macro", snap.day), service.factors)[1]))

    @app.get("/api/coverage", summary="Stored series as known at as_of (as r2k data status --json, plus days behind).")
    def api_coverage(as_of: str | None = AsOfQ) -> Response:
        snap = snap_for("RUT", as_of)
        return api_memo(("coverage", snap.day, snap.note),
                        lambda: answer(snap, on(snap, ("coverage", snap.day), service.coverage), key="series"))

    # ------------------------------------------------------------------- pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_outlook(symbol: str = SymbolQ, as_of: str | None = AsOfQ) -> HTMLResponse:
        sym = parse_symbol(symbol)
        snap = snap_for(sym, as_of, 400)
        return page_memo(("outlook", sym, snap.day, snap.note), lambda: render("outlook", snap, outlook=to_jsonable(get_outlook(snap)),
                                                                    status=get_scores(snap)["status"]))

    @app.get("/channels", response_class=HTMLResponse, include_in_schema=False)
    def page_channels(symbol: str = SymbolQ, as_of: str | None = AsOfQ, start: str | None = Query(None, max_length=200),
                      end: str | None = Query(None, max_length=200), secondary_start: str | None = Query(None, max_length=200)) -> HTMLResponse:
        sym = parse_symbol(symbol)
        snap = snap_for(sym, as_of, 30)
        args = (parse_date(start, "start"), parse_date(end, "end"), parse_date(secondary_start, "secondary_start"), None)
        return page_memo(("channels", sym, snap.day, args, snap.note), lambda: channels_page(snap, args, start, end, secondary_start))

    def channels_page(snap: Snapshot, args: tuple, start: str | None, end: str | None, secondary_start: str | None) -> HTMLResponse:
        sym, day = snap.symbol, snap.day
        result = on(snap, ("channels", sym, day, args), lambda b: service.channels(b, *args))
        fig = gate.cached(("channel-chart", sym, day, args),
                          lambda s: charts.channel_chart(s.series(sym, as_of=day).dropna(), result))
        return render("channels", snap, result=result, charts=[fig], form={"start": start or "", "end": end or "",
                                                                               "secondary_start": secondary_start or ""})

    @app.get("/analytics", response_class=HTMLResponse, include_in_schema=False)
    def page_analytics(symbol: str = SymbolQ, as_of: str | None = AsOfQ, kind: str = Query("reconstitution", max_length=200)) -> HTMLResponse:
        sym, k = parse_symbol(symbol), parse_choice(kind, EVENT_KINDS, "kind")
        snap = snap_for(sym, as_of, 30)
        day = snap.day
        _, text = on(snap, ("analyze", sym, "GSPC", day), lambda b: service.analyze(b, "GSPC"))
        _, ev_text = on(snap, ("events", k, EVENT_HORIZONS, sym, day), lambda b: service.events(b, k, EVENT_HORIZONS))
        fig = gate.cached(("relative-chart", sym, day), lambda s: charts.relative_chart(
            s.series(sym, as_of=day).dropna(), s.series("GSPC", as_of=day).dropna() if s.has("GSPC") else None, sym, "GSPC"))
        return render("analytics", snap, summary=text, events=ev_text, kind=k, kinds=EVENT_KINDS, charts=[fig])

    @app.get("/forecasts", response_class=HTMLResponse, include_in_schema=False)
    def page_forecasts(symbol: str = SymbolQ, as_of: str | None = AsOfQ) -> HTMLResponse:
        sym = parse_symbol(symbol)
        snap = snap_for(sym, as_of, 30)
        return page_memo(("forecasts", sym, snap.day, snap.note), lambda: forecasts_page(snap))

    def forecasts_page(snap: Snapshot) -> HTMLResponse:
        sym, day = snap.symbol, snap.day
        fc = get_forecast(snap, FAN_HORIZONS + LONG_FAN, page_models)
        try:  # the fan is the published model's (the outlook's ensemble), the distributions the ratings rest on
            out = get_outlook(snap)
        except R2KError:  # too short a history for the outlook: the page models' fan instead
            out = None
        dists = getattr(out, "dists", None)  # OriginDistributions (None: no outlook at this date)
        label = fan_model if dists is None else dists.model.replace("_", " ")

        def fan(s: Any) -> dict[str, Any]:
            past = s.series(sym, as_of=day).dropna().iloc[-60:]
            if dists is not None:
                bands = dists.price_bands((0.05, 0.25, 0.5, 0.75, 0.95), FAN_HORIZONS[-1]).iloc[1:]
                origin, last = dists.origin, dists.last_close
            else:
                bands = fc.price_quantiles(fan_model).loc[list(FAN_HORIZONS)]
                bands.index = [f.target for f in fc.forecasts if f.model == fan_model and f.horizon in FAN_HORIZONS]
                origin, last = fc.origin, fc.last_close
            after = service.closes_between(s, sym, origin.date(), bands.index[-1].date())
            return charts.fan_chart(past, origin, last, bands, label, after if len(after) > 1 else None)

        fig = gate.cached(("fan", sym, day), fan)
        rows = [{"model": f.model, "horizon": f.horizon, "target": f.target, "mean": f.dist.mean, "p_up": f.dist.p_up,
                 "level10": fc.last_close * math.exp(f.dist.quantile(0.10)), "level50": fc.last_close * math.exp(f.dist.quantile(0.50)),
                 "level90": fc.last_close * math.exp(f.dist.quantile(0.90))}
                for f in fc.forecasts if f.horizon in SHOWN_HORIZONS]
        return render("forecasts", snap, fc=to_jsonable(fc.to_dict()), rows=to_jsonable(rows), charts=[fig], fan_model=label,
                      fan_points=dists is not None,
                      realised=len(fig["data"]) > 6)

    @app.get("/scores", response_class=HTMLResponse, include_in_schema=False)
    def page_scores(symbol: str = SymbolQ, as_of: str | None = AsOfQ) -> HTMLResponse:
        sym = parse_symbol(symbol)
        snap = snap_for(sym, as_of)
        sc = get_scores(snap)
        records = [r for r in (sc["status"]["live"], sc["status"]["walk_forward"]) if r]
        return render("scores", snap, scores=sc, status=sc["status"], records=records, charts=[charts.skill_chart(records)])

    @app.get("/macro", response_class=HTMLResponse, include_in_schema=False)
    def page_macro(as_of: str | None = AsOfQ) -> HTMLResponse:
        snap = snap_for("RUT", as_of)
        f, c = on(snap, ("macro", snap.day), service.factors)
        return render("macro", snap, factors=f, cycle=c, charts=[])

    @app.get("/coverage", response_class=HTMLResponse, include_in_schema=False)
    def page_coverage(as_of: str | None = AsOfQ) -> HTMLResponse:
        snap = snap_for("RUT", as_of)
        return render("coverage", snap, series=on(snap, ("coverage", snap.day), service.coverage), charts=[])

    # ------------------------------------------------------------------ static
    @app.get("/static/plotly.min.js", include_in_schema=False)
    def static_plotly() -> FileResponse:
        return FileResponse(plotly_js(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str) -> FileResponse:
        files = {p.name: p for p in STATIC.iterdir() if p.is_file()}
        if name not in files:  # a fixed set of names: nothing from the request becomes a path
            raise BadRequest(f"no static file {name[:40]!r}", status=404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(files[name], media_type=kind, headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """The OpenAPI description as a page (Swagger UI would load its scripts from a CDN; this works offline)."""
        spec = app.openapi()
        ops = [{"path": path, "summary": op.get("summary", ""), "params": op.get("parameters", [])}
               for path, item in spec["paths"].items() for op in item.values()]
        html = env.get_template("docs.html.j2").render(pages=PAGES, page="", ops=ops, version=__version__)
        return HTMLResponse(html)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    return app
