"""Every member of a team holds a result credential: ledger_records' unique (issuer, kind,
submission_id) becomes (issuer, kind, submission_id, user_id).

PostgreSQL drops and creates the constraint (its append-only trigger stays). SQLite cannot
alter a constraint, so batch mode re-creates the table, which drops its triggers: they are
created again below exactly as 0004 made them, so records stay append-only.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APPEND_ONLY = "ledger records are append-only"  # the message 0004's triggers raise
OLD = ("issuer", "kind", "submission_id")
NEW = ("issuer", "kind", "submission_id", "user_id")
REVOKED = "credential_revocations"
REVOCATION = "id, record_id, reason, revoked_by, created_at"


def _name(columns: tuple[str, ...]) -> str:
    return "uq_ledger_records_" + "_".join(columns)


def _sqlite_append_only_triggers() -> None:
    """0004's SQLite triggers (a re-created table has none)."""
    for action in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS ledger_records_no_{action.lower()}")
        op.execute(
            f"CREATE TRIGGER ledger_records_no_{action.lower()} BEFORE {action} ON "
            f"ledger_records BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def _replace(drop: tuple[str, ...], create: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f(_name(drop)), "ledger_records", type_="unique")
        op.create_unique_constraint(op.f(_name(create)), "ledger_records", list(create))
        return
    # The records are copied into the new table, never updated or deleted (SQLite drops a
    # table's triggers before the table). Revocations reference the records, and dropping
    # the old table with them present fails the foreign key check (foreign_keys cannot be
    # turned off inside the migration's transaction): they step aside and come back.
    op.execute(f"CREATE TEMPORARY TABLE revocations_0007 AS SELECT {REVOCATION} FROM {REVOKED}")
    op.execute(f"DELETE FROM {REVOKED}")
    with op.batch_alter_table("ledger_records", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(batch_op.f(_name(drop)), type_="unique")
        batch_op.create_unique_constraint(batch_op.f(_name(create)), list(create))
    _sqlite_append_only_triggers()
    op.execute(f"INSERT INTO {REVOKED} ({REVOCATION}) SELECT {REVOCATION} FROM revocations_0007")
    op.execute("DROP TABLE revocations_0007")


def upgrade() -> None:
    _replace(OLD, NEW)


def downgrade() -> None:
    # Fails while a file has more than one result credential (a team's): they are kept.
    _replace(NEW, OLD)
