"""Data steps a migrate runs after the schema is at head: each runs once per database, marked in
``server_meta``. They write through the change log, which the schema migrations cannot use (it is
the server's code of today, not of the revision)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet
from gridworker_server.models import GridAssignment, Household, ServerMeta, Visit
from gridworker_shared.protocol import grid_scope, review_scope

# Set once the change log holds a worker row (card details) in each grid scope for every worker's open
# assignment: a database from before contact cards gets them at its first migrate.
WORKER_ROWS = "worker_rows_logged"
# Set once every worker row went out again with its card code (migration 0005 gave users codes): a
# laptop's rows from before have none, and its card prints no code until it has the server's.
CARD_CODES = "worker_card_codes_logged"


# Set once every household with visits has its row in its grid's review scope (migration 0009 began
# the review): a station's or supervisor's first pull of a database from before finds them all.
REVIEW_ROWS = "review_rows_logged"


def run(s: Session) -> None:
    """Every step not yet run on this database, in the caller's transaction."""
    missing = [key for key in (WORKER_ROWS, CARD_CODES) if s.get(ServerMeta, key) is None]
    if missing:  # one sending of the worker rows serves both steps
        send_worker_rows(s)
        s.add_all(ServerMeta(key=key, value="1") for key in missing)
    if s.get(ServerMeta, REVIEW_ROWS) is None:
        send_review_rows(s)
        s.add(ServerMeta(key=REVIEW_ROWS, value="1"))


def send_review_rows(s: Session) -> None:
    cs = ChangeSet(s)
    visited = select(Visit.household_id).distinct().scalar_subquery()
    for hid, grid_id in s.execute(
        select(Household.id, Household.grid_id).where(Household.id.in_(visited), Household.deleted_at.is_(None))
    ):
        cs.upsert(review_scope(grid_id), "review", hid)
    cs.flush()


def send_worker_rows(s: Session) -> None:
    cs = ChangeSet(s)
    for grid_id, user_id in s.execute(
        select(GridAssignment.grid_id, GridAssignment.user_id).where(GridAssignment.until.is_(None))
    ):
        cs.upsert(grid_scope(grid_id), "worker", user_id)
    cs.flush()
