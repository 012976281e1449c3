"""Where a worker's data lives: the per-user data folder and one database per worker."""

from __future__ import annotations

import os
import re
from pathlib import Path

from gridworker_shared.domain.usernames import normalize_username

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


def _file_stem(username: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", username) or "worker"


def worker_db_path(username: str, base: Path | None = None) -> Path:
    """One database file per worker, so workers sharing a laptop never share data; named after the user
    name in its normal form (:func:`normalize_username`), so " Worker02" and "worker02" open one file.

    A file an older version named after the name as typed ("Worker02.db") is still found (unsent work
    in it must not be left behind): it is used while the normal one does not exist."""
    folder = (base or data_dir()) / "workers"
    path = folder / f"{_file_stem(normalize_username(username))}.db"
    if path.exists() or not folder.is_dir():
        return path
    older = [
        p
        for p in folder.glob("*.db")
        if p.stem != p.stem.casefold() and _file_stem(normalize_username(p.stem)) == path.stem
    ]
    return max(older, key=lambda p: p.stat().st_mtime) if older else path
