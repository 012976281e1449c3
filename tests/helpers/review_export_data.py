"""A reviewer's copy of an area, generated in bulk for the export tests and benchmark: communities,
grids, households, workers' cards, visits for review with flags and review events, and requests,
inserted with executemany into an app database migrated to the head schema (no ORM: 100,000 visits
take seconds). Deterministic for a seed. Storage formats are SQLAlchemy's on SQLite (see
gridworker.store.reads)."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from gridworker.store.schema import upgrade

T0 = dt.datetime(2026, 11, 1, 0, 0)  # UTC; the first visit's time
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
NOTES = (
    "老人身体状况良好，子女每周回来探望",
    "反映楼道灯坏了，已登记诉求",
    "家中无人，门上留了联系卡",
    '住户说"暖气不热"，需要跟进',
    "租户，登记了居住证信息",
    "",
)
STATES = ("pending", "pending", "approved", "approved", "returned", "questioned", "amended")
OUTCOMES = ("met", "met", "met", "not_home", "refused")
FLAGS = ("short_form", "late_entry", "off_hours")


def stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass
class Area:
    """What was generated: ids by name, and counts a test checks an export against."""

    path: Path
    street: uuid.UUID
    communities: list[uuid.UUID] = field(default_factory=list)
    grids: list[uuid.UUID] = field(default_factory=list)
    grid_community: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    workers: list[uuid.UUID] = field(default_factory=list)
    visits: int = 0
    requests: int = 0


def make_db(path: Path) -> Path:
    upgrade(path)
    return path


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", rng.choice(GIVEN)))


def _units(con: sqlite3.Connection, area: Area, communities: int, grids_per_community: int) -> None:
    units = [(area.street.hex, "S1", "古城街道", "street", None)]
    for c in range(communities):
        cid = uuid.UUID(int=1000 + c)
        area.communities.append(cid)
        units.append((cid.hex, f"C{c + 1}", f"{'东西南北'[c % 4]}门社区", "community", area.street.hex))
        for g in range(grids_per_community):
            gid = uuid.UUID(int=2000 + c * 100 + g)
            area.grids.append(gid)
            area.grid_community[gid] = cid
            units.append((gid.hex, f"C{c + 1}G{g + 1}", f"{'东西南北'[c % 4]}门第{g + 1}网格", "grid", cid.hex))
    con.executemany(
        "INSERT INTO org_unit (id, code, name, kind, parent_id, liaison_name, liaison_phone, version, settings)"
        " VALUES (?, ?, ?, ?, ?, '', '', 1, '{}')",
        units,
    )


def _households(con: sqlite3.Connection, area: Area, rng: random.Random, per_grid: int) -> list[tuple[str, str]]:
    rows = []
    for gi, grid in enumerate(area.grids):
        for i in range(per_grid):
            hid = uuid.UUID(int=(gi + 1) * 1_000_000 + i)
            building, unit, room = str(i // 24 + 1), str(i // 8 % 3 + 1), f"{i % 8 // 2 + 1}0{i % 2 + 1}"
            walk = f"幸福里|{int(building):04d}|{int(unit):04d}|{room}|{hid.hex}"
            rows.append((hid.hex, grid.hex, "幸福里", building, unit, room, walk, _name(rng)))
    con.executemany(
        "INSERT INTO household (id, grid_id, micro_grid_id, compound, building, unit, floor, room, walk_key,"
        " head_name, phone, notes, visit_interval_days, interval_fixed, last_met_on, last_attempt_on, due_on,"
        " version, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?, '', '', 30, 0, NULL,"
        " NULL, '2026-12-01', 1, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
        rows,
    )
    return [(r[0], r[1]) for r in rows]


def _workers(con: sqlite3.Connection, area: Area, rng: random.Random) -> None:
    rows = []
    for gi, grid in enumerate(area.grids):
        wid = uuid.UUID(int=9_000_000 + gi)
        area.workers.append(wid)
        rows.append((wid.hex, f"w{gi + 1}", _name(rng), json.dumps([grid.hex])))
    con.executemany(
        "INSERT INTO worker_card (user_id, username, name, phone, service_hours, card_line, photo, grids,"
        " card_code, updated_at) VALUES (?, ?, ?, '', '', '', NULL, ?, '', '2026-01-01 00:00:00.000000')",
        rows,
    )


def _visits(
    con: sqlite3.Connection, area: Area, rng: random.Random, households: list[tuple[str, str]], visits: int
) -> None:
    worker_of = {g.hex: w.hex for g, w in zip(area.grids, area.workers, strict=True)}
    rows, flags, events = [], [], []
    for no in range(1, visits + 1):
        hid, grid = households[rng.randrange(len(households))]
        at = T0 + dt.timedelta(seconds=no * 60 + rng.randrange(60))
        state = rng.choice(STATES)
        codes = [rng.choice(FLAGS)] if rng.random() < 0.1 else []
        notes = rng.choice(NOTES)
        amends = no - 1 if no > 1 and rng.random() < 0.02 else None
        rows.append(
            (no, uuid.UUID(int=no).hex, hid, grid, worker_of[grid], stamp(at), stamp(at + dt.timedelta(hours=1)),
             rng.choice(OUTCOMES), notes, amends, json.dumps(list(range(rng.randrange(4)))), "[]",
             rng.randrange(10, 400), state, json.dumps(codes), "")
        )  # fmt: skip
        flags.extend((c, no) for c in codes)
        if state == "returned":
            events.append(
                (uuid.UUID(int=10**9 + no).hex, no, hid, "return", None, stamp(at + dt.timedelta(days=1)),
                 "incomplete", "请补充见到的人员", "[]", "returned", 1)
            )  # fmt: skip
    con.executemany(
        "INSERT INTO review_visit (no, id, household_id, grid_id, worker_id, visited_at, received_at, outcome,"
        " notes, amends_no, seen, articles, form_seconds, state, flags, pending_action)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.executemany("INSERT INTO review_flag (code, visit_no) VALUES (?, ?)", flags)
    con.executemany(
        "INSERT INTO review_event (id, visit_no, household_id, action, actor_id, at, reason, comment, pins, state,"
        " effective) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        events,
    )
    area.visits += visits


def _requests(
    con: sqlite3.Connection, area: Area, rng: random.Random, households: list[tuple[str, str]], requests: int
) -> None:
    rows = []
    for i in range(requests):
        hid = households[rng.randrange(len(households))][0]
        at = T0 + dt.timedelta(hours=i * 3)
        rows.append(
            (uuid.UUID(int=5 * 10**9 + i).hex, hid, rng.choice(("fire_lane_blocked", "policy_question")),
             f"第{i + 1}件诉求：楼道堆放杂物", "normal", "2026-12-10", rng.choice(("submitted", "resolved")),
             stamp(at))
        )  # fmt: skip
    con.executemany(
        "INSERT INTO resident_request (id, household_id, visit_id, category, description, urgency, due_on, status,"
        " status_note, version, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, '', 1, ?)",
        rows,
    )
    area.requests += requests


def fill(
    path: Path,
    *,
    visits: int,
    street_settings: str = "{}",
    communities: int = 2,
    grids_per_community: int = 3,
    households_per_grid: int = 50,
    requests: int = 20,
    seed: int = 12,
) -> Area:
    """Generate an area into the migrated database at ``path``."""
    rng = random.Random(seed)
    area = Area(path, uuid.UUID(int=1))
    con = sqlite3.connect(path)
    try:
        with con:
            _units(con, area, communities, grids_per_community)
            con.execute("UPDATE org_unit SET settings = ? WHERE kind = 'street'", (street_settings,))
            households = _households(con, area, rng, households_per_grid)
            _workers(con, area, rng)
            _visits(con, area, rng, households, visits)
            _requests(con, area, rng, households, requests)
    finally:
        con.close()
    return area


def add_visit(path: Path, no: int, grid: uuid.UUID, worker: uuid.UUID, notes: str, at: dt.datetime) -> None:
    """One more visit with the given notes, of the grid's first household."""
    con = sqlite3.connect(path)
    try:
        with con:
            hid = con.execute("SELECT id FROM household WHERE grid_id = ? LIMIT 1", (grid.hex,)).fetchone()[0]
            con.execute(
                "INSERT INTO review_visit (no, id, household_id, grid_id, worker_id, visited_at, received_at,"
                " outcome, notes, amends_no, seen, articles, form_seconds, state, flags, pending_action)"
                " VALUES (?, NULL, ?, ?, ?, ?, ?, 'met', ?, NULL, '[0]', '[]', 20, 'pending', '[]', '')",
                (no, hid, grid.hex, worker.hex, stamp(at), stamp(at), notes),
            )
    finally:
        con.close()
