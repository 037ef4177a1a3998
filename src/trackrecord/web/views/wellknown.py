"""What a server publishes so anyone can check its credentials, without an account:
its public keys (`/.well-known/jwks.json`), its `did:web` document
(`/.well-known/did.json`, and `/did.json` for a public URL with a path) and its Bitstring
Status Lists (`/status/{n}`, a signed `BitstringStatusListCredential` as a VC-JWT)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from trackrecord.ledger import hosted
from trackrecord.web.deps import web
from trackrecord.web.render import JSON

router = APIRouter(tags=["track record"])

# Short: a revocation shows within a minute; verifiers and caches still spare the server.
LIST_CACHE = "public, max-age=60"
KEYS_CACHE = "public, max-age=300"
VC_JWT = "application/vc+jwt"  # VC-JOSE-COSE: a credential secured as a JWT


@router.get("/.well-known/jwks.json", name="jwks")
def jwks(request: Request) -> Response:
    """Every public key this server ever signed with (a key rotation keeps the old ones)."""
    body = hosted.jwks(web(request).service)
    return JSON(body, headers={"Cache-Control": KEYS_CACHE})


@router.get("/.well-known/did.json", name="did_document")
@router.get("/did.json", include_in_schema=False)
def did_document(request: Request) -> Response:
    """The did:web document: each key as a JsonWebKey verification method for assertions."""
    body = hosted.did_document(web(request).service)
    return JSON(body, headers={"Cache-Control": KEYS_CACHE})


@router.get("/status/{number}", name="status_list")
def status_list(request: Request, number: int) -> Response:
    """The status list credential `number` (revocation bits of this server's credentials)."""
    token = hosted.status_list(web(request).service, number)
    return Response(token, media_type=VC_JWT, headers={"Cache-Control": LIST_CACHE})
