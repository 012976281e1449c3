"""The review of visits on the server (issue 12), on SQLite and PostgreSQL with a real server process:
visit numbers, the review state machine through ``visit.review``, an amendment that crosses a review,
the review scopes a reviewer pulls and the review columns a worker's laptop gets back."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from gridworker_server import admin, upgrades
from gridworker_server.db import Database
from gridworker_server.demo_city import generate_city
from gridworker_server.models import ChangeLog, Household, OrgUnit, ServerMeta, Visit, VisitReview
from gridworker_shared.codec import ReviewHouseholdRecord, decode_review_household
from gridworker_shared.domain.review import StreetSettings
from tests.server.support import CHINA, Device, Grid, Mut, Seeded, error_code, new_request, visit


def review(household_id: uuid.UUID, no: int, action: str, **fields: Any) -> Mut:
    return Mut(
        "visit.review",
        {"id": str(uuid.uuid4()), "visit_no": no, "household_id": str(household_id), "action": action, **fields},
    )


def amend(of: Mut, notes: str) -> Mut:
    return Mut("visit.amend", {**of.payload, "id": str(uuid.uuid4()), "amends": of.payload["id"], "notes": notes})


def number(server: Seeded, visit_id: str | uuid.UUID) -> int:
    found = server.visit(uuid.UUID(str(visit_id)))
    assert found is not None
    return found.no


def review_rows(pages: list[dict[str, Any]]) -> dict[uuid.UUID, ReviewHouseholdRecord]:
    out: dict[uuid.UUID, ReviewHouseholdRecord] = {}
    for page in pages:
        for row in page.get("upserts", {}).get("review", []):
            record = decode_review_household(row)
            out[record.id] = record
    return out


@pytest.fixture(scope="module")
def supervisor(server: Seeded) -> Device:
    return server.device("supervisor")


def test_pushed_visits_get_ascending_numbers_and_their_form_time(server: Seeded) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    h1, h2 = server.take(grid, 2)
    first, second = visit(h1), visit(h2)
    first.payload["form_seconds"] = 95
    assert [r["status"] for r in worker.push(first, second)] == ["applied", "applied"]
    with server.session() as s:
        top = s.scalar(select(Visit.no).order_by(Visit.no.desc()).limit(1))
        rows = {v.id: v for v in s.scalars(select(Visit).where(Visit.household_id.in_([h1, h2])))}
    a, b = rows[uuid.UUID(first.payload["id"])], rows[uuid.UUID(second.payload["id"])]
    assert b.no == a.no + 1 and b.no == top
    assert (a.form_seconds, b.form_seconds) == (95, None)
    assert a.review_state == "pending"


def test_a_return_reaches_the_worker_and_the_amendment_supersedes_the_returned_visit(
    server: Seeded, supervisor: Device
) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    (hid,) = server.take(grid)
    original = visit(hid, notes="楼道堆物已清理")
    worker.push_one(original)
    no = number(server, original.payload["id"])

    back = review(hid, no, "return", reason="incomplete", comment="请补充见到的人员", pins=["seen"])
    result = supervisor.push_one(back)
    assert (result["status"], result["data"]["state"]) == ("applied", "returned")

    worker.pull()
    (row,) = [v for v in worker.households[hid]["visits"] if v["id"] == uuid.UUID(original.payload["id"])]
    assert (row["no"], row["review_state"], row["review_reason"]) == (no, "r", "incomplete")
    assert (row["review_comment"], row["review_pins"]) == ("请补充见到的人员", ["seen"])

    fixed = amend(original, "楼道堆物已清理，见到户主")
    assert worker.push_one(fixed)["status"] == "applied"
    with server.session() as s:
        mine = s.scalars(select(Visit).where(Visit.household_id == hid))
        states = {v.id: (v.review_state, v.amends_id) for v in mine}
        ours = [uuid.UUID(original.payload["id"]), uuid.UUID(fixed.payload["id"])]
        kept = s.scalars(select(VisitReview).where(VisitReview.visit_id.in_(ours)))
        actions = sorted((e.action, e.from_state, e.to_state, e.effective) for e in kept)
    assert states[uuid.UUID(original.payload["id"])] == ("amended", None)
    assert states[uuid.UUID(fixed.payload["id"])] == ("pending", uuid.UUID(original.payload["id"]))
    assert actions == [("amend", "returned", "amended", True), ("return", "pending", "returned", True)]


def test_a_review_that_crosses_an_amendment_is_kept_and_names_the_correction(
    server: Seeded, supervisor: Device
) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    (hid,) = server.take(grid)
    original = visit(hid, notes="见到户主")
    worker.push_one(original)
    no = number(server, original.payload["id"])
    assert supervisor.push_one(review(hid, no, "approve"))["data"]["state"] == "approved"
    # an approved visit corrected by its worker is superseded all the same: the correction is reviewed
    fixed = amend(original, "见到户主和配偶")
    assert worker.push_one(fixed)["status"] == "applied"
    fixed_no = number(server, fixed.payload["id"])

    late = review(hid, no, "reopen", comment="重新核实")
    result = supervisor.push_one(late)

    assert (result["status"], result["code"]) == ("conflict", "review_superseded")
    assert result["data"]["amended_by"] == fixed_no
    with server.session() as s:
        event = s.get(VisitReview, uuid.UUID(late.payload["id"]))
        assert event is not None
        assert (event.effective, event.from_state, event.to_state) == (False, "amended", "amended")
        assert s.scalar(select(Visit.review_state).where(Visit.no == no)) == "amended"


def test_the_state_machine_refuses_what_its_state_does_not_allow_and_keeps_the_attempt(
    server: Seeded, supervisor: Device
) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    (hid,) = server.take(grid)
    v = visit(hid)
    worker.push_one(v)
    no = number(server, v.payload["id"])
    approve, again = review(hid, no, "approve"), review(hid, no, "approve")
    results = supervisor.push(approve, again, review(hid, no, "return"), review(hid, no, "reopen"))
    assert [(r["status"], r["code"]) for r in results] == [
        ("applied", ""),
        ("conflict", "review_not_allowed"),
        ("rejected", "review_reason_required"),
        ("rejected", "review_comment_required"),
    ]
    with server.session() as s:
        kept = s.get(VisitReview, uuid.UUID(again.payload["id"]))
        assert kept is not None and not kept.effective
        assert s.scalar(select(Visit.review_state).where(Visit.no == no)) == "approved"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"action": "return", "reason": "other"}, "review_comment_required"),
        ({"action": "return", "reason": "nonsense"}, "review_reason_required"),
        ({"action": "approve", "reason": "incomplete"}, "review_reason_not_allowed"),
        ({"action": "approve", "pins": ["seen"]}, "review_pins_not_allowed"),
        ({"action": "return", "reason": "incomplete", "pins": ["password"]}, "review_pins_unknown"),
    ],
)
def test_a_review_without_what_it_must_carry_is_refused_and_changes_nothing(
    server: Seeded, supervisor: Device, fields: dict[str, Any], code: str
) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    (hid,) = server.take(grid)
    v = visit(hid)
    worker.push_one(v)
    no = number(server, v.payload["id"])
    fields = dict(fields)
    action = fields.pop("action")
    result = supervisor.push_one(review(hid, no, action, **fields))
    assert (result["status"], result["code"]) == ("rejected", code)
    with server.session() as s:
        assert s.scalar(select(Visit.review_state).where(Visit.no == no)) == "pending"
        assert s.scalars(select(VisitReview).join(Visit).where(Visit.no == no)).all() == []


def test_a_review_of_an_unknown_number_or_of_another_household_is_refused(server: Seeded, supervisor: Device) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    h1, h2 = server.take(grid, 2)
    v = visit(h1)
    worker.push_one(v)
    no = number(server, v.payload["id"])
    results = supervisor.push(review(h2, no, "approve"), review(h1, 10**12, "approve"))
    assert [r["code"] for r in results] == ["review_visit_unknown", "review_visit_unknown"]


def test_a_reviewer_pulls_review_rows_and_visitless_households(server: Seeded) -> None:
    station, worker, grid = server.device("station01"), server.device("demo"), server.grid("demo")
    (hid,) = server.take(grid)
    v = visit(hid, notes="见到户主")
    asked = visit(hid, notes="反映楼道堆物", requests_=[new_request()])
    worker.push(v, asked)
    no = number(server, v.payload["id"])
    approve = review(hid, no, "approve")
    assert station.push_one(approve)["status"] == "applied"

    pages = station.pull()

    assert all(h["visits"] == [] for h in station.households.values())
    rows = review_rows(pages)
    assert rows, "a station's first pull carries its grids' review rows"
    mine = rows[hid]
    (seen,) = [x for x in mine.visits if x.no == no]
    # a visit travels by its number; only one that requests name (in the grid scope) carries its id
    assert (seen.id, seen.notes, seen.state, seen.form_seconds) == (None, "见到户主", "approved", None)
    assert [x.id for x in mine.visits if x.no == number(server, asked.payload["id"])] == [
        uuid.UUID(asked.payload["id"])
    ]
    assert seen.worker_id == worker.user_id
    assert [(e.id, e.action, e.state, e.actor_id) for e in mine.events if e.visit_no == no] == [
        (uuid.UUID(approve.payload["id"]), "approve", "approved", station.user_id)
    ]
    assert [x.no for x in mine.visits] == sorted(x.no for x in mine.visits)
    # the next change to the household's review comes as its row again, in the grid's review scope
    comment = review(hid, no, "comment", comment="电话已核实")
    assert station.push_one(comment)["status"] == "applied"
    again = review_rows(station.pull())
    assert list(again) == [hid]
    assert [e.action for e in again[hid].events if e.visit_no == no] == ["approve", "comment"]


# --- flags raised at push ------------------------------------------------------------------------------


def at(days_ago: int, hour: int, minute: int = 0) -> str:
    day = dt.datetime.now(CHINA).date() - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHINA).isoformat()


def timed(household_id: uuid.UUID, when: str, **payload: Any) -> Mut:
    m = visit(household_id)
    m.payload.update(visited_at=when, **payload)
    return m


def take_from(server: Seeded, households: list[uuid.UUID], n: int) -> list[uuid.UUID]:
    """Households of the list no other test used (the same bookkeeping as Seeded.take)."""
    fresh = [h for h in sorted(households) if h not in server._taken][:n]
    assert len(fresh) == n
    server._taken.update(fresh)
    return fresh


def flags(server: Seeded, m: Mut, *, late: bool = True) -> list[str]:
    """The visit's flags; ``late=False`` leaves out late_entry (a visit pushed days after its time)."""
    found = server.visit(uuid.UUID(m.payload["id"]))
    assert found is not None
    return [f for f in found.flags if late or f != "late_entry"]


def test_a_visit_gets_its_own_flags_at_push(server: Seeded) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    h1, h2 = server.take(grid, 2)
    late_night = timed(h1, at(3, 23, 30), form_seconds=12)
    daytime = timed(h2, at(1, 10, 0), form_seconds=30)
    worker.push(late_night, daytime)
    assert sorted(flags(server, late_night)) == ["late_entry", "off_hours", "short_form"]
    assert flags(server, daytime) == []


def test_identical_notes_flag_both_visits_and_the_earlier_households_row_goes_out_again(server: Seeded) -> None:
    worker, grid, supervisor = server.device("demo"), server.grid("demo"), server.device("supervisor")
    h1, h2 = server.take(grid, 2)
    notes = f"入户走访，宣传反诈知识，老人身体尚可，{uuid.uuid4().hex[:6]}"
    first = timed(h1, at(6, 9, 0), notes=notes)
    worker.push_one(first)
    supervisor.pull()
    second = timed(h2, at(4, 15, 0), notes=notes)
    worker.push_one(second)
    assert flags(server, first, late=False) == flags(server, second, late=False) == ["same_notes"]
    rows = review_rows(supervisor.pull())
    assert {h1, h2} <= set(rows)
    first_no = number(server, first.payload["id"])
    assert [v.flags for v in rows[h1].visits if v.no == first_no] == [flags(server, first)]
    assert "same_notes" in flags(server, first)


def test_the_third_not_home_running_is_flagged(server: Seeded) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    (hid,) = server.take(grid)
    # before the demo city's history: the household's only visits are these
    tries = [timed(hid, at(days, 11, 0), outcome="not_home") for days in (100, 99, 98)]
    worker.push(*tries)
    assert [flags(server, m, late=False) for m in tries] == [[], [], ["not_home_streak"]]


def three_households_of_two_buildings(server: Seeded, grid: Grid) -> list[uuid.UUID]:
    """Two untouched households of one building of the grid and one of another."""
    with server.session() as s:
        rows = s.execute(select(Household.id, Household.building).where(Household.grid_id == grid.id)).all()
    by_building: dict[str, list[uuid.UUID]] = {}
    for hid, building in rows:
        by_building.setdefault(building, []).append(hid)
    buildings = [b for b in by_building if by_building[b]]
    assert len(buildings) >= 2
    return take_from(server, by_building[buildings[0]], 2) + take_from(server, by_building[buildings[1]], 1)


def test_households_of_different_buildings_within_minutes_are_all_flagged(server: Seeded) -> None:
    worker, grid = server.device("demo"), server.grid("demo")
    picked = three_households_of_two_buildings(server, grid)
    # before the demo city's history: the worker's only visits of the day are these
    quick = [timed(h, at(110, 14, minute)) for h, minute in zip(picked, (0, 4, 9), strict=True)]
    spaced = timed(server.take(grid)[0], at(110, 14, 40))
    worker.push(*quick, spaced)
    assert [flags(server, m, late=False) for m in quick] == [["rapid_sequence"]] * 3
    assert flags(server, spaced, late=False) == []


def test_a_push_that_completes_a_cluster_or_a_streak_flags_the_earlier_visits_too(server: Seeded) -> None:
    """The rules see the visits of earlier pushes: the third visit of a rapid cluster flags the two
    already stored (an update of theirs), and the third 不在家 running is flagged across pushes."""
    worker, grid = server.device("demo"), server.grid("demo")
    picked = three_households_of_two_buildings(server, grid)
    quick = [timed(h, at(120, 15, minute)) for h, minute in zip(picked, (0, 4, 9), strict=True)]
    worker.push(*quick[:2])
    assert [flags(server, m, late=False) for m in quick[:2]] == [[], []]
    worker.push(quick[2])
    assert [flags(server, m, late=False) for m in quick] == [["rapid_sequence"]] * 3
    (hid,) = server.take(grid)
    tries = [timed(hid, at(days, 11, 0), outcome="not_home") for days in (130, 129, 128)]
    worker.push(*tries[:2])
    worker.push(tries[2])
    assert [flags(server, m, late=False) for m in tries] == [[], [], ["not_home_streak"]]


# --- a street's settings -------------------------------------------------------------------------------


def test_a_streets_settings_are_read_by_its_reviewers_set_by_its_supervisor_and_reach_laptops_and_flags(
    fresh_server: Seeded,
) -> None:
    server = fresh_server
    with server.session() as s:
        street = s.scalars(select(OrgUnit).where(OrgUnit.kind == "street")).one()
    path = f"/v1/streets/{street.id}/settings"
    worker, station, supervisor = server.device("demo"), server.device("station01"), server.device("supervisor")
    assert supervisor.get(path).json() == StreetSettings().to_dict()
    assert station.get(path).status_code == 200
    assert (worker.get(path).status_code, error_code(worker.get(path))) == (403, "forbidden")
    assert error_code(station.request("PUT", path, json={"min_form_seconds": 60})) == "forbidden"
    elsewhere = supervisor.get(f"/v1/streets/{uuid.uuid4()}/settings")
    assert (elsewhere.status_code, error_code(elsewhere)) == (404, "street_unknown")

    wrong = supervisor.request("PUT", path, json={"min_form_seconds": 60, "late_entry_hours": "soon"})
    assert (wrong.status_code, error_code(wrong)) == (422, "settings_invalid")
    assert wrong.json()["detail"]["field"] == "late_entry_hours"
    assert supervisor.get(path).json()["min_form_seconds"] == 30  # refused whole

    worker.pull()
    r = supervisor.request("PUT", path, json={"min_form_seconds": 60})
    assert r.status_code == 200, r.text
    assert r.json()["min_form_seconds"] == 60 and r.json()["late_entry_hours"] == 48
    worker.pull()
    assert worker.org_units[street.id]["settings"]["min_form_seconds"] == 60
    (hid,) = server.take(server.grid("demo"))
    slow = timed(hid, at(0, 10, 0) if dt.datetime.now(CHINA).hour >= 10 else at(1, 10, 0), form_seconds=45)
    worker.push_one(slow)
    assert "short_form" in flags(server, slow)


# --- a database from before the review -----------------------------------------------------------------


def test_a_database_from_before_the_review_logs_its_review_rows_once(tmp_path: Path) -> None:
    """Migration 0009 numbered the visits; the first migrate after it puts every visited household
    into its grid's review scope, so a supervisor's first pull finds them (upgrades.REVIEW_ROWS)."""
    db = Database(f"sqlite:///{tmp_path / 'old.db'}", pool_size=1)
    try:
        db.migrate()
        with db.write() as s:
            admin.seed_demo(s, generate_city(grids_per_community=1, households_per_grid=(5, 6), history_days=20))
            s.execute(delete(ChangeLog).where(ChangeLog.entity == "review"))
            s.execute(delete(ServerMeta).where(ServerMeta.key == upgrades.REVIEW_ROWS))
        db.migrate()
        db.migrate()  # once: the marker is set
        with db.read() as s:
            logged = set(s.scalars(select(ChangeLog.entity_id).where(ChangeLog.entity == "review")))
            visited = set(s.scalars(select(Visit.household_id).distinct()))
            scopes = set(s.scalars(select(ChangeLog.scope).where(ChangeLog.entity == "review")))
            grids = set(s.scalars(select(Household.grid_id).where(Household.id.in_(visited))))
        assert logged == visited and visited
        assert scopes == {f"r:{g.hex}" for g in grids}
    finally:
        db.dispose()
