"""The feed's pending requests (models.FeedPending): a push marks a changed request for its street's
feed here, and the feed's next read takes them into the street's feed scope ("q:<street>"), each once.

Why not bump the feed scope in the push: a scope's counter row is locked from its bump to commit (that
is what keeps versions in commit order), and the feed scope is one row for a whole street, so every
push that touched a request waited for the street's previous one (the peers bench at 64 devices: 36-68
ms a bump, 4-8 backends waiting on that row). An insert of its own key waits for nobody."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet, insert_for
from gridworker_server.models import FeedPending
from gridworker_shared.protocol import feed_scope


def mark(s: Session, street: uuid.UUID, request_id: uuid.UUID) -> None:
    """The request changed: its street's feed takes it in at its next read (once, however often), after
    this transaction commits."""
    # DO UPDATE, not DO NOTHING: the row is then this transaction's until it commits, so a drain that
    # takes it waits for the commit and announces the request after its change (with DO NOTHING a drain
    # could take an earlier mark while this change was uncommitted, and the feed kept the old state)
    conn = s.connection()
    conn.execute(_mark_statement(conn.dialect.name), {"street_id": street, "request_id": request_id})


@functools.cache
def _mark_statement(dialect: str) -> Any:
    """The mark's upsert, built once per dialect (a push runs it for every new request)."""
    insert = insert_for(dialect)(FeedPending.__table__)
    return insert.on_conflict_do_update(
        index_elements=["street_id", "request_id"], set_={"request_id": insert.excluded.request_id}
    )


def waiting(s: Session, street: uuid.UUID) -> bool:
    """Whether the street has pending requests (a read: most feed polls find none, and skip the drain's
    write transaction)."""
    return bool(s.scalar(select(exists().where(FeedPending.street_id == street))))


def drain(s: Session, street: uuid.UUID) -> int:
    """Move the street's pending requests into its feed scope, in this (write) transaction. The DELETE
    takes each row once: a second drain at the same time finds the rows gone when the first commits.
    Returns how many."""
    taken = s.scalars(
        delete(FeedPending).where(FeedPending.street_id == street).returning(FeedPending.request_id)
    ).all()
    if taken:
        changes = ChangeSet(s)
        for request_id in taken:
            changes.upsert(feed_scope(street), "request", request_id)
        changes.flush()
    return len(taken)
