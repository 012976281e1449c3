"""The dependencies every route declares once (full-stack-fastapi-template's ``api/deps.py``): the
database, the bearer token, the signed-in principal, and the protocol check of every ``/v1`` request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from gridworker_server import auth
from gridworker_server.auth import Principal
from gridworker_server.db import Database
from gridworker_server.errors import ApiError
from gridworker_server.models import OrgUnit
from gridworker_shared.protocol import HEADER_APP, HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION

# The oldest client protocol this server still accepts. Protocol 1 clients read rows of fixed width and
# would fail on the aggregate's new columns (and skip the guide while their cursors moved on): they get
# 426 and keep their queue until the app is updated.
MIN_PROTOCOL = 4  # protocol 3 clients refused the longer visit and org unit rows (review, issue 12)
RETRIES = 3  # a deadlock or serialization failure on PostgreSQL is retried this often

T = TypeVar("T")


async def get_db(request: Request) -> Database:  # async: no thread hop to read an attribute
    db: Database = request.app.state.db
    return db


DatabaseDep = Annotated[Database, Depends(get_db)]

bearer = HTTPBearer(auto_error=False)


async def bearer_token(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str | None:
    """The token alone: push and pull check it inside their own transaction."""
    return creds.credentials if creds else None


TokenDep = Annotated[str | None, Depends(bearer_token)]


def principal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The device token's user, checked on every request (a revoked device fails at once)."""
    db: Database = request.app.state.db
    with db.read() as s:
        p = auth.authenticate(s, creds.credentials if creds else None)
    if p.seen_stale:
        with db.write() as s:
            auth.touch_device(s, p.device_id)
    return p


CurrentPrincipal = Annotated[Principal, Depends(principal)]


_QUERY_NAMES: dict[int, frozenset[str]] = {}


def _query_names(route: Any) -> frozenset[str]:
    """The query parameters ``route`` declares (its dependencies' too), once per route."""
    key = id(route)
    names = _QUERY_NAMES.get(key)
    if names is None:
        found: set[str] = set()
        todo = [route.dependant]
        while todo:  # the route's own parameters and its dependencies', at any depth
            dependant = todo.pop()
            found.update(p.alias for p in dependant.query_params)
            todo.extend(dependant.dependencies)
        names = _QUERY_NAMES[key] = frozenset(found)
    return names


def check_query(request: Request) -> None:
    """A query parameter the route does not declare is refused (422 unknown_parameter), not ignored: a
    misspelt filter (``?grid_id=`` for ``?grid=``) would otherwise answer everything, unfiltered."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    unknown = sorted(set(request.query_params) - _query_names(route))
    if unknown:
        raise ApiError(422, "unknown_parameter", f"Unknown query parameter {unknown[0]!r}.", name=unknown[0][:64])


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """A day as YYYY-MM-DD only (pydantic alone takes 0 for 1970-01-01, a number of seconds)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_time(value: object) -> object:
    """A time as ISO 8601 with at least hours and minutes (pydantic alone takes 0.5 for a number of
    seconds after 1970, and a bare day for its midnight)."""
    if isinstance(value, str) and not _ISO_TIME.match(value):
        raise ValueError("a time is written YYYY-MM-DDTHH:MM[:SS][+08:00]")
    return value


IsoTime = Annotated[dt.datetime, BeforeValidator(_iso_time)]


async def check_versions(  # async: pure header checks run on the event loop, not a thread hop
    request: Request,
    protocol: Annotated[str | None, Header(alias=HEADER_PROTOCOL)] = None,
    schema: Annotated[str | None, Header(alias=HEADER_SCHEMA)] = None,
    app_version: Annotated[str | None, Header(alias=HEADER_APP)] = None,
) -> int:
    """Every request names its protocol version; outside the window: 426, and the client keeps its queue.
    Its query parameters are checked here too (check_query): this runs for every ``/v1`` route."""
    check_query(request)
    try:
        version = int(protocol or "")
    except ValueError:
        version = 0
    supported = {"min": MIN_PROTOCOL, "max": PROTOCOL_VERSION}
    if version < MIN_PROTOCOL:
        raise ApiError(426, "client_too_old", "Update Gridworker to sync; unsent work is kept.", supported=supported)
    if version > PROTOCOL_VERSION:
        raise ApiError(
            426, "server_too_old", "The server is older than this app; unsent work is kept.", supported=supported
        )
    return version


# the request's protocol version (check_versions runs once per request: FastAPI caches it for the route)
ProtocolDep = Annotated[int, Depends(check_versions)]


def only(p: Principal, *roles: str) -> None:
    """403 unless the principal has one of ``roles``."""
    if p.role not in roles:
        raise ApiError(403, "forbidden", "Your role may not do this.")


def retrying(db: Database, work: Callable[[Session], T]) -> T:
    """One write transaction; a PostgreSQL deadlock or serialization failure is retried whole."""
    for attempt in range(RETRIES):
        try:
            with db.write() as s:
                return work(s)
        except DBAPIError as exc:
            state = getattr(exc.orig, "sqlstate", None)
            if state in ("40P01", "40001") and attempt + 1 < RETRIES:
                continue
            raise
    raise AssertionError("unreachable")


def grid_in_area(s: Session, p: Principal, code: str) -> OrgUnit:
    """The grid with ``code`` if the principal holds it; 404 otherwise (an unknown grid and a grid
    elsewhere look the same)."""
    unit = s.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None or unit.id not in auth.grids_of(s, p):
        raise ApiError(404, "grid_unknown", "No such grid in your area.")
    return unit
