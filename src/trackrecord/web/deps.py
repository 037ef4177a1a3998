"""What views depend on: the app's state, who is asking, and the CSRF check."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import Depends, Request

from trackrecord.errors import AuthenticationRequired, PermissionDenied
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.accounts import hash_secret, token_user, touch_token
from trackrecord.web.accounts import Account
from trackrecord.web.accounts import account as load_account
from trackrecord.web.middleware import API_PREFIX, UNSAFE
from trackrecord.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    Limiter,
    Rate,
    RateLimiter,
    RedisRateLimiter,
    Sessions,
    redis_client,
)

DEFAULT_RATES = {"login": "10/60", "submit": "30/60", "signup": "10/600"}
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
        uid = request.state.session.get("uid")
        found = None
        if isinstance(uid, int):
            with state.service.reading() as s:
                found = load_account(s, uid)
    request.state.account = found
    return found


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
    rates: dict[str, str] | None, redis_url: str | None = None, namespace: str = ""
) -> dict[str, Limiter]:
    """One limiter per action: in memory (this process only), or in Redis at `redis_url`
    (shared by every process using the same Redis and `namespace`)."""
    merged = {**DEFAULT_RATES, **(rates or {})}
    what = {"login": "sign-in attempts", "submit": "submissions", "signup": "sign-ups"}
    if redis_url is None:
        return {k: RateLimiter(Rate.parse(v), what.get(k, k)) for k, v in merged.items()}
    client = redis_client(redis_url)
    return {
        k: RedisRateLimiter(Rate.parse(v), what.get(k, k), client, f"{namespace}:{k}")
        for k, v in merged.items()
    }


def login_session(request: Request, user_id: int | None) -> None:
    """Start a new session (a new id, so a new CSRF token) for this user, or none."""
    request.state.session = web(request).sessions.new(user_id)
    request.scope["state"]["session"] = request.state.session
