"""SYNC.md failures 1 and 2: a client killed inside a local write leaves neither the rows nor their
outbox entry; killed right after the commit, both are there. Real processes, real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gridworker.store.db import Database
from gridworker_server.demo_city import DemoCity
from gridworker_shared.faults import ENV
from tests.helpers.data import counts

ROOT = Path(__file__).resolve().parents[2]


def run_crashing(db: Database, grid: DemoCity, point: str) -> subprocess.CompletedProcess[str]:
    h = grid.households[0]
    env = {**os.environ, ENV: point, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.helpers.crash_write",
            str(db.path),
            str(grid.workers[0].id),
            str(h.id),
            str(h.members[0].id),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_killed_inside_the_write_leaves_nothing(seeded_db: Database, grid: DemoCity) -> None:
    before = counts(seeded_db)
    seeded_db.close()  # the other process is the only writer, as on a laptop
    result = run_crashing(seeded_db, grid, "visit_before_commit")
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "saved" not in result.stdout
    after = counts(Database(seeded_db.path))
    assert after == before  # no visit, no request, no outbox entry


@pytest.mark.slow
def test_killed_after_commit_keeps_rows_and_outbox(seeded_db: Database, grid: DemoCity) -> None:
    before = counts(seeded_db)
    seeded_db.close()
    result = run_crashing(seeded_db, grid, "visit_after_commit")
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = counts(Database(seeded_db.path))
    assert after["visit"] == before["visit"] + 1
    assert after["resident_request"] == before["resident_request"] + 1
    assert after["outbox"] == before["outbox"] + 1  # it will be pushed after the restart


@pytest.mark.slow
def test_without_a_crash_point_the_helper_saves(seeded_db: Database, grid: DemoCity) -> None:
    """The harness itself works: the same run with no crash point saves and exits 0."""
    seeded_db.close()
    result = run_crashing(seeded_db, grid, "")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("saved")


@pytest.mark.slow
def test_killed_during_migration_keeps_database_and_backup(tmp_path: Path) -> None:
    """SYNC.md failure 7: the app killed inside its own schema migration. The migration is one
    transaction: the file stays at the old revision with its unsent work, the backup is intact, and
    the next start migrates cleanly."""
    import sqlite3

    from gridworker.store import schema

    path = tmp_path / "worker.db"
    previous = schema.known_revisions()[-2]
    schema.upgrade(path, previous)
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO outbox (mutation_id, kind, entity_id, payload, created_at, state, error) VALUES "
        "('fedcba9876543210fedcba9876543210', 'visit.create', '0123456789abcdef0123456789abcdef', '{}', "
        "'2026-11-01 10:00:00', 'pending', '')"
    )
    con.commit()
    tables_before = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()

    env = {**os.environ, ENV: "migration_before_commit", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from pathlib import Path; from gridworker.store.schema import prepare; prepare(Path({str(path)!r}))",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert schema.read_revision(path) == previous
    con = sqlite3.connect(path)
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")} == tables_before
    assert con.execute("SELECT state FROM outbox").fetchall() == [("pending",)]
    con.close()
    [saved] = (tmp_path / "backups").glob("*.db")
    assert schema.read_revision(saved) == previous

    opened = schema.prepare(path)  # the next start
    assert opened.migrated_from == previous
    assert schema.read_revision(path) == schema.head_revision()
    con = sqlite3.connect(path)
    assert con.execute("SELECT state FROM outbox").fetchall() == [("pending",)]
    con.close()
