"""The host's part of the JSON API: everything the host pages do (challenges from a bundle
or the catalog, their settings, every submission, the CSV export, invites) and the
admin's (users and roles).

Each route calls the same hosting/accounts function as its page, with the same `Actor`, so
the ownership rules (a challenge is its creator's; admins act on all) hold for both.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from trackrecord import hosting
from trackrecord.errors import PermissionDenied
from trackrecord.service.types import ProjectInfo
from trackrecord.web import accounts
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_admin, require_host, web
from trackrecord.web.views.api_schema import (
    Answer,
    HostedDetail,
    HostedOut,
    InviteOut,
    RecordsOut,
    UsersOut,
    errors,
)
from trackrecord.web.views.host import actor, challenge_settings, hosted_row
from trackrecord.web.views.project import save_upload

router = APIRouter(prefix="/host", tags=["host"], default_response_class=Answer)
admin_router = APIRouter(tags=["admin"], default_response_class=Answer)
HOST = errors(401, 403)
ONE = errors(401, 403, 404, 422)
CHANGE = errors(401, 403, 404, 409, 413, 422)
ID_PATTERN = hosting.SLUG_RE.pattern


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


class ChallengeSettingsBody(BaseModel):
    deadline: datetime | None = Field(None, description="ISO 8601; without a zone it is UTC.")
    clear_deadline: bool = False
    per_day: int | None = Field(None, ge=1, le=hosting.MAX_PER_DAY)
    final_picks: int | None = Field(None, ge=1, le=hosting.MAX_FINAL_PICKS)
    team_size: int | None = Field(
        None, ge=0, le=hosting.MAX_TEAM_SIZE, description="Most members of a team; 0/1: none."
    )

    def settings(self) -> hosting.ChallengeSettings:
        deadline = None if self.deadline is None else self.deadline.isoformat()
        return challenge_settings(
            deadline, _text(self.per_day), _text(self.final_picks), self.clear_deadline,
            team_size=_text(self.team_size),
        )  # fmt: skip


class FromCatalogBody(ChallengeSettingsBody):
    project_id: str = Field(pattern=ID_PATTERN, description="A built-in project's id.")
    slug: str | None = Field(
        None, pattern=ID_PATTERN, description="The copy's id (default: <project_id>-hosted)."
    )


class InviteBody(BaseModel):
    role: Literal["learner", "host", "admin"] = Field(
        "learner", description="Hosts invite learners; admins invite any role."
    )
    max_uses: int | None = Field(
        None, ge=1, description="Sign-ups it allows: 1 to the server's max_invite_uses (default)."
    )


class RoleBody(BaseModel):
    role: Literal["learner", "host", "admin"]


@router.post("/challenges", status_code=201, response_model=ProjectInfo, responses=CHANGE)
def host_create(
    request: Request,
    bundle: UploadFile = File(..., description="A bundle zip (`trackrecord challenge pack`)."),
    deadline: str | None = Form(None, max_length=64),
    per_day: int | None = Form(None),
    final_picks: int | None = Form(None),
    team_size: int | None = Form(None, ge=0, le=hosting.MAX_TEAM_SIZE),
    account: Account = Depends(require_host),
) -> Response:
    """A challenge from an uploaded bundle, checked in full before it is stored."""
    settings = challenge_settings(
        deadline, _text(per_day), _text(final_picks), team_size=_text(team_size)
    )
    with tempfile.TemporaryDirectory(prefix="trackrecord-bundle-") as tmp:
        path = save_upload(bundle, Path(tmp))
        info = hosting.create_from_upload(
            web(request).service, path, created_by=account.id, settings=settings
        )
    return Answer(info, status_code=201)


@router.post(
    "/challenges/from-catalog", status_code=201, response_model=ProjectInfo, responses=CHANGE
)
def host_from_catalog(
    request: Request, body: FromCatalogBody, account: Account = Depends(require_host)
) -> Response:
    """A fresh copy of a built-in project, re-split and re-keyed with this server's secret
    (its medal lines measured again: seconds to a minute or more)."""
    info = hosting.create_from_catalog(
        web(request).service,
        body.project_id,
        slug=(body.slug or "").strip() or None,
        created_by=account.id,
        settings=body.settings(),
    )
    return Answer(info, status_code=201)


@router.get("/challenges", response_model=HostedOut, responses=HOST)
def host_list(request: Request, account: Account = Depends(require_host)) -> Response:
    """Your hosted challenges (an admin: all), with learners and scored submissions."""
    return Answer({"challenges": hosting.hosted_challenges(web(request).service, actor(account))})


@router.get("/challenges/{slug}", response_model=HostedDetail, responses=ONE)
def host_detail(request: Request, slug: str, account: Account = Depends(require_host)) -> Response:
    svc = web(request).service
    row, passed = hosted_row(svc, account, slug)
    return Answer({"challenge": row, "project": svc.project(slug), "deadline_passed": passed})


@router.patch("/challenges/{slug}", response_model=ProjectInfo, responses=CHANGE)
def host_configure(
    request: Request,
    slug: str,
    body: ChallengeSettingsBody,
    account: Account = Depends(require_host),
) -> Response:
    """Deadline and quotas; a passed deadline is final (409)."""
    svc = web(request).service
    return Answer(hosting.configure(svc, slug, body.settings(), actor=actor(account)))


@router.get("/challenges/{slug}/submissions", response_model=RecordsOut, responses=ONE)
def host_submissions(
    request: Request, slug: str, account: Account = Depends(require_host)
) -> Response:
    """Every submission, oldest first; private scores once they are due."""
    records = hosting.all_submissions(web(request).service, slug, actor=actor(account))
    return Answer({"submissions": records})


@router.get(
    "/challenges/{slug}/export.csv",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "One row per submission.",
        },
        **ONE,
    },
)
def host_export(request: Request, slug: str, account: Account = Depends(require_host)) -> Response:
    records = hosting.all_submissions(web(request).service, slug, actor=actor(account))
    return Response(hosting.export_csv(records), media_type="text/csv; charset=utf-8")


@router.post(
    "/invites", status_code=201, response_model=InviteOut, responses=errors(401, 403, 413, 422)
)
def host_invite(
    request: Request, body: InviteBody, account: Account = Depends(require_host)
) -> Response:
    """A new invite code and its sign-up link (the code is shown once)."""
    if body.role != "learner" and account.role != "admin":
        raise PermissionDenied("only admins invite hosts and admins")
    state = web(request)
    with state.service.session() as s:
        code = accounts.create_invite(
            s, account.id, body.role, body.max_uses, limit=state.settings.max_invite_uses
        )
    base = (state.settings.public_url or str(request.base_url)).rstrip("/")
    link = f"{base}/signup?invite={code}"
    answer = {"code": code, "role": body.role, "max_uses": body.max_uses, "link": link}
    return Answer(answer, status_code=201)


@admin_router.get("/users", response_model=UsersOut, responses=HOST)
def users(request: Request, account: Account = Depends(require_admin)) -> Response:
    with web(request).service.session() as s:
        return Answer({"users": accounts.list_users(s)})


@admin_router.put(
    "/users/{username}/role", response_model=Account, responses=errors(401, 403, 404, 413, 422)
)
def user_role(
    request: Request, username: str, body: RoleBody, account: Account = Depends(require_admin)
) -> Response:
    with web(request).service.session() as s:
        changed = accounts.set_role(s, username, body.role)
    web(request).tokens.clear()
    return Answer(changed)
