"""The ledger export as the site shows it: each record's credential decoded for display
(never trusted here: every page verifies its signature in the browser), grouped by project.

The export is the contract's `trackrecord-ledger` version 1 file (`trackrecord export`). A
credential is an OB 3.0 OpenBadgeCredential: the project is
`credentialSubject.achievement` (`humanCode` is its id), the scores, medal and origin are
`credentialSubject.result` entries named by the achievement's `resultDescription`s. Each
value shown carries its JSON pointer into the payload, so the page's script can check that
what the page says is what was signed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from trackrecord.ledger import parse_export, vcjwt
from trackrecord.ledger.credential import ORIGINS


@dataclass(frozen=True)
class Claim:
    """One signed value as the page shows it; `pointer` is where it is in the payload."""

    label: str
    value: str
    pointer: str


@dataclass(frozen=True)
class Record:
    """One ledger record, decoded for display (None fields: the credential lacks them)."""

    issuer: str
    position: int
    credential: str
    hash: str
    prev_hash: str | None
    payload: Mapping[str, Any] | None  # None: not a decodable JWT (shown as a failure)
    project_id: str
    title: str
    name: str
    origin: str | None
    medal: str | None
    kind: str  # "result" (a finalized project) or "submission"
    claims: tuple[Claim, ...]
    issued: datetime | None
    skills: tuple[str, ...] = ()
    medal_claim: Claim | None = None
    origin_claim: Claim | None = None
    description: str = ""
    criteria: str = ""


def decode_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(header, payload) of a compact JWS, unverified; None when it is not one."""
    try:
        return vcjwt.split(token)
    except vcjwt.TokenError:
        return None


def _descriptions(achievement: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(d.get("id")): str(d.get("name") or d.get("id"))
        for d in achievement.get("resultDescription") or []
        if isinstance(d, dict)
    }


def _claims(payload: Mapping[str, Any]) -> tuple[list[Claim], Claim | None, Claim | None]:
    """The result entries as claims; the origin and the medal entry among them (a finalized
    result has one, its value "none" when no medal was reached)."""
    subject = payload.get("credentialSubject") or {}
    names = _descriptions(subject.get("achievement") or {})
    claims: list[Claim] = []
    origin: Claim | None = None
    medal: Claim | None = None
    for i, result in enumerate(subject.get("result") or []):
        if not isinstance(result, dict) or "value" not in result:
            continue
        ref = str(result.get("resultDescription", ""))
        label = names.get(ref, ref.rsplit(":", 1)[-1] or "result")
        value = str(result["value"])
        claims.append(Claim(label, value, f"/credentialSubject/result/{i}/value"))
        if ref.endswith(":origin") or value in ORIGINS:
            origin = claims[-1]
        elif ref.endswith(":medal"):
            medal = claims[-1]
    return claims, origin, medal


def _issued(payload: Mapping[str, Any]) -> datetime | None:
    text = payload.get("validFrom")
    if isinstance(text, str):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    nbf = payload.get("nbf")
    return datetime.fromtimestamp(nbf, UTC) if isinstance(nbf, int | float) else None


def _project_id(achievement: Mapping[str, Any]) -> str:
    code = achievement.get("humanCode")
    if code:
        return str(code)
    return str(achievement.get("id") or "unknown").rstrip("/").rsplit(":", 1)[-1].rsplit("/")[-1]


def read_record(raw: Mapping[str, Any]) -> Record:
    """One export record, decoded for display."""
    token = str(raw.get("credential", ""))
    decoded = decode_jwt(token)
    payload = decoded[1] if decoded else None
    subject = (payload or {}).get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    claims, origin, medal = _claims(payload or {})
    return Record(
        issuer=str(raw.get("issuer", "")),
        position=int(raw.get("position", -1)),
        credential=token,
        hash=str(raw.get("hash", "")),
        prev_hash=raw.get("prev_hash"),
        payload=payload,
        project_id=_project_id(achievement) if payload else "unreadable",
        title=str(achievement.get("name") or "Unreadable credential"),
        name=str((payload or {}).get("name") or ""),
        origin=origin.value if origin else None,
        origin_claim=origin,
        medal=medal.value if medal and medal.value != "none" else None,
        medal_claim=medal,
        kind="result" if medal else "submission",
        claims=tuple(claims),
        issued=_issued(payload or {}),
        skills=tuple(str(t) for t in achievement.get("tag") or []),
        description=str(achievement.get("description") or ""),
        criteria=str((achievement.get("criteria") or {}).get("narrative") or ""),
    )


@dataclass(frozen=True)
class ProjectRecords:
    """A project's records, newest first; `headline` is the one its page leads with (the
    newest finalized result, else the newest record)."""

    project_id: str
    title: str
    records: tuple[Record, ...]

    @property
    def headline(self) -> Record:
        results = [r for r in self.records if r.kind == "result"]
        return results[0] if results else self.records[0]


def _newest_first(r: Record) -> tuple[float, int]:
    return (-(r.issued.timestamp() if r.issued else 0.0), -r.position)


def by_project(records: Sequence[Record]) -> list[ProjectRecords]:
    """Records grouped by project, projects in order of their newest record."""
    groups: dict[str, list[Record]] = {}
    for r in records:
        groups.setdefault(r.project_id, []).append(r)
    out = []
    for pid, items in groups.items():
        items.sort(key=_newest_first)
        out.append(ProjectRecords(pid, items[0].title, tuple(items)))
    out.sort(key=lambda g: _newest_first(g.records[0]))
    return out


def read_records(export: Mapping[str, Any]) -> list[Record]:
    """The export's records for display; InvalidLedger (every problem named) when the
    export is not a well-formed ledger. Witnesses (positions of a hosted server's chain
    that hold other learners' records: hashes, no credential) are not shown."""
    parse_export(export, "the ledger export")
    return [read_record(r) for r in export["records"] if isinstance(r, dict) and "witness" not in r]
