"""The review's round trip end to end (issue 12): a real server process on loopback and two laptops, a
worker's and a supervisor's, each the app's own database, store and sync engine.

A supervisor returns a visit with a comment and pinned fields; the worker syncs, goes offline, sees the
returned visit and corrects it; back online the correction reaches the supervisor as 待审 pointing at
the returned visit, with the return and the correction in its activity; the supervisor approves it and
the worker sees it approved. Then the crossings gridworker_shared.domain.review defines, in both
arrival orders: an approval and a worker's correction made offline at the same time; a return and a
correction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from gridworker.store.models import Outbox, ReviewEvent, ReviewVisit, Visit
from gridworker.store.reads import Reader
from gridworker.syncing.apply_review import UNKNOWN_GRID
from gridworker.syncing.transport import SyncError
from gridworker_server import models as sm
from gridworker_shared.domain.households import VisitInput
from tests.e2e.test_sync_faults import Laptop, World, open_world

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from open_world(request, tmp_path_factory)


@dataclass
class Pair:
    worker: Laptop
    supervisor: Laptop


@pytest.fixture
def pair(world: World, tmp_path: Path) -> Iterator[Pair]:
    """A worker's laptop and a supervisor's (the demo street's supervisor), both signed in and synced."""
    worker = Laptop(tmp_path / "worker", world.server.base)
    supervisor = Laptop(tmp_path / "supervisor", world.server.base, username="supervisor")
    for lap in (worker, supervisor):
        lap.sign_in()
        lap.sync()
    yield Pair(worker, supervisor)
    worker.close()
    supervisor.close()


def household_of(lap: Laptop, index: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A household of the worker's grid and its members."""
    hid = lap.households()[index]
    with sqlite3.connect(lap.path) as c:
        members = [uuid.UUID(r[0]) for r in c.execute("SELECT id FROM person WHERE household_id = ?", (hid.hex,))]
    return hid, members


def recorded(pair: Pair, index: int) -> tuple[uuid.UUID, uuid.UUID, int]:
    """A visit the worker recorded and synced, as the supervisor's laptop has it: (household, visit, number)."""
    hid, members = household_of(pair.worker, index)
    store = pair.worker.store()
    visit = store.record_visit(VisitInput(hid, "met", members[:1], "见到户主，询问低保", [], None), form_seconds=75)
    pair.worker.sync()
    pair.supervisor.sync()
    return hid, visit, number(pair, visit)


def number(pair: Pair, visit: uuid.UUID) -> int:
    """The visit's server number, as the worker's laptop learnt it, and in the supervisor's copy (which
    names visits by number: an id travels only with visits that requests refer to)."""
    with pair.worker.db.reading() as s:
        no = s.scalar(select(Visit.no).where(Visit.id == visit))
    assert no is not None, "the worker's laptop has no number for the visit"
    with pair.supervisor.db.reading() as s:
        assert s.get(ReviewVisit, no) is not None, "the visit is not in the supervisor's copy"
    return int(no)


def review_rows(supervisor: Laptop, *nos: int) -> dict[int, tuple[str, int | None, str]]:
    with supervisor.db.reading() as s:
        return {
            v.no: (v.state, v.amends_no, v.pending_action)
            for v in s.scalars(select(ReviewVisit).where(ReviewVisit.no.in_(nos)))
        }


def activity(supervisor: Laptop, no: int) -> list[tuple[str, str, bool]]:
    with supervisor.db.reading() as s:
        return [
            (e.action, e.state, e.effective)
            for e in s.scalars(select(ReviewEvent).where(ReviewEvent.visit_no == no).order_by(ReviewEvent.at))
        ]


def worker_review(worker: Laptop, visit: uuid.UUID) -> tuple[str, str, str, list[str]]:
    with worker.db.reading() as s:
        v = s.get(Visit, visit)
        assert v is not None
        return v.review_state, v.review_reason, v.review_comment, list(v.review_pins)


def correction(worker: Laptop, hid: uuid.UUID, visit: uuid.UUID, notes: str) -> uuid.UUID:
    _, members = household_of(worker, worker.households().index(hid))
    return worker.store().amend_visit(
        visit, VisitInput(hid, "met", members, notes, [], dt.datetime.now().astimezone()), form_seconds=64
    )


def amendment_of(supervisor: Laptop, no: int) -> int:
    with supervisor.db.reading() as s:
        found = s.scalar(select(ReviewVisit.no).where(ReviewVisit.amends_no == no))
    assert found is not None, "the correction is not in the supervisor's copy"
    return int(found)


def outbox(lap: Laptop, kind: str) -> list[tuple[str, str]]:
    with lap.db.reading() as s:
        return [
            (o.state, str((o.result or {}).get("code") or ""))
            for o in s.scalars(select(Outbox).where(Outbox.kind == kind).order_by(Outbox.seq))
        ]


def returned(lap: Laptop) -> list[uuid.UUID]:
    reader = Reader(lap.path)
    try:
        return [r.id for r in reader.returned_visits()]
    finally:
        reader.close()


def test_returned_corrected_offline_and_approved(world: World, pair: Pair) -> None:
    worker, supervisor = pair.worker, pair.supervisor
    hid, visit, no = recorded(pair, 0)
    supervisor.store().review_visit(no, "return", "wrong_people", "见到的是租户，请核实", ["seen", "notes"])
    assert review_rows(supervisor, no) == {no: ("pending", None, "return")}  # waiting to sync
    supervisor.sync()
    assert review_rows(supervisor, no) == {no: ("returned", None, "")}
    worker.sync()
    assert worker_review(worker, visit) == ("returned", "wrong_people", "见到的是租户，请核实", ["seen", "notes"])

    # offline: the server is unreachable, the worker sees the returned visit and corrects it
    world.server.stop()
    try:
        with pytest.raises(SyncError):
            worker.sync()
        reader = Reader(worker.path)
        earlier = [r for r in reader.returned_visits() if r.id != visit]  # the demo city's own returns
        [item] = [r for r in reader.returned_visits() if r.id == visit]
        assert (item.id, item.reason, item.comment, item.pins) == (
            visit,
            "wrong_people",
            "见到的是租户，请核实",
            ("seen", "notes"),
        )
        fixed = correction(worker, hid, visit, "见到户主本人，租户已搬走")
        assert reader.returned_visits() == earlier
        detail = reader.household_detail(hid)
        assert detail is not None
        states = {v.id: v.review_state for v in detail.visits}
        assert (states[visit], states[fixed]) == ("amended", "pending")  # 已修改, waiting for review
        reader.close()
    finally:
        world.server.start()

    worker.sync()
    assert outbox(worker, "visit.amend") == [("applied", "")]
    supervisor.sync()
    fixed_no = amendment_of(supervisor, no)
    assert review_rows(supervisor, no, fixed_no) == {
        no: ("amended", None, ""),
        fixed_no: ("pending", no, ""),
    }
    with world.engine.connect() as c:
        assert c.scalar(select(sm.Visit.form_seconds).where(sm.Visit.id == fixed)) == 64
    # the returned visit's activity: the return, then the worker's correction
    assert activity(supervisor, no) == [("return", "returned", True), ("amend", "amended", True)]
    with supervisor.db.reading() as s:  # every review row has its household's grid
        grids = set(s.scalars(select(ReviewVisit.grid_id).distinct()))
    assert UNKNOWN_GRID not in grids and len(grids) >= 1

    supervisor.store().review_visit(fixed_no, "approve")
    supervisor.sync()
    assert review_rows(supervisor, fixed_no) == {fixed_no: ("approved", no, "")}
    worker.sync()
    assert worker_review(worker, fixed)[0] == "approved"
    assert worker_review(worker, visit)[0] == "amended"
    assert visit not in returned(worker) and fixed not in returned(worker)


@pytest.mark.parametrize("first", ["supervisor", "worker"])
def test_an_approval_and_a_correction_made_offline_cross(world: World, pair: Pair, first: str) -> None:
    """The supervisor approves visit V offline while the worker corrects V offline. Supervisor first:
    V approved, then the correction supersedes it (a fact is a fact) and waits for review. Worker first:
    the approval is kept as an event that changed nothing, and the supervisor's item is a conflict
    (review_superseded) that points at the correction waiting."""
    worker, supervisor = pair.worker, pair.supervisor
    hid, visit, no = recorded(pair, 1 if first == "supervisor" else 2)
    supervisor.store().review_visit(no, "approve")
    fixed = correction(worker, hid, visit, "补充：户主之子也在家")
    order = (supervisor, worker) if first == "supervisor" else (worker, supervisor)
    for lap in order:
        lap.sync()
    supervisor.sync()
    worker.sync()
    fixed_no = amendment_of(supervisor, no)
    assert review_rows(supervisor, no, fixed_no) == {no: ("amended", None, ""), fixed_no: ("pending", no, "")}
    if first == "supervisor":
        assert outbox(supervisor, "visit.review") == [("applied", "")]
        assert set(activity(supervisor, no)) == {("approve", "approved", True), ("amend", "amended", True)}
    else:
        assert outbox(supervisor, "visit.review") == [("conflict", "review_superseded")]
        # kept, but it changed nothing
        assert set(activity(supervisor, no)) == {("amend", "amended", True), ("approve", "amended", False)}
    assert outbox(worker, "visit.amend") == [("applied", "")]
    assert (worker_review(worker, visit)[0], worker_review(worker, fixed)[0]) == ("amended", "pending")


@pytest.mark.parametrize("first", ["supervisor", "worker"])
def test_a_return_that_crosses_a_correction(world: World, pair: Pair, first: str) -> None:
    """The supervisor returns V while the worker, offline, corrects V on their own. Either way the
    correction waits for review and the worker has nothing left to act on; a return that arrives
    after the correction changed nothing (review_superseded)."""
    worker, supervisor = pair.worker, pair.supervisor
    hid, visit, no = recorded(pair, 3 if first == "supervisor" else 4)
    supervisor.store().review_visit(no, "return", "incomplete", "请补充诉求", ["requests"])
    fixed = correction(worker, hid, visit, "补充：住户反映楼道灯坏了")
    order = (supervisor, worker) if first == "supervisor" else (worker, supervisor)
    for lap in order:
        lap.sync()
    supervisor.sync()
    worker.sync()
    fixed_no = amendment_of(supervisor, no)
    assert review_rows(supervisor, no, fixed_no) == {no: ("amended", None, ""), fixed_no: ("pending", no, "")}
    expected = [("applied", "")] if first == "supervisor" else [("conflict", "review_superseded")]
    assert outbox(supervisor, "visit.review") == expected
    assert worker_review(worker, visit)[0] == "amended"
    assert worker_review(worker, fixed)[0] == "pending"
    assert visit not in returned(worker) and fixed not in returned(worker)


def test_a_return_in_a_row_skipped_for_unsent_work_comes_back_with_the_household_whole(
    world: World, pair: Pair
) -> None:
    """A household's row brings only the visits changed since the laptop's cursors (protocol 7). The
    worker records a visit to the household while a sync is pulling the supervisor's return of another
    of its visits: the row is skipped (unsent local work) and the cursors move past it. The laptop
    then asks for the household whole, and the next sync brings the return with it."""
    worker, supervisor = pair.worker, pair.supervisor
    hid, visit, no = recorded(pair, 5)
    supervisor.store().review_visit(no, "return", "incomplete", "请补充见到的人员", ["seen"])
    supervisor.sync()
    _, members = household_of(worker, 5)
    later: list[uuid.UUID] = []

    def meanwhile(stage: str, _done: int, _total: int) -> None:
        if stage == "pull" and not later:  # the page is staged, not applied: the worker saves a visit
            later.append(worker.store().record_visit(VisitInput(hid, "met", members[:1], "再次上门", [], None)))

    report = worker.sync_engine.sync(meanwhile)

    assert later and report.households_skipped >= 1
    assert worker_review(worker, visit)[0] == "pending"  # the return is in the skipped row
    assert hid.hex in worker.sync_engine.meta()["whole"].replace("-", "")
    worker.sync()
    assert worker_review(worker, visit) == ("returned", "incomplete", "请补充见到的人员", ["seen"])
    assert outbox(worker, "visit.create")[-1] == ("applied", "")
    assert worker.sync_engine.meta()["whole"] == "[]"
