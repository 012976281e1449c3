"""A supervisor's first sync of their street (issue 12), against the real server (``gridworker-server
serve`` as a subprocess) on SQLite, through the app's own sync engine (gridworker.syncing).

The street: 20 grids (4 communities of 5), 10,000 households with the demo city's members, and
200,000 visits over two years seeded by bulk inserts through the demo's own loader (numbers, form
times, the flags the server's rules raise, review events: most visits older than three weeks
approved, a few returned with a comment or questioned per worker). Notes are what grid workers
write: mostly short stock phrases, some empty, a few longer sentences.

* ``supervisor_initial_sync_bytes``: every answer body of the engine's first sync as it crossed the
  socket, gzip-compressed (``Transport.bytes_received``). Floor: 4,000,000.
* ``supervisor_initial_sync_s``: the wall time of that sync (pages pulled, staged and applied).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gridworker.store.db import Database as AppDatabase
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker_server import admin, demo_city
from gridworker_server.db import Database
from gridworker_server.demo_city import VISIT_NOTES, DemoCity, DemoVisit, generate_city
from gridworker_server.models import Visit, VisitReview
from gridworker_server.review import demo as review_demo
from tests.bench.benchlib import Figures
from tests.bench.synclib import check
from tests.helpers.server import ServerProcess

SUPERVISOR_SYNC_MAX_BYTES = 4_000_000
GRIDS_PER_COMMUNITY = 5  # 4 communities: 20 grids
HOUSEHOLDS_PER_GRID = 500  # 10,000 households
VISITS = 200_000
DAYS = 730
SEED = 20261204
CHINA = dt.timezone(dt.timedelta(hours=8))
# what workers write beyond the demo's stock phrases: a few longer sentences, repeated less often
LONGER_NOTES = (
    "老人腿脚不便，子女在外地工作，已登记需要上门帮办高龄津贴。",
    "住户反映楼道声控灯损坏多日，已报物业维修。",
    "新搬入租户，已登记人员信息并宣传垃圾分类。",
    "家中有残疾人，已讲解两项补贴申请材料。",
)


@dataclass
class Street:
    server: ServerProcess
    visits: int
    events: int


def street_visits(city: DemoCity, rng: random.Random, today: dt.date) -> list[DemoVisit]:
    """200,000 visits over two years, about 20 per household, each by the grid's worker."""
    worker_of = {w.grid_id: w.id for w in city.workers}
    per_household = VISITS // len(city.households)
    extra = VISITS - per_household * len(city.households)
    visits: list[DemoVisit] = []
    for n, h in enumerate(city.households):
        count = per_household + (1 if n < extra else 0)
        days = sorted(rng.sample(range(1, DAYS), count), reverse=True)
        for back in days:
            day = today - dt.timedelta(days=back)
            at = dt.datetime(day.year, day.month, day.day, rng.randint(8, 19), rng.randint(0, 59), tzinfo=CHINA)
            outcome = rng.choices(["met", "not_home", "refused"], weights=[80, 17, 3])[0]
            seen = [m.id for m in h.members if rng.random() < 0.6] or [h.members[0].id] if outcome == "met" else []
            if outcome != "met":
                notes = ""
            elif rng.random() < 0.05:
                notes = rng.choice(LONGER_NOTES)
            else:
                notes = rng.choice(VISIT_NOTES)  # stock phrases, one of them empty
            visits.append(
                DemoVisit(
                    uuid.UUID(int=rng.getrandbits(128), version=4), h.id, worker_of[h.grid_id], at, outcome, notes, seen
                )
            )
    return visits


# the seeded street, kept between sessions (gitignored): seeding 200,000 visits takes minutes; rebuilt
# when the code the rows depend on changed (its digest is in the file name)
CACHE_DIR = Path(__file__).resolve().parent


def _digest() -> str:
    digest = hashlib.sha256()
    sources = [Path(__file__), Path(demo_city.__file__), Path(review_demo.__file__), Path(admin.__file__)]
    sources += sorted((Path(admin.__file__).parent / "migrations" / "versions").glob("*.py"))
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def seed_street(path: Path) -> None:
    """The street's server database at ``path``, by the demo's bulk loader."""
    today = dt.date.today()
    city = generate_city(
        seed=SEED,
        today=today,
        grids_per_community=GRIDS_PER_COMMUNITY,
        households_per_grid=(HOUSEHOLDS_PER_GRID, HOUSEHOLDS_PER_GRID),
        history_days=1,
    )
    city.visits = street_visits(city, random.Random(SEED), today)
    db = Database(f"sqlite:///{path}", pool_size=1)
    try:
        db.migrate()
        with db.write() as s:
            admin.seed_demo(s, city)
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Street]:
    cached = CACHE_DIR / f"supervisor_street_{dt.date.today():%Y%m%d}_{_digest()}.db"
    if not cached.exists():
        for old in CACHE_DIR.glob("supervisor_street_*.db"):
            old.unlink()
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        seed_street(building)
        building.rename(cached)
    folder = tmp_path_factory.mktemp("supervisor-sync")
    path = folder / "server.db"
    source, target = sqlite3.connect(cached), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    url = f"sqlite:///{path}"
    db = Database(url, pool_size=1)
    try:
        with db.read() as s:
            visits = int(s.scalar(select(func.count()).select_from(Visit)) or 0)
            events = int(s.scalar(select(func.count()).select_from(VisitReview)) or 0)
    finally:
        db.dispose()
    with ServerProcess(url) as server:
        yield Street(server, visits, events)


@pytest.mark.bench
def test_supervisor_initial_sync(street: Street, tmp_path: Path, bench_results: Figures) -> None:
    assert street.visits == VISITS
    folder = tmp_path / "laptop"
    folder.mkdir()
    db = AppDatabase(folder / "supervisor.db")
    try:
        engine = SyncEngine(db, TokenStore(folder, use_keyring=False))
        engine.sign_in(street.server.base, "supervisor", "demo1234")
        received = engine.transport.bytes_received
        sent = engine.transport.bytes_sent
        started = time.perf_counter()
        report = engine.sync()
        elapsed = time.perf_counter() - started
        wire = engine.transport.bytes_received - received
        figures: Figures = {
            "supervisor_initial_sync_bytes": wire,
            "supervisor_initial_sync_s": round(elapsed, 2),
            "supervisor_initial_sync_request_bytes": engine.transport.bytes_sent - sent,
            "supervisor_initial_sync_pages": report.pulled_pages,
            "supervisor_initial_sync_households": report.households_applied,
            "supervisor_street_visits": street.visits,
            "supervisor_street_review_events": street.events,
        }
    finally:
        db.close()
    assert report.households_applied == GRIDS_PER_COMMUNITY * 4 * HOUSEHOLDS_PER_GRID
    bench_results.update(figures)
    check(
        "a supervisor's first sync of a street of 20 grids, 10,000 households, 200,000 visits:",
        figures,
        at_most={"supervisor_initial_sync_bytes": SUPERVISOR_SYNC_MAX_BYTES},
    )
