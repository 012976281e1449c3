"""A street's settings: the thresholds of its flags, its back-checks' rate, its coverage goal
(gridworker_shared.domain.review.StreetSettings). Read by the reviewers of its grids; set by a
supervisor over it or an admin."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body

from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.review.settings import read_settings, set_settings

router = APIRouter(tags=["supervisor"], route_class=GzipRoute)


@router.get("/streets/{street_id}/settings")
def street_settings(street_id: uuid.UUID, p: CurrentPrincipal, db: DatabaseDep) -> dict[str, Any]:
    """Every setting of the street, its defaults filled in."""
    with db.read() as s:
        return read_settings(s, p, street_id)


@router.put("/streets/{street_id}/settings")
def put_street_settings(
    street_id: uuid.UUID, p: CurrentPrincipal, db: DatabaseDep, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Replace the street's settings (what is left out takes its default); every setting after it."""
    return retrying(db, lambda s: set_settings(s, p, street_id, body))
