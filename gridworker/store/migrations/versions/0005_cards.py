"""cards: contact cards handed to households, and what each worker's card shows

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESYNC_EPOCH = "00000000-0000-0000-0000-000000000000"


def upgrade() -> None:
    op.create_table(
        "card_issue",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("card_user_id", sa.Uuid(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.Column("printed_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_issue")),
    )
    op.create_index(op.f("ix_card_issue_household_id"), "card_issue", ["household_id"], unique=False)
    op.create_table(
        "worker_card",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("service_hours", sa.String(length=60), nullable=False),
        sa.Column("card_line", sa.String(length=80), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("grids", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_worker_card")),
    )
    # A laptop synced by an earlier version skipped the rows it did not know (the guide, the workers'
    # cards, a household's cards) while its cursors moved past them: an epoch no server has makes its
    # next pull a reset and a fresh copy of every scope it holds (households with unsent work are kept).
    # Pages staged in the old format are dropped; the pull stages them again.
    op.execute(f"UPDATE meta SET value = '{RESYNC_EPOCH}' WHERE key = 'epoch' AND value != ''")
    op.execute("DELETE FROM pull_stage")
    op.execute("UPDATE meta SET value = '' WHERE key IN ('stage_cursors', 'stage_epoch')")


def downgrade() -> None:
    op.drop_table("worker_card")
    op.drop_index(op.f("ix_card_issue_household_id"), table_name="card_issue")
    op.drop_table("card_issue")
