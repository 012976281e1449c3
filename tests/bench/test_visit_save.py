"""Saving a visit on the 50k database: LocalStore.record_visit, the visit rows and the outbox entry in
one transaction, with the app's own engine (WAL, synchronous=FULL: every commit waits for the disk),
on an encrypted copy (SQLCipher, issue 14; the floor is asserted on it) and on a plain one (reported).

Floor, reported and not asserted: a one-row INSERT + COMMIT with the same pragmas on a scratch file
in the same folder, i.e. what one durable commit costs on this disk.
"""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gridworker.paths import worker_db_path
from gridworker.store import cipher
from gridworker.store.db import Database
from gridworker.store.models import Meta, Outbox, Visit
from gridworker.store.services import LocalStore
from gridworker_server.demo_city import REQUEST_TEXTS, VISIT_NOTES
from gridworker_shared.domain.codes import REQUEST_CATEGORY_BY_CODE, URGENCY_BY_CODE
from gridworker_shared.domain.households import RequestInput, VisitInput
from tests.bench.benchlib import BENCH_USER, Figures, median, percentile, report
from tests.bench.cipherlib import encrypted_data_dir

VISIT_SAVE_P95_MS = 20.0
VISITS = 200
WARMUP = 3  # the first saves also configure the ORM mappers and open the pooled connection
VISIT_SEED = 20261129


def pick_visits(path: Path, n: int, seed: int = VISIT_SEED) -> list[VisitInput]:
    """Visits as workers record them, on households drawn with a fixed seed: mostly met (some of the
    members ticked as seen, sometimes a resident's request), some not at home, a few refused."""
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ids = [r[0] for r in con.execute("SELECT id FROM household ORDER BY id")]
        chosen = rng.sample(ids, n)
        members: dict[str, list[uuid.UUID]] = {}
        for household_id, person_id in con.execute(
            f"SELECT household_id, id FROM person WHERE active AND household_id IN ({','.join('?' * n)})"
            " ORDER BY household_id, position",
            chosen,
        ):
            members.setdefault(household_id, []).append(uuid.UUID(hex=person_id))
    finally:
        con.close()
    visits = []
    for household_id in chosen:
        outcome = rng.choices(["met", "not_home", "refused"], weights=[80, 17, 3])[0]
        people = members[household_id]
        seen: list[uuid.UUID] = []
        if outcome == "met":
            seen = [p for p in people if rng.random() < 0.7] or people[:1]
        requests = []
        if outcome == "met" and rng.random() < 0.15:
            category = rng.choice(sorted(REQUEST_CATEGORY_BY_CODE))
            urgency = rng.choice(sorted(URGENCY_BY_CODE))
            requests.append(RequestInput(category, urgency, REQUEST_TEXTS.get(category, "楼道灯坏了。")))
        notes = rng.choice(VISIT_NOTES) if outcome == "met" else ""
        visits.append(VisitInput(uuid.UUID(hex=household_id), outcome, seen, notes, requests))
    return visits


def commit_floor(folder: Path, n: int) -> list[float]:
    """Milliseconds of one durable one-row commit (WAL, synchronous=FULL), n times."""
    path = folder / "commit-floor.db"
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
        times = []
        for i in range(n):
            t0 = time.perf_counter()
            con.execute("BEGIN")
            con.execute("INSERT INTO t (payload) VALUES (?)", (f"row {i}",))
            con.execute("COMMIT")
            times.append((time.perf_counter() - t0) * 1000)
        return times
    finally:
        con.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def open_store(path: Path) -> tuple[Database, LocalStore, int]:
    """The app's engine on ``path`` (keyed when its key is registered), its store and visit count."""
    db = Database(path)
    with db.reading() as s:
        worker_id = uuid.UUID(s.get(Meta, "worker_id").value)  # type: ignore[union-attr]
        visits_before = s.scalar(select(func.count()).select_from(Visit)) or 0
        synchronous = s.connection().exec_driver_sql("PRAGMA synchronous").scalar()
        journal = s.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
    assert (synchronous, journal) == (2, "wal"), "the app's pragmas are not in force"
    return db, LocalStore(db, worker_id), visits_before


def timed_save(store: LocalStore, visit: VisitInput) -> float:
    t0 = time.perf_counter()
    store.record_visit(visit)
    return (time.perf_counter() - t0) * 1000


def save_times(paths: list[Path], visits: list[VisitInput]) -> list[list[float]]:
    """Milliseconds of each ``record_visit`` after the warm-up on each of ``paths``: the same visit
    saved on every file in turn, the order rotating, so noise on the shared cores and disk falls on
    each alike."""
    opened = [open_store(path) for path in paths]
    try:
        for visit in visits[:WARMUP]:
            for _, store, _ in opened:
                store.record_visit(visit)
        times: list[list[float]] = [[] for _ in paths]
        for i, visit in enumerate(visits[WARMUP:]):
            order = [(i + k) % len(paths) for k in range(len(paths))]
            for k in order:
                times[k].append(timed_save(opened[k][1], visit))
        for db, _, visits_before in opened:
            with db.reading() as s:
                added = (s.scalar(select(func.count()).select_from(Visit)) or 0) - visits_before
                pending = s.scalar(select(func.count()).select_from(Outbox).where(Outbox.state == "pending"))
            assert added == pending == WARMUP + VISITS
    finally:
        for db, _, _ in opened:
            db.close()
    return times


@pytest.mark.bench
def test_visit_save(bench_data_dir: Callable[[], Path], bench_db: Path, tmp_path: Path, bench_results: Figures) -> None:
    """The same visits saved on an encrypted copy and on a plain copy, alternately (issue 14: the floor
    is asserted on the encrypted one; the plain figures are reported beside it as ``*_plain_ms``)."""
    folder = bench_data_dir()
    path = worker_db_path(BENCH_USER, folder)
    visits = pick_visits(path, WARMUP + VISITS)
    with encrypted_data_dir(tmp_path / "encrypted", bench_db) as encrypted_folder:
        encrypted_path = worker_db_path(BENCH_USER, encrypted_folder)
        assert cipher.is_encrypted(encrypted_path)
        times, plain = save_times([encrypted_path, path], visits)
        assert cipher.is_encrypted(encrypted_path)
    floor = commit_floor(folder, VISITS)

    figures: Figures = {
        "visit_saves": len(times),
        "visit_save_p50_ms": round(median(times), 3),
        "visit_save_p95_ms": round(percentile(times, 95), 3),
        "visit_save_max_ms": round(max(times), 3),
        "visit_save_p50_plain_ms": round(median(plain), 3),
        "visit_save_p95_plain_ms": round(percentile(plain, 95), 3),
        "visit_save_max_plain_ms": round(max(plain), 3),
        "commit_floor_p50_ms": round(median(floor), 3),
        "commit_floor_p95_ms": round(percentile(floor, 95), 3),
    }
    bench_results.update(figures)
    report(
        f"visit save, {len(times)} visits on random households, encrypted (plain beside) (ms):",
        figures,
        {"visit_save_p95_ms": VISIT_SAVE_P95_MS},
    )
