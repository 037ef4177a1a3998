"""A result as an Open Badges 3.0 `OpenBadgeCredential` (VC Data Model 2.0).

`build_credential` lays the credential out in one place, the way the OB 3.0 examples read:

- `issuer`: the scorer's profile (the local install, or a hosted server);
- `credentialSubject.achievement`: the project (name, description, criteria with the medal
  lines and the metric, skills as `tag`, the medal levels as a rubric);
- `credentialSubject.result`: the private score (only once revealed), the public score,
  the medal (an achieved rubric level) and the **origin**;
- `evidence`: the submission file's sha256 (as an RFC 6920 `ni:` URI and in words) and,
  for reproduced results, the code's sha256 and its environment.

Origin is carried where the OB 3.0 schema already has room, with no new JSON-LD terms: a
`Result` whose `resultDescription` is the achievement's "Origin" description
(`resultType: "ext:Origin"`, allowed values self-scored / host-verified / reproduced) and
whose `value` is the origin; the credential's `name` and `description` say it in words.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from trackrecord.bundle import Thresholds
from trackrecord.ledger.keys import Issuer

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
Origin = Literal["self-scored", "host-verified", "reproduced"]
ORIGINS: tuple[Origin, ...] = ("self-scored", "host-verified", "reproduced")
ORIGIN_TEXT: dict[str, str] = {
    "self-scored": "scored on the learner's own machine, where the learner holds the answer "
    "key: a claim by the learner, signed by the learner's own key",
    "host-verified": "scored by a hosted server that kept the answer key from the learner, "
    "signed by the server's key",
    "reproduced": "the hosted server re-ran the learner's code in its sandbox and scored "
    "the output, signed by the server's key",
}
MEDALS = ("bronze", "silver", "gold")


@dataclass(frozen=True)
class Achievement:
    """The project, as the achievement the credential is about."""

    id: str  # the project's id (slug)
    title: str
    summary: str
    metric: str
    greater_is_better: bool
    thresholds: Thresholds  # the lines the credential shows (see `threshold_split`)
    threshold_split: Literal["private", "public"]
    skills: tuple[str, ...] = ()
    bundle_sha256: str | None = None  # which build of the project (and its answer key)


@dataclass(frozen=True)
class ResultFacts:
    """What was achieved. `kind`: "result" (a finalized project: the medal) or "submission"
    (one scored file). `private_score` only once the learner finalized the project (rule 6:
    no private number before), `medal` only on a result."""

    kind: Literal["result", "submission"]
    submission_number: int
    public_score: float | None
    private_score: float | None = None
    medal: str | None = None
    practice: bool = False


@dataclass(frozen=True)
class EvidenceFacts:
    """What the result rests on: the submitted file; for reproduced results, the code."""

    file_sha256: str
    filename: str
    rows: int | None = None
    code_sha256: str | None = None
    environment: str | None = None  # e.g. "python 3.12, scikit-learn 1.7" (reproduced)


@dataclass(frozen=True)
class CredentialInput:
    credential_id: str  # urn:uuid:...
    issuer: Issuer
    subject_id: str
    achievement: Achievement
    result: ResultFacts
    evidence: EvidenceFacts
    origin: Origin
    valid_from: datetime
    valid_until: datetime | None = None
    status: Mapping[str, Any] | None = None  # a BitstringStatusListEntry (statuslist.entry)
    extra_context: tuple[str, ...] = field(default=())


def iso(moment: datetime) -> str:
    """An XML Schema dateTime in UTC with a Z, to the second (JWT NumericDates are seconds)."""
    if moment.tzinfo is None:
        raise ValueError("credential times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ni_uri(sha256_hex: str) -> str:
    """RFC 6920 named-information URI of a sha256 digest (a URI for `evidence.id`)."""
    raw = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).rstrip(b"=").decode()
    return f"ni:///sha-256;{raw}"


def _num(value: float | None) -> str:
    return "none" if value is None else f"{value:.6g}"


def criteria_text(a: Achievement) -> str:
    """The medal rule in words, with the lines the credential carries."""
    direction = "higher is better" if a.greater_is_better else "lower is better"
    th = a.thresholds
    lines = (
        f"Scored with {a.metric} ({direction}) on a hidden answer key split into public and "
        "private rows; the medal is judged once, on the private score of the learner's "
        "final picks.",
        f"Bronze beats the baseline ({_num(th.baseline)}), silver reaches the reference "
        f"({_num(th.reference)}), gold beats {_num(th.gold)} (the reference by the "
        f"project's margin); these are the {a.threshold_split} lines.",
    )
    return " ".join(lines)


def _levels(a: Achievement) -> list[dict[str, Any]]:
    th = a.thresholds
    lines = {"bronze": th.baseline, "silver": th.reference, "gold": th.gold}
    words = {"bronze": "beats", "silver": "reaches", "gold": "beats"}
    return [
        {
            "id": f"urn:trackrecord:medal:{m}",
            "type": ["RubricCriterionLevel"],
            "name": m.capitalize(),
            "level": m,
            "description": f"{a.threshold_split} {a.metric} {words[m]} {_num(lines[m])}",
        }
        for m in MEDALS
    ]


def _result_descriptions(a: Achievement) -> list[dict[str, Any]]:
    rid = f"urn:trackrecord:project:{a.id}:result"
    return [
        {"id": f"{rid}:private", "type": ["ResultDescription"], "resultType": "RawScore",
         "name": f"Private score ({a.metric})"},
        {"id": f"{rid}:public", "type": ["ResultDescription"], "resultType": "RawScore",
         "name": f"Public score ({a.metric})"},
        {"id": f"{rid}:medal", "type": ["ResultDescription"],
         "resultType": "RubricCriterionLevel", "name": "Medal",
         "rubricCriterionLevel": _levels(a)},
        {"id": f"{rid}:origin", "type": ["ResultDescription"], "resultType": "ext:Origin",
         "name": "Origin", "allowedValue": list(ORIGINS)},
    ]  # fmt: skip


def achievement_json(a: Achievement) -> dict[str, Any]:
    """`credentialSubject.achievement`: the project."""
    out: dict[str, Any] = {
        "id": f"urn:trackrecord:project:{a.id}",
        "type": ["Achievement"],
        "achievementType": "Assessment",
        "name": a.title,
        "description": a.summary or a.title,
        "criteria": {"narrative": criteria_text(a)},
        "humanCode": a.id,
        "resultDescription": _result_descriptions(a),
    }
    if a.skills:
        out["tag"] = list(a.skills)
    if a.bundle_sha256:
        out["version"] = a.bundle_sha256
    return out


def results_json(inp: CredentialInput) -> list[dict[str, Any]]:
    """`credentialSubject.result`: scores, medal and origin (private ones once revealed)."""
    rid = f"urn:trackrecord:project:{inp.achievement.id}:result"
    r = inp.result
    out: list[dict[str, Any]] = []
    if r.private_score is not None:
        out.append({"type": ["Result"], "resultDescription": f"{rid}:private",
                    "value": repr(float(r.private_score))})  # fmt: skip
    if r.public_score is not None:
        out.append({"type": ["Result"], "resultDescription": f"{rid}:public",
                    "value": repr(float(r.public_score))})  # fmt: skip
    if r.kind == "result":
        medal: dict[str, Any] = {"type": ["Result"], "resultDescription": f"{rid}:medal",
                                 "value": r.medal or "none"}  # fmt: skip
        if r.medal:
            medal["achievedLevel"] = f"urn:trackrecord:medal:{r.medal}"
        out.append(medal)
    out.append({"type": ["Result"], "resultDescription": f"{rid}:origin", "value": inp.origin})
    return out


def evidence_json(e: EvidenceFacts, number: int) -> list[dict[str, Any]]:
    """`evidence`: the file's sha256; for reproduced results, the code and environment."""
    rows = f", {e.rows} rows" if e.rows is not None else ""
    out: list[dict[str, Any]] = [
        {
            "id": ni_uri(e.file_sha256),
            "type": ["Evidence"],
            "name": f"Submission #{number}",
            "genre": "submission-file",
            "description": f"sha256 {e.file_sha256} of {e.filename}{rows}",
        }
    ]
    if e.code_sha256:
        code: dict[str, Any] = {
            "id": ni_uri(e.code_sha256),
            "type": ["Evidence"],
            "name": "Code re-run by the host",
            "genre": "code",
            "description": f"sha256 {e.code_sha256}",
        }
        if e.environment:
            code["narrative"] = f"Environment: {e.environment}"
        out.append(code)
    return out


def _title(inp: CredentialInput) -> str:
    r, a = inp.result, inp.achievement
    if r.kind == "result" and r.medal:
        what = f"{r.medal.capitalize()} on {a.title}"
    elif r.kind == "result":
        what = f"Finalized {a.title}, no medal"
    else:
        what = f"Submission #{r.submission_number} to {a.title}"
    return f"{what} ({inp.origin})"


def build_credential(inp: CredentialInput) -> dict[str, Any]:
    """The OpenBadgeCredential of one result (unsigned; `vcjwt.sign` secures it)."""
    r = inp.result
    practice = " A practice submission (after finalizing): it never changes the medal." * (
        r.practice
    )
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT, *inp.extra_context],
        "id": inp.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": inp.issuer.profile(),
        "validFrom": iso(inp.valid_from),
        "name": _title(inp),
        "description": (
            f"The {r.kind} of a trackrecord project. Origin: {inp.origin}, "
            f"{ORIGIN_TEXT[inp.origin]}.{practice}"
        ),
        "credentialSubject": {
            "id": inp.subject_id,
            "type": ["AchievementSubject"],
            "achievement": achievement_json(inp.achievement),
            "result": results_json(inp),
        },
        "evidence": evidence_json(inp.evidence, r.submission_number),
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if inp.valid_until is not None:
        credential["validUntil"] = iso(inp.valid_until)
    if inp.status is not None:
        credential["credentialStatus"] = dict(inp.status)
    return credential


def origin_of(credential: Mapping[str, Any]) -> str | None:
    """The origin a credential states (its Origin result), or None."""
    subject = credential.get("credentialSubject") or {}
    for result in subject.get("result") or []:
        if str(result.get("resultDescription", "")).endswith(":origin"):
            value = result.get("value")
            return str(value) if value is not None else None
    return None


def results_of(credential: Mapping[str, Any]) -> dict[str, str]:
    """The results a credential states, by kind (the last part of their description)."""
    subject = credential.get("credentialSubject") or {}
    return {
        str(r.get("resultDescription", "")).rsplit(":", 1)[-1]: str(r.get("value"))
        for r in subject.get("result") or []
    }
