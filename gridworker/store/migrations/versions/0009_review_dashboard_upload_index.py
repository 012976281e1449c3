"""review dashboard: a worker's latest upload (the latest received_at of their visits) by an index

The coverage dashboard shows each worker's "data as of" (最近上传) and lists the silent ones. Without
this index that is a scan of a street's two years of visits (200,000 rows, about 280 ms); with it one
probe a worker.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_review_visit_worker_received", "review_visit", ["worker_id", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_review_visit_worker_received", table_name="review_visit")
