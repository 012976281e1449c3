"""The weekly back-checks on the server (issue 12, item 5), on SQLite and PostgreSQL: a street's draw
stored once (also when two processes draw at once), over the visits received by then, never a visit
twice, sent in the review scopes, reproducible by an audit; drawn by the CLI and by a reviewer's first
pull of a week; results pushed by a real server's reviewers, confirmed and denied final.

The module has its own seeded server (draws are per street and week: the tests take weeks of their own)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from gridworker_server.auth import Principal
from gridworker_server.errors import ApiError
from gridworker_server.models import (
    Backcheck,
    BackcheckDraw,
    ChangeLog,
    GridAssignment,
    Household,
    OrgUnit,
    User,
    Visit,
    utcnow,
)
from gridworker_server.review import backchecks
from gridworker_shared.codec import decode_backcheck
from gridworker_shared.domain.backchecks import sample_size
from gridworker_shared.domain.review import StreetSettings
from gridworker_shared.protocol import review_scope
from tests.server.support import DatabaseFactory, Mut, Seeded, error_code, start_seeded

STREET = "32130200"
CHINA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def srv(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    yield from start_seeded(backend, db_factory, request)


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def street_id(srv: Seeded) -> uuid.UUID:
    with srv.session() as s:
        sid = s.scalar(select(OrgUnit.id).where(OrgUnit.code == STREET))
    assert sid is not None
    return sid


def week_visits(srv: Seeded, week: dt.date) -> list[Any]:
    """The street's original visits of the week (all the demo city's grids are the street's)."""
    start = backchecks.week_start(week)
    with srv.session() as s:
        return list(
            s.execute(
                select(Visit.id, Visit.no, Visit.worker_id, Visit.received_at, Visit.flags, Household.grid_id)
                .join(Household, Household.id == Visit.household_id)
                .where(
                    Visit.visited_at >= start,
                    Visit.visited_at < start + dt.timedelta(days=7),
                    Visit.amends_id.is_(None),
                )
                .order_by(Visit.no)
            ).all()
        )


def drawn(srv: Seeded, draw_id: uuid.UUID) -> dict[uuid.UUID, Any]:
    with srv.session() as s:
        return {b.visit_id: b for b in s.scalars(select(Backcheck).where(Backcheck.draw_id == draw_id))}


def draw(srv: Seeded, week: dt.date, now: dt.datetime, seed: str | None = None) -> BackcheckDraw:
    sid = street_id(srv)
    with srv.session() as s:
        return backchecks.draw_week(s, sid, week, now, seed)


def set_started(srv: Seeded, username: str, day: dt.datetime) -> uuid.UUID:
    with srv.session() as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        assert uid is not None
        s.execute(update(GridAssignment).where(GridAssignment.user_id == uid).values(since=day))
        s.execute(update(User).where(User.id == uid).values(created_at=day))
    return uid


# --- the draw ----------------------------------------------------------------------------------------


def test_a_week_is_drawn_by_the_rule_over_what_had_arrived_and_sent_in_the_review_scopes(srv: Seeded) -> None:
    week = dt.date(2026, 11, 2)
    cutoff = backchecks.week_start(week + dt.timedelta(days=8))
    visits = week_visits(srv, week)
    assert len(visits) > 40
    old = set_started(srv, "worker02", dt.datetime(2025, 1, 1, tzinfo=dt.UTC))  # established; the others new
    flagged = [v.id for v in visits[:3]]
    late = [v.id for v in visits[3:6]]  # reached the server only after the draw
    with srv.session() as s:
        s.execute(update(Visit).where(Visit.id.in_(flagged)).values(flags=["short_form"]))
        s.execute(update(Visit).where(Visit.id.in_(late)).values(received_at=cutoff + dt.timedelta(hours=1)))
    # the demo city's own late entries arrived after the cutoff too; its flagged visits count as flagged
    late += [v.id for v in visits if _aware(v.received_at) > cutoff]
    flagged += [v.id for v in visits if v.flags and v.id not in late]

    row = draw(srv, week, cutoff)
    picks = drawn(srv, row.id)
    assert set(flagged) <= set(picks)
    assert all(picks[v].reason == "flagged" for v in flagged)
    assert not set(late) & set(picks)
    settings = StreetSettings()
    for worker in {v.worker_id for v in visits}:
        theirs = [v for v in visits if v.worker_id == worker and v.id not in late]
        mine = [p for p in picks.values() if p.worker_id == worker and p.reason != "flagged"]
        rate = settings.backcheck_rate * (1 if worker == old else 2)
        n_flagged = sum(1 for v in theirs if v.id in flagged)
        assert len(mine) == min(len(theirs) - n_flagged, sample_size(len(theirs), rate, settings.backcheck_min))
        assert {p.reason for p in mine} == ({"sample"} if worker == old else {"new_worker"})
    # each back-check is in its household's review scope's change log
    grid_of = {v.id: v.grid_id for v in visits}
    with srv.session() as s:
        logged = set(s.execute(select(ChangeLog.scope, ChangeLog.entity_id).where(ChangeLog.entity == "backcheck")))
    assert {(review_scope(grid_of[b.visit_id]), b.id) for b in picks.values()} <= logged
    # the stored draw keeps its secret seed and what an audit needs
    assert len(row.seed) == 32 and row.params["candidates"] == len(visits) - len(set(late))
    assert old.hex in row.params["starts"]


def test_a_second_draw_of_a_week_returns_the_first_and_the_audit_draws_it_again(srv: Seeded) -> None:
    week = dt.date(2026, 11, 9)
    now = backchecks.week_start(week + dt.timedelta(days=9))
    first = draw(srv, week, now)
    again = draw(srv, week, now + dt.timedelta(days=1), seed="another")
    assert again.id == first.id
    with srv.session() as s:
        assert s.scalar(select(func.count()).select_from(BackcheckDraw).where(BackcheckDraw.week == week)) == 1
        found = backchecks.audit(s, s.get_one(BackcheckDraw, first.id))
    assert found.same and found.inputs_same and found.stored and found.stored == found.expected

    # a visit flagged after the draw (a later visit implicated it): the audit takes the draw's flags
    picked = drawn(srv, first.id)
    later = next(v.id for v in week_visits(srv, week) if v.id not in picked and not v.flags)
    with srv.session() as s:
        s.execute(update(Visit).where(Visit.id == later).values(flags=["same_notes"]))
        found = backchecks.audit(s, s.get_one(BackcheckDraw, first.id))
    assert found.same and found.inputs_same

    # a stored back-check swapped for a visit the seed did not pick: the audit tells
    other = next(v.id for v in week_visits(srv, week) if v.id not in picked)
    victim = next(b for b in picked.values() if b.reason != "flagged")
    with srv.session() as s:
        s.execute(update(Backcheck).where(Backcheck.id == victim.id).values(visit_id=other))
        found = backchecks.audit(s, s.get_one(BackcheckDraw, first.id))
        s.execute(update(Backcheck).where(Backcheck.id == victim.id).values(visit_id=victim.visit_id))
    assert not found.same and found.inputs_same


def test_late_visits_are_drawn_with_the_next_week_and_no_visit_is_drawn_twice(srv: Seeded) -> None:
    week = dt.date(2026, 9, 28)
    cutoff = backchecks.week_start(week + dt.timedelta(days=8))
    visits = week_visits(srv, week)
    late = [v.id for v in visits[:30]]
    with srv.session() as s:
        s.execute(update(Visit).where(Visit.id.in_(late)).values(received_at=cutoff + dt.timedelta(hours=5)))
    first = draw(srv, week, cutoff)
    assert not set(late) & set(drawn(srv, first.id))

    # one of them flagged meanwhile: a flagged visit is always drawn, so it must be in the next draw
    sid = street_id(srv)
    with srv.session() as s:
        s.execute(update(Visit).where(Visit.id == late[0]).values(flags=["late_entry"]))
        found = backchecks.pool(s, sid, week + dt.timedelta(days=7), cutoff + dt.timedelta(days=7))
    assert set(late) <= {c.visit_id for c in found.candidates}
    nxt = draw(srv, week + dt.timedelta(days=7), cutoff + dt.timedelta(days=7))
    second = drawn(srv, nxt.id)
    assert second[late[0]].reason == "flagged"
    assert not set(drawn(srv, first.id)) & set(second)
    with srv.session() as s:
        found_again = backchecks.audit(s, s.get_one(BackcheckDraw, nxt.id))
    assert found_again.same and found_again.inputs_same


def test_two_processes_drawing_the_same_week_make_one_draw(srv: Seeded) -> None:
    """One transaction draws and has not committed; another draws the same week meanwhile: it waits
    (SQLite: for the write lock; PostgreSQL: on the unique street and week) and returns the first's."""
    week = dt.date(2026, 10, 19)
    now = backchecks.week_start(week + dt.timedelta(days=10))
    sid = street_id(srv)
    results: dict[str, Any] = {}

    def other() -> None:
        try:
            with srv.session() as s:
                results["other"] = backchecks.draw_week(s, sid, week, now).id
        except Exception as exc:  # reported below
            results["error"] = exc

    with srv.session() as s:
        mine = backchecks.draw_week(s, sid, week, now).id
        thread = threading.Thread(target=other)
        thread.start()
        if srv.backend == "postgresql":
            wait_for_lock_wait(srv)
    thread.join(timeout=60)
    assert "error" not in results, results.get("error")
    assert results["other"] == mine
    with srv.session() as s:
        assert s.scalar(select(func.count()).select_from(BackcheckDraw).where(BackcheckDraw.week == week)) == 1


def wait_for_lock_wait(srv: Seeded) -> None:
    """Until another connection waits on a lock (the second draw's insert on the unique index)."""
    deadline = utcnow() + dt.timedelta(seconds=30)
    with srv.engine.connect() as conn:
        while utcnow() < deadline:
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            ).scalar_one()
            conn.rollback()
            if waiting:
                return
    raise AssertionError("the second draw never waited on the first")


def test_a_week_not_over_is_not_drawn(srv: Seeded) -> None:
    week = dt.date(2026, 11, 30)
    with pytest.raises(ApiError) as caught:
        draw(srv, week, backchecks.week_start(week) + dt.timedelta(days=6, hours=23))
    assert caught.value.code == "backcheck_week_not_over"


def test_a_street_on_another_clock_has_its_own_weeks(srv: Seeded) -> None:
    """Weeks run Monday to Sunday in the street's time (its setting utc_offset_minutes): Monday 01:00 in
    China is still Sunday for a street on UTC, and China's week is over 8 hours before that street's."""
    sid = street_id(srv)
    week = dt.date(2026, 11, 16)
    moved = week_visits(srv, week)[25].id
    china_monday = backchecks.week_start(week, CHINA)
    with srv.session() as s:
        s.execute(update(Visit).where(Visit.id == moved).values(visited_at=china_monday + dt.timedelta(hours=1)))
        s.execute(update(OrgUnit).where(OrgUnit.id == sid).values(settings={"utc_offset_minutes": 0}))
    try:
        with srv.session() as s:
            in_china = {c.visit_id for c in backchecks.pool(s, sid, week, utcnow(), CHINA).candidates}
            in_utc = {c.visit_id for c in backchecks.pool(s, sid, week, utcnow(), dt.UTC).candidates}
            before_utc = backchecks.pool(s, sid, week - dt.timedelta(days=7), utcnow(), dt.UTC).candidates
        assert moved in in_china and moved not in in_utc and moved in {c.visit_id for c in before_utc}
        with pytest.raises(ApiError) as caught:
            draw(srv, dt.date(2026, 11, 30), backchecks.week_start(dt.date(2026, 12, 7), CHINA) + dt.timedelta(hours=1))
        assert caught.value.code == "backcheck_week_not_over"
    finally:
        with srv.session() as s:
            s.execute(update(OrgUnit).where(OrgUnit.id == sid).values(settings={}))


# --- the CLI and the pull ----------------------------------------------------------------------------


def test_the_cli_draws_a_week_once_and_audits_it(srv: Seeded) -> None:
    out = srv.cli("backchecks", "draw", "--street", STREET, "--week", "2026-10-28")  # a Wednesday
    assert f"{STREET} week of 2026-10-26:" in out
    assert srv.cli("backchecks", "draw", "--street", STREET, "--week", "2026-10-26").split("(")[0] == out.split("(")[0]
    audit = srv.cli("backchecks", "audit", "--street", STREET, "--week", "2026-10-26")
    assert "2026-10-26" in audit and ": same" in audit
    with srv.session() as s:
        row = s.scalar(select(BackcheckDraw).where(BackcheckDraw.week == dt.date(2026, 10, 26)))
        assert row is not None
        victim = s.scalars(select(Backcheck).where(Backcheck.draw_id == row.id)).first()
        assert victim is not None
        s.execute(update(Backcheck).where(Backcheck.id == victim.id).values(reason="tampered"))
    code, text_ = srv.cli_fails("backchecks", "audit", "--street", STREET, "--week", "2026-10-26")
    assert code == 1 and "DIFFERENT" in text_
    code, text_ = srv.cli_fails("backchecks", "draw", "--week", utcnow().date().isoformat())
    assert code == 2 and "once it is over" in text_


def test_a_reviewers_first_pull_of_a_week_draws_the_last_week(srv: Seeded) -> None:
    """Visits of last week (whatever day the tests run on: old visits moved into it) get drawn by the
    first pull of a supervisor or station; a worker's pull draws nothing."""
    week = backchecks.last_week(utcnow())
    start = backchecks.week_start(week)
    old = [v.id for v in week_visits(srv, dt.date(2026, 11, 16))[:20]]
    with srv.session() as s:
        for i, vid in enumerate(old):
            at = start + dt.timedelta(days=1, minutes=10 * i)
            s.execute(
                update(Visit).where(Visit.id == vid).values(visited_at=at, received_at=at + dt.timedelta(hours=1))
            )

    def draws() -> int:
        with srv.session() as s:
            return int(s.scalar(select(func.count()).select_from(BackcheckDraw).where(BackcheckDraw.week == week)) or 0)

    worker = srv.device("demo")
    worker.pull()
    assert draws() == 0  # a worker's pull draws nothing
    supervisor_pages = srv.device("supervisor").pull()
    assert draws() == 1
    station_pages = srv.device("station01").pull()
    assert draws() == 1
    with srv.session() as s:
        row = s.scalar(select(BackcheckDraw).where(BackcheckDraw.week == week))
        assert row is not None
        picks = {
            (b.id, no, hid, b.worker_id, grid)
            for b, no, hid, grid in s.execute(
                select(Backcheck, Visit.no, Visit.household_id, Household.grid_id)
                .join(Visit, Visit.id == Backcheck.visit_id)
                .join(Household, Household.id == Visit.household_id)
                .where(Backcheck.draw_id == row.id)
            )
        }
    # the review scopes' pull sends them as the codec's rows: the supervisor the street's, the station
    # its community's (the demo grid)
    assert picks
    for pages, grids in ((supervisor_pages, {p[4] for p in picks}), (station_pages, {srv.grid("demo").id})):
        rows = [decode_backcheck(r) for page in pages for r in page.get("upserts", {}).get("backcheck", [])]
        got = {(r.id, r.visit_no, r.household_id, r.worker_id) for r in rows if r.week == week}
        assert got == {p[:4] for p in picks if p[4] in grids}
        assert all(r.result == "" and r.checked_by is None for r in rows if r.week == week)
    # and the worker never learns which of their visits will be called
    assert not any("backcheck" in page.get("upserts", {}) for page in worker.pull())
    assert not any(scope.startswith("r:") for scope in worker.cursors)


# --- results pushed ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checks(srv: Seeded) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Back-checks of the demo worker's grid (station01's community): (id, household)."""
    week = dt.date(2026, 10, 12)
    with srv.session() as s:  # the street asks for at least 5 a worker (a setting of the street)
        s.execute(update(OrgUnit).where(OrgUnit.code == STREET).values(settings={"backcheck_min": 5}))
    row = draw(srv, week, backchecks.week_start(week + dt.timedelta(days=8)))
    with srv.session() as s:
        s.execute(update(OrgUnit).where(OrgUnit.code == STREET).values(settings={}))
    assert row.params["min"] == 5
    grid = srv.grid("demo").id
    with srv.session() as s:
        found = s.execute(
            select(Backcheck.id, Visit.household_id)
            .join(Visit, Visit.id == Backcheck.visit_id)
            .join(Household, Household.id == Visit.household_id)
            .where(Backcheck.draw_id == row.id, Household.grid_id == grid)
            .order_by(Backcheck.id)
        ).all()
    assert len(found) >= 4
    return [(bid, hid) for bid, hid in found]


def result(bid: uuid.UUID, hid: uuid.UUID, outcome: str, note: str = "") -> Mut:
    return Mut("backcheck.result", {"id": str(bid), "household_id": str(hid), "result": outcome, "note": note})


def stored(srv: Seeded, bid: uuid.UUID) -> Backcheck:
    with srv.session() as s:
        return s.get_one(Backcheck, bid)


def test_a_station_records_a_result_once_and_confirmed_is_final(
    srv: Seeded, checks: list[tuple[uuid.UUID, uuid.UUID]]
) -> None:
    bid, hid = checks[0]
    station = srv.device("station01")
    first = result(bid, hid, "confirmed", "居民确认网格员上门")
    assert station.push_one(first)["status"] == "applied"
    row = stored(srv, bid)
    assert (row.result, row.note, row.checked_by) == ("confirmed", "居民确认网格员上门", station.user_id)
    assert row.checked_at is not None
    # the same mutation again: its stored result, nothing applied twice
    again = station.send(
        [{"seq": station.next_seq - 1, "id": str(first.id), "kind": first.kind, "payload": first.payload}]
    )
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "applied"
    before = logged_version(srv, bid)
    later = station.push_one(result(bid, hid, "denied"))
    assert (later["status"], later["code"]) == ("rejected", "backcheck_closed")
    assert stored(srv, bid).result == "confirmed"
    assert logged_version(srv, bid) > before  # the server's row goes to the reviewers' copies again
    # the supervisor of the street cannot change it either
    assert srv.device("supervisor").push_one(result(bid, hid, "unreachable"))["code"] == "backcheck_closed"


def logged_version(srv: Seeded, bid: uuid.UUID) -> int:
    with srv.session() as s:
        return int(
            s.scalar(select(ChangeLog.version).where(ChangeLog.entity == "backcheck", ChangeLog.entity_id == bid)) or 0
        )


def test_unreachable_may_be_called_again(srv: Seeded, checks: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    bid, hid = checks[1]
    supervisor = srv.device("supervisor")
    assert supervisor.push_one(result(bid, hid, "unreachable", "无人接听"))["status"] == "applied"
    assert supervisor.push_one(result(bid, hid, "unreachable"))["status"] == "applied"
    assert supervisor.push_one(result(bid, hid, "denied", "居民说没人来过"))["status"] == "applied"
    assert (stored(srv, bid).result, stored(srv, bid).note) == ("denied", "居民说没人来过")


def test_who_may_record_a_result(srv: Seeded, checks: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    bid, hid = checks[2]
    cases = [
        (srv.device("demo"), result(bid, hid, "confirmed"), "backcheck_not_allowed"),  # the worker
        (srv.device("station02"), result(bid, hid, "confirmed"), "out_of_scope"),  # another community
        (srv.device("station01"), result(uuid.uuid4(), hid, "confirmed"), "backcheck_unknown"),
        (srv.device("station01"), result(bid, checks[3][1], "confirmed"), "backcheck_unknown"),  # other household
    ]
    for dev, mut, code in cases:
        answer = dev.push_one(mut)
        assert (answer["status"], answer["code"]) == ("rejected", code), (dev.username, answer)
    assert stored(srv, bid).result == ""
    # a reviewer whose own visit was drawn does not check it
    station = srv.device("station01")
    with srv.session() as s:
        s.execute(update(Backcheck).where(Backcheck.id == bid).values(worker_id=station.user_id))
    answer = station.push_one(result(bid, hid, "confirmed"))
    assert (answer["status"], answer["code"]) == ("rejected", "backcheck_own_visit")
    r = station.send(
        station.batch(Mut("backcheck.result", {"id": str(bid), "household_id": str(hid), "result": "maybe"}))
    )
    assert r.json()["results"][0]["code"] == "invalid"


def test_each_workers_failure_rate(srv: Seeded, checks: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    station = srv.device("station01")
    grid = srv.grid("demo").id
    with srv.session() as s:
        before = {w.worker_id: w for w in backchecks.worker_checks(s, [grid], since=dt.date(2026, 10, 12))}
    bid, hid = checks[3]
    assert station.push_one(result(bid, hid, "denied"))["status"] == "applied"
    with srv.session() as s:
        after = {w.worker_id: w for w in backchecks.worker_checks(s, [grid], since=dt.date(2026, 10, 12))}
    worker = stored(srv, bid).worker_id
    b, a = before[worker], after[worker]
    assert (a.denied, a.confirmed) == (b.denied + 1, b.confirmed)
    assert a.failure_rate == a.denied / (a.confirmed + a.denied)


def test_a_reviewer_lists_the_weeks_back_checks_of_their_area(
    srv: Seeded, checks: list[tuple[uuid.UUID, uuid.UUID]]
) -> None:
    station = srv.device("station01")
    r = station.get("/v1/backchecks", params={"week": "2026-10-14"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["week"] == "2026-10-12"
    assert {uuid.UUID(b["id"]) for b in body["backchecks"]} == {bid for bid, _ in checks}  # its community only
    with srv.session() as s:
        expected = backchecks.worker_checks(s, [srv.grid("demo").id])
    assert [(uuid.UUID(w["worker_id"]), w["denied"], w["failure_rate"]) for w in body["workers"]] == [
        (w.worker_id, w.denied, w.failure_rate) for w in expected
    ]
    assert len(
        srv.device("supervisor").get("/v1/backchecks", params={"week": "2026-10-12"}).json()["backchecks"]
    ) > len(checks)
    assert error_code(srv.device("demo").get("/v1/backchecks")) == "forbidden"
    assert srv.device("supervisor").get("/v1/backchecks", params={"week": "next monday"}).status_code == 422


def test_due_finds_the_reviewers_street_in_one_read(srv: Seeded) -> None:
    """A station (its community's street) and a supervisor (their street) are due a week not drawn
    yet; nobody is due a drawn week; a worker or an admin never is."""
    sid = street_id(srv)
    with srv.session() as s:
        users = {
            u.username: u
            for u in s.scalars(select(User).where(User.username.in_(["station03", "supervisor", "demo", "admin"])))
        }
    draw(srv, dt.date(2026, 8, 3), backchecks.week_start(dt.date(2026, 8, 10)))  # before the demo's visits
    undrawn = backchecks.week_start(dt.date(2026, 8, 5))  # last week: 2026-07-27
    drawn_week = backchecks.week_start(dt.date(2026, 8, 12))  # last week: 2026-08-03
    for name in ("station03", "supervisor", "demo", "admin"):
        u = users[name]
        p = Principal(u.id, u.username, u.role, u.org_unit_id, uuid.uuid4())
        with srv.session() as s:
            reviewer = u.role in ("station", "supervisor")
            assert backchecks.due(s, p, undrawn) == ((sid, dt.date(2026, 7, 27)) if reviewer else None)
            assert backchecks.due(s, p, drawn_week) is None
