"""A team's finalization gives every member a signed result credential of their own (the
team's counted file, scores, medal and origin; the member as subject), and migration 0007
keeps an existing ledger append-only; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import FakeCatalog, regression_file
from trackrecord.bundle import Bundle
from trackrecord.ledger import badge, verify_export
from trackrecord.ledger import service as ledger
from trackrecord.service import Service, teams
from trackrecord.settings import Settings
from trackrecord.store.db import make_engine
from trackrecord.store.migrate import current_revision, upgrade_engine
from trackrecord.store.models import LedgerRecord, Submission, User


@pytest.fixture
def svc(settings: Settings, catalog: FakeCatalog) -> Iterator[Service]:
    with Service(settings, catalog=catalog) as service:
        with service.session(write_lock=True) as s:
            service.challenge_row(s, "toy-reg").team_size = 3
        yield service


def _user(svc: Service, name: str) -> int:
    with svc.session() as s:
        user = User(username=name, role="learner", password_hash="x")
        s.add(user)
        s.flush()
        return user.id


def _send(svc: Service, uid: int, bundle: Bundle, tmp: Path, offset: float) -> int:
    path = regression_file(tmp / f"s{uid}-{offset}.csv", bundle, offset)
    return svc.submit(uid, "toy-reg", path).submission.id


def _results(credential: dict[str, object]) -> dict[str, str]:
    subject = credential["credentialSubject"]
    assert isinstance(subject, dict)
    return {r["resultDescription"].rsplit(":", 1)[1]: r["value"] for r in subject["result"]}


def test_every_member_of_a_team_gets_a_result_credential_naming_them(
    svc: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    ann, bob = _user(svc, "ann"), _user(svc, "bob")
    made = teams.create_team(svc, ann, "toy-reg", "owls")
    assert made.team is not None
    teams.join_team(svc, bob, "toy-reg", made.team.code)
    _send(svc, ann, bundles["toy-reg"], tmp_path, 2.5)
    counted = _send(svc, bob, bundles["toy-reg"], tmp_path, 1.5)  # bob's file is the best
    result = svc.finalize(ann, "toy-reg")  # ann finalizes for the team
    assert result.submission_id == counted
    with svc.session() as s:
        sha = s.get(Submission, counted).file_sha256  # type: ignore[union-attr]
        rows = s.scalars(select(LedgerRecord).where(LedgerRecord.kind == "result")).all()
    assert sorted(r.user_id for r in rows) == [ann, bob]  # one each, not one per file
    issuer = ledger.keys_of(svc).issuer()
    jwks = ledger.keys_of(svc).jwks()
    for member in (ann, bob):
        issued = svc.credential(member, "toy-reg")
        cred = issued.credential
        assert issued.kind == "result" and issued.origin == "self-scored"
        assert cred["credentialSubject"]["id"] == ledger.subject_id(issuer, member)
        got = _results(cred)
        assert float(got["private"]) == pytest.approx(result.private_score)
        assert float(got["public"]) == pytest.approx(result.public_score)
        assert got["medal"] == (result.medal or "none") and got["origin"] == "self-scored"
        assert cred["evidence"][0]["description"].startswith(f"sha256 {sha} ")
        # the credential on its own (a badge's one-record ledger) verifies; a member's
        # export of a ledger shared with others misses the positions they hold
        alone = badge.badge_export(ledger_token(svc, issued.credential_id), jwks, source="self")
        assert verify_export(alone).ok
    ids = {svc.credential(m, "toy-reg").credential_id for m in (ann, bob)}
    assert len(ids) == 2
    first = verify_export(svc.export_ledger(ann))
    assert first.ok and len(first.records) == 1


def ledger_token(svc: Service, credential_id: str) -> str:
    with svc.session() as s:
        return s.scalars(
            select(LedgerRecord.credential).where(LedgerRecord.credential_id == credential_id)
        ).one()


def test_a_single_learner_still_gets_exactly_one(
    service: Service, bundles: dict[str, Bundle], tmp_path: Path
) -> None:
    user = service.local_user_id()
    for i, offset in enumerate((1.5, 0.5)):
        service.submit(
            user, "toy-reg", regression_file(tmp_path / f"{i}.csv", bundles["toy-reg"], offset)
        )
    service.finalize(user, "toy-reg")
    with service.session() as s:
        kinds = s.scalars(select(LedgerRecord.kind)).all()
    assert kinds == ["result"]
    report = verify_export(service.export_ledger(user))
    assert report.ok and len(report.records) == 1


# Migration 0007 on an existing ledger ---------------------------------------------------

SETUP = (
    "INSERT INTO users (id, username, role, is_active, created_at) VALUES"
    " (1, 'ada', 'learner', true, '2026-01-01'), (2, 'bo', 'learner', true, '2026-01-01')",
    "INSERT INTO challenges (id, slug, source, bundle_ref, bundle_sha256, title, task, metric,"
    " greater_is_better, difficulty, skills, summary, baseline, per_day, final_picks, hosted,"
    " created_at) VALUES (1, 'p', 'builtin', 'catalog:p', 'x', 'P', 'regression', 'rmse',"
    " false, 1, '[]', '', 2.0, 5, 2, false, '2026-01-01')",
    "INSERT INTO submissions (id, user_id, challenge_id, created_at, file_sha256,"
    " original_filename, size_bytes, status) VALUES (1, 1, 1, '2026-01-01', 'x', 'a.csv', 1,"
    " 'scored')",
)


def _record(n: int, user: int) -> str:
    """A result record of submission 1 held by `user`, at position `n`."""
    return (
        "INSERT INTO ledger_records (id, issuer, position, credential_id, credential, hash,"
        f" kind, origin, subject, user_id, submission_id, created_at) VALUES ({n + 1}, 'urn:i',"
        f" {n}, 'urn:c{n}', 'tok{n}', 'h{n}', 'result', 'self-scored', 'urn:s{user}', {user},"
        " 1, '2026-01-01')"
    )


def test_upgrading_0006_to_0007_keeps_the_records_and_the_append_only_triggers(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    try:
        upgrade_engine(engine, "0006")
        with engine.begin() as conn:
            for sql in (*SETUP, _record(0, 1)):
                conn.execute(text(sql))
            conn.execute(text(
                "INSERT INTO credential_revocations (id, record_id, reason, created_at)"
                " VALUES (1, 1, 'leaked', '2026-01-01')"
            ))  # fmt: skip
        with pytest.raises(DBAPIError), engine.begin() as conn:  # 0006: one result per file
            conn.execute(text(_record(1, 2)))
        upgrade_engine(engine, "0007")
        assert current_revision(engine) == "0007"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT id, hash FROM ledger_records")).all() == [(1, "h0")]
            revoked = conn.execute(text("SELECT record_id, reason FROM credential_revocations"))
            assert revoked.all() == [(1, "leaked")]
        for sql in ("UPDATE ledger_records SET position = 5", "DELETE FROM ledger_records"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(sql))
        with engine.begin() as conn:  # 0007: the same file's result for another holder
            conn.execute(text(_record(1, 2)))
        with pytest.raises(DBAPIError, match=r"(?i)unique"), engine.begin() as conn:
            conn.execute(text(_record(2, 1)))  # but never twice for one holder
        with engine.connect() as conn:
            held = conn.execute(text("SELECT user_id FROM ledger_records ORDER BY id")).all()
            assert held == [(1,), (2,)]
    finally:
        engine.dispose()
