"""Residents' requests: a supervisor or station moves one through its states."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from gridworker_server import admin
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Ok, Transition

router = APIRouter(tags=["supervisor"], route_class=GzipRoute)


@router.post("/requests/{request_id}/transition", response_model=Ok)
def transition(request_id: uuid.UUID, body: Transition, p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    retrying(db, lambda s: admin.transition_request(s, p, request_id, body.to, body.note))
    return Ok()
