"""Residents' requests: a station, supervisor or admin takes a step of the flow over the API (the
laptops push ``request.step``); the older ``transition`` names the status to reach."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from gridworker_server import admin
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Ok, RequestBody, Transition
from gridworker_server.flow import manage
from gridworker_server.flow.state import Step

router = APIRouter(tags=["supervisor"], route_class=GzipRoute)


@router.post("/requests/{request_id}/transition", response_model=Ok)
def transition(request_id: uuid.UUID, body: Transition, p: CurrentPrincipal, db: DatabaseDep) -> Ok:
    retrying(db, lambda s: admin.transition_request(s, p, request_id, body.to, body.note))
    return Ok()


class StepBody(RequestBody):
    """A step of gridworker_shared.domain.request_flow with what it carries."""

    step: Literal[
        "accept", "on_spot", "merge", "dispatch", "sign", "bounce", "progress", "close", "callback",
        "callback_failed", "extend", "reassign", "cancel",
    ]  # fmt: skip
    note: str = Field(default="", max_length=500)
    department_id: uuid.UUID | None = None
    merge_into: uuid.UUID | None = None
    reason: str = Field(default="", max_length=32)
    whose: str = Field(default="", max_length=100)
    resolved: bool | None = None
    satisfaction: Literal["satisfied", "basic", "dissatisfied"] | None = None
    days: int | None = Field(default=None, ge=1, le=365)


class StepResult(BaseModel):
    status: str
    bounces: int
    deadline_at: dt.datetime | None


@router.post("/requests/{request_id}/step", response_model=StepResult)
def take_step(request_id: uuid.UUID, body: StepBody, p: CurrentPrincipal, db: DatabaseDep) -> StepResult:
    """The flow's state machine decides; refusals carry its codes (request_step_forbidden ...)."""
    wanted = Step(**{**body.model_dump(), "satisfaction": body.satisfaction or "", "whose": body.whose.strip()})

    def work(s: Session) -> StepResult:
        r = manage.step(s, p, request_id, wanted)
        return StepResult(status=r.status, bounces=r.bounces, deadline_at=r.deadline_at)

    return retrying(db, work)
