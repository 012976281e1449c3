"""Remote wipe and the recovery secret end to end (issue 14): the app's own database, key file, token
store and sync engine against a real server process, on SQLite and on a PostgreSQL the suite starts.

A laptop revoked as lost wipes its database, key file, token, drafts and backups at its next sync (or at
the start-up check, before anything opens) and the server records the confirmation; one handed over
pushes its unsent visits first (on the server exactly once), then wipes; a plain revoke keeps the data.
Another user's files on the same laptop are never touched.
"""

from __future__ import annotations

import base64
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from gridworker.paths import worker_db_path
from gridworker.store.db import Database
from gridworker.store.keys import KeyFile, key_path
from gridworker.store.schema import backup
from gridworker.store.services import LocalStore
from gridworker.syncing import wipe
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker.syncing.transport import DeviceWipedError, OfflineError, RefusedError, SignInNeededError
from gridworker.ui import unlock
from gridworker_server import models as sm
from gridworker_shared.domain.households import VisitInput
from tests.helpers.pg import PostgresCluster, free_port
from tests.helpers.server import HEADERS, ServerProcess, login, run_cli

pytestmark = pytest.mark.slow

PASSWORD = "demo1234"
# a cheap key derivation: the tests exercise the wipe, not Argon2's cost
FAST_KDF = {"name": "argon2id", "time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@dataclass
class World:
    url: str
    server: ServerProcess
    engine: Engine

    def cli(self, *args: str) -> str:
        return run_cli(self.url, *args)

    def device(self, device_id: str) -> sm.Device:
        with self.engine.connect() as c:
            row = c.execute(select(sm.Device).where(sm.Device.id == uuid.UUID(device_id))).one()
        return sm.Device(**row._mapping)

    def stored(self, visit_ids: list[uuid.UUID]) -> int:
        with self.engine.connect() as c:
            return int(c.scalar(select(func.count()).where(sm.Visit.id.in_(visit_ids))) or 0)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("wipe_world")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'server.db'}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database(f"wipe_{uuid.uuid4().hex[:10]}")
    run_cli(url, "seed-demo", "--today", "2026-11-27", "--grids-per-community", "1", "--households", "60")
    server = ServerProcess(url).start()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        yield World(url, server, engine)
    finally:
        server.stop()
        engine.dispose()


class Laptop:
    """A data folder laid out as the app lays it out: workers/<user>.db, its key file, backups/, the
    token store; the user's database signed in and synced."""

    def __init__(self, folder: Path, base: str, username: str = "demo") -> None:
        self.folder = folder
        self.base = base
        self.username = username
        self.path = worker_db_path(username, folder)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tokens = TokenStore(folder, use_keyring=False)
        self.db = Database(self.path)
        self.engine = SyncEngine(self.db, self.tokens)
        self.engine.sign_in(base, username, PASSWORD)
        self.engine.sync()

    @property
    def device_id(self) -> str:
        return self.engine.meta()["device_id"]

    def visit(self, n: int, offset: int = 0) -> list[uuid.UUID]:
        store = LocalStore(self.db, uuid.UUID(self.engine.meta()["worker_id"]))
        with sqlite3.connect(self.path) as c:
            ids = [uuid.UUID(r[0]) for r in c.execute("SELECT id FROM household ORDER BY walk_key, id")]
        return [store.record_visit(VisitInput(h, "not_home", [], "", [], None)) for h in ids[offset : offset + n]]

    def more_data(self) -> None:
        """A key file, a draft and a backup: everything a wipe must remove."""
        KeyFile.create(key_path(self.path), "a good pin 7", kdf=FAST_KDF)
        store = LocalStore(self.db, uuid.UUID(self.engine.meta()["worker_id"]))
        with sqlite3.connect(self.path) as c:
            (hid,) = c.execute("SELECT id FROM household ORDER BY id LIMIT 1").fetchone()
        assert store.save_draft(f"visit:{hid}", "visit", uuid.UUID(hid), {"notes": "门口有快递"})
        backup(self.path, "before-test")

    def files(self) -> list[Path]:
        return wipe.user_files(self.folder, self.username)

    def present(self) -> list[str]:
        return sorted(p.name for p in self.files() if p.exists())

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def laptop(world: World, tmp_path: Path) -> Iterator[Laptop]:
    lap = Laptop(tmp_path / "data", world.server.base)
    yield lap
    lap.close()


@pytest.fixture
def neighbour(laptop: Laptop, world: World) -> Iterator[Laptop]:
    """Another worker's data on the same laptop (workers share laptops): never touched by the wipe."""
    other = Laptop(laptop.folder, world.server.base, "worker02")
    other.more_data()
    yield other
    other.close()


def _assert_wiped(laptop: Laptop, world: World, device_id: str, mode: str) -> None:
    assert laptop.present() == []
    assert not laptop.path.exists() and not key_path(laptop.path).exists()
    assert not list((laptop.path.parent / "backups").glob(f"{laptop.path.stem}-*"))
    assert laptop.tokens.get(laptop.base, laptop.username) is None
    assert wipe.notices(laptop.folder) == [(laptop.username, mode)]
    row = world.device(device_id)
    assert (row.wipe, row.wipe_confirmed_at is not None) == (mode, True)


def _intact(other: Laptop) -> None:
    assert other.path.exists() and key_path(other.path).exists()
    assert list((other.path.parent / "backups").glob(f"{other.path.stem}-before-test-*"))
    assert other.tokens.get(other.base, other.username)


def test_a_laptop_revoked_as_lost_wipes_everything_at_its_next_sync(
    world: World, laptop: Laptop, neighbour: Laptop
) -> None:
    laptop.more_data()
    unsent = laptop.visit(2)
    device = laptop.device_id
    before = laptop.present()
    assert {laptop.path.name, key_path(laptop.path).name} <= set(before) and len(before) >= 4
    world.cli("revoke-device", device, "--wipe", "lost")

    with pytest.raises(DeviceWipedError) as raised:
        laptop.engine.sync()
    assert raised.value.mode == "lost"
    _assert_wiped(laptop, world, device, "lost")
    assert world.stored(unsent) == 0  # lost: nothing more is taken from it
    _intact(neighbour)
    neighbour.engine.sync()  # the other worker syncs on as before


def test_a_handed_over_laptop_pushes_its_unsent_visits_once_then_wipes(
    world: World, laptop: Laptop, neighbour: Laptop
) -> None:
    laptop.more_data()
    sent = laptop.visit(1)
    laptop.engine.sync()
    device = laptop.device_id
    supervisor = login(world.server.base, "supervisor")
    r = requests.post(
        f"{world.server.base}/v1/devices/{device}/revoke",
        json={"wipe": "handover"},
        headers={**HEADERS, "Authorization": f"Bearer {supervisor['token']}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    unsent = laptop.visit(3, offset=1)

    with pytest.raises(DeviceWipedError) as raised:
        laptop.engine.sync()
    assert raised.value.mode == "handover"
    assert world.stored(sent + unsent) == 4  # every visit on the server, each once (ids are its keys)
    with world.engine.connect() as c:
        logged = c.scalar(select(func.count()).where(sm.MutationLog.device_id == uuid.UUID(device)))
    assert logged == 4
    _assert_wiped(laptop, world, device, "handover")
    _intact(neighbour)


def test_the_start_up_check_wipes_before_anything_opens(world: World, laptop: Laptop, neighbour: Laptop) -> None:
    laptop.more_data()
    device = laptop.device_id
    laptop.close()  # the app has not opened the database yet
    tokens = TokenStore(laptop.folder, use_keyring=False)
    assert wipe.check_device(laptop.folder, "demo", world.server.base, tokens) == ""  # active: nothing
    assert laptop.path.exists()
    world.cli("revoke-device", device, "--wipe", "lost")

    closed = f"http://127.0.0.1:{free_port()}"
    assert wipe.check_device(laptop.folder, "demo", closed, tokens) == ""  # offline: the app goes on
    assert laptop.path.exists()
    assert wipe.check_device(laptop.folder, "demo", world.server.base, tokens, timeout=5.0) == "lost"
    _assert_wiped(laptop, world, device, "lost")
    _intact(neighbour)
    wipe.mark_shown(laptop.folder)
    assert wipe.notices(laptop.folder) == []
    assert wipe.check_device(laptop.folder, "demo", world.server.base, tokens) == ""


def test_the_start_up_check_of_a_handed_over_laptop_pushes_first(world: World, laptop: Laptop) -> None:
    unsent = laptop.visit(2)
    device = laptop.device_id
    laptop.close()
    world.cli("revoke-device", device, "--wipe", "handover")
    tokens = TokenStore(laptop.folder, use_keyring=False)
    assert wipe.check_device(laptop.folder, "demo", world.server.base, tokens, timeout=5.0) == "handover"
    assert world.stored(unsent) == 2
    _assert_wiped(laptop, world, device, "handover")


def test_an_interrupted_wipe_is_finished_and_confirmed_at_the_next_start(world: World, laptop: Laptop) -> None:
    laptop.more_data()
    device = laptop.device_id
    world.cli("revoke-device", device, "--wipe", "lost")
    token = laptop.tokens.get(laptop.base, "demo")
    laptop.close()
    # the engine wrote the wipe down, then the laptop died before removing anything
    wipe.begin_wipe(laptop.folder, "demo", "lost", server_url=laptop.base, device_id=device, token=token)
    assert laptop.path.exists()
    tokens = TokenStore(laptop.folder, use_keyring=False)
    assert wipe.check_device(laptop.folder, "demo", "", tokens) == "lost"  # no server needed to finish
    _assert_wiped(laptop, world, device, "lost")


def test_a_plain_revoke_keeps_the_data(world: World, laptop: Laptop) -> None:
    laptop.more_data()
    unsent = laptop.visit(1)
    world.cli("revoke-device", laptop.device_id)
    with pytest.raises(SignInNeededError) as raised:
        laptop.engine.sync()
    assert not isinstance(raised.value, DeviceWipedError)
    assert (raised.value.code, raised.value.detail.get("wipe")) == ("device_revoked", "")
    _intact(laptop)
    assert laptop.engine.meta()["sign_in_needed"] == "device_revoked"
    tokens = TokenStore(laptop.folder, use_keyring=False)
    assert wipe.check_device(laptop.folder, "demo", world.server.base, tokens) == ""
    assert laptop.path.exists() and wipe.notices(laptop.folder) == []
    # signing in again continues with the data and sends the unsent visit
    laptop.engine.sign_in(laptop.base, "demo", PASSWORD)
    laptop.engine.sync()
    assert world.stored(unsent) == 1


def test_the_recovery_secret_reaches_the_server_and_comes_back_on_a_password_sign_in(
    world: World, laptop: Laptop
) -> None:
    keyfile, data_key = KeyFile.create(key_path(laptop.path), "a good pin 7", kdf=FAST_KDF)
    secret = secrets.token_bytes(32)
    keyfile.set_recovery(data_key, secret)
    assert KeyFile.load(keyfile.path).recovery_pending

    # offline when the PIN was set: the secret waits in the (encrypted) database, not in a file
    laptop.engine.transport.base_url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(OfflineError):
        laptop.engine.send_recovery_secret(secret)
    assert laptop.engine.meta()["recovery_secret"] == base64.b64encode(secret).decode()
    assert KeyFile.load(keyfile.path).recovery_pending
    laptop.engine.transport.base_url = laptop.base
    laptop.engine.sync()  # the sync sends it
    assert not KeyFile.load(keyfile.path).recovery_pending
    assert laptop.engine.meta().get("recovery_secret", "") == ""
    assert world.device(laptop.device_id).recovery_key == secret

    # the PIN forgotten: a password sign-in gives the secret back, and it opens the key file
    back = laptop.engine.recover_secret(laptop.base, "demo", PASSWORD)
    assert back == secret
    assert KeyFile.load(keyfile.path).unlock_with_recovery(back) == data_key
    laptop.engine.sync()  # the sign-in's new token syncs

    # another device of the same user gets nothing
    other = Laptop(laptop.folder.parent / "other", world.server.base)
    try:
        with pytest.raises(RefusedError) as refused:
            other.engine.recover_secret(other.base, "demo", PASSWORD)
        assert refused.value.code == "recovery_unavailable"
    finally:
        other.close()
    # and once revoked, neither does this one
    world.cli("revoke-device", laptop.device_id)
    with pytest.raises(RefusedError) as refused:
        laptop.engine.recover_secret(laptop.base, "demo", PASSWORD)
    assert refused.value.code == "recovery_unavailable"


@pytest.mark.expect_log("gridworker.syncing.engine", "WARNING", match="took no more pushes")
def test_a_handed_over_laptop_whose_user_left_wipes_what_it_can_no_longer_send(world: World, tmp_path: Path) -> None:
    with world.engine.connect() as c:
        grid = c.scalar(
            select(sm.OrgUnit.code)
            .join(sm.GridAssignment, sm.GridAssignment.grid_id == sm.OrgUnit.id)
            .join(sm.User, sm.User.id == sm.GridAssignment.user_id)
            .where(sm.User.username == "worker03", sm.GridAssignment.until.is_(None))
        )
    assert grid
    name = f"leaver{uuid.uuid4().hex[:6]}"
    run_cli(world.url, "create-user", name, "--role", "worker", "--org", grid, "--password-stdin", stdin=PASSWORD)
    world.cli("assign-grid", grid, name)
    laptop = Laptop(tmp_path / "data", world.server.base, name)
    try:
        laptop.more_data()
        unsent = laptop.visit(1)
        device = laptop.device_id
        world.cli("revoke-device", device, "--wipe", "handover")
        world.cli("deactivate-user", name)
        with pytest.raises(DeviceWipedError):
            laptop.engine.sync()
    finally:
        laptop.close()
    assert world.stored(unsent) == 0  # its user gone: nothing more is taken from the laptop
    _assert_wiped(laptop, world, device, "handover")


def test_the_recovery_secret_is_sent_once_whatever_the_order_of_the_pin_set_up(world: World, laptop: Laptop) -> None:
    secret = secrets.token_bytes(32)
    laptop.engine.send_recovery_secret(secret)  # before the key file holds its wrap
    assert world.device(laptop.device_id).recovery_key == secret
    assert laptop.engine.meta()["recovery_secret"]  # kept: the key file does not say so yet
    with world.engine.begin() as c:  # the server's copy changed behind the laptop's back
        c.execute(
            sm.Device.__table__.update().where(sm.Device.id == uuid.UUID(laptop.device_id)).values(recovery_key=b"x")
        )
    laptop.engine.sync()
    assert world.device(laptop.device_id).recovery_key == b"x"  # not sent again at every sync

    keyfile, data_key = KeyFile.create(key_path(laptop.path), "a good pin 7", kdf=FAST_KDF)
    keyfile.set_recovery(data_key, secret)
    laptop.engine.sync()
    assert not KeyFile.load(keyfile.path).recovery_pending
    assert laptop.engine.meta().get("recovery_secret", "") == ""


def test_a_forgotten_pin_at_start_up_is_recovered_before_the_database_opens(world: World, laptop: Laptop) -> None:
    """At start-up no engine can open the encrypted database: the key file names the device the server
    holds the secret for, and a password sign-in made from outside the database brings it back."""
    keyfile, data_key = KeyFile.create(key_path(laptop.path), "a good pin 7", kdf=FAST_KDF)
    secret = secrets.token_bytes(32)
    keyfile.set_recovery(data_key, secret)
    laptop.engine.send_recovery_secret(secret)
    assert KeyFile.load(keyfile.path).device_id == laptop.device_id
    laptop.close()  # the laptop restarts; the PIN is forgotten; nothing holds the data key

    back = unlock.recover_secret(laptop.path, laptop.tokens, laptop.base, "demo", PASSWORD)
    assert KeyFile.load(keyfile.path).unlock_with_recovery(back) == data_key
    assert laptop.tokens.get(laptop.base, "demo")  # the sign-in's token kept for the next sync
    with pytest.raises(SignInNeededError) as wrong:
        unlock.recover_secret(laptop.path, laptop.tokens, laptop.base, "demo", "wrong password 1")
    assert wrong.value.code == "bad_credentials"
