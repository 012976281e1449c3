"""The three rates (gridworker.store.request_rates) against an independent count in Python over a
generated year of a street's requests (tests/helpers/requests_board_data.py walks each request
through the flow and keeps it as a Python record: the count below reads those records, not the
database), per grid, community, street, category and department, per month and over twelve months."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from gridworker.store import request_rates as rates
from tests.helpers.requests_board_data import Dataset, Req, generate

OFFSET = dt.timedelta(hours=8)
END = (2026, 11)
CLOSED = ("closed", "archived")


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dataset]:
    path = tmp_path_factory.mktemp("rates") / "app.db"
    return path, generate(path, 2500, seed=7)


def _month(at: dt.datetime | None, span: tuple[rates.Month, ...]) -> rates.Month | None:
    if at is None:
        return None
    local = at + OFFSET
    month = (local.year, local.month)
    return month if month in span else None


def _key(q: Req, dimension: str) -> str:
    return {
        "grid": q.grid,
        "community": q.community,
        "street": q.street,
        "category": q.category,
        "department": q.department or "",
    }[dimension]


def expected(data: Dataset, dimension: str, span: tuple[rates.Month, ...]) -> dict[tuple[str, rates.Month], dict]:
    """The module docstring's definitions, counted from the generator's records."""
    out: dict[tuple[str, rates.Month], dict] = defaultdict(lambda: defaultdict(int))
    hours: dict[tuple[str, rates.Month], list[float]] = defaultdict(list)
    for q in data.requests:
        key = _key(q, dimension)
        never = q.status in ("merged", "cancelled")
        m = _month(q.created_at, span)
        if m:
            out[key, m]["registered"] += 1
            out[key, m]["bounced_twice"] += q.bounces >= 2
        due_at = q.deadline_at or (q.created_at if q.on_spot else None)
        m = _month(due_at, span)
        if m and not never:
            out[key, m]["due"] += 1
            out[key, m]["closed"] += q.status in CLOSED
            out[key, m]["overdue"] += bool(
                q.deadline_at
                and q.deadline_at < data.end
                and not (q.status in CLOSED and q.closed_at and q.closed_at <= q.deadline_at)
            )
        callbacks = [at for step, at, *_ in q.events if step == "callback"]
        m = _month(max(callbacks), span) if callbacks else None
        if m and not never:
            out[key, m]["called_back"] += 1
            out[key, m]["resolved"] += q.resolved is True
            out[key, m]["satisfied"] += q.satisfaction in ("satisfied", "basic")
        for step, at, *_ in q.events:
            m = _month(at, span)
            if step == "bounce" and m:
                out[key, m]["bounces"] += 1
        m = _month(q.closed_at, span)
        if m and q.dispatched_at and q.status in CLOSED:
            hours[key, m].append((q.closed_at - q.dispatched_at).total_seconds() / 3600)
    for cell, values in hours.items():
        out[cell]["hours"] = values  # type: ignore[assignment]
    return out


FIELDS = ("registered", "due", "closed", "overdue", "called_back", "resolved", "satisfied", "bounces", "bounced_twice")


@pytest.mark.parametrize("dimension", rates.DIMENSIONS)
def test_rates_match_an_independent_count(year: tuple[Path, Dataset], dimension: rates.Dimension) -> None:
    path, data = year
    con = sqlite3.connect(path)
    report = rates.rates(con, dimension, END, data.end, OFFSET)
    span = report.months
    assert len(span) == 12 and span[-1] == END and span[0] == (2025, 12)
    want = expected(data, dimension, span)
    got_keys = {r.key for r in report.rows}
    assert got_keys == {k for k, _ in want}
    for row in report.rows:
        year_total: dict[str, int] = defaultdict(int)
        year_hours: list[float] = []
        for m in span:
            c, w = row.months[m], want.get((row.key, m), {})
            assert {f: getattr(c, f) for f in FIELDS} == {f: w.get(f, 0) for f in FIELDS}, (row.key, m)
            assert sorted(c.close_hours) == pytest.approx(sorted(w.get("hours", [])), abs=1e-3)
            for f in FIELDS:
                year_total[f] += w.get(f, 0)
            year_hours += w.get("hours", [])
        assert {f: getattr(row.total, f) for f in FIELDS} == dict(year_total) | {
            f: 0 for f in FIELDS if f not in year_total
        }
        if year_hours:
            year_hours.sort()
            n = len(year_hours)
            median = (year_hours[(n - 1) // 2] + year_hours[n // 2]) / 2
            assert row.total.median_hours == pytest.approx(median, abs=1e-3)
        if row.total.due:
            assert row.total.closed_rate == pytest.approx(year_total["closed"] / year_total["due"])
        if row.total.called_back:
            assert row.total.resolved_rate == pytest.approx(year_total["resolved"] / year_total["called_back"])
            assert row.total.satisfied_rate == pytest.approx(year_total["satisfied"] / year_total["called_back"])
    # the whole area is the sum of its rows, whatever the dimension
    assert report.total.total.registered == sum(1 for q in data.requests if _month(q.created_at, span) is not None)


def test_the_year_has_every_case(year: tuple[Path, Dataset]) -> None:
    """The generated year holds what the rates must count right: 即办, late closings, reopened
    requests judged unresolved, requests bounced twice, merges, cancellations, overdue ones."""
    _, data = year
    qs = data.requests
    assert any(q.on_spot and q.status in CLOSED for q in qs)
    assert any(q.closed_at and q.deadline_at and q.closed_at > q.deadline_at for q in qs)
    assert any(q.resolved is False and q.reopens for q in qs)
    assert any(q.bounces >= 2 for q in qs)
    assert any(q.status == "merged" for q in qs) and any(q.status == "cancelled" for q in qs)
    assert any(q.status in ("dispatched", "signed") and q.deadline_at and q.deadline_at < data.end for q in qs)


def test_closed_but_unresolved_counts_as_unresolved(tmp_path: Path) -> None:
    """Two requests due in November, both closed by the department; at the call-back one resident
    says resolved, the other not (it is reopened: 重办). 办结率 counts what stands closed, 解决率 the
    residents' word: the gap is shown, nothing is hidden."""
    path = tmp_path / "app.db"
    data = generate(path, 0)
    con = sqlite3.connect(path)
    home = con.execute("SELECT id, grid_id FROM household LIMIT 1").fetchone()
    dispatched = dt.datetime(2026, 11, 2, 2)
    deadline = dt.datetime(2026, 11, 5, 2)
    closed = dt.datetime(2026, 11, 4, 2)
    rows = [
        ("a" * 32, "archived", 1, "satisfied", 0),
        ("b" * 32, "dispatched", 0, "basic", 1),
        ("c" * 32, "closed", None, "", 0),
    ]
    for rid, status, resolved, satisfaction, reopens in rows:
        con.execute(
            "INSERT INTO resident_request (id, household_id, category, description, urgency, due_on, status, "
            "status_note, version, created_at, department_id, dispatched_at, deadline_at, closed_at, on_spot, bounces, "
            "reopens, failed_callbacks, resolved, satisfaction, pending_step) VALUES (?, ?, 'other', '', 'normal', "
            "'2026-11-01', ?, '', 1, ?, ?, ?, ?, ?, 0, 0, ?, 0, ?, ?, '')",
            (
                rid,
                home[0],
                status,
                str(dispatched),
                data.departments[0],
                str(dispatched),
                str(deadline),
                str(closed),
                reopens,
                resolved,
                satisfaction,
            ),
        )
        if resolved is not None:
            con.execute(
                "INSERT INTO request_event (id, request_id, step, actor_id, at, status, note, data) "
                "VALUES (?, ?, 'callback', NULL, ?, ?, '', '{}')",
                (rid[:31] + "e", rid, str(closed + dt.timedelta(days=1)), status),
            )
    con.commit()
    november = rates.rates(con, "street", END, dt.datetime(2026, 12, 1), OFFSET).total.months[END]
    assert (november.due, november.closed, november.called_back, november.resolved) == (3, 2, 2, 1)
    assert november.closed_rate == pytest.approx(2 / 3)
    assert november.resolved_rate == pytest.approx(0.5)
    assert november.gap == pytest.approx(2 / 3 - 0.5)
    assert november.satisfied_rate == pytest.approx(1.0)  # 满意 and 基本满意 both count


def test_callback_time_follows_the_events(year: tuple[Path, Dataset]) -> None:
    """callback_at is kept by migration 0012's triggers: a pull replacing a request's events (delete,
    insert the server's list) leaves it at the last call-back, or empty without one."""
    path, data = year
    con = sqlite3.connect(path)
    q = next(q for q in data.requests if sum(step == "callback" for step, *_ in q.events) >= 2)
    last = max(at for step, at, *_ in q.events if step == "callback")
    assert con.execute("SELECT callback_at FROM resident_request WHERE id = ?", (q.id,)).fetchone()[0] == str(
        last.isoformat(" ", "microseconds")
    )
    kept = con.execute("SELECT * FROM request_event WHERE request_id = ? ORDER BY at", (q.id,)).fetchall()
    con.execute("DELETE FROM request_event WHERE request_id = ?", (q.id,))
    assert con.execute("SELECT callback_at FROM resident_request WHERE id = ?", (q.id,)).fetchone()[0] is None
    first_callback = next(i for i, e in enumerate(kept) if e[2] == "callback")
    con.executemany("INSERT INTO request_event VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kept[: first_callback + 1])
    assert (
        con.execute("SELECT callback_at FROM resident_request WHERE id = ?", (q.id,)).fetchone()[0]
        == kept[first_callback][4]
    )
    con.rollback()


def test_rates_rows_for_the_export(year: tuple[Path, Dataset]) -> None:
    path, data = year
    report = rates.rates(sqlite3.connect(path), "community", END, data.end, OFFSET)
    headers, rows = rates.rates_rows(report)
    assert headers[0] == "对象" and "办结率" in headers and "解决率" in headers and "满意率" in headers
    assert len(rows) == (len(report.rows) + 1) * 13  # each area's 12 months and its year, then 合计
    assert rows[-1][0] == "合计" and rows[-1][1] == "2025-12至2026-11"
    assert rows[-1][2] == report.total.total.registered


# The same definitions written the plain way, in SQL, apart from the module's: local months by
# strftime on the street's offset, the last call-back from the events (not the callback_at the
# triggers keep), the area by walking org_unit's parents, every measure its own query.
_AREA = {
    "grid": "h.grid_id",
    "community": "(SELECT g.parent_id FROM org_unit g WHERE g.id = h.grid_id)",
    "street": "(SELECT c.parent_id FROM org_unit g JOIN org_unit c ON c.id = g.parent_id WHERE g.id = h.grid_id)",
    "category": "r.category",
    "department": "coalesce(r.department_id, '')",
}
_LOCAL = "strftime('%Y-%m', {}, '+480 minutes')"
_LIVE = "r.status NOT IN ('merged', 'cancelled', 'rejected')"
_DONE = "r.status IN ('closed', 'archived')"
_LAST_CALLBACK = "(SELECT max(e.at) FROM request_event e WHERE e.request_id = r.id AND e.step = 'callback')"
_MEASURES = {
    # measure: (the time that places it in a month, what is summed, the rows counted)
    "registered": ("r.created_at", "1", "1"),
    "bounced_twice": ("r.created_at", "r.bounces >= 2", "1"),
    "due": ("coalesce(r.deadline_at, CASE WHEN r.on_spot THEN r.created_at END)", "1", _LIVE),
    "closed": ("coalesce(r.deadline_at, CASE WHEN r.on_spot THEN r.created_at END)", _DONE, _LIVE),
    "overdue": (
        "r.deadline_at",
        f"r.deadline_at < :now AND NOT ({_DONE} AND r.closed_at <= r.deadline_at)",
        _LIVE,
    ),
    "called_back": (_LAST_CALLBACK, "1", _LIVE),
    "resolved": (_LAST_CALLBACK, "r.resolved IS 1", _LIVE),
    "satisfied": (_LAST_CALLBACK, "r.satisfaction IN ('satisfied', 'basic')", _LIVE),
}


def sql_counts(con: sqlite3.Connection, dimension: str, now: dt.datetime) -> dict[tuple[str, str, str], int]:
    """(key, 'YYYY-MM', measure) -> count, zeros left out."""
    out: dict[tuple[str, str, str], int] = {}
    area = _AREA[dimension]
    for measure, (at, summed, where) in _MEASURES.items():
        rows = con.execute(
            f"SELECT coalesce({area}, ''), {_LOCAL.format(at)}, sum({summed}) FROM resident_request r "
            f"JOIN household h ON h.id = r.household_id WHERE {where} AND {at} IS NOT NULL GROUP BY 1, 2",
            {"now": str(now)},
        )
        out.update({(key, month, measure): n for key, month, n in rows if n})
    bounces = con.execute(
        f"SELECT coalesce({area}, ''), {_LOCAL.format('e.at')}, count(*) FROM request_event e "
        "JOIN resident_request r ON r.id = e.request_id JOIN household h ON h.id = r.household_id "
        "WHERE e.step = 'bounce' GROUP BY 1, 2"
    )
    out.update({(key, month, "bounces"): n for key, month, n in bounces})
    return out


@pytest.mark.parametrize("dimension", rates.DIMENSIONS)
def test_rates_match_a_count_in_sql(year: tuple[Path, Dataset], dimension: rates.Dimension) -> None:
    path, data = year
    con = sqlite3.connect(path)
    report = rates.rates(con, dimension, END, data.end, OFFSET)
    months = {f"{y}-{m:02d}" for y, m in report.months}
    want = {cell: n for cell, n in sql_counts(con, dimension, data.end).items() if cell[1] in months}
    got = {
        (row.key, f"{y}-{m:02d}", f): getattr(c, f)
        for row in report.rows
        for (y, m), c in row.months.items()
        for f in FIELDS
        if getattr(c, f)
    }
    assert got == want
    assert len(want) > 20 * len(report.rows)  # the year fills the months: not an empty comparison
