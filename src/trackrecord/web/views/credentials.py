"""Credentials on the web: a learner's own (`GET /api/v1/me/credentials`, the medal badge
`/credentials/{id}/badge.svg`) and revocation by a host (`POST
/api/v1/credentials/{id}/revoke`, and the revoke form of the host's challenge page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from trackrecord.errors import NotFound
from trackrecord.ledger import badge, didweb, hosted
from trackrecord.ledger import service as ledger
from trackrecord.service import Service
from trackrecord.web.accounts import Account
from trackrecord.web.deps import require_account, require_host, web
from trackrecord.web.render import JSON

api_router = APIRouter(tags=["track record"], default_response_class=JSON)
router = APIRouter()

SVG_HEADERS = {
    # A badge is an image: nothing in it may run, load or submit anything.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


class RevokeRequest(BaseModel):
    reason: str = Field(
        min_length=1,
        max_length=hosted.MAX_REASON,
        description="Why (kept in the database; the learner sees it).",
    )


def learner_credentials(svc: Service, user_id: int) -> dict[str, Any]:
    """The API's answer: who issues here, and each credential of this learner with its
    status (revoked, with the reason)."""
    store = ledger.keys_of(svc)
    issuer = store.issuer()
    answer: dict[str, Any] = {
        "issuer": {"id": issuer.id, "name": issuer.name},
        "subject": {"id": ledger.subject_id(issuer, user_id)},
        "credentials": [v.to_dict() for v in hosted.credentials_of(svc, user_id)],
    }
    if svc.settings.hosted:
        answer["issuer"]["did"] = didweb.did_of(svc.settings)
        answer["issuer"]["jwks_url"] = didweb.jwks_url(svc.settings)
    return answer


@api_router.get("/me/credentials")
def my_credentials(request: Request, me: Account = Depends(require_account)) -> Response:
    """Your credentials here (VC-JWTs), each with its status; `trackrecord fetch` reads it."""
    return JSON(learner_credentials(web(request).service, me.id))


@api_router.post("/credentials/{credential_id}/revoke")
def revoke_api(
    request: Request,
    credential_id: str,
    body: RevokeRequest,
    me: Account = Depends(require_host),
) -> Response:
    """Revoke a credential this server issued (the challenge's host or an admin)."""
    view = hosted.revoke(
        web(request).service, credential_id, body.reason, user_id=me.id, role=me.role
    )
    return JSON(view.to_dict())


@router.post("/host/credentials/revoke")
def revoke_page(
    request: Request,
    credential_id: str = Form(...),
    reason: str = Form(""),
    challenge: str = Form(""),
    me: Account = Depends(require_host),
) -> Response:
    """The revoke button of the host's challenge page (a reason is required)."""
    hosted.revoke(web(request).service, credential_id, reason, user_id=me.id, role=me.role)
    back = f"/host/challenges/{challenge}#credentials" if challenge.strip() else "/host"
    return RedirectResponse(back, status_code=303)


@router.get("/credentials/{credential_id}/badge.svg", name="badge")
def badge_svg(
    request: Request, credential_id: str, me: Account = Depends(require_account)
) -> Response:
    """The medal as an SVG image with the signed credential baked in (OB 3.0 baking)."""
    view = hosted.credential(web(request).service, credential_id)
    if view.username != me.username and me.role != "admin":
        raise NotFound(f"no credential {credential_id} here")  # another's: not even its existence
    name = f"{view.project or 'trackrecord'}-{view.kind}.svg"
    headers = {**SVG_HEADERS, "Content-Disposition": f'inline; filename="{name}"'}
    return Response(badge.medal_svg(view.credential), media_type="image/svg+xml", headers=headers)


def install(templates: Any, service: Service) -> None:
    """Give the host's challenge page its credentials: `host_credentials(slug)` in templates
    (the revoke form per finalized result, templates/_revoke.html)."""

    def host_credentials(slug: str) -> list[hosted.CredentialView]:
        return hosted.challenge_results(service, slug)

    templates.env.globals["host_credentials"] = host_credentials
