"""A resident request's flow on the wire (gridworker_shared.domain.request_flow): its events, which
travel with the request in its household's aggregate (grid scopes), and a department's work order
("d:<department>" scopes), which carries what a department needs without the household's members.

An event's extras (a bounce's reason and whose, a call-back's answers, an extension's days, the
department dispatched to, the request merged into) travel as a small dict: they differ by step."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from gridworker_shared.codec.wire import (
    Row,
    WireError,
    instant,
    need_id,
    pack_id,
    pad,
    read_id,
    readable,
    seconds,
    trim,
)


class RequestEventRecord(NamedTuple):
    id: uuid.UUID
    step: str  # gridworker_shared.domain.request_flow.STEPS, or "create"
    actor_id: uuid.UUID | None
    at: dt.datetime
    status: str  # the request's status after it
    note: str
    data: dict[str, Any]


def encode_request_event(e: RequestEventRecord) -> Row:
    return trim([pack_id(e.id), e.step, pack_id(e.actor_id), seconds(e.at), e.status, e.note, e.data])


def decode_request_event(row: Sequence[Any]) -> RequestEventRecord:
    eid, step, actor, at, status, note, data = pad(row, 7)
    if not step or at is None:
        raise WireError("a request event without its step or time")
    return RequestEventRecord(
        need_id(eid, "id"),
        step,
        read_id(actor),
        instant(at),
        status or "",
        note or "",
        data if isinstance(data, dict) else {},
    )


def maybe_instant(value: Any) -> dt.datetime | None:
    return None if value is None else instant(value)


def maybe_seconds(value: dt.datetime | None) -> int | None:
    return None if value is None else seconds(value)


class WorkOrderRecord(NamedTuple):
    """A request dispatched to a department, as the department's laptop holds it."""

    id: uuid.UUID  # the request
    department_id: uuid.UUID
    address: str  # community, grid, compound, building, unit, room in one line
    contact_name: str
    contact_phone: str
    category: str
    description: str
    urgency: str
    status: str
    dispatched_at: dt.datetime | None
    deadline_at: dt.datetime | None
    bounces: int
    reopens: int
    events: list[RequestEventRecord]


def encode_work_order(o: WorkOrderRecord) -> Row:
    return trim(
        [
            pack_id(o.id),
            pack_id(o.department_id),
            o.address,
            o.contact_name,
            o.contact_phone,
            o.category,
            o.description,
            o.urgency,
            o.status,
            maybe_seconds(o.dispatched_at),
            maybe_seconds(o.deadline_at),
            o.bounces,
            o.reopens,
            [encode_request_event(e) for e in o.events],
        ]
    )


def decode_work_order(row: Sequence[Any]) -> WorkOrderRecord:
    (oid, dept, address, name, phone, category, description, urgency, status, sent, due, bounces, reopens, events) = (
        pad(row, 14)
    )
    return WorkOrderRecord(
        need_id(oid, "id"),
        need_id(dept, "department"),
        address or "",
        name or "",
        phone or "",
        category or "",
        description or "",
        urgency or "",
        status or "",
        maybe_instant(sent),
        maybe_instant(due),
        bounces or 0,
        reopens or 0,
        readable(decode_request_event, events),
    )


__all__ = [
    "RequestEventRecord",
    "WorkOrderRecord",
    "decode_request_event",
    "decode_work_order",
    "encode_request_event",
    "encode_work_order",
    "read_id",
]
