"""Issue 11, finding 9 (the web's share), performed: a user locked out by wrong passwords
from spoofed addresses, ids past 64 bits, invites for 0 or -5 uses, responses without
anti-framing and anti-sniffing headers, and a 5 MB form field."""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from trackrecord.settings import Settings
from trackrecord.store.models import Invite

from .conftest import FakeCatalog
from .test_web_support import (
    PASSWORD,
    api_token,
    bearer,
    client_for,
    csrf,
    hosted,
    personal,  # noqa: F401
    server,  # noqa: F401
    signup,
    signup_admin,
)

BASE = "http://tr.example"
HEADERS = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _login(client: TestClient, password: str, **headers: str) -> int:
    token = csrf(client, "/login")
    data = {"username": "ada", "password": password, "csrf_token": token}
    return client.post("/login", data=data, headers=headers, follow_redirects=False).status_code


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return hosted(settings)


def _peer(app: object, address: str) -> TestClient:
    return TestClient(app, base_url=BASE, client=(address, 40000), raise_server_exceptions=False)  # type: ignore[arg-type]


@pytest.fixture
def direct(app_settings: Settings, catalog: FakeCatalog) -> Iterator[TestClient]:
    """A server with no proxy configured, reached from 127.0.0.1 (where uvicorn used to
    believe any X-Forwarded-For)."""
    with client_for(app_settings, catalog, base_url=BASE) as c:
        signup(c, "ada")
        c.cookies.clear()
        yield c


def test_wrong_passwords_from_ten_spoofed_addresses_do_not_lock_a_user_out(
    direct: TestClient,
) -> None:
    attacker = _peer(direct.app, "127.0.0.1")
    codes = [
        _login(attacker, "wrong-password", **{"x-forwarded-for": f"10.0.0.{i}"}) for i in range(10)
    ]
    assert codes == [401] * 10
    # X-Forwarded-For from an unconfigured peer is ignored: one address, now throttled...
    assert _login(attacker, "wrong-password", **{"x-forwarded-for": "10.9.9.9"}) == 429
    # ...while ada, from her own address, signs in.
    assert _login(_peer(direct.app, "203.0.113.5"), PASSWORD) == 303


def test_behind_a_configured_proxy_each_client_address_counts_alone(
    app_settings: Settings, catalog: FakeCatalog
) -> None:
    config = dataclasses.replace(app_settings, trusted_proxies="127.0.0.1")
    with client_for(config, catalog, base_url=BASE) as c:
        signup(c, "ada")
        proxy = _peer(c.app, "127.0.0.1")
        for i in range(10):  # ten addresses, one wrong password each
            assert _login(proxy, "wrong-password", **{"x-forwarded-for": f"10.0.0.{i}"}) == 401
        assert _login(proxy, PASSWORD, **{"x-forwarded-for": "198.51.100.7"}) == 303
        proxy.cookies.clear()
        for _ in range(9):  # one address: 10 tries per minute for one username
            _login(proxy, "wrong-password", **{"x-forwarded-for": "10.0.0.1"})
        assert _login(proxy, "wrong-password", **{"x-forwarded-for": "10.0.0.1"}) == 429
        # A peer that is not the proxy cannot pose as a client.
        outsider = _peer(c.app, "192.0.2.1")
        for _ in range(10):
            _login(outsider, "wrong-password", **{"x-forwarded-for": "198.51.100.7"})
        assert _login(proxy, PASSWORD, **{"x-forwarded-for": "198.51.100.7"}) == 303


def test_one_address_cannot_try_many_usernames(
    app_settings: Settings, catalog: FakeCatalog
) -> None:
    config = dataclasses.replace(app_settings, login_address_rate="5/60")
    with client_for(config, catalog, base_url=BASE) as c:
        codes = []
        for i in range(6):
            token = csrf(c, "/login")
            data = {"username": f"user{i}", "password": "wrong-password", "csrf_token": token}
            codes.append(c.post("/login", data=data).status_code)
        assert codes == [401] * 5 + [429]
        api = c.post("/api/v1/tokens", json={"username": "user9", "password": "wrong-password"})
        assert api.status_code == 429  # the API's sign-in counts the same


def test_ids_past_64_bits_are_not_found(server: TestClient) -> None:
    signup(server, "ada")
    token = api_token(server, "ada")
    # 2**31: past PostgreSQL's INTEGER (a 500 there before), then past 64 bits
    for big in (2**31, 2**63, 2**64 + 5, 10**30):
        response = server.delete(f"/api/v1/tokens/{big}", headers=bearer(token))
        assert response.status_code in (404, 422), big  # no such row, or out of range
        assert response.json()["error"]["code"] in ("not_found", "invalid_request")
        page = server.post(
            f"/account/tokens/{big}/revoke", data={"csrf_token": csrf(server, "/account")}
        )
        assert page.status_code == 404, big
    assert server.delete("/api/v1/tokens/-1", headers=bearer(token)).status_code in (404, 422)


def test_invites_for_no_or_negative_or_huge_uses_are_refused(server: TestClient) -> None:
    signup_admin(server, "ada")
    for uses in ("0", "-5", str(2**64), "10001", "many"):
        response = server.post(
            "/host/invites", data={"max_uses": uses, "csrf_token": csrf(server, "/host")}
        )
        assert response.status_code == 422, uses
        assert '<code class="secret">' not in response.text, uses  # no code was shown
    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        assert s.scalar(select(func.count(Invite.id))) == 0
    ok = server.post("/host/invites", data={"max_uses": "3", "csrf_token": csrf(server, "/host")})
    assert ok.status_code == 200
    unlimited = server.post("/host/invites", data={"csrf_token": csrf(server, "/host")})
    assert unlimited.status_code == 200
    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        assert sorted(s.scalars(select(Invite.max_uses))) == [3, 1000]  # max_invite_uses


def test_every_response_carries_the_security_headers(
    server: TestClient, personal: TestClient
) -> None:
    signup(server, "ada")
    token = api_token(server, "ada")
    responses = [
        server.get("/"),
        server.get("/login"),
        server.get("/api/v1/health"),
        server.get("/api/v1/me", headers=bearer(token)),
        server.get("/api/v1/me"),  # 401
        server.get("/no/such/page"),  # 404
        server.get("/static/app.css"),
        server.post("/api/v1/tokens", content=b"x" * 10, headers={"content-length": "10" * 9}),
        personal.get("/"),
        personal.get("/", headers={"host": "evil.example"}),  # 403 from the local guard
    ]
    for response in responses:
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (response.url, response.status_code, name)


def test_a_5_mb_form_field_is_refused(server: TestClient) -> None:
    signup_admin(server, "ada")
    huge = "t" * (5 * 1024 * 1024)
    urlencoded = server.post(
        "/host/challenges/from-catalog",
        data={"project_id": "toy-reg", "slug": huge, "csrf_token": csrf(server, "/host")},
    )
    assert urlencoded.status_code in (400, 413, 422)
    multipart = server.post(
        "/host/challenges",
        data={"deadline": huge, "csrf_token": csrf(server, "/host")},
        files={"bundle": ("b.zip", b"PK")},
    )
    assert multipart.status_code in (400, 413, 422)
    long_field = "t" * 1001  # over max_field_chars, far under any framing limit
    refused = server.post(
        "/host/challenges/from-catalog",
        data={"project_id": "toy-reg", "slug": long_field, "csrf_token": csrf(server, "/host")},
    )
    assert refused.status_code == 422 and "at most 1000 characters" in refused.text
    listed = server.get("/api/v1/host/challenges", headers=bearer(api_token(server, "ada")))
    assert listed.json()["challenges"] == []  # nothing was created
    server.cookies.clear()
    name = server.post(
        "/signup",
        data={
            "username": "bob",
            "password": PASSWORD,
            "display_name": "b" * 300,
            "invite": "letmein-2030",
            "csrf_token": csrf(server, "/signup"),
        },
    )
    assert name.status_code == 422 and "at most 64 characters" in name.text
