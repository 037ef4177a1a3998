"""Who competes: the entrant of a learner on a challenge.

On a challenge that allows teams, a learner in a team competes as the team: one daily
quota, one board row, one set of final picks and one finalization for all its members. A
learner in no team is their own entrant. Every use case that reads "the user's
submissions" for the quota, the board, the picks or the finalization reads the entrant's
submissions through this module (`entrant_of`, `lock_entrant`), never its own team checks.

Locks, for concurrent requests on PostgreSQL (SQLite's `BEGIN IMMEDIATE` serializes every
writer anyway): a user row first, then team rows in id order. Whoever submits, picks or
finalizes locks their user row and then their team's row, so two members of a team are
serialized on the team row; joining, leaving and merging lock the same rows in the same
order, so membership cannot change under a quota check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trackrecord.errors import NotFound
from trackrecord.store.models import Team, TeamMember, User


@dataclass(frozen=True)
class Entrant:
    """One board row's owner: a team (`team_id`, `name`) or a single learner."""

    members: tuple[int, ...]  # user ids, ascending
    team_id: int | None = None
    name: str | None = None

    @property
    def is_team(self) -> bool:
        return self.team_id is not None

    def key(self) -> tuple[str, int]:
        """A key that tells entrants apart on one challenge."""
        return ("team", self.team_id) if self.team_id is not None else ("user", self.members[0])


def _members(session: Session, team_id: int) -> tuple[int, ...]:
    ids = session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team_id))
    return tuple(sorted(ids))


def entrant_of(session: Session, user_id: int, challenge_id: int) -> Entrant:
    """The entrant the learner competes as on the challenge (their team, else themselves)."""
    found = session.execute(
        select(Team.id, Team.name)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user_id, TeamMember.challenge_id == challenge_id)
    ).first()
    if found is None:
        return Entrant((user_id,))
    team_id, name = found
    return Entrant(_members(session, team_id), team_id, name)


def lock_users(session: Session, user_ids: Iterable[int]) -> None:
    """Lock user rows (ascending ids); NotFound for a user that does not exist."""
    for user_id in sorted(set(user_ids)):
        found = session.execute(select(User.id).where(User.id == user_id).with_for_update())
        if found.first() is None:
            raise NotFound(f"no user with id {user_id}")


def lock_teams(session: Session, team_ids: Iterable[int]) -> None:
    """Lock team rows, in id order (after any user row: see the module docstring)."""
    for team_id in sorted(set(team_ids)):
        session.execute(select(Team.id).where(Team.id == team_id).with_for_update()).first()


def lock_entrant(session: Session, user_id: int, challenge_id: int) -> Entrant:
    """Lock the learner's row, then their team's row, and return the entrant as it is under
    the locks (a join or merge that committed meanwhile is seen)."""
    lock_users(session, [user_id])
    entrant = entrant_of(session, user_id, challenge_id)
    if entrant.team_id is None:
        return entrant
    lock_teams(session, [entrant.team_id])
    return entrant_of(session, user_id, challenge_id)


def teams_by_user(session: Session, challenge_id: int) -> dict[int, Entrant]:
    """Every team member of the challenge -> their team entrant (for boards)."""
    rows = session.execute(
        select(TeamMember.user_id, Team.id, Team.name)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.challenge_id == challenge_id)
    ).all()
    members: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for user_id, team_id, name in rows:
        members.setdefault(team_id, []).append(user_id)
        names[team_id] = name
    teams = {tid: Entrant(tuple(sorted(ids)), tid, names[tid]) for tid, ids in members.items()}
    return {uid: teams[tid] for tid, ids in members.items() for uid in ids}
