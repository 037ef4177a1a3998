"""Issue 11, findings 5 and 6 and "closed by default", each performed as an attack or a
walk-through: no sign-up makes an admin (8 at once on a fresh server), sessions end on the
server (logout, a password change, a disabled user) in every server process at once, and
hosted sign-up needs an invite unless the host opened it."""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from trackrecord.settings import Settings
from trackrecord.store.models import ApiToken, LoginSession, User
from trackrecord.web.accounts import set_active
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
    server,  # noqa: F401
    signup,
    signup_admin,
)

BASE = "http://tr.example"


def _service(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.web.service  # type: ignore[attr-defined]


def _stolen(client: TestClient) -> tuple[str, str]:
    """What an attacker who copied the browser's cookie has: the cookie and the CSRF token
    of its session (as found on any page it served)."""
    cookie = client.cookies[SESSION_COOKIE]
    sessions = client.app.state.web.sessions  # type: ignore[attr-defined]
    return cookie, sessions.csrf_token(sessions.loads(cookie))


def _replay(app_client: TestClient, cookie: str, csrf_token: str) -> dict[str, int]:
    """Use a copied cookie from another client: read the account page, mint a token."""
    with TestClient(app_client.app, base_url=BASE, raise_server_exceptions=False) as thief:
        thief.cookies.set(SESSION_COOKIE, cookie, domain="tr.example")
        page = thief.get("/account", follow_redirects=False)
        mint = thief.post(
            "/account/tokens",
            data={"name": "stolen", "csrf_token": csrf_token},
            follow_redirects=False,
        )
    return {"account": page.status_code, "mint": mint.status_code}


def _tokens(client: TestClient) -> int:
    with _service(client).session() as s:
        return int(s.scalar(select(func.count(ApiToken.id))) or 0)


# Finding 5: the first-account-is-admin race ------------------------------------------------


def test_eight_concurrent_sign_ups_on_a_fresh_server_make_no_admin(server: TestClient) -> None:
    """The audit's attack: 8 sign-ups at once on a fresh server all became admins."""
    clients = [
        TestClient(server.app, base_url=BASE, raise_server_exceptions=False) for _ in range(8)
    ]
    tokens = [csrf(c, "/signup") for c in clients]
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def go(i: int) -> None:
        barrier.wait()
        data = {
            "username": f"racer{i}",
            "password": PASSWORD,
            "invite": INVITE,
            "csrf_token": tokens[i],
        }
        codes.append(clients[i].post("/signup", data=data, follow_redirects=False).status_code)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [303] * 8
    with _service(server).session() as s:
        roles = s.scalars(select(User.role).where(User.password_hash.is_not(None))).all()
    assert sorted(roles) == ["learner"] * 8
    for c in clients:
        assert c.get("/host").status_code == 403  # nobody may host


def test_concurrent_sign_ups_with_one_name_make_one_account(server: TestClient) -> None:
    clients = [
        TestClient(server.app, base_url=BASE, raise_server_exceptions=False) for _ in range(6)
    ]
    tokens = [csrf(c, "/signup") for c in clients]
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def go(i: int) -> None:
        barrier.wait()
        data = {"username": "same", "password": PASSWORD, "invite": INVITE, "csrf_token": tokens[i]}
        codes.append(clients[i].post("/signup", data=data, follow_redirects=False).status_code)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [303] + [409] * 5  # never a 500
    with _service(server).session() as s:
        assert s.scalar(select(func.count(User.id)).where(User.username == "same")) == 1


# Finding 6: sessions end on the server ------------------------------------------------------


def test_logout_ends_the_session_for_a_copied_cookie(server: TestClient) -> None:
    """The audit's attack: after logout the old cookie still worked for 14 days and could
    mint API tokens."""
    signup(server, "ada")
    cookie, token = _stolen(server)
    assert _replay(server, cookie, token) == {"account": 200, "mint": 200}  # while signed in
    before = _tokens(server)
    server.post("/logout", data={"csrf_token": csrf(server, "/account")})
    after = _replay(server, cookie, token)
    assert after["account"] == 303  # to the sign-in page
    assert after["mint"] in (401, 403)
    assert _tokens(server) == before  # nothing minted with the old cookie
    with _service(server).session() as s:
        row = s.scalars(select(LoginSession)).first()
        assert row is not None and row.revoked_at is not None and row.sid_hash != cookie


@pytest.fixture
def two_workers(settings: Settings, catalog: FakeCatalog) -> Iterator[tuple[TestClient, ...]]:
    """Two server processes' apps over one database: they share nothing else."""
    config = hosted(settings)
    with (
        client_for(config, catalog, base_url=BASE) as a,
        client_for(config, catalog, base_url=BASE) as b,
    ):
        yield a, b


def test_logout_through_one_worker_ends_the_session_in_another(
    two_workers: tuple[TestClient, TestClient],
) -> None:
    a, b = two_workers
    signup(a, "ada")
    cookie, token = _stolen(a)
    assert _replay(b, cookie, token)["account"] == 200  # worker B knows the session
    a.post("/logout", data={"csrf_token": csrf(a, "/account")})
    after = _replay(b, cookie, token)
    assert after["account"] == 303 and after["mint"] in (401, 403)


def test_a_password_change_ends_every_other_session(
    two_workers: tuple[TestClient, TestClient],
) -> None:
    a, b = two_workers
    signup(a, "ada")
    laptop = _stolen(a)
    with TestClient(b.app, base_url=BASE, raise_server_exceptions=False) as phone:
        token = csrf(phone, "/login")
        phone.post("/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token})
        assert phone.get("/account", follow_redirects=False).status_code == 200
        wrong = a.post(
            "/account/password",
            data={
                "current": "not-it-at-all",
                "new": "a new password",
                "csrf_token": csrf(a, "/account"),
            },
        )
        assert wrong.status_code == 422 and "current password" in wrong.text
        assert phone.get("/account", follow_redirects=False).status_code == 200  # unchanged
        changed = a.post(
            "/account/password",
            data={"current": PASSWORD, "new": "a new password", "csrf_token": csrf(a, "/account")},
        )
        assert changed.status_code == 200 and "Password changed" in changed.text
        assert phone.get("/account", follow_redirects=False).status_code == 303  # signed out
    assert a.get("/account", follow_redirects=False).status_code == 200  # a fresh session here
    assert _replay(b, *laptop)["account"] == 303  # the laptop's old cookie is dead too
    refused = a.post("/api/v1/tokens", json={"username": "ada", "password": PASSWORD})
    assert refused.status_code == 401
    assert (
        a.post("/api/v1/tokens", json={"username": "ada", "password": "a new password"}).status_code
        == 201
    )


def test_disabling_a_user_ends_the_session_and_refuses_tokens(server: TestClient) -> None:
    signup(server, "ada")
    token = api_token(server, "ada")
    cookie = _stolen(server)
    assert server.get("/account", follow_redirects=False).status_code == 200
    with _service(server).session() as s:  # what `trackrecord users disable ada` does
        set_active(s, "ada", False)
    assert server.get("/account", follow_redirects=False).status_code == 303
    assert _replay(server, *cookie)["account"] == 303
    server.app.state.web.tokens.clear()  # type: ignore[attr-defined]  # another process: TTL
    assert server.get("/api/v1/me", headers=bearer(token)).status_code == 401
    again = server.post(
        "/login",
        data={"username": "ada", "password": PASSWORD, "csrf_token": csrf(server, "/login")},
    )
    assert again.status_code == 401


# Closed by default ----------------------------------------------------------------------------


def test_hosted_sign_up_needs_an_invite_unless_opened(
    settings: Settings, catalog: FakeCatalog
) -> None:
    closed = dataclasses.replace(hosted(settings), invite_code=None)
    with client_for(closed, catalog, base_url=BASE) as c:
        page = c.get("/signup").text
        assert "open by invitation" in page and re.search(r'name="invite"[^>]*required', page)
        refused = c.post(
            "/signup",
            data={"username": "eve", "password": PASSWORD, "csrf_token": csrf(c, "/signup")},
        )
        assert refused.status_code == 403 and "invite code" in refused.text
    opened = dataclasses.replace(closed, open_signup=True)
    with client_for(opened, catalog, base_url=BASE) as c:
        signup(c, "eve", invite=None)
        assert c.get("/account").status_code == 200


def test_an_invite_link_fills_in_the_code_and_signs_up(server: TestClient) -> None:
    signup_admin(server, "ada")
    made = server.post("/host/invites", data={"max_uses": "2", "csrf_token": csrf(server, "/host")})
    link = re.search(r'<code class="invite-link">([^<]+)</code>', made.text)
    assert link and link.group(1).startswith(f"{BASE}/signup?invite=")
    code = link.group(1).rsplit("=", 1)[1]
    server.cookies.clear()
    form = server.get(link.group(1).removeprefix(BASE)).text
    assert f'name="invite" value="{code}"' in form
    token = csrf(server, link.group(1).removeprefix(BASE))
    joined = server.post(
        "/signup",
        data={"username": "lea", "password": PASSWORD, "invite": code, "csrf_token": token},
        follow_redirects=False,
    )
    assert joined.status_code == 303


def test_serve_says_which_sign_up_it_is(settings: Settings) -> None:
    from trackrecord.cli.server import startup_notes
    from trackrecord.service import Service

    Service(settings).close()  # `serve` migrates the database before it says anything
    closed = startup_notes(dataclasses.replace(settings, hosted=True))
    assert any("by invite only" in n for n in closed)
    assert any("users create NAME --role admin" in n for n in closed)  # no admin yet
    opened = startup_notes(dataclasses.replace(settings, hosted=True, open_signup=True))
    assert any("OPEN to anyone" in n for n in opened)
    assert startup_notes(settings) == []  # personal mode: no accounts
