"""Scale-out: Celery workers that take job ids from a Redis broker (`trackrecord worker`).

The database is the source of truth for every job (state, lease, attempts, worker); a queue
message carries nothing but the job's id, and the task only calls the jobs core's
`run_job`, which claims the job first and refuses one that is no longer queued. So a
message delivered twice (the broker's redelivery, the reaper's re-send) runs its job once,
and a message for a cancelled job does nothing. What makes a killed worker lose no job:

- late acknowledgement: a message is acknowledged when its task ends, not when it is taken;
- reject on worker lost: a pool process that dies mid-task (killed, out of memory) puts its
  message back on the queue at once;
- prefetch 1: a worker reserves only the job it is about to run, never a backlog that would
  wait behind a dead worker;
- the reaper: every worker, every third of a lease, hands jobs whose lease expired (their
  worker died with its machine, so no redelivery comes until the broker's visibility
  timeout) back to the queue (run once more, then failed "worker lost"), and sends again the
  queued jobs that have no message on the broker (a submit while the broker was down, a
  Redis that lost its data). Every worker does this, so no web server needs to run.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from celery import Celery
from kombu.utils.url import maybe_sanitize_url

from trackrecord.errors import ConfigError
from trackrecord.jobs.queue import reap_due
from trackrecord.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from trackrecord.service import Service

TASK_NAME = "trackrecord.jobs.run"
# How long connecting to, or publishing on, the broker may take before we give up with a
# clear error instead of hanging (Redis' own default is to wait forever).
BROKER_TIMEOUT_S = 5.0
NO_BROKER = "no job broker: pass --broker or set TRACKRECORD_BROKER_URL (e.g. redis://HOST:6379/0)"
log = logging.getLogger(__name__)


def make_app(settings: Settings, *, worker_name: str | None = None) -> Celery:
    """The Celery app of these settings: the broker, the queue, and the one task."""
    if not settings.broker_url:
        raise ConfigError(NO_BROKER)
    app = Celery("trackrecord", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=settings.job_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,  # the job row is the result
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        broker_connection_timeout=BROKER_TIMEOUT_S,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "socket_connect_timeout": BROKER_TIMEOUT_S,
            "socket_timeout": BROKER_TIMEOUT_S * 6,
        },
    )
    app.task(name=TASK_NAME, ignore_result=True, shared=False)(_task(settings, worker_name))
    return app


def _task(settings: Settings, worker_name: str | None) -> Callable[[int], str]:
    services: dict[int, Service] = {}  # the pool processes inherit this closure by fork

    def run(job_id: int) -> str:
        """Run one job: all of it (claim, sandbox, scoring, state) is the jobs core's."""
        from trackrecord.jobs.runner import run_job

        name = worker_name or default_worker_name()
        state = str(run_job(_service(services, settings), int(job_id), name))
        log.info("job %s: %s", job_id, state)
        return state

    return run


def _service(cache: dict[int, Service], settings: Settings) -> Service:
    """One Service per pool process, made in that process: database connections must not
    cross a fork."""
    from trackrecord.service import Service

    pid = os.getpid()
    if pid not in cache:
        cache.clear()
        cache[pid] = Service(settings, migrate=False)
    return cache[pid]


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def broker_display(settings: Settings) -> str:
    """The broker URL without its password, for messages and logs."""
    return str(maybe_sanitize_url(settings.broker_url or ""))


def check_broker(app: Celery, settings: Settings) -> None:
    """Connect to the broker once, or raise a ConfigError that says which and why."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_S)
    except Exception as exc:  # kombu wraps each transport's own errors differently
        raise ConfigError(
            f"cannot reach the job broker at {broker_display(settings)}: {exc}"
        ) from None


class CeleryExecutor:
    """The jobs core's Executor protocol over Celery: `submit` sends the job id to the
    queue; whichever worker takes it runs the job."""

    def __init__(self, settings: Settings, *, app: Celery | None = None) -> None:
        self.settings = settings
        self.app = app or make_app(settings)

    def submit(self, job_id: int) -> None:
        try:
            self.app.send_task(
                TASK_NAME,
                args=(int(job_id),),
                queue=self.settings.job_queue,
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
            )
        except Exception as exc:  # kombu's OperationalError, or the transport's own
            raise ConfigError(
                f"job {job_id} is recorded but not yet queued: the job broker at "
                f"{broker_display(self.settings)} did not answer ({exc}); the workers send it "
                "once the broker answers again"
            ) from None

    def close(self) -> None:
        self.app.close()


class Reaper:
    """Runs `sweep` (one round: returns the job ids it put back on the queue) every `every`
    seconds on a daemon thread. A failed round is logged and the next one tries again."""

    def __init__(self, sweep: Callable[[], Sequence[int]], every: float) -> None:
        self.sweep, self.every = sweep, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="trackrecord-reaper", daemon=True)

    def tick(self) -> list[int]:
        requeued = list(self.sweep())
        if requeued:
            log.warning("lease expired: job(s) %s back on the queue", requeued)
        return requeued

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.tick()
            except Exception:  # the database or broker is away: try again next round
                log.exception("reaping expired job leases failed")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 1)


def queued_in_broker(app: Celery, queue: str) -> set[int] | None:
    """The job ids whose messages wait in `queue` (None: a broker other than Redis, whose
    queue cannot be read without taking the messages)."""
    with app.connection_for_read() as conn:
        if conn.transport.driver_type != "redis":
            return None
        raw = conn.default_channel.client.lrange(queue, 0, -1)
    ids: set[int] = set()
    for item in raw:
        try:
            message = json.loads(item)
            if message.get("headers", {}).get("task") != TASK_NAME:
                continue
            body = message["body"]
            if message.get("properties", {}).get("body_encoding") == "base64":
                body = base64.b64decode(body)
            ids.add(int(json.loads(body)[0][0]))
        except (ValueError, KeyError, IndexError, TypeError):
            continue  # not one of ours
    return ids


def sweeper(app: Celery, engine: Engine, settings: Settings) -> Callable[[], Sequence[int]]:
    """One round of a worker's reaper: expired leases back to the queue (run once more, or
    failed "worker lost"), and queued jobs whose message is missing from the broker (a
    submit while the broker was down, a Redis restart that lost its data) sent again once
    they waited a whole lease. Returns the requeued job ids."""
    from trackrecord.jobs.executor import sweep

    executor = CeleryExecutor(settings, app=app)

    def one_round() -> Sequence[int]:
        held = queued_in_broker(app, settings.job_queue)  # read before the database
        if held is None:
            requeued = reap_due(engine).requeued
            for job_id in requeued:
                executor.submit(job_id)
            return requeued
        reaped = sweep(engine, executor, exclude=held, queued_for=settings.job_lease_seconds)
        return reaped.requeued

    return one_round


def run_worker(
    settings: Settings,
    *,
    name: str | None = None,
    concurrency: int | None = None,
    reap_every: float | None = None,
    loglevel: str = "INFO",
) -> int:
    """Run a Celery worker in this process until it is told to stop; returns its exit code.

    The broker, the database (at the current schema) and the sandbox are checked first, so
    that a wrong URL fails at once with a message instead of retrying in a loop, and a
    machine that cannot run the sandbox does not take jobs only to fail them."""
    from celery.signals import worker_process_init

    from trackrecord.store.db import make_engine

    name = name or default_worker_name()
    app = make_app(settings, worker_name=name)
    check_broker(app, settings)
    engine = make_engine(settings, pool_size=1, max_overflow=1)
    try:
        check_database(engine)
        check_sandbox()
        every = reap_every or max(1.0, settings.job_lease_seconds / 3)
        reaper = Reaper(sweeper(app, engine, settings), every)
        # Pool processes are forked from this one: they must not use its connections.
        worker_process_init.connect(lambda **_: engine.dispose(close=False), weak=False)
        worker: Any = app.Worker(
            hostname=name if "@" in name else f"{name}@{socket.gethostname()}",
            concurrency=concurrency or os.cpu_count() or 1,
            queues=[settings.job_queue],
            loglevel=loglevel,
            without_gossip=True,  # no other worker's events are needed: the database
            without_mingle=True,  # holds every job's state
            without_heartbeat=True,
        )
        reaper.start()
        try:
            worker.start()
        finally:
            reaper.stop()
        return int(worker.exitcode or 0)
    finally:
        engine.dispose()


def check_database(engine: Engine) -> None:
    """Raise a ConfigError unless the database answers and is at the current schema."""
    from trackrecord.store.migrate import current_revision, head_revision

    try:
        revision = current_revision(engine)
    except Exception as exc:  # the driver's own error: refused, unknown host, bad password
        raise ConfigError(f"cannot reach the database: {exc}") from None
    head = head_revision()
    if revision != head:
        raise ConfigError(
            f"the database is at revision {revision or 'none'}, this worker needs {head}: "
            "run `trackrecord db upgrade` with the same TRACKRECORD_DATABASE_URL first"
        )


def check_sandbox() -> None:
    from trackrecord.jobs.sandbox import unavailable

    reason = unavailable()
    if reason:
        raise ConfigError(f"this machine cannot run code submissions: {reason}")
