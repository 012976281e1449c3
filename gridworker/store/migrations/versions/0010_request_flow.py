"""resident requests' flow as the server sends it; the requests' events; a department's work orders

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def _columns() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("department_id", sa.Uuid(), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("deadline_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("on_spot", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("bounces", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("reopens", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failed_callbacks", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("resolved", sa.Boolean(), nullable=True),
        sa.Column("satisfaction", sa.String(16), nullable=False, server_default=""),
        sa.Column("merged_into", sa.Uuid(), nullable=True),
        sa.Column("pending_step", sa.String(16), nullable=False, server_default=""),
    )


def upgrade() -> None:
    with op.batch_alter_table("resident_request") as batch:
        for column in _columns():
            batch.add_column(column)
    op.create_table(
        "request_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_request_event"),
    )
    op.create_index("ix_request_event_request_id", "request_event", ["request_id"])
    op.create_table(
        "work_order",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("contact_name", sa.String(50), nullable=False),
        sa.Column("contact_phone", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("deadline_at", sa.DateTime(), nullable=True),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("reopens", sa.Integer(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("pending_step", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_work_order"),
    )
    op.create_index("ix_work_order_department_id", "work_order", ["department_id"])
    op.create_index("ix_work_order_deadline_at", "work_order", ["deadline_at"])


def downgrade() -> None:
    op.drop_table("work_order")
    op.drop_table("request_event")
    for column in reversed(_columns()):  # SQLite's own DROP COLUMN, as 0008's downgrade
        op.drop_column("resident_request", column.name)
