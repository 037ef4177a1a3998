"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json).

Authentication: `Authorization: Bearer <token>` in hosted mode (tokens from
`POST /api/v1/tokens` or the account page); none in personal mode. Every error has the shape
`{"error": {"code", "message", "problems"}}`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from trackrecord import __version__, hosting
from trackrecord.errors import InvalidSubmission
from trackrecord.store.accounts import revoke_token
from trackrecord.web import accounts
from trackrecord.web.accounts import Account
from trackrecord.web.data import board, data_zip, project_data
from trackrecord.web.deps import limit_login, require_account, require_host, web
from trackrecord.web.render import JSON
from trackrecord.web.views.host import actor, challenge_settings
from trackrecord.web.views.project import save_upload, submit_upload

router = APIRouter(tags=["api"], default_response_class=JSON)


class TokenRequest(BaseModel):
    username: str
    password: str
    name: str = Field("cli", max_length=100)


class FinalizeRequest(BaseModel):
    picks: list[int] = Field(default_factory=list, description="Ids of your submissions.")
    numbers: list[int] = Field(
        default_factory=list,
        description="Numbers (#) of your submissions within the challenge, as listed.",
    )


class PicksRequest(BaseModel):
    picks: list[int] = Field(
        description="Ids of your scored submissions, at most the challenge's final_picks; "
        "[] clears them (your best public submissions count)."
    )


class ChallengeSettingsBody(BaseModel):
    deadline: str | None = None
    clear_deadline: bool = False
    per_day: int | None = None
    final_picks: int | None = None


@router.get("/health")
def health() -> dict[str, Any]:
    return {"ok": True, "version": __version__}


@router.get("/me")
def me(request: Request, account: Account = Depends(require_account)) -> Response:
    report = web(request).service.status(account.id)
    return JSON({"user": account.to_dict(), "mode": _mode(request), "status": report})


def _mode(request: Request) -> str:
    return "hosted" if web(request).settings.hosted else "personal"


@router.get("/catalog")
def catalog(
    request: Request,
    task: str | None = None,
    skill: str | None = None,
    level: int | None = None,
    account: Account = Depends(require_account),
) -> Response:
    entries = web(request).service.list_catalog(account.id, task=task, skill=skill, level=level)
    return JSON({"projects": entries})


@router.get("/challenges/{project_id}")
def challenge(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    data = project_data(web(request).service, account.id, project_id)
    data.pop("brief_html")
    data.pop("steps")
    data["description"] = web(request).service.bundle(project_id).description
    return JSON(data)


@router.get("/challenges/{project_id}/download")
def download(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    path = data_zip(web(request).service, project_id)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"{project_id}.zip",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.post("/challenges/{project_id}/submissions", status_code=201)
def submit(
    request: Request,
    project_id: str,
    file: UploadFile = File(...),
    note: str | None = Form(None),
    account: Account = Depends(require_account),
) -> Response:
    state = web(request)
    state.limit("submit", f"user:{account.id}")
    if file is None:
        raise InvalidSubmission("no file in the request")
    result = submit_upload(state.service, account, project_id, file, note)
    return JSON(result, status_code=201)


@router.get("/challenges/{project_id}/submissions")
def submissions(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    return JSON({"submissions": web(request).service.submissions(account.id, project_id)})


@router.get("/challenges/{project_id}/leaderboard")
def leaderboard(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    return JSON(board(web(request).service, project_id))


@router.put("/challenges/{project_id}/picks")
def select_picks(
    request: Request,
    project_id: str,
    body: PicksRequest,
    account: Account = Depends(require_account),
) -> Response:
    """Select the submissions that count on the private board; open until the deadline."""
    return JSON(
        {"submissions": web(request).service.select_picks(account.id, project_id, body.picks)}
    )


@router.post("/challenges/{project_id}/finalize")
def finalize(
    request: Request,
    project_id: str,
    body: FinalizeRequest | None = None,
    account: Account = Depends(require_account),
) -> Response:
    body = body or FinalizeRequest()
    return JSON(
        web(request).service.finalize(account.id, project_id, body.picks, by_number=body.numbers)
    )


@router.get("/challenges/{project_id}/finalize")
def finalize_preview(
    request: Request,
    project_id: str,
    number: list[int] | None = Query(None),
    account: Account = Depends(require_account),
) -> Response:
    """What finalizing would judge (picks, public scores, the rule); changes nothing."""
    return JSON(
        web(request).service.finalize_preview(account.id, project_id, by_number=number or [])
    )


@router.get("/challenges/{project_id}/results")
def results(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    """A finalized challenge's result: private lines, standings, reference code (409 before)."""
    return JSON(web(request).service.results(account.id, project_id))


# Tokens ------------------------------------------------------------------------------


@router.post("/tokens", status_code=201)
def create_token(request: Request, body: TokenRequest) -> Response:
    """Exchange a username and password for an API token (what `trackrecord login` does)."""
    state = web(request)
    limit_login(request, body.username)
    with state.service.session() as s:
        found = accounts.authenticate(s, body.username, body.password)
        plain, info = accounts.new_token(s, found.id, body.name)
    return JSON({"token": plain, "info": info, "user": found}, status_code=201)


@router.get("/tokens")
def list_tokens(request: Request, account: Account = Depends(require_account)) -> Response:
    with web(request).service.session() as s:
        return JSON({"tokens": accounts.list_tokens(s, account.id)})


@router.delete("/tokens/{token_id}")
def delete_token(
    request: Request, token_id: int, account: Account = Depends(require_account)
) -> Response:
    with web(request).service.session() as s:
        revoke_token(s, token_id, user_id=account.id)
    web(request).tokens.clear()
    return JSON({"revoked": token_id})


# Host --------------------------------------------------------------------------------


@router.post("/host/challenges", status_code=201)
def host_create(
    request: Request,
    bundle: UploadFile = File(...),
    deadline: str | None = Form(None),
    per_day: int | None = Form(None),
    final_picks: int | None = Form(None),
    account: Account = Depends(require_host),
) -> Response:
    settings = challenge_settings(deadline, str(per_day or ""), str(final_picks or ""))
    with tempfile.TemporaryDirectory(prefix="trackrecord-bundle-") as tmp:
        path = save_upload(bundle, Path(tmp))
        info = hosting.create_from_upload(
            web(request).service, path, created_by=account.id, settings=settings
        )
    return JSON(info, status_code=201)


@router.patch("/host/challenges/{slug}")
def host_configure(
    request: Request,
    slug: str,
    body: ChallengeSettingsBody,
    account: Account = Depends(require_host),
) -> Response:
    settings = challenge_settings(
        body.deadline, str(body.per_day or ""), str(body.final_picks or ""), body.clear_deadline
    )
    return JSON(hosting.configure(web(request).service, slug, settings, actor=actor(account)))


@router.get("/host/challenges")
def host_list(request: Request, account: Account = Depends(require_host)) -> Response:
    return JSON({"challenges": hosting.hosted_challenges(web(request).service, actor(account))})


@router.get("/host/challenges/{slug}/submissions")
def host_submissions(
    request: Request, slug: str, account: Account = Depends(require_host)
) -> Response:
    records = hosting.all_submissions(web(request).service, slug, actor=actor(account))
    return JSON({"submissions": records})


@router.get("/host/challenges/{slug}/export.csv")
def host_export(request: Request, slug: str, account: Account = Depends(require_host)) -> Response:
    records = hosting.all_submissions(web(request).service, slug, actor=actor(account))
    return Response(hosting.export_csv(records), media_type="text/csv; charset=utf-8")
