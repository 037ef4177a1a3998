"""Running jobs (jobs/runner.py) with a fake sandbox, the service's code submissions
(service/jobs.py), the local executor, and one run in the real sandbox."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SECRET_BASE
from trackrecord.jobs import queue as Q
from trackrecord.jobs.runner import run_job
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.models import Job, Submission

ENV = {"python": "3.11.0", "numpy": "1.0"}


@dataclass(frozen=True)
class Outcome:
    status: str = "ok"
    exit_code: int | None = 0
    stderr_tail: str = ""
    wall_seconds: float = 0.5
    cpu_seconds: float = 0.4
    output_file: Path | None = None


@dataclass
class FakeSandbox:
    """Writes output/submission.csv with `write(input_dir, out)` (None: no file) and
    reports `status`; records what it was given."""

    write: Callable[[Path, Path], None] | None = None
    status: str = "ok"
    stderr: str = ""
    missing: str | None = None
    seen: list[list[str]] = field(default_factory=list)

    def run(self, code: Path, input_dir: Path, work_dir: Path, settings: Settings) -> Outcome:
        self.seen.append(sorted(p.name for p in input_dir.rglob("*")))
        out = work_dir / "output" / "submission.csv"
        out.parent.mkdir(exist_ok=True)
        if self.write is not None:
            self.write(input_dir, out)
        found = out if out.exists() or out.is_symlink() else None
        return Outcome(self.status, 0 if self.status == "ok" else 1, self.stderr, output_file=found)

    def environment(self) -> dict[str, str]:
        return dict(ENV)

    def unavailable(self) -> str | None:
        return self.missing


def perfect(input_dir: Path, out: Path) -> None:
    test = pd.read_csv(input_dir / "test.csv")
    pd.DataFrame({"id": test["id"], "y": [SECRET_BASE + i for i in range(len(test))]}).to_csv(
        out, index=False
    )


def bad_columns(input_dir: Path, out: Path) -> None:
    out.write_text("id,wrong\n1,2\n")


def queue_job(svc: Service, code: bytes = b"print('hi')\n", project: str = "toy-reg") -> int:
    user_id = svc.local_user_id()  # before the session: it takes the write lock itself
    with svc.session(write_lock=True) as s:
        row = svc.challenge_row(s, project)
        job = Q.enqueue(
            s, user_id=user_id, challenge_id=row.id, code=code, filename="main.py",
            now=svc.now(), max_code_bytes=svc.settings.max_code_bytes, per_user=10,
        )  # fmt: skip
        return job.id


def job_row(svc: Service, job_id: int) -> Job:
    with svc.session() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_is_run_scored_and_recorded_like_an_upload(service: Service) -> None:
    job_id = queue_job(service)
    sandbox = FakeSandbox(perfect)
    assert run_job(service, job_id, "w", sandbox=sandbox) == "scored"
    job = job_row(service, job_id)
    assert job.environment == ENV and job.wall_seconds == 0.5 and job.lease_expires_at is None
    assert job.worker is not None and job.worker.startswith("w:")
    assert sandbox.seen == [["sample_submission.csv", "test.csv", "train.csv"]]
    with service.session() as s:
        sub = s.get(Submission, job.submission_id)
        assert sub is not None
        assert (sub.status, sub.public_score, sub.original_filename) == (
            "scored", 0.0, "submission.csv")  # fmt: skip
    views = service.submissions(service.local_user_id(), "toy-reg")
    assert [v.status for v in views] == ["scored"]  # it counts like an upload
    # Run again (a duplicate message): nothing happens.
    assert run_job(service, job_id, "w2", sandbox=sandbox) == "scored"
    assert len(sandbox.seen) == 1


@pytest.mark.parametrize(
    ("sandbox", "failure", "words"),
    [
        (FakeSandbox(status="time-limit"), "time-limit", "time limit"),
        (FakeSandbox(status="memory-limit"), "memory-limit", "memory limit"),
        (FakeSandbox(status="crashed", stderr="Traceback\nKeyError: 'x'\n"), "crashed",
         "crashed with exit code 1: KeyError: 'x'"),
        (FakeSandbox(), "no-output", "no output"),
        (FakeSandbox(status="output-limit"), "output-limit", "output too large"),
        (FakeSandbox(missing="bubblewrap is not installed"), "sandbox-unavailable",
         "sandbox unavailable: bubblewrap is not installed"),
        (FakeSandbox(bad_columns), "invalid-output", "invalid output: "),
    ],
)  # fmt: skip
def test_every_failure_ends_the_job_with_its_reason(
    service: Service, sandbox: FakeSandbox, failure: str, words: str
) -> None:
    job_id = queue_job(service)
    assert run_job(service, job_id, "w", sandbox=sandbox) == "failed"
    job = job_row(service, job_id)
    assert job.failure == failure
    assert job.reason is not None and words in job.reason
    assert job.finished_at is not None and job.lease_expires_at is None
    if failure == "crashed":
        assert job.stderr_tail == "Traceback\nKeyError: 'x'\n"
    if failure == "invalid-output":  # the scorer's own message, and the history keeps the file
        assert job.submission_id is not None
        [view] = service.submissions(service.local_user_id(), "toy-reg")
        assert view.status == "invalid" and view.problems[0] in job.reason


def test_a_link_to_a_file_outside_the_output_is_never_scored(service: Service) -> None:
    bundle = service.bundle("toy-reg")

    def link_to_answer_key(_input: Path, out: Path) -> None:
        out.symlink_to(bundle.solution_path)

    job_id = queue_job(service)
    assert run_job(service, job_id, "w", sandbox=FakeSandbox(link_to_answer_key)) == "failed"
    assert job_row(service, job_id).failure == "invalid-output"
    assert service.submissions(service.local_user_id(), "toy-reg") == []


def test_an_error_inside_the_runner_fails_the_job(service: Service) -> None:
    def boom(_input: Path, _out: Path) -> None:
        raise RuntimeError("disk on fire")

    job_id = queue_job(service)
    assert run_job(service, job_id, "w", sandbox=FakeSandbox(boom)) == "failed"
    job = job_row(service, job_id)
    assert job.failure == "internal-error" and "disk on fire" in (job.reason or "")


def test_a_run_that_lost_its_lease_records_nothing(service: Service) -> None:
    """The reaper took the job back while the code ran: the late run's output is not
    scored and the job is left to its next run."""
    job_id = queue_job(service)

    def reaped_meanwhile(input_dir: Path, out: Path) -> None:
        perfect(input_dir, out)
        with service.session(write_lock=True) as s:
            s.get(Job, job_id).lease_expires_at = service.now()  # type: ignore[union-attr]
        with service.session(write_lock=True) as s:
            assert Q.reap(s, service.now() + pd.Timedelta(seconds=1)).requeued == (job_id,)

    assert run_job(service, job_id, "w", sandbox=FakeSandbox(reaped_meanwhile)) == "queued"
    assert service.submissions(service.local_user_id(), "toy-reg") == []
    assert run_job(service, job_id, "w2", sandbox=FakeSandbox(perfect)) == "scored"
    assert job_row(service, job_id).attempts == 2


def _bwrap_or_skip() -> None:
    if shutil.which("bwrap") is None and os.environ.get("TRACKRECORD_REQUIRE_SERVICES") != "1":
        pytest.skip("the real sandbox needs bubblewrap (bwrap)")
