"""resident requests' flow: department, clock, counts, the resident's verdict, duplicates, the city
platform's ids; request events' ids, extras and origin; API keys for the city platform

Statuses of earlier versions are moved into the flow's (gridworker_shared.domain.request_flow):
assigned → dispatched, in_progress → signed, resolved → closed, closed → archived, rejected → cancelled.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as of this revision (a migration never reads today's code)
_LEGACY = {
    "assigned": "dispatched",
    "in_progress": "signed",
    "resolved": "closed",
    "closed": "archived",
    "rejected": "cancelled",
}


def upgrade() -> None:
    with op.batch_alter_table("resident_request") as batch:
        batch.add_column(sa.Column("department_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("on_spot", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("bounces", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("reopens", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("failed_callbacks", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("resolved", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("merged_into_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("external_id", sa.String(64), nullable=True))
        batch.create_foreign_key(
            "fk_resident_request_department_id_org_unit", "org_unit", ["department_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_resident_request_merged_into_id_resident_request", "resident_request", ["merged_into_id"], ["id"]
        )
        batch.create_index("ix_resident_request_department_id", ["department_id"])
        batch.create_index("ix_resident_request_deadline_at", ["deadline_at"])
        batch.create_unique_constraint("uq_resident_request_external_id", ["external_id"])
    requests = sa.table("resident_request", sa.column("status", sa.String()))
    for old, new in _LEGACY.items():
        op.execute(sa.update(requests).where(requests.c.status == old).values(status=new))
    with op.batch_alter_table("request_event") as batch:
        batch.add_column(sa.Column("event_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("data", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("via", sa.String(16), nullable=False, server_default="app"))
        batch.add_column(sa.Column("external_event_id", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_request_event_event_id", ["event_id"])
        batch.create_unique_constraint("uq_request_event_external_event_id", ["external_event_id"])
    op.create_table(
        "api_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["street_id"], ["org_unit.id"], name="fk_api_key_street_id_org_unit"),
        sa.PrimaryKeyConstraint("id", name="pk_api_key"),
        sa.UniqueConstraint("key_hash", name="uq_api_key_key_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_key")
    with op.batch_alter_table("request_event") as batch:
        batch.drop_constraint("uq_request_event_external_event_id", type_="unique")
        batch.drop_constraint("uq_request_event_event_id", type_="unique")
        for column in ("external_event_id", "via", "data", "event_id"):
            batch.drop_column(column)
    requests = sa.table("resident_request", sa.column("status", sa.String()))
    for old, new in _LEGACY.items():
        if old != "closed":
            op.execute(sa.update(requests).where(requests.c.status == new).values(status=old))
    with op.batch_alter_table("resident_request") as batch:
        batch.drop_constraint("uq_resident_request_external_id", type_="unique")
        batch.drop_index("ix_resident_request_deadline_at")
        batch.drop_index("ix_resident_request_department_id")
        batch.drop_constraint("fk_resident_request_merged_into_id_resident_request", type_="foreignkey")
        batch.drop_constraint("fk_resident_request_department_id_org_unit", type_="foreignkey")
        for column in (
            "external_id",
            "merged_into_id",
            "resolved",
            "failed_callbacks",
            "reopens",
            "bounces",
            "on_spot",
            "archived_at",
            "closed_at",
            "deadline_at",
            "dispatched_at",
            "department_id",
        ):
            batch.drop_column(column)
