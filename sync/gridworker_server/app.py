"""The HTTP API (FastAPI): sign-in, push, pull, and what supervisors, stations and admins do.

Every ``/v1`` request names its protocol version (426 outside the supported window), is authenticated
by its device token and authorized against the scope the server computes for it. Bodies may be gzip
both ways. Every error is one JSON shape, :class:`gridworker_shared.protocol.ErrorBody`. The routes,
their dependencies and schemas are in :mod:`gridworker_server.api`; this module only builds the app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from gridworker_server.api import errors, routes
from gridworker_server.api.http import MAX_IN_FLIGHT, GzipRoute, ShedLoad
from gridworker_server.db import Database
from gridworker_server.metrics import RequestMetrics, configure_access_log
from gridworker_shared.protocol import PROTOCOL_VERSION

__all__ = ["create_app"]


def create_app(db: Database) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # As many threads run the routes as the pool holds connections: a request past that waits for a
        # thread (ShedLoad caps the wait) instead of opening an overflow connection that is closed again
        # when it is returned (the pool keeps pool_size): PostgreSQL saw a new session per request at
        # 64 devices on 4 processes (anyio's default is 40 threads, the pool 10 + 10 overflow).
        anyio.to_thread.current_default_thread_limiter().total_tokens = db.pool_size
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Gridworker sync server",
        version=str(PROTOCOL_VERSION),
        description="Sign-in, exactly-once push, commit-ordered pull, and supervisor operations.",
    )
    app.state.db = db
    app.router.route_class = GzipRoute
    app.add_middleware(GZipMiddleware, minimum_size=512, compresslevel=6)
    app.add_middleware(ShedLoad, limit=MAX_IN_FLIGHT)
    app.add_middleware(RequestMetrics)  # outermost: counts and logs every answer, a shed 429 too
    configure_access_log()
    errors.install(app)
    app.include_router(routes.service.router)
    app.include_router(routes.v1)
    app.router.routes.insert(0, routes.sync.fast_push)  # the push as the app sends it (api.fast)
    app.include_router(routes.feed.router)  # the city platform's, by API key (no protocol headers)
    return app
