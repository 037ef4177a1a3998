"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json): the learner's loop here,
the host's in api_host.

Authentication: `Authorization: Bearer <token>` in hosted mode (tokens from
`POST /api/v1/tokens` or the account page); none in personal mode. Every answer is a
service dataclass (declared in api_schema, so the OpenAPI document carries its schema),
the same JSON `trackrecord ... --json` prints locally, with scores at the boards'
precision. Every error has the shape `{"error": {"code", "message", "problems"}}`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from trackrecord import __version__
from trackrecord.errors import InvalidSubmission
from trackrecord.leaderboard import Leaderboard
from trackrecord.service.learning import NextReport
from trackrecord.service.path import path_catalog
from trackrecord.service.types import FinalizePreview, FinalizeResult, ProjectReport, SubmitResult
from trackrecord.store.accounts import MAX_ROW_ID, revoke_token
from trackrecord.web import accounts
from trackrecord.web.accounts import Account
from trackrecord.web.data import board, data_zip, project_data
from trackrecord.web.deps import limit_login, require_account, web
from trackrecord.web.views import api_host
from trackrecord.web.views.api_schema import (
    Answer,
    CatalogOut,
    ChallengeOut,
    Health,
    Me,
    Revoked,
    StatusOut,
    SubmissionsOut,
    TokenCreated,
    TokensOut,
    binary,
    errors,
)
from trackrecord.web.views.project import submit_upload

router = APIRouter(tags=["learner"], default_response_class=Answer)
SIGNED_IN = errors(401)  # a hosted server refuses a request without a valid token
ONE = errors(401, 404, 422)  # one project by id


class TokenRequest(BaseModel):
    username: str = Field(max_length=1024)
    password: str = Field(max_length=1024)
    name: str = Field("cli", max_length=100)


class FinalizeRequest(BaseModel):
    picks: list[int] = Field(
        default_factory=list, max_length=100, description="Ids of your submissions."
    )
    numbers: list[int] = Field(
        default_factory=list,
        max_length=100,
        description="Numbers (#) of your submissions within the challenge, as listed.",
    )


class PicksRequest(BaseModel):
    picks: list[int] = Field(
        max_length=100,
        description="Ids of your scored submissions, at most the challenge's final_picks; "
        "[] clears them (your best public submissions count).",
    )


@router.get("/health", response_model=Health)
def health() -> Response:
    return Answer({"ok": True, "version": __version__})


def _status(request: Request, account: Account) -> dict[str, object]:
    svc = web(request).service
    return {**vars(svc.status(account.id)), "skills": svc.skills(account.id)}


@router.get("/me", response_model=Me, responses=SIGNED_IN)
def me(request: Request, account: Account = Depends(require_account)) -> Response:
    mode = "hosted" if web(request).settings.hosted else "personal"
    return Answer({"user": account, "mode": mode, "status": _status(request, account)})


@router.get("/status", response_model=StatusOut, responses=SIGNED_IN)
def status(request: Request, account: Account = Depends(require_account)) -> Response:
    """Your track record and skill estimates (`trackrecord status --json`)."""
    return Answer(_status(request, account))


@router.get("/next", response_model=NextReport, responses=errors(401, 422))
def next_projects(
    request: Request,
    k: int = Query(5, ge=1, le=20, description="How many projects."),
    account: Account = Depends(require_account),
) -> Response:
    """The projects to do next, each with its reason (`trackrecord next --json`)."""
    return Answer(web(request).service.next_projects(account.id, k))


@router.get("/catalog", response_model=CatalogOut, responses=errors(401, 422))
def catalog(
    request: Request,
    task: str | None = Query(None, max_length=100),
    skill: str | None = Query(None, max_length=100),
    level: int | None = Query(None, ge=1, le=5),
    account: Account = Depends(require_account),
) -> Response:
    """Every project with your progress and its status on your learning path (done,
    recommended, not yet and why), filtered (`trackrecord catalog --json`)."""
    svc = web(request).service
    entries = path_catalog(svc, account.id, task=task, skill=skill, level=level)
    return Answer({"projects": entries})


@router.get("/challenges/{project_id}", response_model=ChallengeOut, responses=ONE)
def challenge(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    data = project_data(web(request).service, account.id, project_id)
    data["description"] = web(request).service.bundle(project_id).description
    return Answer(data)


@router.get("/challenges/{project_id}/status", response_model=ProjectReport, responses=ONE)
def project_status(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    """One project for you: the public estimate, or the revealed result once finalized
    (`trackrecord status ID --json`)."""
    return Answer(web(request).service.project_report(account.id, project_id))


@router.get(
    "/challenges/{project_id}/download",
    response_class=FileResponse,
    responses={**binary("application/zip", "The public data, starter and brief."), **ONE},
)
def download(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    path = data_zip(web(request).service, project_id, account.id)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"{project_id}.zip",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.post(
    "/challenges/{project_id}/submissions",
    status_code=201,
    response_model=SubmitResult,
    responses=errors(401, 404, 409, 413, 422, 429),
)
def submit(
    request: Request,
    project_id: str,
    file: UploadFile = File(...),
    note: str | None = Form(None, max_length=1000),
    account: Account = Depends(require_account),
) -> Response:
    """Score a file and record it (`trackrecord submit ID FILE --server URL`)."""
    state = web(request)
    state.limit("submit", f"user:{account.id}")
    if file is None:
        raise InvalidSubmission("no file in the request")
    result = submit_upload(state.service, account, project_id, file, note)
    return Answer(result, status_code=201)


@router.get("/challenges/{project_id}/submissions", response_model=SubmissionsOut, responses=ONE)
def submissions(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    return Answer({"submissions": web(request).service.submissions(account.id, project_id)})


@router.get("/challenges/{project_id}/leaderboard", response_model=Leaderboard, responses=ONE)
def leaderboard(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    return Answer(board(web(request).service, project_id))


@router.put(
    "/challenges/{project_id}/picks",
    response_model=SubmissionsOut,
    responses=errors(401, 404, 409, 413, 422),
)
def select_picks(
    request: Request,
    project_id: str,
    body: PicksRequest,
    account: Account = Depends(require_account),
) -> Response:
    """Select the submissions that count on the private board; open until the deadline."""
    picked = web(request).service.select_picks(account.id, project_id, body.picks)
    return Answer({"submissions": picked})


@router.post(
    "/challenges/{project_id}/finalize",
    response_model=FinalizeResult,
    responses=errors(401, 404, 409, 413, 422),
)
def finalize(
    request: Request,
    project_id: str,
    body: FinalizeRequest | None = None,
    account: Account = Depends(require_account),
) -> Response:
    """Finalize, once: the private score, the medal and the reveal
    (`trackrecord finalize ID --yes --json`)."""
    body = body or FinalizeRequest()
    svc = web(request).service
    return Answer(svc.finalize(account.id, project_id, body.picks, by_number=body.numbers))


@router.get(
    "/challenges/{project_id}/finalize",
    response_model=FinalizePreview,
    responses=errors(401, 404, 409, 422),
)
def finalize_preview(
    request: Request,
    project_id: str,
    number: list[int] | None = Query(None, max_length=100),
    account: Account = Depends(require_account),
) -> Response:
    """What finalizing would judge (picks, public scores, the rule); changes nothing."""
    svc = web(request).service
    return Answer(svc.finalize_preview(account.id, project_id, by_number=number or []))


@router.get(
    "/challenges/{project_id}/results",
    response_model=FinalizeResult,
    responses=errors(401, 404, 409, 422),
)
def results(
    request: Request, project_id: str, account: Account = Depends(require_account)
) -> Response:
    """A finalized challenge's result: private lines, standings, reference code (409 before)."""
    return Answer(web(request).service.results(account.id, project_id))


# Tokens ------------------------------------------------------------------------------


@router.post(
    "/tokens",
    status_code=201,
    response_model=TokenCreated,
    responses=errors(401, 413, 422, 429),
    tags=["tokens"],
)
def create_token(request: Request, body: TokenRequest) -> Response:
    """Exchange a username and password for an API token (what `trackrecord login` does)."""
    state = web(request)
    limit_login(request, body.username)
    with state.service.session() as s:
        found = accounts.authenticate(s, body.username, body.password)
        plain, info = accounts.new_token(s, found.id, body.name)
    return Answer({"token": plain, "info": info, "user": found}, status_code=201)


@router.get("/tokens", response_model=TokensOut, responses=SIGNED_IN, tags=["tokens"])
def list_tokens(request: Request, account: Account = Depends(require_account)) -> Response:
    with web(request).service.session() as s:
        return Answer({"tokens": accounts.list_tokens(s, account.id)})


@router.delete(
    "/tokens/{token_id}", response_model=Revoked, responses=errors(401, 404, 422), tags=["tokens"]
)
def delete_token(
    request: Request,
    token_id: int = Path(ge=1, le=MAX_ROW_ID),
    account: Account = Depends(require_account),
) -> Response:
    with web(request).service.session() as s:
        revoke_token(s, token_id, user_id=account.id)
    web(request).tokens.clear()
    return Answer({"revoked": token_id})


router.include_router(api_host.router)
router.include_router(api_host.admin_router)
