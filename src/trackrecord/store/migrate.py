"""Schema migrations: Alembic, configured in code (no alembic.ini needed at run time)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from trackrecord.settings import Settings
from trackrecord.store.db import make_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (for code and for tests)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind `engine` up to `revision` in one transaction."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def ensure_schema(engine: Engine) -> None:
    """Upgrade only when the database is behind: cheap enough to call on every start."""
    if current_revision(engine) != head_revision():
        upgrade_engine(engine)


def upgrade(settings: Settings, revision: str = "head") -> str | None:
    """Upgrade the configured database; returns the revision it is at afterwards."""
    engine = make_engine(settings)
    try:
        upgrade_engine(engine, revision)
        return current_revision(engine)
    finally:
        engine.dispose()
