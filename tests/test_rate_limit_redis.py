"""Rate limits kept in Redis, shared by every process of one server.

Runs against the Redis at TRACKRECORD_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0); skips
with a reason when it is unset, and fails instead when TRACKRECORD_REQUIRE_SERVICES=1.
Every test uses a namespace of its own, deleted afterwards, so xdist workers never collide.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from trackrecord.errors import RateLimited
from trackrecord.settings import Settings, load_settings
from trackrecord.web.security import Rate, RedisRateLimiter, rate_namespace, redis_client

from .conftest import REQUIRE_ENV, FakeCatalog
from .test_web_support import PASSWORD, client_for, hosted, signup

pytestmark = pytest.mark.redis
REDIS_ENV = "TRACKRECORD_TEST_REDIS_URL"


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if url:
        return url
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {REDIS_ENV} is not set: Redis is required")
    pytest.skip(f"Redis tests need {REDIS_ENV} (e.g. redis://127.0.0.1:6379/0)")


@pytest.fixture
def client(redis_url: str) -> Iterator[Any]:
    redis = redis_client(redis_url)
    try:
        redis.ping()
    except Exception as exc:  # the server is down or refuses us
        if os.environ.get(REQUIRE_ENV) == "1":
            raise
        pytest.skip(f"Redis at {REDIS_ENV} is not reachable: {exc}")
    yield redis
    redis.close()


@pytest.fixture
def namespace(client: Any) -> Iterator[str]:
    name = f"trackrecord-test:{uuid.uuid4().hex}"
    yield name
    keys = list(client.scan_iter(f"{name}:*"))
    if keys:
        client.delete(*keys)


def limiter(client: Any, namespace: str, rate: str = "3/60") -> RedisRateLimiter:
    return RedisRateLimiter(Rate.parse(rate), "sign-in attempts", client, namespace)


def test_it_allows_the_rate_then_refuses_with_a_wait(client: Any, namespace: str) -> None:
    limit = limiter(client, namespace)
    for _ in range(3):
        limit.hit("ip:1.2.3.4")
    with pytest.raises(RateLimited, match=r"too many sign-in attempts; try again in \d+ s"):
        limit.hit("ip:1.2.3.4")
    limit.hit("ip:5.6.7.8")  # another key has its own count


def test_the_window_slides(client: Any, namespace: str) -> None:
    limit = limiter(client, namespace, "2/0.5")
    limit.hit("k")
    limit.hit("k")
    with pytest.raises(RateLimited):
        limit.hit("k")
    time.sleep(0.6)  # the window itself is what is tested: time has to pass
    limit.hit("k")


def test_processes_share_one_exact_count_under_concurrency(
    client: Any, redis_url: str, namespace: str
) -> None:
    """Four limiters with a connection each (as four server processes would hold them) and
    40 concurrent hits on one key: exactly the rate gets through."""
    limiters = [limiter(redis_client(redis_url), namespace, "10/60") for _ in range(4)]
    start = threading.Barrier(40, timeout=30)

    def hit(i: int) -> bool:
        start.wait()
        try:
            limiters[i % 4].hit("user:ada")
        except RateLimited:
            return False
        return True

    with ThreadPoolExecutor(max_workers=40) as pool:
        allowed = list(pool.map(hit, range(40)))
    assert sum(allowed) == 10


def test_two_app_processes_share_the_sign_in_limit(
    home: Path, tmp_path: Path, catalog: FakeCatalog, client: Any, redis_url: str
) -> None:
    """Two apps with the same secret key (two workers of one server) and Redis count
    sign-in attempts together; the in-memory default would allow 3 on each."""
    settings = Settings(home=home, database_url=f"sqlite:///{tmp_path / 'shared.db'}")
    secret = f"test-secret-{uuid.uuid4().hex}"
    shared = dataclasses.replace(hosted(settings), rate_limit_url=redis_url, secret_key=secret)
    rates = {"login": "3/60"}
    try:
        with (
            client_for(shared, catalog, base_url="http://tr.example", rates=rates) as a,
            client_for(shared, catalog, base_url="http://tr.example", rates=rates) as b,
        ):
            signup(a, "ada")
            body = {"username": "ada", "password": PASSWORD + "x"}
            codes = [(a, b)[i % 2].post("/api/v1/tokens", json=body).status_code for i in range(5)]
    finally:
        keys = list(client.scan_iter(f"{rate_namespace(secret)}:*"))
        if keys:
            client.delete(*keys)
    assert codes == [401, 401, 401, 429, 429]


def test_the_setting_comes_from_the_environment(tmp_path: Path) -> None:
    env = {"TRACKRECORD_HOME": str(tmp_path), "TRACKRECORD_RATE_LIMIT_URL": "redis://h:6379/2"}
    assert load_settings(environ=env).rate_limit_url == "redis://h:6379/2"
    assert load_settings(environ={"TRACKRECORD_HOME": str(tmp_path)}).rate_limit_url is None
    assert rate_namespace("a") != rate_namespace("b")
