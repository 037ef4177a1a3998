"""One JSON error shape under /api/v1, for our errors and the framework's (404/405/422)."""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trackrecord.settings import Settings

from .conftest import FakeCatalog
from .test_web_support import (
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


def assert_shape(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "problems"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["problems"], list)
    return body["error"]  # type: ignore[no-any-return]


def test_framework_errors_have_the_shape(personal: TestClient) -> None:
    assert_shape(personal.get("/api/v1/no/such/route"), 404, "not_found")
    assert_shape(personal.put("/api/v1/catalog"), 405, "method_not_allowed")
    error = assert_shape(personal.get("/api/v1/catalog?level=high"), 422, "invalid_request")
    assert error["problems"][0]["column"] == "level"
    error = assert_shape(
        personal.post(
            "/api/v1/challenges/toy-reg/finalize",
            content=b"{not json",
            headers={"content-type": "application/json"},
        ),
        422,
        "invalid_request",
    )


def test_core_errors_have_the_shape(personal: TestClient, tmp_path: Path) -> None:
    assert_shape(personal.get("/api/v1/challenges/nope"), 404, "not_found")
    assert_shape(personal.post("/api/v1/challenges/toy-reg/finalize", json={}), 409, "conflict")
    bad = personal.post(
        "/api/v1/challenges/toy-reg/submissions", files={"file": ("bad.csv", b"id,y\n1000,abc\n")}
    )
    error = assert_shape(bad, 422, "invalid_submission")
    assert error["problems"], "an invalid file names its problems"
    assert_shape(personal.post("/api/v1/challenges/toy-reg/submissions"), 422, "invalid_request")


def test_auth_errors_have_the_shape(server: TestClient) -> None:
    response = server.get("/api/v1/me")
    assert_shape(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"
    assert_shape(server.get("/api/v1/me", headers=bearer("trk_nonsense")), 401, "unauthenticated")
    signup_admin(server, "ada")
    signup(server, "bob")  # a learner
    token = api_token(server, "bob")
    assert_shape(server.get("/api/v1/host/challenges", headers=bearer(token)), 403, "forbidden")
    bad = server.post("/api/v1/tokens", json={"username": "bob", "password": "wrong-one"})
    assert_shape(bad, 401, "unauthenticated")


def test_size_limit_is_413_with_the_shape(settings: Settings, catalog: FakeCatalog) -> None:
    small = client_for(settings.__class__(**{**settings.__dict__, "max_upload_mb": 1}), catalog)
    big = b"id,y\n" + b"1000,1.0\n" * 200_000  # about 1.8 MiB
    response = small.post(
        "/api/v1/challenges/toy-reg/submissions", files={"file": ("big.csv", big)}
    )
    assert_shape(response, 413, "payload_too_large")
    page = small.post(
        "/projects/toy-reg/submit",
        files={"file": ("big.csv", big)},
        data={"csrf_token": csrf(small, "/projects/toy-reg")},
    )
    assert page.status_code == 413
    assert "text/html" in page.headers["content-type"]


def test_rate_limit_is_429_with_the_shape(settings: Settings, catalog: FakeCatalog) -> None:
    c = client_for(hosted(settings), catalog, base_url="http://tr.example", rates={"login": "3/60"})
    for _ in range(3):
        c.post("/api/v1/tokens", json={"username": "x", "password": "wrong-password"})
    assert_shape(
        c.post("/api/v1/tokens", json={"username": "x", "password": "wrong-password"}),
        429,
        "rate_limited",
    )


def test_unexpected_errors_say_nothing_about_their_cause(
    personal: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    svc = personal.app.state.web.service  # type: ignore[attr-defined]

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail 9000.123")

    monkeypatch.setattr(svc, "submissions", boom)
    error = assert_shape(
        personal.get("/api/v1/challenges/toy-reg/submissions"), 500, "internal_error"
    )
    assert "9000" not in error["message"]


def test_html_errors_are_pages(personal: TestClient) -> None:
    response = personal.get("/projects/nope")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "no project" in response.text
    assert personal.get("/no/such/page").status_code == 404
