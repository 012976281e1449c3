"""A street's review copy generated straight into an app database (sqlite3 executemany, no ORM): a
street, its communities and grids, households with members and care tags, workers with their cards,
two years (or any span) of review visits with amendments, review events and back-checks. Shared by the
coverage tests and the dashboard benchmark (the lead may merge it with tests/bench/street_copy.py).

Everything is drawn from ``random.Random(seed)``: the same arguments make the same rows. Times are
stored as the app's store writes them (UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``; UUIDs as 32 hex digits)."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

CHINA = dt.timedelta(hours=8)
CARE_TAG = "elderly_alone"
STATES = ("pending", "approved", "approved", "approved", "questioned", "returned")
RESULTS = ("", "confirmed", "confirmed", "denied", "unreachable")


@dataclass
class Street:
    """The ids of what was generated (hex strings), for the tests to name scopes and workers."""

    street: str
    communities: list[str] = field(default_factory=list)
    grids: dict[str, str] = field(default_factory=dict)  # grid -> community
    workers: dict[str, str] = field(default_factory=dict)  # worker -> grid
    households: int = 0
    visits: int = 0


def _uid(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def generate_street(
    path: Path,
    *,
    communities: int = 2,
    grids_per_community: int = 2,
    households_per_grid: int = 30,
    visits: int = 600,
    end: dt.datetime = dt.datetime(2026, 11, 27, 4, 0),
    days: int = 120,
    seed: int = 12,
    settings: dict[str, object] | None = None,
) -> Street:
    """Adds a street to the (migrated, possibly empty) app database at ``path``. Visits are spread
    over the ``days`` before ``end`` (UTC), received a few minutes to a few days later but never after
    ``end``; one visit in twenty amends an earlier one of its household (the earlier becomes
    ``amended``); every visit after the first of a worker's days has review events now and then, and
    one visit in thirty is drawn for a back-check."""
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    try:
        street = _org_units(con, rng, communities, grids_per_community, settings or {})
        households = _households(con, rng, street, households_per_grid)
        _workers(con, rng, street)
        _visits(con, rng, street, households, visits, end, days)
        con.commit()
    finally:
        con.close()
    return street


def _org_units(
    con: sqlite3.Connection, rng: random.Random, communities: int, grids: int, settings: dict[str, object]
) -> Street:
    street = Street(_uid(rng))
    rows: list[tuple[str, str, str, str, str | None, str]] = [
        (street.street, "S01", "长青街道", "street", None, json.dumps(settings))
    ]
    for c in range(communities):
        cid = _uid(rng)
        street.communities.append(cid)
        rows.append((cid, f"S01C{c + 1:02d}", f"第{c + 1}社区", "community", street.street, "{}"))
        for g in range(grids):
            gid = _uid(rng)
            street.grids[gid] = cid
            rows.append((gid, f"S01C{c + 1:02d}G{g + 1:02d}", f"{c + 1}-{g + 1}网格", "grid", cid, "{}"))
    con.executemany(
        "INSERT INTO org_unit (id, code, name, kind, parent_id, liaison_name, liaison_phone, version, settings) "
        "VALUES (?, ?, ?, ?, ?, '', '', 1, ?)",
        rows,
    )
    return street


def _households(
    con: sqlite3.Connection, rng: random.Random, street: Street, per_grid: int
) -> dict[str, list[tuple[str, list[int]]]]:
    """grid -> [(household, its members' positions)]; one member in fifteen has moved out (inactive)."""
    out: dict[str, list[tuple[str, list[int]]]] = {}
    homes, people, tags = [], [], []
    for gid in street.grids:
        out[gid] = []
        for n in range(per_grid):
            hid = _uid(rng)
            care = rng.random() < 0.1
            interval = 7 if care else rng.choice((30, 30, 30, 14, 60))
            homes.append((hid, gid, f"{n // 20 + 1}", f"{n:05d}", f"户主{n}", interval, "2026-01-01"))
            if care:
                tags.append((hid, CARE_TAG))
            positions = list(range(rng.randint(1, 4)))
            for p in positions:
                people.append((_uid(rng), hid, p, f"居民{n}-{p}", 0 if rng.random() < 1 / 15 else 1))
            out[gid].append((hid, positions))
    con.executemany(
        "INSERT INTO household (id, grid_id, compound, building, unit, room, walk_key, head_name, phone, notes, "
        "visit_interval_days, interval_fixed, due_on, version, created_at, updated_at) "
        "VALUES (?, ?, '幸福小区', ?, '1', '', ?, ?, '', '', ?, 0, ?, 1, '2025-01-01 00:00:00.000000', "
        "'2025-01-01 00:00:00.000000')",
        homes,
    )
    con.executemany(
        "INSERT INTO person (id, household_id, position, name, relation, sex, phone, id_number, active, version) "
        "VALUES (?, ?, ?, ?, 'other', '', '', '', ?, 1)",
        people,
    )
    con.executemany("INSERT INTO household_tag (household_id, tag) VALUES (?, ?)", tags)
    street.households = len(homes)
    return out


def _workers(con: sqlite3.Connection, rng: random.Random, street: Street) -> None:
    """One worker a grid, with a card naming the grid."""
    rows = []
    for n, gid in enumerate(street.grids):
        wid = _uid(rng)
        street.workers[wid] = gid
        rows.append((wid, f"w{n}", f"网格员{n + 1}", json.dumps([str(uuid.UUID(gid))])))
    con.executemany(
        "INSERT INTO worker_card (user_id, username, name, phone, service_hours, card_line, grids, updated_at) "
        "VALUES (?, ?, ?, '', '', '', ?, '2026-01-01 00:00:00.000000')",
        rows,
    )


def _visits(
    con: sqlite3.Connection,
    rng: random.Random,
    street: Street,
    households: dict[str, list[tuple[str, list[int]]]],
    count: int,
    end: dt.datetime,
    days: int,
) -> None:
    by_grid = {gid: wid for wid, gid in street.workers.items()}
    grids = list(households)
    start = end - dt.timedelta(days=days)
    span = int((end - start).total_seconds())
    times = sorted(start + dt.timedelta(seconds=rng.randrange(span)) for _ in range(count))
    visits: list[list[object]] = []
    events: list[tuple[object, ...]] = []
    checks: list[tuple[object, ...]] = []
    last: dict[str, int] = {}  # household -> its latest visit's number
    for no, at in enumerate(times, start=1):
        gid = rng.choice(grids)
        hid, positions = rng.choice(households[gid])
        worker = by_grid[gid] if rng.random() < 0.9 else by_grid[rng.choice(grids)]
        received = min(end, at + dt.timedelta(minutes=rng.randint(1, 4000)))
        outcome = "met" if rng.random() < 0.75 else "not_home"
        seen = sorted(rng.sample(positions, rng.randint(1, len(positions)))) if outcome == "met" else []
        amends = last.get(hid) if rng.random() < 0.05 else None
        state = rng.choice(STATES)
        if amends is not None:
            visits[amends - 1][13] = "amended"
        visits.append(
            [
                no,
                _uid(rng),
                hid,
                gid,
                worker,
                stamp(at),
                stamp(received),
                outcome,
                "",
                amends,
                json.dumps(seen),
                "[]",
                60,
                state,
                "[]",
                "",
            ]
        )
        last[hid] = no
        for action in _actions(rng, state):
            events.append((_uid(rng), no, hid, action, stamp(received), 1 if rng.random() < 0.95 else 0))
        if rng.random() < 1 / 30:
            monday = (at + CHINA).date() - dt.timedelta(days=(at + CHINA).weekday())
            result = rng.choice(RESULTS)
            checks.append(
                (_uid(rng), no, hid, gid, worker, monday.isoformat(), result, stamp(received) if result else None)
            )
    con.executemany("INSERT INTO review_visit VALUES (" + ", ".join("?" * 16) + ")", visits)
    con.executemany(
        "INSERT INTO review_event (id, visit_no, household_id, action, actor_id, at, reason, comment, pins, state, "
        "effective) VALUES (?, ?, ?, ?, NULL, ?, '', '', '[]', 'pending', ?)",
        events,
    )
    con.executemany(
        "INSERT INTO backcheck (id, visit_no, household_id, grid_id, worker_id, week, reason, result, note, "
        "checked_by, checked_at, pending_result) VALUES (?, ?, ?, ?, ?, ?, 'sample', ?, '', NULL, ?, '')",
        checks,
    )
    street.visits = len(visits)


def _actions(rng: random.Random, state: str) -> list[str]:
    """Review events that lead to ``state`` (a question before some approvals, a return before an
    amendment), plus now and then a comment."""
    out = {
        "pending": [],
        "approved": ["question", "approve"] if rng.random() < 0.2 else ["approve"],
        "questioned": ["question"],
        "returned": ["return"],
        "amended": ["return"],
    }[state]
    if rng.random() < 0.05:
        out = [*out, "comment"]
    return out
