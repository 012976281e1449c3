"""Schema migrations: from an empty file, from the previous revision with data in it, and refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gridworker.store import schema as dbmod
from gridworker.store.db import Database
from gridworker.store.schema import StoreError, head_revision, known_revisions, read_revision


def test_empty_database_migrates_to_head(tmp_path: Path) -> None:
    database = Database(tmp_path / "new.db")
    assert read_revision(database.path) == head_revision()
    assert database.opened.backup_path is None  # nothing to back up
    con = sqlite3.connect(database.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    database.close()


def test_pragmas_on_every_connection(tmp_path: Path) -> None:
    database = Database(tmp_path / "p.db")
    with database.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == dbmod.BUSY_TIMEOUT_MS
    database.close()


def test_head_matches_alembic_and_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from gridworker.store.models import Base

    script = ScriptDirectory.from_config(dbmod.alembic_config("sqlite://"))
    assert script.get_heads() == [head_revision()]
    assert [r.revision for r in reversed(list(script.walk_revisions()))] == known_revisions()
    database = Database(tmp_path / "m.db")
    with database.engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []
    database.close()


def test_upgrade_from_previous_revision_keeps_data_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    previous = known_revisions()[-2]
    dbmod.upgrade(path, previous)  # a database as the previous version of the app left it
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO org_unit (id, code, name, kind, liaison_name, liaison_phone, version) "
        "VALUES ('0123456789abcdef0123456789abcdef', 'G1', '第1网格', 'grid', '', '', 1)"
    )
    con.execute(
        "INSERT INTO outbox (mutation_id, kind, entity_id, payload, created_at, state, error) VALUES "
        "('fedcba9876543210fedcba9876543210', 'visit.create', '0123456789abcdef0123456789abcdef', '{}', "
        "'2026-11-01 10:00:00', 'pending', '')"
    )
    con.commit()
    con.close()

    database = Database(path)
    assert database.opened.migrated_from == previous
    assert read_revision(path) == head_revision()
    con = sqlite3.connect(path)
    assert con.execute("SELECT name FROM org_unit").fetchall() == [("第1网格",)]
    assert con.execute("SELECT kind, state FROM outbox").fetchall() == [("visit.create", "pending")]  # unsent work kept
    con.close()
    backup = database.opened.backup_path
    assert backup is not None and backup.parent == path.parent / "backups"
    assert read_revision(backup) == previous  # the backup is the database as it was
    con = sqlite3.connect(backup)
    assert con.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    con.close()
    database.close()


def test_newer_database_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as e:
        Database(path)
    assert e.value.template == dbmod.MSG_TOO_NEW
    assert e.value.params["found"] == "9999"
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite at all, just text" * 100)
    with pytest.raises(StoreError) as e:
        Database(path)
    assert e.value.template == dbmod.MSG_NOT_A_DB
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError):
        Database(other)


@pytest.mark.parametrize(
    ("message", "template"),
    [
        ("database or disk is full", dbmod.MSG_DISK_FULL),
        ("database is locked", dbmod.MSG_LOCKED),
        ("attempt to write a readonly database", dbmod.MSG_READ_ONLY),
        ("database disk image is malformed", dbmod.MSG_CORRUPT),
    ],
)
def test_known_sqlite_failures_get_a_clear_message(message: str, template: str) -> None:
    from sqlalchemy.exc import OperationalError

    known = dbmod.classify(OperationalError("INSERT ...", {}, sqlite3.OperationalError(message)))
    assert known is not None and known.template == template


def test_bugs_are_not_disguised() -> None:
    assert dbmod.classify(ValueError("bug")) is None
    assert dbmod.classify(sqlite3.IntegrityError("UNIQUE constraint failed")) is None


def test_locked_database_is_reported_not_hung(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holding the write lock: the write fails with the locked message after the busy
    timeout, and nothing is written."""
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 100)
    database = Database(tmp_path / "locked.db")
    holder = sqlite3.connect(database.path)
    holder.execute("BEGIN IMMEDIATE")
    from gridworker.store.models import Meta

    with pytest.raises(Exception) as e, database.transaction() as s:
        s.add(Meta(key="k", value="v"))
    known = dbmod.classify(e.value)
    assert known is not None and known.template == dbmod.MSG_LOCKED
    holder.rollback()
    holder.close()
    with database.reading() as s:
        assert s.get(Meta, "k") is None
    database.close()


def test_a_laptop_synced_by_an_earlier_version_copies_its_scopes_afresh(tmp_path: Path) -> None:
    """Its cursors moved past rows it could not read (the guide, the cards): the next pull must reset."""
    path = tmp_path / "synced.db"
    dbmod.upgrade(path, "0004")
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [("epoch", "9f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f"), ("cursors", '{"g:ab": 12, "global": 3}')],
    )
    con.execute("INSERT INTO pull_stage (page, created_at) VALUES ('{}', '2026-11-01 10:00:00')")
    con.commit()
    con.close()

    Database(path).close()
    con = sqlite3.connect(path)
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('epoch', 'cursors')").fetchall())
    assert meta == {"epoch": "00000000-0000-0000-0000-000000000000", "cursors": '{"g:ab": 12, "global": 3}'}
    assert con.execute("SELECT count(*) FROM pull_stage").fetchone() == (0,)
    con.close()
