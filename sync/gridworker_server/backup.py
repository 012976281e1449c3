"""``gridworker-server backup DEST``: a consistent copy of the server database while it serves.

SQLite: the online backup API (``sqlite3.Connection.backup``) into DEST, page by page; writers keep
going and the copy is one consistent snapshot. PostgreSQL: ``pg_dump --format=custom`` (one
transaction snapshot) with the URL's credentials; restore it with ``pg_restore --clean --if-exists
--no-owner -d URL DEST``. After ANY restore run ``gridworker-server new-epoch`` before serving again,
so every laptop resets its scopes and pushes again what the backup lost (SYNC.md 9).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from gridworker_server.errors import ApiError

PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)


def backup(url: str, dest: Path) -> str:
    """Copy the database at ``url`` to ``dest``; returns what was done, for the operator."""
    if dest.exists():
        raise ApiError(409, "backup_exists", f"{dest} exists; choose a new file name.", path=str(dest))
    if not dest.parent.is_dir():
        raise ApiError(400, "backup_folder_missing", f"{dest.parent} is not a folder.", path=str(dest.parent))
    if url.startswith("sqlite"):
        return _sqlite(url, dest)
    if url.startswith("postgresql"):
        return _postgres(url, dest)
    raise ApiError(400, "backup_unsupported", f"No backup method for {make_url(url).drivername}.")


def _sqlite(url: str, dest: Path) -> str:
    name = make_url(url).database
    if not name or name == ":memory:" or not Path(name).is_file():
        raise ApiError(400, "backup_no_database", f"No database file at {name}.", path=str(name))
    partial = dest.with_name(dest.name + ".partial")
    src = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            (ok,) = dst.execute("PRAGMA quick_check").fetchone()
        finally:
            dst.close()
    finally:
        src.close()
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise ApiError(500, "backup_corrupt", f"The copy failed its integrity check: {ok}")
    os.replace(partial, dest)
    return f"backed up {name} to {dest} ({dest.stat().st_size} bytes)"


def pg_dump_path() -> str:
    found = shutil.which("pg_dump")
    if found:
        return found
    for folder in PG_BIN_DIRS:
        if (folder / "pg_dump").is_file():
            return str(folder / "pg_dump")
    raise ApiError(500, "pg_dump_missing", "pg_dump is not installed (apt install postgresql-client).")


def _postgres(url: str, dest: Path) -> str:
    u = make_url(url)
    env = {**os.environ}
    if u.password:
        env["PGPASSWORD"] = u.password  # not on the command line, where `ps` would show it
    args = [pg_dump_path(), "--format=custom", "--no-owner", f"--file={dest}.partial", f"--dbname={u.database}"]
    if u.host:
        args.append(f"--host={u.host}")
    if u.port:
        args.append(f"--port={u.port}")
    if u.username:
        args.append(f"--username={u.username}")
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    partial = Path(f"{dest}.partial")
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise ApiError(500, "backup_failed", f"pg_dump failed: {done.stderr.strip()}")
    os.replace(partial, dest)
    return f"dumped {u.database} to {dest} ({dest.stat().st_size} bytes); restore: pg_restore, then new-epoch"
