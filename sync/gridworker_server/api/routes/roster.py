"""Household rosters (.xlsx or .csv) imported into a grid."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.roster import importing as roster_import

router = APIRouter(tags=["roster"], route_class=GzipRoute)


@router.post(
    "/roster/import",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def roster_import_(
    request: Request,
    p: CurrentPrincipal,
    db: DatabaseDep,
    grid: Annotated[str, Query(min_length=1, max_length=32)],
    filename: Annotated[str, Query(min_length=1, max_length=200)],
    dry_run: bool = True,
    allow_partial: bool = False,
) -> dict[str, Any]:
    """Import a household roster (.xlsx or .csv, the file as the body) into a grid. The answer reports
    per row what will be (or was) imported and what is wrong; a dry run changes nothing."""
    data = await request.body()

    def work(s: Session) -> dict[str, Any]:
        return roster_import.import_roster(s, p, grid, data, filename, dry_run=dry_run, allow_partial=allow_partial)

    result: dict[str, Any] = await run_in_threadpool(retrying, db, work)
    return result
