"""Teams, as Kaggle has them: learners who compete on one challenge as one entrant.

A host allows teams by giving the challenge a team size (the most members; 0 or 1: no
teams). A team shares one daily quota, one board row (public and private), one set of final
picks and one finalization: the first member to finalize finalizes the team, and every
member gets the same result and medal (store/entrants.py says how every use case reads the
entrant). A learner is in at most one team per challenge.

- **Create**: any learner not yet in a team names one; its join code is shown to its
  members only. The learner's submissions so far become the team's.
- **Join**: with a team's code. A learner already in a team who joins another team *merges*
  the two: every member of their team moves into the other one (their own picks are
  withdrawn: the team they join keeps its picks).
- **The merge rule** (for a learner with submissions joining, and for merging teams): the
  combined scored submissions must not exceed what one entrant could have made, that is
  (1) today's (UTC) combined count at most the daily quota, and (2) the combined total at
  most the daily quota times the days the challenge has been open (today included). This is
  Kaggle's "the combined submission count must not exceed the max allowed for a single team
  at that point", checked per day for today.
- **Leave**: only a member who has sent no file to the challenge (files stay with the team
  that made them) and only before the team finalized.
- Nothing changes after the deadline, nor after a side has finalized.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trackrecord.errors import Conflict, InvalidBundle, NotFound, Problem
from trackrecord.service.finalize import replace_picks
from trackrecord.service.projects import find_row
from trackrecord.service.submit import SCORED, day_bounds
from trackrecord.store.entrants import Entrant, entrant_of, lock_entrant, lock_teams, lock_users
from trackrecord.store.models import (
    Challenge,
    Finalization,
    FinalPick,
    Submission,
    Team,
    TeamMember,
    User,
)

if TYPE_CHECKING:
    from trackrecord.service.core import Service

MAX_NAME = 64
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"


@dataclass(frozen=True)
class TeamView:
    """A team as its members see it (the code lets others join)."""

    name: str
    code: str
    members: tuple[str, ...]  # usernames, in the order they joined

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "code": self.code, "members": list(self.members)}


@dataclass(frozen=True)
class TeamStatus:
    """The learner's team on a challenge, and what they may do about it."""

    project_id: str
    team_size: int  # the most members; below 2: the challenge allows no teams
    team: TeamView | None
    open: bool  # before the deadline: teams may still change

    @property
    def enabled(self) -> bool:
        return self.team_size >= 2

    def to_dict(self) -> dict[str, object]:
        return {
            "project_id": self.project_id,
            "teams_allowed": self.enabled,
            "team_size": self.team_size,
            "open": self.open,
            "team": None if self.team is None else self.team.to_dict(),
        }


def _view(session: Session, team_id: int) -> TeamView:
    team = session.get(Team, team_id)
    assert team is not None
    names = session.scalars(
        select(User.username)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team_id)
        .order_by(TeamMember.id)
    ).all()
    return TeamView(team.name, team.code, tuple(names))


def _is_open(row: Challenge, now: datetime) -> bool:
    return row.deadline is None or now < row.deadline


def _status(svc: Service, session: Session, user_id: int, row: Challenge) -> TeamStatus:
    who = entrant_of(session, user_id, row.id)
    team = None if who.team_id is None else _view(session, who.team_id)
    return TeamStatus(row.slug, row.team_size, team, _is_open(row, svc.now()))


def team_status(svc: Service, user_id: int, project_id: str) -> TeamStatus:
    """The learner's team on a project (None when in none) and the challenge's team size."""
    svc.project(project_id)
    with svc.session() as s:
        row = find_row(s, project_id)
        if row is None:  # a built-in project nobody started: no row, no teams
            return TeamStatus(project_id, 0, None, True)
        return _status(svc, s, user_id, row)


def _changeable(svc: Service, session: Session, project_id: str) -> Challenge:
    """The challenge row, if its teams may change now."""
    row = svc.challenge_row(session, project_id)
    if row.team_size < 2:
        raise Conflict(f"{row.slug} does not allow teams: its host has not set a team size")
    if not _is_open(row, svc.now()):
        assert row.deadline is not None
        raise Conflict(
            f"the teams of {row.slug} are final since its deadline, "
            f"{row.deadline:%Y-%m-%d %H:%M} UTC"
        )
    return row


def _refuse_finalized(session: Session, who: Entrant, row: Challenge) -> None:
    done = session.scalar(
        select(func.count(Finalization.id)).where(
            Finalization.user_id.in_(who.members), Finalization.challenge_id == row.id
        )
    )
    if done:
        whose = "your team" if who.is_team else "you"
        raise Conflict(f"{whose} finalized {row.slug}: its teams can no longer change for you")


def clean_name(name: str) -> str:
    """A team name: up to 64 characters, not only spaces, no control characters (the API
    declares the same as NAME_PATTERN); runs of spaces become one."""
    text = " ".join(str(name).split())
    if not text or len(text) > MAX_NAME or not re.fullmatch(NAME_PATTERN, str(name)):
        raise InvalidBundle(
            "the team name is not valid",
            problems=[Problem(f"1 to {MAX_NAME} characters, no control characters", column="name")],
        )
    return text


def create_team(svc: Service, user_id: int, project_id: str, name: str) -> TeamStatus:
    """Make a team with the learner as its first member; their submissions become its."""
    svc.project(project_id)  # NotFound first
    text = clean_name(name)
    try:
        with svc.session(write_lock=True) as s:
            row = _changeable(svc, s, project_id)
            who = lock_entrant(s, user_id, row.id)
            if who.team_id is not None:
                raise Conflict(f"you are in team {who.name} of {row.slug}; leave it first")
            _refuse_finalized(s, who, row)
            if s.scalar(select(Team.id).where(Team.challenge_id == row.id, Team.name == text)):
                raise Conflict(f"{row.slug} has a team named {text!r} already")
            team = Team(
                challenge_id=row.id, name=text, code=secrets.token_urlsafe(12),
                created_by=user_id, created_at=svc.now(),
            )  # fmt: skip
            s.add(team)
            s.flush()
            s.add(TeamMember(team_id=team.id, user_id=user_id, challenge_id=row.id))
            svc.enroll(s, user_id, row)
            s.flush()
            return _status(svc, s, user_id, row)
    except IntegrityError:  # the same name or membership, made by another request just now
        raise Conflict(f"{project_id}: the team or your membership changed just now") from None


def _scored(
    session: Session, members: tuple[int, ...], row: Challenge, since: datetime | None
) -> int:
    query = select(func.count(Submission.id)).where(
        Submission.user_id.in_(members),
        Submission.challenge_id == row.id,
        Submission.status == SCORED,
    )
    if since is not None:
        query = query.where(Submission.created_at >= since)
    return int(session.scalar(query) or 0)


def most_one_entrant(row: Challenge, now: datetime) -> int:
    """The most scored submissions one entrant could have made by `now`: the daily quota
    times the UTC days the challenge has been open, today included."""
    start = row.opens_at or row.created_at
    days = max((now.date() - start.date()).days + 1, 1) if start is not None else 1
    return row.per_day * days


def merge_problem(
    session: Session, row: Challenge, a: Entrant, b: Entrant, now: datetime
) -> str | None:
    """Why `a` and `b` may not become one entrant (the merge rule), or None."""
    both = a.members + b.members
    today = _scored(session, both, row, day_bounds(now)[0])
    if today > row.per_day:
        return (
            f"together you have made {today} scored submissions to {row.slug} today (UTC), "
            f"more than the {row.per_day} one team may make in a day; try again tomorrow"
        )
    total, most = _scored(session, both, row, None), most_one_entrant(row, now)
    if total > most:
        return (
            f"together you have made {total} scored submissions to {row.slug}, more than the "
            f"{most} one team could have made so far ({row.per_day} a day); teams with this "
            "many submissions cannot merge"
        )
    return None


def _target(session: Session, row: Challenge, code: str) -> Team:
    team = session.scalars(
        select(Team).where(Team.challenge_id == row.id, Team.code == str(code).strip())
    ).first()
    if team is None:
        raise NotFound(
            f"no team of {row.slug} has this code; a team's members see it on the project page"
        )
    return team


def _team_entrant(session: Session, team: Team) -> Entrant:
    ids = session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team.id))
    return Entrant(tuple(sorted(ids)), team.id, team.name)


def _check_join(
    session: Session, row: Challenge, mine: Entrant, theirs: Entrant, now: datetime
) -> None:
    if mine.team_id == theirs.team_id:
        raise Conflict(f"you are in team {theirs.name} already")
    size = len(mine.members) + len(theirs.members)
    if size > row.team_size:
        raise Conflict(
            f"team {theirs.name} would have {size} members; {row.slug} allows at most "
            f"{row.team_size} in a team"
        )
    _refuse_finalized(session, mine, row)
    _refuse_finalized(session, theirs, row)
    problem = merge_problem(session, row, mine, theirs, now)
    if problem is not None:
        raise Conflict(f"you cannot join team {theirs.name}: {problem}")


def join_team(svc: Service, user_id: int, project_id: str, code: str) -> TeamStatus:
    """Join the team with this code; a learner in another team merges it into this one."""
    svc.project(project_id)
    with svc.session(write_lock=True) as s:
        row = _changeable(svc, s, project_id)
        target = _target(s, row, code)
        lock_users(s, [user_id])
        mine = entrant_of(s, user_id, row.id)
        lock_teams(s, [t for t in (mine.team_id, target.id) if t is not None])
        mine, now = entrant_of(s, user_id, row.id), svc.now()
        _check_join(s, row, mine, _team_entrant(s, target), now)
        replace_picks(s, user_id, mine, row, [], now)
        if mine.team_id is not None:  # new member rows: the board's version changes
            s.execute(delete(TeamMember).where(TeamMember.team_id == mine.team_id))
            s.execute(delete(Team).where(Team.id == mine.team_id))
        for member in mine.members:
            s.add(TeamMember(team_id=target.id, user_id=member, challenge_id=row.id))
        svc.enroll(s, user_id, row)
        s.flush()
        return _status(svc, s, user_id, row)


def leave_team(svc: Service, user_id: int, project_id: str) -> TeamStatus:
    """Leave the learner's team: only with no file sent to the challenge (files stay with
    the team), before the deadline and before the team finalized. The last member's
    leaving ends the team; picks the leaver made stay the team's."""
    svc.project(project_id)
    with svc.session(write_lock=True) as s:
        row = _changeable(svc, s, project_id)
        who = lock_entrant(s, user_id, row.id)
        if who.team_id is None:
            raise Conflict(f"you are in no team of {row.slug}")
        _refuse_finalized(s, who, row)
        sent = s.scalar(
            select(func.count(Submission.id)).where(
                Submission.user_id == user_id, Submission.challenge_id == row.id
            )
        )
        if sent:
            raise Conflict(
                f"you cannot leave team {who.name}: your {sent} file(s) to {row.slug} are "
                "part of its record"
            )
        _hand_over_picks(s, user_id, who, row, svc.now())
        s.execute(
            delete(TeamMember).where(
                TeamMember.user_id == user_id, TeamMember.challenge_id == row.id
            )
        )
        if len(who.members) == 1:
            s.execute(delete(Team).where(Team.id == who.team_id))
        s.flush()
        return _status(svc, s, user_id, row)


def _hand_over_picks(
    session: Session, user_id: int, who: Entrant, row: Challenge, now: datetime
) -> None:
    """The leaver's active picks become another member's (picks are never edited: the old
    one is withdrawn and a new one made)."""
    heir = next((m for m in who.members if m != user_id), None)
    active = session.scalars(
        select(FinalPick).where(
            FinalPick.user_id == user_id,
            FinalPick.challenge_id == row.id,
            FinalPick.withdrawn_at.is_(None),
        )
    ).all()
    for pick in active:
        pick.withdrawn_at = now
        if heir is not None:
            session.add(
                FinalPick(
                    user_id=heir, challenge_id=row.id, submission_id=pick.submission_id,
                    created_at=now,
                )
            )  # fmt: skip
