"""The city platform's feed of a street's requests (12345 / 一网统管): the requests changed since a
cursor, in keyset pages over the street's feed scope ("q:<street>") of the change log, whose versions
follow commit order as the pull's do; and the platform's updates (签收, 退单, 处置, 办结) applied through
the same state machine as role "platform", idempotent by the platform's own event id."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet
from gridworker_server.errors import ApiError
from gridworker_server.flow.apply import Actor, take, touch
from gridworker_server.flow.feed_rows import feed_items
from gridworker_server.flow.rows import event_id
from gridworker_server.flow.state import Step
from gridworker_server.models import ApiKey, ChangeLog, Household, RequestEvent, ResidentRequest, utcnow
from gridworker_server.review.settings import Streets
from gridworker_shared.domain.request_flow import FlowError
from gridworker_shared.protocol import feed_scope

# the HTTP status of each refusal of the flow (the others: 422)
_STATUS = {"request_unknown": 404, "request_out_of_area": 404, "request_step_forbidden": 403}
_STATUS.update(request_step_not_allowed=409)


def page(s: Session, key: ApiKey, cursor: int, limit: int) -> dict[str, Any]:
    cl = ChangeLog.__table__.c
    rows = s.execute(
        select(cl.entity_id, cl.version)
        .where(cl.scope == feed_scope(key.street_id), cl.entity == "request", cl.version > cursor)
        .order_by(cl.version)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = feed_items(s, [r.entity_id for r in rows], utcnow())
    return {
        "requests": [items[r.entity_id] for r in rows if r.entity_id in items],
        "next_cursor": rows[-1].version if rows else cursor,
        "more": more,
    }


def post_event(s: Session, key: ApiKey, request_id: uuid.UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Apply the platform's update once: the same external id again answers what it did the first time;
    the same id with other content is a 409."""
    external = f"{key.street_id.hex[:8]}:{body['external_event_id']}"
    wanted = Step(body["step"], note=body.get("note", ""), reason=body.get("reason", ""), whose=body.get("whose", ""))
    before = s.scalar(select(RequestEvent).where(RequestEvent.external_event_id == external))
    if before is not None:
        same = (before.request_id, before.command, before.note, before.data) == (
            request_id,
            wanted.step,
            wanted.note.strip(),
            wanted.extras(),
        )
        if not same:
            raise ApiError(
                409, "feed_event_conflict", "This external event id was already used for another update.", id=external
            )
        return _answer(s, before, replayed=True)
    changes = ChangeSet(s)
    try:
        _request, event = take(
            s, changes, Actor("platform", None, key.street_id, via="platform"), request_id, wanted,
            event_id=uuid.uuid4(), external_event_id=external,
        )  # fmt: skip
    except FlowError as exc:
        params: dict[str, Any] = dict(exc.params)
        raise ApiError(_STATUS.get(exc.code, 422), exc.code, str(exc), **params) from exc
    s.flush()
    changes.flush()
    return _answer(s, event, replayed=False)


def link(s: Session, key: ApiKey, request_id: uuid.UUID, external_id: str) -> dict[str, Any]:
    """Record the platform's own id of a request (its ticket number)."""
    request = s.get(ResidentRequest, request_id, with_for_update=True)
    h = s.get(Household, request.household_id) if request is not None else None
    streets = Streets(s)
    street = streets.street_id(h.grid_id) if h is not None else None
    if request is None or h is None or street != key.street_id:
        raise ApiError(404, "request_unknown", "The request does not exist on the server.")
    if request.external_id != external_id:
        if request.external_id is not None:
            raise ApiError(409, "feed_link_conflict", "The request is linked to another external id.")
        holder = s.scalar(select(ResidentRequest.id).where(ResidentRequest.external_id == external_id))
        if holder is not None:
            raise ApiError(409, "feed_link_conflict", "The external id is linked to another request.")
        request.external_id = external_id
        request.version += 1
        changes = ChangeSet(s)
        touch(changes, request, h, street)
        s.flush()
        changes.flush()
    return feed_items(s, [request.id], utcnow())[request.id]


def _answer(s: Session, event: RequestEvent, *, replayed: bool) -> dict[str, Any]:
    item = feed_items(s, [event.request_id], utcnow())[event.request_id]
    return {"event_id": str(event_id(event)), "status": event.to_status, "replayed": replayed, "request": item}
