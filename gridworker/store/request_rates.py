"""The three rates of resident requests, honestly, per grid, community, street, category or
department, per month and over twelve months, from a station's or supervisor's copy of its area
(the request rows' flow columns and their events), on the standard library's sqlite3.

Months are the street's local calendar months (StreetSettings.utc_offset_minutes, China UTC+8); the
times stored are UTC. Every figure is counted as this laptop's copy stands now (``now``): a request
closed after its month still counts as closed in the month it was due.

Definitions (a request merged into another or cancelled is never due, called back or overdue):

- **due in a month**: its ``deadline_at`` falls in the month; a request closed 即办 (on the spot,
  never dispatched, so without a deadline) is due in the month it was registered.
- **办结 (closed)**: a due request whose status is closed or archived now (it reached 办结, 即办
  included, and was not reopened since). **办结率** = closed / due.
- **called back in a month**: the request's last call-back (a ``callback`` event: the resident
  answered; a failed call-back is not one; ``callback_at``, kept from the events by app migration
  0011's triggers) falls in the month. Its answers are the row's
  ``resolved`` and ``satisfaction`` (the last call-back's).
- **解决率** = called back and the resident said resolved / called back. A request closed but judged
  unresolved by the resident counts as unresolved: the gap between 办结率 and 解决率 is the share
  closed on paper only.
- **满意率** = called back and 满意 or 基本满意 / called back.
- **overdue**: a due request with a deadline that has passed (``deadline_at < now``) and that is not
  closed (closed or archived) by it (``closed_at <= deadline_at``).
- **退单**: bounce events (``bounce``) that happened in the month; **bounced twice**: requests
  registered in the month that were bounced request_flow.BOUNCES_FLAGGED times or more.
- **registered**: requests registered (``created_at``) in the month.
- **median time to close**: over requests closed (closed or archived now) whose ``closed_at`` falls
  in the month and that were dispatched (``dispatched_at``; 即办 has no 派单): the median of
  closed_at - dispatched_at, in hours.

The twelve months' figures are the sums of the months' counts (each request counts at most once per
measure: in the month of its deadline, of its last call-back, of its registration) and the median over
all the twelve months' closings. A rate whose denominator is 0 is None (shown as a dash, never 0 %).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from gridworker.store.board_reads import stamp, stored_statuses
from gridworker_shared.domain.request_flow import BOUNCES_FLAGGED

Dimension = Literal["grid", "community", "street", "category", "department"]
DIMENSIONS: tuple[Dimension, ...] = ("grid", "community", "street", "category", "department")
Month = tuple[int, int]  # (year, month)

_CLOSED = stored_statuses({"closed", "archived"})
_CLOSED_SQL = "(" + ", ".join(f"'{s}'" for s in _CLOSED) + ")"
_NEVER_DUE_SQL = "('merged', 'cancelled', 'rejected')"


@dataclass
class Counts:
    registered: int = 0
    due: int = 0
    closed: int = 0
    overdue: int = 0
    called_back: int = 0
    resolved: int = 0
    satisfied: int = 0
    bounces: int = 0
    bounced_twice: int = 0
    close_hours: list[float] = field(default_factory=list)

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def closed_rate(self) -> float | None:
        """办结率"""
        return self._rate(self.closed, self.due)

    @property
    def resolved_rate(self) -> float | None:
        """解决率"""
        return self._rate(self.resolved, self.called_back)

    @property
    def satisfied_rate(self) -> float | None:
        """满意率"""
        return self._rate(self.satisfied, self.called_back)

    @property
    def gap(self) -> float | None:
        """办结率 - 解决率: closed on paper, not resolved for the resident (None when either is)."""
        closed, resolved = self.closed_rate, self.resolved_rate
        return None if closed is None or resolved is None else closed - resolved

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.close_hours) if self.close_hours else None

    def add(self, other: Counts) -> None:
        for name in (
            "registered",
            "due",
            "closed",
            "overdue",
            "called_back",
            "resolved",
            "satisfied",
            "bounces",
            "bounced_twice",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.close_hours.extend(other.close_hours)


@dataclass
class RatesRow:
    """One grid, community, street, category or department: its months and the twelve months."""

    key: str  # the org unit's id hex, the category code, or "" (即办: no department)
    name: str
    months: dict[Month, Counts]
    total: Counts


@dataclass(frozen=True)
class RatesReport:
    dimension: Dimension
    months: tuple[Month, ...]  # oldest first
    rows: tuple[RatesRow, ...]
    total: RatesRow  # the whole area


def last_months(end: Month, count: int = 12) -> tuple[Month, ...]:
    """The ``count`` months ending with ``end``, oldest first."""
    year, month = end
    out: list[Month] = []
    for _ in range(count):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(reversed(out))


def _month_start(month: Month, offset: dt.timedelta) -> dt.datetime:
    return dt.datetime(month[0], month[1], 1) - offset


def _next(month: Month) -> Month:
    return (month[0], month[1] + 1) if month[1] < 12 else (month[0] + 1, 1)


# the key each dimension groups by, and the join it needs; a community's and a street's figures are
# their grids' summed (one household join, one grouping by a short key)
_KEYS: dict[str, tuple[str, str]] = {
    "grid": ("h.grid_id", "JOIN household h ON h.id = r.household_id"),
    "category": ("r.category", ""),
    "department": ("coalesce(r.department_id, '')", ""),
}
_UP: dict[Dimension, int] = {"community": 1, "street": 2}  # levels above the grid


def _month_case(column: str, months: int) -> str:
    """The month (0 = the first) ``column`` falls in, by the months' UTC bounds :b0 .. :b<months>
    (string comparisons, halving the months each time: cheaper than strftime for every row); NULL
    outside them (a NULL compares false: it ends outside too)."""

    def within(low: int, high: int) -> str:  # months low .. high-1, the column known >= :b<low>
        if high - low == 1:
            return f"CASE WHEN {column} < :b{high} THEN {low} END"
        mid = (low + high) // 2
        return f"CASE WHEN {column} < :b{mid} THEN {within(low, mid)} ELSE {within(mid, high)} END"

    return f"CASE WHEN {column} >= :b0 THEN {within(0, months)} END"


# one pass over the requests (their covering index, app migration 0013): each grouped by its key and
# the months it is registered, due, called back and closed (after a dispatch) in (NULL: not in the span,
# or never; the four months packed into one number to group by, cheaper to sort than four), with the
# measures summed per group and the hours from 派单 to 办结 listed (one scan: a second one for the
# hours, fetched row by row, was a third of the time)
_COUNTS_SQL = """
SELECT key, reg_m, due_m, cb_m, cl_m, count(*), sum(twice), sum(closed), sum(overdue), sum(resolved),
       sum(satisfied), group_concat(hours)
FROM (
  SELECT {key} AS key, {registered} AS reg_m,
         CASE WHEN r.status NOT IN {never} THEN {due} END AS due_m,
         CASE WHEN r.status NOT IN {never} THEN {called} END AS cb_m,
         CASE WHEN r.status IN {closed} AND r.dispatched_at IS NOT NULL THEN {closed_at} END AS cl_m,
         r.bounces >= :twice AS twice, r.status IN {closed} AS closed,
         r.deadline_at IS NOT NULL AND r.deadline_at < :now
           AND NOT (r.status IN {closed} AND r.closed_at IS NOT NULL AND r.closed_at <= r.deadline_at)
           AS overdue,
         r.resolved = 1 AS resolved, r.satisfaction IN ('satisfied', 'basic') AS satisfied,
         CASE WHEN r.status IN {closed} AND r.dispatched_at IS NOT NULL AND r.closed_at IS NOT NULL
              THEN (julianday(r.closed_at) - julianday(r.dispatched_at)) * 24 END AS hours
  FROM resident_request r INDEXED BY ix_resident_request_rates {join}
)
GROUP BY key, coalesce(reg_m, 99) + 100 * coalesce(due_m, 99) + 10000 * coalesce(cb_m, 99)
         + 1000000 * coalesce(cl_m, 99)
"""
_BOUNCES_SQL = """
SELECT {key}, {month}, count(*)
FROM request_event e JOIN resident_request r ON r.id = e.request_id {join}
WHERE e.step = 'bounce' AND e.at >= :b0 AND e.at < :end
GROUP BY 1, 2
"""


def _sql(template: str, dimension: str, months: int, **columns: str) -> str:
    key, join = _KEYS[dimension]
    cases = {name: _month_case(column, months) for name, column in columns.items()}
    return template.format(key=key, join=join, closed=_CLOSED_SQL, never=_NEVER_DUE_SQL, **cases)


def rates(
    con: sqlite3.Connection,
    dimension: Dimension,
    end: Month,
    now: dt.datetime,
    utc_offset: dt.timedelta = dt.timedelta(hours=8),
    months: int = 12,
) -> RatesReport:
    """The rates by ``dimension`` for the ``months`` months ending with ``end`` (local months), each
    month and all of them, as the copy stands at ``now`` (UTC)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"no rates by {dimension!r}")
    if months > 98:  # 99 stands for "no month" in the grouping
        raise ValueError(f"at most 98 months, not {months}")
    span = last_months(end, months)
    params: dict[str, object] = {
        f"b{i}": stamp(_month_start(m, utc_offset)) for i, m in enumerate((*span, _next(span[-1])))
    }
    params.update(end=params[f"b{months}"], now=stamp(now), twice=BOUNCES_FLAGGED)
    by_key: dict[str, dict[Month, Counts]] = {}

    def cell(key: str | None, month: int) -> Counts:
        return by_key.setdefault(key or "", {}).setdefault(span[month], Counts())

    grouped = "grid" if dimension in _UP else dimension
    counts = _sql(
        _COUNTS_SQL,
        grouped,
        months,
        registered="r.created_at",
        due="coalesce(r.deadline_at, CASE WHEN r.on_spot THEN r.created_at END)",
        called="r.callback_at",
        closed_at="r.closed_at",
    )
    for key, reg_m, due_m, cb_m, cl_m, n, twice, closed, overdue, resolved, satisfied, hours in con.execute(
        counts, params
    ):
        if reg_m is not None:
            c = cell(key, reg_m)
            c.registered += n
            c.bounced_twice += twice
        if due_m is not None:
            c = cell(key, due_m)
            c.due += n
            c.closed += closed
            c.overdue += overdue
        if cb_m is not None:
            c = cell(key, cb_m)
            c.called_back += n
            c.resolved += resolved or 0
            c.satisfied += satisfied
        if cl_m is not None and hours:
            cell(key, cl_m).close_hours.extend(map(float, hours.split(",")))
    for key, month, n in con.execute(_sql(_BOUNCES_SQL, grouped, months, month="e.at"), params):
        cell(key, month).bounces += n
    if dimension in _UP:
        by_key = _roll_up(con, by_key, _UP[dimension])
    names = _names(con, dimension, list(by_key))
    rows = []
    whole = RatesRow("", "", {m: Counts() for m in span}, Counts())
    for key, per in by_key.items():
        total = Counts()
        for m, c in per.items():
            total.add(c)
            whole.months[m].add(c)
        whole.total.add(total)
        rows.append(RatesRow(key, names.get(key, ""), {m: per.get(m, Counts()) for m in span}, total))
    rows.sort(key=lambda r: (r.name == "", r.name, r.key))
    return RatesReport(dimension, span, tuple(rows), whole)


def _roll_up(
    con: sqlite3.Connection, by_grid: dict[str, dict[Month, Counts]], levels: int
) -> dict[str, dict[Month, Counts]]:
    """The grids' figures summed into the org units ``levels`` above them (a grid the copy does not
    know, or without a parent, under "")."""
    parent = {r[0]: r[1] or "" for r in con.execute("SELECT id, parent_id FROM org_unit")}
    out: dict[str, dict[Month, Counts]] = {}
    for key, per in by_grid.items():
        for _ in range(levels):
            key = parent.get(key, "")
        into = out.setdefault(key, {})
        for month, counts in per.items():
            into.setdefault(month, Counts()).add(counts)
    return out


def _names(con: sqlite3.Connection, dimension: Dimension, keys: Sequence[str]) -> dict[str, str]:
    """Org units' names (a category's code is its own key: the screen translates it)."""
    if dimension == "category":
        return {k: k for k in keys}
    ids = [k for k in keys if k]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r[0]: r[1] for r in con.execute(f"SELECT id, name FROM org_unit WHERE id IN ({marks})", ids)}


def month_of(day: dt.date) -> Month:
    return (day.year, day.month)


def street_offset(con: sqlite3.Connection) -> dt.timedelta:
    """The street's local time as its settings say (UTC+8 when none)."""
    from gridworker.store.review_reads import street_settings

    return dt.timedelta(minutes=street_settings(con).utc_offset_minutes)


def rates_rows(
    report: RatesReport, label: dict[str, str] | None = None
) -> tuple[list[str], list[list[str | int | float | None]]]:
    """The report as a table for the export (Chinese headers, as the offices read them): one row per
    area or category and month, then its twelve months."""
    headers = [
        "对象",
        "月份",
        "登记数",
        "到期数",
        "办结数",
        "办结率",
        "回访数",
        "解决数",
        "解决率",
        "满意数",
        "满意率",
        "办结率与解决率之差",
        "超期数",
        "退单次数",
        "两次以上退单",
        "派单至办结中位时长(小时)",
    ]

    def pct(value: float | None) -> str | float:
        return "" if value is None else round(value * 100, 1)

    def line(name: str, period: str, c: Counts) -> list[str | int | float | None]:
        median = c.median_hours
        return [
            name,
            period,
            c.registered,
            c.due,
            c.closed,
            pct(c.closed_rate),
            c.called_back,
            c.resolved,
            pct(c.resolved_rate),
            c.satisfied,
            pct(c.satisfied_rate),
            pct(c.gap),
            c.overdue,
            c.bounces,
            c.bounced_twice,
            "" if median is None else round(median, 1),
        ]

    label = label or {}
    out: list[list[str | int | float | None]] = []
    first, last = report.months[0], report.months[-1]
    span = f"{first[0]}-{first[1]:02d}至{last[0]}-{last[1]:02d}"
    for row in (*report.rows, report.total):
        name = label.get(row.key, row.name) if row is not report.total else "合计"
        for m in report.months:
            out.append(line(name, f"{m[0]}-{m[1]:02d}", row.months[m]))
        out.append(line(name, span, row.total))
    return headers, out


__all__ = [
    "DIMENSIONS",
    "Counts",
    "Dimension",
    "Month",
    "RatesReport",
    "RatesRow",
    "last_months",
    "month_of",
    "rates",
    "rates_rows",
    "street_offset",
]
