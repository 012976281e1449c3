"""sync: staged pull pages; the server's note on a request's status

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pull_stage",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("page", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_pull_stage")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("resident_request") as batch:
        batch.add_column(sa.Column("status_note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("resident_request") as batch:
        batch.drop_column("status_note")
    op.drop_table("pull_stage")
