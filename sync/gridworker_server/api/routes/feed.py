"""The city platform's API (12345 / 一网统管), for an external system with an API key of one street
(``gridworker-server apikey create``), sent as ``Authorization: Bearer <key>`` or ``X-Api-Key``. A key
opens these routes only, and a user's token does not open them. No protocol headers: the platform is
no Gridworker app."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gridworker_server.api.deps import DatabaseDep, bearer, retrying
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.responses import _errors
from gridworker_server.api.schemas import RequestBody
from gridworker_server.flow import apikeys, feed, pending
from gridworker_server.models import ApiKey

router = APIRouter(
    prefix="/v1/feed",
    tags=["city platform"],
    route_class=GzipRoute,
    responses=_errors(400, 401, 404, 413, 422, 429, 503),
)

MAX_PAGE = 500


async def api_key(
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    x_api_key: Annotated[str | None, Header(alias="X-Api-Key")] = None,
) -> str | None:
    return x_api_key or (creds.credentials if creds else None)


KeyDep = Annotated[str | None, Depends(api_key)]


class FeedEvent(BaseModel):
    id: str
    step: str = Field(description="create, accept, dispatch, sign, bounce, progress, close, callback, ...")
    from_status: str
    status: str
    at: str
    note: str
    data: dict[str, Any] = Field(description="the step's extras: department_id, reason, whose, resolved, ...")
    via: str = Field(description="app, or platform for the updates this API posted")
    external_event_id: str | None


class FeedRequest(BaseModel):
    id: str
    external_id: str | None
    category: str
    description: str
    urgency: str
    status: str = Field(description="gridworker_shared.domain.request_flow.STATUSES")
    community: str
    grid: str
    address: str
    department_id: str | None
    department: str | None
    created_at: str | None
    dispatched_at: str | None
    deadline_at: str | None
    closed_at: str | None
    archived_at: str | None
    overdue: bool
    on_spot: bool
    bounces: int
    flagged: bool = Field(description="bounced twice or more: flagged to the street's supervisor")
    reopens: int
    failed_callbacks: int
    resolved: bool | None
    satisfaction: str | None
    merged_into: str | None
    events: list[FeedEvent]


class FeedPage(BaseModel):
    requests: list[FeedRequest]
    next_cursor: int = Field(description="pass it as cursor for the next page; keep it to resume after a restart")
    more: bool


class FeedUpdate(RequestBody):
    external_event_id: str = Field(min_length=1, max_length=55, description="the platform's id: makes it idempotent")
    step: Literal["sign", "bounce", "progress", "close"]
    note: str = Field(default="", max_length=500)
    reason: str = Field(default="", max_length=32, description="a bounce's: not_ours or outside_area")
    whose: str = Field(default="", max_length=100, description="a bounce's: whose duty it is")


class FeedUpdateResult(BaseModel):
    event_id: str
    status: str
    replayed: bool = Field(description="true when this external event id was applied before")
    request: FeedRequest


class FeedLink(RequestBody):
    external_id: str = Field(min_length=1, max_length=64)


@router.get("/requests", response_model=FeedPage)
def requests_since(
    key: KeyDep,
    db: DatabaseDep,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
) -> Response:
    """The street's requests changed since ``cursor``, oldest change first, each with its flow and events.
    (The page is written as JSON directly: validating 500 requests with their events against the
    response model would cost more than reading them.)"""
    with db.read() as s:
        street = apikeys.key_of(s, key).street_id
        marked = pending.waiting(s, street)
    if marked:  # what pushes marked since the last read enters the feed scope first (flow/pending.py)
        retrying(db, lambda s: pending.drain(s, street))
    with db.read() as s:
        page = feed.page(s, apikeys.key_of(s, key), cursor, limit)
    return Response(json.dumps(page, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


@router.post("/requests/{request_id}/events", response_model=FeedUpdateResult, responses=_errors(403, 409))
def post_event(request_id: uuid.UUID, body: FeedUpdate, key: KeyDep, db: DatabaseDep) -> dict[str, Any]:
    """签收 (sign), 退单 (bounce), 处置 (progress) or 办结 (close), once per external event id."""

    def work(s: Session) -> dict[str, Any]:
        return feed.post_event(s, _key(s, key), request_id, body.model_dump())

    try:
        return retrying(db, work)
    except IntegrityError:  # the same external id posted at the same moment: the other one won
        return retrying(db, work)


@router.post("/requests/{request_id}/link", response_model=FeedRequest, responses=_errors(409))
def link(request_id: uuid.UUID, body: FeedLink, key: KeyDep, db: DatabaseDep) -> dict[str, Any]:
    """Record the platform's own id of the request."""
    return retrying(db, lambda s: feed.link(s, _key(s, key), request_id, body.external_id))


def _key(s: Session, key: str | None) -> ApiKey:
    return apikeys.key_of(s, key)
