"""Nothing of an answer key and no private score before it is due, anywhere.

Every GET route of the app (pages, API, exports) is requested with real data in place,
plus error paths, as a learner and as the host, in personal and hosted mode; no response
may contain an answer-key value or a private score that is not due yet.
"""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from trackrecord.bundle import Bundle

from .conftest import SECRET_BASE
from .test_web_support import (
    PRIVATE_OFF,
    api_token,
    bad_submission,
    bearer,
    bundle_zip,
    csrf,
    personal,  # noqa: F401
    server,  # noqa: F401
    signup,
    signup_admin,
    split_submission,
    zip_names,
)

ROWS = 20
SECRETS = [f"{SECRET_BASE + i:.3f}" for i in range(ROWS)]
PRIVATE = [f"{PRIVATE_OFF:.6g}", f"{PRIVATE_OFF:.4f}", repr(PRIVATE_OFF)]
ERROR_PATHS = [
    "/nope",
    "/projects/nope",
    "/projects/nope/leaderboard",
    "/api/v1/nope",
    "/api/v1/challenges/nope",
    "/api/v1/challenges/nope/leaderboard",
    "/host/challenges/nope",
    "/api/v1/catalog?level=x",
]


def get_paths(client: TestClient, projects: list[str], hosted: list[str]) -> list[str]:
    """Every GET route (from the OpenAPI document) with its path parameters filled in."""
    paths = list(ERROR_PATHS)
    spec = client.app.openapi()  # type: ignore[attr-defined]
    for template, methods in spec["paths"].items():
        if "get" not in methods:
            continue
        if "{slug}" in template:
            paths += [template.replace("{slug}", s) for s in hosted]
        elif "{project_id}" in template:
            paths += [template.replace("{project_id}", p) for p in projects]
        elif "{" not in template:
            paths.append(template)
    return paths


def assert_no_leak(
    client: TestClient, paths: list[str], headers: dict[str, str], forbidden: list[str]
) -> int:
    checked = 0
    for path in paths:
        response = client.get(path, headers=headers)
        if path.endswith((".zip", "/download")):
            names = zip_names(response.content) if response.status_code == 200 else []
            assert not any("private" in n or "solution" in n for n in names), (path, names)
            continue
        text = response.text
        for secret in forbidden:
            assert secret not in text, f"{secret!r} leaked by GET {path} ({response.status_code})"
        checked += 1
    return checked


def test_personal_mode_leaks_nothing(
    personal: TestClient,
    bundles: dict[str, Bundle],
    tmp_path: Path,
) -> None:
    token = csrf(personal, "/projects/toy-reg")
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"]).read_bytes()
    for name, data in (
        ("good.csv", good),
        ("bad.csv", bad_submission(tmp_path / "b.csv").read_bytes()),
        ("short.csv", b"id,y\n1000,1.5\n"),
    ):
        personal.post(
            "/projects/toy-reg/submit", data={"csrf_token": token}, files={"file": (name, data)}
        )
    paths = get_paths(personal, ["toy-reg", "toy-cls"], [])
    assert assert_no_leak(personal, paths, {}, SECRETS + PRIVATE) > 25
    # Once finalized the private score is due (and shown), the answer key still is not.
    personal.post("/projects/toy-reg/finalize", data={"csrf_token": token, "confirm": "yes"})
    assert PRIVATE[0] in personal.get("/projects/toy-reg").text
    assert_no_leak(personal, paths, {}, SECRETS)


def test_hosted_mode_leaks_nothing_before_the_deadline(
    server: TestClient,
    bundles: dict[str, Bundle],
    tmp_path: Path,
) -> None:
    signup_admin(server, "ada")  # admin and host
    host_token = api_token(server, "ada")
    archive = bundle_zip(bundles["toy-reg"], tmp_path / "c.zip", new_id="class-reg")
    made = server.post(
        "/api/v1/host/challenges",
        headers=bearer(host_token),
        files={"bundle": ("c.zip", archive.read_bytes())},
        data={"deadline": "2099-01-01T00:00:00Z"},
    )
    assert made.status_code == 201
    server.cookies.clear()
    signup(server, "bob")
    bob = api_token(server, "bob")
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"]).read_bytes()
    for project in ("class-reg", "toy-reg"):
        ok = server.post(
            f"/api/v1/challenges/{project}/submissions",
            headers=bearer(bob),
            files={"file": ("good.csv", good)},
        )
        assert ok.status_code == 201
        assert not any(p in ok.text for p in PRIVATE)
        bad = server.post(
            f"/api/v1/challenges/{project}/submissions",
            headers=bearer(bob),
            files={"file": ("short.csv", b"id,y\n1000,1.5\n")},
        )
        assert bad.status_code == 422 and not any(s in bad.text for s in SECRETS)
    early = server.post("/api/v1/challenges/class-reg/finalize", headers=bearer(bob), json={})
    assert early.status_code == 409 and not any(p in early.text for p in PRIVATE)
    paths = get_paths(server, ["class-reg", "toy-reg", "toy-cls"], ["class-reg"])
    for headers in (bearer(bob), bearer(host_token), {}):
        assert_no_leak(server, paths, headers, SECRETS + PRIVATE)
    # Pages with the learner's and the host's session cookies.
    assert_no_leak(server, paths, {}, SECRETS + PRIVATE)  # bob is signed in
    server.cookies.clear()
    server.post(
        "/login",
        data={"username": "ada", "password": "correct horse", "csrf_token": csrf(server, "/login")},
    )
    html = [p for p in paths if not p.startswith("/api/")]
    assert_no_leak(server, html, {}, SECRETS + PRIVATE)
    export = server.get("/host/challenges/class-reg/export.csv").text
    assert "bob" in export and not re.search(r"0\.618", export)
