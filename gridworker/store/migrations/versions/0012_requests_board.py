"""the requests board's and the three rates' indexes: a station's or supervisor's copy of its area's
requests read by registration time, status, department, category, deadline and bounces, and the
requests' events by step (call-backs, bounces); a request's last call-back time (callback_at), kept
by triggers on request_event whoever writes the events, so that the rates read one row a request
instead of looking its events up (100,000 look-ups were half the rates' time)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_resident_request_created", "resident_request", ("created_at", "id")),
    ("ix_resident_request_status_created", "resident_request", ("status", "created_at")),
    ("ix_resident_request_department_created", "resident_request", ("department_id", "created_at")),
    ("ix_resident_request_category_created", "resident_request", ("category", "created_at")),
    ("ix_resident_request_deadline", "resident_request", ("deadline_at", "id")),
    ("ix_resident_request_status_deadline", "resident_request", ("status", "deadline_at")),
    ("ix_resident_request_bounces", "resident_request", ("bounces",)),
    ("ix_request_event_step", "request_event", ("step", "request_id", "at")),
)


# the last call-back's time follows the events: an event added, and the events of a request replaced
# (a pull deletes them and inserts the server's list)
TRIGGERS = (
    """CREATE TRIGGER request_callback_added AFTER INSERT ON request_event WHEN NEW.step = 'callback'
    BEGIN
        UPDATE resident_request SET callback_at = NEW.at
        WHERE id = NEW.request_id AND (callback_at IS NULL OR callback_at < NEW.at);
    END""",
    """CREATE TRIGGER request_callback_removed AFTER DELETE ON request_event WHEN OLD.step = 'callback'
    BEGIN
        UPDATE resident_request SET callback_at = (
            SELECT max(at) FROM request_event WHERE step = 'callback' AND request_id = OLD.request_id
        ) WHERE id = OLD.request_id;
    END""",
)


def upgrade() -> None:
    with op.batch_alter_table("resident_request") as batch:
        batch.add_column(sa.Column("callback_at", sa.DateTime(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, list(columns))
    op.execute(
        "UPDATE resident_request SET callback_at = (SELECT max(at) FROM request_event e "
        "WHERE e.step = 'callback' AND e.request_id = resident_request.id)"
    )
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS request_callback_removed")
    op.execute("DROP TRIGGER IF EXISTS request_callback_added")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("resident_request") as batch:
        batch.drop_column("callback_at")
