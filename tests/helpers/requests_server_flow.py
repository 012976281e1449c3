"""Helpers of the request-flow and feed tests: a request raised on a real visit, the users who act on
it (its grid's worker and station, the street's supervisor, a department's user), a step as a push."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from gridworker_server.models import Household, OrgUnit, RequestEvent, ResidentRequest, User
from tests.server.support import Device, Grid, Mut, Seeded, new_request, visit


@dataclass
class Raised:
    """A request a worker raised on a visit, with who may act on it."""

    id: uuid.UUID
    household: uuid.UUID
    grid: Grid
    worker: Device
    station: str
    departments: dict[str, uuid.UUID]  # user name suffix (cgzf ...) -> department id


def departments(server: Seeded) -> dict[str, uuid.UUID]:
    with server.session() as s:
        rows = s.execute(select(OrgUnit.id, OrgUnit.code).where(OrgUnit.kind == "department")).all()
    return {code.rsplit("-", 1)[1]: uid for uid, code in rows}


def station_of(server: Seeded, grid: Grid) -> str:
    with server.session() as s:
        community = s.scalar(select(OrgUnit.parent_id).where(OrgUnit.id == grid.id))
        name = s.scalar(select(User.username).where(User.role == "station", User.org_unit_id == community))
    assert name is not None
    return name


def raise_request(server: Seeded, grid: Grid, worker: Device | None = None, category: str = "dumped_rubbish") -> Raised:
    (hid,) = server.take(grid)
    dev = worker or server.device(grid.worker)
    req = new_request(category)
    result = dev.push_one(visit(hid, requests_=[req]))
    assert result["status"] == "applied", result
    return Raised(uuid.UUID(req["id"]), hid, grid, dev, station_of(server, grid), departments(server))


def step(request_id: uuid.UUID, name: str, household: uuid.UUID | None = None, **extras: Any) -> Mut:
    payload: dict[str, Any] = {"id": str(uuid.uuid4()), "request_id": str(request_id), "step": name}
    if household is not None:
        payload["household_id"] = str(household)
    payload.update({k: str(v) if isinstance(v, uuid.UUID) else v for k, v in extras.items()})
    return Mut("request.step", payload, id=uuid.UUID(payload["id"]))


def row(server: Seeded, request_id: uuid.UUID) -> ResidentRequest:
    with server.session() as s:
        r = s.get(ResidentRequest, request_id)
        assert r is not None
        return r


def events(server: Seeded, request_id: uuid.UUID) -> list[RequestEvent]:
    with server.session() as s:
        return list(
            s.scalars(select(RequestEvent).where(RequestEvent.request_id == request_id).order_by(RequestEvent.id))
        )


def household_grid(server: Seeded, household_id: uuid.UUID) -> uuid.UUID:
    with server.session() as s:
        h = s.get(Household, household_id)
        assert h is not None
        return h.grid_id
