"""Issue 14: an existing plain database is encrypted at the first start of the new version, and
``kill -9`` at each step of the conversion leaves a working database that loses nothing; the next start
finishes the conversion. Real processes, real SIGKILL (gridworker_shared.faults).

The plain database is a real worker's (the seeded template) as a killed app leaves it: a visit
committed in its WAL and not yet checkpointed (tests.helpers.crash_write killed after the commit), and
two plain migration backups in backups/."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gridworker.store import cipher, schema
from gridworker.store.convert import CRASH_POINTS, encrypt_in_place
from gridworker.store.db import Database
from gridworker_server.demo_city import DemoCity
from gridworker_shared.faults import ENV
from tests.helpers.data import copy_database
from tests.unit.test_cipher import residents, revealed

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes(range(32))
NOTE = "断电前的走访".encode()  # the visit tests.helpers.crash_write saves

Contents = dict[str, int]

# the files beside the database when the process is killed at each point
LEFT = {
    "encrypt_after_settle": ["worker.db"],
    "encrypt_after_backup": ["worker.db", "worker.db.plain"],
    "encrypt_after_convert": ["worker.db", "worker.db.encrypting", "worker.db.plain"],
    "encrypt_after_verify": ["worker.db", "worker.db.encrypting", "worker.db.plain"],
    "encrypt_after_swap": ["worker.db", "worker.db.plain"],
    "encrypt_backup_converted": ["worker.db"],
}


def run(args: list[str], point: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV: point, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)


def contents(path: Path, key: bytes | None) -> Contents:
    """Rows of every table (and the schema revision), by SQLCipher's build keyed or not."""
    con = cipher.open_keyed(path, key, sqlcipher=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        found = {t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
        found["revision:" + str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])] = 1
        return found
    finally:
        con.close()


def as_found(path: Path) -> Contents:
    """The rows of a copy of the files as they lie (opening the original would checkpoint its WAL)."""
    scratch = path.parent / "scratch"
    scratch.mkdir()
    for p in path.parent.glob(path.name + "*"):
        if not p.name.endswith("-shm"):
            shutil.copyfile(p, scratch / p.name)
    try:
        return contents(scratch / path.name, None)
    finally:
        shutil.rmtree(scratch)


def killed_app(tmp_path: Path, template: Path, grid: DemoCity) -> tuple[Path, Contents]:
    """A plain worker database with two plain backups and a committed visit left in its WAL."""
    path = copy_database(template, tmp_path / "worker.db")
    schema.backup(path, "before-0012")
    schema.backup(path, "before-0013")
    h = grid.households[0]
    args = ["-m", "tests.helpers.crash_write", str(path), str(grid.workers[0].id), str(h.id), str(h.members[0].id)]
    result = run(args, "visit_after_commit")
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert Path(f"{path}-wal").stat().st_size > 0  # the visit is only in the WAL
    assert NOTE in Path(f"{path}-wal").read_bytes()
    found = as_found(path)
    assert found["visit"] == contents(template, None)["visit"] + 1
    return path, found


def convert_in_a_process(path: Path, point: str) -> subprocess.CompletedProcess[str]:
    code = (
        "from pathlib import Path; from gridworker.store.convert import encrypt_in_place; "
        f"encrypt_in_place(Path({str(path)!r}), bytes.fromhex({KEY.hex()!r}))"
    )
    return run(["-c", code], point)


def assert_finished(path: Path, want: Contents, secrets: list[bytes]) -> None:
    """Encrypted, every row there, no plain copy of anybody left in the folder or its backups."""
    assert cipher.is_encrypted(path)
    assert contents(path, KEY) == want
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["backups", "worker.db"], names
    saved = sorted((path.parent / "backups").iterdir())
    assert [p.name.split("-")[2] for p in saved] == ["0012", "0013"]
    for p in [path, *saved]:
        assert cipher.is_encrypted(p), p.name
        assert revealed(p.read_bytes(), [*secrets, NOTE]) == [], p.name
        con = sqlite3.connect(p)
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("SELECT count(*) FROM person").fetchone()
        con.close()
    for p in saved:
        assert contents(p, KEY)["person"] == want["person"]
    cipher.register_key(path, KEY)  # the app opens it: migrations, engine, WAL
    try:
        Database(path).close()
        assert schema.read_revision(path) == schema.head_revision()
        assert contents(path, KEY) == want
    finally:
        cipher.forget_key(path)


@pytest.mark.slow
def test_a_plain_database_is_encrypted_and_loses_nothing(tmp_path: Path, seeded_template: Path, grid: DemoCity) -> None:
    path, want = killed_app(tmp_path, seeded_template, grid)
    result = convert_in_a_process(path, "")
    assert result.returncode == 0, result.stderr
    assert_finished(path, want, residents(seeded_template))
    encrypt_in_place(path, KEY)  # the next start: nothing to do
    assert_finished(path, want, residents(seeded_template))


@pytest.mark.slow
@pytest.mark.parametrize("point", CRASH_POINTS)
def test_killed_at_each_step_the_database_works_and_the_next_start_finishes(
    tmp_path: Path, seeded_template: Path, grid: DemoCity, point: str
) -> None:
    path, want = killed_app(tmp_path, seeded_template, grid)
    result = convert_in_a_process(path, point)
    assert result.returncode == -signal.SIGKILL, result.stderr

    # killed where it says: the files it had made by then
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("worker.db")) == LEFT[point]
    encrypted_backups = [cipher.is_encrypted(p) for p in sorted((tmp_path / "backups").iterdir())]
    assert encrypted_backups == ([True, False] if point == "encrypt_backup_converted" else [False, False])
    # the state is read from the file: plain (the swap has not happened) or encrypted (it has); either
    # way the database opens with every row
    swapped = point in ("encrypt_after_swap", "encrypt_backup_converted")
    assert cipher.is_encrypted(path) == swapped
    if swapped:
        assert contents(path, KEY) == want
    else:
        assert as_found(path) == want

    encrypt_in_place(path, KEY)  # the next start
    assert_finished(path, want, residents(seeded_template))


def test_a_new_or_missing_database_is_left_to_its_first_keyed_connection(tmp_path: Path) -> None:
    path = tmp_path / "worker.db"
    encrypt_in_place(path, KEY)
    assert not path.exists()
    with pytest.raises(ValueError):
        encrypt_in_place(path, b"short")


def test_another_users_backups_are_left_alone(tmp_path: Path, seeded_template: Path) -> None:
    path = copy_database(seeded_template, tmp_path / "worker.db")
    other = copy_database(seeded_template, tmp_path / "worker2.db")
    mine = schema.backup(path, "before-0012")
    theirs = schema.backup(other, "before-0012")
    encrypt_in_place(path, KEY)
    assert cipher.is_encrypted(path) and cipher.is_encrypted(mine)
    assert not cipher.is_encrypted(other) and not cipher.is_encrypted(theirs)


@pytest.mark.expect_log("gridworker.store.convert", "WARNING", match="cannot be encrypted")
def test_an_unreadable_plain_backup_is_removed(tmp_path: Path, seeded_template: Path) -> None:
    """A damaged plain backup cannot be encrypted; it would still reveal what it holds: removed."""
    path = copy_database(seeded_template, tmp_path / "worker.db")
    saved = schema.backup(path, "before-0012")
    data = bytearray(saved.read_bytes())
    data[100:4096] = bytes(3996)  # page 1's schema gone, the header left: still "SQLite format 3"
    saved.write_bytes(bytes(data))
    encrypt_in_place(path, KEY)
    assert cipher.is_encrypted(path)
    assert not saved.exists()


def test_a_conversion_that_cannot_start_leaves_the_plain_file(tmp_path: Path, seeded_template: Path) -> None:
    """The encrypted copy's name is taken by a folder (nothing the app made): the conversion fails with
    the plain file as it was and no plain copy beside it; once the name is free, a start converts it."""
    path = copy_database(seeded_template, tmp_path / "worker.db")
    want = contents(path, None)
    blocker = tmp_path / "worker.db.encrypting"
    blocker.mkdir()
    (blocker / "x").write_text("x")
    with pytest.raises((OSError, *cipher.Error)):
        encrypt_in_place(path, KEY)
    assert not cipher.is_encrypted(path) and contents(path, None) == want
    assert not (tmp_path / "worker.db.plain").exists()
    shutil.rmtree(blocker)
    encrypt_in_place(path, KEY)
    assert cipher.is_encrypted(path) and contents(path, KEY) == want
