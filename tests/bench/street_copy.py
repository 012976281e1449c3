"""A supervisor's copy of a street in the app database, for the review benchmarks: 20 grids in 4
communities, 10,000 households with 2 members each, the 20 workers' cards, and 200,000 visits over two
years as the review scopes bring them (numbered, with review states and flags), and
the weekly back-check draws. Written with the stdlib's executemany in SQLAlchemy's storage formats (a
few seconds) into a database the app's migrations made, and cached beside the benchmarks
(tests/bench/street_copy.db, gitignored) while its schema revision and dataset tag match.

Other benchmarks reuse it: :func:`ensure_street_copy` gives the pristine file (never to be written);
:func:`tests.bench.benchlib.copy_db` makes a copy to write to."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gridworker.store.db import Database
from gridworker.store.schema import StoreError, head_revision, read_revision
from gridworker_server.demo_city import COMPOUNDS, VISIT_NOTES

BENCH_DIR = Path(__file__).resolve().parent
STREET_PATH = BENCH_DIR / "street_copy.db"
STREET_USER = "supervisor"

COMMUNITIES = 4
GRIDS_PER_COMMUNITY = 5
HOUSEHOLDS_PER_GRID = 500
VISITS = 200_000
DAYS = 730
SEED = 20261204
END = dt.date(2026, 11, 27)  # the last day visited (the copy does not move with the calendar)
UTC_OFFSET = dt.timedelta(hours=8)  # the street's local time (visits are stored in UTC)

# review states of a visit older than a month, and of a recent one (state -> weight)
OLD_STATES = {"approved": 93, "returned": 2, "questioned": 1, "amended": 2, "pending": 2}
NEW_STATES = {"pending": 60, "approved": 30, "returned": 4, "questioned": 3, "amended": 3}
# flag -> share of visits that carry it (care_overdue is the rare one)
FLAG_RATES = {
    "short_form": 0.04,
    "rapid_sequence": 0.02,
    "late_entry": 0.03,
    "off_hours": 0.02,
    "same_notes": 0.01,
    "not_home_streak": 0.01,
    "care_overdue": 0.003,
}
OUTCOMES = {"met": 80, "not_home": 17, "refused": 3}
DATASET = (
    f"street-v1 seed={SEED} grids={COMMUNITIES * GRIDS_PER_COMMUNITY} households={HOUSEHOLDS_PER_GRID} "
    f"visits={VISITS} days={DAYS} sources={hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]}"
)


@dataclass(frozen=True)
class Street:
    """What the copy holds, for the benchmarks' choices of filters."""

    communities: list[uuid.UUID]
    grids: list[uuid.UUID]
    workers: list[uuid.UUID]
    first_day: dt.date
    last_day: dt.date


def _id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def street_layout(seed: int = SEED) -> Street:
    rng = random.Random(seed)
    communities = [_id(rng) for _ in range(COMMUNITIES)]
    grids = [_id(rng) for _ in range(COMMUNITIES * GRIDS_PER_COMMUNITY)]
    workers = [_id(rng) for _ in grids]
    return Street(communities, grids, workers, END - dt.timedelta(days=DAYS - 1), END)


def _org_units(street: Street, street_id: uuid.UUID) -> Iterator[tuple[object, ...]]:
    yield (street_id.hex, "S01", "幸福街道", "street", None, json.dumps({}))
    for c, community in enumerate(street.communities):
        yield (community.hex, f"C{c:02d}", f"第{c + 1}社区", "community", street_id.hex, "{}")
        for g in range(GRIDS_PER_COMMUNITY):
            grid = street.grids[c * GRIDS_PER_COMMUNITY + g]
            yield (grid.hex, f"C{c:02d}G{g:02d}", f"第{c + 1}社区第{g + 1}网格", "grid", community.hex, "{}")


def _households(rng: random.Random, street: Street) -> list[tuple[str, str, int]]:
    """(household id, grid id, grid index) of every household."""
    return [(_id(rng).hex, grid.hex, gi) for gi, grid in enumerate(street.grids) for _ in range(HOUSEHOLDS_PER_GRID)]


def _visit_rows(
    rng: random.Random, street: Street, homes: list[tuple[str, str, int]]
) -> Iterator[tuple[tuple[object, ...], list[str]]]:
    start = dt.datetime.combine(street.first_day, dt.time(7))
    recent = dt.datetime.combine(END - dt.timedelta(days=30), dt.time())
    times = sorted(
        start + dt.timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(14 * 60)) for _ in range(VISITS)
    )
    flags = list(FLAG_RATES.items())
    for no, local in enumerate(times, start=1):
        hid, gid, gi = homes[rng.randrange(len(homes))]
        utc = local - UTC_OFFSET
        outcome = _pick(rng, OUTCOMES)
        state = _pick(rng, NEW_STATES if local >= recent else OLD_STATES)
        codes = [code for code, rate in flags if rng.random() < rate]
        seen = [0, 1] if outcome == "met" and rng.random() < 0.6 else ([0] if outcome == "met" else [])
        row = (
            no,
            _id(rng).hex,
            hid,
            gid,
            street.workers[gi].hex,
            _stamp(utc),
            _stamp(utc + dt.timedelta(hours=1)),
            outcome,
            rng.choice(VISIT_NOTES) if outcome == "met" else "",
            None,
            json.dumps(seen),
            "[]",
            rng.randrange(20, 400),
            state,
            json.dumps(codes),
            "",
        )
        yield row, codes


def build_street_copy(path: Path, seed: int = SEED) -> Street:
    """The copy written beside ``path`` and renamed into place once complete."""
    building = path.with_name(path.stem + ".building.db")
    for p in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        p.unlink(missing_ok=True)
    Database(building).close()  # the app's migrations make the schema
    street = street_layout(seed)
    rng = random.Random(seed + 1)
    street_id = _id(rng)
    con = sqlite3.connect(building)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        _write(con, rng, street, street_id)
        con.execute("ANALYZE")
        con.commit()
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    os.replace(building, path)
    return street


def _write(con: sqlite3.Connection, rng: random.Random, street: Street, street_id: uuid.UUID) -> None:
    con.executemany(
        "INSERT INTO org_unit (id, code, name, kind, parent_id, settings, liaison_name, liaison_phone, version) "
        "VALUES (?, ?, ?, ?, ?, ?, '', '', 1)",
        list(_org_units(street, street_id)),
    )
    con.executemany(
        "INSERT INTO worker_card (user_id, username, name, phone, service_hours, card_line, grids, card_code, "
        "updated_at) VALUES (?, ?, ?, ?, '', '', ?, '', '2026-01-01 00:00:00.000000')",
        [
            (w.hex, f"worker{i + 1:02d}", f"网格员{i + 1:02d}", f"138{i:08d}", json.dumps([street.grids[i].hex]))
            for i, w in enumerate(street.workers)
        ],
    )
    homes = _households(rng, street)
    created = "2024-01-01 00:00:00.000000"
    con.executemany(
        "INSERT INTO household (id, grid_id, compound, building, unit, floor, room, walk_key, head_name, phone, "
        "notes, visit_interval_days, interval_fixed, due_on, version, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 30, 0, '2026-12-01', 1, ?, ?)",
        [
            (
                hid,
                gid,
                COMPOUNDS[gi % len(COMPOUNDS)],
                str(1 + n // 40),
                str(1 + n // 20 % 2),
                1 + n % 20 // 2,
                f"{1 + n % 20 // 2}0{1 + n % 2}",
                f"{gi:02d}{n:05d}",
                f"住户{n:04d}",
                f"139{gi:02d}{n:06d}",
                created,
                created,
            )
            for n, (hid, gid, gi) in enumerate(homes)
        ],
    )
    con.executemany(
        "INSERT INTO person (id, household_id, position, name, relation, sex, phone, id_number, active, version) "
        "VALUES (?, ?, ?, ?, ?, '', '', '', 1, 1)",
        [
            (_id(rng).hex, hid, pos, f"成员{n:04d}{pos}", "head" if pos == 0 else "spouse")
            for n, (hid, _, _) in enumerate(homes)
            for pos in (0, 1)
        ],
    )
    visits, flags = [], []
    for row, codes in _visit_rows(rng, street, homes):
        visits.append(row)
        flags.extend((code, row[0]) for code in codes)
    con.executemany(
        "INSERT INTO review_visit (no, id, household_id, grid_id, worker_id, visited_at, received_at, outcome, notes, "
        "amends_no, seen, articles, form_seconds, state, flags, pending_action) "
        f"VALUES ({','.join('?' * 16)})",
        visits,
    )
    con.executemany("INSERT INTO review_flag (code, visit_no) VALUES (?, ?)", flags)
    _backchecks(con, rng, street, visits)
    con.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [
            ("worker_id", _id(rng).hex),
            ("username", STREET_USER),
            ("worker_name", "街道主管"),
            ("grid_name", "幸福街道"),
            ("role", "supervisor"),
            ("street_dataset", DATASET),
        ],
    )


def _backchecks(con: sqlite3.Connection, rng: random.Random, street: Street, visits: list[tuple[object, ...]]) -> None:
    """Every week, 3 of each worker's visits drawn; the older ones called (mostly confirmed)."""
    by_week: dict[tuple[str, str], list[tuple[object, ...]]] = {}
    for v in visits:
        day = dt.date.fromisoformat(str(v[5])[:10])
        week = (day - dt.timedelta(days=day.weekday())).isoformat()
        by_week.setdefault((week, str(v[4])), []).append(v)
    rows = []
    for (week, worker), group in by_week.items():
        for v in rng.sample(group, min(3, len(group))):
            result = "" if week >= "2026-11-16" else _pick(rng, {"confirmed": 90, "denied": 4, "unreachable": 6})
            rows.append((_id(rng).hex, v[0], v[2], v[3], worker, week, "sample", result, "", None, None, ""))
    con.executemany(
        "INSERT INTO backcheck (id, visit_no, household_id, grid_id, worker_id, week, reason, result, note, "
        f"checked_by, checked_at, pending_result) VALUES ({','.join('?' * 12)})",
        rows,
    )


def street_dataset(path: Path) -> str | None:
    try:
        if read_revision(path) != head_revision():
            return None
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'street_dataset'").fetchone()
        finally:
            con.close()
    except (StoreError, sqlite3.Error):
        return None
    return str(row[0]) if row else None


def ensure_street_copy(path: Path = STREET_PATH) -> tuple[Path, Street]:
    """The cached copy (built when missing or stale) and what it holds."""
    if street_dataset(path) != DATASET:
        build_street_copy(path)
    return path, street_layout()
