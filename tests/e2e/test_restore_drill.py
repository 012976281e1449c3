"""The restore drill an operator follows (README, Operations): ``gridworker-server backup`` while the
server serves, more work is pushed and acknowledged, the database is lost and restored from the
backup, ``new-epoch``, restart: the laptop pushes again what the backup lost and the server ends with
everything exactly once (SYNC.md 9). Real server processes, the app's real sync engine."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gridworker_server import models as sm
from gridworker_server.backup import pg_dump_path
from tests.e2e.test_sync_faults import Laptop, World, converged, open_world, stored
from tests.helpers.server import ServerProcess, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from open_world(request, tmp_path_factory)


def _restore(world: World, dump: Path) -> None:
    """Put the backup in place of the lost database, as the README says (the server stopped)."""
    if world.cluster is None:
        db = Path(world.url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(dump, db)
        return
    with world.cluster.connect_admin() as c:
        c.execute(f'DROP DATABASE "{world.name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{world.name}"')
    restore = str(Path(pg_dump_path()).with_name("pg_restore"))
    url = world.url.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run([restore, "--no-owner", "--dbname", url, str(dump)], check=True, capture_output=True, timeout=300)


def _copies(world: World, ids: list[uuid.UUID]) -> int:
    """Visit rows with these ids."""
    with world.engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(sm.Visit).where(sm.Visit.id.in_(ids))) or 0)


def test_restore_drill_loses_nothing(world: World, tmp_path: Path) -> None:
    laptop = Laptop(tmp_path / "laptop", world.server.base)
    try:
        laptop.sign_in()
        laptop.sync()
        kept = laptop.visit(3)
        laptop.sync()
        assert stored(world, kept) == 3
        dump = tmp_path / "server.backup"
        assert str(dump) in run_cli(world.url, "backup", str(dump))  # while serving
        lost = laptop.visit(3, offset=3)
        laptop.sync()
        assert stored(world, lost) == 3
        assert laptop.outbox_states().count("pending") == 0  # acknowledged: the laptop considers them sent

        world.server.stop()
        world.engine.dispose()
        _restore(world, dump)
        assert "new epoch" in run_cli(world.url, "new-epoch")
        world.server = ServerProcess(world.url, port=world.server.port).start()
        assert stored(world, kept) == 3 and stored(world, lost) == 0  # the backup's state

        laptop.sync()
        laptop.sync()
        assert _copies(world, kept + lost) == 6
        converged(world, laptop)
    finally:
        laptop.close()
