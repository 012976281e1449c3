"""A reviewer's back-checks (电话回访) of a week and each worker's verification-failure rate, for API
users and tools (the app reads its own from the synced rows of its review scopes)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from gridworker_server import auth
from gridworker_server.api.deps import CurrentPrincipal, DatabaseDep, IsoDate, only
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import ApiBody
from gridworker_server.models import utcnow
from gridworker_server.review import backcheck_rows, backchecks
from gridworker_shared.domain.backchecks import week_of

router = APIRouter(tags=["supervisor"], route_class=GzipRoute)


class BackcheckInfo(ApiBody):
    id: uuid.UUID
    visit_no: int
    household_id: uuid.UUID
    worker_id: uuid.UUID
    reason: str  # flagged, new_worker, sample
    result: str  # "" (not called yet), confirmed, denied, unreachable
    note: str
    checked_by: uuid.UUID | None
    checked_at: str | None


class WorkerBackchecks(ApiBody):
    worker_id: uuid.UUID
    drawn: int
    confirmed: int
    denied: int
    unreachable: int
    failure_rate: float | None  # denied / (confirmed + denied); None before either


class BackcheckWeek(ApiBody):
    week: dt.date  # the Monday of the week drawn from
    backchecks: list[BackcheckInfo]
    workers: list[WorkerBackchecks]  # every back-check of the area so far


@router.get("/backchecks", response_model=BackcheckWeek)
def backchecks_of_week(
    p: CurrentPrincipal, db: DatabaseDep, week: Annotated[IsoDate | None, Query()] = None
) -> BackcheckWeek:
    """The week's back-checks in the reviewer's area (default: the last week that is over)."""
    only(p, "admin", "supervisor", "station")
    monday = week_of(week) if week is not None else backchecks.last_week(utcnow())
    with db.read() as s:
        grids = auth.grids_of(s, p)
        drawn = backcheck_rows.area_week(s, grids, monday)
        workers = backchecks.worker_checks(s, grids)
    return BackcheckWeek(
        week=monday,
        backchecks=[
            BackcheckInfo(
                id=b.id,
                visit_no=b.visit_no,
                household_id=b.household_id,
                worker_id=b.worker_id,
                reason=b.reason,
                result=b.result,
                note=b.note,
                checked_by=b.checked_by,
                checked_at=None if b.checked_at is None else b.checked_at.isoformat(),
            )
            for b in drawn
        ],
        workers=[WorkerBackchecks(**w._asdict()) for w in workers],
    )
