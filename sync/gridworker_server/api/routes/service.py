"""The service's own endpoints: what it is (``/health``) and a trivial answer (``/ping``)."""

from __future__ import annotations

from fastapi import APIRouter

from gridworker_server.api.deps import MIN_PROTOCOL, DatabaseDep
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.schemas import Health, Ok
from gridworker_shared.protocol import PROTOCOL_VERSION, SERVICE_NAME

router = APIRouter(tags=["service"], route_class=GzipRoute)


@router.get("/health", response_model=Health)
def health(db: DatabaseDep) -> Health:
    return Health(
        service=SERVICE_NAME,
        status="ok",
        epoch=db.epoch(),
        protocol={"min": MIN_PROTOCOL, "max": PROTOCOL_VERSION},
    )


@router.get("/ping", response_model=Ok)
def ping() -> Ok:
    """A trivial endpoint: the floor the sync benchmarks compare against."""
    return Ok()
