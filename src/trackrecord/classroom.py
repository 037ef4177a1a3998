"""The teacher's view: a learners x challenges table of a host's challenges, and its CSV.

One row per learner (every active learner account, and anyone else who worked on these
challenges), one cell per challenge: judged submissions, invalid files, practice files, best
public score, the private score and medal once they are due, and the last activity.
Private numbers follow the leaderboard's rule: for a self-paced challenge once the learner
finalized; for a challenge with a deadline once it passed (then every learner's final
submission counts, finalized or not, as on the private board).

The table costs a fixed number of queries whatever the class size (challenges, one
aggregate over submissions, enrollments, finalizations, users), plus one private board per
challenge whose deadline passed: never one query per learner or per cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from trackrecord.leaderboard import private_candidates, private_due
from trackrecord.service.submit import INVALID, SCORED
from trackrecord.store.models import Challenge, Enrollment, Finalization, Submission, User

if TYPE_CHECKING:
    from trackrecord.hosting import Actor
    from trackrecord.service import Service


@dataclass(frozen=True)
class ClassChallenge:
    """A column of the table: one hosted challenge."""

    id: str
    title: str
    metric: str
    greater_is_better: bool
    deadline: datetime | None
    private_due: bool  # the whole private board is out (a deadline that passed)


@dataclass(frozen=True)
class Cell:
    """One learner on one challenge. `submissions` counts judged scored files (practice
    ones, sent after finalizing, apart); `private_score` and `medal` are None until due."""

    submissions: int = 0
    invalid: int = 0
    practice: int = 0
    best_public: float | None = None
    private_score: float | None = None
    medal: str | None = None
    finalized: bool = False
    last_activity: datetime | None = None

    @property
    def started(self) -> bool:
        return self.last_activity is not None


@dataclass(frozen=True)
class LearnerRow:
    """A row of the table: one account, its cells in the order of the table's challenges."""

    user_id: int
    username: str
    display_name: str | None
    role: str
    cells: tuple[Cell, ...]

    @property
    def last_activity(self) -> datetime | None:
        times = [c.last_activity for c in self.cells if c.last_activity is not None]
        return max(times) if times else None

    @property
    def medals(self) -> int:
        return sum(c.medal is not None for c in self.cells)


@dataclass(frozen=True)
class ClassTable:
    challenges: tuple[ClassChallenge, ...]
    learners: tuple[LearnerRow, ...]
    built_at: datetime


def _latest(*times: datetime | None) -> datetime | None:
    found = [t for t in times if t is not None]
    return max(found) if found else None


def hosted_rows(s: Session, actor: Actor) -> list[Challenge]:
    """The hosted challenges `actor` owns (an admin: all), by slug."""
    query = select(Challenge).where(Challenge.hosted).order_by(Challenge.slug)
    if not actor.admin:
        query = query.where(Challenge.created_by == actor.user_id)
    return list(s.scalars(query))


Key = tuple[int, int]  # (user id, challenge id)


def _submission_cells(s: Session, rows: Mapping[int, Challenge]) -> dict[Key, Cell]:
    """Counts, best public and last upload per (learner, challenge): one aggregate query."""
    found = s.execute(
        select(
            Submission.user_id,
            Submission.challenge_id,
            Submission.status,
            Submission.practice,
            func.count(Submission.id),
            func.max(Submission.public_score),
            func.min(Submission.public_score),
            func.max(Submission.created_at),
        )
        .where(Submission.challenge_id.in_(list(rows)))
        .group_by(
            Submission.user_id, Submission.challenge_id, Submission.status, Submission.practice
        )
    ).all()
    cells: dict[Key, Cell] = {}
    for uid, cid, status, practice, n, hi, lo, last in found:
        cell = cells.get((uid, cid), Cell())
        cell = replace(cell, last_activity=_latest(cell.last_activity, last))
        if status == INVALID:
            cell = replace(cell, invalid=cell.invalid + int(n))
        elif status == SCORED and practice:
            cell = replace(cell, practice=cell.practice + int(n))
        elif status == SCORED:
            best = hi if rows[cid].greater_is_better else lo
            cell = replace(cell, submissions=int(n), best_public=best)
        cells[(uid, cid)] = cell
    return cells


def _add_enrollments(s: Session, ids: list[int], cells: dict[Key, Cell]) -> None:
    found = s.execute(
        select(Enrollment.user_id, Enrollment.challenge_id, Enrollment.started_at).where(
            Enrollment.challenge_id.in_(ids)
        )
    )
    for uid, cid, at in found:
        cell = cells.get((uid, cid), Cell())
        cells[(uid, cid)] = replace(cell, last_activity=_latest(cell.last_activity, at))


def _add_private(
    s: Session, rows: Mapping[int, Challenge], cells: dict[Key, Cell], now: datetime
) -> None:
    """Private scores and medals that are due: finalizations (self-paced, or a deadline
    that passed), and after a deadline every learner's final submission (the private
    board's rule, one board per such challenge)."""
    found = s.execute(
        select(
            Finalization.user_id,
            Finalization.challenge_id,
            Finalization.private_score,
            Finalization.medal,
            Finalization.created_at,
        ).where(Finalization.challenge_id.in_(list(rows)))
    )
    for uid, cid, score, medal, at in found:
        row = rows[cid]
        due = row.deadline is None or private_due(row, now)
        cell = cells.get((uid, cid), Cell())
        cells[(uid, cid)] = replace(
            cell,
            finalized=True,
            private_score=float(score) if due else None,
            medal=medal if due else None,
            last_activity=_latest(cell.last_activity, at),
        )
    for cid, row in rows.items():
        if row.deadline is None or not private_due(row, now):
            continue
        for c in private_candidates(s, row, now):
            for uid in c.member_ids or (c.user_id,):  # a team's result is every member's
                cell = cells.get((uid, cid), Cell())
                if not cell.finalized:
                    cells[(uid, cid)] = replace(cell, private_score=c.score)


def _people(s: Session, ids: list[int]) -> list[User]:
    """Every active learner account, and whoever has activity on these challenges."""
    if not ids:
        return []
    worked = or_(
        User.id.in_(select(Submission.user_id).where(Submission.challenge_id.in_(ids))),
        User.id.in_(select(Enrollment.user_id).where(Enrollment.challenge_id.in_(ids))),
    )
    learner = (User.role == "learner") & User.is_active
    return list(s.scalars(select(User).where(or_(learner, worked)).order_by(User.username)))


def class_table(svc: Service, actor: Actor) -> ClassTable:
    """The learners x challenges table of the challenges `actor` hosts (an admin: every
    hosted challenge), learners by username, challenges by id."""
    now = svc.now()
    with svc.session() as s:
        rows = {r.id: r for r in hosted_rows(s, actor)}
        cells = _submission_cells(s, rows) if rows else {}
        _add_enrollments(s, list(rows), cells)
        _add_private(s, rows, cells, now)
        users = _people(s, list(rows))
    order = list(rows.values())
    challenges = tuple(
        ClassChallenge(
            r.slug, r.title, r.metric, r.greater_is_better, r.deadline, private_due(r, now)
        )
        for r in order
    )
    learners = tuple(
        LearnerRow(
            u.id,
            u.username,
            u.display_name,
            u.role,
            tuple(cells.get((u.id, r.id), Cell()) for r in order),
        )
        for u in users
    )
    return ClassTable(challenges, learners, now)


# CSV ----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "username",
    "display_name",
    "role",
    "challenge",
    "submissions",
    "invalid",
    "practice",
    "best_public",
    "private_score",
    "medal",
    "finalized",
    "last_activity",
)


def _safe(value: object) -> object:
    # Spreadsheets run cells that start with these as formulas: neutralize them.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _score(value: float | None) -> str:
    return "" if value is None else repr(value)


def csv_rows(table: ClassTable) -> Iterable[Sequence[object]]:
    """One row per learner and challenge (every pair, started or not), in table order."""
    for learner in table.learners:
        for ch, cell in zip(table.challenges, learner.cells, strict=True):
            yield (
                learner.username,
                learner.display_name or "",
                learner.role,
                ch.id,
                cell.submissions,
                cell.invalid,
                cell.practice,
                _score(cell.best_public),
                _score(cell.private_score),
                cell.medal or "",
                int(cell.finalized),
                cell.last_activity.isoformat() if cell.last_activity else "",
            )


def export_csv(table: ClassTable) -> str:
    """The table as CSV text (columns: CSV_COLUMNS; docs/web.md, "The teacher's view")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(table):
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()
