"""a pushed mutation's content hash: the same mutation id with other content is a conflict

A device that reuses a mutation id for other content (a new seq, or the same seq resent changed) was
answered with the stored result and its content dropped. The hash of the canonical payload (the kind
and the payload JSON with sorted keys) is kept with the mutation and compared on a replay. Rows pushed
before this revision have none ("") and are replayed as before.

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
    with op.batch_alter_table("mutation") as batch_op:
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("mutation") as batch_op:
        batch_op.drop_column("content_hash")
