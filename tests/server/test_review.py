"""The review of visits on the server (issue 12), on SQLite and PostgreSQL with a real server process:
visit numbers, the review state machine through ``visit.review``, an amendment that crosses a review,
the review scopes a reviewer pulls and the review columns a worker's laptop gets back."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from gridworker_server.models import Visit, VisitReview
from gridworker_shared.codec import ReviewHouseholdRecord, decode_review_household
from tests.server.support import Device, Mut, Seeded, visit


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
        kept = s.scalars(select(VisitReview).join(Visit).where(Visit.household_id == hid))
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
    worker.push_one(v)
    no = number(server, v.payload["id"])
    approve = review(hid, no, "approve")
    assert station.push_one(approve)["status"] == "applied"

    pages = station.pull()

    assert all(h["visits"] == [] for h in station.households.values())
    rows = review_rows(pages)
    assert rows, "a station's first pull carries its grids' review rows"
    mine = rows[hid]
    (seen,) = [x for x in mine.visits if x.no == no]
    assert (seen.id, seen.notes, seen.state) == (uuid.UUID(v.payload["id"]), "见到户主", "approved")
    assert seen.worker_id == worker.user_id
    assert [(e.id, e.action, e.state, e.actor_id) for e in mine.events] == [
        (uuid.UUID(approve.payload["id"]), "approve", "approved", station.user_id)
    ]
    assert [x.no for x in mine.visits] == sorted(x.no for x in mine.visits)
    # the next change to the household's review comes as its row again, in the grid's review scope
    comment = review(hid, no, "comment", comment="电话已核实")
    assert station.push_one(comment)["status"] == "applied"
    again = review_rows(station.pull())
    assert list(again) == [hid]
    assert [e.action for e in again[hid].events] == ["approve", "comment"]
