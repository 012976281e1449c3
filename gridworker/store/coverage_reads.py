"""The coverage dashboard's figures on a station's or supervisor's laptop, on the standard library's
sqlite3 (as gridworker.store.reads): a month of a community or a street per grid, per worker and in
total, and the trend over twelve months.

Each figure is an aggregate query over the month's visits (the ``grid_id, visited_at`` index of
``review_visit``), grouped by grid and by worker in the same statement: no Python loop over visits or
households. A visit corrected by an amendment (``amends_no`` of a later visit) counts through the
amendment only. A month is the calendar month in local time (``utc_offset``; China is UTC+8); the
store keeps UTC. Members seen are ``review_visit.seen``: the positions (``person.position``) of the
household's members.

The app has no time a worker last synced: what it has is when the server received each visit, so a
worker's "data as of" is the latest ``received_at`` of their visits (shown as 最近上传).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import sqlite3
import uuid
from collections import defaultdict
from typing import Any

from gridworker.store.coverage_rows import (
    Area,
    GridFigures,
    MonthFigures,
    Tally,
    Trend,
    TrendPoint,
    WorkerFigures,
)
from gridworker_shared.domain.review import StreetSettings

TREND_MONTHS = 12

# the grids of an area (:area is a grid's community or street)
_GRIDS = (
    "g(id) AS (SELECT id FROM org_unit WHERE kind = 'grid' AND (parent_id = :area "
    "OR parent_id IN (SELECT id FROM org_unit WHERE parent_id = :area)))"
)
# the area's visits of [start, end) that stand (not corrected by an amendment)
_EFFECTIVE = (
    "v.grid_id IN (SELECT id FROM g) AND v.visited_at >= :start AND v.visited_at < :end "
    "AND NOT EXISTS (SELECT 1 FROM review_visit a WHERE a.amends_no = v.no)"
)

_VISITS_SQL = f"""
WITH {_GRIDS},
mv AS MATERIALIZED (
    SELECT v.household_id AS hid, v.grid_id AS gid, v.worker_id AS wid, v.state, v.seen,
           substr(v.visited_at, 1, :bucket) AS bucket
    FROM review_visit v WHERE {_EFFECTIVE}
),
s AS MATERIALIZED (
    SELECT mv.gid, mv.wid, p.id AS pid FROM mv, json_each(mv.seen) j
    JOIN person p ON p.household_id = mv.hid AND p.position = j.value
    WHERE p.active
)
SELECT 'g', gid, NULL, count(*), count(DISTINCT hid), sum(state = 'pending'), sum(state = 'approved')
FROM mv GROUP BY gid
UNION ALL
SELECT 'w', wid, NULL, count(*), 0, sum(state = 'pending'), sum(state = 'approved') FROM mv GROUP BY wid
UNION ALL
SELECT 'wg', wid, gid, 0, count(DISTINCT hid), 0, 0 FROM mv GROUP BY wid, gid
UNION ALL
SELECT 'b', bucket, NULL, count(*), 0, 0, 0 FROM mv GROUP BY bucket
UNION ALL
SELECT 'gs', gid, NULL, count(DISTINCT pid), 0, 0, 0 FROM s GROUP BY gid
UNION ALL
SELECT 'wgs', wid, gid, count(DISTINCT pid), 0, 0, 0 FROM s GROUP BY wid, gid
"""

# returned / questioned at least once (effective events) and the back-checks of the month's visits,
# superseded visits included: a returned visit is usually corrected since
_REVIEWS_SQL = f"""
WITH {_GRIDS},
av AS MATERIALIZED (
    SELECT v.no, v.grid_id AS gid, v.worker_id AS wid FROM review_visit v
    WHERE v.grid_id IN (SELECT id FROM g) AND v.visited_at >= :start AND v.visited_at < :end
),
ev AS (
    SELECT av.gid, av.wid, av.no, e.action FROM av JOIN review_event e ON e.visit_no = av.no
    WHERE e.effective AND e.action IN ('return', 'question')
),
bc AS (
    SELECT av.gid, av.wid, CASE WHEN b.pending_result <> '' THEN b.pending_result ELSE b.result END AS result
    FROM av JOIN backcheck b ON b.visit_no = av.no
)
SELECT 'g', gid, count(DISTINCT CASE WHEN action = 'return' THEN no END),
       count(DISTINCT CASE WHEN action = 'question' THEN no END), 0, 0, 0 FROM ev GROUP BY gid
UNION ALL
SELECT 'w', wid, count(DISTINCT CASE WHEN action = 'return' THEN no END),
       count(DISTINCT CASE WHEN action = 'question' THEN no END), 0, 0, 0 FROM ev GROUP BY wid
UNION ALL
SELECT 'bg', gid, 0, 0, count(*), sum(result <> ''), sum(result = 'denied') FROM bc GROUP BY gid
UNION ALL
SELECT 'bw', wid, 0, 0, count(*), sum(result <> ''), sum(result = 'denied') FROM bc GROUP BY wid
"""

# per grid: households, overdue ones (no visit of any outcome in the interval before :asof), care-tag
# households and overdue ones. The latest visit of each household is read from the visits of the
# longest interval only (the visited_at index), not from every visit of two years; each interval's
# start is computed once (iv, made by the caller), not once a household
_HOUSEHOLDS_SQL = """
WITH {grids}, iv(days, since) AS (VALUES {intervals}),
lv AS MATERIALIZED (
    SELECT v.household_id AS hid, max(v.visited_at) AS last FROM review_visit v
    WHERE v.grid_id IN (SELECT id FROM g) AND v.visited_at >= :window AND v.visited_at < :asof
    GROUP BY v.household_id
)
SELECT h.grid_id, count(*), sum(lv.last IS NULL OR lv.last < iv.since), sum(t.tag IS NOT NULL),
       sum(t.tag IS NOT NULL AND (lv.last IS NULL OR lv.last < :care_since))
FROM household h JOIN iv ON iv.days = h.visit_interval_days
LEFT JOIN lv ON lv.hid = h.id
LEFT JOIN household_tag t ON t.household_id = h.id AND t.tag = :care
WHERE h.grid_id IN (SELECT id FROM g) GROUP BY h.grid_id
"""

_RESIDENTS_SQL = f"""
WITH {_GRIDS}
SELECT h.grid_id, count(*) FROM household h JOIN person p ON p.household_id = h.id
WHERE p.active AND h.grid_id IN (SELECT id FROM g) GROUP BY h.grid_id
"""

# a visit's month is its index among the months' starts (UTC times of local midnights, made by the
# caller as :m1 ... :m11): a dozen string comparisons rather than SQLite's date arithmetic a visit
_TREND_SQL = """
WITH {grids},
mv AS MATERIALIZED (
    SELECT v.household_id AS hid, v.grid_id AS gid, v.seen, {month} AS m
    FROM review_visit v WHERE {effective}
)
SELECT gid, m, count(*), count(DISTINCT hid), 0 FROM mv GROUP BY gid, m
UNION ALL
SELECT mv.gid, mv.m, 0, 0, count(DISTINCT p.id) FROM mv, json_each(mv.seen) j
JOIN person p ON p.household_id = mv.hid AND p.position = j.value
WHERE p.active GROUP BY mv.gid, mv.m
"""


def stamp(value: dt.datetime) -> str:
    """A UTC time as SQLAlchemy's DateTime stores it in SQLite."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _utc(day: dt.date, utc_offset: dt.timedelta) -> dt.datetime:
    """Local midnight starting ``day``, in UTC."""
    return dt.datetime.combine(day, dt.time()) - utc_offset


def _shift(utc_offset: dt.timedelta) -> str:
    """SQLite's modifier from UTC to local time."""
    return f"{int(utc_offset.total_seconds()) // 60:+d} minutes"


# --- areas -------------------------------------------------------------------------------------


def areas(con: sqlite3.Connection) -> list[Area]:
    """The streets and communities this copy holds grids of, streets first, in code order."""
    rows = con.execute(
        "SELECT a.id, a.name, a.kind FROM org_unit a WHERE a.kind IN ('street', 'community') AND EXISTS ("
        "SELECT 1 FROM org_unit g LEFT JOIN org_unit c ON c.id = g.parent_id WHERE g.kind = 'grid' "
        "AND (g.parent_id = a.id OR c.parent_id = a.id)) ORDER BY a.kind = 'community', a.code"
    ).fetchall()
    return [Area(uuid.UUID(hex=r[0]), r[1], r[2]) for r in rows]


def street_settings(con: sqlite3.Connection, area_id: uuid.UUID) -> StreetSettings:
    """The settings of the area's street: the area itself, or a community's parent."""
    row = con.execute(
        "SELECT CASE WHEN a.kind = 'street' THEN a.settings ELSE s.settings END FROM org_unit a "
        "LEFT JOIN org_unit s ON s.id = a.parent_id WHERE a.id = ?",
        (area_id.hex,),
    ).fetchone()
    try:
        data = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        data = {}
    return StreetSettings.from_dict(data if isinstance(data, dict) else {})


def _area(con: sqlite3.Connection, area_id: uuid.UUID) -> Area:
    row = con.execute("SELECT name, kind FROM org_unit WHERE id = ?", (area_id.hex,)).fetchone()
    if row is None:
        raise LookupError(f"no area {area_id}")
    return Area(area_id, row[0], row[1])


# --- a month ------------------------------------------------------------------------------------


def month_figures(
    con: sqlite3.Connection,
    area_id: uuid.UUID,
    month: dt.date,
    *,
    today: dt.date,
    now: dt.datetime,
    utc_offset: dt.timedelta,
) -> MonthFigures:
    """The month (any day of it) of the area (a community or a street). ``today`` is the local date
    and ``now`` the UTC time the silent workers are counted against. Run it inside one read
    transaction (Reader.snapshot) for figures of one state of the copy."""
    area = _area(con, area_id)
    settings = street_settings(con, area_id)
    first = month_start(month)
    last = add_months(first, 1) - dt.timedelta(days=1)
    as_of = max(first, min(last, today))
    days = (as_of - first).days + 1 if today >= first else 0
    base = {
        "area": area_id.hex,
        "start": stamp(_utc(first, utc_offset)),
        "end": stamp(_utc(last + dt.timedelta(days=1), utc_offset)),
        "shift": _shift(utc_offset),
    }
    grids = _grids(con, area_id)
    tallies: dict[str, Tally] = {gid: Tally() for gid in grids}
    _household_counts(con, base, tallies, as_of, utc_offset, settings)
    workers: dict[str, Tally] = defaultdict(Tally)
    in_grids: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    daily_counts = _visit_counts(con, base, tallies, workers, in_grids)
    _review_counts(con, base, tallies, workers)
    grid_rows = [
        GridFigures(uuid.UUID(hex=gid), name, _opt_uuid(cid), community, tallies[gid])
        for gid, (name, cid, community) in grids.items()
    ]
    communities = _community_rows(grid_rows)
    total = Tally()
    for g in grid_rows:
        total.add(g.tally)
    total.days_with_visits = len(daily_counts)
    if len(communities) == 1:
        communities[0].tally.days_with_visits = total.days_with_visits
    worker_rows = _workers(con, grids, tallies, workers, in_grids, now, settings)
    daily = [
        (first + dt.timedelta(days=i), daily_counts.get((first + dt.timedelta(days=i)).isoformat(), 0))
        for i in range(days)
    ]
    return MonthFigures(area, first, as_of, days, settings, grid_rows, communities, worker_rows, total, daily)


def _opt_uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(hex=value) if value else None


def _grids(con: sqlite3.Connection, area_id: uuid.UUID) -> dict[str, tuple[str, str | None, str]]:
    """grid id -> (name, community id, community name), in code order."""
    rows = con.execute(
        f"WITH {_GRIDS} SELECT o.id, o.name, c.id, c.name FROM org_unit o LEFT JOIN org_unit c ON c.id = o.parent_id "
        "WHERE o.id IN (SELECT id FROM g) ORDER BY o.code",
        {"area": area_id.hex},
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3] or "") for r in rows}


def _household_counts(
    con: sqlite3.Connection,
    base: dict[str, Any],
    tallies: dict[str, Tally],
    as_of: dt.date,
    utc_offset: dt.timedelta,
    settings: StreetSettings,
) -> None:
    asof = _utc(as_of + dt.timedelta(days=1), utc_offset)
    intervals = [
        r[0]
        for r in con.execute(
            f"WITH {_GRIDS} SELECT DISTINCT visit_interval_days FROM household WHERE grid_id IN (SELECT id FROM g)",
            base,
        )
    ]
    for gid, residents in con.execute(_RESIDENTS_SQL, base):
        if gid in tallies:
            tallies[gid].residents = residents
    if not intervals:
        return
    window = asof - dt.timedelta(days=max(*intervals, settings.care_interval_days))
    params: dict[str, Any] = {
        **base,
        "asof": stamp(asof),
        "window": stamp(window),
        "care": settings.care_tag,
        "care_since": stamp(asof - dt.timedelta(days=settings.care_interval_days)),
    }
    for i, days in enumerate(intervals):
        params[f"d{i}"], params[f"s{i}"] = days, stamp(asof - dt.timedelta(days=days))
    values = ", ".join(f"(:d{i}, :s{i})" for i in range(len(intervals)))
    sql = _HOUSEHOLDS_SQL.format(grids=_GRIDS, intervals=values)
    for gid, households, overdue, care, care_overdue in con.execute(sql, params):
        t = tallies.get(gid)
        if t is not None:
            t.households, t.overdue, t.care_households, t.care_overdue = households, overdue, care, care_overdue


def _visit_counts(
    con: sqlite3.Connection,
    base: dict[str, Any],
    tallies: dict[str, Tally],
    workers: dict[str, Tally],
    in_grids: dict[tuple[str, str], list[int]],
) -> dict[str, int]:
    """The grids' and workers' visits; ``in_grids[(worker, grid)]``: [households visited, residents
    seen] of a worker in a grid. Returns the visits of each local day (ISO): the query counts them by
    the UTC hour (the minute for a zone off the hour), which a local day is made of, so SQLite need not
    convert each visit's time."""
    daily: dict[str, int] = defaultdict(int)
    offset = dt.timedelta(minutes=int(base["shift"].split()[0]))
    params = {**base, "bucket": 13 if offset % dt.timedelta(hours=1) == dt.timedelta() else 16}
    for kind, key, key2, count, households, pending, approved in con.execute(_VISITS_SQL, params):
        if kind == "b":
            at = dt.datetime.fromisoformat(key if len(key) > 13 else f"{key}:00")
            daily[(at + offset).date().isoformat()] += count
        elif kind == "wg":
            in_grids[(key, key2)][0] = households
        elif kind == "wgs":
            in_grids[(key, key2)][1] = count
        elif kind == "gs":
            target = tallies.get(key)
            if target is not None:
                target.residents_seen = count
        else:
            t = tallies.get(key) if kind == "g" else workers[key]
            if t is not None:
                t.visits, t.pending, t.approved = count, pending, approved
                if kind == "g":
                    t.households_visited = households
    return dict(daily)


def _review_counts(
    con: sqlite3.Connection, base: dict[str, Any], tallies: dict[str, Tally], workers: dict[str, Tally]
) -> None:
    for kind, key, returned, questioned, drawn, done, denied in con.execute(_REVIEWS_SQL, base):
        t = tallies.get(key) if kind in ("g", "bg") else workers[key]
        if t is None:
            continue
        if kind in ("g", "w"):
            t.returned, t.questioned = returned, questioned
        else:
            t.checks_drawn, t.checks_done, t.checks_denied = drawn, done, denied


def _community_rows(grids: list[GridFigures]) -> list[GridFigures]:
    by_id: dict[uuid.UUID | None, GridFigures] = {}
    for g in grids:
        row = by_id.get(g.community_id)
        if row is None:
            row = by_id[g.community_id] = GridFigures(
                g.community_id or uuid.UUID(int=0), g.community, None, "", Tally()
            )
        row.tally.add(g.tally)
    return list(by_id.values())


def _workers(
    con: sqlite3.Connection,
    grids: dict[str, tuple[str, str | None, str]],
    tallies: dict[str, Tally],
    workers: dict[str, Tally],
    in_grids: dict[tuple[str, str], list[int]],
    now: dt.datetime,
    settings: StreetSettings,
) -> list[WorkerFigures]:
    """The workers of the area's grids (their cards) and those who visited in it this month. A
    worker's 户户到 and 人人见 are against their grids (the cards' grids, else the grids they visited):
    the households and residents of those grids they visited and saw."""
    worker_grids: dict[str, set[str]] = defaultdict(set)
    for user, gid in in_grids:
        worker_grids[user].add(gid)
    names: dict[str, str] = {}
    for user, name, raw in con.execute("SELECT user_id, name, grids FROM worker_card"):
        held = {_hex(g) for g in _json_list(raw)} & grids.keys()
        if held:
            names[user] = name
            worker_grids[user] = held
            workers.setdefault(user, Tally())
    for user in workers:
        if user not in names:
            row = con.execute("SELECT name FROM worker_card WHERE user_id = ?", (user,)).fetchone()
            names[user] = row[0] if row else ""
    uploads = _last_uploads(con, list(workers))
    silent_before = now - dt.timedelta(days=settings.silent_days)
    out = []
    for user, tally in workers.items():
        mine = sorted(worker_grids.get(user, set()), key=list(grids).index)
        tally.households_visited = sum(in_grids.get((user, gid), (0, 0))[0] for gid in mine)
        tally.residents_seen = sum(in_grids.get((user, gid), (0, 0))[1] for gid in mine)
        for gid in mine:
            g = tallies[gid]
            tally.households += g.households
            tally.residents += g.residents
            tally.overdue += g.overdue
            tally.care_households += g.care_households
            tally.care_overdue += g.care_overdue
        last = uploads.get(user)
        out.append(
            WorkerFigures(
                uuid.UUID(hex=user),
                names[user],
                tuple(grids[g][0] for g in mine),
                tally,
                last,
                last is None or last < silent_before,
            )
        )
    out.sort(key=lambda w: (w.grids[:1], w.name, w.id.hex))
    return out


def _last_uploads(con: sqlite3.Connection, workers: list[str]) -> dict[str, dt.datetime]:
    """Each worker's latest received visit: one probe of the ``worker_id, received_at`` index each."""
    rows = con.execute(
        "SELECT w.value, (SELECT max(v.received_at) FROM review_visit v WHERE v.worker_id = w.value) "
        "FROM json_each(?) w",
        (json.dumps(workers),),
    )
    return {user: last for user, raw in rows if (last := _parse(raw)) is not None}


def _json_list(raw: Any) -> list[Any]:
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _hex(value: Any) -> str:
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        return ""


# --- the trend ------------------------------------------------------------------------------------


def trend(
    con: sqlite3.Connection, area_id: uuid.UUID, month: dt.date, *, utc_offset: dt.timedelta, months: int = TREND_MONTHS
) -> Trend:
    """户户到, 人人见 and visits of the ``months`` months ending with ``month``, per grid and for the
    area, against today's households and residents."""
    last = month_start(month)
    first = add_months(last, 1 - months)
    keys = [add_months(first, i) for i in range(months)]
    params = {
        "area": area_id.hex,
        "start": stamp(_utc(first, utc_offset)),
        "end": stamp(_utc(add_months(last, 1), utc_offset)),
        "shift": _shift(utc_offset),
    }
    grids = _grids(con, area_id)
    sizes: dict[str, tuple[int, int]] = {
        r[0]: (r[1], r[2])
        for r in con.execute(
            f"WITH {_GRIDS} SELECT h.grid_id, count(*), (SELECT count(*) FROM person p JOIN household hh "
            "ON hh.id = p.household_id WHERE hh.grid_id = h.grid_id AND p.active) FROM household h "
            "WHERE h.grid_id IN (SELECT id FROM g) GROUP BY h.grid_id",
            params,
        )
    }
    cells: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for i in range(1, months):
        params[f"m{i}"] = stamp(_utc(keys[i], utc_offset))
    month_index = " + ".join(f"(v.visited_at >= :m{i})" for i in range(1, months)) or "0"
    sql = _TREND_SQL.format(grids=_GRIDS, month=month_index, effective=_EFFECTIVE)
    for gid, m, visits, households, seen in con.execute(sql, params):
        cell = cells[(gid, m)]
        cell[0] += visits
        cell[1] += households
        cell[2] += seen
    per_grid: dict[uuid.UUID, list[TrendPoint]] = {}
    area = [TrendPoint(m, 0, 0, 0, 0, 0) for m in keys]
    for gid in grids:
        households, residents = sizes.get(gid, (0, 0))
        points = []
        for i, m in enumerate(keys):
            visits, visited, seen = cells.get((gid, i), (0, 0, 0))
            points.append(TrendPoint(m, households, visited, residents, seen, visits))
            a = area[i]
            area[i] = TrendPoint(
                m,
                a.households + households,
                a.households_visited + visited,
                a.residents + residents,
                a.residents_seen + seen,
                a.visits + visits,
            )
        per_grid[uuid.UUID(hex=gid)] = points
    names = {uuid.UUID(hex=gid): name for gid, (name, _, _) in grids.items()}
    return Trend(keys, area, per_grid, names)


def month_days(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]
