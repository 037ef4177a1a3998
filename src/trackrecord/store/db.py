"""Engines and sessions.

SQLite is the embedded default: WAL journal (readers never block the writer), foreign keys
on, a busy timeout so concurrent writers wait instead of failing. The pysqlite driver's own
transaction handling is turned off and `BEGIN` is emitted by us, so a write that must be
atomic with a preceding read (the daily quota) can take the write lock up front with
`BEGIN IMMEDIATE`. On PostgreSQL the same code takes a row lock (`SELECT ... FOR UPDATE`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session

from trackrecord.settings import Settings

BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "trackrecord_sqlite_begin"


def make_engine(url_or_settings: str | Settings, **kwargs: Any) -> Engine:
    """An engine for a URL (or the settings' `db_url`), configured for this project."""
    url = url_or_settings.db_url if isinstance(url_or_settings, Settings) else url_or_settings
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("connect_args", {"timeout": BUSY_TIMEOUT_MS / 1000})
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine, in_memory=database in (None, "", ":memory:"))
    return engine


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


@contextmanager
def session_scope(engine: Engine, *, write_lock: bool = False) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back if it raises.

    Use `write_lock=True` for every transaction that may write: on SQLite a transaction
    that reads first and writes later cannot wait for another writer (it fails at once with
    "database is locked"); one that takes the lock up front waits its turn instead.
    `write_lock=True` starts the transaction with the database write lock on SQLite
    (`BEGIN IMMEDIATE`), so a count followed by an insert cannot interleave with another
    writer. On PostgreSQL it changes nothing: lock rows with `select(...).with_for_update()`.
    """
    with engine.connect() as conn:
        if write_lock and engine.dialect.name == "sqlite":
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with Session(bind=conn, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
