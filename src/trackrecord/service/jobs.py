"""Code submissions as use cases: submit code, list and follow jobs, cancel one.

Every refusal comes before anything is stored or run, cheapest first: the file's kind and
size (before it is read), Python syntax (a script is compiled, never run, here), whether
the project accepts code, is open and is listed for this learner, the learner's jobs in
flight (`jobs_per_user`) and today's submissions: a job's output counts like an uploaded
file, so queued and running jobs count against today's quota in advance.

Projects accept code by default when built in; a host's challenge does once its host turns
it on (`set_accepts_code`). A job scored on a hosted server is *reproduced*: the host ran
the code; on the personal install the learner's own machine did, so it stays self-scored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trackrecord.errors import Conflict, InvalidSubmission, NotFound, Problem, QuotaExceeded
from trackrecord.jobs import queue as Q
from trackrecord.service import progress as _progress
from trackrecord.service import submit as _submit
from trackrecord.service.projects import find_row
from trackrecord.store.entrants import entrant_of
from trackrecord.store.models import Challenge, Job, Submission

if TYPE_CHECKING:
    from trackrecord.jobs.executor import Executor
    from trackrecord.service.core import Service

CODE_SUFFIXES = (".py", ".ipynb")
JobOrigin = Literal["reproduced", "self-scored"]


@dataclass(frozen=True)
class JobView:
    """A job as its learner sees it (CLI, pages, JSON API)."""

    id: int
    project_id: str
    state: str  # queued | running | scored | failed | cancelled
    created_at: datetime
    code_filename: str
    code_sha256: str
    origin: JobOrigin  # what a score from this job is: reproduced on a hosted server
    position: int | None = None  # in the queue (1: next), while queued
    attempts: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    note: str | None = None
    failure: str | None = None  # the kind: time-limit, memory-limit, crashed, ...
    reason: str | None = None  # the sentence: why it failed
    stderr_tail: str | None = None
    environment: dict[str, str] | None = None
    wall_seconds: float | None = None
    cpu_seconds: float | None = None
    submission_number: int | None = None  # the file it made, in `trackrecord submissions`
    public_score: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in Q.TERMINAL


def accepts_code(row: Challenge) -> bool:
    """Whether learners may submit code: the host's choice, else on for built-in projects."""
    return row.accepts_code if row.accepts_code is not None else row.source == "builtin"


def set_accepts_code(svc: Service, project_id: str, on: bool) -> None:
    """Turn code submissions on or off for a project (the caller checks the actor may
    manage it: the host's page)."""
    with svc.session(write_lock=True) as s:
        svc.challenge_row(s, project_id).accepts_code = on


def check_code_file(path: Path, max_bytes: int) -> str:
    """The code's file name, once its kind and size are acceptable (before it is read)."""
    if not path.is_file():
        raise NotFound(f"no code file at {path}")
    name = _submit.safe_filename(path.name)
    if Path(name).suffix.lower() not in CODE_SUFFIXES:
        raise InvalidSubmission(
            f"{name}: code must be a Python script (.py) or a Jupyter notebook (.ipynb) that "
            "reads its input folder and writes submission.csv to its output folder"
        )
    Q.check_code_size(path.stat().st_size, max_bytes)
    return name


def check_code(name: str, code: bytes) -> None:
    """Refuse what cannot run: a script that does not compile, a file that is no notebook."""
    try:
        text = code.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidSubmission(f"{name} is not UTF-8 text (byte {exc.start})") from None
    if name.lower().endswith(".ipynb"):
        try:
            cells = json.loads(text).get("cells")
        except (ValueError, AttributeError):
            cells = None
        if not isinstance(cells, list):
            raise InvalidSubmission(f"{name} is not a Jupyter notebook (no list of cells)")
        return
    try:
        compile(text, name, "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = Problem(str(exc.msg), file=name, line=exc.lineno)
        raise InvalidSubmission(f"{name} is not valid Python", problems=[where]) from None
    except ValueError as exc:  # a NUL byte in the source
        raise InvalidSubmission(f"{name} is not valid Python: {exc}") from None


def _check_quota(session: Session, user_id: int, row: Challenge, now: datetime) -> None:
    """Today's scored submissions plus the entrant's jobs in flight must leave room."""
    who = entrant_of(session, user_id, row.id)
    flying = session.scalar(
        select(func.count(Job.id)).where(
            Job.user_id.in_(who.members),
            Job.challenge_id == row.id,
            Job.state.in_(Q.IN_FLIGHT),
        )
    )
    used = _submit.count_today(session, user_id, row.id, now)
    if used + int(flying or 0) > row.per_day:
        raise QuotaExceeded(
            f"today's {row.per_day} submissions to {row.slug} are used up or taken by code "
            f"submissions in flight ({used} scored, {flying} queued or running); a job's "
            "output counts like an uploaded file. The next one counts from 00:00 UTC"
        )


def submit_code(
    svc: Service,
    user_id: int,
    project_id: str,
    path: Path,
    *,
    filename: str | None = None,
    note: str | None = None,
    executor: Executor | None = None,
) -> JobView:
    """Queue the code at `path` (a .py script or .ipynb notebook) to run on a project and
    hand it to `executor` (None: it waits for whichever executor sweeps the queue)."""
    name = check_code_file(path, svc.settings.max_code_bytes)
    if filename is not None:
        name = _submit.safe_filename(filename)
    _progress.check_listed(svc, user_id, project_id)
    code = path.read_bytes()
    check_code(name, code)
    with svc.session(write_lock=True) as s:
        row = svc.challenge_row(s, project_id)
        if not accepts_code(row):
            raise Conflict(
                f"{row.slug} does not accept code submissions; its host can turn them on "
                "on the challenge's page. Submit your submission.csv instead"
            )
        now = svc.now()
        _submit.check_open(row, now)
        _submit.check_allowances(svc, s, user_id, row, now)
        job = Q.enqueue(
            s, user_id=user_id, challenge_id=row.id, code=code, filename=name, now=now,
            max_code_bytes=svc.settings.max_code_bytes, per_user=svc.settings.jobs_per_user,
            note=note,
        )  # fmt: skip
        _check_quota(s, user_id, row, now)  # counts the new job: refuses when it overflows
        svc.enroll(s, user_id, row)
        job_id = job.id
    if executor is not None:
        executor.submit(job_id)
    return get_job(svc, user_id, job_id)


def _origin(svc: Service) -> JobOrigin:
    return "reproduced" if svc.settings.hosted else "self-scored"


def _view(
    j: Job, slug: str, place: int | None, sub: Submission | None, number: int | None,
    origin: JobOrigin,
) -> JobView:  # fmt: skip
    return JobView(
        id=j.id, project_id=slug, state=j.state, created_at=j.created_at,
        code_filename=j.code_filename, code_sha256=j.code_sha256, origin=origin,
        position=place, attempts=j.attempts, started_at=j.started_at,
        finished_at=j.finished_at, note=j.note, failure=j.failure, reason=j.reason,
        stderr_tail=j.stderr_tail, environment=dict(j.environment) if j.environment else None,
        wall_seconds=j.wall_seconds, cpu_seconds=j.cpu_seconds, submission_number=number,
        public_score=sub.public_score if sub is not None else None,
    )  # fmt: skip


def _views(svc: Service, s: Session, jobs: Sequence[Job]) -> list[JobView]:
    ids = {j.challenge_id for j in jobs}
    found = s.execute(select(Challenge.id, Challenge.slug).where(Challenge.id.in_(ids))).all()
    slugs = {challenge_id: slug for challenge_id, slug in found}
    places = Q.positions(s, [j.id for j in jobs if j.state == Q.QUEUED])
    subs = {
        sub.id: sub
        for sub in s.scalars(
            select(Submission).where(
                Submission.id.in_([j.submission_id for j in jobs if j.submission_id])
            )
        )
    }
    numbering: dict[tuple[int, int], dict[int, int]] = {}
    out = []
    for j in jobs:
        sub = subs.get(j.submission_id) if j.submission_id else None
        number = None
        if sub is not None:
            key = (j.user_id, j.challenge_id)
            if key not in numbering:
                numbering[key] = _submit.numbers(s, j.user_id, j.challenge_id)
            number = numbering[key].get(sub.id)
        out.append(_view(j, slugs[j.challenge_id], places.get(j.id), sub, number, _origin(svc)))
    return out


def list_jobs(
    svc: Service, user_id: int, project_id: str | None = None, *, limit: int = 100
) -> list[JobView]:
    """The learner's jobs, newest first (of one project, when given)."""
    query = select(Job).where(Job.user_id == user_id).order_by(Job.id.desc()).limit(limit)
    if project_id is not None:
        svc.project(project_id)  # NotFound for an unknown id
        with svc.session() as s:
            row = find_row(s, project_id)
        if row is None:
            return []
        query = query.where(Job.challenge_id == row.id)
    with svc.session() as s:
        return _views(svc, s, s.scalars(query).all())


def get_job(svc: Service, user_id: int, job_id: int) -> JobView:
    """One of the learner's jobs (another learner's is NotFound, as if it did not exist)."""
    with svc.session() as s:
        job = s.get(Job, job_id)
        if job is None or job.user_id != user_id:
            raise NotFound(f"no job {job_id} of yours; `trackrecord jobs` lists them")
        return _views(svc, s, [job])[0]


def cancel_job(svc: Service, user_id: int, job_id: int) -> JobView:
    """Cancel a queued job of the learner (a running one is not stopped halfway)."""
    with svc.session(write_lock=True) as s:
        Q.cancel(s, job_id, user_id, svc.now())
    return get_job(svc, user_id, job_id)
