"""The ASGI entry uvicorn imports in each worker process: ``gridworker_server.asgi:app``.

The database URL comes from ``GRIDWORKER_DATABASE_URL`` (set by ``gridworker-server serve``); the
connection pool's size (per engine, with as many overflow connections) from ``GRIDWORKER_POOL_SIZE``."""

from __future__ import annotations

import os

from gridworker_server.app import create_app
from gridworker_server.config import database_url
from gridworker_server.db import Database

app = create_app(
    Database(
        database_url(os.environ.get("GRIDWORKER_DATABASE_URL")),
        pool_size=int(os.environ.get("GRIDWORKER_POOL_SIZE", "10")),
    )
)
