"""What a supervisor reviews: the conflicts the server resolved and the visit log of a grid."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from gridworker_server import auth
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, grid_in_area, only
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import ConflictInfo, VisitInfo, conflict_info, visit_info
from gridworker_server.models import Conflict, Household, Visit

router = APIRouter(tags=["supervisor"], route_class=GzipRoute)


@router.get("/conflicts", response_model=list[ConflictInfo])
def conflicts(
    p: CurrentPrincipal, db: DatabaseDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[ConflictInfo]:
    with db.read() as s:
        stmt = select(Conflict).order_by(Conflict.created_at.desc()).limit(limit)
        if p.role == "worker":
            stmt = stmt.where(Conflict.user_id == p.user_id)
        else:
            grids = auth.grids_of(s, p)
            stmt = stmt.join(Household, Household.id == Conflict.household_id).where(Household.grid_id.in_(grids))
        return [conflict_info(c) for c in s.scalars(stmt)]


@router.get("/visits", response_model=list[VisitInfo])
def visits(
    p: CurrentPrincipal,
    db: DatabaseDep,
    grid: Annotated[str, Query(max_length=32)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[VisitInfo]:
    """The synced visit log of one grid, newest first, for review."""
    only(p, "admin", "supervisor", "station")
    with db.read() as s:
        unit = grid_in_area(s, p, grid)
        rows = s.scalars(
            select(Visit)
            .join(Household, Household.id == Visit.household_id)
            .where(Household.grid_id == unit.id)
            .order_by(Visit.received_at.desc())
            .limit(limit)
        )
        return [visit_info(v) for v in rows]
