"""What a learner sees once they finalized a project, and only then.

The private score and medal, the private thresholds beside the public ones every estimate
used, where the private score stands (among the learners who finalized the project, and
among the field's private scores) and the reference pipeline's code, so step 3 of the
project ("reproduce the reference score without looking") can be checked afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trackrecord.bundle import reference_code
from trackrecord.errors import Conflict
from trackrecord.service.grading import field_place, medal_progress
from trackrecord.service.projects import info_from_row
from trackrecord.service.submit import finalization_of, numbers, view
from trackrecord.service.types import MEDAL_ORDER, FinalizeResult, LearnerPlace
from trackrecord.store.entrants import entrant_of
from trackrecord.store.models import Challenge, Finalization, FinalPick, Submission

if TYPE_CHECKING:
    from trackrecord.service.core import Service


def learner_place(session: Session, row: Challenge, private: float) -> LearnerPlace:
    """Rank of a private score among every finalization of the challenge (ties share); a
    team's members share one finalized submission, so entrants are counted by it."""
    score = Finalization.private_score
    ahead = score > private if row.greater_is_better else score < private
    of_challenge = Finalization.challenge_id == row.id
    entrants = func.count(func.distinct(Finalization.submission_id))
    better = session.scalar(select(entrants).where(of_challenge, ahead))
    total = session.scalar(select(entrants).where(of_challenge))
    return LearnerPlace(rank=int(better or 0) + 1, total=max(int(total or 0), 1))


def _picks(session: Session, fin: Finalization) -> list[Submission]:
    """The picks the finalization judged (active picks of that entrant and challenge)."""
    who = entrant_of(session, fin.user_id, fin.challenge_id).members
    ids = select(FinalPick.submission_id).where(
        FinalPick.user_id.in_(who),
        FinalPick.challenge_id == fin.challenge_id,
        FinalPick.withdrawn_at.is_(None),
    )
    return list(session.scalars(select(Submission).where(Submission.id.in_(ids))))


def result_of(session: Session, svc: Service, row: Challenge, fin: Finalization) -> FinalizeResult:
    """The revealed result of a finalization (no database connection besides `session`)."""
    gib = row.greater_is_better
    info = info_from_row(row)
    number = numbers(session, fin.user_id, row.id)
    picks = sorted(_picks(session, fin), key=lambda s: s.id)
    practice = session.scalar(
        select(func.count(Submission.id)).where(
            Submission.user_id == fin.user_id,
            Submission.challenge_id == row.id,
            Submission.practice.is_(True),
        )
    )
    bundle = svc.bundle_of(row)
    medal = next((m for m in MEDAL_ORDER if fin.medal == m), None)
    return FinalizeResult(
        project_id=row.slug,
        metric=row.metric,
        greater_is_better=gib,
        picks=tuple(
            view(p, row.slug, number=number[p.id], picked=True, reveal=True) for p in picks
        ),
        submission_id=fin.submission_id,
        public_score=fin.public_score,
        private_score=fin.private_score,
        medal=medal,
        medal_progress=medal_progress(fin.private_score, info.thresholds, gib, "private"),
        finalized_at=fin.created_at,
        submission_number=number.get(fin.submission_id, 0),
        thresholds=info.thresholds,
        public_thresholds=info.public_thresholds,
        learners=learner_place(session, row, fin.private_score),
        field_place=field_place(fin.private_score, bundle.challenge.field, gib, "private"),
        reference_code=reference_code(bundle),
        practice_submissions=int(practice or 0),
    )


def results(svc: Service, user_id: int, project_id: str) -> FinalizeResult:
    """The result of a project the user finalized; Conflict before that (private numbers
    are shown only once a project is finalized)."""
    svc.project(project_id)
    with svc.session() as s:
        row = svc.challenge_row(s, project_id)
        fin = finalization_of(s, user_id, row.id)
        if fin is None:
            raise Conflict(
                f"you have not finalized {row.slug} yet: its private thresholds, your private "
                f"score and the reference code appear after `trackrecord finalize {row.slug}`"
            )
        return result_of(s, svc, row, fin)
