"""Real laptops against a real server process, through faults (SYNC.md, the failure list).

Each test runs on SQLite and on a PostgreSQL the suite starts itself. A laptop is the app's own
database and sync engine; the kill -9 cases run the laptop as a process (tests/helpers/sync_client.py).
After every fault the laptops converge with the server: the same households at the same versions, every
visit the laptop committed stored exactly once.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import Engine

from gridworker.store.db import Database
from gridworker.store.models import Outbox
from gridworker.store.services import LocalStore
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker.syncing.transport import (
    NotOurServerError,
    OfflineError,
    SignInNeededError,
    UpdateNeededError,
)
from gridworker_server import models as sm
from gridworker_shared.domain.households import VisitInput
from gridworker_shared.protocol import VISIT_WINDOW_DAYS
from tests.helpers.faultproxy import CutRequest, CutResponse, FaultProxy, Html200, ResetBeforeResponse, ResetImmediately
from tests.helpers.pg import PostgresCluster
from tests.helpers.server import ROOT, ServerProcess, run_cli

pytestmark = pytest.mark.slow


@dataclass
class World:
    url: str
    server: ServerProcess
    engine: Engine
    tmp: Path
    cluster: PostgresCluster | None = None
    name: str = ""

    def backup(self) -> None:
        """A consistent copy of the server database, taken with the server stopped."""
        if self.cluster is None:
            path = Path(self.url.removeprefix("sqlite:///"))
            with sqlite3.connect(path) as src, sqlite3.connect(path.with_suffix(".backup")) as dst:
                src.backup(dst)
            return
        with self.cluster.connect_admin() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.name}_bak"')
            c.execute(f'CREATE DATABASE "{self.name}_bak" TEMPLATE "{self.name}"')

    def restore(self) -> None:
        """Put the backup back in place of the live database (the server stopped)."""
        if self.cluster is None:
            path = Path(self.url.removeprefix("sqlite:///"))
            with sqlite3.connect(path.with_suffix(".backup")) as src, sqlite3.connect(path) as dst:
                src.backup(dst)
            return
        with self.cluster.connect_admin() as c:
            c.execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.name}_bak"')

    def counters(self) -> dict[str, int]:
        with self.engine.connect() as c:
            return {r.scope: r.version for r in c.execute(select(sm.ScopeVersion.scope, sm.ScopeVersion.version))}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from open_world(request, tmp_path_factory)


def open_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A seeded server process on the backend ``request.param`` names, and an engine on its database."""
    tmp = tmp_path_factory.mktemp("world")
    cluster: PostgresCluster | None = None
    name = ""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'server.db'}"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = f"e2e_{uuid.uuid4().hex[:10]}"
        url = cluster.create_database(name)
    run_cli(url, "seed-demo", "--today", "2026-11-27", "--grids-per-community", "1", "--households", "90")
    server = ServerProcess(url).start()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        yield World(url, server, engine, tmp, cluster, name)
    finally:
        server.stop()
        engine.dispose()


class Laptop:
    """The app's database and sync engine, signed in as a worker on its own device."""

    def __init__(self, folder: Path, base: str, username: str = "demo", pull_limit: int = 1000) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.path = folder / "worker.db"
        self.db = Database(self.path)
        self.sync_engine = SyncEngine(self.db, TokenStore(folder, use_keyring=False), pull_limit=pull_limit)
        self.base = base
        self.username = username

    def sign_in(self) -> None:
        self.sync_engine.sign_in(self.base, self.username, "demo1234")

    def sync(self) -> None:
        self.sync_engine.sync()

    def store(self) -> LocalStore:
        return LocalStore(self.db, uuid.UUID(self.sync_engine.meta()["worker_id"]))

    def visit(self, n: int = 1, offset: int = 0) -> list[uuid.UUID]:
        ids = self.households()[offset : offset + n]
        return [self.store().record_visit(VisitInput(h, "not_home", [], "", [], None)) for h in ids]

    def households(self) -> list[uuid.UUID]:
        with sqlite3.connect(self.path) as c:
            return [uuid.UUID(r[0]) for r in c.execute("SELECT id FROM household ORDER BY walk_key, id")]

    def versions(self) -> dict[uuid.UUID, int]:
        with sqlite3.connect(self.path) as c:
            return {uuid.UUID(r[0]): r[1] for r in c.execute("SELECT id, version FROM household")}

    def visit_states(self) -> dict[uuid.UUID, str]:
        with sqlite3.connect(self.path) as c:
            return {uuid.UUID(r[0]): r[1] for r in c.execute("SELECT id, review_state FROM visit")}

    def outbox_states(self) -> list[str]:
        with sqlite3.connect(self.path) as c:
            return [r[0] for r in c.execute("SELECT state FROM outbox ORDER BY seq")]

    def cursors(self) -> str:
        return self.sync_engine.meta().get("cursors", "{}")

    def close(self) -> None:
        self.db.close()


def server_versions(world: World, laptop: Laptop) -> dict[uuid.UUID, int]:
    grid = uuid.UUID(str(next(iter(_grids(laptop)))))
    with world.engine.connect() as c:
        rows = c.execute(
            select(sm.Household.id, sm.Household.version).where(
                sm.Household.grid_id == grid, sm.Household.deleted_at.is_(None)
            )
        )
        return {r.id: r.version for r in rows}


def _grids(laptop: Laptop) -> set[str]:
    with sqlite3.connect(laptop.path) as c:
        return {str(uuid.UUID(r[0])) for r in c.execute("SELECT DISTINCT grid_id FROM household")}


def stored(world: World, visit_ids: list[uuid.UUID]) -> int:
    with world.engine.connect() as c:
        return int(c.scalar(select(func.count()).where(sm.Visit.id.in_(visit_ids))) or 0)


def server_visit_states(engine: Engine, households: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The review states of the households' visits the server sends a laptop (those of the window)."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=VISIT_WINDOW_DAYS)
    with engine.connect() as c:
        rows = c.execute(
            select(sm.Visit.id, sm.Visit.review_state).where(
                sm.Visit.household_id.in_(households), sm.Visit.visited_at >= since
            )
        )
        return {r.id: r.review_state for r in rows}


def converged(world: World, laptop: Laptop) -> None:
    """Nothing unsent, the households at the server's versions, and every visit the server sends a
    laptop held, in the server's review state (whether it came whole or as the visits changed since)."""
    assert laptop.outbox_states().count("pending") == 0
    assert laptop.versions() == server_versions(world, laptop)
    held, sent = laptop.visit_states(), server_visit_states(world.engine, laptop.households())
    assert sent, "no visit to compare"
    assert {v: held.get(v) for v in sent} == sent


@pytest.fixture
def laptop(world: World, tmp_path: Path) -> Iterator[Laptop]:
    lap = Laptop(tmp_path / "laptop", world.server.base)
    lap.sign_in()
    lap.sync()
    yield lap
    lap.close()


# -- the network ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [CutRequest(200), ResetBeforeResponse(), CutResponse(200), ResetImmediately()],
    ids=["push-body-cut", "response-lost-after-commit", "response-truncated", "reset-at-connect"],
)
def test_push_through_a_fault_applies_once(world: World, laptop: Laptop, fault: object) -> None:
    """SYNC.md 3, 4, 24: whatever the network does to the push, the resend applies each visit once and
    the laptop is caught up within two attempts after the fault stops."""
    with FaultProxy("127.0.0.1", world.server.port) as proxy:
        laptop.sync_engine.transport.base_url = proxy.url
        visits = laptop.visit(3)
        proxy.set_plan(fault)  # type: ignore[arg-type]
        with pytest.raises(OfflineError):
            laptop.sync()
        assert proxy.faults_applied == 1
        laptop.sync()
        laptop.sync()
    assert stored(world, visits) == 3
    converged(world, laptop)


def test_a_sync_with_visits_to_send_is_one_round_trip(world: World, laptop: Laptop) -> None:
    """Protocol 6: the last push of a sync carries the pull, answered after the push's commit; the
    laptop then holds the server's versions of what it pushed, and a second sync is one no-change pull."""
    with FaultProxy("127.0.0.1", world.server.port) as proxy:
        laptop.sync_engine.transport.base_url = proxy.url
        visits = laptop.visit(3)
        laptop.sync()
        assert [e.target for e in proxy.events] == ["/v1/sync/push"]
        assert laptop.outbox_states()[-3:] == ["applied"] * 3
        converged(world, laptop)
        cursors = laptop.cursors()
        laptop.sync()
        assert [e.target for e in proxy.events] == ["/v1/sync/push", "/v1/sync/pull"]
        assert laptop.cursors() == cursors
    assert stored(world, visits) == 3


def test_captive_portal_is_not_our_server(world: World, laptop: Laptop) -> None:
    """SYNC.md 25: an HTML page with status 200 is recognised, nothing is applied, the queue waits."""
    with FaultProxy("127.0.0.1", world.server.port) as proxy:
        laptop.sync_engine.transport.base_url = proxy.url
        visits = laptop.visit(1)
        proxy.default = Html200()
        with pytest.raises(NotOurServerError):
            laptop.sync()
        assert laptop.outbox_states() == ["pending"]
        assert stored(world, visits) == 0


def test_truncated_pull_page_leaves_cursors_and_data(world: World, tmp_path: Path) -> None:
    """A download cut mid-page stages nothing; the next sync completes the first sync."""
    with FaultProxy("127.0.0.1", world.server.port) as proxy:
        lap = Laptop(tmp_path / "fresh", proxy.url)
        lap.sign_in()
        proxy.set_plan(CutResponse(2000))
        with pytest.raises(OfflineError):
            lap.sync()
        assert lap.households() == []
        assert lap.cursors() == "{}"
        lap.sync()
    converged(world, lap)
    lap.close()


# -- kill -9 of the laptop --------------------------------------------------------------------------


def _client(laptop: Laptop, base: str, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    laptop.db.close()
    env = {"PATH": "/usr/bin:/bin"}
    if crash_at:
        env["GRIDWORKER_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "tests.helpers.sync_client", str(laptop.path), base, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("point", ["client_push_after_response", "client_ack_before_commit"])
def test_laptop_killed_after_the_server_answered(world: World, laptop: Laptop, point: str) -> None:
    """SYNC.md 2, 4, 5: killed after the server committed, before or during the acknowledgement; after
    a restart the resend replays the stored results: one visit each, the outbox empties."""
    done = _client(laptop, world.server.base, "--visits", "2", crash_at=point)
    assert done.returncode == -9, done.stderr
    states = sqlite3.connect(laptop.path).execute("SELECT state FROM outbox ORDER BY seq").fetchall()
    assert [s for (s,) in states][-2:] == ["pending", "pending"]
    with sqlite3.connect(laptop.path) as c:
        ids = [uuid.UUID(r[0]) for r in c.execute("SELECT id FROM visit ORDER BY created_at DESC LIMIT 2")]
    assert stored(world, ids) == 2  # the server has them already
    done = _client(laptop, world.server.base)
    assert done.returncode == 0, done.stderr
    lap = Laptop(laptop.folder, world.server.base)
    assert stored(world, ids) == 2
    converged(world, lap)
    lap.close()


@pytest.mark.parametrize("point", ["client_pull_after_stage", "client_pull_apply_before_commit"])
def test_laptop_killed_mid_pull(world: World, tmp_path: Path, point: str) -> None:
    """SYNC.md 6: killed after a staged page, or inside the final apply: the cursor never gets ahead of
    the data, and the next sync resumes and completes."""
    lap = Laptop(tmp_path / "pull", world.server.base)
    lap.sign_in()
    lap.close()
    done = _client(lap, world.server.base, "--pull-limit", "20", crash_at=point)
    assert done.returncode == -9, done.stderr
    with sqlite3.connect(lap.path) as c:
        cursors = dict(c.execute("SELECT key, value FROM meta").fetchall()).get("cursors", "{}")
        households = c.execute("SELECT count(*) FROM household").fetchone()[0]
    assert (cursors in ("", "{}")) == (households == 0)  # no cursor without its data
    done = _client(lap, world.server.base, "--pull-limit", "20")
    assert done.returncode == 0, done.stderr
    lap = Laptop(tmp_path / "pull", world.server.base)
    converged(world, lap)
    lap.close()


# -- restores, forks, versions, sign-in -------------------------------------------------------------


def test_laptop_database_restored_from_backup_is_a_fork(world: World, laptop: Laptop) -> None:
    """SYNC.md 19: the laptop's database comes back from a backup, new work is made on it: the server
    reports a fork, the laptop takes a new device id, nothing is lost and nothing applied twice."""
    backup = laptop.folder / "backup.db"
    laptop.db.close()
    shutil.copy(laptop.path, backup)
    laptop.db = Database(laptop.path)
    laptop.sync_engine.db = laptop.db
    after_backup = laptop.visit(2)
    laptop.sync()
    laptop.db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(laptop.path) + suffix).unlink(missing_ok=True)
    shutil.copy(backup, laptop.path)
    old_device = laptop.sync_engine.meta()["device_id"]
    laptop.db = Database(laptop.path)
    laptop.sync_engine.db = laptop.db
    new_work = laptop.visit(2, offset=5)
    laptop.sync()
    assert laptop.sync_engine.meta()["device_id"] != old_device
    assert stored(world, after_backup + new_work) == 4
    laptop.sync()
    converged(world, laptop)


def test_server_restored_from_backup_gets_everything_again(world: World, laptop: Laptop) -> None:
    """SYNC.md 9: the server database goes back to an older backup and gets a new epoch: the laptop
    resets its scopes and pushes again what the server lost; nothing is lost, nothing doubled."""
    world.server.stop()
    world.engine.dispose()
    world.backup()
    world.server = ServerProcess(world.url, port=world.server.port).start()
    lost = laptop.visit(3, offset=10)
    laptop.sync()
    assert stored(world, lost) == 3
    world.server.stop()
    world.engine.dispose()
    world.restore()
    run_cli(world.url, "new-epoch")
    world.server = ServerProcess(world.url, port=world.server.port).start()
    assert stored(world, lost) == 0
    laptop.sync()
    laptop.sync()
    assert stored(world, lost) == 3
    converged(world, laptop)


def test_old_client_gets_426_and_keeps_its_queue(world: World, laptop: Laptop, monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNC.md 20: a client outside the server's window is told to update; its outbox stays."""
    laptop.visit(1, offset=20)
    monkeypatch.setattr("gridworker.syncing.transport.PROTOCOL_VERSION", 0)
    with pytest.raises(UpdateNeededError) as err:
        laptop.sync()
    assert err.value.code == "client_too_old"
    assert laptop.outbox_states()[-1] == "pending"
    assert laptop.sync_engine.meta().get("update_needed") == "client_too_old"
    monkeypatch.undo()
    laptop.sync()
    assert laptop.outbox_states()[-1] == "applied"


def test_expired_token_keeps_the_outbox_and_the_sequence(world: World, laptop: Laptop) -> None:
    """SYNC.md 21: after a long offline period the token has lapsed: 401, local data kept; signing in
    again continues the same device's sequence."""
    device = uuid.UUID(laptop.sync_engine.meta()["device_id"])
    visits = laptop.visit(1, offset=30)
    with world.engine.begin() as c:
        c.execute(update(sm.Device).where(sm.Device.id == device).values(expires_at=text("'2020-01-01 00:00:00'")))
    with pytest.raises(SignInNeededError) as err:
        laptop.sync()
    assert err.value.code == "token_expired"
    assert laptop.outbox_states()[-1] == "pending"
    laptop.sign_in()
    assert laptop.sync_engine.meta()["device_id"] == str(device)
    laptop.sync()
    assert stored(world, visits) == 1
    converged(world, laptop)


def test_revoked_device_must_sign_in_again(world: World, laptop: Laptop) -> None:
    device = laptop.sync_engine.meta()["device_id"]
    visits = laptop.visit(1, offset=40)
    run_cli(world.url, "revoke-device", device)
    with pytest.raises(SignInNeededError) as err:
        laptop.sync()
    assert err.value.code == "device_revoked"
    laptop.sign_in()  # a new device: the unsent work is renumbered from 1
    assert laptop.sync_engine.meta()["device_id"] != device
    laptop.sync()
    assert stored(world, visits) == 1
    converged(world, laptop)


def test_locked_database_while_applying_a_pull(world: World, laptop: Laptop, tmp_path: Path) -> None:
    """SYNC.md 22: the local database is locked while a pull applies: rolled back, the cursor stays,
    the next sync applies it."""
    other = Laptop(tmp_path / "other", world.server.base)
    other.sign_in()
    other.sync()
    other.visit(1, offset=50)
    other.sync()
    before = laptop.cursors()
    lock = sqlite3.connect(laptop.path, timeout=0)
    lock.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Exception, match="locked"):
            laptop.sync()
    finally:
        lock.rollback()
        lock.close()
    assert laptop.cursors() == before
    laptop.sync()
    assert laptop.cursors() != before
    converged(world, laptop)
    other.close()


def test_two_laptops_and_a_supervisor_converge(world: World, laptop: Laptop, tmp_path: Path) -> None:
    """SYNC.md 12, 13, 15: a worker's two laptops and a supervisor edit the same households: different
    fields merge, the same field keeps the last arrival with a conflict record, a removal wins over an
    offline edit (reported), and everyone ends with the server's rows."""
    second = Laptop(tmp_path / "second", world.server.base)
    second.sign_in()
    second.sync()
    a, b, gone = laptop.households()[60:63]
    laptop.store().update_household(a, {"notes": "laptop one"})
    second.store().update_household(a, {"phone": "13912345678"})
    laptop.store().update_household(b, {"notes": "from laptop one"})
    second.store().update_household(b, {"notes": "from laptop two"})
    second.store().update_household(gone, {"notes": "edited offline"})
    run_cli(world.url, "household-remove", str(gone))
    laptop.sync()
    second.sync()
    laptop.sync()
    assert laptop.outbox_states().count("pending") == 0
    states = second.outbox_states()
    assert "conflict" in states and "rejected" in states
    with sqlite3.connect(second.path) as c:
        code = c.execute("SELECT json_extract(result, '$.code') FROM outbox WHERE state = 'rejected'").fetchone()[0]
    assert code == "household_removed"  # the app says it in the user's language, by this code
    with world.engine.connect() as c:
        row = c.execute(select(sm.Household.notes, sm.Household.phone).where(sm.Household.id == a)).one()
        assert (row.notes, row.phone) == ("laptop one", "13912345678")
        assert c.scalar(select(sm.Household.notes).where(sm.Household.id == b)) == "from laptop two"
        kept = c.execute(select(sm.Conflict.kept, sm.Conflict.overwritten).where(sm.Conflict.entity_id == b)).one()
        assert (kept.kept, kept.overwritten) == ("from laptop two", "from laptop one")
    for lap in (laptop, second):
        assert gone not in lap.households()
        converged(world, lap)
    second.close()


def test_status_write_is_refused_and_the_queue_goes_on(world: World, laptop: Laptop) -> None:
    """SYNC.md 11: a poison mutation is set aside with its reason; what follows it is applied."""
    with laptop.db.transaction() as s:
        hid = laptop.households()[70]
        s.add(
            Outbox(
                kind="request.update",
                entity_id=uuid.uuid4(),
                household_id=hid,
                payload={"id": str(uuid.uuid4()), "household_id": str(hid), "status": "resolved"},
            )
        )
    visits = laptop.visit(1, offset=71)
    laptop.sync()
    assert laptop.outbox_states()[-2:] == ["rejected", "applied"]
    assert stored(world, visits) == 1


def test_app_upgrade_with_unsent_work(world: World, laptop: Laptop) -> None:
    """SYNC.md 7, 20: the laptop's database is at the previous schema with unsent visits; the new app
    backs it up, migrates it in one transaction and then pushes the queue as it was."""
    from alembic import command

    from gridworker.store.schema import alembic_config, read_revision

    visits = laptop.visit(2, offset=80)
    laptop.close()
    command.downgrade(alembic_config(f"sqlite+pysqlite:///{laptop.path}"), "0002")
    assert read_revision(laptop.path) == "0002"
    upgraded = Laptop(laptop.folder, world.server.base)  # the new version opens (and migrates) it
    assert read_revision(upgraded.path) != "0002"
    (saved,) = (laptop.path.parent / "backups").glob("worker-before-*.db")
    assert read_revision(saved) == "0002"  # the backup is the database as the old version left it
    assert upgraded.outbox_states()[-2:] == ["pending", "pending"]
    upgraded.sync()
    assert stored(world, visits) == 2
    converged(world, upgraded)
    upgraded.close()
