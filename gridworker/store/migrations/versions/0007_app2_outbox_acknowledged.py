"""outbox: a set-aside change the worker has read and acknowledged

A change the server rejected, or applied over someone else's value, stays in the outbox for good (a
record of what was sent and what the server answered); ``acknowledged_at`` says the worker has read it,
so it no longer counts as needing attention.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("acknowledged_at")
