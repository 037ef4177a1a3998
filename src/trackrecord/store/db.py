"""Engines and sessions.

SQLite is the embedded default: WAL journal (readers never block the writer), foreign keys
on, a busy timeout so concurrent writers wait instead of failing. The pysqlite driver's own
transaction handling is turned off and `BEGIN` is emitted by us, so a write that must be
atomic with a preceding read (the daily quota) can take the write lock up front with
`BEGIN IMMEDIATE`. On PostgreSQL the same code takes a row lock (`SELECT ... FOR UPDATE`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session

from trackrecord.settings import Settings

BUSY_TIMEOUT_MS = 30_000
# A pooled server connection idle this long is pinged before use (see `_ping_when_idle`).
PING_AFTER_IDLE_S = 10.0
_BEGIN_OPTION = "trackrecord_sqlite_begin"


def make_engine(url_or_settings: str | Settings, **kwargs: Any) -> Engine:
    """An engine for a URL (or the settings' `db_url`), configured for this project."""
    settings = url_or_settings if isinstance(url_or_settings, Settings) else None
    url = settings.db_url if settings else str(url_or_settings)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A pool smaller than the number of requests in flight closes each connection it
        # cannot keep and opens a new one for the next request: on PostgreSQL a new backend
        # process every time (docs/benchmarks.md). Keep one per concurrent request instead.
        size = settings.db_pool_size if settings else Settings.db_pool_size
        kwargs.setdefault("pool_size", size)
        kwargs.setdefault("max_overflow", size)
        engine = create_engine(url, **kwargs)
        if not kwargs.get("pool_pre_ping"):
            _ping_when_idle(engine)
        return engine
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("connect_args", {"timeout": BUSY_TIMEOUT_MS / 1000})
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine, in_memory=database in (None, "", ":memory:"))
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for PING_AFTER_IDLE_S.

    Connections die while idle (a database restart, a firewall's idle timeout), not while
    busy; SQLAlchemy's `pool_pre_ping` pings on every checkout, which on PostgreSQL is one
    round trip of each request (measured: the leaderboard page went from 35% to 46% of the
    bare endpoint without it, docs/benchmarks.md). A dead connection found here is replaced
    before the request sees it, as `pool_pre_ping` would do."""

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return  # new, or back in the pool a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            if engine.dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError(f"pooled connection went away while idle: {exc}") from exc
            raise


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        try:
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@event.listens_for(Session, "before_flush")
def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    """A read-only session has no transaction on PostgreSQL: each write would commit on its
    own, so none is allowed."""
    if session.info.get("read_only") and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a read-only session (session_scope(read_only=True)) cannot write")


@contextmanager
def session_scope(
    engine: Engine, *, write_lock: bool = False, read_only: bool = False
) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back if it raises.

    Use `write_lock=True` for every transaction that may write: on SQLite a transaction
    that reads first and writes later cannot wait for another writer (it fails at once with
    "database is locked"); one that takes the lock up front waits its turn instead.
    `write_lock=True` starts the transaction with the database write lock on SQLite
    (`BEGIN IMMEDIATE`), so a count followed by an insert cannot interleave with another
    writer. On PostgreSQL it changes nothing: lock rows with `select(...).with_for_update()`.

    `read_only=True` is for the hot paths that only read (token lookups, leaderboards): on
    PostgreSQL each statement then runs on its own, without the BEGIN and COMMIT round
    trips (under READ COMMITTED each statement sees its own snapshot either way); on
    SQLite it is an ordinary read transaction. Nothing may be written in such a session:
    a flush of ORM changes raises (see `_refuse_writes`).
    """
    if write_lock and read_only:
        raise ValueError("a session cannot both take the write lock and be read-only")
    with engine.connect() as conn:
        if write_lock and engine.dialect.name == "sqlite":
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        if read_only and engine.dialect.name != "sqlite":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        info = {"read_only": True} if read_only else {}
        with Session(bind=conn, expire_on_commit=False, info=info) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
