"""the policy guide and contact cards: articles, card issues, a user's card details, a visit's articles

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
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
        "article",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["published_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "card_issue",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("card_user_id", sa.Uuid(), nullable=False),
        sa.Column("printed_by", sa.Uuid(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["card_user_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"]),
        sa.ForeignKeyConstraint(["printed_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("card_issue") as batch_op:
        batch_op.create_index("ix_card_issue_household_id", ["household_id"], unique=False)
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.add_column(sa.Column("service_hours", sa.String(length=60), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("card_line", sa.String(length=80), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("photo", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("visit") as batch_op:
        batch_op.add_column(sa.Column("articles", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("visit") as batch_op:
        batch_op.drop_column("articles")
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.drop_column("photo")
        batch_op.drop_column("card_line")
        batch_op.drop_column("service_hours")
    op.drop_table("card_issue")
    op.drop_table("article")
