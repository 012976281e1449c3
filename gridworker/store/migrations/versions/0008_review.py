"""review: a visit's server number and review (the worker's returned visits); a street's settings;
a station's or supervisor's copy of their area's visits for review, their events and back-checks

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.add_column(sa.Column("no", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("review_state", sa.String(16), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("review_reason", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("review_comment", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("review_pins", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("org_unit") as batch:
        batch.add_column(sa.Column("settings", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "review_visit",
        sa.Column("no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("visited_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("amends_no", sa.Integer(), nullable=True),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.Column("articles", sa.JSON(), nullable=False),
        sa.Column("form_seconds", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("pending_action", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("no", name="pk_review_visit"),
    )
    op.create_index("ix_review_visit_household_id", "review_visit", ["household_id"])
    op.create_index("ix_review_visit_amends_no", "review_visit", ["amends_no"])
    op.create_index("ix_review_visit_visited", "review_visit", ["visited_at"])
    op.create_index("ix_review_visit_grid_visited", "review_visit", ["grid_id", "visited_at"])
    op.create_index("ix_review_visit_worker_visited", "review_visit", ["worker_id", "visited_at"])
    op.create_index("ix_review_visit_state_visited", "review_visit", ["state", "visited_at"])
    op.create_table(
        "review_flag",
        sa.Column("code", sa.String(24), nullable=False),
        sa.Column("visit_no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_no"], ["review_visit.no"], name="fk_review_flag_visit_no_review_visit", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", "visit_no", name="pk_review_flag"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "review_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("visit_no", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("pins", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("effective", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_event"),
    )
    op.create_index("ix_review_event_visit_no", "review_event", ["visit_no"])
    op.create_index("ix_review_event_household_id", "review_event", ["household_id"])
    op.create_table(
        "backcheck",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("visit_no", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("checked_by", sa.Uuid(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("pending_result", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_backcheck"),
    )
    op.create_index("ix_backcheck_visit_no", "backcheck", ["visit_no"])
    op.create_index("ix_backcheck_household_id", "backcheck", ["household_id"])
    op.create_index("ix_backcheck_worker_id", "backcheck", ["worker_id"])
    op.create_index("ix_backcheck_week", "backcheck", ["week"])


def downgrade() -> None:
    op.drop_table("backcheck")
    op.drop_table("review_event")
    op.drop_table("review_flag")
    op.drop_table("review_visit")
    # SQLite's own DROP COLUMN (3.35+): a batch copy would drop and recreate org_unit and visit,
    # which rows of household, visit_person and visit_article refer to (foreign keys are on)
    op.drop_column("org_unit", "settings")
    for column in ("review_pins", "review_comment", "review_reason", "review_state", "no"):
        op.drop_column("visit", column)
