"""Issue 14: a copied database file, its WAL and its backups show no resident's name, ID number or
phone (the raw bytes searched for each, UTF-8) and do not open without the key; with the key, every
read path of the app works (the writer's engine, the screens' Reader, the exports' snapshot, backups).

The database is a real worker's (the seeded template: a demo grid of ~150 households loaded by the
app's own loader), encrypted by gridworker.store.convert as the first start of the new version does.
Each check is also run on the plain file, where it must find the residents: the search can fail."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from gridworker.exports.tables import ExportInfo, areas, export_requests, snapshot
from gridworker.guide import search as guide
from gridworker.store import cipher, schema
from gridworker.store.convert import encrypt_in_place
from gridworker.store.db import Database
from gridworker.store.models import Person
from gridworker.store.reads import Reader
from gridworker.store.review_filter import ReviewFilter
from gridworker.store.rows import Filters
from tests.helpers.data import TODAY, copy_database

INFO = ExportInfo("测试", dt.datetime(2026, 11, 27, 10, 0))


def residents(path: Path) -> list[bytes]:
    """Every resident's name, ID number and phone in a plain database, as UTF-8."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT name, id_number, phone FROM person").fetchall()
        rows += con.execute("SELECT head_name, '', phone FROM household").fetchall()
    finally:
        con.close()
    found = {str(v).encode() for row in rows for v in row if v and len(str(v)) >= 2}
    assert len(found) > 300, "the template holds residents"
    return sorted(found)


def revealed(data: bytes, secrets: list[bytes]) -> list[bytes]:
    return [s for s in secrets if s in data]


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def plain(tmp_path: Path, seeded_template: Path) -> Path:
    return copy_database(seeded_template, tmp_path / "plain" / "worker.db")


@pytest.fixture
def secrets(seeded_template: Path) -> list[bytes]:
    return residents(seeded_template)


@pytest.fixture
def encrypted(tmp_path: Path, seeded_template: Path, key: bytes) -> Iterator[Path]:
    """The seeded worker database converted with ``key``, the key registered as the app does."""
    path = copy_database(seeded_template, tmp_path / "enc" / "worker.db")
    cipher.register_key(path, key)
    encrypt_in_place(path, key)
    yield path
    cipher.forget_key(path)


def test_the_plain_file_reveals_the_residents(plain: Path, secrets: list[bytes]) -> None:
    """The control: the search below finds the residents where they are in the clear."""
    assert not cipher.is_encrypted(plain)
    assert len(revealed(plain.read_bytes(), secrets)) > len(secrets) // 2


def test_the_encrypted_file_reveals_nobody(encrypted: Path, secrets: list[bytes]) -> None:
    assert cipher.is_encrypted(encrypted)
    assert revealed(encrypted.read_bytes(), secrets) == []
    leftovers = sorted(p.name for p in encrypted.parent.iterdir())
    assert leftovers == ["worker.db"], leftovers  # no plain copy, no plain journal beside it


def rewrite_residents_under_a_snapshot(path: Path) -> bytes:
    """Every person's row rewritten by the writer's engine while the screens' reader holds a
    snapshot (so the WAL cannot be checkpointed away); the WAL's bytes, read meanwhile."""
    db = Database(path)
    reader = Reader(path)
    try:
        with reader.snapshot():
            assert reader.search(Filters(), TODAY, reasons=False).rows  # the snapshot is taken
            with db.transaction() as s:
                # a value changed (SQLite writes no page for a row it would leave as it was); the
                # resident's name, ID number and phone are still in it as they were
                s.execute(
                    text("UPDATE person SET name = name || ' ', phone = phone || ' ', id_number = id_number || ' '")
                )
                s.execute(text("UPDATE household SET head_name = head_name || ' '"))
            wal = Path(f"{path}-wal").read_bytes()
    finally:
        reader.close()
        db.close()
    assert len(wal) > 50_000, "the rewritten pages are in the WAL"
    return wal


def test_the_wal_of_a_plain_database_reveals_the_residents(plain: Path, secrets: list[bytes]) -> None:
    assert len(revealed(rewrite_residents_under_a_snapshot(plain), secrets)) > len(secrets) // 2


def test_the_wal_reveals_nobody(encrypted: Path, secrets: list[bytes]) -> None:
    assert revealed(rewrite_residents_under_a_snapshot(encrypted), secrets) == []


def test_a_backup_reveals_nobody_and_opens_with_the_key_only(encrypted: Path, secrets: list[bytes], key: bytes) -> None:
    db = Database(encrypted)  # live, in WAL mode, as the app backs it up before a migration
    try:
        saved = schema.backup(encrypted, "test")
    finally:
        db.close()
    assert cipher.is_encrypted(saved)
    assert revealed(saved.read_bytes(), secrets) == []
    assert_sealed(saved, key)
    con = cipher.open_keyed(saved, key, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM person").fetchone()[0] == count_persons(encrypted)
    finally:
        con.close()
    assert schema.read_revision(encrypted) == schema.head_revision()


def count_persons(path: Path) -> int:
    con = cipher.connect(path, read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM person").fetchone()[0])
    finally:
        con.close()


def assert_sealed(path: Path, key: bytes) -> None:
    """Neither the standard library's sqlite3, nor SQLCipher without the key or with another key,
    reads the file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        con.execute("SELECT count(*) FROM person").fetchone()
    con.close()
    for wrong in (None, os.urandom(32), key[:-1] + bytes([key[-1] ^ 1])):
        with pytest.raises(cipher.DatabaseError, match="not a database"):
            cipher.open_keyed(path, wrong, sqlcipher=True, read_only=True)


def test_the_database_does_not_open_without_its_key(encrypted: Path, key: bytes) -> None:
    assert_sealed(encrypted, key)
    cipher.forget_key(encrypted)
    assert cipher.key_for(encrypted) is None
    with pytest.raises(schema.StoreError):  # the app's start-up: "not a Gridworker database"
        schema.read_revision(encrypted)
    cipher.register_key(encrypted, os.urandom(32))  # a wrong key
    with pytest.raises(schema.StoreError):
        schema.prepare(encrypted)
    cipher.register_key(encrypted.parent / "." / "worker.db", key)  # the same file by another spelling
    assert cipher.key_for(encrypted) == key
    assert schema.read_revision(encrypted) == schema.head_revision()


def test_every_read_path_works_with_the_key(encrypted: Path, plain: Path) -> None:
    """The writer's engine (ORM), the screens' Reader, the exports' snapshot: the same answers on the
    encrypted file as on the plain one."""

    def everything(path: Path) -> tuple[object, ...]:
        db = Database(path)
        reader = Reader(path)
        try:
            with db.reading() as s:
                persons = s.scalar(select(func.count()).select_from(Person))
            page = reader.search(Filters(text="1"), TODAY)
            first = page.rows[0]
            detail = reader.household_detail(first.id)
            assert detail is not None
            with snapshot(path) as con:
                households = con.execute("SELECT count(*) FROM household").fetchone()[0]
            target = path.parent / "requests.csv"
            result = export_requests(path, target, "csv", ReviewFilter(), INFO)
            return (
                persons,
                [r.id for r in page.rows],
                [m.name for m in detail.members],
                households,
                [a.name for a in areas(path)],
                result.rows,
                target.read_text("utf-8-sig").splitlines()[1:],
                reader.meta(),
                guide.search(reader.connection(), "低保 办理"),  # the guide's FTS5 on the reader's connection
                guide.list_articles(reader.connection()),
            )
        finally:
            reader.close()
            db.close()

    with_key = everything(encrypted)
    assert with_key == everything(plain)
    assert with_key[0] and with_key[1] and with_key[2] and with_key[3]
    assert cipher.is_encrypted(encrypted)


def test_writes_through_the_engine_are_encrypted_and_errors_are_mapped(encrypted: Path) -> None:
    """SQLAlchemy is told SQLCipher's module: its IntegrityError is SQLAlchemy's, and a write lands."""
    from sqlalchemy.exc import IntegrityError

    db = Database(encrypted)
    try:
        assert db.engine.dialect.dbapi is cipher.dbapi2
        with pytest.raises(IntegrityError), db.transaction() as s:
            s.execute(text("INSERT INTO alembic_version SELECT version_num FROM alembic_version"))
        with db.transaction() as s:
            s.execute(text("INSERT INTO meta (key, value) VALUES ('cipher_test', :v)"), {"v": uuid.uuid4().hex})
        with db.reading() as s:
            assert s.execute(text("SELECT count(*) FROM meta WHERE key = 'cipher_test'")).scalar() == 1
    finally:
        db.close()
    assert cipher.is_encrypted(encrypted)


def test_a_new_database_with_a_key_is_encrypted_from_its_first_page(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "new.db"
    cipher.register_key(path, key)
    try:
        Database(path).close()
        assert cipher.is_encrypted(path)
        assert schema.read_revision(path) == schema.head_revision()
        assert_sealed(path, key)
    finally:
        cipher.forget_key(path)


def test_a_key_is_32_bytes(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        cipher.register_key(tmp_path / "x.db", b"short")
    assert cipher.key_for(tmp_path / "x.db") is None
    assert not cipher.is_encrypted(tmp_path / "missing.db")


def test_the_page_cache_is_raised_on_an_encrypted_database_only(encrypted: Path, plain: Path) -> None:
    def caches(path: Path) -> tuple[int, int]:
        reader = Reader(path)
        db = Database(path)
        try:
            with db.reading() as s:
                written = int(s.execute(text("PRAGMA cache_size")).scalar_one())
            return int(reader.connection().execute("PRAGMA cache_size").fetchone()[0]), written
        finally:
            db.close()
            reader.close()

    assert caches(encrypted) == (-cipher.PAGE_CACHE_KIB, -cipher.PAGE_CACHE_KIB)
    assert -cipher.PAGE_CACHE_KIB not in caches(plain)


def test_a_migration_of_an_encrypted_database_keeps_it_and_its_backup_encrypted(tmp_path: Path, key: bytes) -> None:
    """The next version's migrations run on a keyed connection (Alembic's engine is the app's), and the
    backup made before them is encrypted with the same key."""
    path = tmp_path / "worker.db"
    previous = schema.known_revisions()[-2]
    cipher.register_key(path, key)
    try:
        schema.upgrade(path, previous)
        assert cipher.is_encrypted(path)
        assert schema.read_revision(path) == previous
        opened = schema.prepare(path)
        assert opened.migrated_from == previous and opened.backup_path is not None
        assert schema.read_revision(path) == schema.head_revision()
        assert cipher.is_encrypted(path) and cipher.is_encrypted(opened.backup_path)
        assert_sealed(opened.backup_path, key)
        con = cipher.open_keyed(opened.backup_path, key, read_only=True)
        try:
            assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == previous
        finally:
            con.close()
    finally:
        cipher.forget_key(path)


def test_a_read_only_connection_opens_a_path_with_uri_characters(
    tmp_path: Path, seeded_template: Path, key: bytes
) -> None:
    path = copy_database(seeded_template, tmp_path / "50% #1 ?x" / "张伟.db")
    assert schema.read_revision(path) == schema.head_revision()
    cipher.register_key(path, key)
    try:
        encrypt_in_place(path, key)
        assert schema.read_revision(path) == schema.head_revision()
        assert count_persons(path) > 0
    finally:
        cipher.forget_key(path)
