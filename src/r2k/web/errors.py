"""The dashboard's errors and how they are answered: JSON ``{"error": "one line"}`` under /api/ (and /static/),
a styled page everywhere else; never a traceback."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from r2k.errors import R2KError
from r2k.web.gate import Gone, Overloaded, StoreBusy


class BadRequest(R2KError):
    """A request is outside the data (status 400 or 404); malformed values are :class:`r2k.errors.InputError` (400)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


CLIENT_GONE = 499  # nginx's code for a client that closed the connection: nobody reads the answer


def answer_error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    message = message.splitlines()[0] if message else "error"
    if request.url.path.startswith(("/api/", "/static/")) or request.url.path in ("/api", "/openapi.json"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    from r2k.web.render import error_page

    return error_page(request, status, message, headers)


def install(app: FastAPI) -> None:
    """Map every error to one line (JSON under /api/, a styled page elsewhere)."""

    @app.exception_handler(BadRequest)
    async def _bad(request: Request, exc: BadRequest) -> Response:
        return answer_error(request, exc.status, str(exc))

    @app.exception_handler(Overloaded)
    async def _full(request: Request, exc: Overloaded) -> Response:
        return answer_error(request, 503, str(exc), {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(StoreBusy)
    async def _busy(request: Request, exc: StoreBusy) -> Response:
        return answer_error(request, 503, str(exc), {"Retry-After": "5"})

    @app.exception_handler(Gone)
    async def _gone(request: Request, exc: Gone) -> Response:
        return Response(status_code=CLIENT_GONE)

    @app.exception_handler(R2KError)
    async def _r2k(request: Request, exc: R2KError) -> Response:  # InputError and the library's named errors
        return answer_error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return answer_error(request, 400, f"{where}: {first.get('msg', 'invalid value')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:  # unknown paths, wrong methods
        words = {404: f"there is no page at {request.url.path[:80]}", 405: "this address only answers GET"}
        return answer_error(request, exc.status_code, words.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:  # never a traceback to the client
        return answer_error(request, 500, "internal error while answering this request (the server log has the details)")
