"""residents' personal data (issue 14): a revoked device's wipe (lost or handed over) and its
confirmation, the device's recovery secret, and the access trail (reveals, exports, prints)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("wipe", sa.String(16), nullable=False, server_default=""))
        batch.add_column(sa.Column("wipe_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("recovery_key", sa.LargeBinary(), nullable=True))
    op.create_table(
        "access_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("org_unit_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_access_event_user_id_app_user")),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"], name=op.f("fk_access_event_device_id_device")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_access_event_household_id_household")
        ),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name=op.f("fk_access_event_org_unit_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_event")),
    )
    for column in ("user_id", "household_id", "org_unit_id", "received_at"):
        op.create_index(f"ix_access_event_{column}", "access_event", [column])


def downgrade() -> None:
    for column in ("user_id", "household_id", "org_unit_id", "received_at"):
        op.drop_index(f"ix_access_event_{column}", table_name="access_event")
    op.drop_table("access_event")
    with op.batch_alter_table("device") as batch:
        batch.drop_column("recovery_key")
        batch.drop_column("wipe_confirmed_at")
        batch.drop_column("wipe")
