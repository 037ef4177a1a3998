"""A learner's progress: the catalog with progress marks, and the status report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trackrecord.errors import NotFound
from trackrecord.metrics import get_metric
from trackrecord.service.grading import best_of, medal_progress
from trackrecord.service.projects import as_seen_by, find_row, info_from_meta, info_from_row
from trackrecord.service.submit import SCORED, day_bounds, finalization_of
from trackrecord.service.types import (
    MEDAL_ORDER,
    CatalogEntry,
    Medal,
    ProjectInfo,
    ProjectReport,
    ProjectStatus,
    State,
    StatusReport,
)
from trackrecord.service.types import Progress as ProgressMark
from trackrecord.store.models import Challenge, Enrollment, Finalization, Submission, User

if TYPE_CHECKING:
    from trackrecord.service.core import Service


def enroll(session: Session, user_id: int, challenge_id: int, now: datetime) -> None:
    """Record that a user started a challenge; a second start changes nothing."""
    exists = session.scalar(
        select(Enrollment.id).where(
            Enrollment.user_id == user_id, Enrollment.challenge_id == challenge_id
        )
    )
    if exists is not None:
        return
    try:
        with session.begin_nested():
            session.add(Enrollment(user_id=user_id, challenge_id=challenge_id, started_at=now))
    except IntegrityError:
        pass  # enrolled concurrently


@dataclass
class _Row:
    """What the database knows about one challenge for one user."""

    challenge: Challenge
    enrolled: bool = False
    submissions: int = 0
    best_public: float | None = None
    last_at: datetime | None = None
    medal: Medal | None = None
    private: float | None = None
    finalized: bool = False
    practice: int = 0

    @property
    def state(self) -> State:
        if self.finalized:
            return "finalized"
        return "started" if self.enrolled or self.submissions else "new"

    def mark(self) -> ProgressMark:
        return ProgressMark(
            self.state, self.submissions, self.best_public, self.medal, self.private
        )


def _user_rows(session: Session, user_id: int) -> dict[str, _Row]:
    """Per challenge slug: enrollment, scored submissions, best public, finalization."""
    rows = {c.slug: _Row(c) for c in session.scalars(select(Challenge))}
    by_id = {r.challenge.id: r for r in rows.values()}
    for cid in session.scalars(
        select(Enrollment.challenge_id).where(Enrollment.user_id == user_id)
    ):
        by_id[cid].enrolled = True
    stats = session.execute(
        select(
            Submission.challenge_id,
            func.count(Submission.id),
            func.max(Submission.public_score),
            func.min(Submission.public_score),
            func.max(Submission.created_at),
        )
        .where(Submission.user_id == user_id, Submission.status == SCORED)
        .group_by(Submission.challenge_id, Submission.practice)
        .add_columns(Submission.practice)
    )
    for cid, count, hi, lo, last, practice in stats:
        row = by_id[cid]
        row.last_at = last if row.last_at is None else max(row.last_at, last)
        if practice:  # after finalizing: counted apart, never the judged best
            row.practice = int(count)
            continue
        row.submissions = int(count)
        row.best_public = hi if row.challenge.greater_is_better else lo
    for fin in session.scalars(select(Finalization).where(Finalization.user_id == user_id)):
        row = by_id[fin.challenge_id]
        row.finalized, row.private = True, fin.private_score
        row.medal = fin.medal if fin.medal in MEDAL_ORDER else None
    return rows


def matches(info: ProjectInfo, task: str | None, skill: str | None, level: int | None) -> bool:
    """Does the project pass the catalog's task, skill and level filters (None: any)?"""
    return (
        (task is None or info.task == task)
        and (skill is None or skill in info.skills)
        and (level is None or info.level == level)
    )


Origin = Literal["class", "builtin"]
ORIGINS: tuple[Origin, ...] = ("class", "builtin")
HOSTING_ROLES = ("host", "admin")


def builtin_hidden(svc: Service, user_id: int, session: Session | None = None) -> bool:
    """True when this server hides the built-in catalog from this user: a hosted server
    with `hide_builtin_catalog`, and a user who is not a host or an admin (they host copies
    of it, so they keep seeing it)."""
    if not (svc.settings.hosted and svc.settings.hide_builtin_catalog):
        return False
    if session is None:
        with svc.session() as s:
            return builtin_hidden(svc, user_id, s)
    role = session.scalar(select(User.role).where(User.id == user_id))
    return role not in HOSTING_ROLES


def check_listed(svc: Service, user_id: int, project_id: str) -> None:
    """Refuse (NotFound, 404) a built-in project the server hides from this learner: it is
    not started, opened or submitted to, as if it did not exist here."""
    if not (svc.settings.hosted and svc.settings.hide_builtin_catalog):
        return  # the common case costs no query
    with svc.session() as s:
        if not builtin_hidden(svc, user_id, s):
            return
        row = find_row(s, project_id)
    if row is not None and row.source == "uploaded" and row.archived_at is None:
        return
    raise NotFound(
        f"no project {project_id!r} on this server: it lists only the challenges of its class"
    )


def of_origin(info: ProjectInfo, origin: Origin | None) -> bool:
    """Is the project from the class (a challenge the server hosts) or built-in?"""
    if origin is None:
        return True
    return (info.source == "uploaded") == (origin == "class")


def _class_infos(rows: dict[str, _Row], builtin: set[str]) -> list[ProjectInfo]:
    """The server's own challenges (not archived), by id."""
    return sorted(
        (info_from_row(r.challenge) for r in rows.values() if r.challenge.source == "uploaded"
         and r.challenge.archived_at is None and r.challenge.slug not in builtin),
        key=lambda i: i.id,
    )  # fmt: skip


def list_catalog(
    svc: Service,
    user_id: int,
    *,
    task: str | None = None,
    skill: str | None = None,
    level: int | None = None,
    origin: Origin | None = None,
) -> list[CatalogEntry]:
    """The class first: the server's own challenges by id, then the built-in projects in
    catalog order (none when the server hides them from this learner), each with progress.
    `origin` keeps only one of the two ("class" or "builtin")."""
    with svc.session() as s:
        rows = _user_rows(s, user_id)
        hidden = builtin_hidden(svc, user_id, s)
    metas = svc.catalog.list_projects()
    builtin = [
        info_from_row(rows[m.id].challenge, m.apply_elsewhere)
        if m.id in rows
        else info_from_meta(m)
        for m in metas
    ]
    infos = _class_infos(rows, {m.id for m in metas}) + ([] if hidden else builtin)
    marks = {i.id: rows[i.id].mark() if i.id in rows else ProgressMark("new") for i in infos}
    return [
        CatalogEntry(as_seen_by(i, marks[i.id].state == "finalized"), marks[i.id])
        for i in infos
        if matches(i, task, skill, level) and of_origin(i, origin)
    ]


def streak(days: set[date], today: date) -> int:
    """Consecutive days with a submission, ending today (or yesterday: today isn't over)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _total_projects(svc: Service, rows: dict[str, _Row], hidden: bool = False) -> int:
    """How many projects exist now: the catalog's (unless hidden from the learner), and
    hosted ones not archived."""
    builtin = set() if hidden else {m.id for m in svc.catalog.list_projects()}
    hosted = {
        slug
        for slug, r in rows.items()
        if r.challenge.source == "uploaded" and r.challenge.archived_at is None
    }
    return len(builtin | hosted)


def status(svc: Service, user_id: int) -> StatusReport:
    """Projects started and finalized (of the projects that exist), medals, per-project
    best, streak."""
    now = svc.now()
    with svc.session() as s:
        every = _user_rows(s, user_id)
        hidden = builtin_hidden(svc, user_id, s)
        rows = [r for r in every.values() if r.state != "new"]
        times = s.scalars(
            select(Submission.created_at).where(
                Submission.user_id == user_id, Submission.status == SCORED
            )
        ).all()
    start, end = day_bounds(now)
    medals = Counter(r.medal for r in rows if r.medal)
    projects = tuple(
        ProjectStatus(
            id=r.challenge.slug,
            title=r.challenge.title,
            metric=r.challenge.metric,
            state=r.state,
            submissions=r.submissions,
            best_public=r.best_public,
            medal=r.medal,
            private_score=r.private,
            last_submission_at=r.last_at,
            practice=r.practice,
        )
        for r in sorted(rows, key=lambda r: r.challenge.slug)
    )
    return StatusReport(
        started=len(rows),
        finalized=sum(r.finalized for r in rows),
        medals={m: medals.get(m, 0) for m in reversed(MEDAL_ORDER)},
        streak_days=streak({t.date() for t in times}, now.date()),
        submissions_today=sum(start <= t < end for t in times),
        projects=projects,
        total_projects=_total_projects(svc, every, hidden),
    )


def project_report(svc: Service, user_id: int, project_id: str) -> ProjectReport:
    """One project for one learner: every submission, the best judged public score against
    the public thresholds, and once finalized the revealed result."""
    info = svc.project(project_id)
    subs = tuple(svc.submissions(user_id, project_id))
    gib = get_metric(info.metric).greater_is_better
    judged = [
        v.public_score
        for v in subs
        if v.status == SCORED and not v.practice and v.public_score is not None
    ]
    best = best_of(judged, gib)
    with svc.session() as s:
        row = find_row(s, project_id)
        enrolled = row is not None and (
            s.scalar(
                select(Enrollment.id).where(
                    Enrollment.user_id == user_id, Enrollment.challenge_id == row.id
                )
            )
            is not None
        )
        finalized = row is not None and finalization_of(s, user_id, row.id) is not None
    state: State = "finalized" if finalized else "started" if enrolled or subs else "new"
    return ProjectReport(
        project=as_seen_by(info, finalized),  # private lines only once finalized
        state=state,
        submissions=subs,
        best_public=best,
        estimate=None if best is None else medal_progress(best, info.public_thresholds, gib),
        result=svc.results(user_id, project_id) if finalized else None,
    )
