"""The pull of SYNC.md against a real server on SQLite and PostgreSQL: paging, cursors, leaving a scope
explicitly, the tombstone window, the epoch, and many writers committing while pullers poll (items 9,
14, 16, 23, 24)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, update

from gridworker_server.models import ChangeLog, Household
from gridworker_shared.protocol import GLOBAL_SCOPE
from tests.server.support import (
    TIMEOUT,
    Device,
    Seeded,
    decode,
    error_code,
    packed,
    visit,
)


@pytest.fixture(scope="module")
def supervisor(server: Seeded) -> Device:
    return server.device("supervisor")


def grid_household_count(server: Seeded, grid_id: uuid.UUID) -> int:
    with server.session() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Household)
                .where(Household.grid_id == grid_id, Household.deleted_at.is_(None))
            )
            or 0
        )


def fingerprint(dev: Device) -> dict[uuid.UUID, tuple[Any, ...]]:
    """What a client holds, order-independent: each household's version and its visits and requests."""
    return {
        hid: (
            h["version"],
            h["grid_id"],
            tuple(sorted(str(v["id"]) for v in h["visits"])),
            tuple(sorted((str(r["id"]), r["status"]) for r in h["requests"])),
        )
        for hid, h in dev.households.items()
    }


def upserted(page: dict[str, Any]) -> list[uuid.UUID]:
    return [decode("household", row)["id"] for row in page.get("upserts", {}).get("household", [])]


# --- paging and cursors ------------------------------------------------------------------------------


def test_a_paged_first_pull_reaches_the_same_state_as_one_big_pull(server: Seeded) -> None:
    grid = server.grid("demo")
    whole, paged = server.device("demo"), server.device("demo")

    (one,) = whole.pull()
    pages = paged.pull(limit=50)

    assert len(pages) > 5
    gone: set[str] = set()
    for page in pages:
        removes = [i for entities in page.get("removes", {}).values() for ids in entities.values() for i in ids]
        gone.update(removes)
        rows = sum(len(v) for v in page.get("upserts", {}).values())
        assert 0 < rows + len(removes) <= 50
        assert not page.get("reset")
    # removals (households moved or deleted by earlier tests) name only rows that are gone
    assert not gone & {packed(h) for h in whole.households}
    assert [p.get("more", False) for p in pages] == [True] * (len(pages) - 1) + [False]
    # the grid's pages come first (scopes in key order), then the policy guide's in the global scope
    steps = [p["cursors"][grid.scope] for p in pages if grid.scope in p["cursors"]]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)  # each page moves the cursor forward
    assert paged.cursors == whole.cursors == one["cursors"]
    assert paged.households == whole.households
    assert paged.org_units == whole.org_units
    assert len(paged.households) == grid_household_count(server, grid.id)
    assert {h["grid_id"] for h in paged.households.values()} == {grid.id}


def test_a_no_change_pull_is_tiny(server: Seeded) -> None:
    dev = server.device("worker03")
    dev.pull()

    r = dev.pull_raw()

    assert r.status_code == 200, r.text
    assert len(r.content) <= 128, r.content
    body = r.json()
    assert set(body) == {"epoch"}, body
    # also on the wire as the client sends it, gzip accepted
    assert int(r.headers["Content-Length"]) <= 128


def test_cursors_only_move_forward(server: Seeded, supervisor: Device) -> None:
    grid = server.grid("demo")
    dev, writer = server.device("demo"), server.device("demo")
    dev.pull()
    start = dev.cursors[grid.scope]
    h1, h2 = server.take(grid, 2)

    assert writer.push_one(visit(h1))["status"] == "applied"
    (page,) = dev.pull()
    after_push = page["cursors"][grid.scope]
    assert after_push > start
    assert upserted(page) == [h1]

    r = supervisor.request("PATCH", f"/v1/households/{h2}", json={"changes": {"notes": "主管补充"}})
    assert r.status_code == 200, r.text
    (page,) = dev.pull()
    assert page["cursors"][grid.scope] > after_push
    assert upserted(page) == [h2]
    assert dev.households[h2]["notes"] == "主管补充"

    # nothing new: the answer names no cursor, the client's stays where it is
    moved = dev.cursors[grid.scope]
    (page,) = dev.pull()
    assert "cursors" not in page
    assert dev.cursors[grid.scope] == moved


# --- leaving a scope is explicit (item 14) -----------------------------------------------------------


def test_reassigning_a_grid_removes_the_scope_from_the_old_worker_and_gives_it_whole_to_the_new(
    fresh_server: Seeded,
) -> None:
    server = fresh_server
    grid = server.grid("worker04")
    own = server.grid("worker03")
    old, new = server.device("worker04"), server.device("worker03")
    old.pull()
    new.pull()
    assert old.households and set(new.cursors) == {own.scope, GLOBAL_SCOPE}

    server.cli("assign-grid", grid.code, "worker03")

    (page,) = old.pull()
    assert page["removed"] == [grid.scope]
    assert not old.households and grid.scope not in old.cursors
    assert grid.scope not in old.get("/v1/me").json()["scopes"]

    pages = new.pull()
    assert grid.scope in pages[0]["cursors"]
    assert not any(p.get("reset") or p.get("removes") for p in pages)
    moved_in = [h for h in new.households.values() if h["grid_id"] == grid.id]
    assert len(moved_in) == grid_household_count(server, grid.id)
    fresh = server.device("worker03")
    fresh.pull()
    assert fresh.cursors == new.cursors
    assert fingerprint(fresh) == fingerprint(new)


def test_a_moved_household_is_removed_from_the_old_scope_and_upserted_in_the_new(
    server: Seeded, supervisor: Device
) -> None:
    source, target = server.grid("demo"), server.grid("worker02")
    here, there = server.device("demo"), server.device("worker02")
    here.pull()
    there.pull()
    watching = server.device("supervisor")
    watching.pull()
    (h,) = server.take(source)
    assert h in here.households and h not in there.households

    r = supervisor.post(f"/v1/households/{h}/move", json={"grid_id": str(target.id)})
    assert r.status_code == 200, r.text

    (page,) = here.pull()
    assert page["removes"] == {source.scope: {"household": [packed(h)]}}
    assert h not in here.households
    (page,) = there.pull()
    assert upserted(page) == [h]
    assert there.households[h]["grid_id"] == target.id
    assert "removes" not in page
    # a supervisor holding both scopes ends with the household under the new one
    watching.pull()
    assert watching.households[h]["grid_id"] == target.id


# --- the tombstone window (item 16) --------------------------------------------------------------------


def _delete_and_expire(server: Seeded, supervisor: Device, grid_scope: str, household: uuid.UUID) -> None:
    """The supervisor removes a household; 61 days pass (the removal's time set back); the purge runs."""
    r = supervisor.request("DELETE", f"/v1/households/{household}")
    assert r.status_code == 200, r.text
    with server.session() as s:
        done = s.execute(
            update(ChangeLog)
            .where(ChangeLog.scope == grid_scope, ChangeLog.op == "r")
            .values(changed_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=61))
        )
        assert done.rowcount == 1  # type: ignore[attr-defined]
    out = server.cli("purge-tombstones")
    assert "purged 1 " in out, out


def test_a_cursor_older_than_the_tombstone_window_gets_a_reset(fresh_server: Seeded) -> None:
    server = fresh_server
    grid = server.grid("demo")
    supervisor = server.device("supervisor")
    stale = server.device("demo")
    stale.pull()
    gone, kept = server.take(grid, 2)
    assert gone in stale.households
    r = supervisor.request("PATCH", f"/v1/households/{kept}", json={"changes": {"notes": "删除前修改"}})
    assert r.status_code == 200, r.text
    current = server.device("demo")
    _delete_and_expire(server, supervisor, grid.scope, gone)
    current.pull()  # after the removal was made, before it expired: within the window

    (page,) = stale.pull()

    assert page["reset"] == [grid.scope]
    assert "removes" not in page  # a snapshot, not a diff
    assert gone not in stale.households
    assert stale.households[kept]["notes"] == "删除前修改"
    assert fingerprint(stale) == fingerprint(current)
    assert stale.cursors == current.cursors
    # a cursor inside the window is not reset
    (page,) = current.pull()
    assert "reset" not in page


def test_a_first_sync_after_a_purge_pages_to_the_end(fresh_server: Seeded) -> None:
    """Liveness (item 24): a new laptop paging through a scope whose tombstones were purged must not be
    reset back to the start on every page."""
    server = fresh_server
    grid = server.grid("demo")
    supervisor = server.device("supervisor")
    (gone,) = server.take(grid)
    _delete_and_expire(server, supervisor, grid.scope, gone)
    whole = server.device("demo")
    whole.pull()

    paged = server.device("demo")
    pages = paged.pull(limit=50, max_pages=40)

    assert not any(p.get("reset") for p in pages[1:])
    assert fingerprint(paged) == fingerprint(whole)
    assert paged.cursors == whole.cursors


# --- the epoch (item 9) ---------------------------------------------------------------------------------


def test_a_new_epoch_resets_every_held_scope_and_refuses_pushes_of_the_old_one(fresh_server: Seeded) -> None:
    server = fresh_server
    dev = server.device("supervisor")
    dev.pull()
    held = sorted(dev.cursors)
    # four grids, their review scopes and the policy guide
    assert len(held) == 9 and GLOBAL_SCOPE in held and sum(s.startswith("r:") for s in held) == 4
    before = fingerprint(dev)
    old_epoch = dev.epoch
    worker = server.device("demo")
    (h,) = server.take(server.grid("demo"))

    out = server.cli("new-epoch")
    new_epoch = out.split()[2].rstrip(":")  # "new epoch UUID: clients will reset ..."
    assert new_epoch != old_epoch

    pages = dev.pull()  # the review scopes make a supervisor's copy more than one page
    page = pages[0]
    assert page["epoch"] == new_epoch
    assert page["reset"] == held
    assert sorted({scope for p in pages for scope in p["cursors"]}) == held
    assert fingerprint(dev) == before  # the snapshot brings back the same rows

    pushed = worker.send(worker.batch(visit(h)), epoch=old_epoch)
    assert pushed.status_code == 409, pushed.text
    assert error_code(pushed) == "epoch_changed"
    assert pushed.json()["detail"] == {"epoch": new_epoch}
    assert server.last_seq(worker.device_id) == 0
    # the client takes the new epoch and pushes its unacknowledged work again
    worker.next_seq = 1
    worker.epoch = new_epoch
    assert worker.push_one(visit(h))["status"] == "applied"


# --- many writers, pullers polling (item 23), PostgreSQL only ------------------------------------------


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_many_concurrent_writers_on_postgresql_no_change_missed(server: Seeded) -> None:
    grid = server.grid("demo")
    writers, per_writer, pullers = 6, 12, 2
    households = server.take(grid, writers * per_writer)
    writer_devices = [server.device("demo") for _ in range(writers)]
    puller_devices = [server.device("demo") for _ in range(pullers)]
    start = threading.Barrier(writers + pullers)
    halfway = threading.Barrier(writers)
    half_committed = threading.Event()
    polled_midway = [threading.Event() for _ in range(pullers)]
    writing_done = threading.Event()
    committed: list[uuid.UUID] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def write(dev: Device, mine: list[uuid.UUID]) -> None:
        try:
            start.wait(timeout=TIMEOUT)
            for i, hid in enumerate(mine):
                if i == len(mine) // 2:
                    # half written by every writer: wait until each puller has pulled that state
                    if halfway.wait(timeout=TIMEOUT) == 0:
                        half_committed.set()
                    assert all(e.wait(timeout=TIMEOUT) for e in polled_midway)
                mut = visit(hid, notes="并发写入")
                result = dev.push_one(mut)
                assert result["status"] == "applied", result
                with lock:
                    committed.append(uuid.UUID(mut.payload["id"]))
        except BaseException as exc:
            with lock:
                errors.append(exc)

    def poll(index: int, dev: Device) -> None:
        try:
            start.wait(timeout=TIMEOUT)
            while not writing_done.is_set():
                midway = half_committed.is_set()
                dev.pull()
                if midway:
                    polled_midway[index].set()
            dev.pull()  # once more after the last commit
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(d, households[i * per_writer : (i + 1) * per_writer]))
        for i, d in enumerate(writer_devices)
    ]
    poll_threads = [threading.Thread(target=poll, args=(i, d)) for i, d in enumerate(puller_devices)]
    for t in [*threads, *poll_threads]:
        t.start()
    for t in threads:
        t.join(timeout=300)
    writing_done.set()
    for t in poll_threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in [*threads, *poll_threads])
    assert not errors, errors

    assert len(committed) == writers * per_writer
    assert all(e.is_set() for e in polled_midway)  # they polled while the writers committed
    reference = server.device("demo")
    reference.pull()
    for dev in puller_devices:
        # each household changed once during the run: a skipped change would never come back
        missing = set(committed) - dev.visit_ids()
        assert not missing, f"{len(missing)} committed visits never reached a puller"
        assert fingerprint(dev) == fingerprint(reference)
        assert dev.cursors == reference.cursors
