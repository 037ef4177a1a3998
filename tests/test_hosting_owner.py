"""Issue 11, finding 7, performed: a host moved another host's deadline, and moving a
deadline back after the reveal hid the private board again and re-opened picks. A challenge
belongs to its creator (admins excepted) and a passed deadline is final."""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from trackrecord.bundle import Bundle
from trackrecord.web.accounts import set_role

from .test_web_support import (
    api_token,
    bearer,
    bundle_zip,
    csrf,
    server,  # noqa: F401
    signup,
    split_submission,
)

PAST = "2000-01-01T00:00:00Z"


def _users(server: TestClient) -> dict[str, str]:
    """hal and hoa host, ada is the admin, bob learns: an API token each."""
    roles = {"hal": "host", "hoa": "host", "ada": "admin", "bob": "learner"}
    for name in roles:
        server.cookies.clear()
        signup(server, name)
    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        for name, role in roles.items():
            set_role(s, name, role)
    server.cookies.clear()
    return {name: api_token(server, name) for name in roles}


def _hal_hosts(server: TestClient, tokens: dict[str, str], bundle: Bundle, tmp: Path) -> None:
    archive = bundle_zip(bundle, tmp / "class.zip", new_id="class-reg")
    made = server.post(
        "/api/v1/host/challenges",
        headers=bearer(tokens["hal"]),
        files={"bundle": ("class.zip", archive.read_bytes())},
        data={"deadline": "2099-01-01T00:00:00Z", "final_picks": "2"},
    )
    assert made.status_code == 201, made.text


def _patch(server: TestClient, token: str, **body: object) -> int:
    response = server.patch("/api/v1/host/challenges/class-reg", headers=bearer(token), json=body)
    return response.status_code


def test_another_host_can_neither_change_nor_read_a_challenge(
    server: TestClient, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    tokens = _users(server)
    _hal_hosts(server, tokens, bundles["toy-reg"], tmp_path)
    hoa = bearer(tokens["hoa"])
    assert _patch(server, tokens["hoa"], deadline=PAST) == 403
    assert _patch(server, tokens["hoa"], clear_deadline=True) == 403
    for path in ("submissions", "export.csv"):
        got = server.get(f"/api/v1/host/challenges/class-reg/{path}", headers=hoa)
        assert got.status_code == 403, path
    listed = server.get("/api/v1/host/challenges", headers=hoa).json()["challenges"]
    assert [c["id"] for c in listed] == []
    # The host pages refuse the same, through a signed-in browser.
    token = csrf(server, "/login")
    server.post(
        "/login", data={"username": "hoa", "password": "correct horse", "csrf_token": token}
    )
    assert server.get("/host/challenges/class-reg").status_code == 403
    posted = server.post(
        "/host/challenges/class-reg",
        data={"deadline": "2000-01-01T00:00", "csrf_token": csrf(server, "/host")},
    )
    assert posted.status_code == 403
    board = server.get("/api/v1/challenges/class-reg/leaderboard", headers=hoa).json()
    assert board["private"] is None  # the deadline did not move
    # Its creator and an admin may.
    assert _patch(server, tokens["hal"], per_day=7) == 200
    assert _patch(server, tokens["ada"], per_day=8) == 200
    hal_list = server.get("/api/v1/host/challenges", headers=bearer(tokens["hal"])).json()
    assert [(c["id"], c["per_day"]) for c in hal_list["challenges"]] == [("class-reg", 8)]


def test_a_passed_deadline_is_final(
    server: TestClient, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    tokens = _users(server)
    _hal_hosts(server, tokens, bundles["toy-reg"], tmp_path)
    bob = bearer(tokens["bob"])
    good = split_submission(tmp_path / "g.csv", bundles["toy-reg"]).read_bytes()
    sent = server.post(
        "/api/v1/challenges/class-reg/submissions", headers=bob, files={"file": ("g.csv", good)}
    )
    assert sent.status_code == 201
    assert _patch(server, tokens["hal"], deadline=PAST) == 200  # ends it now: the reveal
    board = server.get("/api/v1/challenges/class-reg/leaderboard", headers=bob).json()
    assert [r["name"] for r in board["private"] if not r["is_reference"]] == ["bob"]
    # The audit's attack: move it back to hide the board and re-open the picks.
    for body in (
        {"deadline": "2099-01-01T00:00:00Z"},
        {"clear_deadline": True},
        {"final_picks": 1},
    ):
        for who in ("hal", "ada"):  # not even an admin
            response = server.patch(
                "/api/v1/host/challenges/class-reg", headers=bearer(tokens[who]), json=body
            )
            assert response.status_code == 409, (who, body)
            assert "final" in str(response.json()["error"]), (who, body)
    after = server.get("/api/v1/challenges/class-reg/leaderboard", headers=bob).json()
    assert after["private"] == board["private"]
    picks = server.put("/api/v1/challenges/class-reg/picks", headers=bob, json={"picks": []})
    assert picks.status_code == 409
    # The same deadline sent back by a form, and the daily quota, are no change to refuse.
    assert _patch(server, tokens["hal"], deadline="2000-01-01T00:00:30Z", per_day=9) == 200
    token = csrf(server, "/login")
    server.post(
        "/login", data={"username": "hal", "password": "correct horse", "csrf_token": token}
    )
    page = server.get("/host/challenges/class-reg").text
    assert "passed, so final" in page and 'name="deadline"' not in page
