"""A street set up without the demo (admins only): the org tree and the users imported from the
district's spreadsheets (.xlsx or .csv, the file as the body, like the roster import). The answer
reports per row what will be (or was) done and what is wrong; a dry run changes nothing, and a file
with any row in error changes nothing either. The user import's answer carries the initial passwords
of the users it created: shown once, never stored in clear."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, only, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.errors import ApiError
from gridworker_server.orgs import import_orgs, import_users

router = APIRouter(tags=["admin"], route_class=GzipRoute)


async def file_body(request: Request) -> bytes:
    """The uploaded file; a request without one (or with an empty one) is refused."""
    data = await request.body()
    if not data:
        raise ApiError(400, "empty_body", "The request carries no file: send the spreadsheet as the body.")
    return data


_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post("/admin/orgs/import", openapi_extra=_BODY)
async def orgs_import(
    request: Request,
    p: CurrentPrincipal,
    db: DatabaseDep,
    filename: Annotated[str, Query(min_length=1, max_length=200)],
    dry_run: bool = True,
) -> dict[str, Any]:
    """Import the org tree (city to micro-grid, by statistical code, with each micro-grid's liaison)."""
    only(p, "admin")
    data = await file_body(request)

    def work(s: Session) -> dict[str, Any]:
        return import_orgs(s, p, data, filename, dry_run=dry_run).to_dict()

    result: dict[str, Any] = await run_in_threadpool(retrying, db, work)
    return result


@router.post("/admin/users/import", openapi_extra=_BODY)
async def users_import(
    request: Request,
    p: CurrentPrincipal,
    db: DatabaseDep,
    filename: Annotated[str, Query(min_length=1, max_length=200)],
    dry_run: bool = True,
) -> dict[str, Any]:
    """Import users (user name, name, role, org unit code, mobile, grids); ``passwords``: the initial
    password of each user created, to hand out once (each must change it at the first sign-in)."""
    only(p, "admin")
    data = await file_body(request)

    def work(s: Session) -> dict[str, Any]:
        report = import_users(s, p, data, filename, dry_run=dry_run)
        return {**report.to_dict(), "passwords": report.passwords}

    result: dict[str, Any] = await run_in_threadpool(retrying, db, work)
    return result
