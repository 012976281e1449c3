"""The service's own endpoints: what it is and whether its database answers (``/health``), a trivial
answer (``/ping``) and the Prometheus metrics (``/metrics``, see :mod:`gridworker_server.metrics`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gridworker_server import metrics
from gridworker_server.api.deps import MIN_PROTOCOL, DatabaseDep
from gridworker_server.api.http import GzipRoute
from gridworker_server.api.responses import SERVICE_ERRORS
from gridworker_server.api.schemas import Health, Ok
from gridworker_server.db import Database
from gridworker_server.errors import ApiError
from gridworker_shared.protocol import PROTOCOL_VERSION, SERVICE_NAME

router = APIRouter(tags=["service"], route_class=GzipRoute, responses=SERVICE_ERRORS)

DATABASE_DOWN = ("database_unavailable", "The database does not answer.")


def _check_database(db: Database) -> None:
    """A trivial query, and on SQLite the file still where the URL says (a removed file keeps answering
    through open connections while every new one would start an empty database)."""
    if db.is_sqlite:
        name = db.engine.url.database
        if name and name != ":memory:" and not Path(name).is_file():
            raise ApiError(503, *DATABASE_DOWN, retry_after=5)
    try:
        with db.read() as s:
            s.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise ApiError(503, *DATABASE_DOWN, retry_after=5) from exc


@router.get("/health", response_model=Health)
def health(db: DatabaseDep) -> Health:
    """200 with the epoch when the database answers; 503 ``database_unavailable`` when it does not."""
    _check_database(db)
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


@router.get("/metrics", include_in_schema=False)
def prometheus_metrics(request: Request) -> Response:
    """Prometheus exposition text, for loopback or the ``GRIDWORKER_METRICS_TOKEN`` bearer (else 403)."""
    client = request.client.host if request.client else None
    if not metrics.may_read_metrics(client, dict(request.headers)):
        raise ApiError(403, "metrics_forbidden", "Metrics are served to loopback or with the metrics token.")
    return Response(metrics.render(), media_type=metrics.CONTENT_TYPE)
