"""The coverage dashboard's figures (gridworker.store.coverage_reads) against an independent count: the
same rows read back whole and counted in plain Python, month by month in local time (UTC+8)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from gridworker.store import coverage_reads as cr
from gridworker.store.coverage_rows import MonthFigures, Tally
from gridworker.store.db import Database
from tests.helpers.review_dashboard_street import CHINA, Street, generate_street, stamp

NOW = dt.datetime(2026, 11, 27, 4, 0)  # UTC: 12:00 on 27 November in China
TODAY = dt.date(2026, 11, 27)


@dataclass
class Rows:
    """Every row the figures are made of, read back whole."""

    visits: list[dict[str, object]]
    households: dict[str, dict[str, object]]
    persons: dict[tuple[str, int], tuple[str, bool]]  # (household, position) -> (person, active)
    tags: set[tuple[str, str]]
    events: list[dict[str, object]]
    checks: list[dict[str, object]]
    cards: dict[str, list[str]]


def read_rows(path: Path) -> Rows:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        visits = [dict(r) for r in con.execute("SELECT * FROM review_visit")]
        households = {r["id"]: dict(r) for r in con.execute("SELECT * FROM household")}
        persons = {
            (r["household_id"], r["position"]): (r["id"], bool(r["active"]))
            for r in con.execute("SELECT * FROM person")
        }
        tags = {(r[0], r[1]) for r in con.execute("SELECT household_id, tag FROM household_tag")}
        events = [dict(r) for r in con.execute("SELECT * FROM review_event")]
        checks = [dict(r) for r in con.execute("SELECT * FROM backcheck")]
        cards = {
            r[0]: [uuid.UUID(g).hex for g in json.loads(r[1])]
            for r in con.execute("SELECT user_id, grids FROM worker_card")
        }
    finally:
        con.close()
    return Rows(visits, households, persons, tags, events, checks, cards)


def local(value: object) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value)) + CHINA


def expected(
    rows: Rows, grids: set[str], month: dt.date, as_of: dt.date, worker: str | None = None
) -> tuple[dict[str, Tally], dict[str, Tally], dict[str, int]]:
    """Per grid, per worker and per day, counted visit by visit in Python (of ``worker``'s visits
    only, when given; an amendment by anyone still supersedes)."""
    superseded = {v["amends_no"] for v in rows.visits if v["amends_no"] is not None}
    in_month = [
        v
        for v in rows.visits
        if v["grid_id"] in grids
        and (local(v["visited_at"]).year, local(v["visited_at"]).month) == (month.year, month.month)
        and worker in (None, v["worker_id"])
    ]
    effective = [v for v in in_month if v["no"] not in superseded]
    by_grid: dict[str, Tally] = defaultdict(Tally)
    by_worker: dict[str, Tally] = defaultdict(Tally)
    daily: dict[str, int] = defaultdict(int)
    for key, pick in (("grid_id", by_grid), ("worker_id", by_worker)):
        groups: dict[str, list[dict[str, object]]] = defaultdict(list)
        for v in effective:
            groups[str(v[key])].append(v)
        for k, vs in groups.items():
            t = pick[k]
            t.visits = len(vs)
            t.households_visited = len({v["household_id"] for v in vs})
            t.pending = sum(v["state"] == "pending" for v in vs)
            t.approved = sum(v["state"] == "approved" for v in vs)
            seen = set()
            for v in vs:
                for pos in json.loads(str(v["seen"])):
                    person = rows.persons.get((str(v["household_id"]), pos))
                    if person and person[1]:
                        seen.add(person[0])
            t.residents_seen = len(seen)
        month_nos = {v["no"]: v for v in in_month}
        for action, attr in (("return", "returned"), ("question", "questioned")):
            done: dict[str, set[object]] = defaultdict(set)
            for e in rows.events:
                if e["action"] == action and e["effective"] and e["visit_no"] in month_nos:
                    done[str(month_nos[e["visit_no"]][key])].add(e["visit_no"])
            for k, nos in done.items():
                setattr(pick[k], attr, len(nos))
        for b in rows.checks:
            if b["visit_no"] in month_nos:
                t = pick[str(month_nos[b["visit_no"]][key])]
                result = b["pending_result"] or b["result"]
                t.checks_drawn += 1
                t.checks_done += result != ""
                t.checks_denied += result == "denied"
    for v in effective:
        daily[local(v["visited_at"]).date().isoformat()] += 1
    asof_end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()) - CHINA
    last: dict[str, dt.datetime] = {}
    for v in rows.visits:
        at = dt.datetime.fromisoformat(str(v["visited_at"]))
        if at < asof_end and at > last.get(str(v["household_id"]), dt.datetime.min):
            last[str(v["household_id"])] = at
    for hid, h in rows.households.items():
        if h["grid_id"] not in grids:
            continue
        t = by_grid[str(h["grid_id"])]
        t.households += 1
        t.residents += sum(1 for (owner, _), (_, active) in rows.persons.items() if owner == hid and active)
        seen_at = last.get(hid)
        t.overdue += seen_at is None or seen_at < asof_end - dt.timedelta(days=int(str(h["visit_interval_days"])))
        if (hid, "elderly_alone") in rows.tags:
            t.care_households += 1
            t.care_overdue += seen_at is None or seen_at < asof_end - dt.timedelta(days=7)
    return by_grid, by_worker, daily


@pytest.fixture
def street(db: Database) -> Street:
    return generate_street(
        db.path, communities=2, grids_per_community=3, households_per_grid=40, visits=3000, days=400, seed=7
    )


def figures(path: Path, area: str, month: dt.date, now: dt.datetime = NOW, today: dt.date = TODAY) -> MonthFigures:
    con = sqlite3.connect(path)
    try:
        return cr.month_figures(con, uuid.UUID(hex=area), month, today=today, now=now, utc_offset=CHINA)
    finally:
        con.close()


@pytest.mark.parametrize("month", [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 2, 1)])
def test_a_streets_month_matches_a_count_visit_by_visit(db: Database, street: Street, month: dt.date) -> None:
    f = figures(db.path, street.street, month)
    as_of = min(TODAY, cr.add_months(month, 1) - dt.timedelta(days=1))
    rows = read_rows(db.path)
    grids, workers, daily = expected(rows, set(street.grids), month, as_of)
    mine_by_grid = {
        (w, g): expected(rows, {g}, month, as_of, worker=w)[0][g] for w in street.workers for g in street.grids
    }
    assert f.as_of == as_of
    assert {g.id.hex: g.tally for g in f.grids} == {gid: grids[gid] for gid in street.grids}
    assert [t for t in grids.values() if t.visits], "the generated month has visits"
    assert sum(t.returned for t in grids.values()) and sum(t.checks_drawn for t in grids.values())
    for w in f.workers:
        want = workers[w.id.hex]
        mine = [g for g in f.grids if g.name in w.grids]
        got = w.tally
        # against the worker's grids: their visits there, not a household they visited elsewhere
        there = {g.id.hex for g in mine}
        assert (got.visits, got.households_visited, got.residents_seen) == (
            want.visits,
            sum(mine_by_grid[(w.id.hex, g)].households_visited for g in there),
            sum(mine_by_grid[(w.id.hex, g)].residents_seen for g in there),
        )
        assert got.households_visited <= want.households_visited
        assert (got.pending, got.approved, got.returned, got.questioned) == (
            want.pending,
            want.approved,
            want.returned,
            want.questioned,
        )
        assert (got.checks_drawn, got.checks_done, got.checks_denied) == (
            want.checks_drawn,
            want.checks_done,
            want.checks_denied,
        )
        assert got.households == sum(g.tally.households for g in mine)
    assert dict((d.isoformat(), n) for d, n in f.daily if n) == dict(daily)
    assert len(f.daily) == f.days == (as_of - month).days + 1
    assert f.total.households == street.households
    assert f.total.days_with_visits == len(daily)
    assert f.total.households_visited == sum(t.households_visited for t in grids.values())


def test_a_communitys_month_holds_only_its_grids_and_sums_to_its_row(db: Database, street: Street) -> None:
    community = street.communities[1]
    f = figures(db.path, community, dt.date(2026, 10, 1))
    mine = {g for g, c in street.grids.items() if c == community}
    grids, _, _ = expected(read_rows(db.path), mine, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert {g.id.hex for g in f.grids} == mine
    assert {g.id.hex: g.tally for g in f.grids} == {gid: grids[gid] for gid in mine}
    assert len(f.communities) == 1 and f.communities[0].tally == f.total
    assert f.area.kind == "community" and f.area.name == "第2社区"
    names = {g.id.hex: g.name for g in f.grids}
    # a worker of the community's grids counts against their card's grid; one from elsewhere who
    # visited here, against the grids they visited
    own = {w: (names[g],) for w, g in street.workers.items() if g in mine}
    assert {w.id.hex: w.grids for w in f.workers if w.id.hex in own} == own
    assert all(set(w.grids) <= set(names.values()) for w in f.workers)


def test_an_amended_visit_counts_through_its_amendment_only(db: Database, street: Street) -> None:
    """The member only the corrected visit saw is not seen; the amendment's member is."""
    con = sqlite3.connect(db.path)
    grid = next(iter(street.grids))
    hid = con.execute(
        "SELECT h.id FROM household h WHERE h.grid_id = ? AND (SELECT count(*) FROM person p "
        "WHERE p.household_id = h.id AND p.active) >= 2 LIMIT 1",
        (grid,),
    ).fetchone()[0]
    positions = [
        r[0]
        for r in con.execute("SELECT position FROM person WHERE household_id = ? AND active ORDER BY position", (hid,))
    ]
    con.execute("DELETE FROM review_visit WHERE grid_id = ? AND visited_at >= '2025-11-30'", (grid,))
    worker = next(w for w, g in street.workers.items() if g == grid)
    at = stamp(dt.datetime(2025, 12, 10, 2))
    rows = [
        (900001, hid, grid, worker, at, at, json.dumps([positions[0]]), None, "amended"),
        (900002, hid, grid, worker, at, at, json.dumps([positions[1]]), 900001, "pending"),
    ]
    con.executemany(
        "INSERT INTO review_visit (no, household_id, grid_id, worker_id, visited_at, received_at, outcome, notes, "
        "seen, articles, state, flags, pending_action, amends_no) "
        "VALUES (?, ?, ?, ?, ?, ?, 'met', '', ?, '[]', ?, '[]', '', ?)",
        [(n, h, g, w, a, r, s, st, am) for n, h, g, w, a, r, s, am, st in rows],
    )
    con.commit()
    con.close()
    f = figures(db.path, street.street, dt.date(2025, 12, 1), today=dt.date(2025, 12, 31))
    t = next(g.tally for g in f.grids if g.id.hex == grid)
    assert (t.visits, t.households_visited, t.residents_seen, t.pending) == (1, 1, 1, 1)


def test_month_boundaries_are_local_midnight_utc_plus_8(db: Database) -> None:
    street = generate_street(db.path, communities=1, grids_per_community=1, households_per_grid=3, visits=0, seed=3)
    con = sqlite3.connect(db.path)
    grid = next(iter(street.grids))
    worker = next(iter(street.workers))
    homes = [r[0] for r in con.execute("SELECT id FROM household ORDER BY walk_key")]
    times = [
        (1, homes[0], dt.datetime(2026, 9, 30, 16, 0)),  # 1 October 00:00 in China: October
        (2, homes[1], dt.datetime(2026, 10, 31, 15, 59, 59, 999999)),  # 31 October 23:59:59: October
        (3, homes[2], dt.datetime(2026, 10, 31, 16, 0)),  # 1 November 00:00: November
        (4, homes[2], dt.datetime(2026, 9, 30, 15, 59, 59)),  # 30 September 23:59:59: September
    ]
    con.executemany(
        "INSERT INTO review_visit (no, household_id, grid_id, worker_id, visited_at, received_at, outcome, notes, "
        "seen, articles, state, flags, pending_action) VALUES (?, ?, ?, ?, ?, ?, 'not_home', '', '[]', '[]', "
        "'pending', '[]', '')",
        [(no, h, grid, worker, stamp(at), stamp(at)) for no, h, at in times],
    )
    con.commit()
    con.close()
    october = figures(db.path, street.street, dt.date(2026, 10, 15))
    november = figures(db.path, street.street, dt.date(2026, 11, 1))
    assert (october.total.visits, october.total.households_visited) == (2, 2)
    assert october.daily[0] == (dt.date(2026, 10, 1), 1) and october.daily[-1] == (dt.date(2026, 10, 31), 1)
    assert (november.total.visits, november.total.households_visited) == (1, 1)
    assert november.as_of == TODAY and november.days == 27
    grids, _, _ = expected(read_rows(db.path), {grid}, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert october.total.overdue == grids[grid].overdue
    assert [w.last_upload for w in november.workers] == [dt.datetime(2026, 10, 31, 16, 0)]


def test_an_empty_month_is_zeros_and_every_household_overdue(db: Database, street: Street) -> None:
    f = figures(db.path, street.street, dt.date(2024, 1, 1))
    assert f.total.visits == f.total.households_visited == f.total.residents_seen == 0
    assert f.total.coverage == 0.0 and f.total.seen_share == 0.0
    assert f.total.overdue == f.total.households == street.households
    assert len(f.daily) == 31 and all(n == 0 for _, n in f.daily)
    assert all(w.tally.visits == 0 for w in f.workers) and len(f.workers) == len(street.workers)


def test_a_month_after_today_has_no_days_and_an_area_without_grids_no_shares(db: Database, street: Street) -> None:
    f = figures(db.path, street.street, dt.date(2027, 3, 1))
    assert (f.days, f.daily, f.total.visits) == (0, [], 0)
    con = sqlite3.connect(db.path)
    con.execute(
        "INSERT INTO org_unit (id, code, name, kind, parent_id, liaison_name, liaison_phone, version, settings) "
        "VALUES (?, 'EMPTY', '空街道', 'street', NULL, '', '', 1, '{}')",
        (uuid.UUID(int=5).hex,),
    )
    con.commit()
    con.close()
    empty = figures(db.path, uuid.UUID(int=5).hex, dt.date(2026, 11, 1))
    assert (empty.grids, empty.workers, empty.total.coverage, empty.total.seen_share) == ([], [], None, None)


def test_silent_workers_are_those_without_an_upload_for_longer_than_the_streets_setting(db: Database) -> None:
    street = generate_street(
        db.path, communities=1, grids_per_community=3, households_per_grid=5, visits=0, settings={"silent_days": 5}
    )
    con = sqlite3.connect(db.path)
    workers = list(street.workers)
    homes = {g: con.execute("SELECT id FROM household WHERE grid_id = ?", (g,)).fetchone()[0] for g in street.grids}
    uploads = [(workers[0], NOW - dt.timedelta(days=5)), (workers[1], NOW - dt.timedelta(days=5, seconds=1))]
    con.executemany(
        "INSERT INTO review_visit (no, household_id, grid_id, worker_id, visited_at, received_at, outcome, notes, "
        "seen, articles, state, flags, pending_action) VALUES (?, ?, ?, ?, ?, ?, 'met', '', '[]', '[]', "
        "'pending', '[]', '')",
        [
            (n + 1, homes[street.workers[w]], street.workers[w], w, stamp(at - dt.timedelta(days=30)), stamp(at))
            for n, (w, at) in enumerate(uploads)
        ],
    )
    con.commit()
    con.close()
    f = figures(db.path, street.street, dt.date(2026, 11, 1))
    by_id = {w.id.hex: w for w in f.workers}
    assert f.settings.silent_days == 5
    assert not by_id[workers[0]].silent and by_id[workers[0]].last_upload == NOW - dt.timedelta(days=5)
    assert by_id[workers[1]].silent
    assert by_id[workers[2]].silent and by_id[workers[2]].last_upload is None
    assert [w.id.hex for w in f.silent] == workers[1:]


def test_the_trend_matches_a_count_month_by_month(db: Database, street: Street) -> None:
    con = sqlite3.connect(db.path)
    try:
        tr = cr.trend(con, uuid.UUID(hex=street.street), dt.date(2026, 11, 1), utc_offset=CHINA)
    finally:
        con.close()
    rows = read_rows(db.path)
    assert tr.months[0] == dt.date(2025, 12, 1) and tr.months[-1] == dt.date(2026, 11, 1) and len(tr.months) == 12
    for i, month in enumerate(tr.months):
        grids, _, _ = expected(rows, set(street.grids), month, month)
        for gid in street.grids:
            point = tr.grids[uuid.UUID(hex=gid)][i]
            want = grids[gid]
            assert (point.visits, point.households_visited, point.residents_seen) == (
                want.visits,
                want.households_visited,
                want.residents_seen,
            )
            assert (point.households, point.residents) == (want.households, want.residents)
        assert tr.area[i].visits == sum(g.visits for g in grids.values())
    assert sum(p.visits for p in tr.area) > 0


def test_a_zone_off_the_hour_counts_its_days_by_the_minute(db: Database) -> None:
    """UTC+5:30: 18:29 UTC on 31 October is 23:59 local (October), 18:30 is 1 November 00:00."""
    street = generate_street(db.path, communities=1, grids_per_community=1, households_per_grid=2, visits=0)
    con = sqlite3.connect(db.path)
    grid, worker = next(iter(street.grids)), next(iter(street.workers))
    homes = [r[0] for r in con.execute("SELECT id FROM household ORDER BY walk_key")]
    times = [(1, homes[0], dt.datetime(2026, 10, 31, 18, 29)), (2, homes[1], dt.datetime(2026, 10, 31, 18, 30))]
    con.executemany(
        "INSERT INTO review_visit (no, household_id, grid_id, worker_id, visited_at, received_at, outcome, notes, "
        "seen, articles, state, flags, pending_action) VALUES (?, ?, ?, ?, ?, ?, 'not_home', '', '[]', '[]', "
        "'pending', '[]', '')",
        [(no, h, grid, worker, stamp(at), stamp(at)) for no, h, at in times],
    )
    con.commit()
    india = dt.timedelta(hours=5, minutes=30)
    try:
        october = cr.month_figures(
            con, uuid.UUID(hex=street.street), dt.date(2026, 10, 1), today=TODAY, now=NOW, utc_offset=india
        )
        november = cr.month_figures(
            con, uuid.UUID(hex=street.street), dt.date(2026, 11, 1), today=TODAY, now=NOW, utc_offset=india
        )
    finally:
        con.close()
    assert october.daily[-1] == (dt.date(2026, 10, 31), 1) and october.total.visits == 1
    assert november.daily[0] == (dt.date(2026, 11, 1), 1) and november.total.visits == 1
