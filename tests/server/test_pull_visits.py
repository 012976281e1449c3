"""A pull of protocol 7 sends a household's row with only the visits changed since the cursors the laptop
holds whole (its cursors, or the ones it names in ``PullRequest.complete``), and the laptop adds them to
the ones it has: its copy stays the same as a whole pull's through new visits, returns, paging that cuts
between a household's changes, a household moved in from another grid and one the laptop asks for whole
(``PullRequest.whole``). A pull of protocol 6 and older still gets every visit of the window. Against a
real server on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from gridworker_server.models import ScopeVersion
from tests.server.support import Device, Mut, Seeded, decode, visit


def laptop(server: Seeded, username: str) -> Device:
    """A laptop of the current protocol (tests.server.support.Device adds a row's visits to its own)."""
    return server.device(username)


def visits(h: dict[str, Any]) -> list[tuple[uuid.UUID, str, str]]:
    return [(v["id"], v["review_state"], v["review_reason"]) for v in h["visits"]]


def row_visits(pages: list[dict[str, Any]], hid: uuid.UUID) -> list[uuid.UUID]:
    for page in pages:
        for row in page.get("upserts", {}).get("household", []):
            h = decode("household", row)
            if h["id"] == hid:
                return [v["id"] for v in h["visits"]]
    raise AssertionError(f"household {hid} not in the pages")


def whole_copy(server: Seeded, username: str) -> dict[uuid.UUID, dict[str, Any]]:
    """What a laptop of protocol 6 holds after a whole pull: every household with every visit."""
    fresh = server.device(username)
    fresh.pull()
    return fresh.households


def review(household_id: uuid.UUID, no: int, action: str, **fields: Any) -> Mut:
    return Mut(
        "visit.review",
        {"id": str(uuid.uuid4()), "visit_no": no, "household_id": str(household_id), "action": action, **fields},
    )


def test_a_row_brings_only_the_visits_changed_since_and_the_copy_stays_whole(server: Seeded) -> None:
    grid = server.grid("worker03")
    hid, other = server.take(grid, 2)
    worker = laptop(server, "worker03")
    first, second = visit(hid, days_ago=3), visit(hid, days_ago=2)
    worker.push(first, second, visit(other))
    worker.pull()
    assert {uuid.UUID(first.payload["id"]), uuid.UUID(second.payload["id"])} <= {
        v[0] for v in visits(worker.households[hid])
    }

    before = dict(worker.cursors)
    third = visit(hid, days_ago=1)
    worker.push_one(third)
    pages = worker.pull()

    # the row carries the one new visit, not the two the laptop has
    assert row_visits(pages, hid) == [uuid.UUID(third.payload["id"])]
    assert other not in {h for p in pages for h in (decode("household", r)["id"] for r in p["upserts"]["household"])}
    # and the copy is the whole copy a protocol 6 laptop pulls
    whole = whole_copy(server, "worker03")
    assert visits(worker.households[hid]) == visits(whole[hid])
    # a protocol 6 pull from the same cursors still gets every visit of the window
    answer = server.device("worker03", protocol=6).pull_raw(cursors=before).json()
    assert len(row_visits([answer], hid)) == len(whole[hid]["visits"]) >= 3


def test_a_return_reaches_the_laptop_in_the_changed_visit_alone(server: Seeded) -> None:
    grid = server.grid("demo")
    (hid,) = server.take(grid)
    worker, supervisor = laptop(server, "demo"), server.device("supervisor")
    kept, returned = visit(hid, days_ago=2), visit(hid, days_ago=1)
    worker.push(kept, returned)
    worker.pull()
    (row,) = [v for v in worker.households[hid]["visits"] if v["id"] == uuid.UUID(returned.payload["id"])]

    back = review(hid, row["no"], "return", reason="incomplete", comment="请补充见到的人员", pins=["seen"])
    assert supervisor.push_one(back)["status"] == "applied"
    pages = worker.pull()

    assert row_visits(pages, hid) == [uuid.UUID(returned.payload["id"])]
    held = {v["id"]: v for v in worker.households[hid]["visits"]}[uuid.UUID(returned.payload["id"])]
    assert held["review_state"] != row["review_state"] and held["review_reason"] == "incomplete"
    assert visits(worker.households[hid]) == visits(whole_copy(server, "demo")[hid])


def test_paging_that_cuts_between_a_households_changes_loses_no_visit(server: Seeded) -> None:
    """A household changed early and again late comes in the last page, past the cursor of its early
    change: its row there still brings the early visit, because the laptop names the cursors it
    started the pull from, not the page's."""
    grid = server.grid("worker04")
    hid, *others = server.take(grid, 6)
    worker, naive = laptop(server, "worker04"), laptop(server, "worker04")
    worker.pull()
    naive.pull()
    early, late = visit(hid, days_ago=3), visit(hid, days_ago=1)
    worker.push_one(early)
    for h in others:
        worker.push_one(visit(h, days_ago=2))
    worker.push_one(late)

    pages = worker.pull(limit=2)

    assert len(pages) >= 3 and all(len(p["upserts"]["household"]) <= 2 for p in pages)
    assert {uuid.UUID(early.payload["id"]), uuid.UUID(late.payload["id"])} <= set(row_visits(pages[1:], hid))
    assert visits(worker.households[hid]) == visits(whole_copy(server, "worker04")[hid])
    # the control: a laptop holding each page's cursors whole (naming none) would miss the early visit
    while naive.pull_page(limit=2).get("more"):
        pass
    assert uuid.UUID(early.payload["id"]) not in {v[0] for v in visits(naive.households[hid])}


def top(server: Seeded, scope: str) -> int:
    with server.session() as s:
        return int(s.scalar(select(ScopeVersion.version).where(ScopeVersion.scope == scope)) or 0)


def test_a_household_moved_in_comes_with_every_visit(server: Seeded) -> None:
    """Its visits were stamped in the grid it left, by that grid's counter: the laptops of the grid it
    joins hold cursors of another counter, past those stamps here, and still get every visit."""
    grids = sorted((server.grid("worker03"), server.grid("worker04")), key=lambda g: top(server, g.scope))
    source, target = grids  # into the grid whose counter is ahead
    (hid,) = server.take(source)
    mover, supervisor = server.device(source.worker), server.device("supervisor")
    mover.push(visit(hid, days_ago=5), visit(hid, days_ago=4))
    receiver = laptop(server, target.worker)
    (busy,) = server.take(target)
    while top(server, target.scope) <= top(server, source.scope):  # each push a version of the target grid
        receiver.push_one(visit(busy))
    receiver.pull()
    assert receiver.cursors[target.scope] > top(server, source.scope)

    r = supervisor.post(f"/v1/households/{hid}/move", json={"grid_id": str(target.id)})
    assert r.status_code == 200, r.text
    pages = receiver.pull()

    whole = whole_copy(server, target.worker)
    assert len(row_visits(pages, hid)) == len(whole[hid]["visits"]) >= 2
    assert visits(receiver.households[hid]) == visits(whole[hid])


def test_a_household_asked_for_whole_comes_with_every_visit(server: Seeded) -> None:
    grid = server.grid("worker03")
    (hid,) = server.take(grid)
    worker = laptop(server, "worker03")
    worker.push(visit(hid, days_ago=3), visit(hid, days_ago=2))
    worker.pull()
    worker.push_one(visit(hid, days_ago=1))
    # it skipped the household's row for its own unsent work
    body = {"epoch": worker.epoch, "cursors": worker.cursors, "limit": 1000, "whole": [str(hid)]}
    pages = [worker.post("/v1/sync/pull", json=body).json()]

    assert len(row_visits(pages, hid)) == len(whole_copy(server, "worker03")[hid]["visits"]) >= 3


@pytest.mark.parametrize(
    "field, value",
    [("complete", {"g:x": -1}), ("complete", {"g:x": "3"}), ("whole", ["not-an-id"]), ("whole", [None])],
)
def test_a_pull_with_a_bad_complete_or_whole_is_refused(server: Seeded, field: str, value: Any) -> None:
    dev = server.device("worker03")
    r = dev.post("/v1/sync/pull", json={"epoch": dev.epoch, "cursors": {}, "limit": 10, field: value})
    assert r.status_code == 422, r.text
