"""The ledger in the database (SQLite and PostgreSQL): credentials issued when a learner
finalizes and on request, append-only records, concurrent appends that never fork the
chain, revocation with a status list, and the export verifying end to end."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import FakeCatalog, regression_file
from trackrecord.bundle import Bundle
from trackrecord.errors import Conflict, NotFound
from trackrecord.ledger import credential as C
from trackrecord.ledger import service as ledger
from trackrecord.ledger import verify_export
from trackrecord.ledger.chain import ChainWalk, Record
from trackrecord.service import Service
from trackrecord.settings import Settings
from trackrecord.store.models import LedgerRecord, User

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "ob_v3p0_achievementcredential.schema.json").read_text()
)


def ob3_errors(credential: dict[str, object]) -> list[str]:
    v = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [e.message for e in v.iter_errors(credential)]


def results(credential: dict[str, object]) -> dict[str, dict[str, str]]:
    subject = credential["credentialSubject"]
    assert isinstance(subject, dict)
    return {r["resultDescription"].rsplit(":", 1)[1]: r for r in subject["result"]}


def _submit(svc: Service, user: int, bundle: Bundle, tmp: Path, offset: float, i: int) -> None:
    svc.submit(user, "toy-reg", regression_file(tmp / f"s{i}.csv", bundle, offset))


def test_finalizing_issues_a_self_scored_credential(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    _submit(service, user, bundles["toy-reg"], tmp_path, 1.5, 0)
    _submit(service, user, bundles["toy-reg"], tmp_path, 0.5, 1)
    result = service.finalize(user, "toy-reg")
    issued = service.credential(user, "toy-reg")
    cred = issued.credential
    assert not ob3_errors(cred)
    assert issued.kind == "result" and issued.origin == "self-scored"
    assert C.origin_of(cred) == "self-scored" and "(self-scored)" in cred["name"]
    got = results(cred)
    assert float(got["private"]["value"]) == pytest.approx(result.private_score)
    assert got["medal"]["value"] == (result.medal or "none")
    assert cred["credentialSubject"]["achievement"]["humanCode"] == "toy-reg"
    assert "private lines" in cred["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "credentialStatus" not in cred  # self-scored: no status list (docs)
    assert cred["evidence"][0]["description"].startswith("sha256 ")
    report = verify_export(service.export_ledger(user))
    assert report.ok and [r.origin for r in report.records] == ["self-scored"]


def test_a_submission_credential_on_request_hides_private_until_finalized(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    _submit(service, user, bundles["toy-reg"], tmp_path, 1.5, 0)
    first = service.credential(user, "toy-reg", 1)
    assert first.created and first.kind == "submission"
    assert set(results(first.credential)) == {"public", "origin"}  # no private, no medal
    assert first.credential["credentialSubject"]["achievement"]["criteria"]["narrative"].endswith(
        "these are the public lines."
    )
    again = service.credential(user, "toy-reg", 1)
    assert not again.created and again.credential_id == first.credential_id
    service.finalize(user, "toy-reg")
    _submit(service, user, bundles["toy-reg"], tmp_path, 0.2, 1)  # practice, after finalizing
    practice = service.credential(user, "toy-reg", 2)
    assert (
        "private" in results(practice.credential)
        and "practice" in practice.credential["description"]
    )
    export = service.export_ledger(user)
    assert [r.position for r in export.records] == [0, 1, 2]
    assert verify_export(export).ok
    with pytest.raises(NotFound, match="#7"):
        service.credential(user, "toy-reg", 7)
    with pytest.raises(NotFound, match="finalize"):
        service.credential(user, "toy-cls")


def test_records_are_append_only_in_the_database(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    _submit(service, user, bundles["toy-reg"], tmp_path, 1.5, 0)
    service.credential(user, "toy-reg", 1)
    for sql in ("UPDATE ledger_records SET position = 5", "DELETE FROM ledger_records"):
        with pytest.raises(DBAPIError, match="append-only"), service.engine.begin() as conn:
            conn.execute(text(sql))
    with pytest.raises(RuntimeError, match="append-only"), service.session() as s:
        s.scalars(select(LedgerRecord)).one().position = 9
    with service.session() as s:
        assert s.scalars(select(LedgerRecord.position)).all() == [0]


COLUMNS = {"kind": "submission", "origin": "self-scored", "subject": "urn:s"}


def build(tag: str) -> ledger.Builder:
    return lambda pos: (f"tok-{tag}-{pos}", f"urn:x:{tag}", None, None)


def test_concurrent_appends_never_fork_the_chain(service: Service) -> None:
    """Threads append to one issuer at once: the unique (issuer, position) makes the
    losers retry on the new head; the chain ends up whole, 0..n-1, each link right."""
    issuer, n_threads, per_thread = "urn:uuid:race", 6, 5
    barrier = threading.Barrier(n_threads)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with service.session(write_lock=True) as s:
                    ledger.append(s, issuer, build(f"{t}-{i}"), **COLUMNS)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    with service.session() as s:
        rows = s.scalars(
            select(LedgerRecord)
            .where(LedgerRecord.issuer == issuer)
            .order_by(LedgerRecord.position)
        ).all()
    records = [Record(r.issuer, r.position, r.credential, r.prev_hash, r.hash) for r in rows]
    assert [r.position for r in records] == list(range(n_threads * per_thread))
    walk = ChainWalk(records)
    assert [walk.step(r) for r in records] == [None] * len(records)


def test_an_append_on_a_stale_head_retries_instead_of_forking(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unique (issuer, position) refuses a second record at a position; the append
    reads the new head and lands after it."""

    cols = COLUMNS
    with service.session(write_lock=True) as s:
        ledger.append(s, "urn:i", build("a"), **cols)
    real, calls = ledger.head, []

    def stale(session: object, issuer: str) -> LedgerRecord | None:
        calls.append(1)
        return None if len(calls) == 1 else real(session, issuer)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger, "head", stale)
    with service.session(write_lock=True) as s:
        row = ledger.append(s, "urn:i", build("b"), **cols)
        assert (row.position, len(calls)) == (1, 2)
    with service.session() as s:
        assert s.scalars(select(LedgerRecord.position).order_by(LedgerRecord.position)).all() == [
            0,
            1,
        ]


@pytest.fixture
def hosted(settings: Settings, catalog: FakeCatalog) -> Service:
    extra = {"status_list_url": "https://host.example/status"}
    svc = Service(dataclasses.replace(settings, hosted=True, extra=extra), catalog=catalog)
    yield svc
    svc.close()


def test_host_credentials_carry_status_and_can_be_revoked(
    hosted: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    with hosted.session(write_lock=True) as s:
        user = User(username="ada", role="learner")
        s.add(user)
        s.flush()
        uid = user.id
    _submit(hosted, uid, bundles["toy-reg"], tmp_path, 1.5, 0)
    _submit(hosted, uid, bundles["toy-reg"], tmp_path, 0.5, 1)
    a = hosted.credential(uid, "toy-reg", 1)
    b = hosted.credential(uid, "toy-reg", 2)
    assert a.origin == "host-verified" and C.origin_of(a.credential) == "host-verified"
    status = b.credential["credentialStatus"]
    assert status["statusListCredential"] == "https://host.example/status/0"
    assert status["statusListIndex"] == "1" and not ob3_errors(b.credential)
    with hosted.session(write_lock=True) as s:
        revocation = ledger.revoke(s, b.credential_id, "copied the answer key", by=uid)
        assert revocation.reason == "copied the answer key"
        with pytest.raises(Conflict, match="already revoked"):
            ledger.revoke(s, b.credential_id, "again")
        with pytest.raises(NotFound):
            ledger.revoke(s, "urn:uuid:nope", "x")
    report = verify_export(hosted.export_ledger(uid))
    assert [r.ok for r in report.records] == [True, False]
    assert report.records[1].reason.startswith("revoked by its issuer")


def test_self_scored_credentials_cannot_be_revoked(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    _submit(service, user, bundles["toy-reg"], tmp_path, 1.5, 0)
    issued = service.credential(user, "toy-reg", 1)
    with service.session(write_lock=True) as s, pytest.raises(Conflict, match="no status list"):
        ledger.revoke(s, issued.credential_id, "changed my mind")
