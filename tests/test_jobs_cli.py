"""`trackrecord submit ID --code FILE [--wait]` and `trackrecord jobs [ID]` through the CLI
runner, on the personal install (the toy catalog, a fake sandbox), and with --server
against a hosted server in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FakeCatalog
from tests.test_jobs import FakeSandbox, perfect
from trackrecord.cli import app, jobs_cli
from trackrecord.jobs.runner import run_job
from trackrecord.service import Service
from trackrecord.settings import Settings

runner = CliRunner()
SCRIPT = "import pandas as pd\nprint('training...')\n"


class Recorder:
    """A background executor that only notes what it was given."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)

    def close(self) -> None:
        pass


@pytest.fixture
def background(cli_catalog: FakeCatalog, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recorder = Recorder()
    monkeypatch.setattr(jobs_cli, "background_executor", lambda settings: recorder)
    monkeypatch.setattr(jobs_cli, "job_sandbox", lambda: FakeSandbox(perfect))
    yield recorder


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def script(tmp_path: Path, text: str = SCRIPT, name: str = "train.py") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_submit_code_queues_and_says_how_to_follow(
    background: Recorder, home: Path, tmp_path: Path
) -> None:
    code, out, _ = run("submit", "toy-reg", "--code", script(tmp_path))
    assert code == 0, out
    assert "Job 1 queued for toy-reg, #1 in line" in out and "`trackrecord jobs 1`" in out
    assert background.submitted == [1]  # handed to the background run
    code, out, _ = run("jobs", "1", "--json")
    job = json.loads(out)
    assert (job["state"], job["position"], job["code_filename"]) == ("queued", 1, "train.py")
    assert background.submitted == [1]  # listing right away starts no second run
    code, out, _ = run("jobs", "--json")
    assert [j["id"] for j in json.loads(out)] == [1]
    code, out, _ = run("jobs", "1", "--cancel")
    assert code == 0 and "cancelled" in out
    code, _, err = run("jobs", "1", "--cancel")
    assert code == 1 and "only a queued job can be cancelled" in err


def test_submit_code_wait_runs_the_job_and_prints_its_result(
    background: Recorder, home: Path, tmp_path: Path
) -> None:
    code, out, _ = run("submit", "toy-reg", "--code", script(tmp_path), "--wait", "--json")
    assert code == 0, out
    job = json.loads(out)
    assert (job["state"], job["submission_number"], job["public_score"]) == ("scored", 1, 0.0)
    assert job["environment"] == {"python": "3.11.0", "numpy": "1.0"}
    assert background.submitted == []  # it ran here
    code, out, _ = run("jobs", "1")
    assert "scored" in out and "#1, public 0" in out and "self-scored" in out
    code, out, _ = run("submissions", "toy-reg", "--json")
    assert [s["status"] for s in json.loads(out)] == ["scored"]  # counts like an upload
    code, out, _ = run("jobs", "toy-reg")
    assert code == 0 and "train.py" in out and "scored" in out


def test_a_failed_job_exits_1_with_its_reason_and_stderr(
    background: Recorder, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = FakeSandbox(
        status="crashed", stderr="Traceback (most recent call last):\nValueError: bad\n"
    )
    monkeypatch.setattr(jobs_cli, "job_sandbox", lambda: crash)
    code, out, _ = run("submit", "toy-reg", "--code", script(tmp_path), "--wait")
    assert code == 1
    assert "failed (crashed)" in out and "crashed: exited with code 1: ValueError: bad" in out
    assert "Last lines of its error output" in out and "Traceback" in out
    code, out, _ = run("jobs")
    assert "job 1 failed: crashed: exited with code 1" in out


def test_bad_code_and_bad_usage_are_refused(
    background: Recorder, home: Path, tmp_path: Path
) -> None:
    code, _, err = run("submit", "toy-reg", "--code", script(tmp_path, "x = (\n"))
    assert code == 1 and "not valid Python" in err and "line 1" in err
    assert background.submitted == []
    code, _, err = run("submit", "toy-reg", "--code", script(tmp_path, "1", "model.R"))
    assert code == 1 and "Python script (.py)" in err
    code, _, err = run("submit", "toy-reg")
    assert code == 2 and "--code" in err
    code, _, err = run("submit", "toy-reg", "a.csv", "--code", script(tmp_path))
    assert code == 2
    code, _, err = run("submit", "toy-reg", "a.csv", "--wait")
    assert code == 2 and "--wait goes with --code" in err
    code, _, err = run("jobs", "toy-reg", "--cancel")
    assert code == 2
    code, _, err = run("jobs", "nope")
    assert code == 1 and "nope" in err
    code, out, _ = run("jobs")
    assert code == 0 and "No code submissions yet" in out


def test_jobs_sweeps_a_job_whose_worker_died(
    background: Recorder, home: Path, tmp_path: Path, catalog: FakeCatalog
) -> None:
    """A job left running by a worker that died is queued again and run in the background
    when the learner looks at their jobs."""
    from datetime import timedelta

    run("submit", "toy-reg", "--code", script(tmp_path))
    with Service(Settings(home=home), catalog=catalog) as svc:
        from trackrecord.jobs import queue as Q

        with svc.session(write_lock=True) as s:
            assert Q.claim(s, 1, "dead-worker", 60, svc.now() - timedelta(seconds=120))
    background.submitted.clear()
    code, out, _ = run("jobs", "1", "--json")
    job = json.loads(out)
    assert code == 0 and (job["state"], job["attempts"]) == ("queued", 1)
    assert background.submitted == [1]
    with Service(Settings(home=home), catalog=catalog) as svc:
        assert run_job(svc, 1, "w", sandbox=FakeSandbox(perfect)) == "scored"


# --server: the same commands against a hosted server (in-process) -----------------------

URL = "http://tr.example"


class ServerWorker:
    """The server's executor in these tests: runs each job at once in the server's own
    Service with the fake sandbox (or, with `hold`, only keeps it queued)."""

    def __init__(self) -> None:
        self.svc: Service | None = None
        self.hold = False

    def submit(self, job_id: int) -> None:
        if not self.hold:
            assert self.svc is not None
            run_job(self.svc, job_id, "server-worker", sandbox=FakeSandbox(perfect))

    def close(self) -> None:
        pass


def test_submit_code_and_jobs_through_a_server(
    settings: Settings, cli_catalog: FakeCatalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_web_support import api_token, client_for, hosted, signup
    from trackrecord import client

    worker = ServerWorker()
    with client_for(hosted(settings), cli_catalog, base_url=URL, jobs=worker) as tc:
        worker.svc = tc.app.state.web.service  # type: ignore[attr-defined]
        signup(tc, "ada")
        client_home = tmp_path / "client-home"
        client.store_token(client_home, URL, api_token(tc, "ada"), "ada")
        connect = client.connect

        def in_process(server: str, *, home: Path, transport: object = None) -> client.Client:
            return connect(server, home=home, transport=tc._transport)

        monkeypatch.setattr(client, "connect", in_process)
        there = ("--server", URL, "--home", str(client_home))
        code, out, err = run("submit", "toy-reg", "--code", script(tmp_path), "--wait",
                             "--json", *there)  # fmt: skip
        assert code == 0, err
        job = json.loads(out)
        assert (job["state"], job["origin"], job["submission_number"]) == (
            "scored", "reproduced", 1)  # fmt: skip
        worker.hold = True
        code, out, _ = run("submit", "toy-reg", "--code", script(tmp_path), *there)
        assert code == 0 and "Job 2 queued for toy-reg, #1 in line" in out
        assert f"`trackrecord jobs 2 --server {URL}`" in out
        code, out, _ = run("jobs", "--json", *there)
        listed = [(j["id"], j["state"], j["position"]) for j in json.loads(out)]
        assert code == 0 and listed == [(2, "queued", 1), (1, "scored", None)]
        code, out, _ = run("jobs", "toy-reg", *there)
        assert code == 0 and "train.py" in out and "scored" in out
        code, out, _ = run("jobs", "2", "--cancel", "--json", *there)
        assert code == 0 and json.loads(out)["state"] == "cancelled"
        code, _, err = run("jobs", "99", *there)
        assert code == 1 and "no job 99" in err
