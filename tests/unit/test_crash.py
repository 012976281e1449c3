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
from sync.demo import DemoCity
from sync.faults import ENV
from tests.conftest import counts

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
