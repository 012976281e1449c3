"""Resident requests' flow on the laptop: a household's request rows bring their flow columns and
events (replacing the events); a department's scope brings its work orders (removed, reset and left
scopes clear them); this laptop's step still in the outbox stays marked (pending_step). The store's
steps check the rules with the signed-in user's role and write nothing when refused. Rows are built
with the codec's encoders, as the server writes them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, update

from gridworker.store.db import Database
from gridworker.store.meta import set_meta
from gridworker.store.models import Outbox, RequestEvent, ResidentRequest, WorkOrder
from gridworker.store.services import LocalStore, StepExtras
from gridworker.syncing.apply import apply_page, defer_foreign_keys, pending_households
from gridworker_server.demo_city import DemoCity
from gridworker_shared.codec import HouseholdRecord, RequestRecord, encode_household, pack_id
from gridworker_shared.codec.requests import RequestEventRecord, WorkOrderRecord, encode_work_order
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import PullResponse, department_scope, grid_scope

EPOCH = uuid.uuid4()
T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
DEPT = uuid.uuid4()
STATION = uuid.uuid4()


def apply(db: Database, **page: Any) -> dict[str, int]:
    with db.transaction() as s:
        defer_foreign_keys(s)
        return apply_page(s, PullResponse(epoch=EPOCH, **page), pending_households(s))


def event(step: str, status: str, hours: int = 0, **data: Any) -> RequestEventRecord:
    return RequestEventRecord(uuid.uuid4(), step, STATION, T0 + dt.timedelta(hours=hours), status, "", data)


def request(rid: uuid.UUID, status: str, events: list[RequestEventRecord], **flow: Any) -> RequestRecord:
    return RequestRecord(
        rid,
        None,
        "fire_lane_blocked",
        "楼道堆物",
        "urgent",
        dt.date(2026, 11, 21),
        status,
        "",
        3,
        **flow,
        events=events,
    )


def household(grid: DemoCity, hid: uuid.UUID, requests: list[RequestRecord]) -> list[Any]:
    record = HouseholdRecord(
        hid, grid.households[0].grid_id, None, "幸福家园", "9", "1", 3, "301", "", "", [], None,
        dt.date(2026, 1, 5), None, None, 1, [], [], requests, [],
    )  # fmt: skip
    return encode_household(record)


def order(oid: uuid.UUID, status: str = "dispatched", department: uuid.UUID = DEPT, **more: Any) -> list[Any]:
    return encode_work_order(
        WorkOrderRecord(
            oid, department, "幸福家园 9-1-301", "王芳", "13800000000", "fire_lane_blocked", "消防通道堵塞", "urgent",
            status, T0, T0 + dt.timedelta(days=2), more.get("bounces", 0), 0, [event("dispatch", "dispatched")],
        )
    )  # fmt: skip


def flow(db: Database, rid: uuid.UUID) -> tuple[str, uuid.UUID | None, dt.datetime | None, int, bool | None, str, str]:
    with db.reading() as s:
        r = s.get(ResidentRequest, rid)
        assert r is not None
        return (r.status, r.department_id, r.deadline_at, r.bounces, r.resolved, r.satisfaction, r.pending_step)


def steps(db: Database, rid: uuid.UUID) -> list[str]:
    with db.reading() as s:
        return list(
            s.scalars(select(RequestEvent.step).where(RequestEvent.request_id == rid).order_by(RequestEvent.at))
        )


def outbox(db: Database) -> list[dict[str, Any]]:
    with db.reading() as s:
        return [o.payload for o in s.scalars(select(Outbox).where(Outbox.kind == "request.step").order_by(Outbox.seq))]


def test_a_request_row_brings_its_flow_and_replaces_its_events(seeded_db: Database, grid: DemoCity) -> None:
    hid, rid = uuid.uuid4(), uuid.uuid4()
    due = T0 + dt.timedelta(days=2)
    dispatched = request(
        rid, "dispatched", [event("create", "submitted"), event("dispatch", "dispatched", 1, department=pack_id(DEPT))],
        department_id=DEPT, dispatched_at=T0, deadline_at=due, bounces=1,
    )  # fmt: skip
    apply(seeded_db, upserts={"household": [household(grid, hid, [dispatched])]})
    assert flow(seeded_db, rid) == ("dispatched", DEPT, due.replace(tzinfo=None), 1, None, "", "")
    assert steps(seeded_db, rid) == ["create", "dispatch"]

    closed = request(
        rid, "archived", [event("create", "submitted"), event("callback", "archived", 9)],
        department_id=DEPT, resolved=True, satisfaction="basic", closed_at=T0,
    )  # fmt: skip
    apply(seeded_db, upserts={"household": [household(grid, hid, [closed])]})
    assert flow(seeded_db, rid) == ("archived", DEPT, None, 0, True, "basic", "")
    assert steps(seeded_db, rid) == ["create", "callback"]  # the server's list is the whole history

    # the household removed from the grid: its requests' events go with it
    apply(seeded_db, removes={grid_scope(grid.households[0].grid_id): {"household": [pack_id(hid)]}})
    with seeded_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(RequestEvent).where(RequestEvent.request_id == rid)) == 0


def test_a_step_waiting_in_the_outbox_stays_marked_until_sent(seeded_db: Database, grid: DemoCity) -> None:
    hid, rid = uuid.uuid4(), uuid.uuid4()
    apply(seeded_db, upserts={"household": [household(grid, hid, [request(rid, "closed", [])])]})
    worker = LocalStore(seeded_db, grid.workers[0].id)
    worker.record_callback(rid, False, "dissatisfied", "还在堆")
    assert flow(seeded_db, rid)[0::6] == ("closed", "callback")
    [payload] = outbox(seeded_db)
    assert (payload["step"], payload["resolved"], payload["satisfaction"], payload["household_id"]) == (
        "callback", False, "dissatisfied", str(hid),
    )  # fmt: skip

    # a pull while it waits: the household is skipped (unsent work), the mark stays
    apply(seeded_db, upserts={"household": [household(grid, hid, [request(rid, "closed", [])])]})
    assert flow(seeded_db, rid)[0::6] == ("closed", "callback")
    # another step while one waits is refused: the local status is stale until the server answers
    with pytest.raises(ValidationError):
        worker.callback_failed(rid)

    with seeded_db.transaction() as s:
        s.execute(update(Outbox).where(Outbox.kind == "request.step").values(state="applied"))
    apply(seeded_db, upserts={"household": [household(grid, hid, [request(rid, "dispatched", [], reopens=1)])]})
    assert flow(seeded_db, rid)[0::6] == ("dispatched", "")


@pytest.mark.parametrize(
    ("role", "status", "step", "extras", "note"),
    [
        ("worker", "submitted", "dispatch", StepExtras(department_id=DEPT), ""),  # a worker cannot dispatch
        ("station", "submitted", "dispatch", StepExtras(), ""),  # no department chosen
        ("station", "closed", "dispatch", StepExtras(department_id=DEPT), ""),  # not from closed
        ("worker", "closed", "callback", StepExtras(resolved=True), ""),  # one answer missing
        ("worker", "submitted", "on_spot", StepExtras(), "  "),  # 即办 says what was done
        ("department", "signed", "bounce", StepExtras(reason="not_ours"), ""),  # whose, then?
        ("department", "signed", "bounce", StepExtras(reason="busy", whose="x"), ""),  # not a reason
        ("department", "signed", "close", StepExtras(), "x" * 501),
    ],
)
def test_a_step_the_rules_refuse_writes_nothing(
    seeded_db: Database, grid: DemoCity, role: str, status: str, step: str, extras: StepExtras, note: str
) -> None:
    hid, rid = uuid.uuid4(), uuid.uuid4()
    apply(seeded_db, upserts={"household": [household(grid, hid, [request(rid, status, [])])]})
    with seeded_db.transaction() as s:
        set_meta(s, role=role)
    with pytest.raises(ValidationError) as refused:
        LocalStore(seeded_db, grid.workers[0].id).request_step(rid, step, note, extras)
    assert refused.value.message  # a sentence for the person, translated by the screen
    assert outbox(seeded_db) == []
    assert flow(seeded_db, rid)[6] == ""


def test_a_station_dispatches_from_its_laptop(seeded_db: Database, grid: DemoCity) -> None:
    hid, rid = uuid.uuid4(), uuid.uuid4()
    apply(seeded_db, upserts={"household": [household(grid, hid, [request(rid, "submitted", [])])]})
    with seeded_db.transaction() as s:
        set_meta(s, role="station")
    LocalStore(seeded_db, STATION).dispatch_request(rid, DEPT, "请尽快")
    [payload] = outbox(seeded_db)
    assert (payload["step"], payload["department_id"], payload["note"]) == ("dispatch", str(DEPT), "请尽快")
    assert flow(seeded_db, rid)[0::6] == ("submitted", "dispatch")  # status stays the server's
    with pytest.raises(ValidationError):
        LocalStore(seeded_db, STATION).request_step(uuid.uuid4(), "accept")  # not on this laptop


def orders(db: Database) -> dict[uuid.UUID, tuple[str, uuid.UUID, str]]:
    with db.reading() as s:
        return {o.id: (o.status, o.department_id, o.pending_step) for o in s.scalars(select(WorkOrder))}


def test_a_departments_work_orders_arrive_leave_and_keep_an_unsent_step(db: Database) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    other = uuid.uuid4()
    scope, other_scope = department_scope(DEPT), department_scope(other)
    apply(db, upserts={"work_order": [order(a), order(b, "signed"), order(c, department=other), ["bad"]]})
    assert orders(db) == {a: ("dispatched", DEPT, ""), b: ("signed", DEPT, ""), c: ("dispatched", other, "")}
    with db.reading() as s:
        first = s.get(WorkOrder, a)
        assert first is not None and first.address == "幸福家园 9-1-301" and len(first.events) == 1

    with db.transaction() as s:
        set_meta(s, role="department")
    dept = LocalStore(db, uuid.uuid4())
    dept.sign_order(a)
    with pytest.raises(ValidationError):
        dept.close_order(b, "")  # 办结 says what was done
    [payload] = outbox(db)
    assert (payload["step"], payload["household_id"]) == ("sign", None)
    apply(db, upserts={"work_order": [order(a), order(b, "signed")]})
    assert orders(db)[a] == ("dispatched", DEPT, "sign")  # still waiting: marked

    # removed from the department (reassigned): only that department's row goes
    apply(db, removes={scope: {"work_order": [pack_id(b)]}, other_scope: {"work_order": [pack_id(a)]}})
    assert set(orders(db)) == {a, c}
    apply(db, reset=[other_scope])
    assert set(orders(db)) == {a}
    apply(db, removed=[scope])
    assert orders(db) == {}
