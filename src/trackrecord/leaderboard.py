"""Kaggle-style leaderboards: public always, private only when it is due.

Ranks follow Kaggle: each learner appears once with their best score; equal scores share a
rank ("1, 2, 2, 4") and are listed by who got there first. The project's reference models
("the field") appear as marked rows placed by score; they take no rank.

The private board is due after the deadline for a challenge that has one (then every
learner's final submission counts: their finalized pick, else their picks, else their best
public submissions up to the pick limit, as on Kaggle). A self-paced project (no deadline)
reveals each learner's private score once that learner has finalized; the others do not
appear. Before that, no private score leaves this module.

A row belongs to an entrant (store/entrants.py): a team has one row, named after it, with
its best score, its members' submissions counted together and its one final result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from trackrecord.bundle import FieldEntry
from trackrecord.store.entrants import Entrant, teams_by_user
from trackrecord.store.models import (
    Challenge,
    Finalization,
    FinalPick,
    Submission,
    TeamMember,
    User,
)

Board = Literal["public", "private"]
SCORED = "scored"
PENDING = "pending"
# Scores equal to this many decimals tie: floating-point noise must not split a tie.
TIE_DECIMALS = 12


@dataclass(frozen=True)
class Candidate:
    """One learner's score on one board, before ranking."""

    user_id: int
    username: str
    display_name: str | None
    score: float
    submitted_at: datetime
    submissions: int
    medal: str | None = None
    team: str | None = None
    member_ids: tuple[int, ...] = ()  # a team's user ids
    members: tuple[str, ...] = ()  # their usernames


@dataclass(frozen=True)
class Row:
    """One leaderboard line: a ranked learner, or a reference model (rank None)."""

    rank: int | None
    name: str
    score: float
    is_reference: bool = False
    user_id: int | None = None
    display_name: str | None = None
    submitted_at: datetime | None = None
    submissions: int = 0
    medal: str | None = None
    team: str | None = None  # the team's name, for a team's row
    member_ids: tuple[int, ...] = ()  # a team's user ids (not shown)
    members: tuple[str, ...] = ()  # their usernames

    def has(self, user_id: int | None) -> bool:
        """Is this the row of `user_id` (theirs, or their team's)?"""
        return user_id is not None and (user_id == self.user_id or user_id in self.member_ids)

    def to_dict(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "name": self.name,
            "team": self.team,
            "members": list(self.members),
            "display_name": self.display_name,
            "score": self.score,
            "is_reference": self.is_reference,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "submissions": self.submissions,
            "medal": self.medal,
        }


@dataclass(frozen=True)
class Leaderboard:
    project_id: str
    title: str
    metric: str
    greater_is_better: bool
    deadline: datetime | None
    public: tuple[Row, ...]
    private: tuple[Row, ...] | None  # None: not due yet
    private_note: str

    def to_dict(self) -> dict[str, object]:
        return {
            "project_id": self.project_id,
            "title": self.title,
            "metric": self.metric,
            "greater_is_better": self.greater_is_better,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "public": [r.to_dict() for r in self.public],
            "private": None if self.private is None else [r.to_dict() for r in self.private],
            "private_note": self.private_note,
        }


def _key(score: float, greater_is_better: bool) -> float:
    rounded = round(score, TIE_DECIMALS)
    return -rounded if greater_is_better else rounded


def rank(
    candidates: Iterable[Candidate],
    greater_is_better: bool,
    field: Sequence[tuple[str, float]] = (),
) -> list[Row]:
    """Rank learners (ties share a rank, earliest first) and place the field's rows by score.

    A reference model with the same score as a learner is listed after that learner.
    """
    ordered = sorted(
        candidates, key=lambda c: (_key(c.score, greater_is_better), c.submitted_at, c.user_id)
    )
    rows: list[Row] = []
    previous: float | None = None
    current = 0
    for position, c in enumerate(ordered, start=1):
        key = _key(c.score, greater_is_better)
        if key != previous:
            current, previous = position, key
        rows.append(
            Row(
                current,
                c.username,
                c.score,
                False,
                c.user_id,
                c.display_name,
                c.submitted_at,
                c.submissions,
                c.medal,
                c.team,
                c.member_ids,
                c.members,
            )
        )
    return _with_field(rows, field, greater_is_better)


def _with_field(
    rows: list[Row], field: Sequence[tuple[str, float]], greater_is_better: bool
) -> list[Row]:
    if not field:
        return rows
    refs = sorted(field, key=lambda f: _key(f[1], greater_is_better))
    merged: list[Row] = []
    i = 0
    for name, score in refs:
        while i < len(rows) and _key(rows[i].score, greater_is_better) <= _key(
            score, greater_is_better
        ):
            merged.append(rows[i])
            i += 1
        merged.append(Row(None, name, score, is_reference=True))
    merged.extend(rows[i:])
    return merged


def private_due(challenge: Challenge, now: datetime) -> bool:
    """True when the whole private board is due: the challenge has a deadline that passed."""
    return challenge.deadline is not None and now >= challenge.deadline


def private_visible_to(
    session: Session, challenge: Challenge, user_id: int | None, now: datetime
) -> bool:
    """May this learner see their own private score on this challenge now?"""
    if challenge.deadline is not None:
        return now >= challenge.deadline
    if user_id is None:
        return False
    found = session.scalar(
        select(Finalization.id).where(
            Finalization.user_id == user_id, Finalization.challenge_id == challenge.id
        )
    )
    return found is not None


def _names(session: Session, user_ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    found = session.execute(
        select(User.id, User.username, User.display_name).where(User.id.in_(ids))
    ).all()
    return {uid: (name, display) for uid, name, display in found}


def public_candidates(session: Session, challenge: Challenge) -> list[Candidate]:
    """Each learner's best public score, the time they first reached it and their count."""
    best_fn = func.max if challenge.greater_is_better else func.min
    scored = (
        Submission.challenge_id == challenge.id,
        Submission.status == SCORED,
        Submission.practice.is_(False),  # after finalizing: learning, not competing
    )
    best = (
        select(
            Submission.user_id.label("user_id"),
            best_fn(Submission.public_score).label("best"),
            func.count(Submission.id).label("n"),
        )
        .where(*scored)
        .group_by(Submission.user_id)
        .subquery()
    )
    query = (
        select(best.c.user_id, best.c.best, best.c.n, func.min(Submission.created_at))
        .join(
            best, (Submission.user_id == best.c.user_id) & (Submission.public_score == best.c.best)
        )
        .where(*scored)
        .group_by(best.c.user_id, best.c.best, best.c.n)
    )
    found = [r for r in session.execute(query).all() if r[1] is not None]
    who = _entrants(session, challenge, (r[0] for r in found))
    tops = _entrant_bests(found, who, challenge.greater_is_better)
    ents = {e.key(): e for e in who.values()}
    names = _names(session, (m for e in ents.values() for m in e.members))
    return [_candidate(ents[k], names, score, at, n) for k, (score, at, n) in tops.items()]


def _entrant_bests(
    found: Sequence[Any], who: dict[int, Entrant], gib: bool
) -> dict[tuple[str, int], tuple[float, datetime, int]]:
    """Per entrant: the best of its members' bests, when first reached, and the count."""
    tops: dict[tuple[str, int], tuple[float, datetime, int]] = {}
    for uid, score, n, first in found:
        k = who[uid].key()
        cur = tops.get(k)
        total = int(n) + (cur[2] if cur is not None else 0)
        if cur is None or (_key(float(score), gib), first) < (_key(cur[0], gib), cur[1]):
            tops[k] = (float(score), first, total)
        else:
            tops[k] = (cur[0], cur[1], total)
    return tops


def _entrants(
    session: Session, challenge: Challenge, user_ids: Iterable[int]
) -> dict[int, Entrant]:
    """Each user -> the entrant they compete as (their team, else themselves)."""
    teams = teams_by_user(session, challenge.id)
    return {uid: teams.get(uid, Entrant((uid,))) for uid in set(user_ids)}


def _candidate(
    who: Entrant, names: dict[int, tuple[str, str | None]], score: float, at: datetime,
    n: int, medal: str | None = None,
) -> Candidate:  # fmt: skip
    """An entrant's candidate: a learner's, or a team's named after it with its members."""
    first = who.members[0]
    if who.team_id is None:
        return Candidate(first, *names.get(first, (f"user {first}", None)), score, at, n, medal)
    people = tuple(names.get(m, (f"user {m}", None))[0] for m in who.members)
    team = who.name or f"team {who.team_id}"
    shown = f"{team} ({', '.join(people)})"
    return Candidate(first, team, shown, score, at, n, medal, team, who.members, people)


def _finalized(session: Session, challenge: Challenge) -> dict[int, tuple[float, str | None, int]]:
    rows = session.execute(
        select(
            Finalization.user_id,
            Finalization.private_score,
            Finalization.medal,
            Finalization.submission_id,
        ).where(Finalization.challenge_id == challenge.id)
    ).all()
    return {uid: (float(score), medal, sid) for uid, score, medal, sid in rows}


def _scored_subs(session: Session, challenge: Challenge) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission)
            .where(
                Submission.challenge_id == challenge.id,
                Submission.status == SCORED,
                Submission.practice.is_(False),
            )
            .order_by(Submission.created_at, Submission.id)
        )
    )


def _picks(session: Session, challenge: Challenge) -> dict[int, set[int]]:
    found = session.execute(
        select(FinalPick.user_id, FinalPick.submission_id).where(
            FinalPick.challenge_id == challenge.id, FinalPick.withdrawn_at.is_(None)
        )
    ).all()
    picks: dict[int, set[int]] = {}
    for uid, sid in found:
        picks.setdefault(uid, set()).add(sid)
    return picks


def _final_choice(subs: list[Submission], picked: set[int], challenge: Challenge) -> Submission:
    """The submission whose private score counts: best private among the picks (or, with no
    picks, among the best public ones up to the pick limit)."""
    gib = challenge.greater_is_better
    chosen = [s for s in subs if s.id in picked]
    if not chosen:
        by_public = sorted(subs, key=lambda s: (_key(float(s.public_score or 0), gib), s.id))
        chosen = by_public[: max(challenge.final_picks, 1)]
    return min(chosen, key=lambda s: (_key(float(s.private_score or 0), gib), s.id))


def _finalized_rows(
    session: Session, challenge: Challenge
) -> list[tuple[int, float, str | None, datetime]]:
    """Each finalized learner's private score, medal and when the chosen file came in."""
    rows = session.execute(
        select(
            Finalization.user_id,
            Finalization.private_score,
            Finalization.medal,
            Submission.created_at,
        )
        .join(Submission, Submission.id == Finalization.submission_id)
        .where(Finalization.challenge_id == challenge.id)
    ).all()
    return [(uid, float(score), medal, at) for uid, score, medal, at in rows]


def _counts(session: Session, challenge: Challenge, user_ids: Iterable[int]) -> dict[int, int]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    found = session.execute(
        select(Submission.user_id, func.count(Submission.id))
        .where(
            Submission.challenge_id == challenge.id,
            Submission.status == SCORED,
            Submission.practice.is_(False),
            Submission.user_id.in_(ids),
        )
        .group_by(Submission.user_id)
    ).all()
    return {uid: int(n) for uid, n in found}


def _self_paced_candidates(session: Session, challenge: Challenge) -> list[Candidate]:
    """Only learners who finalized: no need to read anybody's submissions but theirs."""
    rows = _finalized_rows(session, challenge)
    who = _entrants(session, challenge, (r[0] for r in rows))
    members = [m for e in who.values() for m in e.members]
    names = _names(session, members)
    counts = _counts(session, challenge, members)
    out: dict[tuple[str, int], Candidate] = {}
    for uid, score, medal, at in rows:  # a team's members share one finalization
        e = who[uid]
        n = sum(counts.get(m, 0) for m in e.members)
        out[e.key()] = _candidate(e, names, score, at, n, medal)
    return list(out.values())


def private_candidates(session: Session, challenge: Challenge, now: datetime) -> list[Candidate]:
    """Private-board candidates, only those already due (see the module docstring)."""
    if challenge.deadline is None:
        return _self_paced_candidates(session, challenge)
    if not private_due(challenge, now):
        return []  # a deadline still ahead: even finalized learners wait for it
    finalized = _finalized(session, challenge)
    subs = _scored_subs(session, challenge)
    who = _entrants(session, challenge, [*(s.user_id for s in subs), *finalized])
    ents = {e.key(): e for e in who.values()}
    by_entrant: dict[tuple[str, int], list[Submission]] = {}
    for s in subs:
        by_entrant.setdefault(who[s.user_id].key(), []).append(s)
    created = {s.id: s.created_at for s in subs}
    out: dict[tuple[str, int], tuple[float, datetime, str | None]] = {}
    for uid, (score, medal, sid) in finalized.items():
        out[who[uid].key()] = (score, created.get(sid, now), medal)
    picks = _picks(session, challenge)
    for k, entrant_subs in by_entrant.items():
        if k not in out:
            picked = {p for m in ents[k].members for p in picks.get(m, set())}
            pick = _final_choice(entrant_subs, picked, challenge)
            out[k] = (float(pick.private_score or 0), pick.created_at, None)
    names = _names(session, (m for e in ents.values() for m in e.members))
    return [
        _candidate(ents[k], names, score, at, len(by_entrant.get(k, [])), medal)
        for k, (score, at, medal) in out.items()
    ]


def build(
    session: Session,
    challenge: Challenge,
    field: Sequence[FieldEntry],
    now: datetime,
) -> Leaderboard:
    """Both boards of a challenge as they may be shown at `now`."""
    gib = challenge.greater_is_better
    public = rank(public_candidates(session, challenge), gib, [(f.name, f.public) for f in field])
    private: list[Row] | None = None
    if challenge.deadline is not None and not private_due(challenge, now):
        opens = f"{challenge.deadline:%Y-%m-%d %H:%M} UTC"
        note = f"The private leaderboard opens at the deadline, {opens}."
    else:
        private = rank(
            private_candidates(session, challenge, now), gib, [(f.name, f.private) for f in field]
        )
        note = (
            "Final results: the private split decides."
            if challenge.deadline is not None
            else "Self-paced: a learner appears here once they finalize the project."
        )
    return Leaderboard(
        project_id=challenge.slug,
        title=challenge.title,
        metric=challenge.metric,
        greater_is_better=gib,
        deadline=challenge.deadline,
        public=tuple(public),
        private=None if private is None else tuple(private),
        private_note=note,
    )


def _version_columns() -> list[Any]:
    """What a challenge's boards depend on beyond its own row, as scalar subqueries
    correlated to the challenge row: equal values mean equal boards.

    Rows are append-only and a recorded score never changes, so the newest scored
    submission's id says whether any was added; a submission still pending may become scored
    later with an older id, so the number pending is part of the version too. Each is an
    index lookup (no count over every submission), as are the finalizations and picks.
    """
    mine = Submission.challenge_id == Challenge.id
    fin = Finalization.challenge_id == Challenge.id
    pick = FinalPick.challenge_id == Challenge.id
    team = TeamMember.challenge_id == Challenge.id  # joins, leaves and merges
    values = [
        select(func.max(Submission.id)).where(mine, Submission.status == SCORED),
        select(func.count(Submission.id)).where(mine, Submission.status == PENDING),
        select(func.count(Finalization.id)).where(fin),
        select(func.max(Finalization.id)).where(fin),
        select(func.count(FinalPick.id)).where(pick),
        select(func.max(FinalPick.id)).where(pick),
        select(func.count(FinalPick.withdrawn_at)).where(pick),
        select(func.count(TeamMember.id)).where(team),
        select(func.max(TeamMember.id)).where(team),
    ]
    return [v.scalar_subquery() for v in values]


# Built once: every leaderboard view runs it (see `_TOKEN_AND_USER` in store/accounts.py).
_ROW_AND_VERSION = select(Challenge, *_version_columns()).where(Challenge.slug == bindparam("slug"))


class BoardCache:
    """The last boards built, one per challenge, reused while their version is unchanged.

    Exact, not time-based: every lookup reads the challenge row and its version in one
    query (one round trip), so a new submission or finalization shows at once, in this
    process and in any other one.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._boards: dict[int, tuple[tuple[object, ...], Leaderboard]] = {}
        self._lock = threading.Lock()

    def find(
        self,
        session: Session,
        slug: str,
        field: Callable[[Challenge], Sequence[FieldEntry]],
        now: datetime,
    ) -> Leaderboard | None:
        """The boards of the stored challenge `slug` as `build` would return them (None when
        no such row is stored); `field` gives a row's reference models (read from its
        bundle, whose digest is part of the version)."""
        found = session.execute(_ROW_AND_VERSION, {"slug": slug}).first()
        if found is None:
            return None
        challenge, *counts = found
        settings = (challenge.title, challenge.metric, challenge.greater_is_better)
        key = (
            challenge.bundle_sha256,
            *settings,
            challenge.deadline,
            challenge.final_picks,
            private_due(challenge, now),
            *counts,
        )
        with self._lock:
            hit = self._boards.get(challenge.id)
        if hit is not None and hit[0] == key:
            return hit[1]
        board = build(session, challenge, field(challenge), now)
        with self._lock:
            self._boards.pop(challenge.id, None)
            while len(self._boards) >= self.size:  # evict the oldest entry
                self._boards.pop(next(iter(self._boards)))
            self._boards[challenge.id] = (key, board)
        return board
