"""Submitting: store the file, score it, record the outcome, enforce the daily quota.

Order matters for what survives a crash. The file goes into the blob store first (a stray
blob is harmless), then it is scored, then one transaction records it. The quota is checked
twice: cheaply before scoring (so a learner over quota gets the answer at once), and again
under a lock in the transaction that inserts the row, so concurrent submitters can never
exceed it: `BEGIN IMMEDIATE` on SQLite, `SELECT ... FOR UPDATE` of the user row on
PostgreSQL. Only scored submissions count against the quota.

The scored quota belongs to the entrant (store/entrants.py): a team's members share one,
and the lock then also takes the team's row, so two members sending the last file of the
day at once cannot both get it. Submission numbers (#1, #2, ...) count the entrant's
submissions, so a team's members see one history and pick from it.

Files that cannot be scored have an allowance of their own (`invalid_per_day` per user,
challenge and UTC day): once it is used up, every upload to that challenge is refused that
day before it is stored or read, so invalid uploads cannot fill the disk. It is counted the
same two ways (cheaply first, then under the lock before the row is inserted). An invalid
submission's row and reasons are kept for good; its file is removed by `trackrecord admin
gc` after `invalid_retention_days`, and the history then says the file is no longer kept.

A submission to a project the user already finalized is *practice*: scored and kept like
any other, but never part of the medal, the final picks or the mastery evidence. Every
estimate compares the public score with the public thresholds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trackrecord.errors import (
    Conflict,
    InvalidMetricInput,
    InvalidSubmission,
    NotFound,
    Problem,
    QuotaExceeded,
    TrackrecordError,
)
from trackrecord.service.grading import best_of, better, field_place, medal_progress
from trackrecord.service.projects import find_row, info_from_row
from trackrecord.service.types import MEDAL_ORDER, ScoreLike, SubmissionView, SubmitResult
from trackrecord.store.blobs import Blob
from trackrecord.store.entrants import entrant_of, lock_entrant, lock_users
from trackrecord.store.models import Challenge, Finalization, FinalPick, Submission

if TYPE_CHECKING:
    from trackrecord.bundle import Bundle
    from trackrecord.service.core import Service

SCORED = "scored"
INVALID = "invalid"
# Called with the new submission row in the transaction that inserts it (flushed, so it has
# an id): a code submission's job records its outcome atomically with the file's row, and
# may raise to refuse the insert (jobs/runner.py: a worker that lost its job's lease).
Link = Callable[[Session, Submission], None]
RECORDED_ERRORS = (InvalidSubmission, InvalidMetricInput)
MAX_NAME_BYTES = 200
FILE_REMOVED = (
    "the file is no longer kept: files that could not be scored are removed after a "
    "retention period; the reasons above stay"
)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The UTC day containing `now`: [midnight, next midnight)."""
    start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    return start, start + timedelta(days=1)


def count_today(
    session: Session, user_id: int, challenge_id: int, now: datetime, status: str = SCORED
) -> int:
    """Submissions to a challenge with this status on `now`'s UTC day: the scored ones of
    the user's entrant (their team's, if they are in one: the quota is shared), the
    invalid ones of the user alone (each learner has their own invalid-file allowance)."""
    start, end = day_bounds(now)
    who = entrant_of(session, user_id, challenge_id).members if status == SCORED else (user_id,)
    query = select(func.count(Submission.id)).where(
        Submission.user_id.in_(who),
        Submission.challenge_id == challenge_id,
        Submission.status == status,
        Submission.created_at >= start,
        Submission.created_at < end,
    )
    return int(session.scalar(query) or 0)


def _until_reset(now: datetime) -> str:
    minutes = int((day_bounds(now)[1] - now).total_seconds() // 60) + 1
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _quota_error(row: Challenge, now: datetime, team: str | None = None) -> QuotaExceeded:
    who = "you have" if team is None else f"your team {team} has"
    return QuotaExceeded(
        f"{who} used all {row.per_day} submissions to {row.slug} for today (UTC); "
        f"the next one counts from 00:00 UTC, in {_until_reset(now)}"
    )


def _invalid_quota_error(row: Challenge, allowed: int, now: datetime) -> QuotaExceeded:
    return QuotaExceeded(
        f"you have sent {allowed} files to {row.slug} today (UTC) that could not be scored, "
        f"the most allowed in a day; uploads to {row.slug} are refused until 00:00 UTC, in "
        f"{_until_reset(now)}. Compare your file with the sample submission before sending it"
    )


def check_allowances(
    svc: Service, session: Session, user_id: int, row: Challenge, now: datetime
) -> None:
    """Refuse when today's scored quota or today's allowance of invalid files is used up."""
    if count_today(session, user_id, row.id, now) >= row.per_day:
        raise _quota_error(row, now, entrant_of(session, user_id, row.id).name)
    allowed = svc.settings.invalid_per_day
    if count_today(session, user_id, row.id, now, INVALID) >= allowed:
        raise _invalid_quota_error(row, allowed, now)


def check_open(row: Challenge, now: datetime) -> None:
    if row.opens_at is not None and now < row.opens_at:
        raise Conflict(f"{row.slug} opens for submissions at {row.opens_at:%Y-%m-%d %H:%M} UTC")
    if row.deadline is not None and now >= row.deadline:
        raise Conflict(f"{row.slug} closed for submissions at {row.deadline:%Y-%m-%d %H:%M} UTC")


def _prepare(svc: Service, user_id: int, project_id: str) -> Challenge:
    """The challenge row, with the user enrolled; refuses early when closed, over quota or
    out of invalid files for today."""
    with svc.session(write_lock=True) as s:
        row = svc.challenge_row(s, project_id)
        now = svc.now()
        check_open(row, now)
        check_allowances(svc, s, user_id, row, now)
        svc.enroll(s, user_id, row)
    return row


def _score_as(svc: Service, bundle: Bundle, blob: Blob, filename: str) -> ScoreLike:
    """Score the stored bytes under the learner's file name, so messages name their file."""
    with tempfile.TemporaryDirectory(prefix="trackrecord-submit-") as tmp:
        named = Path(tmp) / filename
        try:
            os.link(blob.path, named)
        except OSError:
            shutil.copyfile(blob.path, named)
        return svc.scorer(bundle, named)


def finalization_of(session: Session, user_id: int, challenge_id: int) -> Finalization | None:
    """The user's finalization of a challenge, if they finalized it."""
    return session.scalars(
        select(Finalization).where(
            Finalization.user_id == user_id, Finalization.challenge_id == challenge_id
        )
    ).first()


def numbers(session: Session, user_id: int, challenge_id: int) -> dict[int, int]:
    """Submission id -> its number within the entrant's submissions to the challenge (1, 2,
    ... in arrival order, invalid files included; rows are never deleted, so it is stable
    until a merge puts two histories into one)."""
    who = entrant_of(session, user_id, challenge_id).members
    ids = session.scalars(
        select(Submission.id)
        .where(Submission.user_id.in_(who), Submission.challenge_id == challenge_id)
        .order_by(Submission.id)
    )
    return {sub_id: n for n, sub_id in enumerate(ids, 1)}


def _new_row(
    session: Session,
    user_id: int,
    row: Challenge,
    blob: Blob,
    filename: str,
    note: str | None,
    now: datetime,
) -> Submission:
    practice = finalization_of(session, user_id, row.id) is not None
    return Submission(
        practice=practice,
        user_id=user_id,
        challenge_id=row.id,
        created_at=now,
        file_sha256=blob.sha256,
        original_filename=filename,
        size_bytes=blob.size,
        note=note,
        status=INVALID,
    )


def _record_invalid(
    svc: Service, user_id: int, row: Challenge, blob: Blob, filename: str,
    note: str | None, exc: TrackrecordError, link: Link | None = None,
) -> None:  # fmt: skip
    """Record the invalid file with its reasons, if today's allowance still has room; a
    concurrent upload that used the last place gets the quota error instead (the file it
    stored is left unreferenced for `admin gc`)."""
    with svc.session(write_lock=True) as s:
        lock_users(s, [user_id])  # serializes quota checks with inserts
        now = svc.now()
        allowed = svc.settings.invalid_per_day
        if count_today(s, user_id, row.id, now, INVALID) >= allowed:
            raise _invalid_quota_error(row, allowed, now) from exc
        sub = _new_row(s, user_id, row, blob, filename, note, now)
        sub.error = exc.to_dict()
        s.add(sub)
        if link is not None:
            s.flush()
            link(s, sub)


def _record_scored(
    svc: Service, user_id: int, row: Challenge, blob: Blob, filename: str,
    note: str | None, result: ScoreLike, link: Link | None = None,
) -> tuple[Submission, int]:  # fmt: skip
    """Insert the scored row if the quota allows, atomically; returns it and today's count."""
    with svc.session(write_lock=True) as s:
        entrant = lock_entrant(s, user_id, row.id)  # and the team's row: one shared quota
        now = svc.now()
        used = count_today(s, user_id, row.id, now)
        if used >= row.per_day:
            raise _quota_error(row, now, entrant.name)
        sub = _new_row(s, user_id, row, blob, filename, note, now)
        sub.status = SCORED
        sub.public_score = float(result.public)
        sub.private_score = float(result.private)
        sub.rows = int(result.rows)
        s.add(sub)
        s.flush()
        if link is not None:
            link(s, sub)
        return sub, used + 1


def safe_filename(name: str) -> str:
    """The base name of an uploaded file, short enough for the database and any filesystem."""
    base = PurePath(name.replace("\\", "/")).name
    if base in ("", ".", ".."):
        return "submission.csv"
    return base if len(base.encode()) <= MAX_NAME_BYTES else base[-MAX_NAME_BYTES // 4 :]


def submit(
    svc: Service,
    user_id: int,
    project_id: str,
    path: Path,
    *,
    filename: str | None = None,
    note: str | None = None,
    link: Link | None = None,
) -> SubmitResult:
    """Validate, score and record one submission file.

    Invalid files are recorded with their problems (not counting against the quota) and the
    scoring error is raised. Raises QuotaExceeded when today's scored submissions, or
    today's allowance of invalid files, are used up (then nothing is stored or read).
    `link(session, row)` runs in the transaction that records the file, scored or invalid
    (a code submission's output: jobs/runner.py).
    """
    if not path.is_file():
        raise NotFound(f"no submission file at {path}")
    name = safe_filename(filename or path.name)
    row = _prepare(svc, user_id, project_id)
    bundle = svc.bundle(project_id)
    blob = svc.blobs.put_file(path, max_bytes=svc.settings.max_upload_bytes)
    try:
        result = _score_as(svc, bundle, blob, name)
    except RECORDED_ERRORS as exc:
        _record_invalid(svc, user_id, row, blob, name, note, exc, link)
        raise
    sub, used = _record_scored(svc, user_id, row, blob, name, note, result, link)
    return _result(svc, user_id, row, bundle, sub, used)


def _result(
    svc: Service, user_id: int, row: Challenge, bundle: Bundle, sub: Submission, used: int
) -> SubmitResult:
    gib = row.greater_is_better
    with svc.session() as s:
        who = entrant_of(s, user_id, row.id).members
        earlier = s.scalars(
            select(Submission.public_score).where(
                Submission.user_id.in_(who),
                Submission.challenge_id == row.id,
                Submission.status == SCORED,
                Submission.id != sub.id,
            )
        ).all()
        number = numbers(s, user_id, row.id)[sub.id]
        done = finalization_of(s, user_id, row.id) if sub.practice else None
    public = float(sub.public_score or 0.0)
    previous = best_of([float(v) for v in earlier if v is not None], gib)
    best = public if previous is None else best_of([previous, public], gib)
    assert best is not None
    medal = next((m for m in MEDAL_ORDER if done is not None and done.medal == m), None)
    return SubmitResult(
        project_id=row.slug,
        submission=view(sub, row.slug, number=number),
        metric=row.metric,
        greater_is_better=gib,
        public_score=public,
        previous_best=previous,
        best=best,
        change=None if previous is None else public - previous,
        improved=previous is None or better(public, previous, gib),
        place=field_place(public, bundle.challenge.field, gib),
        medal_progress=medal_progress(public, info_from_row(row).public_thresholds, gib),
        per_day=row.per_day,
        left_today=max(row.per_day - used, 0),
        practice=sub.practice,
        finalized_medal=medal,
    )


def recorded_problems(error: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Why a file was not scored, as stored with the submission (the message, then each
    located problem), one line each."""
    body = (error or {}).get("error", {})
    problems = tuple(str(Problem(**p)) for p in body.get("problems", []))
    return (str(body["message"]), *problems) if body.get("message") else problems


def view(
    sub: Submission,
    project_id: str,
    *,
    number: int,
    picked: bool = False,
    reveal: bool = False,
    file_kept: bool = True,
) -> SubmissionView:
    """A submission as the learner sees it; the private score only when `reveal`.
    `file_kept=False` (an invalid file removed after its retention) adds a line saying so
    after the reasons, which stay."""
    problems = recorded_problems(sub.error)
    if not file_kept:
        problems = (*problems, FILE_REMOVED)
    return SubmissionView(
        id=sub.id,
        project_id=project_id,
        created_at=sub.created_at,
        filename=sub.original_filename,
        sha256=sub.file_sha256,
        size_bytes=sub.size_bytes,
        status=sub.status,
        public_score=sub.public_score,
        rows=sub.rows,
        problems=problems,
        picked=picked,
        private_score=sub.private_score if reveal else None,
        note=sub.note,
        number=number,
        practice=bool(sub.practice),
        file_kept=file_kept,
    )


def submissions(svc: Service, user_id: int, project_id: str) -> list[SubmissionView]:
    """The entrant's submissions to a project (the team's, when the user is in one), oldest
    first (private scores once finalized)."""
    svc.project(project_id)  # NotFound for an unknown id
    with svc.session() as s:
        row = find_row(s, project_id)
        if row is None:
            return []
        who = entrant_of(s, user_id, row.id).members
        subs = s.scalars(
            select(Submission)
            .where(Submission.user_id.in_(who), Submission.challenge_id == row.id)
            .order_by(Submission.id)
        ).all()
        picked = set(
            s.scalars(
                select(FinalPick.submission_id).where(
                    FinalPick.user_id.in_(who),
                    FinalPick.challenge_id == row.id,
                    FinalPick.withdrawn_at.is_(None),
                )
            )
        )
        reveal = finalization_of(s, user_id, row.id) is not None
    return [
        view(
            x, row.slug, number=n, picked=x.id in picked, reveal=reveal,
            file_kept=x.status != INVALID or svc.blobs.exists(x.file_sha256),
        )
        for n, x in enumerate(subs, 1)
    ]  # fmt: skip
