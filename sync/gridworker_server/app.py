"""The HTTP API (FastAPI): sign-in, push, pull, and what supervisors, stations and admins do.

Every ``/v1`` request names its protocol version (426 outside the supported window), is authenticated
by its device token and authorized against the scope the server computes for it. Bodies may be gzip
both ways. Every error is one JSON shape, :class:`gridworker_shared.protocol.ErrorBody`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
import zlib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response
from fastapi import Path as FastPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from gridworker_server import admin, auth, changes, guide
from gridworker_server.auth import AuthError, Principal
from gridworker_server.db import Database
from gridworker_server.guide_files import GuideError, load_article
from gridworker_server.models import Article, Conflict, Device, Household, OrgUnit, ServerMeta, User, Visit
from gridworker_server.push import PushError, push
from gridworker_shared.protocol import (
    HEADER_APP,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    PROTOCOL_VERSION,
    SERVICE_NAME,
    ErrorBody,
    LoginRequest,
    LoginResponse,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    UserInfo,
)

log = logging.getLogger("gridworker.server")

# The oldest client protocol this server still accepts. Protocol 1 clients read rows of fixed width and
# would fail on the aggregate's new columns (and skip the guide while their cursors moved on): they get
# 426 and keep their queue until the app is updated.
MIN_PROTOCOL = 2
MAX_BODY = 8 * 1024 * 1024  # bytes, after decompression
MAX_IN_FLIGHT = 48  # requests per process before the server sheds load with 429 + Retry-After
RETRIES = 3  # a deadlock or serialization failure on PostgreSQL is retried this often


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.detail = detail


class ShedLoad:
    """Past ``limit`` requests in flight the answer is an immediate 429 with Retry-After, never a queue
    that times out. A plain ASGI middleware: it costs a counter, not a task per request."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.active = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            response = _error(ApiError(429, "busy", "服务器繁忙，请稍后重试。The server is busy; retry shortly.", 1))
            await response(scope, receive, send)
            return
        self.active += 1  # one event loop per process: no lock needed
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


class GzipRequest(Request):
    """A request body that may be gzip-compressed (FastAPI's custom-request recipe), with limits."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            raw = b""
            async for chunk in self.stream():
                raw += chunk
                if len(raw) > MAX_BODY:
                    raise ApiError(413, "too_large", "请求过大。The request is too large.")
            if "gzip" in self.headers.getlist("Content-Encoding"):
                try:
                    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    body = inflater.decompress(raw, MAX_BODY)
                    if inflater.unconsumed_tail:
                        raise ApiError(413, "too_large", "请求过大。The request is too large.")
                    if not inflater.eof:
                        raise zlib.error("truncated")
                except zlib.error as exc:
                    raise ApiError(400, "bad_encoding", "请求数据不完整或已损坏。The request body is damaged.") from exc
                raw = body
            self._body = raw
        return self._body


class GzipRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            decoded = GzipRequest(request.scope, request.receive)
            # read (and inflate) here: inside FastAPI's body parsing our 400/413 would become its generic 400
            await decoded.body()
            return await handler(decoded)

        return route


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422, 426, 429, 503)
}


async def check_versions(  # async: pure header checks run on the event loop, not a thread hop
    protocol: Annotated[str | None, Header(alias=HEADER_PROTOCOL)] = None,
    schema: Annotated[str | None, Header(alias=HEADER_SCHEMA)] = None,
    app_version: Annotated[str | None, Header(alias=HEADER_APP)] = None,
) -> int:
    """Every request names its protocol version; outside the window: 426, and the client keeps its queue."""
    try:
        version = int(protocol or "")
    except ValueError:
        version = 0
    if version < MIN_PROTOCOL:
        raise ApiError(
            426,
            "client_too_old",
            "客户端版本过旧，请升级后再同步；未同步的数据会保留。Update Gridworker to sync; unsent work is kept.",
            supported={"min": MIN_PROTOCOL, "max": PROTOCOL_VERSION},
        )
    if version > PROTOCOL_VERSION:
        raise ApiError(
            426,
            "server_too_old",
            "服务器版本较旧，暂不能同步；未同步的数据会保留。The server is older than this app; unsent work is kept.",
            supported={"min": MIN_PROTOCOL, "max": PROTOCOL_VERSION},
        )
    return version


bearer = HTTPBearer(auto_error=False)


class ApiBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserCreate(ApiBody):
    username: str = Field(min_length=1, max_length=64)
    name: str = Field(default="", max_length=50)
    role: Literal["worker", "station", "supervisor", "admin"]
    org_code: str | None = Field(default=None, max_length=32)
    password: str = Field(min_length=8, max_length=256)
    phone: str = Field(default="", max_length=32)


class Assign(ApiBody):
    username: str = Field(min_length=1, max_length=64)


class HouseholdEdit(ApiBody):
    changes: dict[str, Any]


class HouseholdMoveBody(ApiBody):
    grid_id: uuid.UUID


class Transition(ApiBody):
    to: Literal["accepted", "assigned", "in_progress", "resolved", "closed", "rejected", "cancelled"]
    note: str = Field(default="", max_length=500)


class Me(ApiBody):
    user: UserInfo
    scopes: list[str]


class Health(ApiBody):
    service: str
    status: str
    epoch: uuid.UUID
    protocol: dict[str, int]


class DeviceInfo(ApiBody):
    id: uuid.UUID
    name: str
    last_seq: int
    last_seen_at: str
    revoked: bool


class ConflictInfo(ApiBody):
    id: uuid.UUID
    entity: str
    entity_id: uuid.UUID
    household_id: uuid.UUID | None
    field: str
    kept: Any
    overwritten: Any
    code: str
    created_at: str


class VisitInfo(ApiBody):
    id: uuid.UUID
    household_id: uuid.UUID
    worker_id: uuid.UUID
    visited_at: str
    received_at: str
    outcome: str
    notes: str
    amends_id: uuid.UUID | None
    flag: str


class Ok(ApiBody):
    ok: bool = True


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


Auth = Annotated[Principal, Depends(principal)]


async def bearer_token(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str | None:
    """The token alone: push and pull check it inside their own transaction."""
    return creds.credentials if creds else None


Token = Annotated[str | None, Depends(bearer_token)]


def create_app(db: Database) -> FastAPI:
    app = FastAPI(
        title="Gridworker sync server",
        version=str(PROTOCOL_VERSION),
        description="Sign-in, exactly-once push, commit-ordered pull, and supervisor operations.",
    )
    app.state.db = db
    app.router.route_class = GzipRoute
    app.add_middleware(GZipMiddleware, minimum_size=512, compresslevel=6)
    app.add_middleware(ShedLoad, limit=MAX_IN_FLIGHT)

    @app.exception_handler(ApiError)
    async def _api_error(_r: Request, exc: ApiError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        """FastAPI's and Starlette's own answers (a body that is not UTF-8 JSON, an unknown path) in our shape."""
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        response = _error(ApiError(exc.status_code, code, str(exc.detail)))
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(AuthError)
    async def _auth_error(_r: Request, exc: AuthError) -> JSONResponse:
        return _error(ApiError(exc.status, exc.code, exc.message, exc.retry_after))

    @app.exception_handler(admin.AdminError)
    async def _admin_error(_r: Request, exc: admin.AdminError) -> JSONResponse:
        return _error(ApiError(exc.status, exc.code, exc.message))

    @app.exception_handler(guide.PublishError)
    async def _publish_error(_r: Request, exc: guide.PublishError) -> JSONResponse:
        return _error(ApiError(exc.status, exc.code, exc.message, **exc.detail))

    @app.exception_handler(PushError)
    async def _push_error(_r: Request, exc: PushError) -> JSONResponse:
        return _error(ApiError(exc.status, exc.code, exc.message, **exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_r: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        where = ".".join(errors[0]["loc"]) if errors else ""
        return _error(
            ApiError(
                422, "invalid_request", f"请求内容不正确：{where}。The request is invalid: {where}.", errors=errors
            )
        )

    @app.exception_handler(DataError)
    async def _unstorable(_r: Request, exc: DataError) -> JSONResponse:
        """A value the database refuses (PostgreSQL: a NUL character in text) is the request's fault."""
        log.info("value refused by the database: %s", exc.orig)
        return _error(ApiError(422, "invalid_request", "请求中含有无法保存的内容。The request holds an invalid value."))

    @app.exception_handler(PoolTimeout)
    async def _pool(_r: Request, _exc: PoolTimeout) -> JSONResponse:
        return _error(ApiError(429, "busy", "服务器繁忙，请稍后重试。The server is busy; retry shortly.", 1))

    @app.exception_handler(OperationalError)
    async def _operational(_r: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return _error(ApiError(503, "database_busy", "数据库暂时不可用，请稍后重试。Try again shortly.", 2))

    def retrying(work: Callable[[Session], Any]) -> Any:
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

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> Health:
        return Health(
            service=SERVICE_NAME,
            status="ok",
            epoch=db.epoch(),
            protocol={"min": MIN_PROTOCOL, "max": PROTOCOL_VERSION},
        )

    @app.get("/ping", response_model=Ok, tags=["service"])
    def ping() -> Ok:
        """A trivial endpoint: the floor the sync benchmarks compare against."""
        return Ok()

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(check_versions)], responses=ERRORS, route_class=GzipRoute)

    @v1.post("/auth/login", response_model=LoginResponse, tags=["auth"])
    def login(body: LoginRequest, request: Request) -> LoginResponse:
        address = request.client.host if request.client else ""
        with db.read() as s:
            auth.check_rate(s, body.username, address)
            user = auth.verify_user(s, body.username, body.password)
        if user is None:
            with db.write() as s:
                auth.record_failure(s, body.username, address)
            raise ApiError(401, "bad_credentials", "用户名或密码不正确。Wrong user name or password.")
        with db.write() as s:
            user = s.get(User, user.id)
            assert user is not None
            device, token = auth.register_device(s, user, body.device_id, body.device_name)
            info = _user_info(user)
            epoch = s.scalar(select(changes_epoch()))
            return LoginResponse(
                token=token,
                device_id=device.id,
                last_seq=device.last_seq,
                user=info,
                epoch=uuid.UUID(str(epoch)),
                expires_at=device.expires_at,
            )

    @v1.post("/auth/fork", response_model=LoginResponse, tags=["auth"])
    def fork(p: Auth) -> LoginResponse:
        """The laptop's database was restored from a backup (the server answered ``device_fork``): a new
        device for the same user, so the unsent work continues under a fresh sequence."""
        with db.write() as s:
            user = s.get(User, p.user_id)
            assert user is not None
            admin.revoke_device(s, p.device_id)
            device, token = auth.register_device(s, user, None, f"fork of {p.device_id}")
            epoch = s.scalar(select(changes_epoch()))
            return LoginResponse(
                token=token,
                device_id=device.id,
                last_seq=device.last_seq,
                user=_user_info(user),
                epoch=uuid.UUID(str(epoch)),
                expires_at=device.expires_at,
            )

    @v1.post("/auth/logout", response_model=Ok, tags=["auth"])
    def logout(p: Auth) -> Ok:
        with db.write() as s:
            admin.revoke_device(s, p.device_id)
        return Ok()

    @v1.get("/me", response_model=Me, tags=["auth"])
    def me(p: Auth) -> Me:
        with db.read() as s:
            user = s.get(User, p.user_id)
            assert user is not None
            return Me(user=_user_info(user), scopes=auth.scopes_of(s, p))

    @v1.post("/sync/push", response_model=PushResponse, tags=["sync"])
    def push_(body: PushRequest, token: Token) -> Response:
        """The token, the epoch and the batch in one transaction (the hot path: few statements)."""

        def work(s: Session) -> PushResponse:
            p = auth.authenticate(s, token, lock=True)
            if p.seen_stale:
                auth.touch_device(s, p.device_id)
            return push(s, p, body, p.epoch or uuid.UUID(int=0))

        answer: PushResponse = retrying(work)
        return Response(answer.model_dump_json(), media_type="application/json")

    @v1.post("/sync/pull", response_model=PullResponse, response_model_exclude_defaults=True, tags=["sync"])
    async def pull_(body: PullRequest, token: Token) -> Response:
        """Most pulls find nothing new: that answer comes from two indexed reads on the event loop (no
        locks, no session, no thread hop). Anything else takes the full path on a worker thread."""
        if token and body.epoch is not None:
            with db.read_engine.connect() as conn:
                quiet = changes.nothing_new(conn, token, body)
                conn.rollback()
            if quiet is not None:
                return Response(quiet, media_type="application/json")
        return await run_in_threadpool(full_pull, body, token)

    def full_pull(body: PullRequest, token: str | None) -> Response:
        with db.read() as s:
            p = auth.authenticate(s, token, counters=True)
            answer = changes.pull(s, p.epoch or uuid.UUID(int=0), auth.scopes_of(s, p), body, p.counters)
        if p.seen_stale:
            with db.write() as s:
                auth.touch_device(s, p.device_id)
        return Response(answer.model_dump_json(exclude_defaults=True), media_type="application/json")

    # -- admins and supervisors ---------------------------------------------------------------------

    @v1.post("/users", response_model=UserInfo, status_code=201, tags=["admin"])
    def create_user(body: UserCreate, p: Auth) -> UserInfo:
        _only(p, "admin")
        with db.write() as s:
            user = admin.create_user(s, body.username, body.name, body.role, body.org_code, body.password, body.phone)
            return _user_info(user)

    @v1.post("/users/{username}/deactivate", response_model=Ok, tags=["admin"])
    def deactivate(username: str, p: Auth) -> Ok:
        _only(p, "admin")
        with db.write() as s:
            admin.deactivate_user(s, username)
        return Ok()

    @v1.post("/grids/{code}/assign", response_model=Ok, tags=["admin"])
    def assign(code: str, body: Assign, p: Auth) -> Ok:
        _only(p, "admin", "supervisor")
        with db.write() as s:
            grid = s.scalar(select(OrgUnit).where(OrgUnit.code == code))
            if grid is None or grid.id not in auth.grids_of(s, p):
                raise ApiError(404, "grid_unknown", "没有这个网格，或不在您的管辖范围。No such grid in your area.")
            admin.assign_grid(s, code, body.username)
        return Ok()

    @v1.get("/users/{username}/devices", response_model=list[DeviceInfo], tags=["admin"])
    def devices(username: str, p: Auth) -> list[DeviceInfo]:
        if p.username != username:
            _only(p, "admin", "supervisor")
        with db.read() as s:
            _check_user_in_area(s, p, username)
            return [
                DeviceInfo(
                    id=d.id,
                    name=d.name,
                    last_seq=d.last_seq,
                    last_seen_at=d.last_seen_at.isoformat(),
                    revoked=d.revoked_at is not None,
                )
                for d in admin.list_devices(s, username)
            ]

    @v1.post("/devices/{device_id}/revoke", response_model=Ok, tags=["admin"])
    def revoke(device_id: uuid.UUID, p: Auth) -> Ok:
        with db.write() as s:
            device = s.get(Device, device_id)
            owner = s.get(User, device.user_id) if device else None
            if device is None or owner is None:
                raise ApiError(404, "device_unknown", "没有这台设备。No such device.")
            if owner.id != p.user_id:
                _only(p, "admin", "supervisor")
                _check_user_in_area(s, p, owner.username)
            admin.revoke_device(s, device_id)
        return Ok()

    @v1.patch("/households/{household_id}", response_model=Ok, tags=["supervisor"])
    def edit_household(household_id: uuid.UUID, body: HouseholdEdit, p: Auth) -> Ok:
        retrying(lambda s: admin.edit_household(s, p, household_id, body.changes))
        return Ok()

    @v1.post("/households/{household_id}/move", response_model=Ok, tags=["supervisor"])
    def move_household(household_id: uuid.UUID, body: HouseholdMoveBody, p: Auth) -> Ok:
        retrying(lambda s: admin.move_household(s, p, household_id, body.grid_id))
        return Ok()

    @v1.delete("/households/{household_id}", response_model=Ok, tags=["supervisor"])
    def remove_household(household_id: uuid.UUID, p: Auth) -> Ok:
        retrying(lambda s: admin.remove_household(s, p, household_id))
        return Ok()

    @v1.post("/requests/{request_id}/transition", response_model=Ok, tags=["supervisor"])
    def transition(request_id: uuid.UUID, body: Transition, p: Auth) -> Ok:
        retrying(lambda s: admin.transition_request(s, p, request_id, body.to, body.note))
        return Ok()

    @v1.get("/conflicts", response_model=list[ConflictInfo], tags=["supervisor"])
    def conflicts(p: Auth, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[ConflictInfo]:
        with db.read() as s:
            stmt = select(Conflict).order_by(Conflict.created_at.desc()).limit(limit)
            if p.role == "worker":
                stmt = stmt.where(Conflict.user_id == p.user_id)
            else:
                grids = auth.grids_of(s, p)
                stmt = stmt.join(Household, Household.id == Conflict.household_id).where(Household.grid_id.in_(grids))
            return [
                ConflictInfo(
                    id=c.id,
                    entity=c.entity,
                    entity_id=c.entity_id,
                    household_id=c.household_id,
                    field=c.field,
                    kept=c.kept,
                    overwritten=c.overwritten,
                    code=c.code,
                    created_at=c.created_at.isoformat(),
                )
                for c in s.scalars(stmt)
            ]

    @v1.get("/visits", response_model=list[VisitInfo], tags=["supervisor"])
    def visits(
        p: Auth,
        grid: Annotated[str, Query(max_length=32)],
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[VisitInfo]:
        """The synced visit log of one grid, newest first, for review."""
        _only(p, "admin", "supervisor", "station")
        with db.read() as s:
            unit = s.scalar(select(OrgUnit).where(OrgUnit.code == grid))
            if unit is None or unit.id not in auth.grids_of(s, p):
                raise ApiError(404, "grid_unknown", "没有这个网格，或不在您的管辖范围。No such grid in your area.")
            rows = s.scalars(
                select(Visit)
                .join(Household, Household.id == Visit.household_id)
                .where(Household.grid_id == unit.id)
                .order_by(Visit.received_at.desc())
                .limit(limit)
            )
            return [
                VisitInfo(
                    id=v.id,
                    household_id=v.household_id,
                    worker_id=v.worker_id,
                    visited_at=v.visited_at.isoformat(),
                    received_at=v.received_at.isoformat(),
                    outcome=v.outcome,
                    notes=v.notes,
                    amends_id=v.amends_id,
                    flag=v.flag,
                )
                for v in rows
            ]

    @v1.post(
        "/roster/import",
        tags=["roster"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def roster_import_(
        request: Request,
        p: Auth,
        grid: Annotated[str, Query(min_length=1, max_length=32)],
        filename: Annotated[str, Query(min_length=1, max_length=200)],
        dry_run: bool = True,
        allow_partial: bool = False,
    ) -> dict[str, Any]:
        """Import a household roster (.xlsx or .csv, the file as the body) into a grid. The answer reports
        per row what will be (or was) imported and what is wrong; a dry run changes nothing."""
        from starlette.concurrency import run_in_threadpool

        from gridworker_server import roster_import

        data = await request.body()

        def work(s: Session) -> dict[str, Any]:
            return roster_import.import_roster(s, p, grid, data, filename, dry_run=dry_run, allow_partial=allow_partial)

        result: dict[str, Any] = await run_in_threadpool(retrying, work)
        return result

    # -- the policy guide ---------------------------------------------------------------------------

    @v1.get("/guide/articles", response_model=list[ArticleInfo], tags=["guide"])
    def guide_articles(p: Auth, include_withdrawn: bool = False) -> list[ArticleInfo]:
        """The published guide (admins may ask for withdrawn articles too)."""
        if include_withdrawn:
            _only(p, "admin")
        with db.read() as s:
            return [_article_info(a) for a in guide.published(s, include_withdrawn=include_withdrawn)]

    @v1.post("/guide/articles", response_model=PublishAnswer, tags=["guide"])
    def guide_publish(body: PublishBody, p: Auth) -> PublishAnswer:
        """Publish one article: a Markdown document with YAML front matter, as the files of the guide
        folder are. A dry run reports what would change and changes nothing."""
        _only(p, "admin")
        try:
            article = load_article(Path(body.filename), body.markdown.encode("utf-8"))
        except GuideError as exc:
            issues = [{"field": i.field, "reason": i.reason, "message": i.message} for i in exc.issues]
            first = exc.issues[0]
            raise ApiError(
                422,
                "article_invalid",
                f"文章有误（{first.field}：{first.reason}）。The article is invalid: {first.message}",
                issues=issues,
            ) from None

        def work(s: Session) -> guide.PublishReport:
            return guide.publish(s, [article], actor=p.user_id, dry_run=body.dry_run)

        report: guide.PublishReport = retrying(work)
        if report.stale:
            raise ApiError(
                409,
                "version_not_newer",
                "文章内容已更改，但版本号没有提高。The text changed; raise its version above the published one.",
                slug=article.slug,
            )
        return PublishAnswer(**{k: v for k, v in report.to_dict().items() if k != "issues"})

    @v1.delete("/guide/articles/{slug}", response_model=Ok, tags=["guide"])
    def guide_withdraw(slug: Annotated[str, FastPath(min_length=1, max_length=64)], p: Auth) -> Ok:
        """Withdraw an article: it leaves every client on its next pull."""
        _only(p, "admin")

        def work(s: Session) -> list[str]:
            return guide.withdraw(s, [slug])

        retrying(work)
        return Ok()

    app.include_router(v1)
    return app


class ArticleInfo(BaseModel):
    id: uuid.UUID
    slug: str
    category: str
    title: str
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    published_at: dt.datetime
    withdrawn_at: dt.datetime | None


class PublishBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=4, max_length=200, pattern=r"^[^/\\]+\.md$")
    markdown: str = Field(min_length=1, max_length=100_000)
    dry_run: bool = False


class PublishAnswer(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    withdrawn: list[str]
    stale: list[str]


def _article_info(a: Article) -> ArticleInfo:
    return ArticleInfo(
        id=a.id,
        slug=a.slug,
        category=a.category,
        title=a.title,
        version=a.version,
        effective_from=a.effective_from,
        effective_to=a.effective_to,
        published_at=_utc(a.published_at),
        withdrawn_at=_utc(a.withdrawn_at) if a.withdrawn_at else None,
    )


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; the server stores UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def changes_epoch() -> Any:
    """The server's epoch, as a subquery to read with other rows."""
    return select(ServerMeta.value).where(ServerMeta.key == "epoch").scalar_subquery()


def _user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        name=user.name,
        role=user.role,  # type: ignore[arg-type]
        org_unit_id=user.org_unit_id,
    )


def _only(p: Principal, *roles: str) -> None:
    if p.role not in roles:
        raise ApiError(403, "forbidden", "您的角色无权执行此操作。Your role may not do this.")


def _check_user_in_area(s: Session, p: Principal, username: str) -> None:
    if p.role == "admin" or p.username == username:
        return
    user = s.scalar(select(User).where(User.username == username))
    grids = auth.grids_of(s, p)
    if user is None or (user.org_unit_id not in grids and user.org_unit_id != p.org_unit_id):
        raise ApiError(404, "user_unknown", "没有这个用户，或不在您的管辖范围。No such user in your area.")


def _error(exc: ApiError) -> JSONResponse:
    body = ErrorBody(error=exc.code, message=exc.message, detail=exc.detail)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return JSONResponse(body.model_dump(), status_code=exc.status, headers=headers)
