"""Where the server's database is: one setting, a SQLAlchemy URL (SQLite by default)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_URL = "GRIDWORKER_DATABASE_URL"


def default_url() -> str:
    folder = Path(platformdirs.user_data_dir("gridworker-server", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.db'}"


def database_url(given: str | None = None) -> str:
    return given or os.environ.get(ENV_URL) or default_url()
