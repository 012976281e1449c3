"""A street's departments (城管执法, 住建 ...): the admin adds them; their users are created as any user,
with the role ``department`` and the department's code as their org unit."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, only, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import RequestBody
from gridworker_server.flow.departments import create_department, departments_of, street_by_code

router = APIRouter(tags=["admin"], route_class=GzipRoute)


class DepartmentCreate(RequestBody):
    street_code: str = Field(min_length=1, max_length=32)
    code: str = Field(min_length=1, max_length=32, description="the department's own org unit code")
    name: str = Field(min_length=1, max_length=100)


class DepartmentInfo(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    street_id: uuid.UUID | None


@router.post("/departments", response_model=DepartmentInfo, status_code=201)
def add(body: DepartmentCreate, p: CurrentPrincipal, db: DatabaseDep) -> DepartmentInfo:
    only(p, "admin")

    def work(s: Session) -> DepartmentInfo:
        unit = create_department(s, body.street_code, body.code, body.name)
        return DepartmentInfo(id=unit.id, code=unit.code, name=unit.name, street_id=unit.parent_id)

    return retrying(db, work)


@router.get("/streets/{street_code}/departments", response_model=list[DepartmentInfo])
def listed(street_code: str, p: CurrentPrincipal, db: DatabaseDep) -> list[DepartmentInfo]:
    """A street's departments, for whoever dispatches there (a station, a supervisor, the admin)."""
    only(p, "admin", "supervisor", "station")
    with db.read() as s:
        street = street_by_code(s, street_code)
        return [
            DepartmentInfo(id=u.id, code=u.code, name=u.name, street_id=u.parent_id)
            for u in departments_of(s, street.id)
        ]
