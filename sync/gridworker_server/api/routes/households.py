"""What supervisors do to households: edit, move to another grid, remove."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from gridworker_server import admin
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import HouseholdEdit, HouseholdMoveBody, Ok

router = APIRouter(tags=["supervisor"], route_class=GzipRoute)


@router.patch("/households/{household_id}", response_model=Ok)
def edit_household(household_id: uuid.UUID, body: HouseholdEdit, p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    retrying(db, lambda s: admin.edit_household(s, p, household_id, body.changes))
    return Ok()


@router.post("/households/{household_id}/move", response_model=Ok)
def move_household(household_id: uuid.UUID, body: HouseholdMoveBody, p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    retrying(db, lambda s: admin.move_household(s, p, household_id, body.grid_id))
    return Ok()


@router.delete("/households/{household_id}", response_model=Ok)
def remove_household(household_id: uuid.UUID, p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    retrying(db, lambda s: admin.remove_household(s, p, household_id))
    return Ok()
