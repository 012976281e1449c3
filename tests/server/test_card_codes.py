"""Card codes: the server gives every user eight digits (seven and a Luhn check digit) unique
city-wide, at creation (under concurrent creation too) and by migration for users made before; the
worker row of the pull carries the code to the laptop, where the card prints it."""

from __future__ import annotations

import datetime as dt
import random
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from gridworker.cards.vcard import fallback_code
from gridworker.store.db import Database as LocalDatabase
from gridworker.store.reads import Reader
from gridworker.syncing.apply import apply_page, defer_foreign_keys, pending_households
from gridworker_server import admin
from gridworker_server.db import Database, alembic_config
from gridworker_server.models import OrgUnit, User
from gridworker_shared.domain import card_codes
from gridworker_shared.protocol import PullResponse
from tests.server.support import DatabaseFactory, Seeded

WORKERS = 8


@pytest.fixture
def database(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Database]:
    url, drop = db_factory.new(backend, request)
    db = Database(url)
    yield db
    db.dispose()
    drop()


def all_codes(db: Database) -> list[str | None]:
    with db.read() as s:
        return list(s.scalars(select(User.card_code)))


def test_every_seeded_user_has_a_valid_unique_code(database: Database) -> None:
    codes = all_codes(database)
    assert codes and all(c is not None and card_codes.is_card_code(c) for c in codes)
    assert len(set(codes)) == len(codes)


def test_concurrent_creation_gives_unique_codes(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight users created at once, drawing from only twelve codes: the draws collide (with each other,
    committed or not yet), and still every user ends with a code of their own."""
    pool = [card_codes.card_code(f"{n:07d}") for n in range(9_000_000, 9_000_012)]
    rng = random.Random(20261204)
    lock = threading.Lock()

    def draw() -> str:
        with lock:
            return rng.choice(pool)

    monkeypatch.setattr(card_codes, "random_card_code", draw)
    with database.read() as s:
        code = s.scalar(
            select(OrgUnit.code).join(User, User.org_unit_id == OrgUnit.id).where(User.role == "worker").limit(1)
        )
    barrier = threading.Barrier(WORKERS)
    made: dict[str, str] = {}
    errors: list[BaseException] = []

    def create(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            with database.write() as s:
                user = admin.create_user(s, f"cc{n}-{uuid.uuid4().hex[:6]}", f"新员{n}", "worker", code, "password1")
                made[user.username] = user.card_code or ""
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(made) == WORKERS
    assert set(made.values()) <= set(pool) and len(set(made.values())) == WORKERS
    codes = all_codes(database)
    assert len(set(codes)) == len(codes)  # unique city-wide


def test_the_migration_gives_users_made_before_a_code(backend: str, tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("the migration's SQL is the same on both; SQLite shows it")
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    cfg = alembic_config(url)
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # as Database.migrate does
        with connection.begin():
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0004")
        raw.execute("PRAGMA foreign_keys=ON")
    with db.engine.begin() as connection:
        ids = [uuid.uuid4() for _ in range(50)]
        user = sa.table(
            "app_user",
            *(sa.column(c) for c in ("username", "name", "phone", "role", "service_hours", "card_line")),
            sa.column("id", sa.Uuid()),
            sa.column("password_hash"),
            sa.column("active", sa.Boolean()),
            sa.column("created_at", sa.DateTime()),
        )
        connection.execute(
            sa.insert(user),
            [
                {
                    "id": i,
                    "username": f"u{n}",
                    "name": "旧员",
                    "phone": "",
                    "role": "admin",
                    "service_hours": "",
                    "card_line": "",
                    "password_hash": "x",
                    "active": True,
                    "created_at": dt.datetime(2026, 1, 1),
                }
                for n, i in enumerate(ids)
            ],
        )
    db.migrate()
    codes = all_codes(db)
    assert len(codes) == 50 and all(c is not None and card_codes.is_card_code(c) for c in codes)
    assert len(set(codes)) == 50
    db.dispose()


def test_the_code_reaches_the_laptop_through_a_pull(server: Seeded, tmp_path: Path) -> None:
    device = server.device("demo")
    with server.session() as s:
        me = s.scalars(select(User).where(User.username == "demo")).one()
        expected = me.card_code
        my_id = me.id
    assert expected is not None and card_codes.is_card_code(expected)
    pages = device.pull()
    local = LocalDatabase(tmp_path / "laptop.db")
    try:
        for page in pages:
            with local.transaction() as s:
                defer_foreign_keys(s)
                apply_page(s, PullResponse.model_validate(page), pending_households(s))
        reader = Reader(local.path)
        try:
            card = reader.worker_card(my_id)
            grids = reader.grids()
        finally:
            reader.close()
    finally:
        local.close()
    assert card is not None and card.card_code == expected and grids
    # what the card prints under its QR code (tests/gui/test_cards_pdf.py prints it)
    assert fallback_code(card.card_code) == f"{expected[:4]} {expected[4:]}"
