"""The benchmarks' encrypted side (issue 14: the worker floors hold with encryption on, measured against
the same queries on the same encrypted database): the 50k database encrypted once with a fixed bench
key by the app's own conversion (gridworker.store.convert), cached beside the plain one, and copies
of it in a data folder with the key registered, as the app's start-up registers it after the PIN.

The key derivation (Argon2id of the PIN, gridworker.store.keys) happens once per start and unlock, not
per query: it is measured apart (:func:`key_derivation_ms`)."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gridworker.paths import worker_db_path
from gridworker.store import cipher
from gridworker.store.convert import encrypt_in_place
from gridworker.store.keys import KeyFile
from tests.bench.benchlib import BENCH_DIR, BENCH_USER, _remove_db, cached_dataset, copy_db

BENCH_KEY = hashlib.sha256(b"gridworker bench data key").digest()
ENCRYPTED_CACHE = BENCH_DIR / "bench50k.encrypted.db"  # gitignored (tests/bench/*.db)
BENCH_PIN = "305147"


def _dataset(path: Path) -> str | None:
    try:
        con = cipher.open_keyed(path, BENCH_KEY, read_only=True)
    except cipher.DatabaseError:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'bench_dataset'").fetchone()
    finally:
        con.close()
    return str(row[0]) if row else None


def ensure_encrypted(plain: Path) -> Path:
    """The encrypted copy of the cached plain database (the same rows), made by the app's conversion
    when missing or made from another dataset. Its key is registered for it."""
    cipher.register_key(ENCRYPTED_CACHE, BENCH_KEY)
    want = cached_dataset(plain)
    assert want is not None, f"{plain} is not a bench database"
    if not (ENCRYPTED_CACHE.exists() and cipher.is_encrypted(ENCRYPTED_CACHE) and _dataset(ENCRYPTED_CACHE) == want):
        building = ENCRYPTED_CACHE.with_name("bench50k.encrypting-build.db")
        _remove_db(building)
        shutil.copyfile(plain, building)  # the plain cache is in rollback-journal mode: the file is whole
        encrypt_in_place(building, BENCH_KEY)
        _remove_db(ENCRYPTED_CACHE)
        building.replace(ENCRYPTED_CACHE)
    return ENCRYPTED_CACHE


@contextmanager
def encrypted_data_dir(folder: Path, plain: Path) -> Iterator[Path]:
    """A data folder holding an encrypted copy of the 50k database as the ``bench`` worker's file,
    its key registered in this process (``folder`` is created; the copy is deleted afterwards)."""
    source = ensure_encrypted(plain)
    target = worker_db_path(BENCH_USER, folder)
    cipher.register_key(target, BENCH_KEY)
    try:
        copy_db(source, target)  # keyed with the source's key: still encrypted
        assert cipher.is_encrypted(target)
        yield folder
    finally:
        cipher.forget_key(target)
        shutil.rmtree(folder / "workers", ignore_errors=True)


def key_derivation_ms(folder: Path, runs: int = 3) -> float:
    """Median milliseconds of ``KeyFile.unlock`` with the default Argon2id parameters: what a start
    and an unlock add before the database opens."""
    keyfile, _ = KeyFile.create(folder / "bench.db.key", BENCH_PIN)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        keyfile.unlock(BENCH_PIN)
        times.append((time.perf_counter() - t0) * 1000)
    return sorted(times)[len(times) // 2]


def keyed_start_code(path: Path, argv: list[str]) -> str:
    """A ``python -c`` program: the data key registered for ``path`` (as the app's start-up does once
    the PIN unwrapped it), then the app's ``main`` with ``argv``."""
    return (
        "import sys; from pathlib import Path; from gridworker.store import cipher; "
        f"cipher.register_key(Path({str(path)!r}), bytes.fromhex({BENCH_KEY.hex()!r})); "
        f"from gridworker.app import main; sys.exit(main({argv!r}))"
    )
