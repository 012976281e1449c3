"""a household's visits by time: one index on (household_id, visited_at)

The pull reads a household's visits of the last 400 days. With separate indexes on household_id and
visited_at, PostgreSQL's generic plan for the prepared statement could take the wrong one (0.6 ms a
read instead of 0.01 ms); the composite index serves both the lookup by household and the range.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch_op:
        batch_op.create_index("ix_visit_household_visited", ["household_id", "visited_at"], unique=False)
        batch_op.drop_index("ix_visit_household_id")


def downgrade() -> None:
    with op.batch_alter_table("visit") as batch_op:
        batch_op.create_index("ix_visit_household_id", ["household_id"], unique=False)
        batch_op.drop_index("ix_visit_household_visited")
