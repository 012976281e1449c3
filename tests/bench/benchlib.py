"""Shared by the benchmarks: the 50,000-household database (built once, cached), copies of it, and the
statistics the figures are made of. No Qt here."""

from __future__ import annotations

import gc
import hashlib
import math
import os
import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path

import gridworker.demo.seed
import gridworker_server.demo_city
import gridworker_shared.domain.households
import gridworker_shared.domain.search
from gridworker.demo.seed import load_city
from gridworker.store.db import Database
from gridworker.store.meta import set_meta
from gridworker.store.schema import StoreError, copy_database, head_revision, read_revision
from gridworker_server.demo_city import SEED, STREET, generate_city

BENCH_DIR = Path(__file__).resolve().parent
CACHE_PATH = BENCH_DIR / "bench50k.db"  # gitignored (tests/bench/*.db)
BENCH_USER = "bench"

# the figures a session writes to $BENCH_OUT
Figures = dict[str, float | int]

# The database: 50,000 households and 150,000 persons. The demo city averages 2.78 residents
# a household, so 4 communities x 14 grids x 970 households = 54,320 households, about 151,000 persons.
GRIDS_PER_COMMUNITY = 14
HOUSEHOLDS_PER_GRID = 970
MIN_HOUSEHOLDS = 50_000
MIN_PERSONS = 150_000


def _sources_digest() -> str:
    """What the rows depend on besides the parameters: the demo generator, the loader, the search key
    scheme and the walking order. A change to any of them rebuilds the cache."""
    digest = hashlib.sha256()
    for module in (
        gridworker_server.demo_city,
        gridworker.demo.seed,
        gridworker_shared.domain.search,
        gridworker_shared.domain.households,
    ):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:12]


# Stored in the meta table: a cached file built with other parameters or from other sources is rebuilt
# rather than reused. (The city is generated for the day it is built on: due dates and ages move on
# from there, and a file built on another day holds other names.)
DATASET = (
    f"bench-v1 seed={SEED} grids={4 * GRIDS_PER_COMMUNITY} households_per_grid={HOUSEHOLDS_PER_GRID}"
    f" sources={_sources_digest()}"
)


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def cached_dataset(path: Path) -> str | None:
    """The dataset tag of a cached file, or None if it is missing, unreadable or at another schema."""
    try:
        if read_revision(path) != head_revision():
            return None
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'bench_dataset'").fetchone()
        finally:
            con.close()
    except (StoreError, sqlite3.Error):
        return None
    return str(row[0]) if row else None


def build_bench_db(path: Path) -> None:
    """Generate the city and load it as the ``bench`` worker's database: written beside ``path`` and
    renamed into place only when complete, so an interrupted build is never reused."""
    building = path.with_name(path.stem + ".building.db")  # gitignored like the cache itself
    _remove_db(building)
    city = generate_city(
        seed=SEED,
        grids_per_community=GRIDS_PER_COMMUNITY,
        households_per_grid=(HOUSEHOLDS_PER_GRID, HOUSEHOLDS_PER_GRID),
    )
    worker = city.workers[0]
    db = Database(building)
    try:
        load_city(db, city)
        with db.transaction() as s:
            # what gridworker.app.read_identity reads, so `gridworker --user bench` opens this file
            set_meta(
                s,
                worker_id=str(worker.id),
                username=BENCH_USER,
                worker_name=worker.name,
                grid_name=STREET[1],
                device_id=str(uuid.UUID(int=SEED, version=4)),
                bench_dataset=DATASET,
            )
    finally:
        db.close()  # the last connection closing checkpoints and removes the WAL file
    # Rollback-journal mode for the cached file, so reading it (read-only) leaves no -wal/-shm files
    # beside it; every copy the benchmarks open is switched back to WAL by the app's engine.
    con = sqlite3.connect(building)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    del city
    gc.collect()
    _remove_db(path)
    os.replace(building, path)


def ensure_bench_db(path: Path = CACHE_PATH) -> Path:
    if cached_dataset(path) != DATASET:
        build_bench_db(path)
    return path


def counts(path: Path) -> tuple[int, int]:
    """(households, persons) in a database file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        households = con.execute("SELECT count(*) FROM household").fetchone()[0]
        persons = con.execute("SELECT count(*) FROM person").fetchone()[0]
    finally:
        con.close()
    return int(households), int(persons)


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy with SQLite's backup API (never a plain file copy of a WAL database)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_db(target)
    return copy_database(source, target)


def report(title: str, figures: Figures, floors: dict[str, float]) -> None:
    """Print the figures, then fail on every one above its floor (all of them named at once)."""
    print(f"\n{title}")
    for key, value in figures.items():
        print(f"  {key} = {value}")
    failures = [f"{key} {figures[key]} > {limit}" for key, limit in floors.items() if float(figures[key]) > limit]
    assert not failures, "; ".join(failures)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method: a value that was actually measured."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
