"""The learner's JSON API: scores at the boards' precision, the endpoints behind
`--server` (status, status ID, next, catalog with path statuses), private lines withheld
before finalizing, 405 with Allow, and the notebook's `server=` calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trackrecord import client
from trackrecord.bundle import Bundle
from trackrecord.settings import Settings
from trackrecord.web.views.api_schema import round_score, round_scores

from .conftest import FakeCatalog
from .test_web_support import api_token, bearer, client_for, hosted, signup, split_submission

URL = "http://tr.example"
LONG = 0.123456789  # a public RMSE with more digits than any board shows


@pytest.fixture
def api(settings: Settings, catalog: FakeCatalog) -> Iterator[TestClient]:
    with client_for(hosted(settings), catalog, base_url=URL) as c:
        signup(c, "ada")
        c.headers.update(bearer(api_token(c, "ada")))
        yield c


def _submit(api: TestClient, path: Path) -> dict[str, object]:
    with path.open("rb") as fh:
        response = api.post("/api/v1/challenges/toy-reg/submissions", files={"file": fh})
    assert response.status_code == 201, response.text
    answer: dict[str, object] = response.json()
    return answer


def test_round_score_keeps_six_significant_digits() -> None:
    assert round_score(LONG) == 0.123457
    assert round_score(9000.12345678) == 9000.12
    assert round_score(-2.5e-9) == -2.5e-9 and round_score(0.0) == 0.0
    nested = {"score": 1.23456789, "skills": [{"mean": 0.123456789}], "public": [{"x": 1.0}]}
    assert round_scores(nested) == {
        "score": 1.23457,
        "skills": [{"mean": 0.123456789}],  # not a score: left as it is
        "public": [{"x": 1.0}],
    }


def test_scores_leave_the_api_at_the_boards_precision(
    api: TestClient, tmp_path: Path, bundles: dict[str, Bundle]
) -> None:
    answer = _submit(api, split_submission(tmp_path / "a.csv", bundles["toy-reg"], LONG, 2.5))
    assert answer["public_score"] == 0.123457 and answer["best"] == 0.123457
    pages = [
        "/api/v1/challenges/toy-reg/submissions",
        "/api/v1/challenges/toy-reg/leaderboard",
        "/api/v1/challenges/toy-reg/status",
        "/api/v1/challenges/toy-reg",
        "/api/v1/status",
        "/api/v1/catalog",
    ]
    for path in pages:
        response = api.get(path)
        assert response.status_code == 200, (path, response.text)
        assert "0.123456789" not in response.text and "0.123457" in response.text, path
    board = api.get("/api/v1/challenges/toy-reg/leaderboard").json()
    assert board["public"][0]["score"] == 0.123457


def test_the_endpoints_behind_server(
    api: TestClient, tmp_path: Path, bundles: dict[str, Bundle]
) -> None:
    before = api.get("/api/v1/challenges/toy-reg/status").json()
    assert before["state"] == "new" and before["estimate"] is None
    _submit(api, split_submission(tmp_path / "a.csv", bundles["toy-reg"], 1.1, 2.5))
    report = api.get("/api/v1/challenges/toy-reg/status").json()
    assert report["state"] == "started" and report["estimate"]["split"] == "public"
    # private lines only once finalized (DESIGN.md, rule 6)
    assert report["project"]["thresholds"] == {"baseline": None, "reference": None, "gold": None}
    assert report["project"]["public_thresholds"] == {
        "baseline": 3.2,
        "reference": 2.2,
        "gold": 1.2,
    }
    status = api.get("/api/v1/status").json()
    assert status["started"] == 1 and [p["id"] for p in status["projects"]] == ["toy-reg"]
    assert status["skills"] and status["skills"][0]["skill"] == "baselines"
    catalog = api.get("/api/v1/catalog", params={"task": "regression"}).json()["projects"]
    assert [e["project"]["id"] for e in catalog] == ["toy-reg"]
    assert catalog[0]["path"]["status"] in ("recommended", "done", "not_yet")
    assert catalog[0]["progress"]["submissions"] == 1
    nxt = api.get("/api/v1/next", params={"k": 1}).json()
    assert set(nxt) == {"recommendations", "skills", "just_finished"}
    assert len(nxt["recommendations"]) <= 1
    assert api.get("/api/v1/next", params={"k": 0}).status_code == 422
    assert api.get("/api/v1/challenges/nope/status").status_code == 404


def test_a_wrong_method_names_the_allowed_ones(api: TestClient) -> None:
    response = api.delete("/api/v1/status")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["error"]["code"] == "method_not_allowed"
    both = api.patch("/api/v1/challenges/toy-reg/finalize")
    assert set(both.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_notebook_status_and_results_through_a_server(
    api: TestClient,
    tmp_path: Path,
    bundles: dict[str, Bundle],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trackrecord as tr

    home = tmp_path / "nb-home"
    client.store_token(home, URL, str(api.headers["Authorization"]).split()[1], "ada")
    monkeypatch.setenv("TRACKRECORD_HOME", str(home))
    connect = client.connect

    def in_process(server: str, *, home: Path, transport: object = None) -> client.Client:
        return connect(server, home=home, transport=api._transport)

    monkeypatch.setattr(client, "connect", in_process)
    tr.submit("toy-reg", split_submission(tmp_path / "a.csv", bundles["toy-reg"]), server=URL)
    status = tr.status(server=URL)
    assert status.started == 1 and status.finalized == 0
    assert "toy-reg" in repr(status) and "best public 0.25" in repr(status)
    preview = tr.finalize("toy-reg", server=URL)
    assert "Would judge" in repr(preview) and "public score vs the public lines" in repr(preview)
    final = tr.finalize("toy-reg", confirm=True, server=URL)
    assert final.medal == "gold" and "Private lines" in repr(final)
    assert "bronze below 3" in repr(tr.results("toy-reg", server=URL))
    assert tr.status(server=URL).finalized == 1
