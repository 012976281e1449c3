"""review: a visit's number, form time, review state and flags; its review events; back-checks; a
street's settings

``visit.no`` is the server's number for a visit (a street's copy names visits by it): existing visits
are numbered in the order the server received them; on PostgreSQL new numbers come from the sequence
``visit_no_seq`` (concurrent pushes never wait on each other for one), on SQLite from the largest
number plus one inside the write transaction (one writer at a time).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _number_visits() -> int:
    bind = op.get_bind()
    visit = sa.table("visit", sa.column("id", sa.Uuid()), sa.column("no", sa.BigInteger()), sa.column("received_at"))
    ids = bind.execute(sa.select(visit.c.id).order_by(visit.c.received_at, visit.c.id)).scalars().all()
    for number, visit_id in enumerate(ids, start=1):
        bind.execute(sa.update(visit).where(visit.c.id == visit_id).values(no=number))
    return len(ids)


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.add_column(sa.Column("no", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("form_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("review_state", sa.String(16), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("flags", sa.JSON(), nullable=False, server_default="[]"))
    count = _number_visits()
    with op.batch_alter_table("visit") as batch:
        batch.alter_column("no", existing_type=sa.BigInteger(), nullable=False)
        batch.create_unique_constraint("uq_visit_no", ["no"])
        batch.create_index("ix_visit_worker_visited", ["worker_id", "visited_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE visit_no_seq START WITH {count + 1}")
    with op.batch_alter_table("org_unit") as batch:
        batch.add_column(sa.Column("settings", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "visit_review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("pins", sa.JSON(), nullable=False),
        sa.Column("effective", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("mutation_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name="fk_visit_review_visit_id_visit"),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name="fk_visit_review_actor_id_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_visit_review"),
    )
    op.create_index("ix_visit_review_visit_id", "visit_review", ["visit_id"])
    op.create_table(
        "backcheck_draw",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("seed", sa.String(64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["street_id"], ["org_unit.id"], name="fk_backcheck_draw_street_id_org_unit"),
        sa.PrimaryKeyConstraint("id", name="pk_backcheck_draw"),
        sa.UniqueConstraint("street_id", "week", name="uq_backcheck_draw_street_id"),
    )
    op.create_table(
        "backcheck",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("draw_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("checked_by", sa.Uuid(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mutation_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["draw_id"], ["backcheck_draw.id"], name="fk_backcheck_draw_id_backcheck_draw"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name="fk_backcheck_visit_id_visit"),
        sa.ForeignKeyConstraint(["worker_id"], ["app_user.id"], name="fk_backcheck_worker_id_app_user"),
        sa.ForeignKeyConstraint(["checked_by"], ["app_user.id"], name="fk_backcheck_checked_by_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_backcheck"),
        sa.UniqueConstraint("visit_id", name="uq_backcheck_visit_id"),
    )
    op.create_index("ix_backcheck_draw_id", "backcheck", ["draw_id"])
    op.create_index("ix_backcheck_worker_id", "backcheck", ["worker_id"])


def downgrade() -> None:
    op.drop_table("backcheck")
    op.drop_table("backcheck_draw")
    op.drop_table("visit_review")
    with op.batch_alter_table("org_unit") as batch:
        batch.drop_column("settings")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS visit_no_seq")
    with op.batch_alter_table("visit") as batch:
        batch.drop_index("ix_visit_worker_visited")
        batch.drop_constraint("uq_visit_no", type_="unique")
        for column in ("flags", "review_state", "form_seconds", "no"):
            batch.drop_column(column)
