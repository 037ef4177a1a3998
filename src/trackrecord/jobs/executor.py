"""Executors: how a queued job reaches a worker. The database decides what runs; an
executor only carries job ids, so delivering one twice runs it once (`queue.claim`).

- `LocalExecutor` (jobs/local.py, the default): a process pool inside `trackrecord serve`.
- `DetachedExecutor` (jobs/local.py): the personal CLI's runs, one background process each.
- `CeleryExecutor` (jobs/celery_app.py): job ids on a broker for `trackrecord worker`s.

`sweep` is the periodic duty of whichever executor is active: reap expired leases and hand
the jobs it queued again, and queued jobs nobody carries (a restart, a lost message), to the
executor.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine

from trackrecord.jobs import queue as Q
from trackrecord.settings import Settings
from trackrecord.store.db import session_scope
from trackrecord.store.models import utcnow


class Executor(Protocol):
    def submit(self, job_id: int) -> None:
        """Hand the job to a worker (it runs only if it can still be claimed)."""

    def close(self) -> None:
        """Stop taking jobs; jobs not yet started stay queued in the database."""


def executor_for(settings: Settings, *, detached: bool = False) -> Executor:
    """The executor the settings choose: `local` (a process pool, or with `detached` one
    background process per job, for a CLI that exits) or `celery`."""
    if settings.job_executor == "celery":
        from trackrecord.jobs.celery_app import CeleryExecutor

        return CeleryExecutor(settings)
    from trackrecord.jobs.local import DetachedExecutor, LocalExecutor

    return DetachedExecutor(settings) if detached else LocalExecutor(settings)


def sweep(
    engine: Engine,
    executor: Executor,
    *,
    exclude: Collection[int] = (),
    queued_for: float | None = None,
    now: datetime | None = None,
) -> Q.Reaped:
    """Reap expired leases, then submit the jobs put back and the queued jobs `executor`
    does not hold (`exclude`) and that waited at least `queued_for` seconds (None: all)."""
    moment = now or utcnow()
    reaped = Q.reap_due(engine, moment)
    with session_scope(engine, read_only=True) as s:
        waiting = Q.dispatchable(s, exclude=exclude)
        if queued_for is not None:
            waiting = Q.created_before(s, waiting, moment - timedelta(seconds=queued_for))
    for job_id in dict.fromkeys([*reaped.requeued, *waiting]):
        executor.submit(job_id)
    return reaped
