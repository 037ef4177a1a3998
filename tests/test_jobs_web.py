"""Code submissions on the project page: the Code card (only where code is taken), uploading
a script, the jobs list with state, queue position and Cancel, the list the page's script
polls, failures with their escaped stderr tail, and ownership in hosted mode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trackrecord.bundle import Bundle
from trackrecord.service import Service
from trackrecord.service import jobs as service_jobs
from trackrecord.settings import Settings
from trackrecord.web import create_app

from .conftest import FakeCatalog
from .jobs_web_support import CRASH, GOOD, HeldExecutor, write
from .test_web_support import LOCAL, PRIVATE_OFF, bundle_zip, csrf, hosted, signup, signup_admin

PRIVATE = [f"{PRIVATE_OFF:.6g}", f"{PRIVATE_OFF:.4f}"]


def app_with(
    settings: Settings, catalog: FakeCatalog, base_url: str = LOCAL
) -> tuple[TestClient, HeldExecutor]:
    svc = Service(settings, catalog=catalog)
    executor = HeldExecutor(svc)
    app = create_app(settings, service=svc, jobs=executor)
    return TestClient(app, base_url=base_url, raise_server_exceptions=False), executor


@pytest.fixture
def personal(settings: Settings, catalog: FakeCatalog) -> Iterator[tuple[TestClient, HeldExecutor]]:
    client, executor = app_with(settings, catalog)
    with client:
        yield client, executor


@pytest.fixture
def hosted_app(
    settings: Settings, catalog: FakeCatalog
) -> Iterator[tuple[TestClient, HeldExecutor]]:
    client, executor = app_with(hosted(settings), catalog, "http://tr.example")
    with client:
        yield client, executor


def send(client: TestClient, project: str, path: Path, note: str | None = None) -> object:
    data = {"csrf_token": csrf(client, f"/projects/{project}")}
    if note:
        data["code_note"] = note
    with path.open("rb") as fh:
        return client.post(
            f"/projects/{project}/code",
            data=data,
            files={"code": (path.name, fh, "text/x-python")},
            follow_redirects=False,
        )


def row(html: str, job_id: int) -> str:
    found = re.search(rf'<tr id="job-{job_id}".*?</tr>', html, re.S)
    assert found, f"no row for job {job_id}"
    return found.group(0)


def test_a_script_is_queued_then_scored_and_the_list_says_so(
    personal: tuple[TestClient, HeldExecutor], tmp_path: Path
) -> None:
    client, executor = personal
    page = client.get("/projects/toy-reg")
    assert 'id="jobs"' in page.text and 'action="/projects/toy-reg/code"' in page.text
    assert "No code sent yet." in page.text

    answer = send(client, "toy-reg", write(tmp_path / "train.py", GOOD), note="forest v1")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    job_id = executor.held[0]  # handed to the executor once stored
    assert answer.headers["location"] == f"/projects/toy-reg#job-{job_id}"  # type: ignore[attr-defined]

    page = client.get("/projects/toy-reg").text
    queued = row(page, job_id)
    assert "train.py" in queued and "forest v1" in queued and "1st in the queue" in queued
    assert 'data-state="queued"' in queued and "Cancel" in queued
    assert 'data-poll="/projects/toy-reg/jobs"' in page  # the script asks again

    assert executor.run() == ["scored"]
    fragment = client.get("/projects/toy-reg/jobs")
    assert fragment.status_code == 200 and fragment.headers["cache-control"] == "no-store"
    assert "<html" not in fragment.text and "data-poll" not in fragment.text  # all ended
    scored = row(fragment.text, job_id)
    assert 'data-state="scored"' in scored and "0.25" in scored and "public split" in scored
    assert "submission #1" in scored and "Cancel" not in scored
    page = client.get("/projects/toy-reg").text
    assert 'id="sub-1"' in page  # the job's file is in the history like an upload
    assert not any(p in page for p in PRIVATE)  # public score only, private lines withheld


def test_a_crash_shows_its_reason_and_the_escaped_stderr_tail(
    personal: tuple[TestClient, HeldExecutor], tmp_path: Path
) -> None:
    client, executor = personal
    send(client, "toy-reg", write(tmp_path / "crash.py", CRASH))
    assert executor.run() == ["failed"]
    failed = row(client.get("/projects/toy-reg/jobs").text, executor_job(client))
    assert 'data-state="failed"' in failed and "crashed" in failed
    assert "KeyError: &#39;Age&#39;" in failed  # the reason quotes the last line
    assert '<pre class="stderr">' in failed and "Traceback" in failed
    # untrusted output is text: no tag of it reaches the page
    assert "<script>alert" not in failed and "<b>features</b>" not in failed
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in failed


def executor_job(client: TestClient) -> int:
    svc = client.app.state.web.service  # type: ignore[attr-defined]
    jobs = service_jobs.list_jobs(svc, svc.local_user_id(), "toy-reg")
    return jobs[0].id


def test_a_queued_job_can_be_cancelled_a_finished_one_cannot(
    personal: tuple[TestClient, HeldExecutor], tmp_path: Path
) -> None:
    client, executor = personal
    code = write(tmp_path / "train.py", GOOD)
    send(client, "toy-reg", code)
    first = executor.held[0]
    token = csrf(client, "/projects/toy-reg")
    done = client.post(
        f"/projects/toy-reg/jobs/{first}/cancel", data={"csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/projects/toy-reg#jobs"
    cancelled = row(client.get("/projects/toy-reg").text, first)
    assert 'data-state="cancelled"' in cancelled and "Cancel<" not in cancelled
    assert executor.run() == ["cancelled"]  # a cancelled job is never run

    send(client, "toy-reg", code)
    second = executor.held[0]
    assert executor.run() == ["scored"]
    token = csrf(client, "/projects/toy-reg")
    refused = client.post(f"/projects/toy-reg/jobs/{second}/cancel", data={"csrf_token": token})
    assert refused.status_code == 409
    assert 'id="code-error"' in refused.text and 'data-state="scored"' in row(refused.text, second)


def test_the_per_user_limit_is_shown_next_to_the_form(
    settings: Settings, catalog: FakeCatalog, tmp_path: Path
) -> None:
    client, executor = app_with(_with(settings, jobs_per_user=1), catalog)
    with client:
        code = write(tmp_path / "train.py", GOOD)
        assert send(client, "toy-reg", code).status_code == 303  # type: ignore[attr-defined]
        refused = send(client, "toy-reg", code)
        assert refused.status_code == 429  # type: ignore[attr-defined]
        text = refused.text  # type: ignore[attr-defined]
        assert 'id="code-error"' in text and "1 code submission(s) queued or running" in text
        assert len(executor.held) == 1  # nothing stored for the refused one
        assert len(service_jobs.list_jobs(executor.svc, executor.svc.local_user_id())) == 1


def _with(settings: Settings, **changes: object) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def test_not_a_script_is_refused_with_the_reason(
    personal: tuple[TestClient, HeldExecutor], tmp_path: Path
) -> None:
    client, executor = personal
    answer = send(client, "toy-reg", write(tmp_path / "data.csv", "id,y\n1,2\n"))
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert 'id="code-error"' in answer.text  # type: ignore[attr-defined]
    assert executor.held == []


def test_hosted_jobs_are_their_owners_and_forms_need_the_csrf_token(
    hosted_app: tuple[TestClient, HeldExecutor], tmp_path: Path
) -> None:
    client, executor = hosted_app
    signup(client, "ada")
    send(client, "toy-reg", write(tmp_path / "train.py", GOOD))
    job_id = executor.held[0]
    with code_of(tmp_path) as fh:
        forged = client.post(
            "/projects/toy-reg/code", files={"code": ("x.py", fh)}, follow_redirects=False
        )
    assert forged.status_code == 403  # no CSRF token
    no_token = client.post(f"/projects/toy-reg/jobs/{job_id}/cancel", follow_redirects=False)
    assert no_token.status_code == 403

    client.cookies.clear()
    signup(client, "bob")
    assert f'id="job-{job_id}"' not in client.get("/projects/toy-reg/jobs").text
    token = csrf(client, "/projects/toy-reg")
    theirs = client.post(f"/projects/toy-reg/jobs/{job_id}/cancel", data={"csrf_token": token})
    assert theirs.status_code == 404
    client.cookies.clear()
    assert client.get("/projects/toy-reg/jobs", follow_redirects=False).status_code == 303


def code_of(tmp_path: Path):  # type: ignore[no-untyped-def]
    return write(tmp_path / "x.py", GOOD).open("rb")


def test_a_hosts_challenge_shows_the_code_card_only_when_it_takes_code(
    hosted_app: tuple[TestClient, HeldExecutor], bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    client, executor = hosted_app
    signup_admin(client, "teacher")
    archive = bundle_zip(bundles["toy-reg"], tmp_path / "class.zip", new_id="class-reg")
    token = csrf(client, "/host")
    with archive.open("rb") as fh:
        made = client.post(
            "/host/challenges",
            data={"csrf_token": token},
            files={"bundle": ("class.zip", fh, "application/zip")},
            follow_redirects=False,
        )
    assert made.status_code == 303, made.text[:500]
    assert 'id="jobs"' not in client.get("/projects/class-reg").text  # off by default
    refused = send(client, "class-reg", write(tmp_path / "train.py", GOOD))
    assert refused.status_code == 409 and 'id="code-error"' in refused.text  # type: ignore[attr-defined]
    assert executor.held == []

    host_page = client.get("/host/challenges/class-reg").text  # the host's switch, off
    assert 'action="/host/challenges/class-reg/code"' in host_page
    assert 'name="accepts_code" value="on" >' in host_page
    switched = client.post(
        "/host/challenges/class-reg/code",
        data={"csrf_token": csrf(client, "/host/challenges/class-reg"), "accepts_code": "on"},
        follow_redirects=False,
    )
    assert switched.status_code == 303, switched.text[:300]
    assert 'value="on" checked' in client.get("/host/challenges/class-reg").text
    assert 'action="/projects/class-reg/code"' in client.get("/projects/class-reg").text
    assert send(client, "class-reg", tmp_path / "train.py").status_code == 303  # type: ignore[attr-defined]
    assert executor.run() == ["scored"]
    job = service_jobs.list_jobs(executor.svc, _uid(client), "class-reg")[0]
    assert job.origin == "reproduced"  # re-run by the host: the strongest origin
    assert "reproduced" in row(client.get("/projects/class-reg/jobs").text, job.id)


def _uid(client: TestClient) -> int:
    return int(client.get("/api/v1/me", headers=_bearer(client)).json()["user"]["id"])


def _bearer(client: TestClient) -> dict[str, str]:
    from .test_web_support import PASSWORD

    answer = client.post("/api/v1/tokens", json={"username": "teacher", "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_the_app_starts_and_stops_its_executor(settings: Settings, catalog: FakeCatalog) -> None:
    from trackrecord.jobs.local import LocalExecutor

    app = create_app(settings, catalog=catalog)
    assert app.state.jobs is None  # not before the server starts
    with TestClient(app, base_url=LOCAL):
        executor = app.state.jobs
        assert isinstance(executor, LocalExecutor)
    assert app.state.jobs is None and executor._stop.is_set()  # stopped with the server
