"""User actions on the local store: rows and outbox in one transaction, validation, amendments."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from gridworker.store.db import Database
from gridworker.store.models import Household, Outbox, Person, ResidentRequest, Visit
from gridworker.store.reads import Reader
from gridworker.store.rows import Filters
from gridworker.store.services import LocalStore
from gridworker_server.demo_city import DemoCity
from gridworker_shared.domain import households as hh
from gridworker_shared.domain import validation as v
from gridworker_shared.domain import visits as vr
from gridworker_shared.domain.households import PersonInput, RequestInput, VisitInput
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import HouseholdUpdate, PersonCreate, VisitAmend, VisitCreate
from tests.helpers.data import TODAY, counts

NOW = dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def china_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The laptop's clock in China (UTC+8), as the users' are; this machine runs in UTC."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def fixed_store(seeded_db: Database, grid: DemoCity) -> LocalStore:
    return LocalStore(seeded_db, grid.workers[0].id, clock=lambda: NOW)


def first_household(grid: DemoCity) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A household of two or more that nobody visited this month yet."""
    month = {v.household_id for v in grid.visits if v.visited_at.date() >= TODAY.replace(day=1)}
    h = next(h for h in grid.households if len(h.members) >= 2 and h.id not in month)
    return h.id, [m.id for m in h.members]


def outbox(db: Database) -> list[Outbox]:
    with db.reading() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.seq)))


def test_record_visit_writes_rows_and_one_outbox_entry(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    db = fixed_store.db
    before = counts(db)
    visit_id = fixed_store.record_visit(
        VisitInput(
            hid,
            "met",
            seen=members[:1],
            notes="  讲解医保政策  ",
            requests=[RequestInput("flying_wire_charging", "urgent", " 楼道 飞线 ")],
            visited_at=NOW,
        )
    )
    after = counts(db)
    assert after["visit"] == before["visit"] + 1
    assert after["visit_person"] == before["visit_person"] + 1
    assert after["resident_request"] == before["resident_request"] + 1
    assert after["outbox"] == before["outbox"] + 1
    [entry] = outbox(db)
    assert entry.kind == "visit.create" and entry.entity_id == visit_id and entry.state == "pending"
    payload = VisitCreate.model_validate(entry.payload)  # the payload is a valid protocol message
    assert payload.id == visit_id and payload.seen == members[:1] and payload.notes == "讲解医保政策"
    assert payload.requests[0].description == "楼道 飞线"
    assert payload.requests[0].due_on == dt.date(2026, 11, 30)  # urgent: 3 days
    assert payload.visited_at == NOW
    with db.reading() as s:
        household = s.get(Household, hid)
        assert household is not None
        assert household.last_met_on == dt.date(2026, 11, 27)
        assert household.due_on == dt.date(2026, 11, 27) + dt.timedelta(days=household.visit_interval_days)
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.visited_at == dt.datetime(2026, 11, 27, 2, 30)  # stored in UTC


@pytest.mark.parametrize(
    ("outcome", "seen_index", "notes", "requests", "field", "template"),
    [
        ("", None, "", [], "outcome", vr.MSG_OUTCOME),
        ("met", None, "", [], "seen", hh.MSG_NOBODY_SEEN),
        ("not_home", 0, "", [], "seen", hh.MSG_SEEN_NOT_MET),
        ("met", 0, "x" * 2001, [], "notes", vr.MSG_TOO_LONG),
        ("met", 0, "", [RequestInput("nonsense")], "requests.0.category", vr.MSG_CATEGORY),
        ("met", 0, "", [RequestInput("other", "normal", "  ")], "requests.0.description", vr.MSG_DESCRIPTION_NEEDED),
        ("met", 0, "", [RequestInput("other", "whenever", "x")], "requests.0.urgency", vr.MSG_URGENCY),
    ],
)
def test_invalid_visit_changes_nothing(
    fixed_store: LocalStore,
    grid: DemoCity,
    outcome: str,
    seen_index: int | None,
    notes: str,
    requests: list[RequestInput],
    field: str,
    template: str,
) -> None:
    hid, members = first_household(grid)
    before = counts(fixed_store.db)
    seen = [members[seen_index]] if seen_index is not None else []
    with pytest.raises(ValidationError) as e:
        fixed_store.record_visit(VisitInput(hid, outcome, seen=seen, notes=notes, requests=requests, visited_at=NOW))
    assert e.value.field == field and e.value.template == template
    assert counts(fixed_store.db) == before


def test_someone_else_cannot_be_seen(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, _ = first_household(grid)
    stranger = next(m.id for h in grid.households if h.id != hid for m in h.members)
    with pytest.raises(ValidationError) as e:
        fixed_store.record_visit(VisitInput(hid, "met", seen=[stranger], visited_at=NOW))
    assert e.value.template == hh.MSG_SEEN_NOT_MEMBER


def test_visit_in_the_future_is_refused(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    with pytest.raises(ValidationError) as e:
        fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW + dt.timedelta(days=1)))
    assert e.value.field == "visited_at"


def test_amendment_points_at_the_visit_and_never_overwrites(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    db = fixed_store.db
    original = fixed_store.record_visit(VisitInput(hid, "not_home", visited_at=NOW))
    before = Reader(fixed_store.db.path).coverage(TODAY)
    correction = fixed_store.amend_visit(
        original, VisitInput(hid, "met", seen=members, notes="其实见到了", visited_at=NOW)
    )
    with db.reading() as s:
        old = s.get(Visit, original)
        new = s.get(Visit, correction)
        assert old is not None and new is not None
        assert old.outcome == "not_home" and old.notes == ""  # untouched
        assert new.amends_id == original and new.outcome == "met"
        after = Reader(fixed_store.db.path).coverage(TODAY)
        detail = Reader(fixed_store.db.path).household_detail(hid)
    assert after.households_visited == before.households_visited + 1
    assert after.persons_seen == before.persons_seen + len(members)
    assert detail is not None
    rows = {r.id: r for r in detail.visits}
    assert rows[original].amended_by == correction and rows[correction].amends_id == original
    entries = outbox(db)
    assert [e.kind for e in entries] == ["visit.create", "visit.amend"]
    assert VisitAmend.model_validate(entries[1].payload).amends == original


def test_amending_an_unknown_visit_changes_nothing(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    before = counts(fixed_store.db)
    with pytest.raises(ValidationError):
        fixed_store.amend_visit(uuid.uuid4(), VisitInput(hid, "met", seen=members[:1], visited_at=NOW))
    assert counts(fixed_store.db) == before


def test_a_corrected_visit_counts_once_with_its_correction(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    reader = Reader(fixed_store.db.path)
    start = reader.coverage(TODAY)
    first = fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW))
    middle = reader.coverage(TODAY)
    assert middle.households_visited == start.households_visited + 1
    assert middle.persons_seen == start.persons_seen + 1
    fixed_store.amend_visit(first, VisitInput(hid, "refused", visited_at=NOW))
    end = reader.coverage(TODAY)
    assert end.households_visited == start.households_visited  # the correction says refused: not met
    assert end.persons_seen == start.persons_seen


def test_outbox_sequence_only_grows(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    for _ in range(3):
        fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW))
    db = fixed_store.db
    con = sqlite3.connect(db.path)
    con.execute("DELETE FROM outbox")  # pruning applied entries must never make a number come back
    con.commit()
    con.close()
    fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW))
    assert [e.seq for e in outbox(db)] == [4]


def test_update_household_records_previous_values(fixed_store: LocalStore, grid: DemoCity) -> None:
    h = grid.households[0]
    db = fixed_store.db
    assert fixed_store.update_household(h.id, {"phone": "１３９ 0527 1234", "tags": ["elderly_alone"]})
    [entry] = outbox(db)
    message = HouseholdUpdate.model_validate(entry.payload)
    assert message.changes == {"phone": "13905271234", "tags": ["elderly_alone"]}
    assert message.previous == {"phone": h.phone, "tags": h.tags}
    assert message.base_version == 1
    detail = Reader(fixed_store.db.path).household_detail(h.id)
    found = Reader(fixed_store.db.path).search(Filters(text="1234"), TODAY)
    assert detail is not None and detail.visit_interval_days == 7  # elderly living alone: weekly
    assert h.id in {r.id for r in found.rows}  # the new phone is searchable at once
    # the same values again change nothing and write no outbox entry
    assert not fixed_store.update_household(h.id, {"phone": "13905271234"})
    assert len(outbox(db)) == 1


def test_fixed_interval_overrides_tags(fixed_store: LocalStore, grid: DemoCity) -> None:
    h = grid.households[0]
    fixed_store.update_household(h.id, {"tags": ["elderly_alone"], "visit_interval_days": 3})
    detail = Reader(fixed_store.db.path).household_detail(h.id)
    assert detail is not None and detail.visit_interval_days == 3 and detail.interval_fixed
    fixed_store.update_household(h.id, {"visit_interval_days": None})
    detail = Reader(fixed_store.db.path).household_detail(h.id)
    assert detail is not None and detail.visit_interval_days == 7 and not detail.interval_fixed


@pytest.mark.parametrize(
    ("changes", "field", "template"),
    [
        ({"phone": "1381234567"}, "phone", v.MSG_MOBILE_LENGTH),
        ({"phone": "not a phone"}, "phone", v.MSG_PHONE_INVALID),
        ({"tags": ["vip"]}, "tags", "Unknown tag: {tag}."),
        ({"visit_interval_days": 0}, "visit_interval_days", hh.MSG_INTERVAL),
        ({"notes": "很" * 2001}, "notes", vr.MSG_TOO_LONG),
    ],
)
def test_bad_household_edit_changes_nothing(
    fixed_store: LocalStore, grid: DemoCity, changes: dict[str, object], field: str, template: str
) -> None:
    before = counts(fixed_store.db)
    with pytest.raises(ValidationError) as e:
        fixed_store.update_household(grid.households[0].id, changes)
    assert e.value.field == field and e.value.template == template
    assert counts(fixed_store.db) == before


def test_members_add_edit_move_out(fixed_store: LocalStore, grid: DemoCity) -> None:
    from tests.helpers.build import id_number

    h = grid.households[0]
    db = fixed_store.db
    number = id_number("321302", dt.date(2015, 6, 1), 7, "female")
    pid = fixed_store.add_person(h.id, PersonInput("小雨", "grandchild", id_number=number.lower()))
    with db.reading() as s:
        row = s.get(Person, pid)
        assert row is not None
        assert row.sex == "female" and row.birth_date == dt.date(2015, 6, 1) and row.id_number == number
        found = Reader(fixed_store.db.path).search(Filters(text=number[-4:]), TODAY)
    assert h.id in {r.id for r in found.rows}
    assert PersonCreate.model_validate(outbox(db)[0].payload).fields.name == "小雨"
    assert fixed_store.update_person(pid, PersonInput("小雨", "grandchild", phone="13800001111", id_number=number))
    assert outbox(db)[1].payload["changes"] == {"phone": "13800001111"}
    fixed_store.remove_person(pid)
    detail = Reader(fixed_store.db.path).household_detail(h.id)
    assert detail is not None and pid not in {m.id for m in detail.members}
    assert [e.kind for e in outbox(db)] == ["person.create", "person.update", "person.remove"]


@pytest.mark.parametrize(
    ("person", "field", "template"),
    [
        (PersonInput("", "child"), "name", v.MSG_NAME_EMPTY),
        (PersonInput("张3", "child"), "name", v.MSG_NAME_CHAR),
        (PersonInput("张三", "cousin"), "relation", "Choose the member's relation to the head of household."),
        (PersonInput("张三", "child", id_number="110105194912310021"), "id_number", v.MSG_ID_CHECKSUM),
        (PersonInput("张三", "child", id_number="11010519491231002"), "id_number", v.MSG_ID_LENGTH),
        (
            PersonInput("张三", "child", sex="male", id_number="11010519491231002X"),
            "sex",
            "The ID number is a woman's; check the sex or the number.",
        ),
        (
            PersonInput("张三", "child", birth_date=dt.date(1950, 1, 1), id_number="11010519491231002X"),
            "birth_date",
            "The ID number says this person was born on {date}; check the birth date or the number.",
        ),
        (PersonInput("张三", "child", birth_date=dt.date(2030, 1, 1)), "birth_date", v.MSG_BIRTH_DATE_FUTURE),
        (PersonInput("张三", "child", phone="12345"), "phone", v.MSG_MOBILE_LENGTH),
        (PersonInput("张三", "child", phone="电话"), "phone", v.MSG_PHONE_INVALID),
    ],
)
def test_bad_member_changes_nothing(
    fixed_store: LocalStore, grid: DemoCity, person: PersonInput, field: str, template: str
) -> None:
    before = counts(fixed_store.db)
    with pytest.raises(ValidationError) as e:
        fixed_store.add_person(grid.households[0].id, person)
    assert (e.value.field, e.value.template) == (field, template)
    assert e.value.message  # formats with its parameters
    assert counts(fixed_store.db) == before


def test_head_cannot_move_out(fixed_store: LocalStore, grid: DemoCity) -> None:
    head = grid.households[0].members[0]
    with pytest.raises(ValidationError):
        fixed_store.remove_person(head.id)


def test_duplicate_id_in_household_refused(fixed_store: LocalStore, grid: DemoCity) -> None:
    h = grid.households[0]
    with pytest.raises(ValidationError) as e:
        fixed_store.add_person(h.id, PersonInput("重复", "other", id_number=h.members[0].id_number))
    assert e.value.field == "id_number"


def test_drafts_round_trip(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    fixed_store.save_draft("visit:x", "visit", hid, {"notes": "一"})
    fixed_store.save_draft("visit:x", "visit", hid, {"notes": "一二"})
    [draft] = Reader(fixed_store.db.path).drafts()
    assert draft.payload == {"notes": "一二"} and draft.household_id == hid
    # saving the visit drops its draft in the same transaction
    fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW), draft_key="visit:x")
    assert Reader(fixed_store.db.path).drafts() == []


def test_today_lists_overdue_first_in_walking_order(seeded_db: Database) -> None:
    with seeded_db.reading() as s:
        rows = []
        page = Reader(seeded_db.path).due(TODAY, limit=50)
        rows += page.rows
        while page.more:
            page = Reader(seeded_db.path).due(TODAY, after=page.after, limit=50)
            rows += page.rows
        total_due = s.scalar(select(func.count()).select_from(Household).where(Household.due_on <= TODAY))
    assert len(rows) == total_due and len({r.id for r in rows}) == len(rows)
    assert all(r.due_on <= TODAY for r in rows)
    buckets = [r.bucket for r in rows]
    assert buckets == sorted(buckets) and 0 in buckets
    for bucket in (0, 1):
        keys = [r.walk_key for r in rows if r.bucket == bucket]
        assert keys == sorted(keys)
    assert all((r.due_on < TODAY) == (r.bucket == 0) for r in rows)


def test_requests_keep_their_visit(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    vid = fixed_store.record_visit(
        VisitInput(hid, "met", seen=members[:1], requests=[RequestInput("other", "critical", "灯坏了")], visited_at=NOW)
    )
    with fixed_store.db.reading() as s:
        req = s.scalar(select(ResidentRequest).where(ResidentRequest.visit_id == vid))
        detail = Reader(fixed_store.db.path).household_detail(hid)
    assert req is not None and req.status == "submitted" and req.due_on == dt.date(2026, 11, 28)
    assert detail is not None
    assert {r.sync_state for r in detail.requests if r.id == req.id} == {"pending"}


def test_saving_the_same_visit_twice_records_it_once(fixed_store: LocalStore, grid: DemoCity) -> None:
    """A double press, or a draft brought back after a crash and saved again: one visit."""
    hid, members = first_household(grid)
    visit = VisitInput(hid, "met", seen=members[:1], visited_at=NOW)
    fixed_store.save_draft("visit:x", "visit", hid, {"visit_id": str(visit.id)})
    assert fixed_store.record_visit(visit, draft_key="visit:x") == visit.id
    before = counts(fixed_store.db)
    assert fixed_store.record_visit(visit, draft_key="visit:x") == visit.id
    assert counts(fixed_store.db) == before
    # a late draft write for the saved visit does not bring the draft back
    assert not fixed_store.save_draft("visit:x", "visit", hid, {"visit_id": str(visit.id), "notes": "late"})
    assert Reader(fixed_store.db.path).drafts() == []


def test_correction_moves_the_dates_back(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    reader = Reader(fixed_store.db.path)
    before = reader.household_detail(hid)
    assert before is not None
    visit = fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW))
    met = reader.household_detail(hid)
    assert met is not None and met.last_met_on == NOW.date() and met.due_on > TODAY
    # "actually nobody was home": the household is due again as it was before the visit
    fixed_store.amend_visit(visit, VisitInput(hid, "not_home", visited_at=NOW))
    after = reader.household_detail(hid)
    assert after is not None
    assert after.last_met_on == before.last_met_on and after.due_on == before.due_on
    assert after.last_attempt_on == NOW.date()


def test_a_visit_is_corrected_through_its_latest_correction(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    first = fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW))
    second = fixed_store.amend_visit(first, VisitInput(hid, "met", seen=members, visited_at=NOW))
    before = counts(fixed_store.db)
    with pytest.raises(ValidationError) as e:
        fixed_store.amend_visit(first, VisitInput(hid, "refused", visited_at=NOW))
    assert e.value.field == "amends"
    assert counts(fixed_store.db) == before
    third = fixed_store.amend_visit(second, VisitInput(hid, "refused", visited_at=NOW))
    detail = Reader(fixed_store.db.path).household_detail(hid)
    assert detail is not None
    rows = {v.id: v for v in detail.visits}
    assert rows[first].amended_by == second and rows[second].amended_by == third


def test_visit_dates_are_local(fixed_store: LocalStore, grid: DemoCity, china_time: None) -> None:
    """A visit at 07:30 in China is 23:30 the day before in UTC: it counts on the local day."""
    hid, members = first_household(grid)
    early = dt.datetime(2026, 11, 27, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=early))
    detail = Reader(fixed_store.db.path).household_detail(hid)
    assert detail is not None and detail.last_met_on == dt.date(2026, 11, 27)  # not the 26th (UTC)


def test_visit_more_than_a_year_ago_is_refused(fixed_store: LocalStore, grid: DemoCity) -> None:
    hid, members = first_household(grid)
    with pytest.raises(ValidationError) as e:
        fixed_store.record_visit(VisitInput(hid, "met", seen=members[:1], visited_at=NOW.replace(year=2024)))
    assert e.value.template == vr.MSG_VISIT_OLD


def test_one_head_of_household(fixed_store: LocalStore, grid: DemoCity) -> None:
    from gridworker.store import services

    h = next(h for h in grid.households if len(h.members) >= 2)
    head, other = h.members[0], h.members[1]
    reader = Reader(fixed_store.db.path)
    before = counts(fixed_store.db)
    # the head cannot simply stop being head: the household would have none
    with pytest.raises(ValidationError) as e:
        fixed_store.update_person(head.id, PersonInput(head.name, "other", id_number=head.id_number))
    assert e.value.template == services.MSG_KEEP_HEAD
    assert counts(fixed_store.db) == before
    # making another member head hands over in one step: the old head becomes "other"
    fixed_store.update_person(other.id, PersonInput(other.name, "head", id_number=other.id_number))
    detail = reader.household_detail(h.id)
    assert detail is not None
    relations = {m.id: m.relation for m in detail.members}
    assert relations[other.id] == "head" and relations[head.id] == "other"
    assert list(relations.values()).count("head") == 1
    assert detail.head_name == other.name
    kinds = [(o.kind, o.entity_id, o.payload.get("changes")) for o in outbox(fixed_store.db)]
    assert kinds[0] == ("person.update", head.id, {"relation": "other"})
    assert kinds[1][:2] == ("person.update", other.id)
    # and the former head can now move out
    fixed_store.remove_person(head.id)
    # renaming the head renames the household's head (and what search finds)
    fixed_store.update_person(other.id, PersonInput("新户主", "head", id_number=other.id_number))
    assert h.id in {r.id for r in reader.search(Filters(text="新户主"), TODAY).rows}
    reader.close()


def test_a_new_member_can_be_the_new_head(fixed_store: LocalStore, grid: DemoCity) -> None:
    h = grid.households[0]
    pid = fixed_store.add_person(h.id, PersonInput("接班人", "head"))
    detail = Reader(fixed_store.db.path).household_detail(h.id)
    assert detail is not None
    assert [m.id for m in detail.members if m.relation == "head"] == [pid]
    assert detail.head_name == "接班人"


def test_a_second_window_on_a_saved_visit_is_refused(fixed_store: LocalStore, grid: DemoCity) -> None:
    """Two forms on one draft: the second, with other notes, must not pass as already saved."""
    hid, members = first_household(grid)
    first = VisitInput(hid, "met", seen=members[:1], notes="第一个窗口", visited_at=NOW)
    fixed_store.record_visit(first)
    before = counts(fixed_store.db)
    other = VisitInput(hid, "met", seen=members[:1], notes="第二个窗口", visited_at=NOW, id=first.id)
    with pytest.raises(ValidationError) as e:
        fixed_store.record_visit(other)
    assert e.value.field == "visit"
    assert counts(fixed_store.db) == before
