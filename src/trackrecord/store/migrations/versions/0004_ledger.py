"""The track record: ledger_records (append-only, hash-chained per issuer),
credential_revocations (a reason per revoked credential) and ledger_issuers (other issuers'
public keys).

Triggers refuse UPDATE and DELETE on ledger_records on SQLite and PostgreSQL alike: a
record, once appended, is never rewritten (revocation is a row of its own).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = "ledger records are append-only"


def _records_table() -> None:
    op.create_table(
        "ledger_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=512), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.String(length=255), nullable=False),
        sa.Column("credential", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=512), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("challenge_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("status_list", sa.String(length=1024), nullable=True),
        sa.Column("status_index", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "origin IN ('self-scored', 'host-verified', 'reproduced')",
            name=op.f("ck_ledger_records_origin"),
        ),
        sa.CheckConstraint("kind IN ('result', 'submission')", name=op.f("ck_ledger_records_kind")),
        sa.CheckConstraint("position >= 0", name=op.f("ck_ledger_records_position")),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_ledger_records_challenge_id_challenges"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_ledger_records_submission_id_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ledger_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_records")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_ledger_records_credential_id")),
        sa.UniqueConstraint("hash", name=op.f("uq_ledger_records_hash")),
        sa.UniqueConstraint("issuer", "position", name=op.f("uq_ledger_records_issuer_position")),
        sa.UniqueConstraint(
            "issuer",
            "kind",
            "submission_id",
            name=op.f("uq_ledger_records_issuer_kind_submission_id"),
        ),
        sa.UniqueConstraint(
            "status_list", "status_index", name=op.f("uq_ledger_records_status_list_status_index")
        ),
    )
    with op.batch_alter_table("ledger_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_records_subject"), ["subject"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_records_user_id"), ["user_id"], unique=False)


def _other_tables() -> None:
    op.create_table(
        "credential_revocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["ledger_records.id"],
            name=op.f("fk_credential_revocations_record_id_ledger_records"),
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by"], ["users.id"], name=op.f("fk_credential_revocations_revoked_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_revocations")),
        sa.UniqueConstraint("record_id", name=op.f("uq_credential_revocations_record_id")),
    )
    op.create_table(
        "ledger_issuers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=512), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=1024), nullable=False),
        sa.Column("jwks", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_issuers")),
        sa.UniqueConstraint("issuer", name=op.f("uq_ledger_issuers_issuer")),
    )


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION ledger_records_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER ledger_records_append_only BEFORE UPDATE OR DELETE ON "
            "ledger_records FOR EACH ROW EXECUTE FUNCTION ledger_records_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER ledger_records_no_{action.lower()} BEFORE {action} ON "
            f"ledger_records BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def upgrade() -> None:
    _records_table()
    _other_tables()
    _append_only_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_records_append_only ON ledger_records")
        op.execute("DROP FUNCTION IF EXISTS ledger_records_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS ledger_records_no_update")
        op.execute("DROP TRIGGER IF EXISTS ledger_records_no_delete")
    op.drop_table("ledger_issuers")
    op.drop_table("credential_revocations")
    with op.batch_alter_table("ledger_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_records_user_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_records_subject"))
    op.drop_table("ledger_records")
