"""VC-JWT: a credential secured as a JWT, exactly as OB 3.0 section 8.2 says.

Header `{"alg": "RS256", "kid": <thumbprint>, "typ": "JWT"}` and nothing else; payload =
the credential's own members plus `iss` (issuer.id), `jti` (id), `nbf` (validFrom), `sub`
(credentialSubject.id) and `exp` (validUntil) when it expires. Signing and signature checks
are joserfc calls, never hand-written JWS; only RS256 is accepted when verifying, so a
token cannot pick its own algorithm ("none", or HS256 keyed with the public key).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from joserfc import jws
from joserfc import jwt as _jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from trackrecord.ledger.keys import ALG, SigningKey

JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")
HEADER_MEMBERS = {"alg", "kid", "typ", "jwk"}  # OB 3.0: "Additional JOSE Headers are NOT allowed"


class TokenError(ValueError):
    """A token that is not a well-formed VC-JWT, or whose signature or claims fail."""


def _numeric(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def claims_for(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The JWT payload: the credential plus iss, jti, nbf, sub (and exp)."""
    payload = dict(credential)
    payload["iss"] = credential["issuer"]["id"]
    payload["jti"] = credential["id"]
    payload["nbf"] = _numeric(credential["validFrom"])
    payload["sub"] = credential["credentialSubject"]["id"]
    if "validUntil" in credential:
        payload["exp"] = _numeric(credential["validUntil"])
    return payload


def sign(credential: Mapping[str, Any], key: SigningKey) -> str:
    """The credential as a compact JWS (VC-JWT), signed with `key`."""
    header = {"alg": ALG, "kid": key.kid, "typ": "JWT"}
    return _jwt.encode(header, claims_for(credential), key.key, algorithms=[ALG])


def _b64json(part: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise TokenError(f"the {what} is not base64url JSON ({exc})") from None
    if not isinstance(value, dict):
        raise TokenError(f"the {what} is not a JSON object")
    return value


def split(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and payload of a compact JWS, without checking anything (for display)."""
    parts = token.strip().split(".") if isinstance(token, str) else []
    if len(parts) != 3 or not all(parts):
        raise TokenError("not a compact JWS (three base64url parts joined by dots)")
    return _b64json(parts[0], "header"), _b64json(parts[1], "payload")


def header_of(token: str) -> dict[str, Any]:
    """The JOSE header alone (cheap: the payload is left encoded)."""
    parts = token.strip().split(".") if isinstance(token, str) else []
    if len(parts) != 3 or not all(parts):
        raise TokenError("not a compact JWS (three base64url parts joined by dots)")
    return _b64json(parts[0], "header")


def decode_credential(token: str) -> dict[str, Any]:
    """The credential inside a VC-JWT, WITHOUT verifying it: for display only. The JWT
    claims (iss, jti, nbf, sub, exp) are left out; they restate credential members."""
    _, payload = split(token)
    return {k: v for k, v in payload.items() if k not in JWT_CLAIMS}


def verify_signature(token: str, key: RSAKey) -> dict[str, Any]:
    """The payload of `token` if `key` signed it with RS256; TokenError otherwise."""
    try:
        signed = jws.deserialize_compact(token.strip(), key, algorithms=[ALG])
    except JoseError as exc:
        raise TokenError(f"signature does not verify ({exc.error})") from None
    payload = json.loads(signed.payload)
    if not isinstance(payload, dict):
        raise TokenError("the payload is not a JSON object")
    return payload


def header_problem(header: Mapping[str, Any]) -> str | None:
    """What is wrong with a JOSE header for OB 3.0, or None."""
    if header.get("alg") != ALG:
        return f"algorithm {header.get('alg')!r} is not {ALG}"
    if "typ" in header and header["typ"] != "JWT":
        return f"typ {header['typ']!r} is not 'JWT'"
    if not isinstance(header.get("kid"), str):
        return "the header names no key (kid)"
    extra = set(header) - HEADER_MEMBERS
    if extra:
        return f"header members not allowed by OB 3.0: {', '.join(sorted(extra))}"
    return None


def _stamp(payload: Mapping[str, Any], member: str) -> int | None:
    value = payload.get(member)
    return _numeric(value) if isinstance(value, str) else None


def claims_problem(payload: Mapping[str, Any], now: datetime | None = None) -> str | None:
    """What is wrong with the JWT claims of a verified payload (OB 3.0 8.2.4.1), or None."""
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    subject = payload.get("credentialSubject")
    checks = (
        ("iss", issuer_id, "issuer.id"),
        ("jti", payload.get("id"), "id"),
        (
            "sub",
            subject.get("id") if isinstance(subject, Mapping) else None,
            "credentialSubject.id",
        ),
        ("nbf", _stamp(payload, "validFrom"), "validFrom"),
        ("exp", _stamp(payload, "validUntil"), "validUntil"),
    )
    for claim, expected, member in checks:
        if payload.get(claim) != expected:
            return f"claim {claim} ({payload.get(claim)!r}) does not match {member} ({expected!r})"
    moment = (now or datetime.now(UTC)).timestamp()
    if isinstance(payload.get("nbf"), int) and payload["nbf"] > moment + 60:
        return f"not valid yet: validFrom is {payload.get('validFrom')}"
    if isinstance(payload.get("exp"), int) and payload["exp"] < moment:
        return f"expired on {payload.get('validUntil')}"
    return None
