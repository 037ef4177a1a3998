"""Helpers for the portfolio tests: a ledger export signed here with joserfc (RS256), in the
contract's `trackrecord-ledger` format, with credentials laid out as OB 3.0 results (the
project as the achievement, scores, medal and origin as results)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from joserfc import jwt
from joserfc.jwk import RSAKey

SHARED_POSTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "posts"
ISSUER = "urn:trackrecord:issuer:test-install"
SUBJECT = "urn:trackrecord:learner:ada"


def shared_posts() -> Path:
    """The two real posts beside the project (../shared/data/posts); never copied in."""
    if not SHARED_POSTS.is_dir():
        pytest.skip("../shared/data/posts is absent here: the shared posts' tests need it")
    return SHARED_POSTS


@dataclass(frozen=True)
class Result:
    project: str
    title: str
    public: float
    private: float | None = None
    medal: str | None = None  # "none" for a finalized result without a medal
    origin: str = "self-scored"
    metric: str = "rmse"
    skills: tuple[str, ...] = ("baselines",)
    issued: int = 1_790_000_000


def credential(r: Result, issuer: str = ISSUER) -> dict[str, Any]:
    rid = f"urn:trackrecord:project:{r.project}:result"
    results: list[dict[str, Any]] = []
    if r.private is not None:
        results.append({"type": ["Result"], "resultDescription": f"{rid}:private",
                        "value": repr(r.private)})  # fmt: skip
    results.append({"type": ["Result"], "resultDescription": f"{rid}:public",
                    "value": repr(r.public)})  # fmt: skip
    if r.medal is not None:
        results.append({"type": ["Result"], "resultDescription": f"{rid}:medal",
                        "value": r.medal})  # fmt: skip
    results.append({"type": ["Result"], "resultDescription": f"{rid}:origin", "value": r.origin})
    names = {"private": f"Private score ({r.metric})", "public": f"Public score ({r.metric})",
             "medal": "Medal", "origin": "Origin"}  # fmt: skip
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:{hashlib.sha256(repr(r).encode()).hexdigest()[:32]}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Ada's install"},
        "validFrom": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r.issued)),
        "name": f"{(r.medal or 'result').capitalize()} on {r.title} ({r.origin})",
        "credentialSubject": {
            "id": SUBJECT,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"urn:trackrecord:project:{r.project}",
                "type": ["Achievement"],
                "name": r.title,
                "humanCode": r.project,
                "description": f"Predict things in {r.title}.",
                "criteria": {"narrative": f"Scored with {r.metric} on a hidden answer key."},
                "tag": list(r.skills),
                "resultDescription": [
                    {"id": f"{rid}:{k}", "type": ["ResultDescription"], "name": v}
                    for k, v in names.items()
                ],
            },
            "result": results,
        },
    }  # fmt: skip


@dataclass
class Signer:
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048))
    issuer: str = ISSUER

    @property
    def kid(self) -> str:
        return str(self.key.thumbprint())

    def jwks(self) -> dict[str, Any]:
        public = self.key.as_dict(private=False)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def sign(self, r: Result) -> str:
        claims = {**credential(r, self.issuer), "iss": self.issuer, "sub": SUBJECT,
                  "jti": f"urn:uuid:{r.project}-{r.issued}", "nbf": r.issued}  # fmt: skip
        header = {"alg": "RS256", "kid": self.kid, "typ": "JWT"}
        return str(jwt.encode(header, claims, self.key))


def record_hash(issuer: str, position: int, credential: str, prev_hash: str | None) -> str:
    body = {"issuer": issuer, "position": position, "credential": credential,
            "prev_hash": prev_hash}  # fmt: skip
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def make_export(results: list[Result], signer: Signer | None = None) -> dict[str, Any]:
    """A signed, hash-chained export of `results` by one self-scoring issuer."""
    signer = signer or Signer()
    records, prev = [], None
    for position, r in enumerate(results):
        token = signer.sign(r)
        digest = record_hash(signer.issuer, position, token, prev)
        records.append({"issuer": signer.issuer, "position": position, "credential": token,
                        "prev_hash": prev, "hash": digest})  # fmt: skip
        prev = digest
    return {
        "format": "trackrecord-ledger",
        "version": 1,
        "exported_at": "2026-11-28T03:00:00Z",
        "subject": {"id": SUBJECT, "name": "Ada Lovelace"},
        "issuers": {
            signer.issuer: {"name": "Ada's install", "jwks": signer.jwks(), "source": "self"}
        },
        "status_lists": {},
        "records": records,
    }


SAMPLE = [
    Result("toy-reg", "Toy regression", public=1.91, private=1.87, medal="silver"),
    Result("toy-cls", "Toy classification", public=0.66, issued=1_790_000_100),
    Result("toy-cls", "Toy classification", public=0.71, private=0.93, medal="gold",
           issued=1_790_000_200),
]  # fmt: skip
