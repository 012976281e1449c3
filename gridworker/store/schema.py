"""A worker's database file before anything opens it: its schema revision, refusing a newer one,
the backup, the migrations; and the SQLite failures a user can act on. Every connection is opened by
gridworker.store.cipher (keyed when the file's key is registered: backups of an encrypted database are
encrypted with the same key). Standard library and sqlcipher3 only.

Start-up imports neither SQLAlchemy nor Alembic when the schema is current: the revision ids are
read from the file names in ``migrations/versions`` (``0001_initial.py`` is revision ``0001``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridworker.store import cipher

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


def known_revisions() -> list[str]:
    """Revision ids in upgrade order, from the migration file names."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


class StoreError(Exception):
    """A failure the user can act on, with a translatable message (context "store")."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))


MSG_TOO_NEW = QT_TRANSLATE_NOOP(
    "store",
    "This database ({path}) was written by a newer version of Gridworker (schema {found}; this version "
    "knows up to {head}). Install the newer version; the database has not been changed.",
)
MSG_DISK_FULL = QT_TRANSLATE_NOOP(
    "store",
    "The disk is full, so nothing was saved. Free some space and try again; your earlier work is safe.",
)
MSG_LOCKED = QT_TRANSLATE_NOOP(
    "store",
    "The database is busy in another program (is Gridworker open twice?). Nothing was saved; try again.",
)
MSG_READ_ONLY = QT_TRANSLATE_NOOP(
    "store", "The database file cannot be written (read-only disk or permissions). Nothing was saved."
)
MSG_CORRUPT = QT_TRANSLATE_NOOP(
    "store",
    "The database file is damaged. Nothing was changed. Restore it from the backups folder beside it, "
    "or contact support.",
)
MSG_NOT_A_DB = QT_TRANSLATE_NOOP("store", "{path} is not a Gridworker database.")


def classify(exc: BaseException) -> StoreError | None:
    """Known SQLite failures become a clear message; anything else is a bug and is re-raised."""
    if isinstance(exc, StoreError):
        return exc
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    if not isinstance(orig, cipher.Error):
        return None
    text = str(orig).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(MSG_DISK_FULL)
    if "locked" in text or "busy" in text:
        return StoreError(MSG_LOCKED)
    if "readonly" in text or "read-only" in text:
        return StoreError(MSG_READ_ONLY)
    if "malformed" in text or "not a database" in text:
        return StoreError(MSG_CORRUPT)
    return None


def read_revision(path: Path) -> str | None:
    """The schema revision of a database file, or None for a new or empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = cipher.connect(path, read_only=True)
    except cipher.DatabaseError as exc:  # not SQLite, or encrypted and the key is not (or wrongly) known
        raise StoreError(MSG_NOT_A_DB, path=str(path)) from exc
    try:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has:
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise StoreError(MSG_NOT_A_DB, path=str(path))
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except cipher.DatabaseError as exc:
        raise StoreError(MSG_NOT_A_DB, path=str(path)) from exc
    finally:
        con.close()


def backup(path: Path, label: str) -> Path:
    """A consistent copy of a live WAL database (SQLite's backup API, never a plain file copy)."""
    folder = path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{label}-{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}-{label}-{stamp}-{n}.db"
    return copy_database(path, target)


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a live WAL database: SQLite's backup API, never a plain file copy. The copy
    is keyed with the source's key: a backup of an encrypted database is encrypted the same way."""
    src = cipher.connect(source, read_only=True)
    try:
        dst = cipher.open_keyed(target, cipher.key_for(source), check=False)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def alembic_config(engine_url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine_url)
    return cfg


def upgrade(path: Path, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (tests stop at older revisions)."""
    from alembic import command

    command.upgrade(alembic_config(f"sqlite+pysqlite:///{path}"), revision)


@dataclass
class OpenResult:
    migrated_from: str | None  # the revision we upgraded from, None if already current
    backup_path: Path | None


def prepare(path: Path) -> OpenResult:
    """Bring the file at ``path`` to the head schema: refuse a newer one, back up, migrate."""
    path.parent.mkdir(parents=True, exist_ok=True)
    found = read_revision(path)
    revisions = known_revisions()
    head = revisions[-1]
    if found == head:
        return OpenResult(None, None)
    if found is not None and found not in revisions:
        raise StoreError(MSG_TOO_NEW, path=str(path), found=found, head=head)
    saved = backup(path, f"before-{head}") if found is not None else None
    log.info("migrating %s from %s to %s (backup %s)", path, found, head, saved)
    upgrade(path)
    use_wal(path)
    return OpenResult(found, saved)


def use_wal(path: Path) -> None:
    """WAL from the first moment, so the screens' reader and the writer never block each other.
    The mode is stored in the file; a failure here (another program holding it) is retried by the
    writer's engine on every connection."""
    con = cipher.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            log.warning("%s stays in %s journal mode", path, mode)
    finally:
        con.close()
