"""What the request screens read, on the standard library's sqlite3 like gridworker.store.reads: the
households with a call-back due (Today), a household's requests awaiting their call-back (the visit
form), each request's flow and history (the household panel), and a department's work orders.

A call-back is due when a request of the household is closed (办结, or 即办) and this laptop has not
taken a step of it yet (``pending_step``): the resident's verdict decides whether it is archived or
reopened, and the server's answer comes with the next sync."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from gridworker_shared.domain.request_flow import LEGACY_STATUSES, RUNNING

# statuses, as stored, of a request awaiting its call-back (a legacy "resolved" reads as closed)
CALLBACK_STATUSES = ("closed", "resolved")
_CALLBACK_SQL = "r.status IN ('closed', 'resolved') AND r.pending_step = ''"
# stored statuses whose clock runs (a legacy "assigned" / "in_progress" reads as dispatched / signed)
RUNNING_STORED = tuple(sorted({*RUNNING, *(old for old, new in LEGACY_STATUSES.items() if new in RUNNING)}))


def _stamp(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class CallbackHousehold:
    """A household on Today's call-back list, with its oldest request awaiting the call-back."""

    household_id: uuid.UUID
    compound: str
    building: str
    unit: str
    room: str
    head_name: str
    phone: str
    requests: int  # how many of its requests await a call-back
    category: str  # the oldest one's
    closed_at: dt.datetime | None  # UTC


@dataclass(frozen=True)
class CallbackRequest:
    """A request the visit form asks the resident about."""

    id: uuid.UUID
    category: str
    description: str
    closed_at: dt.datetime | None
    on_spot: bool
    failed_callbacks: int
    last_note: str  # what the department (or the 即办) said it did


@dataclass(frozen=True)
class FlowEvent:
    step: str
    at: dt.datetime  # UTC
    status: str
    note: str
    data: dict[str, Any]


@dataclass(frozen=True)
class RequestFlow:
    id: uuid.UUID
    category: str
    description: str
    status: str
    department: str  # its name, "" when not dispatched (or not known here)
    dispatched_at: dt.datetime | None
    deadline_at: dt.datetime | None
    bounces: int
    reopens: int
    resolved: bool | None
    satisfaction: str
    pending_step: str
    events: tuple[FlowEvent, ...]

    def overdue(self, now: dt.datetime) -> bool:
        """Past its deadline while the clock runs (``now`` naive UTC)."""
        return self.status in RUNNING_STORED and self.deadline_at is not None and now > self.deadline_at


@dataclass(frozen=True)
class WorkOrderRow:
    id: uuid.UUID
    address: str
    contact_name: str
    contact_phone: str
    category: str
    description: str
    urgency: str
    status: str
    dispatched_at: dt.datetime | None
    deadline_at: dt.datetime | None  # UTC
    bounces: int
    reopens: int
    pending_step: str
    events: tuple[FlowEvent, ...]

    def overdue(self, now: dt.datetime) -> bool:
        return self.status in RUNNING_STORED and self.deadline_at is not None and now > self.deadline_at


def callbacks_due(con: sqlite3.Connection) -> list[CallbackHousehold]:
    """Households with a call-back due, in walking order."""
    rows = con.execute(
        "SELECT h.id, h.compound, h.building, h.unit, h.room, h.head_name, h.phone, count(*) AS n, "
        "min(coalesce(r.closed_at, r.created_at)) AS closed_at, "
        "(SELECT r2.category FROM resident_request r2 WHERE r2.household_id = h.id "
        f"AND {_CALLBACK_SQL.replace('r.', 'r2.')} ORDER BY coalesce(r2.closed_at, r2.created_at) LIMIT 1) AS category "
        f"FROM resident_request r JOIN household h ON h.id = r.household_id WHERE {_CALLBACK_SQL} "
        "GROUP BY h.id ORDER BY h.walk_key, h.id"
    ).fetchall()
    return [
        CallbackHousehold(
            uuid.UUID(hex=r["id"]),
            r["compound"],
            r["building"],
            r["unit"],
            r["room"],
            r["head_name"],
            r["phone"],
            int(r["n"]),
            r["category"] or "other",
            _stamp(r["closed_at"]),
        )
        for r in rows
    ]


def callbacks_of(con: sqlite3.Connection, household_id: uuid.UUID) -> list[CallbackRequest]:
    """A household's requests awaiting their call-back, oldest closed first."""
    rows = con.execute(
        f"SELECT r.* FROM resident_request r WHERE r.household_id = ? AND {_CALLBACK_SQL} "
        "ORDER BY coalesce(r.closed_at, r.created_at), r.id",
        (household_id.hex,),
    ).fetchall()
    out = []
    for r in rows:
        note = con.execute(
            "SELECT note FROM request_event WHERE request_id = ? AND step IN ('close', 'on_spot') "
            "ORDER BY at DESC LIMIT 1",
            (r["id"],),
        ).fetchone()
        out.append(
            CallbackRequest(
                uuid.UUID(hex=r["id"]),
                r["category"],
                r["description"],
                _stamp(r["closed_at"]),
                bool(r["on_spot"]),
                int(r["failed_callbacks"] or 0),
                note[0] if note else "",
            )
        )
    return out


def _events(con: sqlite3.Connection, request_id: str) -> tuple[FlowEvent, ...]:
    rows = con.execute(
        "SELECT step, at, status, note, data FROM request_event WHERE request_id = ? ORDER BY at, rowid",
        (request_id,),
    ).fetchall()
    return tuple(
        FlowEvent(r["step"], dt.datetime.fromisoformat(r["at"]), r["status"], r["note"], json.loads(r["data"] or "{}"))
        for r in rows
    )


def request_flows(con: sqlite3.Connection, household_id: uuid.UUID) -> list[RequestFlow]:
    """A household's requests with their flow and history, newest first."""
    rows = con.execute(
        "SELECT r.*, d.name AS department FROM resident_request r LEFT JOIN org_unit d ON d.id = r.department_id "
        "WHERE r.household_id = ? ORDER BY r.created_at DESC, r.id",
        (household_id.hex,),
    ).fetchall()
    return [
        RequestFlow(
            uuid.UUID(hex=r["id"]),
            r["category"],
            r["description"],
            r["status"],
            r["department"] or "",
            _stamp(r["dispatched_at"]),
            _stamp(r["deadline_at"]),
            int(r["bounces"] or 0),
            int(r["reopens"] or 0),
            None if r["resolved"] is None else bool(r["resolved"]),
            r["satisfaction"] or "",
            r["pending_step"] or "",
            _events(con, r["id"]),
        )
        for r in rows
    ]


def _order_events(raw: str) -> tuple[FlowEvent, ...]:
    # the wire's codec only here (a department's laptop): the worker's start-up does not load it
    from gridworker_shared.codec.requests import decode_request_event

    out = []
    for row in json.loads(raw or "[]"):
        try:
            e = decode_request_event(row)
        except ValueError:
            continue
        out.append(FlowEvent(e.step, e.at.astimezone(dt.UTC).replace(tzinfo=None), e.status, e.note, dict(e.data)))
    return tuple(sorted(out, key=lambda e: e.at))


OPEN_ORDER_STATUSES = ("dispatched", "signed", "assigned", "in_progress")


def work_orders(con: sqlite3.Connection, open_only: bool = True) -> list[WorkOrderRow]:
    """The department's work orders by deadline (the most pressing first; none last)."""
    where = f"WHERE status IN ({','.join('?' * len(OPEN_ORDER_STATUSES))})" if open_only else ""
    rows = con.execute(
        f"SELECT * FROM work_order {where} ORDER BY deadline_at IS NULL, deadline_at, id",
        OPEN_ORDER_STATUSES if open_only else (),
    ).fetchall()
    return [
        WorkOrderRow(
            uuid.UUID(hex=r["id"]),
            r["address"],
            r["contact_name"],
            r["contact_phone"],
            r["category"],
            r["description"],
            r["urgency"],
            r["status"],
            _stamp(r["dispatched_at"]),
            _stamp(r["deadline_at"]),
            int(r["bounces"] or 0),
            int(r["reopens"] or 0),
            r["pending_step"] or "",
            _order_events(r["events"]),
        )
        for r in rows
    ]


def department_names(con: sqlite3.Connection) -> dict[uuid.UUID, str]:
    """The departments this laptop knows (org units of kind "department"), by id."""
    rows = con.execute("SELECT id, name FROM org_unit WHERE kind = 'department' ORDER BY code, name").fetchall()
    return {uuid.UUID(hex=r["id"]): r["name"] for r in rows}


__all__ = [
    "CALLBACK_STATUSES",
    "CallbackHousehold",
    "CallbackRequest",
    "FlowEvent",
    "RequestFlow",
    "WorkOrderRow",
    "callbacks_due",
    "callbacks_of",
    "department_names",
    "request_flows",
    "work_orders",
]
