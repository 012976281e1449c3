"""The flow on the wire: a request row with its flow columns and events (households' aggregates), a
department's work order ("d:<department>" scopes), and a request as the city platform's feed gives it."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from gridworker_server.driver import all_rows, among
from gridworker_server.models import Household, OrgUnit, RequestEvent, ResidentRequest
from gridworker_shared.codec import RequestRecord
from gridworker_shared.codec.requests import RequestEventRecord, WorkOrderRecord, encode_work_order
from gridworker_shared.domain.addresses import one_line
from gridworker_shared.domain.request_flow import status_of


class _Reads(NamedTuple):
    events: Any
    orders: Any
    units: Any


@functools.cache
def _reads(dialect: str) -> _Reads:
    """Built once per dialect; a pull's events read runs through the driver on PostgreSQL."""
    et, rt, ht, ot = RequestEvent.__table__, ResidentRequest.__table__, Household.__table__, OrgUnit.__table__
    ids: Any = bindparam("ids", expanding=True)
    return _Reads(
        select(et).where(among(et.c.request_id, "ids", dialect)).order_by(et.c.request_id, et.c.at, et.c.id),
        select(
            rt,
            ht.c.grid_id,
            ht.c.compound,
            ht.c.building,
            ht.c.unit.label("h_unit"),
            ht.c.room,
            ht.c.head_name,
            ht.c.phone,
        )
        .join(ht, ht.c.id == rt.c.household_id)
        .where(rt.c.id.in_(ids)),
        select(ot.c.id, ot.c.name, ot.c.parent_id, ot.c.kind),
    )


def event_id(e: Any) -> uuid.UUID:
    """An event's id: the client's (the mutation's), else one made from its row number (the events of
    earlier versions: a request's creation, a legacy command)."""
    return e.event_id if e.event_id is not None else uuid.UUID(int=e.id)


def _event(e: Any) -> RequestEventRecord:
    return RequestEventRecord(event_id(e), e.command, e.actor_id, _aware(e.at), e.to_status, e.note, dict(e.data or {}))


def events_of(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    out: dict[uuid.UUID, list[Any]] = {}
    conn = session.connection()
    for start in range(0, len(ids), 500):
        for e in all_rows(conn, _reads(conn.dialect.name).events, {"ids": list(ids[start : start + 500])}):
            out.setdefault(e.request_id, []).append(e)
    return out


def request_records(session: Session, rows: Iterable[Any]) -> dict[uuid.UUID, list[RequestRecord]]:
    """A page's request rows as records with their flow and events, per household."""
    rows = list(rows)
    events = events_of(session, [r.id for r in rows])
    out: dict[uuid.UUID, list[RequestRecord]] = {}
    for r in rows:
        out.setdefault(r.household_id, []).append(
            RequestRecord(
                r.id,
                r.visit_id,
                r.category,
                r.description,
                r.urgency,
                r.due_on,
                status_of(r.status),
                r.status_note,
                r.version,
                r.department_id,
                _maybe(r.dispatched_at),
                _maybe(r.deadline_at),
                _maybe(r.closed_at),
                bool(r.on_spot),
                r.bounces or 0,
                r.reopens or 0,
                r.failed_callbacks or 0,
                r.resolved,
                r.satisfaction or "",
                r.merged_into_id,
                [_event(e) for e in events.get(r.id, [])],
            )
        )
    return out


class Place:
    """Org unit names and parents, read once per page: a grid's and its community's names."""

    def __init__(self, session: Session) -> None:
        conn = session.connection()
        self.units = {u.id: u for u in conn.execute(_reads(conn.dialect.name).units)}

    def names(self, grid_id: uuid.UUID) -> tuple[str, str]:
        grid = self.units.get(grid_id)
        community = self.units.get(grid.parent_id) if grid is not None and grid.parent_id else None
        return (community.name if community else "", grid.name if grid else "")


def address_line(place: Place, o: Any) -> str:
    """The address in one line with the community's and grid's names, as a department reads it."""
    community, grid = place.names(o.grid_id)
    return one_line(community, grid, o.compound, o.building, o.h_unit, o.room)


def order_rows(session: Session, ids: Sequence[uuid.UUID]) -> list[Any]:
    conn = session.connection()
    out: list[Any] = []
    for start in range(0, len(ids), 500):
        out.extend(conn.execute(_reads(conn.dialect.name).orders, {"ids": list(ids[start : start + 500])}))
    return out


def work_order_rows(session: Session, ids: Sequence[uuid.UUID]) -> list[list[Any]]:
    """Work orders of a department's scope: what the department needs, none of the household's members."""
    rows = [o for o in order_rows(session, ids) if o.department_id is not None]
    events = events_of(session, [o.id for o in rows])
    place = Place(session)
    return [
        encode_work_order(
            WorkOrderRecord(
                o.id,
                o.department_id,
                address_line(place, o),
                o.head_name or "",
                o.phone or "",
                o.category,
                o.description,
                o.urgency,
                status_of(o.status),
                _maybe(o.dispatched_at),
                _maybe(o.deadline_at),
                o.bounces or 0,
                o.reopens or 0,
                [_event(e) for e in events.get(o.id, [])],
            )
        )
        for o in rows
    ]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _maybe(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else _aware(value)


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()
