"""Building signed ledgers for the ledger tests (no database)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trackrecord.bundle import Thresholds
from trackrecord.ledger import credential as C
from trackrecord.ledger import statuslist, vcjwt
from trackrecord.ledger.chain import build_chain
from trackrecord.ledger.export import Export, IssuerEntry
from trackrecord.ledger.keys import Issuer, KeyStore

SUBJECT = "urn:uuid:00000000-0000-4000-8000-000000000001"
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
LIST_URL = "https://host.example/status/0"


def achievement(project: str = "titanic") -> C.Achievement:
    return C.Achievement(
        id=project,
        title=f"Project {project}",
        summary="Predict who survived.",
        metric="accuracy",
        greater_is_better=True,
        thresholds=Thresholds(0.70, 0.80, 0.82),
        threshold_split="private",
        skills=("classification", "feature-engineering"),
        bundle_sha256="ab" * 32,
    )


def make_input(
    store: KeyStore | None,
    i: int = 0,
    *,
    origin: C.Origin = "self-scored",
    status: dict[str, str] | None = None,
    kind: str = "result",
    valid_until: datetime | None = None,
) -> C.CredentialInput:
    result = (
        C.ResultFacts("result", i + 1, 0.81, 0.83, "gold")
        if kind == "result"
        else C.ResultFacts("submission", i + 1, 0.79)
    )
    return C.CredentialInput(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        issuer=store.issuer() if store is not None else Issuer("urn:uuid:x", "x"),
        subject_id=SUBJECT,
        achievement=achievement(f"project-{i}"),
        result=result,
        evidence=C.EvidenceFacts(f"{i:064x}", "submission.csv", 418),
        origin=origin,
        valid_from=T0 + timedelta(minutes=i),
        valid_until=valid_until,
        status=status,
    )


def signed(store: KeyStore, i: int = 0, **kwargs: object) -> str:
    return vcjwt.sign(C.build_credential(make_input(store, i, **kwargs)), store.active())  # type: ignore[arg-type]


def ledger(
    store: KeyStore, n: int = 4, *, revoked: tuple[int, ...] = (), with_status: bool = True
) -> Export:
    """An export of `n` credentials of one issuer, each with a status entry (index i)."""
    issuer, key = store.issuer(), store.active()
    tokens = []
    for i in range(n):
        inp = make_input(None, i, status=statuslist.entry(LIST_URL, i) if with_status else None)
        tokens.append(vcjwt.sign(C.build_credential(replace(inp, issuer=issuer)), key))
    lists: dict[str, str] = {}
    if with_status:
        bits = statuslist.bitstring(revoked)
        listed = statuslist.list_credential(issuer, LIST_URL, bits, T0)
        lists[LIST_URL] = vcjwt.sign(listed, store.active())
    return Export(
        exported_at="2026-11-28T03:00:00Z",
        subject={"id": SUBJECT, "name": "Ada"},
        issuers={issuer.id: IssuerEntry(issuer.name, store.jwks(), "self")},
        records=build_chain(issuer.id, tokens),
        status_lists=lists,
    )


def store_at(path: Path) -> KeyStore:
    return KeyStore(path / "keys")
