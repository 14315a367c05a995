"""Static files (the app's CSS and JS, Plotly's bundle, the report's stylesheet) and the offline API docs page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from r2k import __version__
from r2k.web.errors import BadRequest
from r2k.web.render import PAGES, environment, report_css

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@router.get("/static/plotly.min.js")
def plotly_bundle() -> FileResponse:
    return FileResponse(plotly_js(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/static/report.css")
def report_stylesheet() -> Response:
    """The report's own stylesheet, scoped to the report sections a page shows (one definition for both)."""
    return Response(report_css(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    files = {p.name: p for p in STATIC.iterdir() if p.is_file()}
    if name not in files:  # a fixed set of names: nothing from the request becomes a path
        raise BadRequest(f"no static file {name[:40]!r}", status=404)
    kind = "text/javascript" if name.endswith(".js") else "text/css"
    return FileResponse(files[name], media_type=kind, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI description as a page (Swagger UI would load its scripts from a CDN; this works offline)."""
    spec = request.app.openapi()
    ops = [{"path": path, "summary": op.get("summary", ""), "params": op.get("parameters", [])}
           for path, item in spec["paths"].items() for op in item.values()]
    return HTMLResponse(environment().get_template("docs.html.j2").render(pages=PAGES, page="", ops=ops, version=__version__,
                                                                          report=None))


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)
