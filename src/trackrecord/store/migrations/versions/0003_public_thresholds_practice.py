"""Public thresholds, the score's standard error, and practice submissions.

challenges: public_baseline, public_reference, public_gold (the medal lines scored on the
public split, which every estimate made before finalizing compares with) and score_se (the
bootstrap standard error of the reference's private score). submissions: practice (made
after the user finalized the project; never changes the medal).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHALLENGE_COLUMNS = ("public_baseline", "public_reference", "public_gold", "score_se")


def upgrade() -> None:
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        for name in CHALLENGE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Double(), nullable=True))
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("practice", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("practice")
    with op.batch_alter_table("challenges", schema=None) as batch_op:
        for name in reversed(CHALLENGE_COLUMNS):
            batch_op.drop_column(name)
