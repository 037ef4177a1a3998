"""The one exception mapping of the web face.

Under /api/v1 every error, ours or the framework's (404, 405, 422), is the JSON shape
`{"error": {"code", "message", "problems"}}`. Pages get an HTML error page, and a page that
needs a signed-in user redirects to the sign-in form. Unexpected exceptions say nothing
about their cause (it could carry data that must not leave the server).
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from trackrecord.errors import AuthenticationRequired, Problem, TrackrecordError
from trackrecord.web.middleware import API_PREFIX
from trackrecord.web.render import JSON, page

log = logging.getLogger("trackrecord.web")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


class HTTPError(TrackrecordError):
    """A framework-level error (routing, validation) in our shape."""

    def __init__(self, status: int, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message, problems=problems or [])
        self.status = status
        self.code = HTTP_CODES.get(status, "error")


def render_error(
    request: Request, exc: TrackrecordError, headers: dict[str, str] | None = None
) -> Response:
    if request.url.path.startswith(API_PREFIX):
        headers = {
            **(headers or {}),
            **({"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}),
        }
        return JSON(exc.to_dict(), status_code=exc.status, headers=headers)
    if isinstance(exc, AuthenticationRequired) and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    data = {
        "status": exc.status,
        "code": exc.code,
        "message": exc.message,
        "problems": [str(p) for p in exc.problems],
        "title": "Something went wrong",
    }
    return page(request, "error.html", data, status=exc.status)


async def on_trackrecord_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TrackrecordError)
    return render_error(request, exc)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {
        404: f"nothing at {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path}",
    }
    message = messages.get(exc.status_code) or str(exc.detail)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # every method some route takes here, not the first route's
        headers["Allow"] = _allowed(request)
    return render_error(request, HTTPError(exc.status_code, message), headers=headers)


def _allowed(request: Request) -> str:
    def takes(method: str) -> bool:
        scope = {**request.scope, "method": method}
        return any(r.matches(scope)[0] == Match.FULL for r in request.app.routes)

    return ", ".join(m for m in METHODS if takes(m))


def _problem(error: dict[str, object]) -> Problem:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]  # type: ignore[attr-defined]
    return Problem(str(error.get("msg", "invalid")), column=".".join(loc) or None)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [_problem(e) for e in exc.errors()]
    return render_error(request, HTTPError(422, "the request is not valid", problems))


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    error = HTTPError(500, "internal error: the server could not handle this request")
    error.code = "internal_error"
    return render_error(request, error)


def install(app: FastAPI) -> None:
    app.add_exception_handler(TrackrecordError, on_trackrecord_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
