"""Code submissions through the JSON API (/api/v1/.../jobs), the HTTP client behind
`--server` (submit_code, jobs, wait_for_job) and the notebook API (`tr.submit(ID,
code=PATH)`, `tr.code_jobs()`), locally and against a live server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import trackrecord as tr
from trackrecord import api
from trackrecord.client import (
    JOB_ENDED,
    Client,
    RemoteLearner,
    store_token,
    submit_code_to_server,
    wait_for_job,
)
from trackrecord.errors import Conflict, NotFound
from trackrecord.jobs import queue as Q
from trackrecord.jobs import runner
from trackrecord.service import Service
from trackrecord.service.jobs import JobView
from trackrecord.settings import Settings
from trackrecord.web import create_app

from .conftest import FakeCatalog
from .jobs_web_support import CRASH, GOOD, BareSandbox, HeldExecutor, write
from .test_web_support import (
    LOCAL,
    PRIVATE_OFF,
    LiveServer,
    api_token,
    bearer,
    hosted,
    signup,
)


def api_app(settings: Settings, catalog: FakeCatalog, base_url: str = LOCAL) -> Any:
    svc = Service(settings, catalog=catalog)
    executor = HeldExecutor(svc)
    client = TestClient(create_app(settings, service=svc, jobs=executor), base_url=base_url)
    return client, executor


@pytest.fixture
def local(settings: Settings, catalog: FakeCatalog) -> Iterator[tuple[TestClient, HeldExecutor]]:
    client, executor = api_app(settings, catalog)
    with client:
        yield client, executor


def post_code(client: TestClient, path: Path, project: str = "toy-reg", **kw: Any) -> Any:
    with path.open("rb") as fh:
        return client.post(
            f"/api/v1/challenges/{project}/jobs", files={"code": (path.name, fh)}, **kw
        )


def test_submit_follow_and_list_a_job(
    local: tuple[TestClient, HeldExecutor], tmp_path: Path
) -> None:
    client, executor = local
    code = write(tmp_path / "train.py", GOOD)
    queued = post_code(client, code, data={"note": "first try"})
    assert queued.status_code == 201, queued.text
    job = queued.json()
    assert job["state"] == "queued" and job["position"] == 1 and job["project_id"] == "toy-reg"
    assert job["code_filename"] == "train.py" and job["note"] == "first try"
    assert len(job["code_sha256"]) == 64 and job["public_score"] is None
    assert executor.held == [job["id"]]

    assert executor.run() == ["scored"]
    done = client.get(f"/api/v1/jobs/{job['id']}").json()
    assert done["state"] == "scored" and done["position"] is None
    assert done["public_score"] == 0.25 and done["submission_number"] == 1
    assert done["environment"]["python"] and done["origin"] == "self-scored"
    assert str(PRIVATE_OFF)[:5] not in client.get(f"/api/v1/jobs/{job['id']}").text
    subs = client.get("/api/v1/challenges/toy-reg/submissions").json()["submissions"]
    assert [s["number"] for s in subs] == [done["submission_number"]]
    assert subs[0]["public_score"] == 0.25 and subs[0]["note"] == "first try"

    post_code(client, write(tmp_path / "crash.py", CRASH))
    assert executor.run() == ["failed"]
    listed = client.get("/api/v1/jobs").json()["jobs"]
    assert [j["state"] for j in listed] == ["failed", "scored"]  # newest first
    assert listed[0]["failure"] == "crashed" and "KeyError" in listed[0]["reason"]
    assert "<script>alert('x')</script>" in listed[0]["stderr_tail"]  # JSON carries it as is
    assert client.get("/api/v1/jobs", params={"project": "toy-cls"}).json() == {"jobs": []}
    assert len(client.get("/api/v1/jobs", params={"project": "toy-reg"}).json()["jobs"]) == 2


def test_cancel_a_queued_job_once(local: tuple[TestClient, HeldExecutor], tmp_path: Path) -> None:
    client, executor = local
    job = post_code(client, write(tmp_path / "train.py", GOOD)).json()
    cancelled = client.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    again = client.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert executor.run() == ["cancelled"]
    missing = client.get("/api/v1/jobs/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_refusals_come_before_anything_is_stored(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    small = dataclasses.replace(settings, jobs_per_user=1, max_code_kb=1)
    client, executor = api_app(small, catalog)
    with client:
        big = post_code(client, write(tmp_path / "big.py", "# " + "x" * 4000 + "\n"))
        assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
        assert post_code(client, write(tmp_path / "t.py", "print(1)\n")).status_code == 201
        busy = post_code(client, tmp_path / "t.py")
        assert busy.status_code == 429 and busy.json()["error"]["code"] == "quota_exceeded"
        unknown = post_code(client, tmp_path / "t.py", project="nope")
        assert unknown.status_code == 404
        assert len(client.get("/api/v1/jobs").json()["jobs"]) == 1 and len(executor.held) == 1


def test_hosted_jobs_need_a_token_and_belong_to_their_owner(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    client, _ = api_app(hosted(settings), catalog, "http://tr.example")
    with client:
        signup(client, "ada")
        signup(client, "bob")
        ada, bob = bearer(api_token(client, "ada")), bearer(api_token(client, "bob"))
        code = write(tmp_path / "train.py", GOOD)
        assert post_code(client, code).status_code == 401
        job = post_code(client, code, headers=ada).json()
        assert client.get(f"/api/v1/jobs/{job['id']}", headers=bob).status_code == 404
        assert client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=bob).status_code == 404
        assert client.get("/api/v1/jobs", headers=bob).json() == {"jobs": []}
        assert client.get("/api/v1/jobs", headers=ada).json()["jobs"][0]["id"] == job["id"]


def test_the_openapi_document_declares_the_job_routes(
    local: tuple[TestClient, HeldExecutor],
) -> None:
    client, _ = local
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/api/v1/challenges/{project_id}/jobs"]["post"]
    assert "code" in str(post["requestBody"]) and {"201", "409", "413", "429"} <= set(
        post["responses"]
    )
    assert set(paths["/api/v1/jobs/{job_id}"]) == {"get"}
    assert "409" in paths["/api/v1/jobs/{job_id}/cancel"]["post"]["responses"]


# The client and the notebook API against a live server --------------------------------


@pytest.fixture
def live(settings: Settings, catalog: FakeCatalog) -> Iterator[tuple[LiveServer, HeldExecutor]]:
    svc = Service(settings, catalog=catalog)
    executor = HeldExecutor(svc)
    executor.auto = True  # a worker takes each job at once
    with LiveServer(create_app(settings, service=svc, jobs=executor)) as server:
        yield server, executor
    executor.close()


def test_the_client_submits_code_and_waits_for_the_outcome(
    live: tuple[LiveServer, HeldExecutor], settings: Settings, tmp_path: Path
) -> None:
    server, _ = live
    code = write(tmp_path / "train.py", GOOD)
    job = submit_code_to_server(server.url, "toy-reg", code, home=settings.home, wait=True)
    assert job["state"] == "scored" and job["public_score"] == 0.25
    with Client(server.url) as client:
        listed = RemoteLearner(client).jobs("toy-reg")
        assert isinstance(listed[0], JobView) and listed[0].id == job["id"]
        assert listed[0].state == "scored" and listed[0].created_at.tzinfo is not None
        with pytest.raises(Conflict):
            client.cancel_job(job["id"])
        with pytest.raises(NotFound):
            client.job(10**9)


def test_the_notebook_api_sends_code_to_a_server(
    live: tuple[LiveServer, HeldExecutor], tmp_path: Path
) -> None:
    server, _ = live
    summary = tr.submit("toy-reg", code=write(tmp_path / "crash.py", CRASH), server=server.url)
    assert summary.state == "failed" and summary.failure == "crashed"
    shown = repr(summary)
    assert "crashed" in shown and "KeyError" in shown and "stderr" in shown
    table = api.code_jobs("toy-reg", server=server.url)
    assert list(table["state"]) == ["failed"] and table.loc[0, "failure"] == "crashed"


def test_the_notebook_api_runs_code_locally(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api, "_new_service", lambda s: Service(s, catalog=catalog))
    monkeypatch.setattr(runner, "BubblewrapSandbox", BareSandbox)  # the sandbox: test_sandbox*
    monkeypatch.setattr(api, "_SERVICES", {})
    summary = tr.submit("toy-reg", code=write(tmp_path / "train.py", GOOD))
    assert summary.state == "scored" and summary.public_score == 0.25
    assert summary.origin == "self-scored"  # your own machine holds the answer key
    assert "0.25" in repr(summary) and "self-scored" in repr(summary)
    table = api.code_jobs()
    assert list(table["state"]) == ["scored"] and table.loc[0, "submission_number"] == 1
    assert list(tr.submissions("toy-reg")["number"]) == [1]
    with pytest.raises(Exception, match="one of the two"):
        tr.submit("toy-reg")


def test_tr_code_jobs_is_the_notebook_call_even_after_a_code_submission() -> None:
    import trackrecord.jobs.queue  # noqa: F401 (what tr.submit(code=) imports)

    # the package trackrecord.jobs now sits at tr.jobs; the notebook's call has its own name
    assert callable(tr.code_jobs) and tr.code_jobs.__module__ == "trackrecord.api"


def test_wait_for_job_follows_until_the_job_ends_or_time_runs_out() -> None:
    answers = [
        {"id": 1, "state": "queued", "position": 2},
        {"id": 1, "state": "queued", "position": 2},
        {"id": 1, "state": "queued", "position": 1},
        {"id": 1, "state": "running", "position": None},
        {"id": 1, "state": "scored", "position": None},
    ]

    class Fake:
        def __init__(self) -> None:
            self.asked = 0

        def job(self, job_id: int) -> dict[str, Any]:
            self.asked += 1
            return answers[min(self.asked, len(answers)) - 1]

    seen: list[tuple[object, object]] = []
    slept: list[float] = []
    fake = Fake()
    done = wait_for_job(
        fake,  # type: ignore[arg-type]
        1,
        on_change=lambda j: seen.append((j["state"], j["position"])),
        sleep=slept.append,
    )
    assert done["state"] == "scored" and fake.asked == 5 and len(slept) == 4
    assert seen == [("queued", 2), ("queued", 1), ("running", None), ("scored", None)]

    clock = iter([0.0, 1.0, 2.0, 30.0, 31.0])
    stuck = wait_for_job(
        Fake(),  # type: ignore[arg-type]
        1,
        timeout=10,
        sleep=lambda s: None,
        clock=lambda: next(clock),
    )
    assert stuck["state"] == "queued"  # timed out: the last answer, not an error


def test_the_clients_ended_states_are_the_queues() -> None:
    assert frozenset(Q.TERMINAL) == JOB_ENDED


def test_a_stored_token_is_used_for_code(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    svc = Service(hosted(settings), catalog=catalog)
    executor = HeldExecutor(svc)
    app = create_app(hosted(settings), service=svc, jobs=executor)
    with LiveServer(app) as server:
        with TestClient(app, base_url=server.url) as c:
            signup(c, "ada")
            token = api_token(c, "ada")
        code = write(tmp_path / "train.py", GOOD)
        with pytest.raises(Exception, match="trackrecord login --server"):
            submit_code_to_server(server.url, "toy-reg", code, home=settings.home)
        store_token(settings.home, server.url, token, "ada")
        job = submit_code_to_server(server.url, "toy-reg", code, home=settings.home)
        assert job["state"] == "queued" and executor.held == [job["id"]]
