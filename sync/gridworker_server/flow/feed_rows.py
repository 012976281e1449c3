"""A page of the city feed as JSON, read lean: 500 requests carry about 2,000 events, and turning every
id and time into Python objects only to print them again cost more than the reads. The ids and times
are read as the database's text (SQLite) or the driver's values (PostgreSQL) and printed directly."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import String, bindparam, select, type_coerce
from sqlalchemy.orm import Session

from gridworker_server.flow.rows import Place
from gridworker_server.models import Household, RequestEvent, ResidentRequest
from gridworker_shared.domain.addresses import one_line
from gridworker_shared.domain.request_flow import BOUNCES_FLAGGED, overdue, status_of


class _Reads(NamedTuple):
    requests: Any
    events: Any


def _raw(column: Any) -> Any:
    return type_coerce(column, String).label(column.key)


@functools.cache
def _reads() -> _Reads:
    rt, ht, et = ResidentRequest.__table__.c, Household.__table__.c, RequestEvent.__table__.c
    ids: Any = bindparam("ids", expanding=True)
    requests = (
        select(
            rt.id,
            _raw(rt.id).label("rid"),
            rt.external_id,
            rt.category,
            rt.description,
            rt.urgency,
            rt.status,
            rt.department_id,
            *(_raw(c) for c in (rt.created_at, rt.dispatched_at, rt.deadline_at, rt.closed_at, rt.archived_at)),
            rt.on_spot,
            rt.bounces,
            rt.reopens,
            rt.failed_callbacks,
            rt.resolved,
            rt.satisfaction,
            _raw(rt.merged_into_id),
            ht.grid_id,
            ht.compound,
            ht.building,
            ht.unit.label("h_unit"),
            ht.room,
        )
        .join_from(ResidentRequest.__table__, Household.__table__, ht.id == rt.household_id)
        .where(rt.id.in_(ids))
    )
    events = (
        select(
            _raw(et.request_id),
            et.id,
            _raw(et.event_id),
            et.command,
            et.from_status,
            et.to_status,
            _raw(et.at),
            et.note,
            type_coerce(et.data, String).label("data"),
            et.via,
            et.external_event_id,
        )
        .where(et.request_id.in_(ids))
        .order_by(et.request_id, et.at, et.id)
    )
    return _Reads(requests, events)


def _uid(value: Any) -> str | None:
    """An id as text with dashes (SQLite keeps 32 hex digits; PostgreSQL's driver gives a UUID)."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


def _ts(value: Any) -> str | None:
    """A UTC time as ISO 8601 with its offset (SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" in UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace(" ", "T", 1)
        return text if text.endswith("+00:00") or text.endswith("Z") else text + "+00:00"
    when: dt.datetime = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat()


def _data(value: Any) -> dict[str, Any]:
    if value is None or value == "{}":
        return {}
    loaded = json.loads(value) if isinstance(value, str) else value
    return loaded if isinstance(loaded, dict) else {}


def _events(session: Session, ids: Sequence[uuid.UUID]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    conn = session.connection()
    for start in range(0, len(ids), 500):
        for e in conn.execute(_reads().events, {"ids": list(ids[start : start + 500])}).all():
            out.setdefault(_uid(e.request_id) or "", []).append(
                {
                    "id": _uid(e.event_id) or str(uuid.UUID(int=e.id)),
                    "step": e.command,
                    "from_status": e.from_status,
                    "status": e.to_status,
                    "at": _ts(e.at),
                    "note": e.note,
                    "data": _data(e.data),
                    "via": e.via,
                    "external_event_id": e.external_event_id,
                }
            )
    return out


def feed_items(session: Session, ids: Sequence[uuid.UUID], now: dt.datetime) -> dict[uuid.UUID, dict[str, Any]]:
    """Requests as the city platform reads them (JSON), by id."""
    conn = session.connection()
    rows = [
        r
        for start in range(0, len(ids), 500)
        for r in conn.execute(_reads().requests, {"ids": list(ids[start : start + 500])}).all()
    ]
    events = _events(session, ids)
    place = Place(session)
    out: dict[uuid.UUID, dict[str, Any]] = {}
    for o in rows:
        status = status_of(o.status)
        deadline = _ts(o.deadline_at)
        community, grid = place.names(o.grid_id)
        department = place.units.get(o.department_id) if o.department_id else None
        rid = _uid(o.rid) or ""
        out[o.id] = {
            "id": rid,
            "external_id": o.external_id,
            "category": o.category,
            "description": o.description,
            "urgency": o.urgency,
            "status": status,
            "community": community,
            "grid": grid,
            "address": one_line(community, grid, o.compound, o.building, o.h_unit, o.room),
            "department_id": str(o.department_id) if o.department_id else None,
            "department": department.name if department else None,
            "created_at": _ts(o.created_at),
            "dispatched_at": _ts(o.dispatched_at),
            "deadline_at": deadline,
            "closed_at": _ts(o.closed_at),
            "archived_at": _ts(o.archived_at),
            "overdue": overdue(status, dt.datetime.fromisoformat(deadline) if deadline else None, now),
            "on_spot": bool(o.on_spot),
            "bounces": o.bounces or 0,
            "flagged": (o.bounces or 0) >= BOUNCES_FLAGGED,
            "reopens": o.reopens or 0,
            "failed_callbacks": o.failed_callbacks or 0,
            "resolved": o.resolved,
            "satisfaction": o.satisfaction or None,
            "merged_into": _uid(o.merged_into_id),
            "events": events.get(rid, []),
        }
    return out
