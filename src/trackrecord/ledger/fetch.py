"""The learner's side of a hosted server's credentials (`trackrecord fetch --server URL`),
and what verifying a baked badge needs from the network.

`download` asks the server (with the token `trackrecord login` stored) for this learner's
credentials (`GET /api/v1/me/credentials`), the server's published keys
(`/.well-known/jwks.json`) and the status lists the credentials point at. `store` checks
every credential against those keys and appends the new ones to the learner's own ledger,
chained under the host's issuer id (the learner's copy of a host's chain holds only the
learner's credentials, so it is chained locally; each credential's signature is the host's);
the host's keys go to `ledger_issuers` with where they came from, and the status lists to
`HOME/ledger/status-lists.json`, which `export` carries so the file verifies offline.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from joserfc.jwk import RSAKey
from sqlalchemy import select

from trackrecord.errors import ConfigError, TrackrecordError
from trackrecord.ledger import badge, statuslist, vcjwt
from trackrecord.ledger import service as ledger
from trackrecord.ledger.credential import ORIGINS, origin_of
from trackrecord.ledger.didweb import JWKS_PATH
from trackrecord.ledger.export import MAX_BYTES, Export
from trackrecord.ledger.keys import did_web_url, jwks_from_did_document, thumbprint
from trackrecord.store.models import LedgerIssuer, LedgerRecord

if TYPE_CHECKING:
    import httpx

    from trackrecord.service.core import Service

STATUS_CACHE = Path("ledger") / "status-lists.json"
CREDENTIALS_PATH = "/api/v1/me/credentials"


class FetchError(TrackrecordError):
    status = 502
    code = "fetch_failed"


@dataclass(frozen=True)
class HostCredentials:
    """What a server gave for this learner: its issuer, keys, credentials, status lists."""

    server: str
    issuer: str
    name: str
    jwks: dict[str, Any]
    jwks_url: str
    credentials: list[dict[str, Any]]
    status_lists: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FetchSummary:
    server: str
    issuer: str
    name: str
    added: list[str]
    known: int
    revoked: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "issuer": self.issuer,
            "name": self.name,
            "added": self.added,
            "already_here": self.known,
            "revoked": self.revoked,
        }


# The network ---------------------------------------------------------------------------


def _get(http: httpx.Client, url: str, what: str) -> httpx.Response:
    import httpx

    from trackrecord.client import raise_for_error

    try:
        response = http.get(url)
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch {what} from {url}: {exc}") from None
    raise_for_error(response)
    if len(response.content) > MAX_BYTES:
        raise FetchError(f"{what} at {url} is larger than {MAX_BYTES // 2**20} MiB")
    return response


def download(
    server: str, *, home: Path, transport: httpx.BaseTransport | None = None
) -> HostCredentials:
    """This learner's credentials on `server` (signed in with `trackrecord login`)."""
    import httpx

    from trackrecord import client
    from trackrecord.errors import AuthenticationRequired

    base = client.normalize(server)
    token = client.stored_token(home, base)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(headers=headers, timeout=client.TIMEOUT, transport=transport) as http:
        try:
            answer = _get(http, base + CREDENTIALS_PATH, "your credentials").json()
        except AuthenticationRequired as exc:
            exc.message += f"; run `trackrecord login --server {base}` first"
            raise
        jwks_url = base + JWKS_PATH
        jwks = _get(http, jwks_url, "the server's public keys").json()
        urls = sorted(
            {u for c in answer["credentials"] for u in badge.status_urls(c["credential"])}
        )
        lists = {u: _get(http, u, "a status list").text.strip() for u in urls}
    issuer = answer["issuer"]
    return HostCredentials(
        base, str(issuer["id"]), str(issuer["name"]), jwks, jwks_url,
        list(answer["credentials"]), lists,
    )  # fmt: skip


# The learner's ledger ------------------------------------------------------------------


def _key(host: HostCredentials, kid: str) -> RSAKey | None:
    """The host's published key whose RFC 7638 thumbprint is `kid` (whatever kid it claims)."""
    for jwk in host.jwks.get("keys", []):
        if isinstance(jwk, Mapping) and jwk.get("kty") == "RSA" and thumbprint(jwk) == kid:
            return RSAKey.import_key({k: jwk[k] for k in ("kty", "n", "e")})
    return None


def _checked(host: HostCredentials, token: str) -> dict[str, Any]:
    """The verified payload of a host credential; FetchError naming what is wrong."""
    try:
        header, _ = vcjwt.split(token)
        if problem := vcjwt.header_problem(header):
            raise FetchError(f"a credential from {host.server}: {problem}")
        key = _key(host, str(header.get("kid")))
        if key is None:
            raise FetchError(f"{host.server} signed a credential with a key it does not publish "
                             f"at {host.jwks_url} (kid {header.get('kid')})")  # fmt: skip
        payload = vcjwt.verify_signature(token, key)
    except vcjwt.TokenError as exc:
        raise FetchError(f"a credential from {host.server}: {exc}") from None
    if payload.get("iss") != host.issuer:
        raise FetchError(f"a credential from {host.server} names issuer {payload.get('iss')!r}")
    if problem := vcjwt.claims_problem(payload):
        raise FetchError(f"a credential from {host.server}: {problem}")
    return payload


def _status_of(payload: Mapping[str, Any]) -> tuple[str | None, int | None]:
    status = payload.get("credentialStatus")
    if not isinstance(status, Mapping):
        return None, None
    url, index = statuslist.index_of(status)
    return url, index


def _as_built(token: str, jti: str, payload: Mapping[str, Any]) -> ledger.Builder:
    url, index = _status_of(payload)

    def build(_position: int) -> tuple[str, str, str | None, int | None]:
        return token, jti, url, index

    return build


def _origin(host: HostCredentials, payload: Mapping[str, Any]) -> str:
    origin = origin_of(payload)
    if origin not in ORIGINS:
        raise FetchError(f"a credential from {host.server} states no known origin ({origin!r})")
    return str(origin)


def store(svc: Service, user_id: int, host: HostCredentials) -> FetchSummary:
    """Append the host's credentials this ledger does not hold yet (each verified first);
    keep the host's keys and status lists. Running it again adds nothing twice."""
    checked = [(c, _checked(host, str(c["credential"]))) for c in host.credentials]
    if host.issuer == ledger.keys_of(svc).issuer().id:
        raise ConfigError(f"{host.server} is this install itself: nothing to fetch")
    added: list[str] = []
    with svc.session(write_lock=True) as s:
        _keep_issuer(s, host, svc)
        ids = [str(p["jti"]) for _, p in checked]
        have = set(s.scalars(select(LedgerRecord.credential_id).where(
            LedgerRecord.credential_id.in_(ids))))  # fmt: skip
        for c, payload in checked:
            if payload["jti"] in have:
                continue
            jti = str(payload["jti"])
            ledger.append(
                s, host.issuer, _as_built(str(c["credential"]), jti, payload),
                kind="submission" if c.get("kind") == "submission" else "result",
                origin=_origin(host, payload), subject=str(payload.get("sub")),
                user_id=user_id, created_at=svc.now(),
            )  # fmt: skip
            added.append(jti)
    save_status_lists(svc.settings.home, host.status_lists)
    revoked = [str(c["id"]) for c in host.credentials if (c.get("status") or {}).get("revoked")]
    return FetchSummary(host.server, host.issuer, host.name, added, len(checked) - len(added),
                        revoked)  # fmt: skip


def _keep_issuer(s: Any, host: HostCredentials, svc: Service) -> None:
    row = s.scalars(select(LedgerIssuer).where(LedgerIssuer.issuer == host.issuer)).first()
    if row is None:
        row = LedgerIssuer(issuer=host.issuer)
        s.add(row)
    row.name, row.source, row.jwks, row.fetched_at = (
        host.name,
        host.jwks_url,
        host.jwks,
        svc.now(),
    )


# Status lists of other issuers, kept for the export --------------------------------------


def stored_status_lists(home: Path) -> dict[str, str]:
    """The status lists fetched from hosts (URL -> VC-JWT), as of their last fetch."""
    path = home / STATUS_CACHE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def save_status_lists(home: Path, lists: Mapping[str, str]) -> None:
    if not lists:
        return
    path = home / STATUS_CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    merged = {**stored_status_lists(home), **lists}
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(merged, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


# A baked badge -------------------------------------------------------------------------

Getter = Callable[[str], bytes]


def resolve_badge(svg: bytes, *, trusted: Mapping[str, Any] | None, get: Getter) -> Export:
    """The credential baked into `svg` as a one-record ledger, with its issuer's keys (the
    `trusted` ones, else the issuer's did:web document) and its status lists, fetched now."""
    token = badge.unbake(svg)
    issuer, _ = badge.issuer_of(token)
    if trusted is not None:
        jwks, source = dict(trusted), "the keys you trusted"
    elif issuer.startswith("did:web:"):
        source = did_web_url(issuer)
        jwks = jwks_from_did_document(json.loads(get(source)), issuer)
    else:
        raise ConfigError(
            f"the badge's issuer {issuer!r} is not a did:web: give its keys with --key JWKS"
        )
    lists = {u: get(u).decode("utf-8").strip() for u in badge.status_urls(token)}
    return badge.badge_export(token, jwks, source=source, status_lists=lists)
