"""The pages and the API as people use them: the learner's loop, the host's tools."""

# ruff: noqa: F811 (pytest fixtures imported from test_web_support)

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from trackrecord.bundle import Bundle
from trackrecord.settings import Settings
from trackrecord.store.models import Challenge, Submission

from .conftest import FakeCatalog, Spec, write_toy_bundle
from .test_web_support import (
    PRIVATE_OFF,
    PUBLIC_OFF,
    api_token,
    bad_submission,
    bearer,
    bundle_zip,
    client_for,
    csrf,
    hosted,
    personal,  # noqa: F401
    server,  # noqa: F401
    signup,
    signup_admin,
    split_submission,
    zip_names,
)


def _blob_files(settings: Settings) -> list[Path]:
    root = settings.blobs_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_personal_pages_render(personal: TestClient) -> None:
    for path in (
        "/",
        "/?task=regression",
        "/?level=1&skill=baselines",
        "/projects/toy-reg",
        "/projects/toy-reg/leaderboard",
        "/profile",
        "/host",
        "/projects/toy-reg/history.svg",
    ):
        response = personal.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    catalog = personal.get("/?task=regression").text
    cards = catalog.split("</details>", 1)[1]  # the filtered cards (the ladder shows all)
    assert "Toy toy-reg" in cards and "Toy toy-cls" not in cards


def test_learner_loop_in_the_browser_pages(
    personal: TestClient,
    bundles: dict[str, Bundle],
    tmp_path: Path,
) -> None:
    data = personal.get("/projects/toy-reg/data.zip")
    assert data.status_code == 200
    names = zip_names(data.content)
    assert "toy-reg/data/train.csv" in names and not any(
        "private" in n or "solution" in n for n in names
    )
    token = csrf(personal, "/projects/toy-reg")
    bad = personal.post(
        "/projects/toy-reg/submit",
        data={"csrf_token": token},
        files={"file": ("bad.csv", bad_submission(tmp_path / "bad.csv").read_bytes())},
    )
    assert bad.status_code == 422
    assert 'id="upload-error"' in bad.text and "bad.csv" in bad.text
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    done = personal.post(
        "/projects/toy-reg/submit",
        data={"csrf_token": token, "note": "first"},
        files={"file": ("good.csv", good.read_bytes())},
    )
    assert done.status_code == 200 and "submitted=" in str(done.url)
    assert "0.25" in done.text and "first" in done.text
    board = personal.get("/projects/toy-reg/leaderboard").text
    assert "You" in board and "ref" in board and "boosting" in board
    asked = personal.post("/projects/toy-reg/finalize", data={"csrf_token": token})
    assert asked.status_code == 200 and "Finalize now" in asked.text  # asked first
    assert f"{PRIVATE_OFF:.6g}" not in asked.text
    final = personal.post(
        "/projects/toy-reg/finalize", data={"csrf_token": token, "confirm": "yes"}
    )
    assert final.status_code == 200
    assert f"{PRIVATE_OFF:.6g}" in final.text  # revealed once finalized


def test_api_loop(personal: TestClient, bundles: dict[str, Bundle], tmp_path: Path) -> None:
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    made = personal.post(
        "/api/v1/challenges/toy-reg/submissions",
        files={"file": ("good.csv", good.read_bytes())},
        data={"note": "api"},
    )
    assert made.status_code == 201
    result = made.json()
    assert result["public_score"] == PUBLIC_OFF or abs(result["public_score"] - PUBLIC_OFF) < 1e-9
    assert result["submission"]["private_score"] is None
    assert result["left_today"] == 4
    subs = personal.get("/api/v1/challenges/toy-reg/submissions").json()["submissions"]
    assert [s["note"] for s in subs] == ["api"]
    info = personal.get("/api/v1/challenges/toy-reg").json()
    assert info["project"]["id"] == "toy-reg" and info["left_today"] == 4
    assert personal.get("/api/v1/catalog").json()["projects"][0]["project"]["id"]
    fin = personal.post("/api/v1/challenges/toy-reg/finalize", json={"picks": [subs[0]["id"]]})
    assert fin.status_code == 200 and abs(fin.json()["private_score"] - PRIVATE_OFF) < 1e-6
    me = personal.get("/api/v1/me").json()
    assert me["mode"] == "personal" and me["status"]["finalized"] == 1
    assert personal.get("/api/v1/openapi.json").status_code == 200


def test_quota_is_enforced(settings: Settings, tmp_path: Path) -> None:
    bundle = write_toy_bundle(tmp_path / "b", Spec(id="toy-reg", per_day=2))
    c = client_for(settings, FakeCatalog([bundle]))
    good = split_submission(tmp_path / "good.csv", bundle).read_bytes()
    codes = [
        c.post(
            "/api/v1/challenges/toy-reg/submissions", files={"file": ("g.csv", good)}
        ).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert c.get("/api/v1/challenges/toy-reg").json()["left_today"] == 0
    page = c.post(
        "/projects/toy-reg/submit",
        data={"csrf_token": csrf(c, "/projects/toy-reg")},
        files={"file": ("g.csv", good)},
    )
    assert page.status_code == 429 and "used all 2 submissions" in page.text


def _host(server: TestClient) -> str:
    signup_admin(server, "ada")  # made admin as the operator would
    return api_token(server, "ada")


def test_host_creates_a_challenge_from_a_bundle(
    server: TestClient,
    bundles: dict[str, Bundle],
    tmp_path: Path,
) -> None:
    _host(server)
    archive = bundle_zip(bundles["toy-reg"], tmp_path / "class.zip", new_id="class-reg")
    created = server.post(
        "/host/challenges",
        files={"bundle": ("class.zip", archive.read_bytes())},
        data={"csrf_token": csrf(server, "/host"), "deadline": "2099-06-30T23:59", "per_day": "3"},
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text[:1000]
    page = server.get(created.headers["location"])
    assert page.status_code == 200 and "2099-06-30" in page.text
    server.cookies.clear()
    signup(server, "bob")
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    submitted = server.post(
        "/projects/class-reg/submit",
        data={"csrf_token": csrf(server, "/")},
        files={"file": ("good.csv", good.read_bytes())},
    )
    assert submitted.status_code == 200 and "2 of 3 submissions left" in submitted.text.replace(
        "<strong>", ""
    ).replace("</strong>", "")
    server.cookies.clear()
    server.post(
        "/login",
        data={"username": "ada", "password": "correct horse", "csrf_token": csrf(server, "/login")},
    )
    listing = server.get("/host/challenges/class-reg").text
    assert "bob" in listing and "good.csv" in listing
    exported = server.get("/host/challenges/class-reg/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["username"] for r in rows] == ["bob"]
    assert rows[0]["private_score"] == ""  # the deadline is ahead
    assert float(rows[0]["public_score"]) == PUBLIC_OFF


def test_zip_with_traversal_is_refused_and_nothing_is_written(
    server: TestClient,
    bundles: dict[str, Bundle],
    settings: Settings,
    tmp_path: Path,
) -> None:
    token = _host(server)
    before = _blob_files(settings)
    evil = bundle_zip(
        bundles["toy-reg"],
        tmp_path / "evil.zip",
        new_id="evil",
        extra={"../../escaped.txt": b"gotcha", "public/../../x.csv": b"1"},
    )
    page = server.post(
        "/host/challenges",
        files={"bundle": ("evil.zip", evil.read_bytes())},
        data={"csrf_token": csrf(server, "/host")},
    )
    assert page.status_code == 422 and "escapes the bundle" in page.text
    api = server.post(
        "/api/v1/host/challenges",
        headers=bearer(token),
        files={"bundle": ("evil.zip", evil.read_bytes())},
    )
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_bundle"
    assert _blob_files(settings) == before
    assert not list(tmp_path.parent.rglob("escaped.txt"))
    assert not (settings.home / "escaped.txt").exists()
    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        assert s.scalar(select(func.count(Challenge.id)).where(Challenge.slug == "evil")) == 0


def test_invalid_bundle_content_is_reported(server: TestClient, tmp_path: Path) -> None:
    token = _host(server)
    import zipfile

    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("challenge.toml", "format_version = 1\n")
    response = server.post(
        "/api/v1/host/challenges",
        headers=bearer(token),
        files={"bundle": ("empty.zip", path.read_bytes())},
    )
    assert response.status_code == 422 and response.json()["error"]["problems"]


def test_host_from_catalog_deadline_and_quota(
    server: TestClient,
    tmp_path: Path,
    bundles: dict[str, Bundle],
) -> None:
    token = _host(server)
    made = server.post(
        "/host/challenges/from-catalog",
        follow_redirects=False,
        data={
            "csrf_token": csrf(server, "/host"),
            "project_id": "toy-reg",
            "slug": "reg-copy",
            "per_day": "1",
        },
    )
    assert made.status_code == 303 and made.headers["location"] == "/host/challenges/reg-copy"
    good = split_submission(tmp_path / "g.csv", bundles["toy-reg"]).read_bytes()
    first = server.post(
        "/api/v1/challenges/reg-copy/submissions",
        headers=bearer(token),
        files={"file": ("g.csv", good)},
    )
    assert first.status_code == 201
    again = server.post(
        "/api/v1/challenges/reg-copy/submissions",
        headers=bearer(token),
        files={"file": ("g.csv", good)},
    )
    assert again.status_code == 429
    changed = server.patch(
        "/api/v1/host/challenges/reg-copy",
        headers=bearer(token),
        json={"per_day": 5, "deadline": "2000-01-01T00:00:00Z"},
    )
    assert changed.status_code == 200
    # The deadline passed: the private board is due, submissions are closed.
    board = server.get("/api/v1/challenges/reg-copy/leaderboard", headers=bearer(token)).json()
    assert board["private"][0]["name"] == "ada"
    closed = server.post(
        "/api/v1/challenges/reg-copy/submissions",
        headers=bearer(token),
        files={"file": ("g.csv", good)},
    )
    assert closed.status_code == 409
    subs = server.get("/api/v1/host/challenges/reg-copy/submissions", headers=bearer(token))
    assert abs(subs.json()["submissions"][0]["private_score"] - PRIVATE_OFF) < 1e-6
    with server.app.state.web.service.session() as s:  # type: ignore[attr-defined]
        assert s.scalar(select(func.count(Submission.id))) == 1  # over-quota one not stored


def test_final_picks_on_the_page_and_the_api_until_the_deadline(
    server: TestClient, tmp_path: Path, bundles: dict[str, Bundle]
) -> None:
    token = _host(server)
    server.post(
        "/host/challenges/from-catalog",
        data={
            "csrf_token": csrf(server, "/host"),
            "project_id": "toy-reg",
            "slug": "timed",
            "deadline": "2099-01-01T00:00",
        },
    )
    ids = []
    for private_off in (0.25, 3.0):  # the same public score, different private ones
        sub = split_submission(tmp_path / "s.csv", bundles["toy-reg"], private_off=private_off)
        posted = server.post(
            "/api/v1/challenges/timed/submissions",
            headers=bearer(token),
            files={"file": ("s.csv", sub.read_bytes())},
        )
        ids.append(posted.json()["submission"]["id"])
    page = server.get("/projects/timed").text
    assert 'formaction="/projects/timed/picks"' in page and "Save final picks" in page
    saved = server.post(
        "/projects/timed/picks",
        data={"csrf_token": csrf(server, "/projects/timed"), "pick": str(ids[1])},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/projects/timed#final"
    assert f'value="{ids[1]}" checked' in server.get("/projects/timed").text
    too_many = server.put(
        "/api/v1/challenges/timed/picks", headers=bearer(token), json={"picks": [*ids, 999]}
    )
    assert too_many.status_code == 409 and "at most 2" in too_many.json()["error"]["message"]
    picked = server.put(
        "/api/v1/challenges/timed/picks", headers=bearer(token), json={"picks": ids}
    )
    assert [s["picked"] for s in picked.json()["submissions"]] == [True, True]
    assert all(s["private_score"] is None for s in picked.json()["submissions"])
    server.put("/api/v1/challenges/timed/picks", headers=bearer(token), json={"picks": [ids[1]]})

    server.patch(
        "/api/v1/host/challenges/timed",
        headers=bearer(token),
        json={"deadline": "2000-01-01T00:00:00Z"},
    )
    closed = server.put("/api/v1/challenges/timed/picks", headers=bearer(token), json={"picks": []})
    assert (
        closed.status_code == 409 and "closed at its deadline" in closed.json()["error"]["message"]
    )
    page = server.get("/projects/timed").text
    assert "Final picks closed at the deadline" in page and "disabled" in page
    board = server.get("/api/v1/challenges/timed/leaderboard", headers=bearer(token)).json()
    subs = server.get("/api/v1/host/challenges/timed/submissions", headers=bearer(token))
    private = {r["id"]: r["private_score"] for r in subs.json()["submissions"]}
    assert private[ids[0]] < private[ids[1]]  # rmse: the first is better on the private split
    ada = [r["score"] for r in board["private"] if r["name"] == "ada"]
    assert ada == [private[ids[1]]]  # the pick counts, not the better submission


def test_hosted_pages_need_sign_in(server: TestClient) -> None:
    for path in ("/", "/projects/toy-reg", "/profile", "/host", "/account"):
        response = server.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert server.get("/api/v1/catalog").status_code == 401
    assert server.get("/api/v1/health").status_code == 200


def test_account_page_tokens(settings: Settings, catalog: FakeCatalog) -> None:
    c = client_for(hosted(settings), catalog, base_url="http://tr.example")
    signup(c, "ada")
    page = c.post("/account/tokens", data={"name": "laptop", "csrf_token": csrf(c, "/account")})
    import re

    token = re.search(r'<code class="secret">([^<]+)</code>', page.text).group(1)  # type: ignore[union-attr]
    assert c.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert "laptop" in c.get("/account").text
    assert token not in c.get("/account").text  # shown once


def test_profile_shows_a_skills_chart_with_intervals(
    personal: TestClient, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    before = personal.get("/profile").text
    assert "Skill estimates appear after your first scored submission" in before
    empty = personal.get("/profile/skills.svg")
    assert empty.status_code == 200 and "no graded attempts yet" in empty.text
    token = csrf(personal, "/projects/toy-reg")
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    personal.post(
        "/projects/toy-reg/submit",
        data={"csrf_token": token},
        files={"file": ("good.csv", good.read_bytes())},
    )
    page_text = personal.get("/profile").text
    assert '<img class="chart" src="/profile/skills.svg"' in page_text
    for skill in bundles["toy-reg"].challenge.skills:
        assert skill in page_text
    chart = personal.get("/profile/skills.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert "90% interval" in chart.text and "no graded attempts" not in chart.text


def test_leaderboard_pages(
    personal: TestClient,
    bundles: dict[str, Bundle],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from trackrecord.web.views import leaderboard as view

    token = csrf(personal, "/projects/toy-reg")
    good = split_submission(tmp_path / "good.csv", bundles["toy-reg"])
    personal.post(
        "/projects/toy-reg/submit",
        data={"csrf_token": token},
        files={"file": ("good.csv", good.read_bytes())},
    )
    monkeypatch.setattr(view, "PAGE_SIZE", 1)
    rows = len(bundles["toy-reg"].challenge.field) + 1
    first = personal.get("/projects/toy-reg/leaderboard").text
    assert f"page 1 of {rows}" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = personal.get(f"/projects/toy-reg/leaderboard?page={rows + 5}").text  # clamped
    assert f"page {rows} of {rows}" in last and 'rel="prev"' in last
    pages = [
        personal.get(f"/projects/toy-reg/leaderboard?page={n}").text for n in range(1, rows + 1)
    ]
    assert all("(you)" in p for p in pages), "the viewer's row shows on every page"
    assert sum("your position" in p for p in pages) == rows - 1
    assert personal.get("/projects/toy-reg/leaderboard?page=0").status_code == 422
