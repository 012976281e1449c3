"""Where a worker's data lives: the per-user data folder and one database per worker."""

from __future__ import annotations

import os
import re
from pathlib import Path

APP_NAME = "Gridworker"
DATA_ENV = "GRIDWORKER_DATA_DIR"


def data_dir() -> Path:
    """The platform's per-user data folder (``~/.local/share/Gridworker`` on Linux, ``%LOCALAPPDATA%``
    on Windows, ``~/Library/Application Support`` on macOS); ``GRIDWORKER_DATA_DIR`` overrides it."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def worker_db_path(username: str, base: Path | None = None) -> Path:
    """One database file per worker, so workers sharing a laptop never share data."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", username) or "worker"
    return (base or data_dir()) / "workers" / f"{safe}.db"
