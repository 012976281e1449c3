"""What a station or supervisor exports from their copy of the area: the visits as the review queue
filters them (the same ReviewFilter, so the file holds what the queue shows, in its order: newest
first), the area's residents' requests, and any table of figures (coverage) as headers and rows.

Columns are named in Chinese whatever the app's language: the files go to street and district offices
and are read next to their other sheets (as the rosters they send us are). Rows are read on a
gridworker.store.cipher connection (the database's key applied) in keyset pages inside one read
transaction: one consistent snapshot, a count that matches the rows written, and never the whole table
in memory. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Final

from gridworker.exports.writers import (
    EXCEL_MAX_ROWS,
    ExportInfo,
    ExportResult,
    Progress,
    Row,
    Table,
    pages_of,
    write_table,
)
from gridworker.store import cipher, schema
from gridworker.store.review_filter import ReviewFilter, uuid_param
from gridworker_shared.domain.codes import REQUEST_CATEGORY_BY_CODE, REQUEST_STATUS_BY_CODE, URGENCY_BY_CODE
from gridworker_shared.domain.masking import mask_phone

CHINA: Final = dt.timedelta(hours=8)  # the visits' local time (UTC+8, no daylight saving)
PAGE_ROWS: Final = 2000

OUTCOMES_ZH: Final = {"met": "已见面", "not_home": "不在家", "refused": "拒绝"}
STATES_ZH: Final = {
    "pending": "待审",
    "approved": "通过",
    "returned": "退回修改",
    "questioned": "存疑",
    "amended": "已修改",
}
ACTIONS_ZH: Final = {
    "approve": "通过",
    "return": "退回修改",
    "question": "存疑",
    "reopen": "重新打开",
    "comment": "评论",
}
REASONS_ZH: Final = {
    "incomplete": "信息不全",
    "wrong_people": "人员不符",
    "time_place": "时间地点存疑",
    "request_missing": "诉求未登记",
    "other": "其他",
}
# the server's flags (gridworker_shared.domain.review_flags), by the review workspace's short labels;
# a code not here is written as it is
FLAGS_ZH: Final = {
    "short_form": "填写过快",
    "rapid_sequence": "走访过密",
    "late_entry": "补录过晚",
    "off_hours": "非工作时段",
    "same_notes": "备注雷同",
    "not_home_streak": "多次不在家",
    "care_overdue": "关爱走访超期",
}

VISIT_HEADERS: Final = (
    "编号",
    "走访时间",
    "社区",
    "网格",
    "网格员",
    "地址",
    "户主",
    "结果",
    "见到人数",
    "备注",
    "审核状态",
    "标记",
    "最近审核意见",
    "修改自",
    "表单用时(秒)",
)
VISIT_WIDTHS: Final = (9, 17, 14, 16, 10, 28, 10, 8, 9, 40, 12, 20, 30, 9, 12)
REQUEST_HEADERS: Final = (
    "登记时间",
    "社区",
    "网格",
    "地址",
    "户主",
    "联系电话",
    "类别",
    "描述",
    "紧急程度",
    "办理期限",
    "状态",
    "办理说明",
)
REQUEST_WIDTHS: Final = (17, 14, 16, 28, 10, 15, 14, 40, 9, 11, 9, 30)

_VISIT_SQL = """
SELECT v.no, strftime('%Y-%m-%d %H:%M', v.visited_at, :shift), c.name, g.name,
       coalesce(nullif(w.name, ''), w.username, ''), h.compound, h.building, h.unit, h.room, h.head_name,
       v.outcome, json_array_length(v.seen), v.notes, v.state, v.pending_action, v.flags,
       (SELECT e.reason || char(31) || e.comment FROM review_event e
         WHERE e.visit_no = v.no AND e.action != 'amend' ORDER BY e.at DESC LIMIT 1),
       v.amends_no, v.form_seconds, v.visited_at
FROM review_visit v
LEFT JOIN household h ON h.id = v.household_id
LEFT JOIN org_unit g ON g.id = v.grid_id
LEFT JOIN org_unit c ON c.id = g.parent_id
LEFT JOIN worker_card w ON w.user_id = v.worker_id
WHERE {where} {after}
ORDER BY v.visited_at DESC, v.no DESC
LIMIT :limit
"""

_REQUEST_SQL = """
SELECT strftime('%Y-%m-%d %H:%M', r.created_at, :shift), c.name, g.name, h.compound, h.building, h.unit,
       h.room, h.head_name, r.category, r.description, r.urgency, r.due_on, r.status, r.status_note,
       r.created_at, r.id, h.phone
FROM resident_request r
JOIN household h ON h.id = r.household_id
LEFT JOIN org_unit g ON g.id = h.grid_id
LEFT JOIN org_unit c ON c.id = g.parent_id
WHERE {where} {after}
ORDER BY r.created_at DESC, r.id DESC
LIMIT :limit
"""


@dataclass(frozen=True)
class Area:
    """A community or grid of the reviewer's copy, or a worker (kind "worker"), for the filter's lists."""

    id: uuid.UUID
    name: str
    kind: str
    parent_id: uuid.UUID | None


def address(compound: str, building: str, unit: str, room: str) -> str:
    """幸福里 3栋2单元501室, as the offices write an address."""
    parts = (f"{building}栋" if building else "") + (f"{unit}单元" if unit else "") + (f"{room}室" if room else "")
    return f"{compound.strip()} {parts}".strip()


@contextmanager
def snapshot(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection inside one read transaction (WAL: writers go on meanwhile)."""
    con = cipher.connect(db_path, timeout=schema.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute("PRAGMA query_only=1")
        con.execute("BEGIN")
        yield con
    except cipher.Error as exc:
        known = schema.classify(exc)
        if known is not None:
            raise known from exc
        raise
    finally:
        con.close()


def street_offset(con: sqlite3.Connection) -> dt.timedelta:
    """The local time of the copy's street (its settings' ``utc_offset_minutes``), else China's."""
    row = con.execute("SELECT settings FROM org_unit WHERE kind = 'street' ORDER BY code LIMIT 1").fetchone()
    try:
        minutes = json.loads(row[0]).get("utc_offset_minutes") if row and row[0] else None
    except (ValueError, AttributeError):
        minutes = None
    if isinstance(minutes, int) and not isinstance(minutes, bool) and -12 * 60 <= minutes <= 14 * 60:
        return dt.timedelta(minutes=minutes)
    return CHINA


def _shift(utc_offset: dt.timedelta) -> str:
    return f"{int(utc_offset.total_seconds()):+d} seconds"


def _visit_row(r: sqlite3.Row | tuple[Any, ...]) -> Row:
    (no, at, community, grid, worker, compound, building, unit, room, head, outcome, seen, notes) = r[:13]
    state, pending, flags, last, amends_no, form_seconds = r[13:19]
    state_text = STATES_ZH.get(state, state)
    if pending:
        state_text += f"（本机已{ACTIONS_ZH.get(pending, pending)}，待同步）"
    codes = json.loads(flags) if flags and flags != "[]" else []
    review = ""
    if last:
        reason, _, comment = last.partition("\x1f")
        review = "：".join(p for p in (REASONS_ZH.get(reason, reason), comment) if p)
    return (
        no,
        at,
        community or "",
        grid or "",
        worker,
        address(compound or "", building or "", unit or "", room or ""),
        head or "",
        OUTCOMES_ZH.get(outcome, outcome),
        seen,
        notes,
        state_text,
        "、".join(FLAGS_ZH.get(c, c) for c in codes),
        review,
        amends_no,
        form_seconds,
    )


def _keyset_pages(
    con: sqlite3.Connection,
    sql: str,
    after_sql: str,
    key: tuple[int, int],
    convert: Any,
    args: dict[str, Any],
    page_rows: int,
) -> Iterator[list[Row]]:
    """``sql``'s rows a page at a time, newest first: each page after the last row's (time, id) key
    (the columns at ``key``), ``after_sql`` comparing them to :after_at and :after_id."""
    after: tuple[Any, Any] | None = None
    while True:
        page_args = {**args, "limit": page_rows}
        clause = ""
        if after is not None:
            clause = after_sql
            page_args["after_at"], page_args["after_id"] = after
        rows = con.execute(sql.format(after=clause), page_args).fetchall()
        if not rows:
            return
        yield [convert(r) for r in rows]
        after = (rows[-1][key[0]], rows[-1][key[1]])
        if len(rows) < page_rows:
            return


def _visit_pages(
    con: sqlite3.Connection, where: str, params: dict[str, Any], utc_offset: dt.timedelta, page_rows: int
) -> Iterator[list[Row]]:
    sql = _VISIT_SQL.replace("{where}", where)
    after = "AND (v.visited_at, v.no) < (:after_at, :after_id)"
    args = {**params, "shift": _shift(utc_offset)}
    return _keyset_pages(con, sql, after, (19, 0), _visit_row, args, page_rows)


def visits_table(
    con: sqlite3.Connection, flt: ReviewFilter, utc_offset: dt.timedelta = CHINA, page_rows: int = PAGE_ROWS
) -> Table:
    """The visits ``flt`` selects, newest first, with their review, as a table to write."""
    where, params = flt.where(utc_offset)
    total = con.execute(f"SELECT count(*) FROM review_visit v WHERE {where}", params).fetchone()[0]
    pages = _visit_pages(con, where, params, utc_offset, page_rows)
    return Table("走访记录", VISIT_HEADERS, pages, int(total), VISIT_WIDTHS)


def _request_where(flt: ReviewFilter, utc_offset: dt.timedelta) -> tuple[str, dict[str, Any]]:
    """The filter's area and dates applied to requests (by their household's grid and when they were
    registered); the worker, outcome, review state and flag are the visits' and do not apply."""
    parts: list[str] = []
    params: dict[str, Any] = {}
    if flt.grid_id is not None:
        parts.append("h.grid_id = :grid")
        params["grid"] = uuid_param(flt.grid_id)
    elif flt.community_id is not None:
        parts.append("g.parent_id = :community")
        params["community"] = uuid_param(flt.community_id)
    bounds = ReviewFilter(date_from=flt.date_from, date_to=flt.date_to).where(utc_offset)[1]
    if "start" in bounds:
        parts.append("r.created_at >= :start")
        params["start"] = bounds["start"]
    if "end" in bounds:
        parts.append("r.created_at < :end")
        params["end"] = bounds["end"]
    return (" AND ".join(parts) or "1"), params


def _request_row(r: sqlite3.Row | tuple[Any, ...], personal: bool = False) -> Row:
    at, community, grid, compound, building, unit, room, head, category, text, urgency, due, status, note = r[:14]
    phone = r[16] or ""
    return (
        at,
        community or "",
        grid or "",
        address(compound, building, unit, room),
        head,
        phone if personal else mask_phone(phone),
        _zh(REQUEST_CATEGORY_BY_CODE, category),
        text,
        _zh(URGENCY_BY_CODE, urgency),
        due,
        _zh(REQUEST_STATUS_BY_CODE, status),
        note,
    )


def _zh(table: dict[str, Any], code: str) -> str:
    item = table.get(code)
    return str(item.zh) if item is not None else code


def requests_table(
    con: sqlite3.Connection,
    flt: ReviewFilter,
    utc_offset: dt.timedelta = CHINA,
    page_rows: int = PAGE_ROWS,
    personal: bool = False,
) -> Table:
    """The area's requests (诉求), newest first, with their status as the server last sent it; the
    household's phone masked unless ``personal`` (a supervisor chose to include personal data)."""
    where, params = _request_where(flt, utc_offset)
    joins = "JOIN household h ON h.id = r.household_id LEFT JOIN org_unit g ON g.id = h.grid_id"
    total = con.execute(f"SELECT count(*) FROM resident_request r {joins} WHERE {where}", params).fetchone()[0]

    sql = _REQUEST_SQL.replace("{where}", where)
    after = "AND (r.created_at, r.id) < (:after_at, :after_id)"
    args = {**params, "shift": _shift(utc_offset)}
    pages = _keyset_pages(con, sql, after, (14, 15), partial(_request_row, personal=personal), args, page_rows)
    return Table("诉求", REQUEST_HEADERS, pages, int(total), REQUEST_WIDTHS)


def describe(con: sqlite3.Connection, flt: ReviewFilter, *, visits: bool = True) -> str:
    """The filter in words for the file's first row: ``筛选：网格 古城第1网格；日期 2026-11-01 至 2026-11-30``."""
    names = _names(con, [i for i in (flt.community_id, flt.grid_id, flt.worker_id) if i is not None])
    parts: list[str] = []
    if flt.grid_id is not None:
        parts.append(f"网格 {names.get(flt.grid_id, flt.grid_id.hex)}")
    elif flt.community_id is not None:
        parts.append(f"社区 {names.get(flt.community_id, flt.community_id.hex)}")
    if flt.date_from or flt.date_to:
        parts.append(f"日期 {flt.date_from or '…'} 至 {flt.date_to or '…'}")
    if visits:
        if flt.worker_id is not None:
            parts.append(f"网格员 {names.get(flt.worker_id, flt.worker_id.hex)}")
        if flt.outcome:
            parts.append(f"结果 {OUTCOMES_ZH.get(flt.outcome, flt.outcome)}")
        if flt.state:
            parts.append(f"审核状态 {STATES_ZH.get(flt.state, flt.state)}")
        if flt.flag:
            parts.append(f"标记 {FLAGS_ZH.get(flt.flag, flt.flag)}")
    return "筛选：" + ("；".join(parts) if parts else "全部")


def _names(con: sqlite3.Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    found: dict[uuid.UUID, str] = {}
    for i in ids:
        row = con.execute(
            "SELECT name FROM org_unit WHERE id = :id UNION ALL "
            "SELECT coalesce(nullif(name, ''), username) FROM worker_card WHERE user_id = :id",
            {"id": uuid_param(i)},
        ).fetchone()
        if row is not None:
            found[i] = str(row[0])
    return found


def areas(db_path: Path) -> list[Area]:
    """The communities and grids of the copy (by name), and the workers of its visits' cards."""
    with snapshot(db_path) as con:
        units = con.execute(
            "SELECT id, name, kind, parent_id FROM org_unit WHERE kind IN ('community', 'grid') ORDER BY code"
        ).fetchall()
        workers = con.execute(
            "SELECT user_id, coalesce(nullif(name, ''), username) FROM worker_card ORDER BY name"
        ).fetchall()
    found = [Area(uuid.UUID(hex=i), n, k, uuid.UUID(hex=p) if p else None) for i, n, k, p in units]
    return found + [Area(uuid.UUID(hex=i), n, "worker", None) for i, n in workers]


def export_visits(
    db_path: Path,
    target: Path,
    fmt: str,
    flt: ReviewFilter,
    info: ExportInfo,
    *,
    utc_offset: dt.timedelta | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    sheet_rows: int = EXCEL_MAX_ROWS,
    page_rows: int = PAGE_ROWS,
) -> ExportResult:
    """The visits as the queue filters them, to ``target`` (see writers.write_table); times and days
    in ``utc_offset``'s local time (by default the street's)."""
    with snapshot(db_path) as con:
        table = visits_table(con, flt, utc_offset or street_offset(con), page_rows)
        info = info if info.description else replace(info, description=describe(con, flt))
        return write_table(target, fmt, table, info, progress=progress, cancelled=cancelled, sheet_rows=sheet_rows)


def export_requests(
    db_path: Path,
    target: Path,
    fmt: str,
    flt: ReviewFilter,
    info: ExportInfo,
    *,
    utc_offset: dt.timedelta | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    sheet_rows: int = EXCEL_MAX_ROWS,
    page_rows: int = PAGE_ROWS,
) -> ExportResult:
    """The requests of the filter's area and dates, to ``target``; phones in full only when ``info``
    says the file holds personal data (the caller checked the role)."""
    with snapshot(db_path) as con:
        table = requests_table(con, flt, utc_offset or street_offset(con), page_rows, personal=info.personal)
        info = info if info.description else replace(info, description=describe(con, flt, visits=False))
        return write_table(target, fmt, table, info, progress=progress, cancelled=cancelled, sheet_rows=sheet_rows)


def export_rows(
    target: Path,
    fmt: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Row],
    info: ExportInfo,
    *,
    total: int | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    sheet_rows: int = EXCEL_MAX_ROWS,
) -> ExportResult:
    """Any table of figures (the coverage reads' rows: per grid, per worker, per month) given as its
    headers and an iterable of rows, written as the visits are."""
    table = Table(title, tuple(headers), pages_of(rows), total)
    return write_table(target, fmt, table, info, progress=progress, cancelled=cancelled, sheet_rows=sheet_rows)
