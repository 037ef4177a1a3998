"""The job queue in the database: the one source of truth for a job's state.

A job goes queued -> running -> scored | failed | cancelled, and every change is one
conditional UPDATE, so two workers, a reaper and a learner's cancel never both win:

- `enqueue` refuses, before anything is stored, code over the size limit and a learner
  who already has `per_user` jobs queued or running (under the user's row lock, so two
  requests at once cannot both take the last place).
- `claim` takes a queued job (or a running one whose lease expired and that has a retry
  left) for a worker until `now + lease`: `UPDATE ... WHERE state = 'queued' OR (...)`,
  atomic on SQLite (one writer) and PostgreSQL (the row lock makes a second UPDATE
  re-check the condition, which then fails). `claim_next` picks the oldest queued job
  (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
- `heartbeat` renews the lease while the worker holds it; `complete`, `fail` end the job
  only while the worker still holds it (a worker that lost its lease changes nothing).
- `reap` finds running jobs whose lease expired: started once, they are queued again;
  started twice, they fail with "worker lost". No job stays running past its lease plus
  one reaper period.

A worker names itself in every call; `jobs.runner` makes the name unique per run, so a
worker that lost its lease cannot touch the same job's next run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from trackrecord.errors import Conflict, NotFound, PayloadTooLarge, QuotaExceeded
from trackrecord.store.db import session_scope
from trackrecord.store.entrants import lock_users
from trackrecord.store.models import Job, utcnow

QUEUED, RUNNING, SCORED, FAILED, CANCELLED = "queued", "running", "scored", "failed", "cancelled"
IN_FLIGHT = (QUEUED, RUNNING)
TERMINAL = (SCORED, FAILED, CANCELLED)
MAX_ATTEMPTS = 2  # a run lost to a dead worker is started once more, then the job fails
WORKER_LOST = "worker lost"
MAX_REASON_CHARS = 2000
MAX_STDERR_CHARS = 8000

# Failure kinds (Job.failure); the reason is the sentence shown with it.
TIME_LIMIT = "time-limit"
MEMORY_LIMIT = "memory-limit"
CRASHED = "crashed"
NO_OUTPUT = "no-output"
INVALID_OUTPUT = "invalid-output"
OUTPUT_LIMIT = "output-limit"
LOST = "worker-lost"
SANDBOX_UNAVAILABLE = "sandbox-unavailable"
SANDBOX_ERROR = "sandbox-error"
REFUSED = "refused"  # the submission path refused the file (quota used up, closed)
INTERNAL = "internal-error"


def sha256_of(code: bytes) -> str:
    return hashlib.sha256(code).hexdigest()


def in_flight(session: Session, user_id: int) -> int:
    """The user's jobs queued or running."""
    query = select(func.count(Job.id)).where(Job.user_id == user_id, Job.state.in_(IN_FLIGHT))
    return int(session.scalar(query) or 0)


def check_code_size(size: int, max_bytes: int) -> None:
    """Refuse code over the limit (call it before reading the file, and again on bytes)."""
    if size > max_bytes:
        raise PayloadTooLarge(
            f"the code is {size / 1024:,.0f} KiB; the most accepted is {max_bytes // 1024:,} KiB "
            "(max_code_kb). Read data from the input folder instead of embedding it"
        )


def check_in_flight(session: Session, user_id: int, per_user: int) -> None:
    """Refuse a learner who already has `per_user` jobs queued or running."""
    count = in_flight(session, user_id)
    if count >= per_user:
        raise QuotaExceeded(
            f"you have {count} code submission(s) queued or running, the most allowed at "
            "once (jobs_per_user); wait for one to finish or cancel a queued one "
            "(`trackrecord jobs`)"
        )


def enqueue(
    session: Session,
    *,
    user_id: int,
    challenge_id: int,
    code: bytes,
    filename: str,
    now: datetime,
    max_code_bytes: int,
    per_user: int,
    note: str | None = None,
) -> Job:
    """Queue a code submission; the caller's transaction commits it. Locks the user's row
    (use a `write_lock` session) so the in-flight count and the insert are one step."""
    check_code_size(len(code), max_code_bytes)
    lock_users(session, [user_id])
    check_in_flight(session, user_id, per_user)
    job = Job(
        user_id=user_id, challenge_id=challenge_id, state=QUEUED, created_at=now, attempts=0,
        code=code, code_filename=filename, code_sha256=sha256_of(code), note=note,
    )  # fmt: skip
    session.add(job)
    session.flush()
    return job


def _expired(now: datetime) -> Any:
    return and_(Job.state == RUNNING, Job.lease_expires_at < now)


def claim(session: Session, job_id: int, worker: str, lease_seconds: float, now: datetime) -> bool:
    """Take the job for `worker` until `now + lease_seconds`: a queued job, or a running
    one whose worker's lease expired and that has a run left. True when this call won it."""
    claimable = or_(Job.state == QUEUED, and_(_expired(now), Job.attempts < MAX_ATTEMPTS))
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, claimable)
        .values(
            state=RUNNING,
            worker=worker,
            started_at=now,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=Job.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def claim_next(session: Session, worker: str, lease_seconds: float, now: datetime) -> int | None:
    """Claim the oldest queued job, if any; its id."""
    query = select(Job.id).where(Job.state == QUEUED).order_by(Job.id).limit(5)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    for job_id in session.scalars(query).all():
        if claim(session, job_id, worker, lease_seconds, now):
            return job_id
    return None


def heartbeat(
    session: Session, job_id: int, worker: str, lease_seconds: float, now: datetime
) -> bool:
    """Renew the lease; False when the worker no longer holds the job (reaped, taken)."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == RUNNING, Job.worker == worker)
        .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def holds(session: Session, job_id: int, worker: str, *, lock: bool = False) -> Job | None:
    """The job, when `worker` holds it (running under its name); else None."""
    query = select(Job).where(Job.id == job_id, Job.state == RUNNING, Job.worker == worker)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalars(query).first()


def _finish(session: Session, job_id: int, worker: str, now: datetime, **values: Any) -> bool:
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == RUNNING, Job.worker == worker)
        .values(finished_at=now, lease_expires_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def complete(session: Session, job_id: int, worker: str, submission_id: int, now: datetime) -> bool:
    """Mark the job scored with its submission (only while `worker` holds it)."""
    return _finish(session, job_id, worker, now, state=SCORED, submission_id=submission_id)


def fail(
    session: Session,
    job_id: int,
    worker: str,
    failure: str,
    reason: str,
    now: datetime,
    *,
    stderr_tail: str | None = None,
    submission_id: int | None = None,
) -> bool:
    """Fail the job with a kind and a reason (only while `worker` holds it)."""
    return _finish(
        session, job_id, worker, now, state=FAILED, failure=failure,
        reason=_clip(reason, MAX_REASON_CHARS), stderr_tail=_tail(stderr_tail),
        submission_id=submission_id,
    )  # fmt: skip


def record_run(
    session: Session,
    job_id: int,
    worker: str,
    *,
    environment: dict[str, str] | None = None,
    wall_seconds: float | None = None,
    cpu_seconds: float | None = None,
    stderr_tail: str | None = None,
) -> bool:
    """Keep what the sandbox run measured (while `worker` holds the job)."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == RUNNING, Job.worker == worker)
        .values(
            environment=environment,
            wall_seconds=wall_seconds,
            cpu_seconds=cpu_seconds,
            stderr_tail=_tail(stderr_tail),
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def cancel(session: Session, job_id: int, user_id: int, now: datetime) -> Job:
    """Cancel a queued job of `user_id`. Another's job is NotFound; a job already running
    or finished is a Conflict (a run is not stopped halfway)."""
    job = session.get(Job, job_id)
    if job is None or job.user_id != user_id:
        raise NotFound(f"no job {job_id} of yours")
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == QUEUED)
        .values(state=CANCELLED, finished_at=now, reason="cancelled by its owner")
        .execution_options(synchronize_session=False)
    )
    session.refresh(job)
    if _rowcount(result) != 1:
        raise Conflict(f"job {job_id} is {job.state}: only a queued job can be cancelled")
    return job


def position(session: Session, job_id: int) -> int | None:
    """The job's place in the queue (1: next to run), or None when it is not queued."""
    state = session.scalar(select(Job.state).where(Job.id == job_id))
    if state != QUEUED:
        return None
    ahead = session.scalar(select(func.count(Job.id)).where(Job.state == QUEUED, Job.id <= job_id))
    return int(ahead or 0)


def positions(session: Session, job_ids: Sequence[int]) -> dict[int, int]:
    """Queue positions of several queued jobs at once (jobs not queued are left out)."""
    queued = session.scalars(select(Job.id).where(Job.state == QUEUED).order_by(Job.id)).all()
    wanted = set(job_ids)
    return {job_id: n for n, job_id in enumerate(queued, 1) if job_id in wanted}


@dataclass(frozen=True)
class Reaped:
    """What one `reap` did: jobs queued again (to dispatch) and jobs failed as lost."""

    requeued: tuple[int, ...] = ()
    failed: tuple[int, ...] = ()


def reap(session: Session, now: datetime) -> Reaped:
    """Running jobs whose lease expired: queued again after a first loss, failed with
    "worker lost" after a second. Safe to run from any number of processes at once."""
    lost = session.execute(select(Job.id, Job.attempts).where(_expired(now)).order_by(Job.id)).all()
    requeued: list[int] = []
    failed: list[int] = []
    for job_id, attempts in lost:
        done = attempts >= MAX_ATTEMPTS
        values: dict[str, Any] = (
            {"state": FAILED, "failure": LOST, "finished_at": now, "reason": _lost(attempts)}
            if done
            else {"state": QUEUED, "reason": None}
        )
        result = session.execute(
            update(Job)
            .where(Job.id == job_id, _expired(now), Job.attempts == attempts)
            .values(worker=None, lease_expires_at=None, **values)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(result) == 1:
            (failed if done else requeued).append(job_id)
    return Reaped(tuple(requeued), tuple(failed))


def reap_due(engine: Engine, now: datetime | None = None) -> Reaped:
    """`reap` in a transaction of its own (for periodic reapers)."""
    with session_scope(engine, write_lock=True) as session:
        return reap(session, now or utcnow())


def dispatchable(session: Session, *, exclude: Collection[int] = (), limit: int = 100) -> list[int]:
    """Queued jobs, oldest first, leaving out `exclude` (those an executor already holds
    in its own queue): what to hand to an executor after a restart or a lost message."""
    query = select(Job.id).where(Job.state == QUEUED).order_by(Job.id)
    skip = set(exclude)
    return [j for j in session.scalars(query.limit(limit + len(skip))).all() if j not in skip][
        :limit
    ]


def created_before(session: Session, job_ids: Sequence[int], moment: datetime) -> list[int]:
    """The jobs of `job_ids` created before `moment`, in the same order."""
    if not job_ids:
        return []
    old = set(session.scalars(select(Job.id).where(Job.id.in_(job_ids), Job.created_at < moment)))
    return [j for j in job_ids if j in old]


def _lost(attempts: int) -> str:
    twice = "twice" if attempts == 2 else f"{attempts} times"
    return (
        f"{WORKER_LOST} {twice}: the worker running it stopped answering before it "
        "finished (it may have been killed or run out of memory); your code was not scored"
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tail(text: str | None) -> str | None:
    if text is None:
        return None
    return text if len(text) <= MAX_STDERR_CHARS else "…" + text[-(MAX_STDERR_CHARS - 1) :]


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
