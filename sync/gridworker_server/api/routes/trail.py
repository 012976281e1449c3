"""The access trail (issue 14): who revealed, exported or printed residents' personal data. A
supervisor reads their street's, an admin everything; newest first, in keyset pages."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, IsoTime
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.responses import _errors
from gridworker_server.api.schemas import ApiBody
from gridworker_server.review import trail

router = APIRouter(tags=["supervisor"], route_class=GzipRoute, responses=_errors(403))


class AccessEventInfo(ApiBody):
    id: uuid.UUID
    at: dt.datetime = Field(description="when it happened, by the laptop's clock (UTC)")
    received_at: dt.datetime
    user_id: uuid.UUID
    username: str
    user_name: str
    role: str
    action: str = Field(description="reveal, export or print")
    household_id: uuid.UUID | None
    address: str
    grid: str
    person_id: uuid.UUID | None
    field: str = Field(description="a reveal's: id_number or phone")
    what: str = Field(description="an export's or a print's filter or document (no personal data)")
    rows: int | None


class AccessTrailPage(ApiBody):
    events: list[AccessEventInfo]
    next: str | None = Field(description="the cursor of the next page (pass it as after); null at the end")


@router.get("/access-trail", response_model=AccessTrailPage)
def access_trail(
    p: CurrentPrincipal,
    db: DatabaseDep,
    since: Annotated[IsoTime | None, Query()] = None,
    until: Annotated[IsoTime | None, Query()] = None,
    user: Annotated[str, Query(max_length=64)] = "",
    household: Annotated[uuid.UUID | None, Query()] = None,
    action: Annotated[Literal["", "reveal", "export", "print"], Query()] = "",
    after: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=trail.MAX_PAGE)] = 100,
) -> AccessTrailPage:
    """The trail of the caller's area (a supervisor: their street's households and users; an admin:
    all), newest first. 403 for a worker, a station or a department."""
    with db.read() as s:
        events, cursor = trail.page(s, p, trail.TrailFilter(since, until, user, household, action), after, limit)
    return AccessTrailPage(events=[AccessEventInfo(**e.as_json()) for e in events], next=cursor)
