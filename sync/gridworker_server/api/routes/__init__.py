"""The routes by area. ``/health`` and ``/ping`` stand outside the API's version window; everything
under ``/v1`` names its protocol version and answers errors as :class:`ErrorBody`."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from gridworker_server.api.deps import check_versions
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.responses import ERRORS
from gridworker_server.api.routes import (
    auth,
    backchecks,
    departments,
    device,
    feed,
    guide,
    households,
    orgs,
    password,
    requests,
    review,
    roster,
    service,
    streets,
    sync,
    trail,
    users,
)

v1 = APIRouter(prefix="/v1", dependencies=[Depends(check_versions)], responses=ERRORS, route_class=GzipRoute)
# push and pull first: a request is matched against the routes in this order, and they are most of them
for area in (
    sync,
    auth,
    password,
    users,
    device,
    households,
    requests,
    review,
    backchecks,
    streets,
    roster,
    guide,
    orgs,
    departments,
    trail,
):
    v1.include_router(area.router)

__all__ = ["feed", "service", "sync", "v1"]
