"""fewer index entries per push: a visit's worker index goes (the index of a worker's visits by time
serves it), a visit's correction index and the change log's removals index keep only the rows they are
for (corrections; removals), so a new visit and a change-log upsert write two entries fewer.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CORRECTIONS = sa.text("amends_id IS NOT NULL")
REMOVALS = sa.text("op = 'r'")


def upgrade() -> None:
    op.drop_index("ix_visit_worker_id", table_name="visit")
    op.drop_index("ix_visit_amends_id", table_name="visit")
    op.create_index(
        "ix_visit_amends_id", "visit", ["amends_id"], postgresql_where=CORRECTIONS, sqlite_where=CORRECTIONS
    )
    op.drop_index("ix_change_log_removed", table_name="change_log")
    op.create_index(
        "ix_change_log_removed", "change_log", ["changed_at"], postgresql_where=REMOVALS, sqlite_where=REMOVALS
    )


def downgrade() -> None:
    op.drop_index("ix_change_log_removed", table_name="change_log")
    op.create_index("ix_change_log_removed", "change_log", ["op", "changed_at"])
    op.drop_index("ix_visit_amends_id", table_name="visit")
    op.create_index("ix_visit_amends_id", "visit", ["amends_id"])
    op.create_index("ix_visit_worker_id", "visit", ["worker_id"])
