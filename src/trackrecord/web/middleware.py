"""Pure ASGI middleware: the session cookie, the request-size limit, the personal-mode guard,
the security headers every response carries.

Pure ASGI (not BaseHTTPMiddleware) so uploads stream through untouched.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trackrecord.errors import PayloadTooLarge, PermissionDenied, TrackrecordError
from trackrecord.web.security import SESSION_COOKIE, SESSION_MAX_AGE, Sessions

API_PREFIX = "/api/v1"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


async def send_error(scope: Scope, send: Send, exc: TrackrecordError) -> None:
    """An error response outside the routing layer: the JSON shape under /api/v1, else HTML."""
    if scope.get("path", "").startswith(API_PREFIX):
        body = json.dumps(exc.to_dict()).encode()
        ctype = b"application/json"
    else:
        from html import escape

        body = (
            "<!doctype html><meta charset=utf-8><title>Error</title>"
            f"<h1>{exc.status}</h1><p>{escape(exc.message)}</p><p><a href='/'>Home</a></p>"
        ).encode()
        ctype = b"text/html; charset=utf-8"
    headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": exc.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes with 413, before or while they arrive."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _error(self) -> PayloadTooLarge:
        mib = self.limit / 1024 / 1024
        return PayloadTooLarge(f"the upload is larger than the server's limit of {mib:.0f} MiB")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await send_error(scope, send, self._error())
            return
        state = {"total": 0, "over": False, "replaced": False}

        async def limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["total"] += len(message.get("body", b""))
                if state["total"] > self.limit:
                    state["over"] = True
                    raise self._error()
            return message

        async def guarded(message: Message) -> None:
            if not state["over"]:
                await send(message)
            elif message["type"] == "http.response.start" and not state["replaced"]:
                state["replaced"] = True
                await send_error(scope, send, self._error())

        try:
            await self.app(scope, limited, guarded)
        except Exception:
            if not state["over"]:
                raise
            if not state["replaced"]:
                await send_error(scope, send, self._error())


class LocalOnlyMiddleware:
    """Personal mode listens on 127.0.0.1 with no login: refuse requests that name another
    host (DNS rebinding) and unsafe requests from another origin (cross-site forms)."""

    def __init__(self, app: ASGIApp, allowed_hosts: set[str]) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts} | LOCAL_HOSTS

    def _ok(self, scope: Scope) -> bool:
        headers = Headers(scope=scope)
        host = headers.get("host", "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in self.allowed:
            return False
        origin = headers.get("origin")
        if scope["method"] in UNSAFE and origin not in (None, "null"):
            return origin.split("://", 1)[-1].lower() == host
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._ok(scope):
            await send_error(
                scope,
                send,
                PermissionDenied(
                    "this personal server only answers requests from this computer's browser"
                ),
            )
            return
        await self.app(scope, receive, send)


class SessionMiddleware:
    """Load the signed session cookie into `request.state.session`; write it back when it
    changed (or is new). The cookie is HttpOnly, SameSite=Lax, and Secure over https."""

    def __init__(self, app: ASGIApp, sessions: Sessions) -> None:
        self.app = app
        self.sessions = sessions

    def _read(self, scope: Scope) -> dict[str, Any] | None:
        raw = Headers(scope=scope).get("cookie")
        if not raw:
            return None
        cookie = SimpleCookie()
        try:
            cookie.load(raw)
        except Exception:  # a malformed Cookie header is treated as no cookie
            return None
        morsel = cookie.get(SESSION_COOKIE)
        return self.sessions.loads(morsel.value if morsel else None)

    def _header(self, scope: Scope, session: dict[str, Any]) -> str:
        value = self.sessions.dumps(session)
        parts = [
            f"{SESSION_COOKIE}={value}",
            "Path=/",
            f"Max-Age={SESSION_MAX_AGE}",
            "HttpOnly",
            "SameSite=Lax",
        ]
        if scope.get("scheme") == "https":
            parts.append("Secure")
        return "; ".join(parts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loaded = self._read(scope)
        session = dict(loaded) if loaded else self.sessions.new()
        scope.setdefault("state", {})["session"] = session
        api = scope.get("path", "").startswith(API_PREFIX)

        async def with_cookie(message: Message) -> None:
            current = scope["state"]["session"]
            if message["type"] == "http.response.start" and not api and current != loaded:
                MutableHeaders(scope=message).append("set-cookie", self._header(scope, current))
            await send(message)

        await self.app(scope, receive, with_cookie)


# Every response, pages, API, static files and errors alike: never framed (clickjacking),
# never content-sniffed, and no full URL (an invite link's code) sent to other sites.
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeadersMiddleware:
    """Add SECURITY_HEADERS to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
            await send(message)

        await self.app(scope, receive, with_headers)
