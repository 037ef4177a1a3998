"""What views depend on: the app's state, who is asking, and the CSRF check."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi import Depends, Request

from trackrecord.errors import AuthenticationRequired, PermissionDenied, Problem, TrackrecordError
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.accounts import (
    end_session,
    hash_secret,
    session_user,
    start_session,
    token_user,
    touch_token,
)
from trackrecord.web.accounts import Account
from trackrecord.web.middleware import API_PREFIX, UNSAFE
from trackrecord.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_MAX_AGE,
    Limiter,
    Rate,
    RateLimiter,
    RedisRateLimiter,
    Sessions,
    redis_client,
)

# The sign-in rates come from the settings (login_rate, login_address_rate), see make_limiters.
DEFAULT_RATES = {
    "submit": "30/60",
    "signup": "10/600",
}


class InvalidForm(TrackrecordError):
    status = 422
    code = "invalid_request"


TOKEN_TTL = 2.0  # seconds a verified token is trusted without reading the database again


class TokenCache:
    """Bearer tokens verified in the last TOKEN_TTL seconds (by sha256), with their owner.

    Reading the token on every request costs as much as a small page (docs/benchmarks.md).
    A revocation or role change made through this process clears the cache at once; one
    made through another process (several workers) takes effect here within TOKEN_TTL.
    A token's expiry is still checked on every request.
    """

    def __init__(self, ttl: float = TOKEN_TTL, size: int = 4096) -> None:
        self.ttl, self.size = ttl, size
        self.clock = time.monotonic
        self._entries: dict[str, tuple[float, Account, datetime | None]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, now: datetime) -> Account | None:
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or self.clock() - entry[0] > self.ttl:
            return None
        expires = entry[2]
        return entry[1] if expires is None or now < expires else None

    def put(self, key: str, account: Account, expires: datetime | None) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # cheap and rare: a full cache is rebuilt in TTL
            self._entries[key] = (self.clock(), account, expires)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass
class WebState:
    """Everything the views share, built once by create_app."""

    settings: Settings
    service: Service
    sessions: Sessions
    templates: Any
    limiters: dict[str, Limiter] = field(default_factory=dict)
    tokens: TokenCache = field(default_factory=TokenCache)

    def limit(self, what: str, key: str) -> None:
        self.limiters[what].hit(key)


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _local_account(state: WebState) -> Account:
    return Account(state.service.local_user_id(), "local", "You", "admin")


def _token_account(state: WebState, token: str) -> Account | None:
    """A bearer token's owner. The lookup is a read; the token's last use is written in a
    write transaction of its own, only when due (a read transaction that writes fails at
    once on SQLite when another writer got there first: "database is locked")."""
    now = state.service.now()
    key = hash_secret(token)
    cached = state.tokens.get(key, now)
    if cached is not None:
        return cached
    with state.service.reading() as s:
        found = token_user(s, token, now=now)
        account = Account.of(found[0]) if found is not None else None
    if found is not None and found[1]:
        with state.service.session(write_lock=True) as s:
            touch_token(s, token, now=now)
    if found is not None and account is not None:
        state.tokens.put(key, account, found[2])
    return account


def current_account(request: Request) -> Account | None:
    """Who is asking: the local user (personal mode), a bearer token's owner, or the
    session's user. A bearer token that is unknown, revoked or expired is refused (401)."""
    if hasattr(request.state, "account"):
        return request.state.account  # type: ignore[no-any-return]
    state = web(request)
    found: Account | None
    if not state.settings.hosted:
        found = _local_account(state)
    elif (token := _bearer(request)) is not None:
        found = _token_account(state, token)
        if found is None:
            raise AuthenticationRequired("the API token is not valid: unknown, revoked or expired")
    elif request.url.path.startswith(API_PREFIX):
        found = None  # the API authenticates with tokens only (no cookies, so no CSRF)
    else:
        found = _session_account(state, request.state.session)
    request.state.account = found
    return found


def _session_account(state: WebState, session: dict[str, Any]) -> Account | None:
    """The user of a signed-in session, read from the database on every request: a session
    ended in any server process (logout, password change, user disabled) is refused here."""
    uid, sid = session.get("uid"), session.get("sid")
    if not isinstance(uid, int) or not isinstance(sid, str):
        return None
    with state.service.reading() as s:
        user = session_user(s, sid, now=state.service.now())
        return Account.of(user) if user is not None and user.id == uid else None


# The require_* checks do no I/O: as coroutines they skip a thread-pool hop per request.
async def require_account(account: Account | None = Depends(current_account)) -> Account:
    if account is None:
        raise AuthenticationRequired("please sign in first")
    return account


async def require_host(account: Account = Depends(require_account)) -> Account:
    if not account.can_host:
        raise PermissionDenied("only hosts and admins can do this")
    return account


async def require_admin(account: Account = Depends(require_account)) -> Account:
    if account.role != "admin":
        raise PermissionDenied("only admins can do this")
    return account


async def csrf_protect(request: Request) -> None:
    """Every unsafe request to a page route must carry the session's CSRF token (a hidden
    form field or the X-CSRF-Token header)."""
    if request.method not in UNSAFE:
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            value = (await request.form()).get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
    if not web(request).sessions.csrf_ok(request.state.session, token):
        raise PermissionDenied(
            "the form's security token is missing or out of date; reload the page and try again"
        )


def make_limiters(
    rates: dict[str, str] | None,
    redis_url: str | None = None,
    namespace: str = "",
    *,
    settings: Settings,
) -> dict[str, Limiter]:
    """One limiter per action: in memory (this process only), or in Redis at `redis_url`
    (shared by every process using the same Redis and `namespace`). The sign-in rates come
    from `settings`: "login" counts per (address, username), "login_address" per address,
    so a wrong password from many addresses never locks a user out, and one address cannot
    try many users. `rates` overrides any of them."""
    configured = {"login": settings.login_rate, "login_address": settings.login_address_rate}
    merged = {**DEFAULT_RATES, **configured, **(rates or {})}
    what = {
        "login": "sign-in attempts",
        "login_address": "sign-in attempts from this address",
        "submit": "submissions",
        "signup": "sign-ups",
    }
    if redis_url is None:
        return {k: RateLimiter(Rate.parse(v), what.get(k, k)) for k, v in merged.items()}
    client = redis_client(redis_url)
    return {
        k: RedisRateLimiter(Rate.parse(v), what.get(k, k), client, f"{namespace}:{k}")
        for k, v in merged.items()
    }


def limit_login(request: Request, username: str) -> None:
    """Count a sign-in attempt per address and per (address, username); raises RateLimited.
    The address is the peer's, or the client's as a trusted proxy reports it."""
    state, ip = web(request), client_ip(request)
    state.limit("login_address", f"ip:{ip}")
    state.limit("login", f"ip-user:{ip}:{username.strip().lower()[:64]}")


def login_session(request: Request, user_id: int | None) -> None:
    """Start a new session (a new id, so a new CSRF token) for this user, or none. A signed-in
    session is recorded in the database, where it can be ended from any process."""
    state = web(request)
    session = state.sessions.new(user_id)
    if user_id is not None:
        expires = state.service.now() + timedelta(seconds=SESSION_MAX_AGE)
        with state.service.session(write_lock=True) as s:
            start_session(s, user_id, session["sid"], expires_at=expires)
    request.state.session = session
    request.scope["state"]["session"] = session
    request.state.account = None if user_id is None else _session_account(state, session)


def logout_session(request: Request) -> None:
    """End this browser's session in the database, then start an anonymous one."""
    sid = request.state.session.get("sid")
    if isinstance(sid, str) and request.state.session.get("uid") is not None:
        with web(request).service.session(write_lock=True) as s:
            end_session(s, sid)
    login_session(request, None)


async def form_limits(request: Request) -> None:
    """Every text field of a page's form is at most `max_field_chars` long (files aside):
    a 5 MB title is refused with 422 before any view reads it."""
    if request.method not in UNSAFE:
        return
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return
    limit = web(request).settings.max_field_chars
    form = await request.form()
    too_long = sorted({k for k, v in form.multi_items() if isinstance(v, str) and len(v) > limit})
    if too_long:
        raise InvalidForm(
            "some fields are too long",
            problems=[Problem(f"at most {limit} characters", column=k[:64]) for k in too_long],
        )
