"""Departments: org units of kind "department" under a street (城管执法, 住建, 消防救援 ...), whose
users (role "department", org unit the department) sign and close the orders dispatched to them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet
from gridworker_server.errors import ApiError, text_field
from gridworker_server.models import OrgUnit
from gridworker_shared.protocol import grid_scope

KIND = "department"


def street_by_code(s: Session, code: str) -> OrgUnit:
    unit = s.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None or unit.kind != "street":
        raise ApiError(404, "street_unknown", f"No street with code {code}.", code=code)
    return unit


def create_department(s: Session, street_code: str, code: str, name: str) -> OrgUnit:
    """A department of the street; its code is unique among all org units."""
    street = street_by_code(s, street_code)
    text_field("name", name)
    if not code.strip() or len(code) > 32 or not name.strip():
        raise ApiError(422, "department_invalid", "A department needs a code (at most 32 characters) and a name.")
    if s.scalar(select(OrgUnit.id).where(OrgUnit.code == code.strip())) is not None:
        raise ApiError(409, "org_unit_exists", f"An org unit with code {code} exists.", code=code)
    unit = OrgUnit(id=uuid.uuid4(), code=code.strip(), name=name.strip(), kind=KIND, parent_id=street.id)
    s.add(unit)
    s.flush()
    share_with_grids(s, street.id, [unit.id])
    return unit


def share_with_grids(s: Session, street_id: uuid.UUID, departments: list[uuid.UUID]) -> None:
    """Departments travel in the grid scopes of their street (a station dispatches to them by name, a
    worker and a supervisor see whose an order is): one org unit row in each grid's scope."""
    communities = select(OrgUnit.id).where(OrgUnit.parent_id == street_id, OrgUnit.kind == "community")
    grids = s.scalars(select(OrgUnit.id).where(OrgUnit.kind == "grid", OrgUnit.parent_id.in_(communities))).all()
    cs = ChangeSet(s)
    for grid in grids:
        for department in departments:
            cs.upsert(grid_scope(grid), "org_unit", department)
    cs.flush()


def departments_of(s: Session, street_id: uuid.UUID) -> list[OrgUnit]:
    return list(
        s.scalars(select(OrgUnit).where(OrgUnit.kind == KIND, OrgUnit.parent_id == street_id).order_by(OrgUnit.code))
    )


def check_department_user(role: str, unit: OrgUnit | None) -> None:
    """A department user belongs to a department, and only a department user does."""
    if (role == "department") != (unit is not None and unit.kind == KIND):
        raise ApiError(
            422,
            "department_user_org",
            "A department user's org unit is a department, and a department holds only department users.",
        )
