"""Teams through the web: the host's team size, the project page's team panel and forms,
the API endpoints, and the team's row on the leaderboard."""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from trackrecord.bundle import Bundle
from trackrecord.web.accounts import set_role

from .test_web_support import (
    PASSWORD,
    api_token,
    bearer,
    bundle_zip,
    csrf,
    server,  # noqa: F401
    signup,
    split_submission,
)


def _host_with_teams(server: TestClient, bundle: Bundle, tmp: Path, size: str) -> None:
    signup(server, "hal")
    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        set_role(s, "hal", "host")
    archive = bundle_zip(bundle, tmp / "class.zip", new_id="class-reg")
    made = server.post(
        "/host/challenges",
        files={"bundle": ("class.zip", archive.read_bytes())},
        data={"csrf_token": csrf(server, "/host"), "team_size": size, "per_day": "5"},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text[:500]
    server.cookies.clear()


def test_a_team_from_the_page_and_the_api_shares_one_board_row(
    server: TestClient, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    bundle = bundles["toy-reg"]
    _host_with_teams(server, bundle, tmp_path, "3")
    signup(server, "bob")
    bob = api_token(server, "bob")
    server.cookies.clear()
    signup(server, "ann")  # ann uses the pages, bob the API
    page = server.get("/projects/class-reg")
    assert 'id="team"' in page.text and "up to 3 members" in page.text
    token = csrf(server, "/projects/class-reg")
    made = server.post(
        "/projects/class-reg/team",
        data={"name": "owls", "csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 303
    page = server.get("/projects/class-reg")
    found = re.search(r'class="team-code">([^<]+)<', page.text)
    assert found and "You are in <strong>owls</strong>: ann." in page.text
    code = found.group(1)

    wrong = server.post(
        "/api/v1/challenges/class-reg/team/join", headers=bearer(bob), json={"code": "nope"}
    )
    assert wrong.status_code == 404 and "no team of class-reg" in wrong.json()["error"]["message"]
    joined = server.post(
        "/api/v1/challenges/class-reg/team/join", headers=bearer(bob), json={"code": code}
    )
    assert joined.status_code == 200, joined.text
    assert joined.json()["team"] == {"name": "owls", "code": code, "members": ["ann", "bob"]}
    assert server.get("/api/v1/challenges/class-reg/team", headers=bearer(bob)).json() == (
        joined.json()
    )

    for who, off in ((bob, 0.5), (None, 0.25)):
        path = split_submission(tmp_path / f"s{off}.csv", bundle, public_off=off)
        files = {"file": ("s.csv", path.read_bytes())}
        if who is None:
            token = csrf(server, "/projects/class-reg")
            sent = server.post(
                "/projects/class-reg/submit", files=files, data={"csrf_token": token},
                follow_redirects=False,
            )  # fmt: skip
            assert sent.status_code == 303
        else:
            sent = server.post(
                "/api/v1/challenges/class-reg/submissions", headers=bearer(who), files=files
            )
            assert sent.status_code == 201, sent.text
            assert sent.json()["left_today"] == 4
    rows = server.get("/api/v1/challenges/class-reg/leaderboard", headers=bearer(bob)).json()
    learners = [r for r in rows["public"] if not r["is_reference"]]
    assert [(r["team"], sorted(r["members"]), r["submissions"]) for r in learners] == [
        ("owls", ["ann", "bob"], 2)
    ]
    board = server.get("/projects/class-reg/leaderboard")
    assert "owls (bob, ann)" in board.text and "(you)" in board.text  # members by account age

    token = csrf(server, "/projects/class-reg")
    refused = server.post(
        "/projects/class-reg/team/leave", data={"csrf_token": token}, follow_redirects=False
    )
    assert refused.status_code == 409
    assert "you cannot leave team owls: your 1 file(s)" in refused.text


def test_the_host_sets_the_team_size_and_zero_means_no_teams(
    server: TestClient, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    _host_with_teams(server, bundles["toy-reg"], tmp_path, "2")
    token = csrf(server, "/login")
    server.post("/login", data={"username": "hal", "password": PASSWORD, "csrf_token": token})
    page = server.get("/host/challenges/class-reg")
    assert 'name="team_size"' in page.text and 'value="2"' in page.text
    changed = server.post(
        "/host/challenges/class-reg",
        data={"csrf_token": csrf(server, "/host/challenges/class-reg"), "team_size": "0"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    bad = server.post(
        "/host/challenges/class-reg",
        data={"csrf_token": csrf(server, "/host/challenges/class-reg"), "team_size": "-3"},
        follow_redirects=False,
    )
    assert bad.status_code == 422 and "team_size" in bad.text
    hal = api_token(server, "hal")
    server.cookies.clear()
    signup(server, "cyd")
    assert 'id="team"' not in server.get("/projects/class-reg").text
    url = "/api/v1/host/challenges/class-reg"
    assert server.patch(url, headers=bearer(hal), json={"team_size": 4}).status_code == 200
    assert server.get(url, headers=bearer(hal)).json()["challenge"]["team_size"] == 4
    cyd = api_token(server, "cyd")
    assert server.get("/api/v1/challenges/class-reg/team", headers=bearer(cyd)).json() == {
        "project_id": "class-reg", "teams_allowed": True, "team_size": 4, "open": True,
        "team": None,
    }  # fmt: skip
    assert server.patch(url, headers=bearer(hal), json={"team_size": 0}).status_code == 200
    refused = server.post(
        "/api/v1/challenges/class-reg/team",
        headers=bearer(cyd),
        json={"name": "larks"},
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith("class-reg does not allow teams")
