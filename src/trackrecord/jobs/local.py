"""The local executors: a process pool inside `trackrecord serve`, and the personal CLI's
background runs.

`LocalExecutor` runs jobs in `job_workers` processes (started with "spawn": a server's
threads and database connections must not be forked into a worker). A thread of its own
sweeps every third of the lease (jobs/executor.py: reap expired leases, pick up queued jobs
left by a restart). A pool process that dies mid-job (killed, out of memory) breaks the
pool: it is replaced, and the job, whose lease then expires, is run once more.

`DetachedExecutor` starts one background process per job (`python -m
trackrecord.jobs.local JOB_ID`), so `trackrecord submit --code` can return at once and the
job still runs; its output goes to HOME/logs/job-ID.log.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from trackrecord.jobs.executor import sweep
from trackrecord.jobs.runner import Sandbox, run_job
from trackrecord.settings import Settings, load_settings, to_environment
from trackrecord.store.db import make_engine

if TYPE_CHECKING:
    from trackrecord.service.core import Service

log = logging.getLogger(__name__)
ServiceFactory = Callable[[Settings], "Service"]

# One Service per pool process, made by `_init` in that process.
_WORKER: dict[str, object] = {}


def default_service(settings: Settings) -> Service:
    from trackrecord.service.core import Service

    return Service(settings, migrate=False)


def _init(settings: Settings, factory: ServiceFactory, sandbox: Sandbox | None) -> None:
    _WORKER["service"] = factory(settings)
    _WORKER["sandbox"] = sandbox


def _work(job_id: int) -> str:
    from trackrecord.service.core import Service

    svc = _WORKER["service"]
    assert isinstance(svc, Service)
    sandbox = _WORKER.get("sandbox")
    name = f"local-{socket.gethostname()}-{os.getpid()}"
    return run_job(svc, job_id, name, sandbox=sandbox)  # type: ignore[arg-type]


class LocalExecutor:
    """Jobs in a pool of `workers` processes (default: `settings.job_workers`), and a
    sweeper thread every `sweep_every` seconds (default: a third of the lease)."""

    def __init__(
        self,
        settings: Settings,
        *,
        workers: int | None = None,
        factory: ServiceFactory = default_service,
        sandbox: Sandbox | None = None,
        sweep_every: float | None = None,
    ) -> None:
        self.settings = settings
        self.workers = workers or settings.job_workers
        self._factory, self._sandbox = factory, sandbox
        self._lock = threading.Lock()
        self._pending: dict[int, Future[str]] = {}
        self._pool = self._new_pool()
        self._engine = make_engine(settings, pool_size=1, max_overflow=1)
        self._every = sweep_every or max(1.0, settings.job_lease_seconds / 3)
        self._stop = threading.Event()
        self._sweeper = threading.Thread(target=self._loop, name="trackrecord-jobs", daemon=True)
        self._sweeper.start()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(self.settings, self._factory, self._sandbox),
        )

    def submit(self, job_id: int) -> None:
        """Queue the job in the pool (once: a job it already holds is not added again)."""
        with self._lock:
            if self._stop.is_set() or job_id in self._pending:
                return
            try:
                future = self._pool.submit(_work, job_id)
            except BrokenProcessPool:  # a worker died: its job's lease will expire
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                future = self._pool.submit(_work, job_id)
            self._pending[job_id] = future
        future.add_done_callback(functools.partial(self._done, job_id))

    def _done(self, job_id: int, future: Future[str]) -> None:
        with self._lock:
            if self._pending.get(job_id) is future:
                del self._pending[job_id]
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:  # the process died, or the runner itself could not start
            log.warning("job %s: its worker process ended without finishing it: %s", job_id, exc)

    def pending(self) -> list[int]:
        """The jobs this executor holds (queued in its pool or running)."""
        with self._lock:
            return list(self._pending)

    def sweep(self) -> None:
        """Reap expired leases and take queued jobs nobody holds (also run periodically)."""
        sweep(self._engine, self, exclude=self.pending())

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.sweep()
            except Exception:  # the database is away: the next round tries again
                log.exception("sweeping the job queue failed")
            self._stop.wait(self._every)

    def close(self, *, wait: bool = True) -> None:
        """Stop: jobs not started stay queued (the next start takes them). With `wait`,
        running jobs finish first; without, their processes are stopped and their leases
        expire (they run again later)."""
        self._stop.set()
        self._sweeper.join(timeout=self._every + 5)
        with self._lock:
            pool = self._pool
        if not wait:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        self._engine.dispose()


def start_local(settings: Settings) -> LocalExecutor:
    """The process pool of `trackrecord serve` (call `stop` when the server stops)."""
    return LocalExecutor(settings)


def stop(executor: LocalExecutor, *, wait: bool = False) -> None:
    executor.close(wait=wait)


class DetachedExecutor:
    """One background process per job: the personal CLI's executor (it may exit before
    the job ends; the job runs on, and `trackrecord jobs` shows it)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def submit(self, job_id: int) -> None:
        spawn_detached(self.settings, job_id)

    def close(self) -> None:
        pass


def spawn_detached(settings: Settings, job_id: int) -> subprocess.Popen[bytes]:
    """Run `job_id` in a new background process with these settings."""
    logs = settings.home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **to_environment(settings)}
    with (logs / f"job-{job_id}.log").open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "trackrecord.jobs.local", str(job_id)],
            env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m trackrecord.jobs.local JOB_ID`: run one job with the environment's
    settings, then exit."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or not args[0].isdigit():
        print("usage: python -m trackrecord.jobs.local JOB_ID", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO)
    state = run_job(load_settings(), int(args[0]), f"cli-{socket.gethostname()}-{os.getpid()}")
    print(f"job {args[0]}: {state}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
