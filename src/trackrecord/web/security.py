"""Sessions, CSRF tokens, password hashing and rate limits: the web layer's safety kit.

Sessions are signed cookies (itsdangerous) holding a random session id and the user id;
nothing secret is in them. The CSRF token of a form is an HMAC of the session id, so it
needs no server-side storage and changes when the session does (at login and logout).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from trackrecord.errors import ConfigError, RateLimited
from trackrecord.secret import secret_key as secret_key  # re-exported for the web

SESSION_COOKIE = "trackrecord_session"
SESSION_MAX_AGE = 14 * 24 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash (salt and parameters included)."""
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        # Same cost as a real check, so timing does not tell which usernames exist.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


class Sessions:
    """Sign and read the session cookie; derive CSRF tokens from the session id."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode("utf-8")
        self._serializer = URLSafeTimedSerializer(secret, salt="trackrecord.session")

    def new(self, user_id: int | None = None) -> dict[str, Any]:
        return {"sid": secrets.token_urlsafe(24), "uid": user_id}

    def dumps(self, session: dict[str, Any]) -> str:
        return self._serializer.dumps(session)

    def loads(self, cookie: str | None) -> dict[str, Any] | None:
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("sid"), str):
            return None
        return data

    def csrf_token(self, session: dict[str, Any]) -> str:
        sid = str(session.get("sid", ""))
        return hmac.new(self._secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: dict[str, Any] | None, token: str | None) -> bool:
        if not session or not token:
            return False
        return hmac.compare_digest(self.csrf_token(session), token)


@dataclass(frozen=True)
class Rate:
    """At most `count` events per `seconds` for one key."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, seconds = text.partition("/")
        return cls(int(count), float(seconds or 60))


class RateLimiter:
    """A sliding-window limiter in memory (one process; enough for one server)."""

    def __init__(self, rate: Rate, what: str) -> None:
        self.rate = rate
        self.what = what
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Record one event for `key`; raises RateLimited when over the rate."""
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.rate.seconds:
                events.popleft()
            if len(events) >= self.rate.count:
                wait = int(events[0] + self.rate.seconds - now) + 1
                raise RateLimited(f"too many {self.what}; try again in {wait} s")
            events.append(now)
            if len(self._events) > 100_000:  # keep memory bounded under abuse
                self._events = {k: v for k, v in self._events.items() if v}


class Limiter(Protocol):
    rate: Rate
    what: str

    def hit(self, key: str) -> None: ...


# One atomic step of a sliding window kept in a sorted set (score = time in microseconds,
# read from the Redis server's clock so every process agrees on it): drop events older than
# the window, refuse when `count` remain (returning the microseconds until the oldest one
# leaves), else record this event. Returns -1 when the event is allowed.
SLIDING_WINDOW_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.floor(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return -1
"""


class RedisRateLimiter:
    """The same sliding window as RateLimiter, kept in Redis: every server process that
    uses the same Redis and `namespace` shares one count per key. Each hit is one atomic
    Lua script. When Redis cannot be reached the request fails (500); it does not go
    unlimited."""

    def __init__(self, rate: Rate, what: str, client: Any, namespace: str) -> None:
        self.rate = rate
        self.what = what
        self._client = client
        self._prefix = f"{namespace}:"
        self._script = client.register_script(SLIDING_WINDOW_LUA)

    def hit(self, key: str) -> None:
        """Record one event for `key`; raises RateLimited when over the rate."""
        window_us = int(self.rate.seconds * 1_000_000)
        member = f"{time.time_ns()}-{secrets.token_hex(6)}"
        wait_us = int(
            self._script(keys=[self._prefix + key], args=[self.rate.count, window_us, member])
        )
        if wait_us >= 0:
            wait = wait_us // 1_000_000 + 1
            raise RateLimited(f"too many {self.what}; try again in {wait} s")


def redis_client(url: str) -> Any:
    """A Redis client for `url` (the `redis` package is imported only when one is used)."""
    try:
        import redis
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "TRACKRECORD_RATE_LIMIT_URL is set but the redis package is not installed "
            "(pip install 'trackrecord[redis]')"
        ) from exc
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def rate_namespace(secret: str) -> str:
    """Redis key prefix: processes with the same secret key are one server and share counts;
    another server on the same Redis keeps its own."""
    return "trackrecord:rate:" + hashlib.sha256(b"rate:" + secret.encode()).hexdigest()[:16]
