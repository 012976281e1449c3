"""Data for the client's tests: the test day, row counts, and worker databases copied from a template.

Migrating a new worker file and seeding the demo grid into it cost a few hundred milliseconds a test;
the session fixtures in tests/conftest.py make each template once per test process (as the server
tests' :class:`tests.server.support.DatabaseFactory` does), and every test gets its own copy."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from gridworker.store.db import Database
from gridworker_server.demo_city import DemoCity

TODAY = dt.date(2026, 11, 27)


def counts(db: Database) -> dict[str, int]:
    """Row counts of every table: 'changes nothing' is checked against these."""
    con = sqlite3.connect(db.path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def make_template(path: Path, grid: DemoCity | None) -> Path:
    """A worker database at ``path``, migrated to head and, given ``grid``, seeded with it; closed and
    left in rollback-journal mode, so the file alone holds everything and a plain copy is a whole
    database (each copy turns to WAL on its first connection, as a new worker file does)."""
    from gridworker.demo.seed import load_city

    database = Database(path)
    try:
        if grid is not None:
            load_city(database, grid)
    finally:
        database.close()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        con.close()
    assert mode == "delete", mode
    assert not Path(f"{path}-wal").exists(), "the template's write-ahead log outlived its connections"
    return path


def copy_database(template: Path, path: Path) -> Path:
    """The test's own database file at ``path``, a copy of ``template``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return path
