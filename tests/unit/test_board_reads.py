"""The requests board's reads (gridworker.store.board_reads) over a generated year of a street's
requests: every filter's pages, walked to the end, hold exactly the requests the generator's records
say, once each and in the board's order; a request's history names who took each step; the
supervisor's list holds the overdue and the bounced-twice ones."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest

from gridworker.store import board_reads as rq
from tests.helpers.requests_board_data import Dataset, Req, generate

OFFSET = dt.timedelta(hours=8)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[sqlite3.Connection, Dataset]:
    path = tmp_path_factory.mktemp("board") / "app.db"
    data = generate(path, 1500, seed=11)
    return sqlite3.connect(path), data


def _overdue(q: Req, now: dt.datetime) -> bool:
    return q.status in ("dispatched", "signed") and q.deadline_at is not None and q.deadline_at < now


def _walk(con: sqlite3.Connection, flt: rq.RequestFilter, now: dt.datetime, limit: int = 37) -> list[rq.BoardRow]:
    rows: list[rq.BoardRow] = []
    after = None
    while True:
        page = rq.board_page(con, flt, now, OFFSET, after, limit)
        rows += page.rows
        assert len(page.rows) <= limit
        if not page.more:
            return rows
        after = page.after


def cases(data: Dataset) -> list[tuple[str, rq.RequestFilter, object]]:
    grid, community, dept = uuid.UUID(data.grids[3]), uuid.UUID(data.communities[1]), data.departments[2]
    day_from, day_to = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    now = data.end

    def local_day(q: Req) -> dt.date:
        return (q.created_at + OFFSET).date()

    return [
        ("all", rq.RequestFilter(), lambda q: True),
        (
            "open",
            rq.RequestFilter(status="open"),
            lambda q: q.status in ("submitted", "accepted", "dispatched", "signed"),
        ),
        ("archived", rq.RequestFilter(status="archived"), lambda q: q.status == "archived"),
        ("category", rq.RequestFilter(category="fire_lane_blocked"), lambda q: q.category == "fire_lane_blocked"),
        ("department", rq.RequestFilter(department_id=uuid.UUID(dept)), lambda q: q.department == dept),
        ("overdue", rq.RequestFilter(overdue=True), lambda q: _overdue(q, now)),
        ("bounced", rq.RequestFilter(bounced=True), lambda q: q.bounces >= 2),
        ("grid", rq.RequestFilter(grid_id=grid), lambda q: q.grid == grid.hex),
        ("community", rq.RequestFilter(community_id=community), lambda q: q.community == community.hex),
        ("dates", rq.RequestFilter(date_from=day_from, date_to=day_to), lambda q: day_from <= local_day(q) <= day_to),
        (
            "combined",
            rq.RequestFilter(status="archived", community_id=community, category="other", order="deadline"),
            lambda q: q.status == "archived" and q.community == community.hex and q.category == "other",
        ),
    ]


@pytest.mark.parametrize("order", ["newest", "deadline"])
def test_every_filter_pages_exactly_its_requests(year: tuple[sqlite3.Connection, Dataset], order: str) -> None:
    con, data = year
    for name, flt, keep in cases(data):
        flt = rq.RequestFilter(**{**flt.__dict__, "order": order})
        rows = _walk(con, flt, data.end)
        want = {q.id for q in data.requests if keep(q)}  # type: ignore[operator]
        assert want, name
        assert [r.id.hex for r in rows if r.id.hex in want] == [r.id.hex for r in rows], name
        assert len(rows) == len({r.id for r in rows}) == len(want), name
        assert {r.id.hex for r in rows} == want, name
        assert rq.board_count(con, flt, data.end, OFFSET) == len(want), name
        if order == "newest":
            keys = [(r.created_at, r.id.hex) for r in rows]
            assert keys == sorted(keys, reverse=True), name
        else:
            dated = [r for r in rows if r.deadline_at is not None]
            assert rows[: len(dated)] == dated, name  # the undated ones after
            assert [(r.deadline_at, r.id.hex) for r in dated] == sorted((r.deadline_at, r.id.hex) for r in dated)
        for r in rows:
            assert r.overdue == _overdue(next(q for q in data.requests if q.id == r.id.hex), data.end)


def test_a_row_carries_its_names(year: tuple[sqlite3.Connection, Dataset]) -> None:
    con, data = year
    q = next(q for q in data.requests if q.department and q.bounces >= 2)
    (row,) = rq.board_rows(con, [uuid.UUID(q.id)], data.end)
    assert row.grid.startswith(row.community) and row.community.startswith("第")
    assert row.department and row.flagged and row.head.startswith("住户")


def test_history_names_who_took_each_step(year: tuple[sqlite3.Connection, Dataset]) -> None:
    con, data = year
    q = next(q for q in data.requests if q.bounces >= 1 and q.status == "archived")
    detail = rq.request_detail(con, uuid.UUID(q.id), data.end)
    assert detail is not None
    assert [e.step for e in detail.events] == [step for step, *_ in sorted(q.events, key=lambda e: e[1])]
    assert all(e.actor.startswith("网格员") for e in detail.events)
    bounce = next(e for e in detail.events if e.step == "bounce")
    assert bounce.data["reason"] == "not_ours" and bounce.note
    dispatched = [uuid.UUID(str(e.data["department_id"])) for e in detail.events if e.step == "dispatch"]
    assert set(dispatched) <= set(detail.departments) and len(set(dispatched)) == 2
    assert rq.request_detail(con, uuid.uuid4(), data.end) is None


def test_the_supervisors_list(year: tuple[sqlite3.Connection, Dataset]) -> None:
    con, data = year
    rows = rq.supervision(con, data.end)
    overdue = {q.id for q in data.requests if _overdue(q, data.end)}
    bounced_open = {
        q.id
        for q in data.requests
        if q.bounces >= 2 and q.status in ("submitted", "accepted", "dispatched", "signed") and q.id not in overdue
    }
    assert overdue
    assert [r.id.hex for r in rows] == [r.id.hex for r in rows if r.overdue] + [r.id.hex for r in rows if not r.overdue]
    assert {r.id.hex for r in rows} == overdue | bounced_open


def test_merge_targets_are_earlier_requests_of_the_household(year: tuple[sqlite3.Connection, Dataset]) -> None:
    con, data = year
    q = next(q for q in data.requests if q.status == "merged")
    targets = rq.merge_targets(con, uuid.UUID(q.id), data.end)
    assert uuid.UUID(str(q.merged_into)) in {t.id for t in targets}
    assert all(t.created_at < q.created_at and t.status not in ("merged", "cancelled") for t in targets)


def test_departments(year: tuple[sqlite3.Connection, Dataset]) -> None:
    con, data = year
    assert [d.id.hex for d in rq.departments_of(con)] == data.departments
