"""Signing keys: made on first use, kept owner-only, rotated without forgetting.

One folder per scorer (`HOME/keys/`, mode 0700):

    issuer.json        {"id": "urn:uuid:...", "name": "..."}: who signs (kept across rotations)
    active             the kid of the key that signs new credentials
    <kid>.pem          an RSA 2048 private key, PKCS#8, mode 0600
    <kid>.json         {"jwk": <public JWK>, "created": "..."}
    jwks.json          {"keys": [...]}: every public key ever made here (rotation keeps them)

The kid is the RFC 7638 thumbprint of the public key (base64url SHA-256), so a kid names
exactly one key and a verifier can recompute it. Files are written so that two processes
using the folder for the first time at once end with one active key (the loser's key is
removed, never published). A private key file readable by anyone else is refused, as ssh
refuses one: the fix is `chmod 600`.
"""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey

from trackrecord.errors import ConfigError

ALG = "RS256"  # OB 3.0 section 8.2: every verifier must accept it; WebCrypto verifies it
KEY_BITS = 2048
POSIX = os.name == "posix"


# Private keys already parsed, by file: a kid names one key (its thumbprint, checked on
# load) and a key file is never rewritten, so a parsed key stays right for its path.
_LOADED: dict[Path, SigningKey] = {}


@dataclass(frozen=True)
class Issuer:
    """Who signs: the OB 3.0 issuer profile (`iss` of every credential)."""

    id: str
    name: str

    def profile(self) -> dict[str, Any]:
        return {"id": self.id, "type": ["Profile"], "name": self.name}


@dataclass(frozen=True)
class KeyInfo:
    """A public key of this store: its kid, when it was made, whether it signs now."""

    kid: str
    created: str
    active: bool
    jwk: Mapping[str, Any]


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: RSAKey


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 thumbprint (base64url SHA-256) of a public JWK: what a kid must be."""
    return RSAKey.import_key(dict(jwk)).thumbprint()


def public_jwk(key: RSAKey) -> dict[str, Any]:
    """The public JWK with kid, alg and use (never `d` or the other private members)."""
    members = {k: v for k, v in key.as_dict(private=False).items() if k in ("kty", "n", "e")}
    return {**members, "kid": key.thumbprint(), "alg": ALG, "use": "sig"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _write_new(path: Path, data: bytes, mode: int = 0o600) -> bool:
    """Create `path` with `data` unless it exists (atomic); False when it already did."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.link(tmp, path)  # fails if another process made it first
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


def _replace(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `path` atomically (readers see the old file or the new one, never half)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class KeyStore:
    """The signing keys of one scorer, in one folder (see the module docstring)."""

    def __init__(self, folder: Path, *, default_name: str = "trackrecord (local install)"):
        self.folder = folder
        self.default_name = default_name

    # Identity --------------------------------------------------------------------------

    def issuer(self) -> Issuer:
        """The issuer profile, made once: a urn:uuid id that survives key rotations."""
        path = self._ready() / "issuer.json"
        if not path.exists():
            made = {"id": f"urn:uuid:{uuid.uuid4()}", "name": self.default_name}
            _write_new(path, json.dumps(made, indent=2).encode(), 0o644)
        data = json.loads(path.read_text())
        return Issuer(str(data["id"]), str(data["name"]))

    def set_issuer(self, issuer: Issuer) -> None:
        """Name the issuer (a hosted server: its did:web or https URL and its name)."""
        body = {"id": issuer.id, "name": issuer.name}
        _replace(self._ready() / "issuer.json", json.dumps(body, indent=2).encode())

    # Keys ----------------------------------------------------------------------------

    def active(self) -> SigningKey:
        """The key that signs new credentials, made on first use."""
        pointer = self._ready() / "active"
        if not pointer.exists():
            made = self._make_private()
            if not _write_new(pointer, made.kid.encode(), 0o600):
                (self.folder / f"{made.kid}.pem").unlink()  # another process won: use its key
        key = self._load(pointer.read_text().strip())
        self._ensure_public(key)
        return key

    def rotate(self) -> SigningKey:
        """Make a new signing key; the old public keys stay in jwks.json."""
        self.active()  # the first key exists before the second one
        key = self._make_private()
        self._ensure_public(key)
        _replace(self.folder / "active", key.kid.encode(), 0o600)
        return key

    def public_keys(self) -> list[KeyInfo]:
        """Every public key made here, oldest first."""
        folder = self._ready()
        pointer = folder / "active"
        active = pointer.read_text().strip() if pointer.exists() else None
        found = []
        for path in folder.glob("*.json"):
            if path.name in ("issuer.json", "jwks.json"):
                continue
            try:
                data = json.loads(path.read_text())
            except FileNotFoundError:  # removed since the listing
                continue
            found.append(KeyInfo(path.stem, data["created"], path.stem == active, data["jwk"]))
        return sorted(found, key=lambda k: (k.created, k.kid))

    def jwks(self) -> dict[str, Any]:
        """The JWKS to publish: every public key ever used here (rotation keeps them)."""
        return {"keys": [dict(k.jwk) for k in self.public_keys()]}

    # Internals -----------------------------------------------------------------------

    def _ready(self) -> Path:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if POSIX and stat.S_IMODE(self.folder.stat().st_mode) & 0o077:
            os.chmod(self.folder, 0o700)  # a folder made earlier by someone's umask
        return self.folder

    def _make_private(self) -> SigningKey:
        key = RSAKey.generate_key(KEY_BITS, private=True)
        kid = key.thumbprint()
        _write_new(self._ready() / f"{kid}.pem", key.as_pem(private=True), 0o600)
        return SigningKey(kid, key)

    def _ensure_public(self, key: SigningKey) -> None:
        """Publish a key before it signs anything: its <kid>.json, then jwks.json."""
        meta = self.folder / f"{key.kid}.json"
        if not meta.exists():
            body = {"jwk": public_jwk(key.key), "created": _now()}
            _write_new(meta, json.dumps(body, indent=2).encode(), 0o644)
            self._publish()

    def _publish(self) -> None:
        _replace(self.folder / "jwks.json", json.dumps(self.jwks(), indent=2).encode())

    def _load(self, kid: str) -> SigningKey:
        path = self.folder / f"{kid}.pem"
        if not path.exists():
            raise ConfigError(f"the active signing key {kid} is missing from {self.folder}")
        if POSIX and stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise ConfigError(
                f"the private key {path} can be read by other users: run `chmod 600 {path}` "
                "(and consider `trackrecord keys rotate` if someone may have copied it)"
            )
        cached = _LOADED.get(path)
        if cached is not None:
            return cached
        key = RSAKey.import_key(path.read_bytes())  # slow: the RSA key's checks take ~30 ms
        if key.thumbprint() != kid:
            raise ConfigError(f"{path} does not hold the key its name says ({kid})")
        _LOADED[path] = SigningKey(kid, key)
        return _LOADED[path]


def keystore(home: Path, *, hosted: bool = False) -> KeyStore:
    """The key store of a data directory (`HOME/keys`); a new issuer is named for a hosted
    server or for a local install."""
    name = "trackrecord hosted server" if hosted else "trackrecord (local install)"
    return KeyStore(home / "keys", default_name=name)


def jwks_from_did_document(doc: Mapping[str, Any], did: str | None = None) -> dict[str, Any]:
    """The public keys of a did:web document (its verificationMethod publicKeyJwk), as a
    JWKS; the kid of each is its thumbprint, as in the issuer's jwks.json."""
    if did is not None and doc.get("id") != did:
        raise ConfigError(f"the DID document names {doc.get('id')!r}, not {did!r}")
    methods: Sequence[Any] = doc.get("verificationMethod") or []
    keys = []
    for method in methods:
        jwk = method.get("publicKeyJwk") if isinstance(method, Mapping) else None
        if isinstance(jwk, Mapping) and jwk.get("kty") == "RSA":
            keys.append({**{k: jwk[k] for k in ("kty", "n", "e")}, "kid": thumbprint(jwk)})
    if not keys:
        raise ConfigError("the DID document has no RSA publicKeyJwk verification method")
    return {"keys": keys}


def did_web_url(did: str) -> str:
    """Where a did:web document lives (did:web:example.org -> https://example.org/.well-known/
    did.json; did:web:example.org:u:alice -> https://example.org/u/alice/did.json)."""
    if not did.startswith("did:web:"):
        raise ConfigError(f"{did!r} is not a did:web identifier")
    parts = [p.replace("%3A", ":") for p in did.removeprefix("did:web:").split(":")]
    host, path = parts[0], parts[1:]
    if not host:
        raise ConfigError(f"{did!r} names no host")
    return (
        f"https://{host}/{'/'.join(path)}/did.json"
        if path
        else (f"https://{host}/.well-known/did.json")
    )
