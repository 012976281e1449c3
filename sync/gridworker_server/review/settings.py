"""A street's settings (``OrgUnit.settings`` of the street, read through ``StreetSettings``): the
flags' thresholds, the back-checks' rate, the coverage goal. A grid takes its street's."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, literal, select
from sqlalchemy.orm import Session

from gridworker_server.auth import Principal, descendants, grids_of
from gridworker_server.changes import ChangeSet
from gridworker_server.driver import first_row
from gridworker_server.errors import ApiError
from gridworker_server.models import OrgUnit
from gridworker_shared.domain.review import ReviewError, StreetSettings
from gridworker_shared.protocol import grid_scope


class Streets:
    """Each grid's street and its settings, read once per transaction (a push asks for every visit):
    one query per grid walks up the org tree to its street (a city has thousands of units; reading
    them all per push was a seventh of a push's CPU at 64 devices)."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self._settings: dict[uuid.UUID | None, StreetSettings] = {}
        self._street: dict[uuid.UUID, uuid.UUID | None] = {}

    def street_id(self, grid_id: uuid.UUID) -> uuid.UUID | None:
        if grid_id not in self._street:
            row = first_row(self.s.connection(), _STREET_OF, {"unit": grid_id})
            street = row[0] if row is not None else None
            self._street[grid_id] = street
            if street is not None and street not in self._settings:
                self._settings[street] = StreetSettings.from_dict(row[1] if row is not None else None)
        return self._street[grid_id]

    def settings(self, grid_id: uuid.UUID) -> StreetSettings:
        street = self.street_id(grid_id)
        if street not in self._settings:  # no street above the grid: the defaults
            self._settings[street] = StreetSettings.from_dict(None)
        return self._settings[street]


# the street above an org unit (itself if it is one) and its settings; org trees are a handful of
# levels deep, and a cycle in a damaged tree ends at 16
_UP = (
    select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.settings, literal(0).label("depth"))
    .where(OrgUnit.id == bindparam("unit"))
    .cte("up", recursive=True)
)
_UP = _UP.union_all(
    select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.settings, (_UP.c.depth + 1).label("depth"))
    .join(_UP, OrgUnit.id == _UP.c.parent_id)
    .where(_UP.c.kind != "street", _UP.c.depth < 16)
)
_STREET_OF = select(_UP.c.id, _UP.c.settings).where(_UP.c.kind == "street").order_by(_UP.c.depth).limit(1)


# --- reading and setting them (GET/PUT /v1/streets/{street_id}/settings) ---------------------------


def _street_in_area(s: Session, p: Principal, street_id: uuid.UUID, *, change: bool) -> OrgUnit:
    """The street if the principal may read (``change`` False: any reviewer whose area lies in it)
    or set (a supervisor over it, or an admin) its settings; 403 for other roles, 404 for a street
    elsewhere (an unknown street and one outside the area look the same)."""
    allowed = ("supervisor", "admin") if change else ("station", "supervisor", "admin")
    if p.role not in allowed:
        raise ApiError(403, "forbidden", "Your role may not do this.")
    street = s.get(OrgUnit, street_id)
    if street is None or street.kind != "street":
        raise ApiError(404, "street_unknown", "No such street in your area.")
    if p.role == "admin":
        return street
    if p.org_unit_id is None:
        raise ApiError(404, "street_unknown", "No such street in your area.")
    if change:
        inside = street_id in descendants(s, p.org_unit_id)
    else:
        inside = bool(grids_of(s, p) & set(_grids_under(s, street_id)))
    if not inside:
        raise ApiError(404, "street_unknown", "No such street in your area.")
    return street


def _grids_under(s: Session, street_id: uuid.UUID) -> list[uuid.UUID]:
    under = descendants(s, street_id)
    return list(s.scalars(select(OrgUnit.id).where(OrgUnit.kind == "grid", OrgUnit.id.in_(under))))


def read_settings(s: Session, p: Principal, street_id: uuid.UUID) -> dict[str, Any]:
    street = _street_in_area(s, p, street_id, change=False)
    return StreetSettings.from_dict(street.settings).to_dict()


def set_settings(s: Session, p: Principal, street_id: uuid.UUID, data: Any) -> dict[str, Any]:
    """Replace the street's settings (keys left out take their defaults); refused whole when any
    value is wrong (422 ``settings_invalid`` naming it). The street's org unit row goes out again to
    every grid scope under it, so the laptops' flags and goals follow."""
    street = _street_in_area(s, p, street_id, change=True)
    try:
        st = StreetSettings.validated(data)
    except ReviewError as exc:
        raise ApiError(422, "settings_invalid", f"Invalid street settings: {exc}.", **exc.params) from exc
    street.settings = {key: value for key, value in st.to_dict().items() if key in data}
    cs = ChangeSet(s)
    for grid_id in _grids_under(s, street_id):
        cs.upsert(grid_scope(grid_id), "org_unit", street.id)
    s.flush()
    cs.flush()
    return st.to_dict()
