"""Scale-out: the Celery app, the executor, the reaper, and `trackrecord worker`.

The first tests need no server (Celery's in-memory transport, a refused port). The last one
runs the real thing: two `trackrecord worker` processes on the Redis at
TRACKRECORD_TEST_REDIS_URL and a PostgreSQL database, jobs spread over both, one worker
killed with SIGKILL mid-job, and every job still ends (it skips with a reason when a service
is missing, and fails instead when TRACKRECORD_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trackrecord.cli import build_app
from trackrecord.errors import ConfigError
from trackrecord.jobs import celery_app
from trackrecord.jobs.celery_app import TASK_NAME, CeleryExecutor, Reaper, make_app
from trackrecord.settings import Settings

from .conftest import REQUIRE_ENV
from .factories import binary_bundle

runner = CliRunner()


def memory_settings(tmp_path: Path, **changes: Any) -> Settings:
    values: dict[str, Any] = {"broker_url": "memory://", "job_queue": "q-test"}
    return Settings(home=tmp_path, **(values | changes))


def test_the_app_acks_late_requeues_on_a_lost_worker_and_prefetches_one(tmp_path: Path) -> None:
    app = make_app(memory_settings(tmp_path), worker_name="w1")
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_default_queue == "q-test"
    assert conf.accept_content == ["json"]
    assert TASK_NAME in app.tasks


def test_no_broker_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TRACKRECORD_BROKER_URL"):
        make_app(Settings(home=tmp_path))


def test_submit_sends_only_the_job_id_to_the_settings_queue(tmp_path: Path) -> None:
    settings = memory_settings(tmp_path, job_queue="q-submit")
    executor = CeleryExecutor(settings)
    executor.submit(41)
    executor.submit(42)
    with executor.app.connection_for_read() as conn:
        queue = conn.SimpleQueue("q-submit")
        bodies = []
        for _ in range(2):
            message = queue.get(timeout=5)
            assert message.headers["task"] == TASK_NAME
            bodies.append(message.decode())
            message.ack()
        queue.close()
    args = [body[0] for body in bodies]  # Celery's protocol 2: [args, kwargs, embed]
    assert args == [[41], [42]]
    assert all(body[1] == {} for body in bodies)
    executor.close()


def test_submit_to_an_unreachable_broker_says_so_without_the_password(tmp_path: Path) -> None:
    settings = memory_settings(tmp_path, broker_url="redis://:hunter2@127.0.0.1:1/0")
    executor = CeleryExecutor(settings)
    with pytest.raises(ConfigError, match=r"job 7 is recorded but not yet queued") as err:
        executor.submit(7)
    assert "127.0.0.1:1" in err.value.message
    assert "hunter2" not in err.value.message
    executor.close()


def test_the_task_runs_the_job_by_id_under_the_worker_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trackrecord.jobs import runner as jobs_runner

    calls: list[tuple[Any, int, str]] = []

    def run_job(target: Any, job_id: int, worker_name: str) -> str:
        calls.append((target, job_id, worker_name))
        return "scored"

    sentinel = object()
    monkeypatch.setattr(jobs_runner, "run_job", run_job)
    monkeypatch.setattr(celery_app, "_service", lambda cache, settings: sentinel)
    app = make_app(memory_settings(tmp_path), worker_name="bench-1")
    assert app.tasks[TASK_NAME](12) == "scored"
    assert calls == [(sentinel, 12, "bench-1")]


def test_the_reaper_reports_what_its_round_put_back() -> None:
    reaper = Reaper(lambda: (3, 5), every=60)
    assert reaper.tick() == [3, 5]


def test_a_failed_reaper_round_does_not_stop_the_next_one() -> None:
    rounds: list[int] = []
    second = threading.Event()

    def reap() -> list[int]:
        rounds.append(1)
        if len(rounds) == 1:
            raise RuntimeError("database restarting")
        second.set()
        return []

    reaper = Reaper(reap, every=0.01)
    reaper.start()
    try:
        assert second.wait(timeout=10), "the reaper stopped after a failed round"
    finally:
        reaper.stop()


def worker_cli(*args: str) -> Any:
    return runner.invoke(build_app(("worker_cli",)), ["worker", *args])


def test_worker_without_a_broker_says_how_to_set_one(home: Path) -> None:
    result = worker_cli()
    assert result.exit_code == 1
    assert "no job broker: pass --broker or set TRACKRECORD_BROKER_URL" in result.output


def test_worker_with_an_unreachable_broker_fails_at_once(home: Path) -> None:
    result = worker_cli("--broker", "redis://:hunter2@127.0.0.1:1/0", "--name", "w")
    assert result.exit_code == 1, result.output
    assert "cannot reach the job broker at redis://:**@127.0.0.1:1/0" in result.output
    assert "hunter2" not in result.output


def test_worker_on_an_unmigrated_database_says_to_upgrade(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(celery_app, "check_broker", lambda app, settings: None)
    result = worker_cli("--broker", "memory://", "--database-url", f"sqlite:///{home}/new.db")
    assert result.exit_code == 1, result.output
    assert "run `trackrecord db upgrade`" in result.output


# Two real workers, one killed mid-job ------------------------------------------------------

REDIS_ENV = "TRACKRECORD_TEST_REDIS_URL"
SLUG = "binary-demo"  # tests/factories.py: binary labels no/yes, scored by ROC AUC
# A small training script: long enough (a few seconds) to be killed in the middle of it.
SCRIPT = """\
import os, time

import pandas as pd
from sklearn.linear_model import LogisticRegression

src, out = os.environ["TRACKRECORD_INPUT"], os.environ["TRACKRECORD_OUTPUT"]
train = pd.read_csv(os.path.join(src, "train.csv"))
test = pd.read_csv(os.path.join(src, "test.csv"))
model = LogisticRegression().fit(train[["x"]], train["y"])
time.sleep(4)
proba = model.predict_proba(test[["x"]])[:, list(model.classes_).index("yes")]
submission = pd.DataFrame({"id": test["id"], "y": proba})
submission.to_csv(os.path.join(out, "submission.csv"), index=False)
"""


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if url:
        return url
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {REDIS_ENV} is not set: Redis is required")
    pytest.skip(f"Redis tests need {REDIS_ENV} (e.g. redis://127.0.0.1:6379/0)")


@pytest.fixture
def queue(redis_url: str) -> Iterator[str]:
    """A queue of this test's own, and afterwards no trace of it on the broker (the killed
    worker's message waits among the unacknowledged ones until the visibility timeout)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except Exception as exc:  # the server is down or refuses us
        if os.environ.get(REQUIRE_ENV) == "1":
            raise
        pytest.skip(f"Redis at {REDIS_ENV} is not reachable: {exc}")
    name = f"trackrecord-test-{uuid.uuid4().hex}"
    yield name
    client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
    for tag, value in client.hgetall("unacked").items():
        with contextlib.suppress(ValueError, IndexError):
            if json.loads(value)[2] == name:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    client.close()


def sandbox_or_skip() -> None:
    from trackrecord.jobs.sandbox import unavailable

    reason = unavailable()
    if reason and os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but the sandbox cannot run here: {reason}")
    if reason:
        pytest.skip(f"the sandbox cannot run here: {reason}")


def seed(svc: Any, dest: Path) -> int:
    """A hosted challenge that accepts code, and a learner; returns the learner's id."""
    from trackrecord.store.models import User

    bundle = binary_bundle(dest / SLUG)
    with svc.session(write_lock=True) as s:
        host, learner = User(username="host", role="host"), User(username="ada", role="learner")
        s.add_all([host, learner])
        s.flush()
        host_id, learner_id = host.id, learner.id
    svc.add_challenge(bundle.root, created_by=host_id, per_day=100)
    with svc.session(write_lock=True) as s:
        svc.challenge_row(s, SLUG).accepts_code = True
    return int(learner_id)


def enqueue_script(svc: Any, learner: int, name: str) -> int:
    """A job recorded in the database only (no message sent)."""
    from trackrecord.jobs.queue import enqueue

    settings = svc.settings
    with svc.session(write_lock=True) as s:
        job = enqueue(
            s, user_id=learner, challenge_id=svc.challenge_row(s, SLUG).id, code=SCRIPT.encode(),
            filename=name, now=svc.now(), max_code_bytes=settings.max_code_bytes,
            per_user=settings.jobs_per_user,
        )  # fmt: skip
        s.flush()
        return int(job.id)


@pytest.mark.redis
def test_a_queued_job_whose_message_was_lost_is_sent_again_once(
    tmp_path: Path, redis_url: str, queue: str
) -> None:
    from trackrecord.service import Service

    settings = Settings(
        home=tmp_path / "home", broker_url=redis_url, job_queue=queue, job_lease_seconds=1
    )
    with Service(settings) as svc:
        learner = seed(svc, tmp_path / "bundles")
        lost = enqueue_script(svc, learner, "lost.py")  # the broker never heard of it
        carried = enqueue_script(svc, learner, "carried.py")
        app = make_app(settings)
        CeleryExecutor(settings, app=app).submit(carried)
        assert celery_app.queued_in_broker(app, queue) == {carried}
        time.sleep(1.5)  # both have now waited longer than a lease
        one_round = celery_app.sweeper(app, svc.engine, settings)
        assert list(one_round()) == []  # nothing was running: no lease expired
        assert celery_app.queued_in_broker(app, queue) == {lost, carried}
        one_round()
        with app.connection_for_read() as conn:
            assert conn.default_channel.client.llen(queue) == 2  # no second copy of either
        app.close()


@dataclass
class Worker:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace").splitlines()
        return f"--- {self.name} ---\n" + "\n".join(text[-lines:])


def start_worker(name: str, env: dict[str, str], logs: Path) -> Worker:
    log = logs / f"{name}.log"
    command = [sys.executable, "-m", "trackrecord", "worker", "--concurrency", "1", "--name", name]
    with log.open("wb") as out:
        # A session of its own: SIGKILL to the group takes the worker and its pool process
        # at once, as when a machine dies.
        proc = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=out, stderr=out, start_new_session=True
        )
    return Worker(name, proc, log)


def wait_until(what: str, check: Callable[[], bool], workers: list[Worker], limit: float) -> None:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(
                f"{what}: not within {limit:.0f} s\n" + "\n".join(w.tail() for w in workers)
            )
        time.sleep(0.1)


def jobs_of(svc: Any, ids: list[int]) -> dict[int, Any]:
    from sqlalchemy import select

    from trackrecord.store.models import Job

    with svc.reading() as s:
        rows = s.execute(
            select(Job.id, Job.state, Job.worker, Job.attempts, Job.reason).where(Job.id.in_(ids))
        ).all()
    return {row.id: row for row in rows}


def node(job: Any) -> str:
    """The worker name a job row records (the runner adds `:run-token`)."""
    return str(job.worker or "").split(":")[0]


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_share_the_jobs_and_a_killed_one_loses_none(
    tmp_path: Path, postgres_url: str, redis_url: str, queue: str
) -> None:
    from trackrecord.jobs.queue import TERMINAL
    from trackrecord.service import Service
    from trackrecord.settings import load_settings

    sandbox_or_skip()
    home = tmp_path / "home"
    env = {
        "TRACKRECORD_HOME": str(home),
        "TRACKRECORD_DATABASE_URL": postgres_url,
        "TRACKRECORD_HOSTED": "1",
        "TRACKRECORD_JOB_EXECUTOR": "celery",
        "TRACKRECORD_BROKER_URL": redis_url,
        "TRACKRECORD_JOB_QUEUE": queue,
        "TRACKRECORD_JOB_LEASE_SECONDS": "3",  # a dead worker's job is back within seconds
        "TRACKRECORD_JOBS_PER_USER": "100",
    }
    settings = load_settings(environ=env)
    svc = Service(settings)  # migrates the database the workers will use
    executor = CeleryExecutor(settings)
    workers = [start_worker(f"w{i}-{uuid.uuid4().hex[:6]}", env, tmp_path) for i in (1, 2)]
    a, b = workers
    try:
        learner = seed(svc, tmp_path / "bundles")
        ping = make_app(settings)
        nodes = {f"{w.name}@{socket.gethostname()}" for w in workers}

        def ready() -> bool:
            assert all(w.proc.poll() is None for w in workers), "a worker exited at start-up"
            replies = ping.control.ping(destination=sorted(nodes), timeout=1.0) or []
            return nodes <= {name for reply in replies for name in reply}

        wait_until("both workers answer", ready, workers, 120)
        ping.close()

        ids = [enqueue_script(svc, learner, f"train{i}.py") for i in range(5)]
        for job_id in ids:
            executor.submit(job_id)

        # Let the first worker score a job, then kill it (and its pool process) early in
        # its next one: the job is running under its name, its lease just renewed.
        victim: list[int] = []

        def a_is_running_a_second_job() -> bool:
            jobs = jobs_of(svc, ids).values()
            scored = [j for j in jobs if j.state == "scored" and node(j) == a.name]
            running = [j.id for j in jobs if j.state == "running" and node(j) == a.name]
            victim[:] = running
            return bool(scored and running)

        wait_until("worker 1 scored one job and started another", a_is_running_a_second_job,
                   workers, 180)  # fmt: skip
        os.killpg(a.proc.pid, signal.SIGKILL)
        a.proc.wait(timeout=30)

        def all_ended() -> bool:
            return all(j.state in TERMINAL for j in jobs_of(svc, ids).values())

        wait_until("every job ended", all_ended, [b], 240)
        jobs = jobs_of(svc, ids)
        report = "\n".join(map(str, jobs.values())) + "\n" + b.tail()
        assert sorted(jobs) == sorted(ids), report  # no job lost
        assert all(j.state == "scored" for j in jobs.values()), report
        assert {node(j) for j in jobs.values()} == {a.name, b.name}, report  # spread over both
        killed = jobs[victim[0]]
        assert node(killed) == b.name and killed.attempts == 2, report  # run again, by b
    finally:
        for w in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(w.proc.pid, signal.SIGTERM)
        for w in workers:
            try:
                w.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(w.proc.pid, signal.SIGKILL)
                w.proc.wait()
        executor.close()
        svc.close()
