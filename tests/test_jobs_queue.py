"""The job queue in the database (jobs/queue.py), on SQLite and PostgreSQL: limits checked
before anything is stored, atomic claims, leases, the reaper, cancel and positions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from trackrecord.errors import Conflict, NotFound, PayloadTooLarge, QuotaExceeded
from trackrecord.jobs import queue as Q
from trackrecord.service import Service
from trackrecord.store.models import Job, User

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LEASE = 30


def _user(svc: Service, name: str) -> int:
    with svc.session(write_lock=True) as s:
        user = User(username=name, role="learner")
        s.add(user)
        s.flush()
        return user.id


def _challenge(svc: Service) -> int:
    with svc.session(write_lock=True) as s:
        return svc.challenge_row(s, "toy-reg").id


def _enqueue(
    svc: Service, user_id: int, code: bytes = b"print(1)\n", *, per_user: int = 5,
    max_bytes: int = 1024,
) -> int:  # fmt: skip
    challenge = _challenge(svc)
    with svc.session(write_lock=True) as s:
        job = Q.enqueue(
            s, user_id=user_id, challenge_id=challenge, code=code, filename="main.py",
            now=T0, max_code_bytes=max_bytes, per_user=per_user,
        )  # fmt: skip
        return job.id


def _job(svc: Service, job_id: int) -> Job:
    with svc.session() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def _claim(svc: Service, job_id: int, worker: str, now: datetime = T0) -> bool:
    with svc.session(write_lock=True) as s:
        return Q.claim(s, job_id, worker, LEASE, now)


def _reap(svc: Service, now: datetime) -> Q.Reaped:
    with svc.session(write_lock=True) as s:
        return Q.reap(s, now)


def test_enqueue_stores_the_code_its_sha256_and_a_queue_position(service: Service) -> None:
    ada, bob = service.local_user_id(), _user(service, "bob")
    first = _enqueue(service, ada, b"x = 1\n")
    second = _enqueue(service, bob)
    job = _job(service, first)
    assert (job.state, job.attempts, job.code) == ("queued", 0, b"x = 1\n")
    assert job.code_sha256 == Q.sha256_of(b"x = 1\n") and len(job.code_sha256) == 64
    with service.session() as s:
        assert (Q.position(s, first), Q.position(s, second)) == (1, 2)
        assert Q.positions(s, [first, second]) == {first: 1, second: 2}
    assert _claim(service, first, "w1")
    with service.session() as s:  # a running job has no place in the queue; the next moves up
        assert (Q.position(s, first), Q.position(s, second)) == (None, 1)


def test_the_per_user_limit_refuses_before_storing_and_counts_only_jobs_in_flight(
    service: Service,
) -> None:
    ada, bob = service.local_user_id(), _user(service, "bob")
    a1 = _enqueue(service, ada, per_user=2)
    _enqueue(service, ada, per_user=2)
    with pytest.raises(QuotaExceeded, match="2 code submission"):
        _enqueue(service, ada, per_user=2)
    _enqueue(service, bob, per_user=2)  # another learner is not held back
    with service.session() as s:
        assert s.scalar(select(func.count(Job.id)).where(Job.user_id == ada)) == 2
    assert _claim(service, a1, "w1")
    with service.session(write_lock=True) as s:
        assert Q.complete(s, a1, "w1", _a_submission(service, s, ada), T0)
    _enqueue(service, ada, per_user=2)  # a finished job frees its place


def _a_submission(svc: Service, s, user_id: int) -> int:  # type: ignore[no-untyped-def]
    from trackrecord.store.models import Submission

    sub = Submission(
        user_id=user_id, challenge_id=svc.challenge_row(s, "toy-reg").id, created_at=T0,
        file_sha256="0" * 64, original_filename="submission.csv", size_bytes=1, status="scored",
    )  # fmt: skip
    s.add(sub)
    s.flush()
    return sub.id


def test_code_over_the_size_limit_is_refused_and_nothing_is_stored(service: Service) -> None:
    with pytest.raises(PayloadTooLarge, match="max_code_kb"):
        _enqueue(service, service.local_user_id(), b"#" * 2049, max_bytes=2048)
    with service.session() as s:
        assert s.scalar(select(func.count(Job.id))) == 0


def test_a_job_is_claimed_once(service: Service) -> None:
    job_id = _enqueue(service, service.local_user_id())
    assert _claim(service, job_id, "w1")
    assert not _claim(service, job_id, "w2")
    job = _job(service, job_id)
    assert (job.state, job.worker, job.attempts) == ("running", "w1", 1)
    assert job.lease_expires_at == T0 + timedelta(seconds=LEASE)


def test_concurrent_claims_have_one_winner(service: Service) -> None:
    job_ids = [_enqueue(service, service.local_user_id()) for _ in range(3)]
    wins: list[tuple[int, str]] = []
    barrier = threading.Barrier(4)

    def worker(name: str) -> None:
        barrier.wait()
        for job_id in job_ids:
            if _claim(service, job_id, name):
                wins.append((job_id, name))

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(j for j, _ in wins) == job_ids  # each job exactly once
    assert {_job(service, j).worker for j, _ in wins} == {w for _, w in wins}


def test_claim_next_takes_the_oldest_queued_job(service: Service) -> None:
    ids = [_enqueue(service, service.local_user_id()) for _ in range(2)]
    with service.session(write_lock=True) as s:
        assert Q.claim_next(s, "w1", LEASE, T0) == ids[0]
    with service.session(write_lock=True) as s:
        assert Q.claim_next(s, "w2", LEASE, T0) == ids[1]
    with service.session(write_lock=True) as s:
        assert Q.claim_next(s, "w3", LEASE, T0) is None


def test_heartbeat_renews_only_the_holders_lease(service: Service) -> None:
    job_id = _enqueue(service, service.local_user_id())
    assert _claim(service, job_id, "w1")
    later = T0 + timedelta(seconds=20)
    with service.session(write_lock=True) as s:
        assert Q.heartbeat(s, job_id, "w1", LEASE, later)
        assert not Q.heartbeat(s, job_id, "someone-else", LEASE, later)
    assert _job(service, job_id).lease_expires_at == later + timedelta(seconds=LEASE)
    # Renewed: not reaped at the first lease's end.
    assert _reap(service, T0 + timedelta(seconds=LEASE + 1)) == Q.Reaped()


def test_no_job_stays_running_past_its_lease(service: Service) -> None:
    """A claimed job whose worker never heartbeats is reaped and queued again; a second
    lost run fails it with the reason, and the lost workers can change nothing."""
    job_id = _enqueue(service, service.local_user_id())
    assert _claim(service, job_id, "w1")
    assert _reap(service, T0 + timedelta(seconds=LEASE - 1)) == Q.Reaped()  # not yet
    t1 = T0 + timedelta(seconds=LEASE + 1)
    assert _reap(service, t1) == Q.Reaped(requeued=(job_id,))
    job = _job(service, job_id)
    assert (job.state, job.worker, job.lease_expires_at, job.attempts) == ("queued", None, None, 1)
    with service.session(write_lock=True) as s:  # the lost worker comes back: too late
        assert not Q.heartbeat(s, job_id, "w1", LEASE, t1)
        assert not Q.complete(s, job_id, "w1", 1, t1)
        assert not Q.fail(s, job_id, "w1", Q.CRASHED, "x", t1)
    assert _claim(service, job_id, "w2", t1)
    assert _job(service, job_id).attempts == 2
    t2 = t1 + timedelta(seconds=LEASE + 1)
    assert _reap(service, t2) == Q.Reaped(failed=(job_id,))
    job = _job(service, job_id)
    assert (job.state, job.failure, job.finished_at) == ("failed", Q.LOST, t2)
    assert job.reason is not None and job.reason.startswith("worker lost twice")
    assert not _claim(service, job_id, "w3", t2)  # failed for good
    assert _reap(service, t2 + timedelta(hours=1)) == Q.Reaped()


def test_an_expired_lease_can_be_claimed_directly_once(service: Service) -> None:
    job_id = _enqueue(service, service.local_user_id())
    assert _claim(service, job_id, "w1")
    late = T0 + timedelta(seconds=LEASE + 1)
    assert _claim(service, job_id, "w2", late)  # the second (last) run
    assert not _claim(service, job_id, "w3", late + timedelta(seconds=LEASE + 1))
    assert _reap(service, late + timedelta(seconds=LEASE + 1)).failed == (job_id,)


def test_fail_keeps_the_reason_and_the_stderr_tail(service: Service) -> None:
    job_id = _enqueue(service, service.local_user_id())
    assert _claim(service, job_id, "w1")
    stderr = "line\n" * 5000
    with service.session(write_lock=True) as s:
        assert Q.fail(s, job_id, "w1", Q.CRASHED, "crashed with exit code 1", T0,
                      stderr_tail=stderr)  # fmt: skip
    job = _job(service, job_id)
    assert (job.state, job.failure, job.reason) == ("failed", "crashed", "crashed with exit code 1")
    assert job.stderr_tail is not None and len(job.stderr_tail) == Q.MAX_STDERR_CHARS
    assert job.stderr_tail.endswith("line\n")
    with service.session(write_lock=True) as s:  # terminal: nothing changes it any more
        assert not Q.complete(s, job_id, "w1", 1, T0)


def test_only_the_owner_cancels_and_only_a_queued_job(service: Service) -> None:
    ada, bob = service.local_user_id(), _user(service, "bob")
    job_id = _enqueue(service, ada)
    with service.session(write_lock=True) as s, pytest.raises(NotFound):
        Q.cancel(s, job_id, bob, T0)
    with service.session(write_lock=True) as s:
        assert Q.cancel(s, job_id, ada, T0).state == "cancelled"
    assert not _claim(service, job_id, "w1")  # a cancelled job never runs
    other = _enqueue(service, ada)
    assert _claim(service, other, "w1")
    with service.session(write_lock=True) as s, pytest.raises(Conflict, match="running"):
        Q.cancel(s, other, ada, T0)
    assert _job(service, other).state == "running"


def test_dispatchable_lists_queued_jobs_not_held(service: Service) -> None:
    ids = [_enqueue(service, service.local_user_id()) for _ in range(3)]
    assert _claim(service, ids[0], "w1")
    with service.session() as s:
        assert Q.dispatchable(s) == ids[1:]
        assert Q.dispatchable(s, exclude=[ids[1]]) == [ids[2]]
        assert Q.created_before(s, ids, T0) == []
        assert Q.created_before(s, ids, T0 + timedelta(seconds=1)) == ids
