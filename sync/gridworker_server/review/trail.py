"""The access trail read back (issue 14): who revealed, exported or printed residents' personal data,
for a supervisor (their street: the events of its households and of its users) or an admin
(everything). Newest first, by when it happened (the laptop's clock), in keyset pages: a page ends
with the cursor of its last event, and the next page starts after it. Used by ``GET /v1/access-trail``
and ``gridworker-server access-trail``."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from gridworker_server.auth import Principal, descendants, grids_of
from gridworker_server.errors import ApiError
from gridworker_server.models import AccessEvent, Household, OrgUnit, User
from gridworker_shared.domain.masking import ACTIONS
from gridworker_shared.domain.usernames import normalize_username

READERS = ("supervisor", "admin")
MAX_PAGE = 500


@dataclass(frozen=True)
class TrailFilter:
    since: dt.datetime | None = None  # at or after (aware, or naive UTC)
    until: dt.datetime | None = None  # before
    user: str = ""  # a username or a user id
    household: uuid.UUID | None = None
    action: str = ""


@dataclass(frozen=True)
class TrailEvent:
    id: uuid.UUID
    at: dt.datetime
    received_at: dt.datetime
    user_id: uuid.UUID
    username: str
    user_name: str
    role: str
    action: str
    household_id: uuid.UUID | None
    address: str  # the household's address (its area's reader holds it anyway), "" without one
    grid: str
    person_id: uuid.UUID | None
    field: str
    what: str
    rows: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "at": _utc(self.at).isoformat(),
            "received_at": _utc(self.received_at).isoformat(),
            "user_id": str(self.user_id),
            "username": self.username,
            "user_name": self.user_name,
            "role": self.role,
            "action": self.action,
            "household_id": None if self.household_id is None else str(self.household_id),
            "address": self.address,
            "grid": self.grid,
            "person_id": None if self.person_id is None else str(self.person_id),
            "field": self.field,
            "what": self.what,
            "rows": self.rows,
        }


def _utc(when: dt.datetime) -> dt.datetime:
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _naive(when: dt.datetime) -> dt.datetime:
    return _utc(when).replace(tzinfo=None)


def encode_cursor(event: TrailEvent) -> str:
    text = f"{_naive(event.at).isoformat()}|{event.id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, eid = text.partition("|")
        return dt.datetime.fromisoformat(at), uuid.UUID(eid)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_cursor", "The page cursor is not one this server gave.") from exc


def page(
    s: Session, p: Principal, f: TrailFilter, cursor: str = "", limit: int = 100
) -> tuple[list[TrailEvent], str | None]:
    """One page of the trail the principal may read, and the cursor of the next (None at the end).
    403 ``forbidden`` for a worker, a station or a department."""
    if p.role not in READERS:
        raise ApiError(403, "forbidden", "Only a supervisor or an admin reads the access trail.")
    if f.action and f.action not in ACTIONS:
        raise ApiError(422, "invalid", f"Unknown action {f.action}.", reason="action", action=f.action)
    e = AccessEvent.__table__.c
    grid = aliased(OrgUnit)
    stmt = (
        select(
            AccessEvent,
            User.username,
            User.name,
            User.role,
            Household.compound,
            Household.building,
            Household.unit,
            Household.room,
            grid.name,
        )
        .join(User, User.id == AccessEvent.user_id)
        .outerjoin(Household, Household.id == AccessEvent.household_id)
        .outerjoin(grid, grid.id == Household.grid_id)
    )
    if p.role != "admin":
        area = descendants(s, p.org_unit_id) if p.org_unit_id is not None else set()
        grids = grids_of(s, p)
        stmt = stmt.where(
            or_(
                e.org_unit_id.in_(area),
                e.household_id.in_(select(Household.id).where(Household.grid_id.in_(grids))),
            )
        )
    if f.since is not None:
        stmt = stmt.where(e.at >= _naive(f.since))
    if f.until is not None:
        stmt = stmt.where(e.at < _naive(f.until))
    if f.user:
        stmt = stmt.where(_user_clause(f.user))
    if f.household is not None:
        stmt = stmt.where(e.household_id == f.household)
    if f.action:
        stmt = stmt.where(e.action == f.action)
    if cursor:
        at, eid = decode_cursor(cursor)
        stmt = stmt.where(or_(e.at < at, and_(e.at == at, e.id < eid)))
    limit = max(1, min(limit, MAX_PAGE))
    rows = s.execute(stmt.order_by(e.at.desc(), e.id.desc()).limit(limit + 1)).all()
    events = [_event(*row) for row in rows[:limit]]
    more = len(rows) > limit
    return events, (encode_cursor(events[-1]) if more and events else None)


def _user_clause(user: str) -> Any:
    try:
        return AccessEvent.user_id == uuid.UUID(user)
    except ValueError:
        return User.username == normalize_username(user)


def _event(
    a: AccessEvent,
    username: str,
    name: str,
    role: str,
    compound: str | None,
    building: str | None,
    unit: str | None,
    room: str | None,
    grid: str | None,
) -> TrailEvent:
    address = " ".join(x for x in (compound, "-".join(y for y in (building, unit, room) if y)) if x)
    return TrailEvent(
        id=a.id,
        at=a.at,
        received_at=a.received_at,
        user_id=a.user_id,
        username=username,
        user_name=name,
        role=role,
        action=a.action,
        household_id=a.household_id,
        address=address,
        grid=grid or "",
        person_id=a.person_id,
        field=a.field,
        what=a.what,
        rows=a.rows,
    )
