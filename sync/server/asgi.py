"""The ASGI entry uvicorn imports in each worker process: ``sync.server.asgi:app``.

The database URL comes from ``GRIDWORKER_DATABASE_URL`` (set by ``gridworker-server serve``)."""

from __future__ import annotations

import os

from sync.server.app import create_app
from sync.server.config import database_url
from sync.server.db import Database

app = create_app(Database(database_url(os.environ.get("GRIDWORKER_DATABASE_URL"))))
