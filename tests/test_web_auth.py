"""Accounts, sessions, CSRF, tokens, roles and rate limits in hosted mode; the personal
mode's local-only guard."""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from trackrecord.settings import Settings
from trackrecord.store.models import ApiToken, User, utcnow
from trackrecord.web.security import SESSION_COOKIE

from .conftest import FakeCatalog
from .test_web_support import (
    INVITE,
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


def _service(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.web.service  # type: ignore[attr-defined]


def test_signup_needs_the_invite_code(server: TestClient) -> None:
    for invite in (None, "wrong"):
        data = {"username": "eve", "password": PASSWORD, "csrf_token": csrf(server, "/signup")}
        if invite:
            data["invite"] = invite
        response = server.post("/signup", data=data)
        assert response.status_code == 403
        assert "invite code" in response.text
    signup(server, "ada", invite=INVITE)
    assert server.get("/").status_code == 200


def test_passwords_are_argon2_hashes_and_no_sign_up_makes_an_admin(server: TestClient) -> None:
    signup(server, "ada")  # the first account on the server
    server.cookies.clear()
    signup(server, "bob")
    with _service(server).session() as s:
        users = {u.username: u for u in s.scalars(select(User))}
    assert users["ada"].role == "learner" and users["bob"].role == "learner"
    assert users["bob"].password_hash.startswith("$argon2id$")
    assert PASSWORD not in users["bob"].password_hash


def test_session_cookie_flags(settings: Settings, catalog: FakeCatalog) -> None:
    plain = client_for(hosted(settings), catalog, base_url="http://tr.example")
    cookie = plain.get("/login").headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    secure = client_for(hosted(settings), catalog, base_url="https://tr.example")
    assert "Secure" in secure.get("/login").headers["set-cookie"]


def test_login_logout_and_a_new_session_id(server: TestClient) -> None:
    signup(server, "ada")
    before = csrf(server, "/account")
    server.post("/logout", data={"csrf_token": before})
    assert server.get("/", follow_redirects=False).status_code == 303
    token = csrf(server, "/login")
    wrong = server.post(
        "/login", data={"username": "ada", "password": "nope-nope", "csrf_token": token}
    )
    assert wrong.status_code == 401 and "wrong username or password" in wrong.text
    ok = server.post(
        "/login",
        data={
            "username": "ada",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert csrf(server, "/account") != before


def test_every_form_post_needs_the_csrf_token(server: TestClient) -> None:
    signup(server, "ada")
    posts = [
        "/logout",
        "/account/tokens",
        "/projects/toy-reg/submit",
        "/projects/toy-reg/finalize",
        "/host/challenges/from-catalog",
        "/host/invites",
        "/login",
        "/signup",
    ]
    for path in posts:
        response = server.post(path, data={"username": "ada", "password": PASSWORD})
        assert response.status_code == 403, path
        assert "security token" in response.text, path
        bad = server.post(path, data={"csrf_token": "forged"})
        assert bad.status_code == 403, path
    assert server.get("/account").status_code == 200  # still signed in


def test_personal_mode_forms_need_csrf_too(personal: TestClient) -> None:
    response = personal.post("/projects/toy-reg/finalize")
    assert response.status_code == 403


def test_bearer_tokens_revoked_and_expired_are_refused(server: TestClient) -> None:
    signup(server, "ada")
    token = api_token(server, "ada")
    me = server.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200 and me.json()["user"]["username"] == "ada"
    with _service(server).session() as s:
        row = s.scalars(select(ApiToken)).one()
        assert row.token_hash != token and token not in row.token_hash
    tokens = server.get("/api/v1/tokens", headers=bearer(token)).json()["tokens"]
    assert (
        server.delete(f"/api/v1/tokens/{tokens[0]['id']}", headers=bearer(token)).status_code == 200
    )
    refused = server.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthenticated"
    second = api_token(server, "ada")
    with _service(server).session() as s:
        for row in s.scalars(select(ApiToken)):
            row.expires_at = utcnow() - timedelta(seconds=1)
    assert server.get("/api/v1/me", headers=bearer(second)).status_code == 401


def test_api_ignores_session_cookies(server: TestClient) -> None:
    signup(server, "ada")  # signed in with a cookie
    assert server.get("/api/v1/me").status_code == 401


def test_roles(server: TestClient) -> None:
    signup_admin(server, "ada")
    server.cookies.clear()
    signup(server, "bob")  # learner
    assert server.get("/host").status_code == 403
    assert server.post("/host/invites", data={"csrf_token": csrf(server, "/")}).status_code == 403
    server.cookies.clear()
    token = csrf(server, "/login")
    server.post("/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token})
    assert server.get("/host").status_code == 200
    made = server.post(
        "/host/users/bob/role",
        data={"role": "host", "csrf_token": csrf(server, "/host")},
        follow_redirects=False,
    )
    assert made.status_code == 303
    bob = api_token(server, "bob")
    assert server.get("/api/v1/host/challenges", headers=bearer(bob)).status_code == 200


def test_host_invite_codes_grant_their_role(server: TestClient) -> None:
    import re

    signup_admin(server, "ada")
    page = server.post(
        "/host/invites", data={"role": "host", "max_uses": "1", "csrf_token": csrf(server, "/host")}
    )
    code = re.search(r'<code class="secret">([^<]+)</code>', page.text).group(1)  # type: ignore[union-attr]
    server.cookies.clear()
    signup(server, "hal", invite=code)
    assert server.get("/host").status_code == 200
    server.cookies.clear()
    token = csrf(server, "/signup")
    again = server.post(
        "/signup",
        data={"username": "ian", "password": PASSWORD, "invite": code, "csrf_token": token},
    )
    assert again.status_code == 403  # used up


def test_login_is_rate_limited(settings: Settings, catalog: FakeCatalog) -> None:
    c = client_for(hosted(settings), catalog, base_url="http://tr.example", rates={"login": "3/60"})
    codes = []
    for _ in range(4):
        token = csrf(c, "/login")
        codes.append(
            c.post(
                "/login", data={"username": "ada", "password": "wrong-pass", "csrf_token": token}
            ).status_code
        )
    assert codes == [401, 401, 401, 429]


def test_submissions_are_rate_limited(settings: Settings, catalog: FakeCatalog) -> None:
    c = client_for(settings, catalog, rates={"submit": "2/60"})
    codes = [
        c.post(
            "/api/v1/challenges/toy-reg/submissions", files={"file": ("bad.csv", b"id,y\n1,x\n")}
        ).status_code
        for _ in range(3)
    ]
    assert codes == [422, 422, 429]


def test_personal_mode_answers_only_local_requests(personal: TestClient) -> None:
    assert personal.get("/", headers={"host": "evil.example"}).status_code == 403
    cross = personal.post(
        "/api/v1/challenges/toy-reg/finalize", headers={"origin": "http://evil.example"}
    )
    assert cross.status_code == 403 and cross.json()["error"]["code"] == "forbidden"
    assert personal.get("/").status_code == 200
    assert personal.get("/login", follow_redirects=False).status_code == 303  # no accounts


def test_verified_tokens_are_trusted_for_a_short_ttl_only(
    server: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trackrecord.web import deps

    signup(server, "ada")
    token = api_token(server, "ada")
    reads = []
    real = deps.token_user
    monkeypatch.setattr(deps, "token_user", lambda *a, **k: reads.append(1) or real(*a, **k))
    for _ in range(5):
        assert server.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert len(reads) == 1, "a verified token is not read again within the TTL"
    # Revoked behind this process's back (as another worker would): trusted until the TTL...
    with _service(server).session() as s:
        s.scalars(select(ApiToken)).one().revoked_at = utcnow()
    assert server.get("/api/v1/me", headers=bearer(token)).status_code == 200
    cache = server.app.state.web.tokens  # type: ignore[attr-defined]
    start = cache.clock()
    cache.clock = lambda: start + deps.TOKEN_TTL + 0.01
    # ...and refused once it has passed.
    refused = server.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401 and len(reads) == 2


def test_a_cached_token_still_expires_on_time(server: TestClient) -> None:
    signup(server, "ada")
    token = api_token(server, "ada")
    with _service(server).session() as s:
        s.scalars(select(ApiToken)).one().expires_at = utcnow() + timedelta(hours=1)
    assert server.get("/api/v1/me", headers=bearer(token)).status_code == 200  # now cached
    svc = _service(server)
    later = utcnow() + timedelta(hours=2)
    svc.clock = lambda: later
    assert server.get("/api/v1/me", headers=bearer(token)).status_code == 401
