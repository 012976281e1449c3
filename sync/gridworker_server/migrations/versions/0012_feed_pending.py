"""the city platform's feed: requests changed since the feed last took them in (feed_pending), so
that a push no longer bumps its street's feed scope (one counter row per street, locked to commit:
pushes across a street queued on it at 64 devices)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_pending",
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("street_id", "request_id", name=op.f("pk_feed_pending")),
    )


def downgrade() -> None:
    op.drop_table("feed_pending")
