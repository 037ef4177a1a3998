"""The track record's use cases over the database: issue, append, export, revoke.

- `issue_for_finalization` runs inside `finalize`'s transaction (one credential per
  finalized result, or nothing is finalized: a team's finalization gives every member a
  result credential of their own, each naming its member, all about the one file that
  counted, so a record is unique per (issuer, kind, submission, user));
  `issue_for_submission` makes the credential
  of one scored submission on request, once (asking again returns the same one).
- `append` adds a record at the issuer's head. Two appends racing for the same head: the
  unique (issuer, position) refuses the second insert inside its savepoint, which reads the
  new head and tries again, so the chain never forks.
- Origin: the personal install signs *self-scored* credentials with the learner's own key,
  without a status list (only the learner could revoke them, and the learner holds the
  key anyway); a hosted server signs *host-verified* ones and gives each a Bitstring Status
  List entry when `settings.extra["status_list_url"]` names where it publishes its lists
  (list n at `<status_list_url>/<n>`). A hosted server's credential of a file its sandbox
  made from the learner's code (a scored job, trackrecord.jobs) is *reproduced*, and its
  evidence names the code's sha256 and the environment it ran in.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trackrecord.bundle import Thresholds
from trackrecord.errors import Conflict, NotFound
from trackrecord.ledger import credential as C
from trackrecord.ledger import statuslist, vcjwt
from trackrecord.ledger.chain import Record, Witness, record_hash
from trackrecord.ledger.export import Export, IssuerEntry
from trackrecord.ledger.keys import Issuer, KeyStore, keystore
from trackrecord.store.models import (
    Challenge,
    CredentialRevocation,
    Finalization,
    Job,
    LedgerIssuer,
    LedgerRecord,
    Submission,
    User,
)

if TYPE_CHECKING:
    from trackrecord.service.core import Service

APPEND_TRIES = 20


@event.listens_for(LedgerRecord, "before_update")
@event.listens_for(LedgerRecord, "before_delete")
def _append_only(_mapper: Any, _conn: Any, target: LedgerRecord) -> None:
    raise RuntimeError(f"ledger record {target.issuer}#{target.position} is append-only")


@dataclass(frozen=True)
class Issued:
    """A credential in the ledger: its record, and whether this call made it."""

    record: Record
    credential_id: str
    kind: str
    origin: str
    credential: dict[str, Any]
    created: bool


def keys_of(svc: Service) -> KeyStore:
    return keystore(svc.settings.home, hosted=svc.settings.hosted)


def status_base(svc: Service) -> str:
    """Where a hosted server publishes its status lists: `settings.extra["status_list_url"]`
    when given, else `<public_url>/status` (trackrecord.ledger.didweb); no trailing "/"."""
    from trackrecord.ledger.didweb import status_list_base

    given = svc.settings.extra.get("status_list_url")
    return (str(given) if given else status_list_base(svc.settings)).rstrip("/")


def origin_of_settings(svc: Service) -> C.Origin:
    return "host-verified" if svc.settings.hosted else "self-scored"


def origin_and_evidence(
    session: Session, svc: Service, sub: Submission
) -> tuple[C.Origin, C.EvidenceFacts]:
    """The origin of a submission's credential and its evidence: a file a hosted server's
    sandbox made by running the learner's code (a scored job) is *reproduced*, with the
    code's sha256 and the environment; any other, the origin of the settings."""
    from trackrecord.jobs.runner import describe_environment

    evidence = C.EvidenceFacts(sub.file_sha256, sub.original_filename, sub.rows)
    if not svc.settings.hosted:  # the learner's own machine ran it: still self-scored
        return origin_of_settings(svc), evidence
    job = session.scalars(
        select(Job).where(Job.submission_id == sub.id, Job.state == "scored")
    ).first()
    if job is None:
        return origin_of_settings(svc), evidence
    env = describe_environment(job.environment)
    return "reproduced", replace(evidence, code_sha256=job.code_sha256, environment=env)


def subject_id(issuer: Issuer, user_id: int) -> str:
    """The learner's id in this issuer's credentials: stable, and says nothing about them."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer.id}#user-{user_id}')}"


def _as_record(row: LedgerRecord) -> Record:
    return Record(row.issuer, row.position, row.credential, row.prev_hash, row.hash)


def _issued(row: LedgerRecord, created: bool) -> Issued:
    credential = vcjwt.decode_credential(row.credential)
    return Issued(_as_record(row), row.credential_id, row.kind, row.origin, credential, created)


def head(session: Session, issuer: str) -> LedgerRecord | None:
    return session.scalars(
        select(LedgerRecord)
        .where(LedgerRecord.issuer == issuer)
        .order_by(LedgerRecord.position.desc())
        .limit(1)
    ).first()


Builder = Callable[[int], tuple[str, str, str | None, int | None]]  # position -> token, jti, ...


def _serialize_appends(session: Session, issuer: str) -> None:
    """On PostgreSQL, appends to one issuer wait for each other (a transaction-scoped
    advisory lock) instead of all racing for the head; SQLite's write lock already does."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:issuer, 0))"), {"issuer": issuer}
        )


def append(session: Session, issuer: str, build: Builder, **columns: Any) -> LedgerRecord:
    """Append the credential `build(position)` makes (token, jti, status list, index) at
    the issuer's head, retrying on the new head when another append got there first (the
    unique (issuer, position) is what guarantees it; the lock only avoids the retries)."""
    _serialize_appends(session, issuer)
    for _ in range(APPEND_TRIES):
        last = head(session, issuer)
        position = 0 if last is None else last.position + 1
        prev = None if last is None else last.hash
        token, jti, status_list, status_index = build(position)
        row = LedgerRecord(
            issuer=issuer, position=position, credential_id=jti, credential=token,
            prev_hash=prev, hash=record_hash(issuer, position, token, prev),
            status_list=status_list, status_index=status_index, **columns,
        )  # fmt: skip
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            if session.scalars(select(LedgerRecord.id).where(
                LedgerRecord.issuer == issuer, LedgerRecord.position == position
            )).first() is None:  # fmt: skip
                raise  # another constraint: retrying would not help
            continue
        return row
    raise Conflict(f"the ledger of {issuer} is busy: {APPEND_TRIES} appends raced; try again")


def _achievement(row: Challenge, revealed: bool) -> C.Achievement:
    private = Thresholds(row.baseline, row.reference, row.gold)
    public = Thresholds(row.public_baseline, row.public_reference, row.public_gold)
    return C.Achievement(
        id=row.slug,
        title=row.title,
        summary=row.summary,
        metric=row.metric,
        greater_is_better=row.greater_is_better,
        thresholds=private if revealed else public,
        threshold_split="private" if revealed else "public",
        skills=tuple(row.skills),
        bundle_sha256=row.bundle_sha256,
    )


def _issue(
    session: Session,
    svc: Service,
    sub: Submission,
    row: Challenge,
    facts: C.ResultFacts,
    valid_from: datetime,
    holder: int | None = None,
) -> LedgerRecord:
    """Sign and append the credential of `sub` (its evidence: the file's sha256) to
    `holder` (default: the file's author; a team member's result names that member)."""
    user_id = sub.user_id if holder is None else holder
    store = keys_of(svc)
    issuer, key = store.issuer(), store.active()
    origin, evidence = origin_and_evidence(session, svc, sub)
    base = status_base(svc) if svc.settings.hosted else None

    def build(position: int) -> tuple[str, str, str | None, int | None]:
        jti = f"urn:uuid:{uuid.uuid4()}"
        url = f"{base}/{position // statuslist.MIN_BITS}" if base else None
        index = position % statuslist.MIN_BITS if url else None
        status = statuslist.entry(url, index) if url and index is not None else None
        inp = C.CredentialInput(
            jti, issuer, subject_id(issuer, user_id),
            _achievement(row, facts.private_score is not None or facts.kind == "result"),
            facts, evidence, origin, valid_from, status=status,
        )  # fmt: skip
        return vcjwt.sign(C.build_credential(inp), key), jti, url, index

    return append(
        session, issuer.id, build, kind=facts.kind, origin=origin,
        subject=subject_id(issuer, user_id), user_id=user_id,
        challenge_id=row.id, submission_id=sub.id, created_at=svc.now(),
    )  # fmt: skip


def issue_for_finalization(
    session: Session, svc: Service, fin: Finalization, row: Challenge
) -> Issued:
    """The credential of a finalized result (called by `finalize`, in its transaction, once
    per finalization: for every member of a team). Its subject is `fin.user_id`; the facts
    and evidence are those of the submission that counted, whoever sent it."""
    from trackrecord.service.submit import numbers

    sub = session.get(Submission, fin.submission_id)
    assert sub is not None
    number = numbers(session, fin.user_id, row.id)[sub.id]
    facts = C.ResultFacts("result", number, fin.public_score, fin.private_score, fin.medal)
    record = _issue(session, svc, sub, row, facts, fin.created_at, holder=fin.user_id)
    return _issued(record, True)


def _existing(session: Session, issuer: str, kind: str, sub_id: int) -> LedgerRecord | None:
    return session.scalars(
        select(LedgerRecord).where(
            LedgerRecord.issuer == issuer,
            LedgerRecord.kind == kind,
            LedgerRecord.submission_id == sub_id,
        )
    ).first()


def issue_for_submission(svc: Service, user_id: int, project_id: str, number: int) -> Issued:
    """The credential of submission #`number` (scored) to a project; made once, then the
    same one is returned. Private score only once the learner finalized the project."""
    from trackrecord.service.finalize import ids_of_numbers
    from trackrecord.service.submit import SCORED, finalization_of, numbers

    svc.project(project_id)
    with svc.session(write_lock=True) as s:
        row = svc.challenge_row(s, project_id)
        (sub_id,) = ids_of_numbers(s, user_id, row, [number])
        sub = s.get(Submission, sub_id)
        assert sub is not None
        if sub.status != SCORED:
            raise Conflict(f"submission #{number} to {row.slug} was not scored ({sub.status})")
        found = _existing(s, keys_of(svc).issuer().id, "submission", sub.id)
        if found is not None:
            return _issued(found, False)
        revealed = finalization_of(s, user_id, row.id) is not None
        facts = C.ResultFacts(
            "submission", numbers(s, user_id, row.id)[sub.id], sub.public_score,
            sub.private_score if revealed else None, practice=sub.practice,
        )  # fmt: skip
        return _issued(_issue(s, svc, sub, row, facts, svc.now()), True)


def result_credential(svc: Service, user_id: int, project_id: str) -> Issued:
    """The credential of the user's finalized result on a project."""
    svc.project(project_id)
    with svc.session() as s:
        row = svc.challenge_row(s, project_id)
        found = s.scalars(
            select(LedgerRecord).where(
                LedgerRecord.user_id == user_id,
                LedgerRecord.challenge_id == row.id,
                LedgerRecord.kind == "result",
            )
        ).first()
        if found is None:
            raise NotFound(
                f"no result credential for {row.slug}: it is made when you finalize "
                f"(`trackrecord finalize {row.slug}`); a submission's: "
                f"`trackrecord credential {row.slug} N`"
            )
        return _issued(found, False)


# Revocation and status lists -----------------------------------------------------------


def revoke(
    session: Session, credential_id: str, reason: str, *, by: int | None = None,
    now: datetime | None = None,
) -> CredentialRevocation:  # fmt: skip
    """Revoke a credential this database issued; the reason is kept. Its status bit is set
    in the next `status_list` of its list."""
    reason = reason.strip()
    if not reason:
        raise Conflict("a revocation needs a reason")
    rec = session.scalars(
        select(LedgerRecord).where(LedgerRecord.credential_id == credential_id)
    ).first()
    if rec is None:
        raise NotFound(f"no credential {credential_id} in this ledger")
    if rec.status_list is None:
        raise Conflict(
            f"{credential_id} has no status list entry ({rec.origin}): it cannot be revoked"
        )
    if session.scalars(
        select(CredentialRevocation).where(CredentialRevocation.record_id == rec.id)
    ).first():
        raise Conflict(f"{credential_id} is already revoked")
    revocation = CredentialRevocation(record_id=rec.id, reason=reason, revoked_by=by)
    if now is not None:
        revocation.created_at = now
    session.add(revocation)
    session.flush()
    return revocation


def revoked_indexes(session: Session, list_url: str) -> list[int]:
    return [
        int(i)
        for i in session.scalars(
            select(LedgerRecord.status_index)
            .join(CredentialRevocation, CredentialRevocation.record_id == LedgerRecord.id)
            .where(LedgerRecord.status_list == list_url)
        )
        if i is not None
    ]


def status_list(
    session: Session, store: KeyStore, issuer: Issuer, list_url: str, now: datetime
) -> str:
    """The signed BitstringStatusListCredential (VC-JWT) of the list at `list_url`, issued
    by `issuer` (the store's) and signed with the store's active key."""
    bits = statuslist.bitstring(revoked_indexes(session, list_url))
    body = statuslist.list_credential(issuer, list_url, bits, now)
    return vcjwt.sign(body, store.active())


# Export --------------------------------------------------------------------------------


def _subject_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    if user is None:
        return ""
    if user.display_name:
        return user.display_name
    return getpass.getuser() if user.username == "local" else user.username


def _issuers(
    session: Session, store: KeyStore, own: Issuer, ids: Iterable[str]
) -> dict[str, IssuerEntry]:
    out = {own.id: IssuerEntry(own.name, store.jwks(), "self")}
    wanted = set(ids) - {own.id}
    for other in session.scalars(select(LedgerIssuer).where(LedgerIssuer.issuer.in_(wanted))):
        out[other.issuer] = IssuerEntry(other.name, other.jwks, other.source)
    return out


def _witnesses(session: Session, rows: Iterable[LedgerRecord]) -> dict[str, list[Witness]]:
    """Per issuer, the positions between the learner's first and last record that hold
    someone else's: their hashes only (never their credentials)."""
    mine: dict[str, set[int]] = {}
    for r in rows:
        mine.setdefault(r.issuer, set()).add(r.position)
    out: dict[str, list[Witness]] = {}
    for issuer, held in mine.items():
        between = session.execute(
            select(LedgerRecord.position, LedgerRecord.prev_hash, LedgerRecord.hash)
            .where(LedgerRecord.issuer == issuer)
            .where(LedgerRecord.position > min(held), LedgerRecord.position < max(held))
            .order_by(LedgerRecord.position)
        ).all()
        out[issuer] = [Witness(issuer, p, prev, h) for p, prev, h in between if p not in held]
    return out


def export_ledger(svc: Service, user_id: int) -> Export:
    """The learner's ledger: their records of every issuer, with the issuers' public keys
    and this issuer's current status lists. On the personal install every record is the
    learner's, so each chain is whole; a hosted server's chain interleaves its learners, so
    there the learner's records are a partial view of it: from their first record on, with
    witnesses (hashes, no credential) for the positions others hold in between."""
    store = keys_of(svc)
    store.active()  # an export always carries a key, even before the first credential
    with svc.session() as s:
        rows = s.scalars(
            select(LedgerRecord)
            .where(LedgerRecord.user_id == user_id)
            .order_by(LedgerRecord.issuer, LedgerRecord.position)
        ).all()
        issuer = store.issuer()
        own = issuer.id
        witnesses = _witnesses(s, rows)
        starts = {r.issuer: r.position for r in reversed(rows)}  # each issuer's first
        partial = {i for i in starts if starts[i] > 0 or witnesses.get(i)}
        lists = sorted({r.status_list for r in rows if r.status_list and r.issuer == own})
        fetched = _fetched_lists(svc, {r.status_list for r in rows if r.issuer != own})
        now = svc.now()
        return Export(
            exported_at=C.iso(now),
            subject={
                "id": subject_id(issuer, user_id),
                "name": _subject_name(s, user_id),
            },
            issuers={
                i: replace(e, partial=True) if i in partial else e
                for i, e in _issuers(s, store, issuer, {r.issuer for r in rows}).items()
            },
            records=[_as_record(r) for r in rows],
            status_lists={
                **fetched,
                **{url: status_list(s, store, issuer, url, now) for url in lists},
            },
            witnesses=[w for ws in witnesses.values() for w in ws],
        )


def _fetched_lists(svc: Service, urls: set[str | None]) -> dict[str, str]:
    """The status lists of other issuers (hosts), as `trackrecord fetch` last stored them."""
    from trackrecord.ledger.fetch import stored_status_lists

    stored = stored_status_lists(svc.settings.home)
    return {u: stored[u] for u in sorted(u for u in urls if u) if u in stored}
