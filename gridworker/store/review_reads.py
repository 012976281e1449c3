"""What the reviewer's screens read (a station's or supervisor's laptop), on the standard library's
sqlite3 like gridworker.store.reads: the review queue a page at a time, one visit in full beside it,
the filters' choices, and the back-checks with each worker's verification-failure rate.

The queue is keyset-paged on (visited_at, no), newest first: the filter's condition
(gridworker.store.review_filter.ReviewFilter, shared with the export and the counts) picks the rows,
one of the (…, visited_at) indexes orders them, and a page stops after ``limit`` rows however deep
the reviewer scrolls. Names (grid, community, worker, address) are looked up by primary key for the
rows of the page only.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from gridworker.store.review_filter import ReviewFilter, uuid_param
from gridworker_shared.domain.review import StreetSettings

QUEUE_PAGE = 100

#: a keyset position in the queue: (visited_at as stored, visit number)
QueueAfter = tuple[str, int]


@dataclass(frozen=True)
class QueueRow:
    no: int
    visited_at: dt.datetime  # UTC
    household_id: uuid.UUID
    grid_id: uuid.UUID
    worker_id: uuid.UUID
    community: str
    grid: str
    worker: str
    compound: str
    building: str
    unit: str
    room: str
    outcome: str
    state: str
    pending_action: str
    flags: tuple[str, ...]
    amends_no: int | None
    key: QueueAfter  # where the next page starts


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    more: bool

    @property
    def after(self) -> QueueAfter | None:
        return self.rows[-1].key if self.rows else None


@dataclass(frozen=True)
class Choice:
    """One entry of a filter's list: an org unit or a worker."""

    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Member:
    name: str
    relation: str
    phone: str
    seen: bool


@dataclass(frozen=True)
class LinkedRequest:
    category: str
    description: str
    urgency: str
    status: str


@dataclass(frozen=True)
class Activity:
    at: dt.datetime  # UTC
    actor: str
    action: str
    reason: str
    comment: str
    pins: tuple[str, ...]
    state: str
    effective: bool


@dataclass(frozen=True)
class VisitFacts:
    """What a visit says, for the detail pane and an amendment's diff."""

    no: int
    visited_at: dt.datetime
    outcome: str
    seen: tuple[str, ...]  # names of the members seen
    notes: str
    articles: tuple[str, ...]  # titles (or the article's id when not in the guide here)
    requests: tuple[LinkedRequest, ...]
    form_seconds: int | None


@dataclass(frozen=True)
class VisitDetail:
    row: QueueRow
    head: str
    phone: str
    members: tuple[Member, ...]
    facts: VisitFacts
    amends: VisitFacts | None
    activity: tuple[Activity, ...]


@dataclass(frozen=True)
class BackcheckRow:
    id: uuid.UUID
    visit_no: int
    week: dt.date
    reason: str
    result: str
    pending_result: str
    note: str
    household: str
    head: str
    phone: str
    worker_id: uuid.UUID
    worker: str
    visited_at: dt.datetime | None
    grid: str
    household_id: uuid.UUID | None = None

    @property
    def shown_result(self) -> str:
        return self.pending_result or self.result


@dataclass(frozen=True)
class FailureRate:
    worker_id: uuid.UUID
    worker: str
    recent_denied: int
    recent_checked: int  # confirmed + denied over the last 4 weeks
    denied: int
    checked: int

    @staticmethod
    def rate(denied: int, checked: int) -> float | None:
        return denied / checked if checked else None


def local_offset() -> dt.timedelta:
    """This laptop's offset from UTC now (a filter's calendar days are the reviewer's local days)."""
    return dt.datetime.now().astimezone().utcoffset() or dt.timedelta()


def _stamp(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _uid(value: str) -> uuid.UUID:
    return uuid.UUID(hex=value)


QUEUE_COLUMNS = (
    "v.no, v.visited_at, v.household_id, v.grid_id, v.worker_id, v.outcome, v.state, v.pending_action, "
    "v.flags, v.amends_no"
)

#: the queue's rows: the raw indexed query a benchmark compares with (no names)
RAW_QUEUE_SQL = (
    "SELECT " + QUEUE_COLUMNS + " FROM review_visit AS v WHERE {where} ORDER BY v.visited_at DESC, v.no DESC "
    "LIMIT :limit"
)


#: a flag carried by more than one visit in this many is probed visit by visit (ReviewFilter.where)
PROBE_SHARE = 50


def flag_probe(con: sqlite3.Connection, flag: str) -> bool:
    """Whether a page of ``flag``'s visits is read faster by probing each visit in time order (a flag
    many visits carry) than from the list of the flag's visits (a rare one)."""
    if not flag:
        return False
    flagged = con.execute("SELECT count(*) FROM review_flag WHERE code = ?", (flag,)).fetchone()[0]
    visits = con.execute("SELECT max(no) FROM review_visit").fetchone()[0] or 0
    return int(flagged) * PROBE_SHARE > int(visits)


def queue_sql(
    flt: ReviewFilter, offset: dt.timedelta, after: QueueAfter | None, limit: int, probe_flag: bool = False
) -> tuple[str, dict[str, Any]]:
    """One page of the queue, newest first (one row more than ``limit`` says another page follows)."""
    where, params = flt.where(offset, probe_flag)
    if after is not None:
        where += " AND (v.visited_at < :after_at OR (v.visited_at = :after_at AND v.no < :after_no))"
        params["after_at"], params["after_no"] = after
    params["limit"] = limit + 1
    return RAW_QUEUE_SQL.format(where=where), params


def queue_page(
    con: sqlite3.Connection,
    flt: ReviewFilter,
    offset: dt.timedelta,
    after: QueueAfter | None = None,
    limit: int = QUEUE_PAGE,
) -> QueuePage:
    rows = con.execute(*queue_sql(flt, offset, after, limit, flag_probe(con, flt.flag))).fetchall()
    shown = rows[:limit]
    names = _names(con, shown)
    return QueuePage([_queue_row(r, names) for r in shown], len(rows) > limit)


def _names(con: sqlite3.Connection, rows: list[sqlite3.Row]) -> dict[str, Any]:
    """Grids (with their community), workers and addresses of a page's rows, each looked up once."""

    def lookup(sql: str, ids: set[str]) -> dict[str, sqlite3.Row]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: r for r in con.execute(sql.format(marks=marks), tuple(ids))}

    grids = lookup(
        "SELECT g.id, g.name, c.name FROM org_unit g LEFT JOIN org_unit c ON c.id = g.parent_id "
        "WHERE g.id IN ({marks})",
        {r[3] for r in rows},
    )
    workers = lookup("SELECT user_id, name FROM worker_card WHERE user_id IN ({marks})", {r[4] for r in rows})
    homes = lookup(
        "SELECT id, compound, building, unit, room FROM household WHERE id IN ({marks})", {r[2] for r in rows}
    )
    return {"grids": grids, "workers": workers, "homes": homes}


def _queue_row(r: sqlite3.Row, names: dict[str, Any]) -> QueueRow:
    grid = names["grids"].get(r[3])
    worker = names["workers"].get(r[4])
    home = names["homes"].get(r[2])
    return QueueRow(
        no=int(r[0]),
        visited_at=_stamp(r[1]),
        household_id=_uid(r[2]),
        grid_id=_uid(r[3]),
        worker_id=_uid(r[4]),
        community=(grid[2] or "") if grid else "",
        grid=grid[1] if grid else "",
        worker=worker[1] if worker else "",
        compound=home[1] if home else "",
        building=home[2] if home else "",
        unit=home[3] if home else "",
        room=home[4] if home else "",
        outcome=r[5],
        state=r[6],
        pending_action=r[7] or "",
        flags=tuple(json.loads(r[8] or "[]")),
        amends_no=r[9],
        key=(r[1], int(r[0])),
    )


def queue_count(con: sqlite3.Connection, flt: ReviewFilter, offset: dt.timedelta) -> int:
    where, params = flt.where(offset)
    return int(con.execute(f"SELECT count(*) FROM review_visit AS v WHERE {where}", params).fetchone()[0])


def queue_rows(con: sqlite3.Connection, nos: list[int]) -> list[QueueRow]:
    """These visits as the queue shows them now (a review queued: their rows shown waiting)."""
    if not nos:
        return []
    marks = ",".join("?" * len(nos))
    rows = con.execute(f"SELECT {QUEUE_COLUMNS} FROM review_visit AS v WHERE v.no IN ({marks})", nos).fetchall()
    names = _names(con, rows)
    return [_queue_row(r, names) for r in rows]


# -- the filters' choices ----------------------------------------------------------------------------


def communities(con: sqlite3.Connection) -> list[Choice]:
    rows = con.execute("SELECT id, name FROM org_unit WHERE kind = 'community' ORDER BY code, name").fetchall()
    return [Choice(_uid(r[0]), r[1]) for r in rows]


def grids(con: sqlite3.Connection) -> list[Choice]:
    rows = con.execute("SELECT id, name, parent_id FROM org_unit WHERE kind = 'grid' ORDER BY code, name").fetchall()
    return [Choice(_uid(r[0]), r[1], _uid(r[2]) if r[2] else None) for r in rows]


def workers(con: sqlite3.Connection) -> list[Choice]:
    """The workers whose cards this laptop holds (the area's workers holding a grid), by name; a
    station's or supervisor's own card holds no grid and is not a worker to filter by."""
    rows = con.execute("SELECT user_id, name, grids FROM worker_card WHERE name != '' ORDER BY name").fetchall()
    out = []
    for r in rows:
        held = json.loads(r[2] or "[]")
        if held:
            out.append(Choice(_uid(r[0]), r[1], uuid.UUID(held[0])))
    return out


def street_settings(con: sqlite3.Connection) -> StreetSettings:
    row = con.execute("SELECT settings FROM org_unit WHERE kind = 'street' ORDER BY code LIMIT 1").fetchone()
    return StreetSettings.from_dict(json.loads(row[0]) if row and row[0] else None)


# -- one visit in full -----------------------------------------------------------------------------------


def visit_detail(con: sqlite3.Connection, no: int) -> VisitDetail | None:
    rows = queue_rows(con, [no])
    if not rows:
        return None
    row = rows[0]
    hid = row.household_id.hex
    home = con.execute("SELECT head_name, phone FROM household WHERE id = ?", (hid,)).fetchone()
    persons = con.execute(
        "SELECT position, name, relation, phone, active FROM person WHERE household_id = ? ORDER BY position", (hid,)
    ).fetchall()
    facts = _facts(con, no, persons)
    assert facts is not None
    seen_positions = set(_visit_raw(con, no)["seen"])
    members = tuple(Member(p[1], p[2], p[3], p[0] in seen_positions) for p in persons if p[4] or p[0] in seen_positions)
    amends = _facts(con, row.amends_no, persons) if row.amends_no is not None else None
    return VisitDetail(
        row,
        home[0] if home else "",
        home[1] if home else "",
        members,
        facts,
        amends,
        # a correction's activity begins with what happened to the visit it corrects (the return)
        tuple(sorted(_activity(con, row.amends_no) + _activity(con, no), key=lambda a: a.at))
        if row.amends_no is not None
        else tuple(_activity(con, no)),
    )


def _visit_raw(con: sqlite3.Connection, no: int) -> dict[str, Any]:
    r = con.execute(
        "SELECT id, visited_at, outcome, notes, seen, articles, form_seconds FROM review_visit WHERE no = ?", (no,)
    ).fetchone()
    if r is None:
        return {}
    return {
        "id": r[0],
        "visited_at": _stamp(r[1]),
        "outcome": r[2],
        "notes": r[3],
        "seen": json.loads(r[4] or "[]"),
        "articles": json.loads(r[5] or "[]"),
        "form_seconds": r[6],
    }


def _facts(con: sqlite3.Connection, no: int, persons: list[sqlite3.Row]) -> VisitFacts | None:
    raw = _visit_raw(con, no)
    if not raw:
        return None
    by_position = {p[0]: p[1] for p in persons}
    titles: list[str] = []
    for item in raw["articles"]:
        article_id = str(item[0]) if isinstance(item, list) and item else str(item)
        found = con.execute("SELECT title FROM article WHERE id = ?", (article_id.replace("-", ""),)).fetchone()
        titles.append(found[0] if found else article_id)
    requests: tuple[LinkedRequest, ...] = ()
    if raw["id"]:
        requests = tuple(
            LinkedRequest(*r)
            for r in con.execute(
                "SELECT category, description, urgency, status FROM resident_request WHERE visit_id = ? "
                "ORDER BY created_at",
                (raw["id"],),
            )
        )
    return VisitFacts(
        no,
        raw["visited_at"],
        raw["outcome"],
        tuple(by_position.get(p, f"#{p}") for p in raw["seen"]),
        raw["notes"],
        tuple(titles),
        requests,
        raw["form_seconds"],
    )


def _activity(con: sqlite3.Connection, no: int) -> list[Activity]:
    rows = con.execute(
        "SELECT e.at, e.actor_id, w.name, e.action, e.reason, e.comment, e.pins, e.state, e.effective "
        "FROM review_event e LEFT JOIN worker_card w ON w.user_id = e.actor_id WHERE e.visit_no = ? "
        "ORDER BY e.at, e.rowid",
        (no,),
    ).fetchall()
    return [
        Activity(
            _stamp(r[0]),
            r[2] or "",
            r[3],
            r[4] or "",
            r[5] or "",
            tuple(json.loads(r[6] or "[]")),
            r[7],
            bool(r[8]),
        )
        for r in rows
    ]


# -- back-checks -------------------------------------------------------------------------------------------


def backchecks(con: sqlite3.Connection, weeks: int = 8, grid_id: uuid.UUID | None = None) -> list[BackcheckRow]:
    """The call-backs drawn in the last ``weeks`` weeks (this week's first), open ones first within a week."""
    params: dict[str, Any] = {"weeks": weeks}
    grid = ""
    if grid_id is not None:
        grid = " AND b.grid_id = :grid"
        params["grid"] = uuid_param(grid_id)
    rows = con.execute(
        "SELECT b.id, b.visit_no, b.week, b.reason, b.result, b.pending_result, b.note, b.worker_id, "
        "h.compound, h.building, h.unit, h.room, h.head_name, h.phone, w.name, v.visited_at, g.name, "
        "b.household_id FROM backcheck b LEFT JOIN household h ON h.id = b.household_id "
        "LEFT JOIN worker_card w ON w.user_id = b.worker_id LEFT JOIN review_visit v ON v.no = b.visit_no "
        "LEFT JOIN org_unit g ON g.id = b.grid_id "
        "WHERE b.week IN (SELECT DISTINCT week FROM backcheck ORDER BY week DESC LIMIT :weeks)" + grid + " "
        "ORDER BY b.week DESC, (b.result IN ('confirmed', 'denied') OR b.pending_result != '') , w.name, b.visit_no",
        params,
    ).fetchall()
    out = []
    for r in rows:
        address = " ".join(p for p in (r[8] or "", "-".join(x for x in (r[9], r[10], r[11]) if x)) if p)
        out.append(
            BackcheckRow(
                _uid(r[0]),
                int(r[1]),
                dt.date.fromisoformat(r[2]),
                r[3],
                r[4] or "",
                r[5] or "",
                r[6] or "",
                address,
                r[12] or "",
                r[13] or "",
                _uid(r[7]),
                r[14] or "",
                _stamp(r[15]) if r[15] else None,
                r[16] or "",
                _uid(r[17]) if r[17] else None,
            )
        )
    return out


def failure_rates(con: sqlite3.Connection, today: dt.date) -> list[FailureRate]:
    """Per worker: calls that reached the household and were denied, over the last 4 weeks and overall
    (a result this laptop recorded and has not sent yet counts already)."""
    since = (today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=3)).isoformat()
    rows = con.execute(
        "SELECT b.worker_id, w.name, "
        "sum(r = 'denied' AND b.week >= :since), sum(r IN ('confirmed', 'denied') AND b.week >= :since), "
        "sum(r = 'denied'), sum(r IN ('confirmed', 'denied')) "
        "FROM (SELECT *, CASE WHEN pending_result != '' THEN pending_result ELSE result END AS r FROM backcheck) b "
        "LEFT JOIN worker_card w ON w.user_id = b.worker_id GROUP BY b.worker_id ORDER BY w.name",
        {"since": since},
    ).fetchall()
    return [
        FailureRate(_uid(r[0]), r[1] or "", int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0))
        for r in rows
    ]
