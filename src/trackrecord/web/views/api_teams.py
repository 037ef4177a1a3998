"""Teams in the JSON API (/api/v1): the learner's team on a challenge, and creating,
joining (or merging by joining) and leaving one (service/teams.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from trackrecord.service import teams
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, web
from trackrecord.web.views.api_schema import Answer, errors

router = APIRouter(tags=["teams"], default_response_class=Answer)
CHANGE = errors(401, 404, 409, 413, 422)


class TeamOut(BaseModel):
    name: str
    code: str = Field(description="The join code; only the team's members see it.")
    members: list[str] = Field(description="Usernames, in the order they joined.")


class TeamStatusOut(BaseModel):
    project_id: str
    teams_allowed: bool = Field(description="The host set a team size of 2 or more.")
    team_size: int = Field(description="The most members of a team (0 or 1: no teams).")
    open: bool = Field(description="Before the deadline: teams may still change.")
    team: TeamOut | None = Field(description="The learner's team; null when alone.")


class CreateTeam(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=teams.NAME_PATTERN)


class JoinTeam(BaseModel):
    code: str = Field(min_length=1, max_length=64)


@router.get(
    "/challenges/{project_id}/team", response_model=TeamStatusOut, responses=errors(401, 404)
)
def team(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    """Your team on a challenge (members and join code), and whether it allows teams."""
    status = teams.team_status(web(request).service, account.id, project_id)
    return Answer(status.to_dict())


@router.post(
    "/challenges/{project_id}/team",
    status_code=201,
    response_model=TeamStatusOut,
    responses=CHANGE,
)
def create(
    request: Request, project_id: str, body: CreateTeam, account: Account = Depends(require_account)
) -> Response:
    """Create a team with you as its first member (your submissions become the team's)."""
    status = teams.create_team(web(request).service, account.id, project_id, body.name)
    return Answer(status.to_dict(), status_code=201)


@router.post("/challenges/{project_id}/team/join", response_model=TeamStatusOut, responses=CHANGE)
def join(
    request: Request, project_id: str, body: JoinTeam, account: Account = Depends(require_account)
) -> Response:
    """Join the team with this code; if you are in a team, yours merges into it. Refused
    (409) when the combined scored submissions exceed what one team could have made."""
    status = teams.join_team(web(request).service, account.id, project_id, body.code)
    return Answer(status.to_dict())


@router.post("/challenges/{project_id}/team/leave", response_model=TeamStatusOut, responses=CHANGE)
def leave(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    """Leave your team (only if you have sent no file to the challenge)."""
    status = teams.leave_team(web(request).service, account.id, project_id)
    return Answer(status.to_dict())
