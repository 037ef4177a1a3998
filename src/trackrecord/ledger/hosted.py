"""The hosted server's side of the track record, over the database: its issuer identity
(did:web), the DID document and status lists it publishes, revocation by a host, and the
credentials of a learner or of a challenge.

A hosted server signs *host-verified* credentials with its own key (`ledger.service`,
called by `finalize`); each carries a `credentialStatus` entry in a Bitstring Status List
published at `<public_url>/status/<n>`. Revoking sets that bit in the next list served, and
keeps who revoked, when and why in `credential_revocations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trackrecord.errors import Conflict, NotFound, PermissionDenied
from trackrecord.ledger import didweb, vcjwt
from trackrecord.ledger import service as ledger
from trackrecord.ledger.credential import origin_of, results_of
from trackrecord.ledger.keys import Issuer
from trackrecord.store.models import Challenge, CredentialRevocation, LedgerRecord, User

if TYPE_CHECKING:
    from trackrecord.service.core import Service

MAX_REASON = 1000


@dataclass(frozen=True)
class CredentialView:
    """One credential as pages, the API and `fetch` show it."""

    id: str
    issuer: str
    position: int
    kind: str
    origin: str
    project: str | None
    name: str
    issued_at: datetime
    credential: str  # the VC-JWT
    prev_hash: str | None
    hash: str
    status_list: str | None
    status_index: int | None
    revoked: bool = False
    reason: str | None = None
    revoked_at: datetime | None = None
    username: str | None = None
    medal: str | None = None
    private_score: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "issuer": self.issuer,
            "position": self.position,
            "kind": self.kind,
            "origin": self.origin,
            "project": self.project,
            "name": self.name,
            "issued_at": self.issued_at.isoformat(),
            "credential": self.credential,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "status": None
            if self.status_list is None
            else {
                "list": self.status_list,
                "index": self.status_index,
                "revoked": self.revoked,
                "reason": self.reason,
                "revoked_at": None if self.revoked_at is None else self.revoked_at.isoformat(),
            },
        }


def _view(
    row: LedgerRecord, revocation: CredentialRevocation | None, username: str | None
) -> CredentialView:
    credential = vcjwt.decode_credential(row.credential)
    achievement = (credential.get("credentialSubject") or {}).get("achievement") or {}
    got = results_of(credential)
    return CredentialView(
        id=row.credential_id, issuer=row.issuer, position=row.position, kind=row.kind,
        origin=origin_of(credential) or row.origin, project=achievement.get("humanCode"),
        name=str(credential.get("name", "")), issued_at=row.created_at,
        credential=row.credential, prev_hash=row.prev_hash, hash=row.hash,
        status_list=row.status_list, status_index=row.status_index,
        revoked=revocation is not None,
        reason=None if revocation is None else revocation.reason,
        revoked_at=None if revocation is None else revocation.created_at,
        username=username, medal=got.get("medal"), private_score=got.get("private"),
    )  # fmt: skip


def _views(session: Session, *where: Any) -> list[CredentialView]:
    rows = session.execute(
        select(LedgerRecord, CredentialRevocation, User.username)
        .outerjoin(CredentialRevocation, CredentialRevocation.record_id == LedgerRecord.id)
        .outerjoin(User, User.id == LedgerRecord.user_id)
        .where(*where)
        .order_by(LedgerRecord.created_at, LedgerRecord.issuer, LedgerRecord.position)
    ).all()
    return [_view(rec, rev, name) for rec, rev, name in rows]


# The server's identity -----------------------------------------------------------------


def ensure_issuer(svc: Service) -> Issuer:
    """Make the hosted server's issuer id its did:web, unless credentials were already
    issued under another id (they stay valid under it; the DID document then names it in
    `alsoKnownAs`). Called when the hosted app starts."""
    store = ledger.keys_of(svc)
    current = store.issuer()
    did = didweb.did_of(svc.settings)
    if current.id == did:
        return current
    with svc.reading() as s:
        used = s.scalars(
            select(LedgerRecord.id).where(LedgerRecord.issuer == current.id).limit(1)
        ).first()
    if used is not None:
        return current
    made = Issuer(did, didweb.host_name(svc.settings))
    store.set_issuer(made)
    return made


def jwks(svc: Service) -> dict[str, Any]:
    """Every public key this server ever signed with (made on first use)."""
    store = ledger.keys_of(svc)
    store.active()
    return store.jwks()


def did_document(svc: Service) -> dict[str, Any]:
    store = ledger.keys_of(svc)
    store.active()
    did = didweb.did_of(svc.settings)
    return didweb.did_document(did, store.public_keys(), [store.issuer().id])


def status_list_url(svc: Service, number: int) -> str:
    return f"{ledger.status_base(svc)}/{number}"


def status_list(svc: Service, number: int) -> str:
    """The signed BitstringStatusListCredential (VC-JWT) of list `number`, as of now."""
    url = status_list_url(svc, number)
    with svc.reading() as s:
        used = s.scalars(
            select(LedgerRecord.id).where(LedgerRecord.status_list == url).limit(1)
        ).first()
        if used is None:
            raise NotFound(f"no status list {number}: no credential of this server names {url}")
        store = ledger.keys_of(svc)
        return ledger.status_list(s, store, store.issuer(), url, svc.now())


# Credentials ---------------------------------------------------------------------------


def credentials_of(svc: Service, user_id: int) -> list[CredentialView]:
    """Every credential in the ledger of this user (on a personal install: self-scored
    ones and the host-verified ones fetched), oldest first."""
    with svc.reading() as s:
        return _views(s, LedgerRecord.user_id == user_id)


def credential(svc: Service, credential_id: str) -> CredentialView:
    with svc.reading() as s:
        found = _views(s, LedgerRecord.credential_id == credential_id)
    if not found:
        raise NotFound(f"no credential {credential_id} here")
    return found[0]


def challenge_results(svc: Service, slug: str) -> list[CredentialView]:
    """The result credentials of a challenge's finalized learners (the host's page)."""
    with svc.reading() as s:
        row = svc.challenge_row(s, slug)
        own = ledger.keys_of(svc).issuer().id
        return _views(
            s,
            LedgerRecord.challenge_id == row.id,
            LedgerRecord.kind == "result",
            LedgerRecord.issuer == own,
        )


def _may_revoke(session: Session, rec: LedgerRecord, user_id: int, role: str) -> bool:
    if role == "admin":
        return True
    if role != "host" or rec.challenge_id is None:
        return False
    challenge = session.get(Challenge, rec.challenge_id)
    return challenge is not None and challenge.created_by == user_id


def revoke(
    svc: Service, credential_id: str, reason: str, *, user_id: int, role: str
) -> CredentialView:
    """A host (the challenge's creator) or an admin revokes a credential this server
    issued; the reason is kept. The next status list served has its bit set."""
    reason = (reason or "").strip()
    if not reason:
        raise Conflict("say why: a revocation needs a reason (the learner and auditors see it)")
    if len(reason) > MAX_REASON:
        raise Conflict(f"the reason is longer than {MAX_REASON} characters")
    own = ledger.keys_of(svc).issuer().id
    with svc.session(write_lock=True) as s:
        rec = s.scalars(
            select(LedgerRecord).where(LedgerRecord.credential_id == credential_id)
        ).first()
        if rec is None or rec.issuer != own:
            raise NotFound(f"no credential {credential_id} issued by this server")
        if not _may_revoke(s, rec, user_id, role):
            raise PermissionDenied(
                "only the challenge's host or an admin can revoke its credentials"
            )
        ledger.revoke(s, credential_id, reason, by=user_id, now=svc.now())
    return credential(svc, credential_id)
