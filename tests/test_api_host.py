"""What the host pages do, through /api/v1: challenges from the catalog, their settings and
ownership (the same hosting rules as the pages), invites with their link, and the admin's
users and roles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from trackrecord.settings import Settings

from .conftest import FakeCatalog
from .test_web_support import api_token, bearer, client_for, hosted, signup, signup_admin

URL = "http://tr.example"


@pytest.fixture
def api(settings: Settings, catalog: FakeCatalog) -> Iterator[TestClient]:
    with client_for(hosted(settings), catalog, base_url=URL) as c:
        signup_admin(c, "root")
        for name in ("hana", "hugo", "ada"):
            signup(c, name)
        yield c


def _as(api: TestClient, username: str) -> dict[str, str]:
    return bearer(api_token(api, username))


def test_roles_invites_and_catalog_copies(api: TestClient) -> None:
    root, ada = _as(api, "root"), _as(api, "ada")
    assert api.get("/api/v1/users", headers=ada).status_code == 403
    names = [u["username"] for u in api.get("/api/v1/users", headers=root).json()["users"]]
    assert names == ["root", "hana", "hugo", "ada"]
    for name in ("hana", "hugo"):
        made = api.put(f"/api/v1/users/{name}/role", json={"role": "host"}, headers=root)
        assert made.status_code == 200 and made.json()["role"] == "host"
    assert (
        api.put("/api/v1/users/nobody/role", json={"role": "host"}, headers=root).status_code == 404
    )
    assert api.put("/api/v1/users/ada/role", json={"role": "king"}, headers=root).status_code == 422
    hana = _as(api, "hana")

    body = {"project_id": "toy-reg", "slug": "class-reg", "per_day": 3}
    assert (
        api.post("/api/v1/host/challenges/from-catalog", json=body, headers=ada).status_code == 403
    )
    made = api.post("/api/v1/host/challenges/from-catalog", json=body, headers=hana)
    assert made.status_code == 201, made.text
    assert made.json()["id"] == "class-reg"
    again = api.post("/api/v1/host/challenges/from-catalog", json=body, headers=hana)
    assert again.status_code == 409
    missing = {**body, "project_id": "nope", "slug": "other"}
    assert (
        api.post("/api/v1/host/challenges/from-catalog", json=missing, headers=hana).status_code
        == 404
    )

    invite = api.post("/api/v1/host/invites", json={"max_uses": 2}, headers=hana)
    assert invite.status_code == 201, invite.text
    code = invite.json()["code"]
    assert invite.json()["link"] == f"{URL}/signup?invite={code}"
    assert api.post("/api/v1/host/invites", json={"role": "host"}, headers=hana).status_code == 403
    assert api.post("/api/v1/host/invites", json={"max_uses": 0}, headers=hana).status_code == 422
    assert api.post("/api/v1/host/invites", json={"role": "host"}, headers=root).status_code == 201
    signup(api, "bea", invite=code)


def test_settings_and_ownership_follow_the_pages_rules(api: TestClient) -> None:
    root = _as(api, "root")
    for name in ("hana", "hugo"):
        api.put(f"/api/v1/users/{name}/role", json={"role": "host"}, headers=root)
    hana, hugo = _as(api, "hana"), _as(api, "hugo")
    body = {"project_id": "toy-reg", "slug": "class-reg"}
    assert (
        api.post("/api/v1/host/challenges/from-catalog", json=body, headers=hana).status_code == 201
    )

    listed = api.get("/api/v1/host/challenges", headers=hana).json()["challenges"]
    assert [c["id"] for c in listed] == ["class-reg"]
    assert api.get("/api/v1/host/challenges", headers=hugo).json()["challenges"] == []
    detail = api.get("/api/v1/host/challenges/class-reg", headers=hana).json()
    assert detail["challenge"]["id"] == "class-reg" and detail["deadline_passed"] is False
    assert api.get("/api/v1/host/challenges/class-reg", headers=hugo).status_code == 404

    change = {"deadline": "2031-01-01T12:00", "per_day": 4}
    changed = api.patch("/api/v1/host/challenges/class-reg", json=change, headers=hana)
    assert changed.status_code == 200, changed.text
    assert changed.json()["deadline"].startswith("2031-01-01T12:00")
    assert (
        api.patch("/api/v1/host/challenges/class-reg", json=change, headers=hugo).status_code == 403
    )
    zero = api.patch("/api/v1/host/challenges/class-reg", json={"per_day": 0}, headers=hana)
    assert zero.status_code == 422 and zero.json()["error"]["problems"][0]["column"] == "per_day"
    assert (
        api.patch("/api/v1/host/challenges/class-reg", json=change, headers=root).status_code == 200
    )

    # the deadline passes: it is final (the same Conflict as on the page)
    past = {"deadline": "2020-01-01T00:00"}
    assert (
        api.patch("/api/v1/host/challenges/class-reg", json=past, headers=hana).status_code == 200
    )
    moved = api.patch("/api/v1/host/challenges/class-reg", json=change, headers=hana)
    assert moved.status_code == 409
    records = api.get("/api/v1/host/challenges/class-reg/submissions", headers=hana)
    assert records.status_code == 200 and records.json() == {"submissions": []}
    csv = api.get("/api/v1/host/challenges/class-reg/export.csv", headers=hana)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert api.get("/api/v1/host/challenges/class-reg/export.csv", headers=hugo).status_code == 403
