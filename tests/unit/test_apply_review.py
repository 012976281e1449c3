"""Applying the review scopes ("r:<grid>") and the review columns of a worker's visits: review rows
replace a household's review visits, flags and events; back-checks are replaced; a removal, a reset or
a scope the user left clears that grid's rows only; this laptop's own review still in the outbox stays
marked. Rows are built with the codec's encoders, as the server writes them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select, update

from gridworker.store.db import Database
from gridworker.store.models import (
    Backcheck,
    Household,
    OrgUnit,
    Outbox,
    Person,
    ResidentRequest,
    ReviewEvent,
    ReviewFlag,
    ReviewVisit,
    Visit,
)
from gridworker.store.services import LocalStore
from gridworker.syncing.apply import apply_page, defer_foreign_keys, pending_households
from gridworker.syncing.apply_review import UNKNOWN_GRID, settle_review_grids
from gridworker_server.demo_city import DemoCity
from gridworker_shared.codec import (
    BackcheckRecord,
    HouseholdRecord,
    MemberRecord,
    OrgUnitRecord,
    ReviewEventRecord,
    ReviewHouseholdRecord,
    ReviewVisitRecord,
    VisitRecord,
    encode_backcheck,
    encode_household,
    encode_org_unit,
    encode_review_household,
    pack_id,
)
from gridworker_shared.protocol import PullResponse, grid_scope, review_scope

EPOCH = uuid.uuid4()
T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
WORKER = uuid.uuid4()
REVIEWER = uuid.uuid4()


def apply(db: Database, **page: Any) -> dict[str, int]:
    with db.transaction() as s:
        defer_foreign_keys(s)
        counts = apply_page(s, PullResponse(epoch=EPOCH, **page), pending_households(s))
        settle_review_grids(s)
        return counts


def rvisit(
    no: int, state: str = "pending", flags: tuple[str, ...] = (), amends: int | None = None
) -> ReviewVisitRecord:
    at = T0 + dt.timedelta(hours=no)
    return ReviewVisitRecord(
        no,
        uuid.uuid4(),
        WORKER,
        at,
        at + dt.timedelta(minutes=5),
        "met",
        f"走访{no}",
        amends,
        [0],
        [],
        45,
        state,
        list(flags),
    )


def revent(no: int, action: str, state: str, effective: bool = True, **more: Any) -> ReviewEventRecord:
    return ReviewEventRecord(
        uuid.uuid4(),
        no,
        action,
        REVIEWER,
        T0 + dt.timedelta(days=1),
        more.get("reason", ""),
        more.get("comment", ""),
        more.get("pins", []),
        state,
        effective,
    )


def review_row(hid: uuid.UUID, visits: list[ReviewVisitRecord], events: list[ReviewEventRecord] = ()) -> list[Any]:  # type: ignore[assignment]
    return encode_review_household(ReviewHouseholdRecord(hid, visits, list(events)))


def backcheck(hid: uuid.UUID, no: int, result: str = "", bid: uuid.UUID | None = None) -> BackcheckRecord:
    return BackcheckRecord(
        bid or uuid.uuid4(), no, hid, WORKER, dt.date(2026, 11, 16), "sample", result, "", None, None
    )


def review_state(db: Database) -> dict[int, tuple[uuid.UUID, uuid.UUID, str, str]]:
    with db.reading() as s:
        return {v.no: (v.household_id, v.grid_id, v.state, v.pending_action) for v in s.scalars(select(ReviewVisit))}


def flags(db: Database) -> set[tuple[str, int]]:
    with db.reading() as s:
        return {(f.code, f.visit_no) for f in s.scalars(select(ReviewFlag))}


def events(db: Database) -> dict[int, list[tuple[str, str, bool]]]:
    out: dict[int, list[tuple[str, str, bool]]] = {}
    with db.reading() as s:
        for e in s.scalars(select(ReviewEvent).order_by(ReviewEvent.at, ReviewEvent.action)):
            out.setdefault(e.visit_no, []).append((e.action, e.state, e.effective))
    return out


def backchecks(db: Database) -> dict[uuid.UUID, tuple[str, str, uuid.UUID]]:
    with db.reading() as s:
        return {b.id: (b.result, b.pending_result, b.grid_id) for b in s.scalars(select(Backcheck))}


def two_grids(db: Database, grid: DemoCity) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """Two households of the seeded grid, the second moved to another grid (a street's laptop holds many)."""
    a, b = grid.households[0].id, grid.households[1].id
    other = uuid.uuid4()
    with db.transaction() as s:
        s.add(OrgUnit(id=other, code="G2", name="第二网格", kind="grid"))
        s.flush()
        s.execute(update(Household).where(Household.id == b).values(grid_id=other))
    return a, b, other


def test_review_rows_replace_a_households_visits_flags_and_events(seeded_db: Database, grid: DemoCity) -> None:
    hid = grid.households[0].id
    gid = grid.households[0].grid_id
    row = review_row(
        hid,
        [rvisit(7, "returned", ("short_form", "late_entry")), rvisit(9, "pending", (), amends=7)],
        [
            revent(7, "return", "returned", reason="incomplete", comment="人员没写", pins=["seen"]),
            revent(7, "amend", "amended"),
        ],
    )
    counts = apply(seeded_db, upserts={"review": [row]})
    assert counts["reviews"] == 1
    assert review_state(seeded_db) == {7: (hid, gid, "returned", ""), 9: (hid, gid, "pending", "")}
    assert flags(seeded_db) == {("short_form", 7), ("late_entry", 7)}
    assert events(seeded_db) == {7: [("amend", "amended", True), ("return", "returned", True)]}
    with seeded_db.reading() as s:
        nine = s.get(ReviewVisit, 9)
        assert nine is not None and nine.amends_no == 7 and nine.form_seconds == 45 and nine.seen == [0]
        ret = s.scalars(select(ReviewEvent).where(ReviewEvent.action == "return")).one()
        assert (ret.reason, ret.comment, ret.pins, ret.actor_id) == ("incomplete", "人员没写", ["seen"], REVIEWER)

    # the server's next row for the household is all of it: a visit it no longer lists goes, flags follow
    apply(seeded_db, upserts={"review": [review_row(hid, [rvisit(7, "amended", ("late_entry",))])]})
    assert review_state(seeded_db) == {7: (hid, gid, "amended", "")}
    assert flags(seeded_db) == {("late_entry", 7)}
    assert events(seeded_db) == {}


def test_an_unsent_review_stays_marked_until_the_outbox_has_sent_it(seeded_db: Database, grid: DemoCity) -> None:
    hid = grid.households[0].id
    apply(seeded_db, upserts={"review": [review_row(hid, [rvisit(3), rvisit(4)])]})
    reviewer = LocalStore(seeded_db, REVIEWER)
    reviewer.review_visit(3, "return", "incomplete", "请补充", ["notes"])
    assert review_state(seeded_db)[3][3] == "return"

    # a pull while the review waits (offline push failed): the server's row, the mark kept
    apply(seeded_db, upserts={"review": [review_row(hid, [rvisit(3), rvisit(4)])]})
    assert {no: v[2:] for no, v in review_state(seeded_db).items()} == {3: ("pending", "return"), 4: ("pending", "")}

    # sent and applied: the server's state, no mark
    with seeded_db.transaction() as s:
        s.execute(update(Outbox).where(Outbox.kind == "visit.review").values(state="applied"))
    apply(seeded_db, upserts={"review": [review_row(hid, [rvisit(3, "returned"), rvisit(4)])]})
    assert {no: v[2:] for no, v in review_state(seeded_db).items()} == {3: ("returned", ""), 4: ("pending", "")}


def test_backchecks_are_replaced_and_keep_an_unsent_result(seeded_db: Database, grid: DemoCity) -> None:
    hid, gid = grid.households[0].id, grid.households[0].grid_id
    first, second = backcheck(hid, 3), backcheck(hid, 4)
    apply(seeded_db, upserts={"backcheck": [encode_backcheck(first), encode_backcheck(second)]})
    assert backchecks(seeded_db) == {first.id: ("", "", gid), second.id: ("", "", gid)}
    LocalStore(seeded_db, REVIEWER).record_backcheck(first.id, "confirmed", "本人确认")
    apply(
        seeded_db,
        upserts={"backcheck": [encode_backcheck(first), encode_backcheck(backcheck(hid, 4, "denied", second.id))]},
    )
    assert backchecks(seeded_db) == {first.id: ("", "confirmed", gid), second.id: ("denied", "", gid)}
    with seeded_db.transaction() as s:
        s.execute(update(Outbox).where(Outbox.kind == "backcheck.result").values(state="applied"))
    apply(seeded_db, upserts={"backcheck": [encode_backcheck(backcheck(hid, 3, "confirmed", first.id))]})
    assert backchecks(seeded_db)[first.id] == ("confirmed", "", gid)


def test_removes_clear_only_that_scopes_grid(seeded_db: Database, grid: DemoCity) -> None:
    a, b, other = two_grids(seeded_db, grid)
    mine = grid.households[0].grid_id
    bc_a, bc_b = backcheck(a, 1), backcheck(b, 2)
    apply(
        seeded_db,
        upserts={
            "review": [review_row(a, [rvisit(1)]), review_row(b, [rvisit(2, flags=("odd_hours",))])],
            "backcheck": [encode_backcheck(bc_a), encode_backcheck(bc_b)],
        },
    )
    assert {no: v[1] for no, v in review_state(seeded_db).items()} == {1: mine, 2: other}
    # a removal names the household in a scope it is not in: nothing goes
    apply(seeded_db, removes={review_scope(mine): {"review": [pack_id(b)], "backcheck": [pack_id(bc_b.id)]}})
    assert set(review_state(seeded_db)) == {1, 2}
    assert set(backchecks(seeded_db)) == {bc_a.id, bc_b.id}
    apply(seeded_db, removes={review_scope(other): {"review": [pack_id(b)], "backcheck": [pack_id(bc_b.id)]}})
    assert set(review_state(seeded_db)) == {1}
    assert flags(seeded_db) == set()
    assert set(backchecks(seeded_db)) == {bc_a.id}


@pytest.mark.parametrize("change", ["reset", "removed"])
def test_a_review_scope_reset_or_left_clears_its_grid(seeded_db: Database, grid: DemoCity, change: str) -> None:
    a, b, other = two_grids(seeded_db, grid)
    apply(
        seeded_db,
        upserts={
            "review": [
                review_row(a, [rvisit(1, flags=("late_entry",))], [revent(1, "comment", "pending", comment="看看")]),
                review_row(b, [rvisit(2, flags=("late_entry",))], [revent(2, "question", "questioned")]),
            ],
            "backcheck": [encode_backcheck(backcheck(a, 1)), encode_backcheck(backcheck(b, 2))],
        },
    )
    households = {h.id for h in grid.households}
    apply(seeded_db, **{change: [review_scope(other)]})
    assert set(review_state(seeded_db)) == {1}
    assert flags(seeded_db) == {("late_entry", 1)}
    assert set(events(seeded_db)) == {1}
    assert [v[2] for v in backchecks(seeded_db).values()] == [grid.households[0].grid_id]
    with seeded_db.reading() as s:  # the grid's households (its "g:" scope) are not the review scope's
        assert set(s.scalars(select(Household.id))) == households


def test_a_review_row_before_its_household_takes_its_grid_at_the_end_of_the_pull(
    seeded_db: Database, grid: DemoCity
) -> None:
    hid, gid = uuid.uuid4(), grid.households[0].grid_id
    with seeded_db.transaction() as s:
        defer_foreign_keys(s)
        # the review scope's page first (the household's page follows in the same pull)
        apply_page(s, PullResponse(epoch=EPOCH, upserts={"review": [review_row(hid, [rvisit(5)])]}), set())
        assert s.get(ReviewVisit, 5).grid_id == UNKNOWN_GRID  # type: ignore[union-attr]
        record = HouseholdRecord(
            hid, gid, None, "幸福里", "9", "1", 1, "101", "", "", [], None, None, None, None, 1, [], [], [], []
        )
        apply_page(s, PullResponse(epoch=EPOCH, upserts={"household": [encode_household(record)]}), set())
        settle_review_grids(s)
    assert review_state(seeded_db)[5][:2] == (hid, gid)


def local_household(db: Database, hid: uuid.UUID, visits: list[VisitRecord]) -> list[Any]:
    """The household as the server sends it to a worker, with ``visits`` (its members as the laptop has them)."""
    with db.reading() as s:
        h = s.get(Household, hid)
        assert h is not None
        members = [
            MemberRecord(p.id, p.name, p.relation, p.phone, p.id_number, p.sex, p.birth_date, not p.active, p.version)
            for p in s.scalars(select(Person).where(Person.household_id == hid).order_by(Person.position))
        ]
        record = HouseholdRecord(
            h.id,
            h.grid_id,
            h.micro_grid_id,
            h.compound,
            h.building,
            h.unit,
            h.floor,
            h.room,
            h.phone,
            h.notes,
            [],
            None,
            dt.date(2025, 1, 1),
            h.last_met_on,
            h.last_attempt_on,
            h.version + 1,
            members,
            visits,
            [],
            [],
        )
    return encode_household(record)


def test_a_workers_visits_take_their_number_and_review(seeded_db: Database, grid: DemoCity) -> None:
    hid = grid.households[0].id
    with seeded_db.reading() as s:
        old = s.scalars(select(Visit).where(Visit.household_id == hid)).first()
        assert old is not None
        old_id, old_at, old_worker = old.id, old.visited_at.replace(tzinfo=dt.UTC), old.worker_id
    new_id = uuid.uuid4()
    rows = [
        VisitRecord(
            old_id,
            old_worker,
            old_at,
            "met",
            "原来的",
            None,
            [],
            [],
            12,
            "returned",
            "wrong_people",
            "不是户主",
            ["seen", "notes"],
        ),
        VisitRecord(new_id, old_worker, T0, "not_home", "", None, [], [], 13, "questioned"),
    ]
    apply(seeded_db, upserts={"household": [local_household(seeded_db, hid, rows)]})
    with seeded_db.reading() as s:
        got = {
            v.id: (v.no, v.review_state, v.review_reason, v.review_comment, v.review_pins)
            for v in s.scalars(select(Visit).where(Visit.id.in_([old_id, new_id])))
        }
    assert got == {
        old_id: (12, "returned", "wrong_people", "不是户主", ["seen", "notes"]),
        new_id: (13, "questioned", "", "", []),
    }
    # the amendment approved: the original superseded, its return's words gone with the state
    rows = [rows[0]._replace(review_state="amended", review_reason="", review_comment="", review_pins=[]), rows[1]]
    apply(seeded_db, upserts={"household": [local_household(seeded_db, hid, rows)]})
    with seeded_db.reading() as s:
        v = s.get(Visit, old_id)
        assert v is not None and (v.review_state, v.review_reason, v.review_pins) == ("amended", "", [])


def test_a_reviewers_household_without_visits_drops_nothing(seeded_db: Database, grid: DemoCity) -> None:
    """A reviewer's grid scope sends households without their visits (those travel by number in the
    review scope): the household applies, its local visits and requests stay."""
    hid = grid.households[0].id
    with seeded_db.reading() as s:
        visits = set(s.scalars(select(Visit.id).where(Visit.household_id == hid)))
        requests = set(s.scalars(select(ResidentRequest.id).where(ResidentRequest.household_id == hid)))
    assert visits
    counts = apply(
        seeded_db,
        upserts={
            "household": [local_household(seeded_db, hid, [])],
            "review": [review_row(hid, [rvisit(1)])],
        },
    )
    assert counts["applied"] == 1
    with seeded_db.reading() as s:
        assert set(s.scalars(select(Visit.id).where(Visit.household_id == hid))) == visits
        assert set(s.scalars(select(ResidentRequest.id).where(ResidentRequest.household_id == hid))) == requests
    assert set(review_state(seeded_db)) == {1}


def test_an_org_units_settings_are_kept(db: Database) -> None:
    street = uuid.uuid4()
    settings = {"min_form_seconds": 20, "coverage_goal": 0.95, "streets": ["幸福街"]}
    apply(
        db,
        upserts={
            "org_unit": [encode_org_unit(OrgUnitRecord(street, "S1", "幸福街道", "street", None, "", "", settings))]
        },
    )
    with db.reading() as s:
        unit = s.get(OrgUnit, street)
        assert unit is not None and unit.settings == settings
    apply(db, upserts={"org_unit": [encode_org_unit(OrgUnitRecord(street, "S1", "幸福街道", "street", None, "", ""))]})
    with db.reading() as s:
        unit = s.get(OrgUnit, street)
        assert unit is not None and unit.settings == {}


def test_unreadable_review_rows_are_left_out(seeded_db: Database, grid: DemoCity) -> None:
    hid = grid.households[0].id
    good = review_row(hid, [rvisit(1)])
    counts = apply(seeded_db, upserts={"review": [[pack_id(hid), [], [["x"]]], good], "backcheck": [[pack_id(hid)]]})
    assert counts["reviews"] == 1
    assert set(review_state(seeded_db)) == {1}
    assert backchecks(seeded_db) == {}
    assert grid_scope(grid.households[0].grid_id)  # the scopes' keys are the protocol's


def test_a_page_of_many_households_applies_each_once(seeded_db: Database, grid: DemoCity) -> None:
    """A street's first sync: many households a page, each replaced as a whole; a household listed
    twice in one page ends as its later row."""
    ids = [h.id for h in grid.households[:30]]
    rows = [
        review_row(hid, [rvisit(100 + 2 * i), rvisit(101 + 2 * i, flags=("late_entry",))]) for i, hid in enumerate(ids)
    ]
    rows.append(review_row(ids[0], [rvisit(100, "approved")]))
    counts = apply(seeded_db, upserts={"review": rows})
    assert counts["reviews"] == 30
    got = review_state(seeded_db)
    assert len(got) == 59 and got[100][2] == "approved" and 101 not in got
    assert {v[1] for v in got.values()} == {grid.households[0].grid_id}
    assert len(flags(seeded_db)) == 29
