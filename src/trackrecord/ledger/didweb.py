"""A hosted server's public identity: its base URL, its `did:web` identifier and DID
document, and the URLs of the status lists it publishes.

The base URL is the `public_url` setting (`TRACKRECORD_PUBLIC_URL`); without it, the bind
address `http://HOST:PORT`, which only machines that reach that address can resolve. The
DID follows the did:web method: `https://tr.example.org` is `did:web:tr.example.org`, a
port is percent-encoded (`https://tr.example.org:8443` is `did:web:tr.example.org%3A8443`)
and each path segment becomes a colon-separated part (`https://example.org/tr` is
`did:web:example.org:tr`, whose document lives at `https://example.org/tr/did.json`).

Pure: no database, no HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from trackrecord.errors import ConfigError
from trackrecord.ledger.keys import ALG, KeyInfo
from trackrecord.settings import Settings

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
JWK_CONTEXT = "https://w3id.org/security/jwk/v1"  # the JsonWebKey verification method type
STATUS_PATH = "/status"
JWKS_PATH = "/.well-known/jwks.json"


def public_url(settings: Settings) -> str:
    """The server's public base URL, without a trailing slash."""
    url = settings.public_url or f"http://{settings.host}:{settings.port}"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"public_url {url!r} is not an http(s) URL with a host")
    if parts.query or parts.fragment:
        raise ConfigError(f"public_url {url!r} must not have a query or a fragment")
    return url.strip().rstrip("/")


def did_web(url: str) -> str:
    """The did:web identifier of a base URL (the port percent-encoded, the path as parts)."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ConfigError(f"{url!r} has no host")
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal: its colons are percent-encoded too
        host = quote(host, safe="")
    if parts.port is not None:
        host += f"%3A{parts.port}"
    path = [quote(seg, safe="") for seg in parts.path.split("/") if seg]
    return ":".join(["did:web", host, *path])


def did_of(settings: Settings) -> str:
    return did_web(public_url(settings))


def status_list_base(settings: Settings) -> str:
    """Where the server publishes its status lists: list n at `<this>/<n>`."""
    return public_url(settings) + STATUS_PATH


def jwks_url(settings: Settings) -> str:
    return public_url(settings) + JWKS_PATH


def host_name(settings: Settings) -> str:
    """The issuer name of a hosted server: 'trackrecord at <host>'."""
    return f"trackrecord at {urlsplit(public_url(settings)).netloc}"


def verification_method(did: str, jwk: Mapping[str, Any]) -> dict[str, Any]:
    """One key as a JsonWebKey verification method; its fragment is the key's kid."""
    public = {k: jwk[k] for k in ("kty", "n", "e") if k in jwk}
    kid = str(jwk["kid"])
    return {
        "id": f"{did}#{kid}",
        "type": "JsonWebKey",
        "controller": did,
        "publicKeyJwk": {**public, "kid": kid, "alg": ALG},
    }


def did_document(
    did: str, keys: Iterable[KeyInfo], also_known_as: Iterable[str] = ()
) -> dict[str, Any]:
    """The DID document: every key the server ever signed with (rotation keeps old ones,
    so old credentials still verify) as a verification method for assertions."""
    methods = [verification_method(did, k.jwk) for k in keys]
    doc: dict[str, Any] = {
        "@context": [DID_CONTEXT, JWK_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
    others = [a for a in also_known_as if a != did]
    if others:
        doc["alsoKnownAs"] = others
    return doc
