"""What the station's or supervisor's requests board reads (their area's resident requests, as the
grid scopes' household aggregates bring them with their flow columns and events), on the standard
library's sqlite3 like gridworker.store.reads: the board a page at a time by its filters, a request's
full history with who took each step, the supervisor's 督办 list, and the choices the board's actions
need (departments, the earlier requests one may be merged into).

The board is keyset-paged. Newest first: (created_at, id) descending. By deadline: the requests with a
deadline (dispatched at least once) soonest first on (deadline_at, id), then those without one, newest
first; the page's key says which part it is in. The filter's condition picks the rows, one of the
indexes of app migration 0011 orders them, and names (grid, community, department, address) are
looked up by primary key for the page's rows only.

Overdue (request_flow.overdue): dispatched or signed, past deadline_at. Bounced twice: bounces at
least request_flow.BOUNCES_FLAGGED. Times are UTC as stored; a date range is the reviewer's local
calendar days of the request's registration.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from gridworker_shared.domain.request_flow import BOUNCES_FLAGGED, LEGACY_STATUSES, RUNNING, STATUSES

BOARD_PAGE = 100
SUPERVISOR_LIMIT = 500
Order = Literal["newest", "deadline"]
#: a keyset position on the board: (part: 0 with a deadline / 1 without, sort value as stored, id hex)
BoardAfter = tuple[int, str, str]


def stored_statuses(statuses: frozenset[str] | set[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The stored values that read as these flow statuses (an older row's legacy status included)."""
    legacy = tuple(old for old, new in LEGACY_STATUSES.items() if new in statuses and old not in STATUSES)
    return tuple(sorted(statuses)) + legacy


def _in_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"  # our own constants, never user text


RUNNING_SQL = _in_list(stored_statuses(RUNNING))
OPEN_SQL = _in_list(stored_statuses({"submitted", "accepted", "dispatched", "signed"}))
#: the board's overdue condition on ``resident_request AS r``
OVERDUE_SQL = f"(r.status IN {RUNNING_SQL} AND r.deadline_at < :now)"


def stamp(value: dt.datetime) -> str:
    """A UTC datetime as SQLAlchemy's DateTime stores it in SQLite."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _uid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(hex=value) if value else None


@dataclass(frozen=True)
class RequestFilter:
    """Empty fields filter nothing. ``status`` a flow status (request_flow.STATUSES) or "open";
    ``date_from``/``date_to`` the local calendar days the request was registered (inclusive)."""

    status: str = ""
    category: str = ""
    department_id: uuid.UUID | None = None
    overdue: bool = False
    bounced: bool = False  # bounced BOUNCES_FLAGGED times or more
    community_id: uuid.UUID | None = None
    grid_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    order: Order = "newest"

    def where(self, now: dt.datetime, utc_offset: dt.timedelta) -> tuple[str, dict[str, Any]]:
        """The SQL condition on ``resident_request AS r`` and its parameters (stdlib named style)."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.status == "open":
            parts.append(f"r.status IN {OPEN_SQL}")
        elif self.status in STATUSES:
            parts.append(f"r.status IN {_in_list(stored_statuses({self.status}))}")
        elif self.status:
            parts.append("r.status = :status")
            params["status"] = self.status
        if self.category:
            parts.append("r.category = :category")
            params["category"] = self.category
        if self.department_id is not None:
            parts.append("r.department_id = :department")
            params["department"] = self.department_id.hex
        if self.overdue:
            parts.append(OVERDUE_SQL)
            params["now"] = stamp(now)
        if self.bounced:
            parts.append("r.bounces >= :bounced")
            params["bounced"] = BOUNCES_FLAGGED
        if self.grid_id is not None:
            parts.append("r.household_id IN (SELECT id FROM household WHERE grid_id = :grid)")
            params["grid"] = self.grid_id.hex
        elif self.community_id is not None:
            parts.append(
                "r.household_id IN (SELECT h.id FROM household h JOIN org_unit g ON g.id = h.grid_id "
                "WHERE g.parent_id = :community)"
            )
            params["community"] = self.community_id.hex
        if self.date_from is not None:
            parts.append("r.created_at >= :start")
            params["start"] = stamp(dt.datetime.combine(self.date_from, dt.time()) - utc_offset)
        if self.date_to is not None:
            parts.append("r.created_at < :end")
            params["end"] = stamp(dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time()) - utc_offset)
        return (" AND ".join(parts) or "1"), params


@dataclass(frozen=True)
class BoardRow:
    id: uuid.UUID
    household_id: uuid.UUID
    created_at: dt.datetime  # UTC
    category: str
    description: str
    urgency: str
    status: str
    status_note: str
    department_id: uuid.UUID | None
    department: str
    dispatched_at: dt.datetime | None
    deadline_at: dt.datetime | None
    closed_at: dt.datetime | None
    on_spot: bool
    bounces: int
    reopens: int
    failed_callbacks: int
    resolved: bool | None
    satisfaction: str
    merged_into: uuid.UUID | None
    pending_step: str
    grid_id: uuid.UUID | None
    grid: str
    community: str
    compound: str
    building: str
    unit: str
    room: str
    head: str
    phone: str
    overdue: bool
    key: BoardAfter

    @property
    def flagged(self) -> bool:
        """Bounced often enough to be flagged to the supervisor."""
        return self.bounces >= BOUNCES_FLAGGED


@dataclass(frozen=True)
class BoardPage:
    rows: list[BoardRow]
    more: bool

    @property
    def after(self) -> BoardAfter | None:
        return self.rows[-1].key if self.rows else None


@dataclass(frozen=True)
class HistoryEvent:
    at: dt.datetime  # UTC
    step: str  # request_flow.STEPS or "create"
    actor_id: uuid.UUID | None
    actor: str  # the name this laptop knows, "" when it knows none
    status: str  # the request's status after it
    note: str
    data: dict[str, Any]


@dataclass(frozen=True)
class RequestDetail:
    row: BoardRow
    events: tuple[HistoryEvent, ...]
    departments: dict[uuid.UUID, str]  # names for the departments the events name
    merged_into: BoardRow | None


@dataclass(frozen=True)
class Department:
    id: uuid.UUID
    name: str
    code: str


# -- the board ---------------------------------------------------------------------------------------------

BOARD_COLUMNS = (
    "r.id, r.household_id, r.created_at, r.category, r.description, r.urgency, r.status, r.status_note, "
    "r.department_id, r.dispatched_at, r.deadline_at, r.closed_at, r.on_spot, r.bounces, r.reopens, "
    "r.failed_callbacks, r.resolved, r.satisfaction, r.merged_into, r.pending_step"
)
#: the board's rows: the raw indexed queries a benchmark compares with (no names)
RAW_NEWEST_SQL = (
    "SELECT " + BOARD_COLUMNS + " FROM resident_request AS r WHERE {where} "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT :limit"
)
RAW_DEADLINE_SQL = (
    "SELECT " + BOARD_COLUMNS + " FROM resident_request AS r WHERE {where} AND r.deadline_at IS NOT NULL "
    "ORDER BY r.deadline_at, r.id LIMIT :limit"
)
_UNDATED_SQL = (
    "SELECT " + BOARD_COLUMNS + " FROM resident_request AS r WHERE {where} AND r.deadline_at IS NULL "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT :limit"
)


def board_sql(
    flt: RequestFilter, now: dt.datetime, offset: dt.timedelta, after: BoardAfter | None, limit: int, part: int = 0
) -> tuple[str, dict[str, Any]]:
    """One part's query for a page (``limit`` + 1 rows: one more says another page follows)."""
    where, params = flt.where(now, offset)
    params["limit"] = limit + 1
    if flt.order == "newest" or part == 1:
        if after is not None and after[0] == part:
            where += " AND (r.created_at < :after_v OR (r.created_at = :after_v AND r.id < :after_id))"
            params["after_v"], params["after_id"] = after[1], after[2]
        return (RAW_NEWEST_SQL if flt.order == "newest" else _UNDATED_SQL).format(where=where), params
    if after is not None and after[0] == 0:
        where += " AND (r.deadline_at > :after_v OR (r.deadline_at = :after_v AND r.id > :after_id))"
        params["after_v"], params["after_id"] = after[1], after[2]
    return RAW_DEADLINE_SQL.format(where=where), params


def board_page(
    con: sqlite3.Connection,
    flt: RequestFilter,
    now: dt.datetime,
    offset: dt.timedelta,
    after: BoardAfter | None = None,
    limit: int = BOARD_PAGE,
) -> BoardPage:
    """One page of the board: newest first, or by deadline (then the undated ones, newest first)."""
    if flt.order == "newest":
        rows = [(0, r) for r in con.execute(*board_sql(flt, now, offset, after, limit)).fetchall()]
    else:
        rows = []
        if after is None or after[0] == 0:
            rows = [(0, r) for r in con.execute(*board_sql(flt, now, offset, after, limit, 0)).fetchall()]
        if len(rows) <= limit:
            rest = limit - len(rows)
            tail = con.execute(*board_sql(flt, now, offset, after, rest, 1)).fetchall()
            rows += [(1, r) for r in tail]
    shown = rows[:limit]
    names = _names(con, [r for _, r in shown])
    return BoardPage([_board_row(r, part, names, now, flt.order) for part, r in shown], len(rows) > limit)


def board_count(con: sqlite3.Connection, flt: RequestFilter, now: dt.datetime, offset: dt.timedelta) -> int:
    where, params = flt.where(now, offset)
    return int(con.execute(f"SELECT count(*) FROM resident_request AS r WHERE {where}", params).fetchone()[0])


def board_rows(con: sqlite3.Connection, ids: list[uuid.UUID], now: dt.datetime) -> list[BoardRow]:
    """These requests as the board shows them now (a step queued: their rows shown waiting)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = con.execute(
        f"SELECT {BOARD_COLUMNS} FROM resident_request AS r WHERE r.id IN ({marks})", [i.hex for i in ids]
    ).fetchall()
    names = _names(con, rows)
    return [_board_row(r, 0, names, now, "newest") for r in rows]


def _names(con: sqlite3.Connection, rows: list[sqlite3.Row] | list[tuple[Any, ...]]) -> dict[str, Any]:
    """The households (with grid and community) and departments of a page's rows, each looked up once."""

    def lookup(sql: str, found: set[str | None]) -> dict[str, Any]:
        ids = {i for i in found if i}
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: r for r in con.execute(sql.format(marks=marks), tuple(ids))}

    homes = lookup(
        "SELECT h.id, h.grid_id, g.name, c.name, h.compound, h.building, h.unit, h.room, h.head_name, h.phone "
        "FROM household h LEFT JOIN org_unit g ON g.id = h.grid_id LEFT JOIN org_unit c ON c.id = g.parent_id "
        "WHERE h.id IN ({marks})",
        {r[1] for r in rows},
    )
    departments = lookup("SELECT id, name FROM org_unit WHERE id IN ({marks})", {r[8] for r in rows})
    return {"homes": homes, "departments": departments}


def _board_row(r: Any, part: int, names: dict[str, Any], now: dt.datetime, order: Order) -> BoardRow:
    home = names["homes"].get(r[1])
    department = names["departments"].get(r[8])
    deadline = _time(r[10])
    status = r[6]
    if order == "deadline" and part == 0:
        key: BoardAfter = (0, r[10], r[0])
    else:
        key = (part, r[2], r[0])
    return BoardRow(
        id=uuid.UUID(hex=r[0]),
        household_id=uuid.UUID(hex=r[1]),
        created_at=dt.datetime.fromisoformat(r[2]),
        category=r[3],
        description=r[4] or "",
        urgency=r[5] or "",
        status=status,
        status_note=r[7] or "",
        department_id=_uid(r[8]),
        department=department[1] if department else "",
        dispatched_at=_time(r[9]),
        deadline_at=deadline,
        closed_at=_time(r[11]),
        on_spot=bool(r[12]),
        bounces=int(r[13] or 0),
        reopens=int(r[14] or 0),
        failed_callbacks=int(r[15] or 0),
        resolved=None if r[16] is None else bool(r[16]),
        satisfaction=r[17] or "",
        merged_into=_uid(r[18]),
        pending_step=r[19] or "",
        grid_id=_uid(home[1]) if home else None,
        grid=(home[2] or "") if home else "",
        community=(home[3] or "") if home else "",
        compound=(home[4] or "") if home else "",
        building=(home[5] or "") if home else "",
        unit=(home[6] or "") if home else "",
        room=(home[7] or "") if home else "",
        head=(home[8] or "") if home else "",
        phone=(home[9] or "") if home else "",
        overdue=status in stored_statuses(RUNNING) and deadline is not None and now > deadline,
        key=key,
    )


# -- one request in full -----------------------------------------------------------------------------------


def request_detail(con: sqlite3.Connection, request_id: uuid.UUID, now: dt.datetime) -> RequestDetail | None:
    """The request as the board shows it, every event of its history in order with who took it, the
    names of the departments its events name, and the request it was merged into."""
    rows = board_rows(con, [request_id], now)
    if not rows:
        return None
    events = history(con, request_id)
    named = {rows[0].department_id} | {_uid(str(e.data.get("department_id") or "")) for e in events}
    departments = {d.id: d.name for d in departments_of(con) if d.id in named}
    merged = board_rows(con, [rows[0].merged_into], now) if rows[0].merged_into else []
    return RequestDetail(rows[0], tuple(events), departments, merged[0] if merged else None)


def history(con: sqlite3.Connection, request_id: uuid.UUID) -> list[HistoryEvent]:
    """A request's events in the order they happened, each with the name of who took the step (a
    worker's card, or a department's or station's name the event carries)."""
    rows = con.execute(
        "SELECT e.at, e.step, e.actor_id, w.name, e.status, e.note, e.data FROM request_event e "
        "LEFT JOIN worker_card w ON w.user_id = e.actor_id WHERE e.request_id = ? ORDER BY e.at, e.rowid",
        (request_id.hex,),
    ).fetchall()
    out = []
    for r in rows:
        data = _json(r[6])
        actor = r[3] or str(data.get("actor_name") or "")
        out.append(HistoryEvent(dt.datetime.fromisoformat(r[0]), r[1], _uid(r[2]), actor, r[4], r[5] or "", data))
    return out


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# -- the supervisor's 督办 list -----------------------------------------------------------------------------


def supervision(con: sqlite3.Connection, now: dt.datetime, limit: int = SUPERVISOR_LIMIT) -> list[BoardRow]:
    """The requests the supervisor must act on: overdue ones (longest overdue first), then open ones
    bounced twice or more (oldest first)."""
    overdue = con.execute(
        f"SELECT {BOARD_COLUMNS} FROM resident_request AS r WHERE {OVERDUE_SQL} ORDER BY r.deadline_at, r.id "
        "LIMIT :limit",
        {"now": stamp(now), "limit": limit},
    ).fetchall()
    bounced = con.execute(
        f"SELECT {BOARD_COLUMNS} FROM resident_request AS r WHERE r.bounces >= :bounced AND r.status IN {OPEN_SQL} "
        f"AND NOT {OVERDUE_SQL} ORDER BY r.created_at, r.id LIMIT :limit",
        {"now": stamp(now), "bounced": BOUNCES_FLAGGED, "limit": limit},
    ).fetchall()
    rows = (list(overdue) + list(bounced))[:limit]
    names = _names(con, rows)
    return [_board_row(r, 0, names, now, "newest") for r in rows]


# -- the actions' choices ----------------------------------------------------------------------------------


def departments_of(con: sqlite3.Connection) -> list[Department]:
    """The departments this laptop knows (org units of kind "department"), by code."""
    rows = con.execute("SELECT id, name, code FROM org_unit WHERE kind = 'department' ORDER BY code, name").fetchall()
    return [Department(uuid.UUID(hex=r[0]), r[1], r[2]) for r in rows]


def merge_targets(con: sqlite3.Connection, request_id: uuid.UUID, now: dt.datetime) -> list[BoardRow]:
    """The earlier requests this one may be merged into: of the same household or the same address
    (compound, building, unit, room), registered before it, neither merged nor cancelled; newest first."""
    me = con.execute(
        "SELECT r.created_at, h.id, h.compound, h.building, h.unit, h.room FROM resident_request r "
        "JOIN household h ON h.id = r.household_id WHERE r.id = ?",
        (request_id.hex,),
    ).fetchone()
    if me is None:
        return []
    rows = con.execute(
        f"SELECT {BOARD_COLUMNS} FROM resident_request AS r WHERE r.household_id IN ("
        "  SELECT id FROM household WHERE id = :home OR (compound = :compound AND building = :building "
        "  AND unit = :unit AND room = :room AND compound || building || unit || room != '')"
        ") AND r.created_at < :created AND r.id != :me AND r.status NOT IN ('merged', 'cancelled') "
        "ORDER BY r.created_at DESC LIMIT 50",
        {
            "home": me[1],
            "compound": me[2],
            "building": me[3],
            "unit": me[4],
            "room": me[5],
            "created": me[0],
            "me": request_id.hex,
        },
    ).fetchall()
    names = _names(con, rows)
    return [_board_row(r, 0, names, now, "newest") for r in rows]
