"""The store: migrations, engine configuration, constraints, blobs, accounts."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from trackrecord.errors import NotFound, PayloadTooLarge
from trackrecord.settings import Settings
from trackrecord.store import BlobStore, make_engine, session_scope, upgrade
from trackrecord.store.accounts import (
    ensure_local_user,
    issue_token,
    revoke_token,
    user_for_token,
)
from trackrecord.store.migrate import current_revision, ensure_schema, head_revision
from trackrecord.store.models import (
    Base,
    Challenge,
    Finalization,
    Submission,
    User,
)

TABLES = {
    "users",
    "api_tokens",
    "invites",
    "challenges",
    "enrollments",
    "submissions",
    "final_picks",
    "finalizations",
}


@pytest.fixture
def engine(settings: Settings):  # type: ignore[no-untyped-def]
    upgrade(settings)
    eng = make_engine(settings)
    yield eng
    eng.dispose()


def _challenge(slug: str = "c1") -> Challenge:
    return Challenge(
        slug=slug,
        source="builtin",
        bundle_ref=f"catalog:{slug}",
        bundle_sha256="0" * 64,
        title="C",
        task="regression",
        metric="rmse",
        greater_is_better=False,
        per_day=5,
        final_picks=2,
    )


def _submission(user: User, ch: Challenge, status: str = "scored") -> Submission:
    return Submission(
        user_id=user.id,
        challenge_id=ch.id,
        file_sha256="a" * 64,
        original_filename="s.csv",
        size_bytes=10,
        status=status,
        public_score=1.0,
        private_score=2.0,
        rows=3,
    )


def test_initial_migration_creates_the_schema_of_the_models(settings: Settings) -> None:
    assert upgrade(settings) == head_revision()
    engine = make_engine(settings)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_twice_and_ensure_schema_are_no_ops(settings: Settings) -> None:
    upgrade(settings)
    assert upgrade(settings) == head_revision()
    engine = make_engine(settings)
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_is_wal_with_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


@pytest.mark.postgres
def test_postgres_pool_keeps_as_many_connections_as_the_setting(postgres_url: str) -> None:
    engine = make_engine(Settings(home=Path("."), database_url=postgres_url, db_pool_size=7))
    assert engine.pool.size() == 7  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 7  # type: ignore[attr-defined]
    engine.dispose()


@pytest.mark.postgres
def test_read_only_sessions_open_no_transaction_on_postgres(postgres_url: str) -> None:
    """No BEGIN/COMMIT round trips: after a read the server-side session is idle."""
    from psycopg.pq import TransactionStatus

    engine = make_engine(postgres_url)
    for read_only, expected in ((True, TransactionStatus.IDLE), (False, TransactionStatus.INTRANS)):
        with session_scope(engine, read_only=read_only) as s:
            assert s.execute(text("SELECT 1")).scalar() == 1
            dbapi = s.connection().connection.dbapi_connection
            assert dbapi.info.transaction_status == expected  # type: ignore[union-attr]
    with (
        pytest.raises(ValueError, match="read-only"),
        session_scope(engine, read_only=True, write_lock=True),
    ):
        pass
    engine.dispose()


def test_read_only_sessions_refuse_to_write(engine) -> None:  # type: ignore[no-untyped-def]
    with (
        pytest.raises(RuntimeError, match="read-only"),
        session_scope(engine, read_only=True) as s,
    ):
        s.add(User(username="nobody", role="learner"))
        s.flush()
    with session_scope(engine) as s:
        assert s.scalars(select(User).where(User.username == "nobody")).first() is None


def _backend_pid(engine) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine, read_only=True) as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.mark.postgres
def test_a_connection_that_died_while_idle_is_replaced(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connections are pinged only after PING_AFTER_IDLE_S in the pool: one the server
    dropped meanwhile is replaced before anyone uses it; without the ping it would fail."""
    from sqlalchemy.exc import OperationalError

    from trackrecord.store import db

    killer = make_engine(postgres_url)
    for idle_limit, survives in ((0.0, True), (3600.0, False)):
        monkeypatch.setattr(db, "PING_AFTER_IDLE_S", idle_limit)
        engine = make_engine(postgres_url, pool_size=1, max_overflow=0)
        pid = _backend_pid(engine)  # the one pooled connection, now idle in the pool
        with killer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        if survives:
            assert _backend_pid(engine) != pid  # a new connection, and no error
        else:
            with pytest.raises(OperationalError):
                _backend_pid(engine)
        engine.dispose()
    killer.dispose()


def test_the_default_database_lives_in_home(home: Path) -> None:
    settings = Settings(home=home)
    upgrade(settings)
    assert (home / "trackrecord.db").is_file()


def test_datetimes_come_back_aware_utc_and_naive_ones_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    when = datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
    with session_scope(engine) as s:
        s.add(User(username="ann", created_at=when))
    with session_scope(engine) as s:
        user = s.scalars(select(User).where(User.username == "ann")).one()
        assert user.created_at == when and user.created_at.tzinfo is not None
    with pytest.raises(StatementError, match="naive datetime"), session_scope(engine) as s:
        s.add(User(username="bob", created_at=datetime(2024, 3, 1)))
        s.flush()


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [(User, "role", "wizard"), (Submission, "status", "lost")],
)
def test_check_constraints_refuse_unknown_values(engine, model, field, value) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        user = ensure_local_user(s)
        ch = _challenge()
        s.add(ch)
        s.flush()
        user_id, ch_id = user.id, ch.id
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        if model is User:
            s.add(User(username="x", role=value))
        else:
            sub = _submission(s.get(User, user_id), s.get(Challenge, ch_id))  # type: ignore[arg-type]
            setattr(sub, field, value)
            s.add(sub)
        s.flush()


def test_foreign_keys_are_enforced(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(
            Submission(
                user_id=999,
                challenge_id=999,
                file_sha256="a" * 64,
                original_filename="s",
                size_bytes=1,
                status="scored",
            )
        )
        s.flush()


def test_one_finalization_per_user_and_challenge(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        user, ch = ensure_local_user(s), _challenge()
        s.add(ch)
        s.flush()
        sub = _submission(user, ch)
        s.add(sub)
        s.flush()
        ids = (user.id, ch.id, sub.id)

    def finalization() -> Finalization:
        return Finalization(
            user_id=ids[0], challenge_id=ids[1], submission_id=ids[2], public_score=1.0,
            private_score=2.0, medal="gold",
        )  # fmt: skip

    with session_scope(engine) as s:
        s.add(finalization())
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(finalization())


def test_local_user_is_created_once(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        first = ensure_local_user(s).id
    with session_scope(engine) as s:
        assert ensure_local_user(s).id == first
        assert s.get(User, first).password_hash is None  # type: ignore[union-attr]


def test_tokens_are_stored_hashed_and_can_be_revoked(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        user = ensure_local_user(s)
        plain, row = issue_token(s, user.id, "laptop")
        token_id = row.id
        assert plain not in (row.token_hash, row.prefix) and plain.startswith(row.prefix)
    with session_scope(engine) as s:
        assert user_for_token(s, plain) is not None
        assert user_for_token(s, plain + "x") is None
        revoke_token(s, token_id)
    with session_scope(engine) as s:
        assert user_for_token(s, plain) is None
        with pytest.raises(NotFound):
            revoke_token(s, 12345)


def test_expired_tokens_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    past = datetime.now(UTC) - timedelta(seconds=1)
    with session_scope(engine) as s:
        plain, _ = issue_token(s, ensure_local_user(s).id, "old", expires_at=past)
    with session_scope(engine) as s:
        assert user_for_token(s, plain) is None


# Blobs ---------------------------------------------------------------------------------


def test_blobs_are_content_addressed_and_never_overwritten(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    a = tmp_path / "a.csv"
    a.write_text("id,y\n1,2\n")
    first = store.put_file(a)
    assert first.path == tmp_path / "blobs" / first.sha256[:2] / first.sha256
    before = os.stat(first.path)
    again = store.put_file(a)
    after = os.stat(first.path)
    assert again == first
    # Same file (storing it again only touches its mtime, which `admin gc` reads).
    assert (before.st_ino, before.st_size) == (after.st_ino, after.st_size)
    assert not os.access(first.path, os.W_OK) or os.geteuid() == 0
    a.write_text("id,y\n1,3\n")
    second = store.put_file(a)
    assert second.sha256 != first.sha256
    assert first.path.read_text() == "id,y\n1,2\n"
    assert store.get(first.sha256).size == first.size
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


def test_blob_size_limit_stores_nothing(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 100)
    with pytest.raises(PayloadTooLarge, match=r"big\.csv"):
        store.put_file(big, max_bytes=10)
    with pytest.raises(PayloadTooLarge):
        store.put_stream(io.BytesIO(b"x" * 100), max_bytes=10, name="upload.csv")
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_an_interrupted_write_leaves_no_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")

    class Broken(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def read(self, n: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 1:
                raise ConnectionResetError("client went away")
            return b"partial"

    with pytest.raises(ConnectionResetError):
        store.put_stream(Broken())  # type: ignore[arg-type]
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_blob_names_must_be_sha256(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(NotFound):
        store.get("../../etc/passwd")
    with pytest.raises(NotFound, match="no stored file"):
        store.get("0" * 64)


def test_upgrade_from_0001_keeps_the_data_and_adds_the_board_index(db_url: str) -> None:
    from trackrecord.store.migrate import upgrade_engine

    engine = make_engine(db_url)
    try:
        upgrade_engine(engine, "0001")
        with session_scope(engine) as s:
            s.add(User(username="ada", role="learner"))
        upgrade_engine(engine)
        assert current_revision(engine) == head_revision() == "0008"
        with session_scope(engine) as s:
            assert s.scalars(select(User.username)).all() == ["ada"]
        indexes = {
            ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("submissions")
        }
        assert indexes["ix_submissions_challenge_status_id"] == ["challenge_id", "status", "id"]
        assert "ix_submissions_challenge_status" not in indexes
    finally:
        engine.dispose()


def test_upgrade_to_0003_adds_public_thresholds_and_marks_old_submissions_not_practice(
    db_url: str,
) -> None:
    from sqlalchemy import text

    from trackrecord.store.migrate import upgrade_engine

    engine = make_engine(db_url)
    try:
        upgrade_engine(engine, "0002")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, username, role, is_active, created_at)"
                    " VALUES (1, 'ada', 'learner', true, '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO challenges (id, slug, source, bundle_ref, bundle_sha256, title,"
                    " task, metric, greater_is_better, difficulty, skills, summary, baseline,"
                    " per_day, final_picks, hosted, created_at) VALUES (1, 'p', 'builtin',"
                    " 'catalog:p', 'x', 'P', 'regression', 'rmse', false, 1, '[]', '', 2.0, 5, 2,"
                    " false, '2026-01-01')"
                )
            )
            conn.execute(text(
                "INSERT INTO submissions (id, user_id, challenge_id, created_at, file_sha256,"
                " original_filename, size_bytes, status) VALUES (1, 1, 1, '2026-01-01', 'x',"
                " 'a.csv', 1, 'scored')"
            ))  # fmt: skip
        upgrade_engine(engine)
        with session_scope(engine) as s:
            sub = s.get(Submission, 1)
            ch = s.get(Challenge, 1)
            assert sub is not None and sub.practice is False
            assert ch is not None and ch.baseline == 2.0 and ch.public_baseline is None
            assert ch.score_se is None
    finally:
        engine.dispose()
