"""Verifying a ledger export: every record's chain link, issuer key, signature, claims and
status, one verdict per record.

The checks run in this order and a record's reason is the first that fails, so each kind
of tampering reads as itself: content changed (hash), inserted / swapped / dropped (chain,
through the witnesses of a partial view, whose own links are checked as they are crossed),
an unknown issuer, a key the issuer never published, a published key swapped for another
(a kid is the RFC 7638 thumbprint of its key, so a swap shows), a key the reviewer did not
trust (`trusted`), a bad signature, claims that disagree with the credential, a repeated
credential, and a revoked one (its issuer's signed Bitstring Status List).

Status lists: with a `fetch_status` (see trackrecord.ledger.statusfetch), each list is read
where its issuer publishes it, so a credential revoked after the export shows; the list the
export carries is used only when that URL is unreachable, and the record says so. Without
one, the export's lists are used: the status as of the export. A list, live or carried,
that fails verification fails its records.

Keys come from the file unless `trusted` is given: then every record must be signed by one
of those keys (matched by thumbprint, whatever the file says).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from joserfc.jwk import RSAKey

from trackrecord.ledger import statuslist, vcjwt
from trackrecord.ledger.chain import ChainWalk, Record, content_problem
from trackrecord.ledger.credential import origin_of
from trackrecord.ledger.export import Export
from trackrecord.ledger.keys import thumbprint
from trackrecord.ledger.statusfetch import StatusFetcher, StatusResponseError, StatusUnreachable


@dataclass(frozen=True)
class RecordCheck:
    """The verdict on one record: `reason` says what failed, or what was verified.

    `credential` is decoded from the record's token when first read (a report of 10,000
    records keeps tokens, not 10,000 parsed documents); it is the verified content when
    `ok`, and for display only otherwise. `status` says where its revocation status came
    from (live from its URL, or as of the export and why); None when it has none."""

    index: int
    issuer: str
    position: int
    ok: bool
    reason: str
    token: str
    kid: str | None = None
    status: str | None = None

    @cached_property
    def credential(self) -> dict[str, Any] | None:
        try:
            return vcjwt.decode_credential(self.token)
        except vcjwt.TokenError:
            return None

    @property
    def origin(self) -> str | None:
        return origin_of(self.credential) if self.credential else None

    @property
    def name(self) -> str:
        return str((self.credential or {}).get("name", ""))


@dataclass(frozen=True)
class VerifyReport:
    records: list[RecordCheck]
    key_source: dict[str, str] = field(default_factory=dict)  # issuer -> where keys came from

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.records)

    @property
    def first_failure(self) -> RecordCheck | None:
        return next((r for r in self.records if not r.ok), None)


class _Keys:
    """The keys of each issuer in the file, imported once, with the kids that lie."""

    def __init__(self, export: Export, trusted: Mapping[str, Any] | None) -> None:
        self.by_issuer: dict[str, dict[str, RSAKey]] = {}
        self.swapped: dict[str, dict[str, str]] = {}
        for issuer, entry in export.issuers.items():
            keys, lies = {}, {}
            for jwk in entry.jwks.get("keys", []):
                if not isinstance(jwk, Mapping) or jwk.get("kty") != "RSA":
                    continue
                public = {k: jwk[k] for k in ("kty", "n", "e") if k in jwk}
                actual = thumbprint(public)
                kid = str(jwk.get("kid", actual))
                keys[kid] = RSAKey.import_key(public)
                if kid != actual:
                    lies[kid] = actual
            self.by_issuer[issuer], self.swapped[issuer] = keys, lies
        self.trusted: set[str] | None = None
        if trusted is not None:
            self.trusted = {
                thumbprint({k: j[k] for k in ("kty", "n", "e")})
                for j in trusted.get("keys", [])
                if isinstance(j, Mapping) and j.get("kty") == "RSA"
            }

    def key_for(self, issuer: str, kid: str) -> tuple[RSAKey | None, str | None]:
        keys = self.by_issuer.get(issuer, {})
        if kid not in keys:
            return None, f"signed by a key the issuer never published (kid {kid[:16]}...)"
        if kid in self.swapped.get(issuer, {}):
            other = self.swapped[issuer][kid]
            return None, (
                f"issuer key swapped: the key the file publishes as {kid[:16]}... is another "
                f"key (its thumbprint is {other[:16]}...)"
            )
        if self.trusted is not None and kid not in self.trusted:
            return None, f"signed by key {kid[:16]}..., which is not among the keys you trusted"
        return keys[kid], None


AS_OF_EXPORT = "status as of the export"


@dataclass(frozen=True)
class _List:
    """A status list as loaded: its bits (None: `why`), and where the status came from."""

    bits: bytearray | None
    why: str | None
    note: str
    live: bool = False


class _Statuses:
    """The issuers' status lists, each loaded, verified and decoded once: fetched live
    when `fetch` is given (the export's copy only when the URL is unreachable), else the
    export's."""

    def __init__(self, export: Export, keys: _Keys, fetch: StatusFetcher | None) -> None:
        self.export, self.keys, self.fetch = export, keys, fetch
        self.cache: dict[str, _List] = {}
        self.embedded: dict[str, tuple[bytearray | None, str | None]] = {}

    def problem(self, issuer: str, status: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """(why the credential fails its status check or None, where the status came from)."""
        try:
            url, index = statuslist.index_of(status)
        except ValueError as exc:
            return f"credentialStatus: {exc}", None
        if url not in self.cache:
            self.cache[url] = self._load(issuer, url)
        found = self.cache[url]
        if found.bits is None:
            return found.why, found.note
        try:
            if statuslist.is_set(found.bits, index):
                return f"revoked by its issuer (status list {url}, index {index})", found.note
        except IndexError as exc:
            return f"status list {url}: {exc}", found.note
        if found.live and self._revoked_at_export(issuer, url, index):
            # Revocation is not reversible (Bitstring Status List): an older list served now.
            return (
                f"revoked by its issuer (status list {url} as of the export, index {index}; "
                "the list served now does not show it)"
            ), found.note
        return None, found.note

    def _load(self, issuer: str, url: str) -> _List:
        if self.fetch is None:
            return _List(*self._from_export(issuer, url), AS_OF_EXPORT)
        try:
            served = self.fetch(url)
        except StatusUnreachable as exc:
            return _List(*self._from_export(issuer, url), f"{AS_OF_EXPORT}: {url} unreachable "
                         f"({exc})")  # fmt: skip
        except StatusResponseError as exc:
            return _List(None, f"status list {url}: {exc}", f"status live from {url}", True)
        return _List(*self._verified(issuer, url, served.strip()), f"status live from {url}", True)

    def _revoked_at_export(self, issuer: str, url: str, index: int) -> bool:
        bits, _ = self._from_export(issuer, url)
        return bits is not None and index < len(bits) * 8 and statuslist.is_set(bits, index)

    def _from_export(self, issuer: str, url: str) -> tuple[bytearray | None, str | None]:
        if url not in self.embedded:
            token = self.export.status_lists.get(url)
            self.embedded[url] = (
                (None, f"status unknown: the status list {url} is not in the file")
                if token is None
                else self._verified(issuer, url, token)
            )
        return self.embedded[url]

    def _verified(
        self, issuer: str, url: str, token: str | Mapping[str, Any]
    ) -> tuple[bytearray | None, str | None]:
        """The bits of the status list credential `token` (None and why, if it fails)."""
        if not isinstance(token, str):
            return None, f"status list {url} is not signed (a VC-JWT is required)"
        try:
            header, _ = vcjwt.split(token)
            key, why = self.keys.key_for(issuer, str(header.get("kid", "")))
            if key is None:
                return None, f"status list {url}: {why}"
            payload = vcjwt.verify_signature(token, key)
        except vcjwt.TokenError as exc:
            return None, f"status list {url}: {exc}"
        subject = payload.get("credentialSubject") or {}
        if payload.get("iss") != issuer or payload.get("id") != url:
            return None, f"status list {url} is not the list its issuer published there"
        if subject.get("statusPurpose") != statuslist.PURPOSE:
            return None, f"status list {url} is not a revocation list"
        try:
            return statuslist.decode(subject.get("encodedList", "")), None
        except statuslist.StatusListError as exc:
            return None, f"status list {url}: {exc}"


def _header(token: str, seen: dict[str, dict[str, Any] | None]) -> dict[str, Any] | None:
    """The JOSE header; one key's tokens share their header segment, decoded once."""
    segment = token.partition(".")[0]
    if segment not in seen:
        try:
            seen[segment] = vcjwt.header_of(token)
        except vcjwt.TokenError:
            seen[segment] = None
    found = seen[segment]
    return dict(found) if found is not None else None


class _Verifier:
    def __init__(
        self,
        export: Export,
        trusted: Mapping[str, Any] | None,
        now: datetime | None,
        fetch_status: StatusFetcher | None,
    ) -> None:
        partial = {i for i, e in export.issuers.items() if e.partial}
        self.walk = ChainWalk(export.records, export.witnesses, partial)
        self.keys = _Keys(export, trusted)
        self.statuses = _Statuses(export, self.keys, fetch_status)
        self.now = now
        self.status_note: str | None = None  # set by the record's status check
        self.ids: dict[str, int] = {}
        self.headers: dict[str, dict[str, Any] | None] = {}

    def check(self, index: int, record: Record) -> RecordCheck:
        header = _header(record.credential, self.headers)
        kid = str(header.get("kid")) if header and header.get("kid") else None
        self.status_note = None
        reason = self._problem(index, record, header, kid)
        verified = "verified"
        if (start := self.walk.start[record.issuer]) > 0 and record.position == start:
            verified += f" (chain from position {start}; earlier records are not this learner's)"
        return RecordCheck(
            index=index,
            issuer=record.issuer,
            position=record.position,
            ok=reason is None,
            reason=reason or verified,
            token=record.credential,
            kid=kid,
            status=self.status_note,
        )

    def _problem(
        self, index: int, record: Record, header: dict[str, Any] | None, kid: str | None
    ) -> str | None:
        """The first check that fails (None: all pass)."""
        link = self.walk.step(record)  # always: the walk keeps each issuer's state
        if problem := content_problem(record):
            return problem
        if link:
            return link
        if header is None:
            return "the credential is not a VC-JWT (three base64url JSON parts)"
        if problem := vcjwt.header_problem(header):
            return problem
        key, why = self.keys.key_for(record.issuer, kid or "")
        if key is None:
            return why
        try:
            payload = vcjwt.verify_signature(record.credential, key)
        except vcjwt.TokenError:
            return "signature does not verify: the credential was changed after it was signed"
        return self._claims(index, record, payload)

    def _claims(self, index: int, record: Record, payload: dict[str, Any]) -> str | None:
        if payload.get("iss") != record.issuer:
            return f"issued by {payload.get('iss')!r}, but filed under issuer {record.issuer!r}"
        if problem := vcjwt.claims_problem(payload, self.now):
            return problem
        if "OpenBadgeCredential" not in (payload.get("type") or []):
            return "not an OpenBadgeCredential"
        jti = str(payload.get("jti"))
        if jti in self.ids:
            return f"the same credential as records[{self.ids[jti]}]: an inserted copy"
        self.ids[jti] = index
        status = payload.get("credentialStatus")
        if isinstance(status, Mapping):
            problem, self.status_note = self.statuses.problem(record.issuer, status)
            return problem
        return None


def verify_export(
    export: Export,
    *,
    trusted: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    fetch_status: StatusFetcher | None = None,
) -> VerifyReport:
    """Verify every record of `export` (see the module docstring).

    `trusted`: a JWKS of the keys the reviewer trusts (from `--key`); None trusts the keys
    the file carries for each issuer. `now`: the time validity is judged at (default now).
    `fetch_status`: reads a status list at its URL (live status); None uses the export's.
    """
    verifier = _Verifier(export, trusted, now, fetch_status)
    checks = [verifier.check(i, r) for i, r in enumerate(export.records)]
    sources = {
        issuer: "the keys you trusted"
        if trusted is not None
        else ("the file" if entry.source == "self" else f"the file (published at {entry.source})")
        for issuer, entry in export.issuers.items()
    }
    return VerifyReport(checks, sources)
