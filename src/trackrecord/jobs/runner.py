"""Run one job: claim it, run its code in the sandbox, score the output, end it.

`run_job` is all a worker does with a job id, whichever executor delivered it (the local
process pool, a Celery task): the database says what the job is and whether it may run.

1. Claim the job under a name unique to this run (a worker that loses its lease can then
   change nothing of the job's next run). Not claimable (taken, cancelled, done): return
   its state, do nothing.
2. While it runs, a thread renews the lease every third of `job_lease_seconds`.
3. Materialize the project's public files (train.csv, test.csv, the sample submission,
   any extra public file of the bundle) into a fresh folder `input/`, never anything else.
4. Run the code in the sandbox with the limits of the settings.
5. Score `output/submission.csv` through the ordinary submission path (same validation,
   daily quota and invalid-file allowance as an upload; the file counts like one). The
   job's terminal state is written in the transaction that records the submission, and
   only while this run still holds the lease, so a reaped run records nothing.
6. Whatever happens (an exception included), the job ends scored or failed with a reason.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select

from trackrecord.errors import TrackrecordError
from trackrecord.jobs import queue as Q
from trackrecord.settings import Settings
from trackrecord.store.models import Challenge, Job, Submission

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from trackrecord.bundle import Bundle
    from trackrecord.service.core import Service

log = logging.getLogger(__name__)
SUBMISSION = "submission.csv"
SCORING_GRACE_S = 300.0  # beyond the sandbox's wall limit: input copied, output scored
STDERR_LINES = 30


class RunOutcome(Protocol):
    """What the sandbox reports (trackrecord.jobs.sandbox.RunResult)."""

    @property
    def status(self) -> str: ...
    @property
    def exit_code(self) -> int | None: ...
    @property
    def stderr_tail(self) -> str: ...
    @property
    def wall_seconds(self) -> float: ...
    @property
    def cpu_seconds(self) -> float: ...
    @property
    def output_file(self) -> Path | None: ...


class Sandbox(Protocol):
    """The seam between the runner and the sandbox (tests pass a fake one)."""

    def run(self, code: Path, input_dir: Path, work_dir: Path, settings: Settings) -> RunOutcome:
        """Run `code` with `input_dir` as its input, inside `work_dir`."""

    def environment(self) -> dict[str, str]:
        """Python and package versions the code runs with."""

    def unavailable(self) -> str | None:
        """Why the sandbox cannot run here, or None."""


class BubblewrapSandbox:
    """trackrecord.jobs.sandbox with the job limits of the settings."""

    def run(self, code: Path, input_dir: Path, work_dir: Path, settings: Settings) -> RunOutcome:
        from trackrecord.jobs import sandbox

        limits = sandbox.Limits(
            cpu_seconds=settings.job_cpu_seconds,
            wall_seconds=settings.job_wall_seconds,
            memory_mb=settings.job_memory_mb,
            processes=settings.job_processes,
            output_mb=settings.job_output_mb,
            tmp_mb=settings.job_tmp_mb,
        )
        hide = hidden_paths(settings)
        result: RunOutcome = sandbox.run_code(code, input_dir, work_dir, limits, hide=hide)
        return result

    def environment(self) -> dict[str, str]:
        from trackrecord.jobs import sandbox

        return dict(sandbox.environment())

    def unavailable(self) -> str | None:
        try:
            from trackrecord.jobs import sandbox
        except ImportError as exc:  # an install without the sandbox module
            return f"the sandbox module cannot be loaded ({exc})"
        reason: str | None = sandbox.unavailable()
        return reason


def hidden_paths(settings: Settings) -> tuple[Path, ...]:
    """What the code must never see even where it lies inside a mounted tree: the data
    directory (answer keys, the database, keys, the secret), a SQLite database elsewhere,
    and a host's project folders (their prepare.py and source data)."""
    from sqlalchemy.engine import make_url

    paths = [settings.home]
    url = make_url(settings.db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        paths.append(Path(str(url.database)).expanduser().parent)
    if settings.projects_dir is not None:
        paths.append(settings.projects_dir)
    return tuple(dict.fromkeys(p.resolve() for p in paths))


class LeaseLost(Exception):
    """This run no longer holds the job: its lease expired and the reaper took it back."""


def run_job(
    target: Service | Settings, job_id: int, worker_name: str, *, sandbox: Sandbox | None = None
) -> str:
    """Run job `job_id` as `worker_name`; returns the job's state afterwards ("scored",
    "failed", ...; a job this call could not claim is left as it is). A Service passed in
    is used as is (one per process); Settings open a Service for this call."""
    if isinstance(target, Settings):
        from trackrecord.service.core import Service

        with Service(target, migrate=False) as svc:
            return _run(svc, job_id, worker_name, sandbox or BubblewrapSandbox())
    return _run(target, job_id, worker_name, sandbox or BubblewrapSandbox())


def state_of(svc: Service, job_id: int) -> str:
    with svc.reading() as s:
        state = s.scalar(select(Job.state).where(Job.id == job_id))
    if state is None:
        raise TrackrecordError(f"no job {job_id}")
    return str(state)


def _run(svc: Service, job_id: int, worker_name: str, sandbox: Sandbox) -> str:
    worker = f"{worker_name}:{secrets.token_hex(4)}"
    lease = svc.settings.job_lease_seconds
    with svc.session(write_lock=True) as s:
        won = Q.claim(s, job_id, worker, lease, svc.now())
    if not won:
        return state_of(svc, job_id)
    try:
        with Heartbeat(svc, job_id, worker, lease, run_budget(svc.settings)):
            _execute(svc, job_id, worker, sandbox)
    except LeaseLost:
        log.warning("job %s: %s lost its lease; the run's outcome is dropped", job_id, worker)
    except Exception as exc:
        log.exception("job %s failed inside the runner", job_id)
        _end(svc, job_id, worker, Q.INTERNAL, f"internal error of the runner: {exc}")
    except BaseException:  # interrupted (Ctrl-C, shutdown): end the job, then stop
        _end(svc, job_id, worker, Q.INTERNAL, "stopped: the run was interrupted; submit again")
        raise
    return state_of(svc, job_id)


def _end(
    svc: Service, job_id: int, worker: str, failure: str, reason: str, stderr: str | None = None
) -> None:
    with svc.session(write_lock=True) as s:
        Q.fail(s, job_id, worker, failure, reason, svc.now(), stderr_tail=stderr)


@dataclass(frozen=True)
class _Work:
    user_id: int
    slug: str
    code: bytes
    filename: str
    note: str | None


def _load(svc: Service, job_id: int, worker: str) -> _Work:
    with svc.session() as s:
        job = Q.holds(s, job_id, worker)
        if job is None:
            raise LeaseLost(job_id)
        slug = s.scalar(select(Challenge.slug).where(Challenge.id == job.challenge_id))
        note = job.note or f"output of {job.code_filename} (code submission, job {job.id})"
        return _Work(job.user_id, str(slug), job.code, job.code_filename, note)


def _execute(svc: Service, job_id: int, worker: str, sandbox: Sandbox) -> None:
    work = _load(svc, job_id, worker)
    missing = sandbox.unavailable()
    if missing:
        _end(svc, job_id, worker, Q.SANDBOX_UNAVAILABLE, f"sandbox unavailable: {missing}")
        return
    with tempfile.TemporaryDirectory(prefix="trackrecord-job-") as tmp:
        root = Path(tmp)
        input_dir = materialize(svc.bundle(work.slug), root / "input")
        code = root / "code" / Path(work.filename).name
        code.parent.mkdir()
        code.write_bytes(work.code)
        work_dir = root / "work"
        work_dir.mkdir()
        environment = sandbox.environment()
        result = sandbox.run(code, input_dir, work_dir, svc.settings)
        with svc.session(write_lock=True) as s:
            recorded = Q.record_run(
                s, job_id, worker, environment=environment, wall_seconds=result.wall_seconds,
                cpu_seconds=result.cpu_seconds, stderr_tail=result.stderr_tail or None,
            )  # fmt: skip
        if not recorded:
            raise LeaseLost(job_id)
        failure = classify(result, svc.settings, work_dir)
        if failure is not None:
            _end(svc, job_id, worker, failure[0], failure[1], result.stderr_tail or None)
            return
        assert result.output_file is not None
        _score(svc, job_id, worker, work, result.output_file)


def materialize(bundle: Bundle, dest: Path) -> Path:
    """Copy the bundle's public files (and nothing else) into `dest`, keeping their paths.
    Copies, not links: the code must not be able to change the bundle through its input."""
    dest.mkdir(parents=True)
    for path in bundle.public_files():
        target = dest / path.relative_to(bundle.public_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return dest


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# Each run status: the failure kind, the words a reason starts with, and what to say when
# the sandbox gives no detail of its own (RunResult.detail says which limit, with its value).
_STATUSES: Mapping[str, tuple[str, str, str]] = {
    "time-limit": (Q.TIME_LIMIT, "time limit", "stopped after its CPU or wall-time limit"),
    "memory-limit": (Q.MEMORY_LIMIT, "memory limit", "stopped: it used more memory than allowed"),
    "crashed": (Q.CRASHED, "crashed", "exited with an error"),
    "no-output": (Q.NO_OUTPUT, "no output", "finished without writing output/submission.csv"),
    "output-limit": (Q.OUTPUT_LIMIT, "output too large", "it wrote more than allowed"),
    "sandbox-error": (Q.SANDBOX_ERROR, "sandbox error", "the sandbox could not run the code"),
}


def classify(result: RunOutcome, settings: Settings, work_dir: Path) -> tuple[str, str] | None:
    """(failure kind, reason) of a run that produced nothing to score; None: score it."""
    if result.status == "ok":
        return _check_output(result.output_file, work_dir)
    kind, words, fallback = _STATUSES.get(
        result.status, (Q.SANDBOX_ERROR, "sandbox error", f"unknown run status {result.status}")
    )
    detail = str(getattr(result, "detail", "") or "")
    if not detail and result.status == "crashed":
        detail = f"exited with code {result.exit_code}"
    reason = f"{words}: {detail or fallback}"
    last = _last_line(result.stderr_tail or "")
    if result.status in ("crashed", "sandbox-error") and last and last not in reason:
        reason += f": {last}"
    if result.status == "no-output":
        reason += " (write it to the folder $TRACKRECORD_OUTPUT names, ./output)"
    return kind, reason


_NO_OUTPUT = (
    "no output: the code finished without writing submission.csv to its output folder "
    "(the folder $TRACKRECORD_OUTPUT names, ./output)"
)


def _check_output(output: Path | None, work_dir: Path) -> tuple[str, str] | None:
    """A regular file inside the work folder, never a link: a link could point the scorer
    at a file the code cannot read itself (the answer key)."""
    if output is None or not (output.exists() or output.is_symlink()):
        return Q.NO_OUTPUT, _NO_OUTPUT
    inside = output.resolve().is_relative_to(work_dir.resolve())
    if output.is_symlink() or not output.is_file() or not inside:
        return Q.INVALID_OUTPUT, (
            "invalid output: submission.csv must be a regular file written by the code, "
            "not a link or a folder"
        )
    return None


def _score(svc: Service, job_id: int, worker: str, work: _Work, output: Path) -> None:
    from trackrecord.service import progress
    from trackrecord.service import submit as S

    def link(session: Session, sub: Submission) -> None:
        if Q.holds(session, job_id, worker, lock=True) is None:
            raise LeaseLost(job_id)  # rolls the submission back: a reaped run scores nothing
        now = svc.now()
        if sub.status == S.SCORED:
            Q.complete(session, job_id, worker, sub.id, now)
            return
        problems = S.recorded_problems(sub.error)
        reason = "invalid output: " + "; ".join(problems or ("the file could not be scored",))
        Q.fail(session, job_id, worker, Q.INVALID_OUTPUT, reason, now, submission_id=sub.id)

    try:
        progress.check_listed(svc, work.user_id, work.slug)
        S.submit(
            svc, work.user_id, work.slug, output, filename=SUBMISSION, note=work.note, link=link
        )
    except S.RECORDED_ERRORS:
        return  # the link failed the job with the scorer's own message
    except TrackrecordError as exc:  # refused before scoring: quota used up, closed, hidden
        _end(svc, job_id, worker, Q.REFUSED, f"not scored: {exc.message}")


def run_budget(settings: Settings) -> float:
    """The longest a run may hold its lease, in seconds: the sandbox's wall limit, plus
    time to prepare the input and score the output. Past it the heartbeat stops renewing,
    so even a runner stuck outside the sandbox lets its job go when the lease ends."""
    return settings.job_wall_seconds + max(SCORING_GRACE_S, 5 * settings.job_lease_seconds)


class Heartbeat:
    """Renews the job's lease on a thread every third of the lease while the block runs,
    for at most `budget` seconds; `lost` is set when the lease is gone (the job was reaped)
    or the budget is spent."""

    def __init__(
        self, svc: Service, job_id: int, worker: str, lease_seconds: float, budget: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.svc, self.job_id, self.worker, self.lease = svc, job_id, worker, lease_seconds
        self.clock = clock
        self.until = clock() + budget
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{job_id}", daemon=True)

    def beat(self) -> bool:
        """Renew the lease once; False (and `lost`) when it is gone or the budget spent."""
        if self.clock() > self.until:
            log.warning("job %s: over its time budget, its lease is left to expire", self.job_id)
            self.lost.set()
            return False
        with self.svc.session(write_lock=True) as s:
            held = Q.heartbeat(s, self.job_id, self.worker, self.lease, self.svc.now())
        if not held:
            self.lost.set()
        return held

    def _loop(self) -> None:
        while not self._stop.wait(self.lease / 3):
            try:
                if not self.beat():
                    return
            except Exception:  # the database is away for a moment: the next beat retries
                log.exception("job %s: heartbeat failed", self.job_id)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self._stop.set()
        self._thread.join()


def describe_environment(environment: Mapping[str, Any] | None) -> str | None:
    """The environment as one line for a credential ("python 3.11.9, numpy 1.26.4, ..."):
    Python first, then the packages by name."""
    if not environment:
        return None
    first = [k for k in ("python", "implementation") if k in environment]
    rest = sorted(k for k in environment if k not in first)
    return ", ".join(f"{name} {environment[name]}" for name in [*first, *rest])
