"""a visit's stamp (visit.sv): the version of its household's change in its grid's scope when the visit
last changed, so that a pull sends a laptop the visits changed since the cursors it holds whole instead
of every visit of the window again. Existing visits start unstamped (always sent): the next change of
their household stamps them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("visit", sa.Column("sv", sa.BigInteger(), nullable=True))  # no copy of the table
    op.create_index(
        "ix_visit_unstamped",
        "visit",
        ["household_id"],
        postgresql_where=sa.text("sv IS NULL"),
        sqlite_where=sa.text("sv IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_visit_unstamped", table_name="visit")
    with op.batch_alter_table("visit") as batch:
        batch.drop_column("sv")
