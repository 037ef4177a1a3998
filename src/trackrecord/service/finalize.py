"""Finalizing: choose the final picks, reveal the private score, award the medal. Once.

Picks are selected with `select_picks` (any time before a deadline, as on Kaggle, where
they close with the competition) or named when finalizing a project without a deadline;
a learner who selected none is judged on their best public scores, earliest first on ties.
The private score is the best private score among the picks. After a deadline the picks
are frozen: finalizing reveals the score of the picks made before it. A unique constraint
on (user, challenge) makes a second finalization impossible even under concurrency.

`preview` says what finalizing would judge (the picks, their public scores, the rule)
without changing anything, so every face can ask before it happens. Practice submissions
(sent after finalizing) are never picks.

Everything here is the entrant's (store/entrants.py): a team's members choose one set of
picks from the team's submissions, and the first member to finalize finalizes the team: one
finalization row per member, all with the same submission, score and medal, made in one
transaction under the team's lock. The signed credential is issued once per result, to the
member whose file it is (the ledger keys a result credential by its submission).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trackrecord.bundle import Thresholds
from trackrecord.errors import Conflict, NotFound
from trackrecord.service.grading import medal_for, medal_progress
from trackrecord.service.projects import info_from_row
from trackrecord.service.reveal import result_of
from trackrecord.service.submit import SCORED, numbers, view
from trackrecord.service.types import FinalizePreview, FinalizeResult
from trackrecord.store.entrants import Entrant, entrant_of, lock_entrant
from trackrecord.store.models import Challenge, Finalization, FinalPick, Submission

if TYPE_CHECKING:
    from trackrecord.service.core import Service


def _sort_key(sub: Submission, score: float | None, gib: bool) -> tuple[float, int]:
    value = float(score if score is not None else 0.0)
    return (-value if gib else value, sub.id)


def _active_picks(session: Session, who: Entrant, row: Challenge) -> list[int]:
    return list(
        session.scalars(
            select(FinalPick.submission_id)
            .where(
                FinalPick.user_id.in_(who.members),
                FinalPick.challenge_id == row.id,
                FinalPick.withdrawn_at.is_(None),
            )
            .order_by(FinalPick.id)
        )
    )


def choose_picks(
    scored: Sequence[Submission], picks: Sequence[int], row: Challenge
) -> list[Submission]:
    """The submissions to finalize: the ones named, or the best public ones."""
    if not picks:
        ranked = sorted(scored, key=lambda s: _sort_key(s, s.public_score, row.greater_is_better))
        return ranked[: row.final_picks]
    if len(set(picks)) != len(picks):
        raise Conflict(f"a submission is picked twice in {list(picks)}")
    if len(picks) > row.final_picks:
        raise Conflict(f"{len(picks)} picks given, but {row.slug} allows at most {row.final_picks}")
    by_id = {s.id: s for s in scored}
    missing = [p for p in picks if p not in by_id]
    if missing:
        raise NotFound(
            f"submission(s) {', '.join(map(str, missing))} are not scored submissions of "
            f"yours to {row.slug}; see `trackrecord submissions {row.slug}`"
        )
    return [by_id[p] for p in picks]


def ids_of_numbers(
    session: Session, user_id: int, row: Challenge, wanted: Sequence[int]
) -> list[int]:
    """The ids of the user's submissions #n to a challenge (the numbers every face shows)."""
    by_number = {n: sub_id for sub_id, n in numbers(session, user_id, row.id).items()}
    missing = [n for n in wanted if n not in by_number]
    if missing:
        raise NotFound(
            f"you have no submission {', '.join(f'#{n}' for n in missing)} to {row.slug}; "
            f"see `trackrecord submissions {row.slug}`"
        )
    return [by_number[n] for n in wanted]


def _lock_unfinalized(session: Session, user_id: int, row: Challenge) -> Entrant:
    """Lock the user's row and their team's (picks and finalization of one entrant are
    serialized) and refuse a project this entrant already finalized."""
    who = lock_entrant(session, user_id, row.id)
    done = session.scalars(
        select(Finalization).where(
            Finalization.user_id.in_(who.members), Finalization.challenge_id == row.id
        )
    ).first()
    if done is not None:
        raise Conflict(
            f"{row.slug} was already finalized on {done.created_at:%Y-%m-%d %H:%M} UTC "
            f"(private score {done.private_score:.6g}, medal: {done.medal or 'none'}); "
            "a project is finalized once"
        )
    return who


def _check_can_finalize(session: Session, svc: Service, user_id: int, row: Challenge) -> Entrant:
    who = _lock_unfinalized(session, user_id, row)
    if row.deadline is not None and svc.now() < row.deadline:
        raise Conflict(
            f"{row.slug} reveals private scores at its deadline, {row.deadline:%Y-%m-%d %H:%M} UTC"
        )
    return who


def _scored(session: Session, who: Entrant, row: Challenge) -> list[Submission]:
    subs = session.scalars(
        select(Submission).where(
            Submission.user_id.in_(who.members),
            Submission.challenge_id == row.id,
            Submission.status == SCORED,
            Submission.practice.is_(False),
        )
    ).all()
    if not subs:
        raise Conflict(f"nothing to finalize: you have no scored submission to {row.slug} yet")
    return list(subs)


def select_picks(svc: Service, user_id: int, project_id: str, picks: Sequence[int]) -> None:
    """Make `picks` (ids of the user's scored submissions, at most the project's
    `final_picks`) the submissions that count on the private board; an empty list clears
    them (the best public ones count). Open until the deadline, and until the user
    finalizes a project without one."""
    svc.project(project_id)
    with svc.session(write_lock=True) as s:
        row = svc.challenge_row(s, project_id)
        who = _lock_unfinalized(s, user_id, row)
        now = svc.now()
        if row.deadline is not None and now >= row.deadline:
            raise Conflict(
                f"final picks for {row.slug} closed at its deadline, "
                f"{row.deadline:%Y-%m-%d %H:%M} UTC"
            )
        chosen = choose_picks(_scored(s, who, row), picks, row) if picks else []
        replace_picks(s, user_id, who, row, chosen, now)


def _judged(
    s: Session,
    svc: Service,
    user_id: int,
    row: Challenge,
    picks: Sequence[int],
    by_number: Sequence[int],
) -> tuple[list[Submission], bool]:
    """The submissions finalizing would judge, and whether the user chose them."""
    who = _check_can_finalize(s, svc, user_id, row)
    named = list(picks) + ids_of_numbers(s, user_id, row, by_number)
    if named and row.deadline is not None:
        raise Conflict(
            f"final picks for {row.slug} closed at its deadline: finalizing reveals "
            "the picks selected before it (or your best public submissions)"
        )
    chosen_ids = named or _active_picks(s, who, row)
    return choose_picks(_scored(s, who, row), chosen_ids, row), bool(chosen_ids)


def finalize(
    svc: Service,
    user_id: int,
    project_id: str,
    picks: Sequence[int] = (),
    *,
    by_number: Sequence[int] = (),
) -> FinalizeResult:
    """Finalize a project for a user; raises Conflict when it was finalized before.

    `picks` are submission ids, `by_number` submission numbers within the project (#n);
    neither: the selected picks, else the best public submissions."""
    svc.project(project_id)
    try:
        with svc.session(write_lock=True) as s:
            row = svc.challenge_row(s, project_id)
            chosen, _ = _judged(s, svc, user_id, row, picks, by_number)
            fin = _record(s, svc, user_id, row, chosen)
            return result_of(s, svc, row, fin)
    except IntegrityError:
        raise Conflict(f"{project_id} was finalized by another request just now") from None


def rule_text(row: Challenge, selected: bool, count: int) -> str:
    """How the picks are chosen, in words."""
    if selected:
        which = f"the {count} submission(s) you picked"
    else:
        which = (
            f"your {row.final_picks} best public submission(s) (the earliest on ties; "
            "choose others with --pick)"
        )
    return f"{which}; the best private score among them counts, once and for good"


def preview(
    svc: Service,
    user_id: int,
    project_id: str,
    picks: Sequence[int] = (),
    *,
    by_number: Sequence[int] = (),
) -> FinalizePreview:
    """What `finalize` would judge now, changing nothing; raises what finalize would."""
    svc.project(project_id)
    with svc.session() as s:
        row = svc.challenge_row(s, project_id)
        chosen, selected = _judged(s, svc, user_id, row, picks, by_number)
        number = numbers(s, user_id, row.id)
    gib = row.greater_is_better
    best = sorted(chosen, key=lambda x: _sort_key(x, x.public_score, gib))[0]
    public = info_from_row(row).public_thresholds
    return FinalizePreview(
        project_id=row.slug,
        metric=row.metric,
        greater_is_better=gib,
        picks=tuple(view(c, row.slug, number=number[c.id]) for c in chosen),
        rule=rule_text(row, selected, len(chosen)),
        final_picks=row.final_picks,
        selected=selected,
        estimate=medal_progress(float(best.public_score or 0.0), public, gib),
        deadline=row.deadline,
    )


def replace_picks(
    s: Session, user_id: int, who: Entrant, row: Challenge, chosen: list[Submission],
    now: datetime,
) -> None:  # fmt: skip
    """Make `chosen` the entrant's active picks (new ones recorded under the member who
    chose them): earlier picks not chosen are withdrawn, not deleted."""
    keep = {c.id for c in chosen}
    active = s.scalars(
        select(FinalPick).where(
            FinalPick.user_id.in_(who.members),
            FinalPick.challenge_id == row.id,
            FinalPick.withdrawn_at.is_(None),
        )
    ).all()
    for pick in active:
        if pick.submission_id not in keep:
            pick.withdrawn_at = now
    present = {p.submission_id for p in active}
    for sub_id in sorted(keep - present):
        s.add(FinalPick(user_id=user_id, challenge_id=row.id, submission_id=sub_id, created_at=now))


def _record(
    s: Session, svc: Service, user_id: int, row: Challenge, chosen: list[Submission]
) -> Finalization:
    """One finalization per member of the entrant (the same result for all); returns the
    user's."""
    gib = row.greater_is_better
    now = svc.now()
    best = sorted(chosen, key=lambda x: _sort_key(x, x.private_score, gib))[0]
    private = float(best.private_score if best.private_score is not None else 0.0)
    medal = medal_for(private, Thresholds(row.baseline, row.reference, row.gold), gib)
    who = entrant_of(s, user_id, row.id)
    replace_picks(s, user_id, who, row, chosen, now)
    fins = {
        member: Finalization(
            user_id=member,
            challenge_id=row.id,
            submission_id=best.id,
            public_score=float(best.public_score or 0.0),
            private_score=private,
            medal=medal,
            created_at=now,
        )
        for member in who.members
    }
    s.add_all(fins.values())
    s.flush()
    from trackrecord.ledger.service import issue_for_finalization  # loaded when used

    # The signed credentials, or no finalization: every member gets their own result.
    for member in sorted(fins):
        issue_for_finalization(s, svc, fins[member], row)
    return fins[user_id]
