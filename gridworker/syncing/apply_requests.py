"""Applying resident requests' flow (issue 13) as the server sends it: a household's requests with
their flow columns and events (grid scopes), and a department's work orders ("d:<department>" scopes).

Status belongs to the server: the local rows take what the pull brings. The one local mark is
``pending_step``: this laptop's step still waiting in the outbox. It stays while the outbox holds a
pending ``request.step`` for that request (a household with unsent work is skipped anyway; a
department's work order has no household, so the mark is kept here), and is cleared otherwise.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from gridworker.store.models import Outbox, RequestEvent, ResidentRequest, Visit, WorkOrder
from gridworker_shared.codec import COLUMNS, HouseholdRecord, unpack_id
from gridworker_shared.codec.requests import RequestEventRecord, decode_work_order, encode_request_event

STEP_KIND = "request.step"

# status belongs to the server; the request's origin (household, visit, category) never changes
_FLOW_COLUMNS = (
    "status",
    "status_note",
    "version",
    "description",
    "urgency",
    "due_on",
    "department_id",
    "dispatched_at",
    "deadline_at",
    "closed_at",
    "on_spot",
    "bounces",
    "reopens",
    "failed_callbacks",
    "resolved",
    "satisfaction",
    "merged_into",
    "pending_step",
)
# every column of the wire's row but the id (gridworker_shared.codec.requests), and this laptop's mark
_WORK_ORDER_COLUMNS = (*COLUMNS["work_order"][1:], "pending_step")


def _upsert(model: Any, columns: tuple[str, ...]) -> Any:
    stmt = insert(model)
    return stmt.on_conflict_do_update(index_elements=["id"], set_={k: stmt.excluded[k] for k in columns})


_REQUEST_UPSERT = _upsert(ResidentRequest, _FLOW_COLUMNS)
_WORK_ORDER_UPSERT = _upsert(WorkOrder, _WORK_ORDER_COLUMNS)


def _naive(when: dt.datetime | None) -> dt.datetime | None:
    return None if when is None else when.astimezone(dt.UTC).replace(tzinfo=None)


def pending_steps(s: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The step each request still has waiting in this laptop's outbox (the latest one)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = s.execute(
        select(Outbox.entity_id, Outbox.payload)
        .where(Outbox.kind == STEP_KIND, Outbox.state == "pending", Outbox.entity_id.in_(ids))
        .order_by(Outbox.seq)
    )
    return {entity: str(payload.get("step", "")) for entity, payload in rows}


def _event(request_id: uuid.UUID, e: RequestEventRecord) -> dict[str, Any]:
    return {
        "id": e.id,
        "request_id": request_id,
        "step": e.step[:16],
        "actor_id": e.actor_id,
        "at": _naive(e.at),
        "status": e.status[:16],
        "note": e.note,
        "data": dict(e.data),
    }


def upsert_requests(s: Session, h: HouseholdRecord, visits: set[uuid.UUID]) -> None:
    """A household's requests as the server has them, each with its events (replaced: the server's
    list is the whole history)."""
    if not h.requests:
        return
    waiting = pending_steps(s, [q.id for q in h.requests])
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for q in h.requests:
        visit = q.visit_id
        if visit is not None and visit not in visits:
            visit = s.scalar(select(Visit.id).where(Visit.id == visit))
        rows.append(
            {
                "id": q.id,
                "household_id": h.id,
                "visit_id": visit,
                "category": q.category or "other",
                "description": q.description,
                "urgency": q.urgency or "normal",
                "due_on": q.due_on or dt.date.today(),
                "status": q.status or "submitted",
                "status_note": q.status_note,
                "version": q.version or 1,
                "department_id": q.department_id,
                "dispatched_at": _naive(q.dispatched_at),
                "deadline_at": _naive(q.deadline_at),
                "closed_at": _naive(q.closed_at),
                "on_spot": q.on_spot,
                "bounces": q.bounces,
                "reopens": q.reopens,
                "failed_callbacks": q.failed_callbacks,
                "resolved": q.resolved,
                "satisfaction": q.satisfaction,
                "merged_into": q.merged_into,
                "pending_step": waiting.get(q.id, ""),
            }
        )
        events += [_event(q.id, e) for e in q.events]
    s.execute(_REQUEST_UPSERT, rows)
    s.execute(delete(RequestEvent).where(RequestEvent.request_id.in_([q.id for q in h.requests])))
    if events:
        s.execute(insert(RequestEvent).on_conflict_do_nothing(), events)


def drop_request_events(s: Session, household_ids: Sequence[uuid.UUID]) -> None:
    """The events of the households' requests (before the requests themselves go)."""
    requests = select(ResidentRequest.id).where(ResidentRequest.household_id.in_(list(household_ids)))
    s.execute(delete(RequestEvent).where(RequestEvent.request_id.in_(requests)))


# -- a department's work orders -------------------------------------------------------------------


def apply_work_orders(s: Session, raw_rows: list[list[Any]]) -> int:
    """Work orders of the departments' scopes; a row the codec refuses is left out. Returns how many."""
    orders = []
    for raw in raw_rows:
        try:
            orders.append(decode_work_order(raw))
        except ValueError:  # WireError, or an id that is not one
            continue
    if not orders:
        return 0
    waiting = pending_steps(s, [o.id for o in orders])
    s.execute(
        _WORK_ORDER_UPSERT,
        [
            {
                "id": o.id,
                "department_id": o.department_id,
                "address": o.address[:300],
                "contact_name": o.contact_name[:50],
                "contact_phone": o.contact_phone[:32],
                "category": o.category[:32] or "other",
                "description": o.description,
                "urgency": o.urgency[:16] or "normal",
                "status": o.status[:16],
                "dispatched_at": _naive(o.dispatched_at),
                "deadline_at": _naive(o.deadline_at),
                "bounces": o.bounces,
                "reopens": o.reopens,
                "events": [encode_request_event(e) for e in o.events],
                "pending_step": waiting.get(o.id, ""),
            }
            for o in orders
        ],
    )
    return len(orders)


def remove_work_orders(s: Session, department: uuid.UUID, entities: dict[str, list[str]]) -> None:
    """Work orders the department's scope no longer holds (reassigned, bounced, archived)."""
    ids = [i for i in (unpack_id(x) for x in entities.get("work_order", []) if x) if i is not None]
    if ids:
        s.execute(delete(WorkOrder).where(WorkOrder.id.in_(ids), WorkOrder.department_id == department))


def drop_department_scope(s: Session, department: uuid.UUID) -> None:
    """A department's scope reset or left: its work orders go (a reset sends them again)."""
    s.execute(delete(WorkOrder).where(WorkOrder.department_id == department))
