"""A Hypothesis state machine over real sync (SYNC.md, last paragraph): two laptops of one worker and a
supervisor write, sync through dropped responses and lost acknowledgements, while a real server process
answers. After every step: no cursor is ahead of the data it stands for, and every acknowledged
mutation is on the server exactly once. Once quiet, both laptops hold what the server holds (an
order-independent hash of (household, version) per scope, and every visit in its review state).
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from gridworker.syncing.transport import OfflineError
from gridworker_server import models as sm
from gridworker_shared.domain.households import VisitInput
from tests.e2e.test_sync_faults import Laptop, server_visit_states
from tests.helpers.faultproxy import CutResponse, FaultProxy, ResetBeforeResponse
from tests.helpers.server import ServerProcess, auth_headers, login, run_cli

pytestmark = pytest.mark.slow

NOTES = st.sampled_from(["老人独居", "已换新号码", "家中有新生儿", "租户已搬走", ""])


class _Env:
    url: str
    server: ServerProcess
    proxy: FaultProxy
    engine: Engine
    supervisor: dict[str, str]
    folder: Path


ENV = _Env()


@pytest.fixture(scope="module", autouse=True)
def _world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("prop")
    url = f"sqlite:///{folder / 'server.db'}"
    run_cli(url, "seed-demo", "--today", "2026-11-27", "--grids-per-community", "1", "--households", "12")
    ENV.url = url
    ENV.folder = folder
    ENV.server = ServerProcess(url).start()
    ENV.proxy = FaultProxy("127.0.0.1", ENV.server.port)
    ENV.engine = create_engine(url)
    ENV.supervisor = auth_headers(login(ENV.server.base, "supervisor")["token"])
    yield
    ENV.proxy.close()
    ENV.server.stop()
    ENV.engine.dispose()


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        home = ENV.folder / uuid.uuid4().hex[:8]
        self.laptops = [Laptop(home / name, ENV.proxy.url) for name in ("a", "b")]
        for lap in self.laptops:
            lap.sign_in()
            lap.sync()
        self.households = self.laptops[0].households()

    def teardown(self) -> None:
        ENV.proxy.set_plan()
        for lap in self.laptops:
            lap.close()

    # -- writes ---------------------------------------------------------------------------------------

    @rule(lap=st.integers(0, 1), house=st.integers(0, 11), met=st.booleans())
    def visit(self, lap: int, house: int, met: bool) -> None:
        laptop = self.laptops[lap]
        here = laptop.households()
        if house >= len(here):
            return
        hid = here[house]
        with sqlite3.connect(laptop.path) as c:
            members = [
                uuid.UUID(r[0])
                for r in c.execute("SELECT id FROM person WHERE household_id = ? AND active", (hid.hex,))
            ]
        outcome, seen = ("met", members[:1]) if met and members else ("not_home", [])
        laptop.store().record_visit(VisitInput(hid, outcome, seen, "", [], None))

    @rule(lap=st.integers(0, 1), house=st.integers(0, 11), notes=NOTES)
    def edit(self, lap: int, house: int, notes: str) -> None:
        laptop = self.laptops[lap]
        here = laptop.households()
        if house < len(here):
            laptop.store().update_household(here[house], {"notes": notes})

    @rule(house=st.integers(0, 11), notes=NOTES)
    def supervisor_edit(self, house: int, notes: str) -> None:
        hid = self.households[house % len(self.households)]
        r = requests.patch(
            f"{ENV.server.base}/v1/households/{hid}",
            json={"changes": {"notes": f"主管：{notes}"}},
            headers=ENV.supervisor,
            timeout=30,
        )
        assert r.status_code in (200, 404), r.text

    # -- sync, with faults ------------------------------------------------------------------------------

    @rule(lap=st.integers(0, 1))
    def sync(self, lap: int) -> None:
        self.laptops[lap].sync()

    @rule(lap=st.integers(0, 1), fault=st.sampled_from(["response_lost", "response_cut"]))
    def sync_through_fault(self, lap: int, fault: str) -> None:
        ENV.proxy.set_plan(ResetBeforeResponse() if fault == "response_lost" else CutResponse(120))
        try:
            self.laptops[lap].sync()
        except OfflineError:
            pass
        finally:
            ENV.proxy.set_plan()

    @precondition(lambda self: any(lap.outbox_states().count("applied") for lap in self.laptops))
    @rule(lap=st.integers(0, 1))
    def lose_acknowledgements(self, lap: int) -> None:
        """As if the laptop died before its acknowledgement committed: the last answers are forgotten,
        so the next sync sends the same mutations again (a duplicated request)."""
        with sqlite3.connect(self.laptops[lap].path) as c:
            c.execute(
                "UPDATE outbox SET state = 'pending' WHERE seq IN "
                "(SELECT seq FROM outbox WHERE state != 'pending' ORDER BY seq DESC LIMIT 3)"
            )

    # -- what must always hold ------------------------------------------------------------------------------

    @invariant()
    def acknowledged_exactly_once(self) -> None:
        with ENV.engine.connect() as c:
            for lap in self.laptops:
                with sqlite3.connect(lap.path) as local:
                    acked = [
                        uuid.UUID(r[0])
                        for r in local.execute(
                            "SELECT entity_id FROM outbox WHERE state = 'applied' AND kind = 'visit.create'"
                        )
                    ]
                if acked:
                    assert c.scalar(select(func.count()).where(sm.Visit.id.in_(acked))) == len(set(acked))

    @invariant()
    def no_cursor_ahead_of_data(self) -> None:
        """Every household the server logged at or below a laptop's cursor is on the laptop, at the
        server's version or later, unless the laptop holds unsent work on it."""
        with ENV.engine.connect() as c:
            for lap in self.laptops:
                cursors = _cursors(lap)
                with sqlite3.connect(lap.path) as local:
                    have = {uuid.UUID(h): v for h, v in local.execute("SELECT id, version FROM household")}
                    pending = {
                        uuid.UUID(h)
                        for (h,) in local.execute("SELECT DISTINCT household_id FROM outbox WHERE state = 'pending'")
                    }
                for scope, cursor in cursors.items():
                    rows = c.execute(
                        select(sm.ChangeLog.entity_id, sm.ChangeLog.op).where(
                            sm.ChangeLog.scope == scope,
                            sm.ChangeLog.entity == "household",
                            sm.ChangeLog.version <= cursor,
                        )
                    )
                    for hid, op in rows:
                        if hid in pending:
                            continue
                        assert (hid in have) == (op == "u"), (scope, hid, op)


def _cursors(lap: Laptop) -> dict[str, int]:
    import json

    return {k: int(v) for k, v in json.loads(lap.cursors() or "{}").items()}


def _hash(pairs: dict[uuid.UUID, int]) -> str:
    digest = 0
    for hid, version in pairs.items():
        digest ^= int.from_bytes(hashlib.sha256(f"household:{hid}:{version}".encode()).digest()[:8], "big")
    return f"{digest:016x}"


def _quiet_and_converged(machine: SyncMachine) -> None:
    ENV.proxy.set_plan()
    for _ in range(2):
        for lap in machine.laptops:
            lap.sync()
    with ENV.engine.connect() as c:
        for lap in machine.laptops:
            grid = uuid.UUID(next(iter(_cursors(lap))).removeprefix("g:")) if _cursors(lap) else None
            assert grid is not None
            server = dict(
                c.execute(
                    select(sm.Household.id, sm.Household.version).where(
                        sm.Household.grid_id == grid, sm.Household.deleted_at.is_(None)
                    )
                ).all()
            )
            assert lap.outbox_states().count("pending") == 0
            assert _hash(lap.versions()) == _hash(server)
            # and every visit of the window, in the server's review state: the other laptop's came as
            # the visits changed since its cursors (protocol 7), added to the ones it held
            held, sent = lap.visit_states(), server_visit_states(ENV.engine, lap.households())
            assert {v: held.get(v) for v in sent} == sent


class ConvergingMachine(SyncMachine):
    def teardown(self) -> None:
        try:
            _quiet_and_converged(self)
        finally:
            super().teardown()


ConvergingMachine.TestCase.settings = settings(
    max_examples=6,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TestSyncConverges = ConvergingMachine.TestCase
