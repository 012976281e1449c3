"""A street's year of resident requests with their events, in the app database of a station's or
supervisor's laptop (as the grid scopes bring them), for the requests board's and the rates' tests and
benchmark: 4 communities of 5 grids, 500 households a grid, 8 departments, and ``count`` requests
registered over the year before ``end`` that went through the flow (request_flow): 即办, 受理 and 派单,
退单 (some twice), 签收, 处置, 办结 (some late), 回访 (resolved or not, satisfied or not: 重办),
failed call-backs, merges, cancellations, and the recent ones still open (some overdue).

Written with the stdlib's executemany in SQLAlchemy's storage formats into a database the app's
migrations made. The generator also returns its requests as Python records, from which the tests
count the rates independently of the SQL."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from gridworker.store.db import Database
from gridworker_shared.domain.request_flow import DEFAULT_DEADLINE_DAYS

COMMUNITIES = 4
GRIDS_PER_COMMUNITY = 5
HOUSEHOLDS_PER_GRID = 500
DEPARTMENTS = (
    ("D01", "城管执法中队"),
    ("D02", "住建所"),
    ("D03", "消防救援站"),
    ("D04", "派出所"),
    ("D05", "物业公司"),
    ("D06", "市场监管所"),
    ("D07", "民政办"),
    ("D08", "供电所"),
)
CATEGORIES = tuple(DEFAULT_DEADLINE_DAYS)
OFFSET = dt.timedelta(hours=8)


@dataclass
class Req:
    """One generated request as the independent count reads it (times UTC, naive)."""

    id: str
    household: str
    grid: str
    community: str
    street: str
    category: str
    created_at: dt.datetime
    status: str = "submitted"
    department: str | None = None
    dispatched_at: dt.datetime | None = None
    deadline_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    on_spot: bool = False
    bounces: int = 0
    reopens: int = 0
    failed_callbacks: int = 0
    resolved: bool | None = None
    satisfaction: str = ""
    merged_into: str | None = None
    events: list[tuple[str, dt.datetime, str, str, dict[str, object]]] = field(default_factory=list)


@dataclass
class Dataset:
    street: str
    communities: list[str]
    grids: list[str]
    grid_community: dict[str, str]
    departments: list[str]
    workers: list[str]
    requests: list[Req]
    end: dt.datetime  # "now" for the dataset (UTC)


def _hex(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _stamp(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")


def _flow(rng: random.Random, q: Req, departments: list[str], now: dt.datetime) -> None:
    """Walk the request through the flow until ``now``; every step an event."""
    t = q.created_at

    def step(name: str, at: dt.datetime, status: str, note: str = "", **data: object) -> bool:
        if at > now:
            return False
        q.events.append((name, at, status, note, data))
        q.status = status
        return True

    q.events.append(("create", t, "submitted", "", {}))
    roll = rng.random()
    if roll < 0.02:
        step("cancel", t + dt.timedelta(hours=2), "cancelled")
        return
    if roll < 0.14:  # 即办
        at = t + dt.timedelta(minutes=rng.randrange(5, 90))
        if step("on_spot", at, "closed", "当场处理"):
            q.on_spot, q.closed_at = True, at
            _callback(rng, q, at, now, step, departments)
        return
    t += dt.timedelta(hours=rng.randrange(1, 20))
    if not step("accept", t, "accepted"):
        return
    _dispatch_to_close(rng, q, t, now, step, departments)


def _dispatch_to_close(rng, q, t, now, step, departments) -> None:  # type: ignore[no-untyped-def]
    bounces = 2 if rng.random() < 0.03 else (1 if rng.random() < 0.08 else 0)
    dept = rng.choice(departments)
    while True:
        t += dt.timedelta(hours=rng.randrange(1, 30))
        if not step("dispatch", t, "dispatched", department_id=dept):
            return
        q.department, q.dispatched_at = dept, t
        q.deadline_at = t + dt.timedelta(days=DEFAULT_DEADLINE_DAYS[q.category])
        if q.bounces < bounces:
            t += dt.timedelta(hours=rng.randrange(2, 40))
            if not step("bounce", t, "accepted", "不属本部门", reason="not_ours", whose="另一部门"):
                return
            q.bounces += 1
            dept = rng.choice([d for d in departments if d != dept])
            continue
        break
    _sign_to_close(rng, q, t, now, step, departments)


def _sign_to_close(rng, q, t, now, step, departments) -> None:  # type: ignore[no-untyped-def]
    signed = t + dt.timedelta(hours=rng.randrange(1, 24))
    if not step("sign", signed, "signed") or rng.random() < 0.02:  # a few stall: overdue
        return
    days = DEFAULT_DEADLINE_DAYS[q.category]
    late = rng.random() < 0.12
    span = dt.timedelta(hours=rng.uniform(days * 24, days * 24 * 2.5) if late else rng.uniform(4, days * 24 * 0.95))
    close = max(signed + dt.timedelta(hours=1), q.dispatched_at + span)
    if rng.random() < 0.03:  # 督办: extended
        if not step("extend", signed + (close - signed) / 3, "signed", "延期", days=3):
            return
        q.deadline_at = q.deadline_at + dt.timedelta(days=3)
    if rng.random() < 0.5 and not step("progress", signed + (close - signed) / 2, "signed", "正在处理"):
        return
    if not step("close", close, "closed", "已办结"):
        return
    q.closed_at = close
    _callback(rng, q, close, now, step, departments)


def _callback(rng, q, t, now, step, departments) -> None:  # type: ignore[no-untyped-def]
    t += dt.timedelta(hours=rng.randrange(24, 24 * 10))
    roll = rng.random()
    if roll < 0.1:  # unreachable: three failed call-backs archive it
        for i in range(3):
            status = "archived" if i == 2 else "closed"
            if not step("callback_failed", t, status, "无人接听"):
                return
            q.failed_callbacks += 1
            t += dt.timedelta(days=1)
        return
    resolved = rng.random() < 0.85
    satisfaction = rng.choices(("satisfied", "basic", "dissatisfied"), (60, 30, 10) if resolved else (5, 15, 80))[0]
    good = resolved and satisfaction in ("satisfied", "basic")
    after = "archived" if good else ("accepted" if q.on_spot else "dispatched")
    if not step("callback", t, after, "", resolved=resolved, satisfaction=satisfaction):
        return
    q.resolved, q.satisfaction = resolved, satisfaction
    if good:
        return
    q.reopens += 1
    if q.on_spot:
        return  # back to the station (accepted)
    # 重办: dispatched again to the same department, its clock restarted
    q.dispatched_at, q.deadline_at = t, t + dt.timedelta(days=DEFAULT_DEADLINE_DAYS[q.category])
    _sign_to_close(rng, q, t, now, step, departments)


def generate(path: Path, count: int, *, seed: int = 13, end: dt.datetime | None = None) -> Dataset:
    """``count`` requests registered in the 365 days before ``end`` (UTC), written into ``path`` (a
    new database made by the app's migrations)."""
    end = end or dt.datetime(2026, 12, 1, 4, 0)
    rng = random.Random(seed)
    Database(path).close()
    street = _hex(rng)
    communities = [_hex(rng) for _ in range(COMMUNITIES)]
    grids = [_hex(rng) for _ in range(COMMUNITIES * GRIDS_PER_COMMUNITY)]
    grid_community = {g: communities[i // GRIDS_PER_COMMUNITY] for i, g in enumerate(grids)}
    departments = [_hex(rng) for _ in DEPARTMENTS]
    workers = [_hex(rng) for _ in grids]
    homes = [(_hex(rng), g, n) for g in grids for n in range(HOUSEHOLDS_PER_GRID)]
    start = end - dt.timedelta(days=365)
    requests: list[Req] = []
    stamps = sorted(start + dt.timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(count))
    for created in stamps:
        hid, gid, _ = homes[rng.randrange(len(homes))]
        q = Req(_hex(rng), hid, gid, grid_community[gid], street, rng.choice(CATEGORIES), created)
        _flow(rng, q, departments, end)
        requests.append(q)
    _merges(rng, requests, end)
    data = Dataset(street, communities, grids, grid_community, departments, workers, requests, end)
    _write(path, data, homes, rng)
    return data


def _merges(rng: random.Random, requests: list[Req], end: dt.datetime) -> None:
    """Some untouched later requests of a household merged into its earlier one."""
    last: dict[str, Req] = {}
    for q in requests:
        earlier = last.get(q.household)
        if earlier is not None and q.status == "accepted" and not q.department and rng.random() < 0.5:
            at = q.events[-1][1] + dt.timedelta(minutes=30)
            if at <= end:
                q.events.append(("merge", at, "merged", "重复诉求", {"merge_into": earlier.id}))
                q.status, q.merged_into = "merged", earlier.id
        last[q.household] = q


def _write(path: Path, d: Dataset, homes: list[tuple[str, str, int]], rng: random.Random) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        units = [(d.street, "S01", "幸福街道", "street", None)]
        for c, community in enumerate(d.communities):
            units.append((community, f"C{c:02d}", f"第{c + 1}社区", "community", d.street))
        for g, grid in enumerate(d.grids):
            c = g // GRIDS_PER_COMMUNITY
            units.append(
                (grid, f"C{c:02d}G{g % 5:02d}", f"第{c + 1}社区第{g % 5 + 1}网格", "grid", d.grid_community[grid])
            )
        for (code, name), dept in zip(DEPARTMENTS, d.departments, strict=True):
            units.append((dept, code, name, "department", d.street))
        con.executemany(
            "INSERT INTO org_unit (id, code, name, kind, parent_id, settings, liaison_name, liaison_phone, version) "
            "VALUES (?, ?, ?, ?, ?, '{}', '', '', 1)",
            units,
        )
        con.executemany(
            "INSERT INTO worker_card (user_id, username, name, phone, service_hours, card_line, grids, card_code, "
            "updated_at) VALUES (?, ?, ?, '', '', '', ?, '', '2026-01-01 00:00:00.000000')",
            [(w, f"worker{i:02d}", f"网格员{i + 1:02d}", json.dumps([d.grids[i]])) for i, w in enumerate(d.workers)],
        )
        created = "2025-01-01 00:00:00.000000"
        con.executemany(
            "INSERT INTO household (id, grid_id, compound, building, unit, floor, room, walk_key, head_name, phone, "
            "notes, visit_interval_days, interval_fixed, due_on, version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, '', 30, 0, '2026-12-01', 1, ?, ?)",
            [
                (
                    hid,
                    gid,
                    f"小区{gid[:2]}",
                    str(1 + n // 40),
                    str(1 + n // 20 % 2),
                    f"{1 + n % 20 // 2}0{1 + n % 2}",
                    f"{gid[:4]}{n:05d}",
                    f"住户{n:04d}",
                    f"139{n:08d}",
                    created,
                    created,
                )
                for hid, gid, n in homes
            ],
        )
        worker_of = dict(zip(d.grids, d.workers, strict=True))
        con.executemany(
            "INSERT INTO resident_request (id, household_id, visit_id, category, description, urgency, due_on, "
            "status, status_note, version, created_at, department_id, dispatched_at, deadline_at, closed_at, on_spot, "
            "bounces, reopens, failed_callbacks, resolved, satisfaction, merged_into, pending_step) "
            f"VALUES ({','.join('?' * 23)})",
            [
                (
                    q.id,
                    q.household,
                    None,
                    q.category,
                    "楼道堆放杂物，影响通行",
                    "normal",
                    (q.created_at + OFFSET).date().isoformat(),
                    q.status,
                    "",
                    len(q.events),
                    _stamp(q.created_at),
                    q.department,
                    _stamp(q.dispatched_at),
                    _stamp(q.deadline_at),
                    _stamp(q.closed_at),
                    int(q.on_spot),
                    q.bounces,
                    q.reopens,
                    q.failed_callbacks,
                    None if q.resolved is None else int(q.resolved),
                    q.satisfaction,
                    q.merged_into,
                    "",
                )
                for q in d.requests
            ],
        )
        con.executemany(
            "INSERT INTO request_event (id, request_id, step, actor_id, at, status, note, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    f"{rng.getrandbits(128):032x}",
                    q.id,
                    name,
                    worker_of[q.grid],
                    _stamp(at),
                    status,
                    note,
                    json.dumps(data) if data else "{}",
                )
                for q in d.requests
                for name, at, status, note, data in q.events
            ],
        )
        con.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("worker_id", _hex(rng)),
                ("username", "supervisor"),
                ("worker_name", "街道主管"),
                ("grid_name", "幸福街道"),
                ("role", "supervisor"),
            ],
        )
        con.execute("ANALYZE")
        con.commit()
    finally:
        con.close()
