"""Leaderboard version index: submissions (challenge_id, status, id).

The board cache asks for the newest scored submission of a challenge on every view. With
only (challenge_id, status), PostgreSQL visits every matching row to find max(id); with id
in the index it reads one entry (SQLite keeps the rowid in every index already). Replaces
ix_submissions_challenge_status, whose queries the new index also serves.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_submissions_challenge_status_id", ["challenge_id", "status", "id"], unique=False
        )
        batch_op.drop_index("ix_submissions_challenge_status")


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_submissions_challenge_status", ["challenge_id", "status"], unique=False
        )
        batch_op.drop_index("ix_submissions_challenge_status_id")
