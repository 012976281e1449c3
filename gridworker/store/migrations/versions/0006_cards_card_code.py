"""cards: a worker's card code from the server (worker_card.card_code)

The code printed under a card's QR code was computed from the worker's id and could be shared by two
workers of a city; the server now assigns each worker one, unique city-wide, sent in the worker row of
the pull (protocol 3). Rows from before have none ("") until the server sends them again: the card
prints no code until then.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("worker_card", sa.Column("card_code", sa.String(length=8), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("worker_card") as batch:
        batch.drop_column("card_code")
