"""A resident's request from the doorstep to the resident's verdict, through every role, on a real server
process and real laptops (the app's database and sync engine, each signed in on its own device): the
worker raises it offline on a visit; the station dispatches it from its laptop; the department's
laptop signs and closes it; the worker's laptop shows it closed and Today lists the call-back; the
resident is not satisfied, and it is reopened to the same department. A request bounced twice carries
its two bounces to the station (flagged for the supervisor). An order past its deadline reaches the
supervisor's 督办 list on the street's laptop, and the supervisor's extension reaches the station."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from gridworker.store.board_reads import supervision
from gridworker.store.db import Database
from gridworker.store.models import RequestEvent, ResidentRequest, WorkOrder
from gridworker.store.reads import Reader
from gridworker.store.request_reads import callbacks_due, work_orders
from gridworker.store.services import LocalStore
from gridworker.store.services.requests import StepExtras
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker_server import models as sm
from gridworker_shared.domain.households import RequestInput, VisitInput
from gridworker_shared.domain.request_flow import BOUNCES_FLAGGED
from tests.helpers.server import ServerProcess, run_cli

pytestmark = pytest.mark.slow


class Laptop:
    """A user's laptop: the app's own database and sync engine on its own device."""

    def __init__(self, folder: Path, base: str, username: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "app.db"
        self.db = Database(self.path)
        self.engine = SyncEngine(self.db, TokenStore(folder, use_keyring=False))
        self.engine.sign_in(base, username, "demo1234")
        self.engine.sync()

    @property
    def store(self) -> LocalStore:
        return LocalStore(self.db, uuid.UUID(self.engine.meta()["worker_id"]))

    def sync(self) -> None:
        self.engine.sync()

    def request(self, rid: uuid.UUID) -> ResidentRequest:
        with self.db.reading() as s:
            row = s.get(ResidentRequest, rid)
            assert row is not None
            s.expunge(row)
            return row

    def order(self, rid: uuid.UUID) -> WorkOrder | None:
        with self.db.reading() as s:
            row = s.get(WorkOrder, rid)
            if row is not None:
                s.expunge(row)
            return row

    def close(self) -> None:
        self.db.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    tmp = tmp_path_factory.mktemp("requests")
    url = f"sqlite:///{tmp / 'server.db'}"
    run_cli(url, "seed-demo", "--today", "2026-11-27", "--grids-per-community", "1", "--households", "40")
    process = ServerProcess(url).start()
    engine = create_engine(url)
    try:
        yield process.base, engine
    finally:
        process.stop()
        engine.dispose()


def station_of(engine: Engine, username: str) -> str:
    """The station user of a worker's community."""
    with engine.connect() as c:
        grid = c.scalar(select(sm.User.org_unit_id).where(sm.User.username == username))
        community = c.scalar(select(sm.OrgUnit.parent_id).where(sm.OrgUnit.id == grid))
        station = c.scalar(select(sm.User.username).where(sm.User.role == "station", sm.User.org_unit_id == community))
    assert station is not None
    return str(station)


def department(engine: Engine, suffix: str) -> tuple[uuid.UUID, str]:
    with engine.connect() as c:
        row = c.execute(select(sm.User.org_unit_id, sm.User.username).where(sm.User.username == f"dept-{suffix}")).one()
    return row[0], row[1]


def fresh_household(worker: Laptop) -> uuid.UUID:
    """A household of the worker's with no request yet (the demo seeds some)."""
    with sqlite3.connect(worker.path) as c:
        row = c.execute(
            "SELECT id FROM household WHERE id NOT IN (SELECT household_id FROM resident_request) "
            "ORDER BY walk_key LIMIT 1"
        ).fetchone()
    return uuid.UUID(row[0])


def raise_request(worker: Laptop, hid: uuid.UUID, description: str) -> uuid.UUID:
    """The worker's visit with a request, recorded offline (nothing sent until the next sync)."""
    rid = uuid.uuid4()
    request = RequestInput("fire_lane_blocked", "urgent", description, rid)
    worker.store.record_visit(VisitInput(hid, "not_home", [], "楼道检查", [request], None))
    return rid


def test_a_request_from_the_doorstep_to_the_residents_verdict(server: tuple[str, Engine], tmp_path: Path) -> None:
    base, engine = server
    dept_id, dept_user = department(engine, "xfjy")
    worker = Laptop(tmp_path / "worker", base, "demo")
    station = Laptop(tmp_path / "station", base, station_of(engine, "demo"))
    dept = Laptop(tmp_path / "dept", base, dept_user)
    try:
        hid = fresh_household(worker)
        rid = raise_request(worker, hid, "消防通道被电动车堵塞")
        assert worker.request(rid).status == "submitted"
        worker.sync()

        station.sync()
        assert station.request(rid).status == "submitted"
        station.store.dispatch_request(rid, dept_id, "请三日内处理")
        assert station.request(rid).pending_step == "dispatch"  # status stays the server's until the sync
        station.sync()
        dispatched = station.request(rid)
        assert (dispatched.status, dispatched.department_id, dispatched.pending_step) == ("dispatched", dept_id, "")
        assert dispatched.deadline_at is not None and dispatched.dispatched_at is not None

        dept.sync()
        order = dept.order(rid)
        assert order is not None and order.status == "dispatched" and "消防通道被电动车堵塞" in order.description
        assert rid in [o.id for o in work_orders(sqlite3_connection(dept))]
        dept.store.sign_order(rid)
        dept.sync()
        assert dept.order(rid).status == "signed"  # type: ignore[union-attr]
        dept.store.progress_order(rid, "已联系物业")
        dept.sync()
        dept.store.close_order(rid, "已清理通道，车辆移走")
        dept.sync()
        assert dept.order(rid).status == "closed"  # type: ignore[union-attr]
        assert rid not in [o.id for o in work_orders(sqlite3_connection(dept))]  # no longer an open order

        worker.sync()
        closed = worker.request(rid)
        assert closed.status == "closed" and closed.department_id == dept_id
        with worker.db.reading() as s:
            steps = list(
                s.scalars(select(RequestEvent.step).where(RequestEvent.request_id == rid).order_by(RequestEvent.at))
            )
        assert steps[:1] == ["create"] and {"dispatch", "sign", "progress", "close"} <= set(steps)
        assert hid in [c.household_id for c in callbacks_due(sqlite3_connection(worker))]

        # the next visit: the resident says it is not resolved and is not satisfied
        worker.store.record_visit(VisitInput(hid, "not_home", [], "回访", [], None))
        worker.store.record_callback(rid, False, "dissatisfied")
        assert hid not in [c.household_id for c in callbacks_due(sqlite3_connection(worker))]
        worker.sync()
        reopened = worker.request(rid)
        assert (reopened.status, reopened.department_id, reopened.reopens) == ("dispatched", dept_id, 1)
        assert (reopened.resolved, reopened.satisfaction, reopened.pending_step) == (False, "dissatisfied", "")
        dept.sync()
        again = dept.order(rid)
        assert again is not None and again.status == "dispatched" and again.reopens == 1
    finally:
        for laptop in (worker, station, dept):
            laptop.close()


def test_bounced_twice_the_request_is_flagged(server: tuple[str, Engine], tmp_path: Path) -> None:
    base, engine = server
    dept_id, dept_user = department(engine, "wy")
    worker = Laptop(tmp_path / "worker", base, "demo")
    station = Laptop(tmp_path / "station", base, station_of(engine, "demo"))
    dept = Laptop(tmp_path / "dept", base, dept_user)
    try:
        rid = raise_request(worker, fresh_household(worker), "楼道堆放杂物")
        worker.sync()
        station.sync()
        for n in (1, 2):
            station.store.dispatch_request(rid, dept_id)
            station.sync()
            dept.sync()
            assert dept.order(rid) is not None
            dept.store.bounce_order(rid, "not_ours", "供电公司", "不是物业的事")
            dept.sync()
            station.sync()
            back = station.request(rid)
            assert (back.status, back.bounces) == ("accepted", n)
        assert station.request(rid).bounces >= BOUNCES_FLAGGED
        assert rid not in [o.id for o in work_orders(sqlite3_connection(dept))]
        with engine.connect() as c:
            assert c.scalar(select(sm.ResidentRequest.bounces).where(sm.ResidentRequest.id == rid)) == 2
    finally:
        for laptop in (worker, station, dept):
            laptop.close()


def sqlite3_connection(laptop: Laptop) -> sqlite3.Connection:
    """A read connection as the screens have it (gridworker.store.reads.Reader)."""
    return Reader(laptop.path).connection()


def test_an_overdue_order_reaches_the_supervisor_who_extends_it(server: tuple[str, Engine], tmp_path: Path) -> None:
    base, engine = server
    dept_id, dept_user = department(engine, "wy")
    worker = Laptop(tmp_path / "worker", base, "demo")
    station = Laptop(tmp_path / "station", base, station_of(engine, "demo"))
    supervisor = Laptop(tmp_path / "supervisor", base, "supervisor")
    dept = Laptop(tmp_path / "dept", base, dept_user)
    try:
        rid = raise_request(worker, fresh_household(worker), "消防通道被电动车堵塞")
        worker.sync()
        station.sync()
        station.store.dispatch_request(rid, dept_id)
        station.sync()
        dept.sync()
        dept.store.sign_order(rid, "已签收")
        dept.sync()
        supervisor.sync()
        deadline = supervisor.request(rid).deadline_at
        assert deadline is not None and supervisor.request(rid).status == "signed"
        on_time, late = deadline - dt.timedelta(hours=1), deadline + dt.timedelta(hours=1)
        assert rid not in [r.id for r in supervision(sqlite3_connection(supervisor), on_time)]
        assert rid in [r.id for r in supervision(sqlite3_connection(supervisor), late)]

        supervisor.store.request_step(rid, "extend", "物业需协调消防队", StepExtras(days=3))
        supervisor.sync()
        station.sync()
        extended = station.request(rid)
        assert extended.deadline_at == deadline + dt.timedelta(days=3)
        assert extended.status == "signed"  # the clock moved; the order stays with the department
        supervisor.sync()
        assert rid not in [r.id for r in supervision(sqlite3_connection(supervisor), late)]
        with engine.connect() as c:
            last = c.execute(
                select(sm.RequestEvent.command, sm.RequestEvent.note, sm.RequestEvent.actor_id)
                .where(sm.RequestEvent.request_id == rid)
                .order_by(sm.RequestEvent.id.desc())
                .limit(1)
            ).one()
            supervisor_id = c.scalar(select(sm.User.id).where(sm.User.username == "supervisor"))
        assert last == ("extend", "物业需协调消防队", supervisor_id)  # who, why: kept on the server
    finally:
        for laptop in (worker, station, supervisor, dept):
            laptop.close()
