"""The push rules of SYNC.md against a real server on SQLite and on PostgreSQL: exactly once, in
sequence, every mutation authorized and decided by the server (failure list items 10 to 15, 17 to 19).

The tests share one seeded server per backend; each signs in as its own device (sequences are per
device) and works on households no other test touches."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from gridworker_server.models import OrgUnit, RequestEvent
from gridworker_shared.domain.visits import MAX_DESCRIPTION, MAX_NOTES
from tests.server.support import (
    CHINA,
    TIMEOUT,
    Device,
    Mut,
    Seeded,
    error_code,
    household_update,
    new_request,
    request_command,
    visit,
)


@pytest.fixture(scope="module")
def supervisor(server: Seeded) -> Device:
    return server.device("supervisor")


def grid_visits(supervisor: Device, code: str) -> list[dict[str, Any]]:
    r = supervisor.get("/v1/visits", params={"grid": code, "limit": 1000})
    assert r.status_code == 200, r.text
    return list(r.json())


# --- exactly once (item 10) ------------------------------------------------------------------------


def test_the_same_batch_again_replays_the_stored_results_and_applies_nothing_twice(
    server: Seeded, supervisor: Device
) -> None:
    dev = server.device("demo")
    grid = server.grid("demo")
    h1, h2 = server.take(grid, 2)
    v1, v2 = visit(h1, notes="第一次"), visit(h2, outcome="not_home")
    items = dev.batch(v1, v2)

    first = dev.send(items)
    assert first.status_code == 200, first.text
    assert [r["status"] for r in first.json()["results"]] == ["applied", "applied"]
    again = dev.send(items)
    assert again.status_code == 200, again.text

    assert again.json()["results"] == first.json()["results"]
    assert again.json()["last_seq"] == first.json()["last_seq"] == 2
    assert server.last_seq(dev.device_id) == 2
    v1_id, v2_id = uuid.UUID(v1.payload["id"]), uuid.UUID(v2.payload["id"])
    assert server.visit_count(v1_id) == server.visit_count(v2_id) == 1
    listed = [v["id"] for v in grid_visits(supervisor, grid.code)]
    assert listed.count(str(v1_id)) == 1
    assert listed.count(str(v2_id)) == 1


def test_the_same_mutation_from_a_new_device_of_the_user_is_answered_not_applied_again(server: Seeded) -> None:
    """A laptop restored from a backup takes a new device id and pushes its unacknowledged outbox again."""
    (h,) = server.take(server.grid("demo"))
    mut = visit(h, notes="恢复前已上传")
    old = server.device("demo")
    first = old.push_one(mut)
    assert first["status"] == "applied"

    new = server.device("demo")
    again = new.push_one(mut)

    assert again["status"] == "applied"
    assert again["data"] == first["data"]
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 1
    assert server.household(h).version == first["data"]["household_version"]
    assert server.last_seq(new.device_id) == 1


def test_the_same_batch_pushed_concurrently_by_one_device_has_one_effect(server: Seeded) -> None:
    dev = server.device("demo")
    h1, h2 = server.take(server.grid("demo"), 2)
    version = server.household(h2).version
    muts = [visit(h1, notes="并发"), household_update(h2, version, {"notes": "并发修改"}, {"notes": ""})]
    items = dev.batch(*muts)
    body = dev.body(items)
    threads = 8
    barrier = threading.Barrier(threads)
    answers: list[requests.Response | BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        barrier.wait(timeout=TIMEOUT)
        try:
            answer: requests.Response | BaseException = requests.post(
                dev.base + "/v1/sync/push", json=body, headers=dev.headers, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            answer = exc
        with lock:
            answers.append(answer)

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=TIMEOUT)
    assert not any(t.is_alive() for t in workers)

    assert len(answers) == threads
    responses = [a for a in answers if isinstance(a, requests.Response)]
    assert len(responses) == threads, answers
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    results = [r.json()["results"] for r in responses]
    assert all(r == results[0] for r in results)
    assert [r["status"] for r in results[0]] == ["applied", "applied"]
    assert server.visit_count(uuid.UUID(muts[0].payload["id"])) == 1
    assert server.household(h2).version == version + 1
    assert server.last_seq(dev.device_id) == 2


def test_a_visit_id_sent_again_is_a_no_op_and_with_other_content_a_conflict_for_review(
    server: Seeded, supervisor: Device
) -> None:
    """The visit's own UUID is the key (SYNC.md, ownership table), whatever mutation carries it."""
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    original = visit(h, notes="原始记录")
    assert dev.push_one(original)["status"] == "applied"
    visit_id = uuid.UUID(original.payload["id"])

    same = dev.push_one(dataclasses.replace(original, id=uuid.uuid4()))
    other = dev.push_one(
        dataclasses.replace(original, id=uuid.uuid4(), payload={**original.payload, "notes": "另一份内容"})
    )

    assert (same["status"], same["data"]) == ("applied", {"duplicate": True})
    assert (other["status"], other["code"]) == ("conflict", "visit_id_reused")
    assert server.visit_count(visit_id) == 1
    stored = server.visit(visit_id)
    assert stored is not None and stored.notes == "原始记录"
    kept = [c for c in supervisor.get("/v1/conflicts", params={"limit": 500}).json() if c["entity_id"] == str(visit_id)]
    assert [(c["entity"], c["code"]) for c in kept] == [("visit", "visit_id_reused")]


# --- the sequence: gaps and forks (items 11, 19) ------------------------------------------------------


def test_a_gap_in_the_sequence_refuses_the_whole_batch(server: Seeded) -> None:
    dev = server.device("demo")
    h0, h1, h2 = server.take(server.grid("demo"), 3)
    assert dev.push_one(visit(h0))["status"] == "applied"
    before = server.household(h1).version
    ok, after_gap = visit(h1), visit(h2)
    items = dev.batch(ok)
    dev.next_seq += 1  # seq 3 is lost: the batch jumps from 2 to 4
    items += dev.batch(after_gap)

    r = dev.send(items)

    assert r.status_code == 409, r.text
    assert error_code(r) == "sequence_gap"
    assert r.json()["detail"] == {"expected": 3, "got": 4}
    # the valid mutation before the gap was not applied either
    assert server.visit_count(uuid.UUID(ok.payload["id"])) == 0
    assert server.visit_count(uuid.UUID(after_gap.payload["id"])) == 0
    assert server.household(h1).version == before
    assert server.last_seq(dev.device_id) == 1

    # the client resends from the expected number: accepted
    dev.next_seq = 2
    assert [r["status"] for r in dev.push(ok, after_gap)] == ["applied", "applied"]


def test_an_old_sequence_number_with_another_mutation_is_a_device_fork(server: Seeded) -> None:
    """The laptop's database was restored from a backup: its new work must not be silently dropped."""
    dev = server.device("demo")
    h1, h2, h3 = server.take(server.grid("demo"), 3)
    assert [r["status"] for r in dev.push(visit(h1), visit(h2))] == ["applied", "applied"]

    dev.next_seq = 2  # the restored outbox numbers its new work from 2 again
    forked, following = visit(h3, notes="恢复后新录入"), visit(h3, notes="恢复后第二条")
    r = dev.send(dev.batch(forked, following))

    assert r.status_code == 409, r.text
    assert error_code(r) == "device_fork"
    assert r.json()["detail"] == {"last_seq": 2, "seq": 2}
    assert server.visit_count(uuid.UUID(forked.payload["id"])) == 0
    assert server.visit_count(uuid.UUID(following.payload["id"])) == 0
    assert server.last_seq(dev.device_id) == 2

    # as the client must: a new device id (a fresh sign-in) and the work pushed from 1
    fresh = server.device("demo")
    assert [r["status"] for r in fresh.push(forked, following)] == ["applied", "applied"]
    assert server.visit_count(uuid.UUID(forked.payload["id"])) == 1


# --- a poison mutation never blocks the queue (item 11, 17) -----------------------------------------


def test_poison_mutations_are_rejected_with_a_code_and_the_queue_goes_on(server: Seeded) -> None:
    dev = server.device("demo")
    h1, h2 = server.take(server.grid("demo"), 2)
    version = server.household(h1).version
    unknown = Mut("household.teleport", {"household_id": str(h1)})
    invalid = Mut("visit.create", {"id": str(uuid.uuid4()), "household_id": str(h1), "outcome": "met"})
    status_write = Mut("request.update", {"id": str(uuid.uuid4()), "status": "resolved"})
    status_in_changes = household_update(h1, version, {"status": "closed"}, {})
    good = visit(h2, notes="毒消息之后")

    results = dev.push(unknown, invalid, status_write, status_in_changes, good)

    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "unknown_kind"),
        ("rejected", "invalid"),
        ("rejected", "status_is_server_owned"),
        ("rejected", "status_is_server_owned"),
        ("applied", ""),
    ]
    assert all(r["message"] for r in results[:4])
    assert server.last_seq(dev.device_id) == 5
    assert server.visit_count(uuid.UUID(good.payload["id"])) == 1
    assert server.household(h1).version == version
    # and the next batch continues the sequence
    assert dev.push_one(visit(h2, notes="继续"))["status"] == "applied"
    assert server.last_seq(dev.device_id) == 6


def test_text_the_database_cannot_store_is_rejected_and_the_queue_goes_on(server: Seeded) -> None:
    """A NUL character: PostgreSQL refuses it in text. Failing the batch would block the queue forever."""
    dev = server.device("demo")
    h1, h2 = server.take(server.grid("demo"), 2)
    version = server.household(h1).version
    in_notes = visit(h1, notes="走访\x00记录")
    in_edit = household_update(h1, version, {"notes": "备注\x00"}, {"notes": ""})
    in_kind = Mut("visit.create\x00", {"id": str(uuid.uuid4()), "household_id": str(h1)})
    in_request = visit(h1, requests_=[{**new_request(), "description": "\x00"}])
    good = visit(h2)

    results = dev.push(in_notes, in_edit, in_kind, in_request, good)

    assert [(r["status"], r["code"]) for r in results] == [("rejected", "invalid")] * 4 + [("applied", "")]
    assert server.visit_count(uuid.UUID(in_notes.payload["id"])) == 0
    assert server.household(h1).version == version
    assert server.last_seq(dev.device_id) == 5
    # the stored answers replay like any other
    assert dev.send(dev.batch()).status_code == 200


def test_a_visit_to_a_household_of_another_grid_is_rejected_out_of_scope(server: Seeded) -> None:
    dev = server.device("demo")
    (foreign,) = server.take(server.grid("worker02"))
    mut = visit(foreign)

    result = dev.push_one(mut)

    assert (result["status"], result["code"]) == ("rejected", "out_of_scope")
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 0
    assert server.last_seq(dev.device_id) == 1


# --- household edits: merged field by field (items 12, 13, 15) ---------------------------------------


def test_a_stale_edit_of_another_field_is_merged(server: Seeded, supervisor: Device) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    seen = server.household(h)
    r = supervisor.request("PATCH", f"/v1/households/{h}", json={"changes": {"notes": "主管：独居老人"}})
    assert r.status_code == 200, r.text

    result = dev.push_one(household_update(h, seen.version, {"phone": "13912345678"}, {"phone": seen.phone}))

    assert (result["status"], result["code"]) == ("applied", "")
    assert result["data"]["applied"] == ["phone"]
    after = server.household(h)
    assert (after.phone, after.notes) == ("13912345678", "主管：独居老人")
    assert after.version == seen.version + 2
    # the worker's next pull carries both values
    dev.pull()
    assert (dev.households[h]["phone"], dev.households[h]["notes"]) == ("13912345678", "主管：独居老人")


def test_a_stale_edit_of_the_same_field_wins_and_keeps_both_values_for_review(
    server: Seeded, supervisor: Device
) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    seen = server.household(h)
    r = supervisor.request("PATCH", f"/v1/households/{h}", json={"changes": {"phone": "13587654321"}})
    assert r.status_code == 200, r.text

    result = dev.push_one(household_update(h, seen.version, {"phone": "15851234567"}, {"phone": seen.phone}))

    assert (result["status"], result["code"]) == ("conflict", "field_conflict")
    assert result["data"]["conflicts"] == [{"field": "phone", "kept": "15851234567", "overwritten": "13587654321"}]
    assert server.household(h).phone == "15851234567"
    listed = supervisor.get("/v1/conflicts", params={"limit": 500})
    assert listed.status_code == 200, listed.text
    mine = [c for c in listed.json() if c["entity_id"] == str(h)]
    assert len(mine) == 1
    assert (mine[0]["field"], mine[0]["kept"], mine[0]["overwritten"]) == ("phone", "15851234567", "13587654321")
    assert mine[0]["household_id"] == str(h)
    # the worker sees its own conflict too, another grid's worker does not
    assert any(c["entity_id"] == str(h) for c in dev.get("/v1/conflicts").json())
    other = server.device("worker02")
    assert not any(c["entity_id"] == str(h) for c in other.get("/v1/conflicts").json())


def test_two_devices_of_one_worker_editing_one_household_merge(server: Seeded) -> None:
    """Item 13: the second laptop's edit is based on the version both saw; different fields merge."""
    first, second = server.device("demo"), server.device("demo")
    (h,) = server.take(server.grid("demo"))
    seen = server.household(h)

    a = first.push_one(household_update(h, seen.version, {"visit_interval_days": 14}, {"visit_interval_days": None}))
    b = second.push_one(household_update(h, seen.version, {"tags": ["elderly_alone"]}, {"tags": seen.tags}))

    assert (a["status"], b["status"]) == ("applied", "applied")
    after = server.household(h)
    assert (after.visit_interval_days, after.tags) == (14, ["elderly_alone"])


def test_a_supervisor_delete_wins_over_an_offline_edit(server: Seeded, supervisor: Device) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    seen = server.household(h)
    r = supervisor.request("DELETE", f"/v1/households/{h}")
    assert r.status_code == 200, r.text

    edit = household_update(h, seen.version, {"notes": "离线时修改"}, {"notes": seen.notes})
    late_visit = visit(h, days_ago=1)
    results = dev.push(edit, late_visit)

    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "household_removed"),
        ("rejected", "household_removed"),
    ]
    assert server.household(h).notes == seen.notes
    assert server.visit_count(uuid.UUID(late_visit.payload["id"])) == 0


def test_a_household_moved_away_accepts_the_pending_visit_flagged_and_rejects_the_edit(
    server: Seeded, supervisor: Device
) -> None:
    """Item 14: a visit is a fact (accepted, flagged); an edit of a household now elsewhere is not."""
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    seen = server.household(h)
    pending_visit = visit(h, days_ago=1, notes="调整前走访")
    pending_edit = household_update(h, seen.version, {"notes": "调整前修改"}, {"notes": seen.notes})
    target = server.grid("worker02")
    r = supervisor.post(f"/v1/households/{h}/move", json={"grid_id": str(target.id)})
    assert r.status_code == 200, r.text

    results = dev.push(pending_visit, pending_edit)

    assert results[0]["status"] == "applied"
    assert results[0]["data"]["flag"] == "household_left_scope"
    assert (results[1]["status"], results[1]["code"]) == ("rejected", "household_reassigned")
    stored = server.visit(uuid.UUID(pending_visit.payload["id"]))
    assert stored is not None
    assert stored.flag == "household_left_scope"
    assert server.household(h).notes == seen.notes
    in_new_grid = [v for v in grid_visits(supervisor, target.code) if v["id"] == pending_visit.payload["id"]]
    assert [v["flag"] for v in in_new_grid] == ["household_left_scope"]


# --- resident requests: status belongs to the server (item 17) --------------------------------------


def _household_with_request(server: Seeded, dev: Device) -> tuple[uuid.UUID, uuid.UUID]:
    (h,) = server.take(server.grid(dev.username))
    req = new_request()
    assert dev.push_one(visit(h, requests_=[req]))["status"] == "applied"
    return h, uuid.UUID(req["id"])


def _events(server: Seeded, request_id: uuid.UUID, command: str) -> int:
    with server.session() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(RequestEvent)
                .where(RequestEvent.request_id == request_id, RequestEvent.command == command)
            )
            or 0
        )


def test_a_cancel_replayed_makes_one_transition_and_a_second_cancel_none(server: Seeded) -> None:
    dev = server.device("demo")
    h, rid = _household_with_request(server, dev)
    cancel = request_command(rid, h, "cancel", "居民已自行解决")
    items = dev.batch(cancel)

    first = dev.send(items)
    replay = dev.send(items)
    assert first.status_code == replay.status_code == 200
    assert replay.json()["results"] == first.json()["results"]
    (result,) = first.json()["results"]
    assert (result["status"], result["data"]) == ("applied", {"status": "cancelled", "transition": True})
    # the same mutation id again under a new sequence number (re-queued by the client): answered, not redone
    assert dev.push_one(cancel)["data"] == {"status": "cancelled", "transition": True}
    assert _events(server, rid, "cancel") == 1

    second = dev.push_one(request_command(rid, h, "cancel", "再次撤销"))

    assert (second["status"], second["data"]) == ("applied", {"status": "cancelled", "transition": False})
    assert server.request_status(rid) == "cancelled"
    assert _events(server, rid, "cancel") == 1


def test_supervisor_transitions_follow_the_state_machine_and_reach_the_worker(
    server: Seeded, supervisor: Device
) -> None:
    dev = server.device("demo")
    h, rid = _household_with_request(server, dev)
    dev.pull()
    assert [r["status"] for r in dev.households[h]["requests"] if r["id"] == rid] == ["submitted"]

    def transition(to: str) -> requests.Response:
        return supervisor.post(f"/v1/requests/{rid}/transition", json={"to": to, "note": f"转为{to}"})

    assert transition("accepted").status_code == 200
    bad = transition("closed")
    assert bad.status_code == 409, bad.text
    assert error_code(bad) == "invalid_transition"
    # the flow (issue 13): a supervisor dispatches; signing is the department's
    assert error_code(transition("in_progress")) == "invalid_transition"
    with server.session() as s:
        department = s.scalar(select(OrgUnit.id).where(OrgUnit.kind == "department"))
    sent = supervisor.post(
        f"/v1/requests/{rid}/step", json={"step": "dispatch", "department_id": str(department), "note": "派单"}
    )
    assert sent.status_code == 200 and sent.json()["status"] == "dispatched", sent.text
    assert server.request_status(rid) == "dispatched"

    dev.pull()
    (row,) = [r for r in dev.households[h]["requests"] if r["id"] == rid]
    assert (row["status"], row["status_note"]) == ("dispatched", "派单")
    # a cancel once the request is being handled is refused with its reason, the status unchanged
    refused = dev.push_one(request_command(rid, h, "cancel"))
    assert (refused["status"], refused["code"]) == ("rejected", "cannot_cancel")
    assert server.request_status(rid) == "dispatched"


# --- device clocks are for audit only (item 18) ------------------------------------------------------


def test_a_device_clock_days_off_changes_no_ordering(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    seen = server.household(h)
    now = dt.datetime.now(dt.UTC)
    ahead = household_update(
        h, seen.version, {"notes": "先录入"}, {"notes": seen.notes}, created_at=now + dt.timedelta(days=5)
    )
    behind = household_update(
        h, seen.version + 1, {"notes": "后录入"}, {"notes": "先录入"}, created_at=now - dt.timedelta(days=5)
    )
    late = visit(h, created_at=now - dt.timedelta(days=9))

    results = dev.push(ahead, behind, late)

    assert [(r["status"], r["code"]) for r in results] == [("applied", "")] * 3
    after = server.household(h)
    assert after.notes == "后录入"  # arrival order, not the device's clock
    assert after.version == seen.version + 3
    offset = server.device_row(dev.device_id).clock_offset_s
    assert offset is not None
    assert abs(offset + 9 * 86400) < 600  # noted for audit


# --- the visit and household rules the laptop applies too (gridworker_shared.domain) --------------------


def correction(of: Mut, outcome: str, notes: str = "更正") -> Mut:
    return Mut(
        "visit.amend",
        {**of.payload, "id": str(uuid.uuid4()), "amends": of.payload["id"], "outcome": outcome, "notes": notes},
    )


def test_a_correction_moves_last_met_back_and_a_visit_is_corrected_once(server: Seeded) -> None:
    """visit.amend: the corrected visit no longer stands, so last met falls back (the shared
    last_visits rule); a second correction of the same visit and one of an unknown visit are refused."""
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    before = server.household(h)
    today = dt.datetime.now(CHINA).date()
    met = visit(h, outcome="met")
    assert dev.push_one(met)["status"] == "applied"
    assert server.household(h).last_met_on == today

    fixed = correction(met, "not_home")
    again = correction(met, "refused")
    unknown = Mut("visit.amend", {**fixed.payload, "id": str(uuid.uuid4()), "amends": str(uuid.uuid4())})
    results = dev.push(fixed, again, unknown)

    assert [(r["status"], r["code"]) for r in results] == [
        ("applied", ""),
        ("rejected", "already_corrected"),
        ("rejected", "visit_unknown"),
    ]
    after = server.household(h)
    assert after.last_met_on == before.last_met_on
    assert after.last_attempt_on == today
    assert after.version == before.version + 2
    assert server.visit_count(uuid.UUID(fixed.payload["id"])) == 1


def test_a_batch_editing_a_household_between_two_visits_to_it_counts_every_change_once(server: Seeded) -> None:
    """A batch's new visits move their household's facts as read up front; an edit between them loads
    the household after the first visit is written, and the second visit moves what the edit left."""
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    before = server.household(h)
    today = dt.datetime.now(CHINA).date()
    results = dev.push(
        visit(h, outcome="met", days_ago=2),
        household_update(h, before.version, {"notes": "批内修改"}, {"notes": before.notes}),
        visit(h, outcome="not_home"),
    )

    assert [r["status"] for r in results] == ["applied", "applied", "applied"]
    assert results[0]["data"]["household_version"] == before.version + 1
    assert results[2]["data"]["household_version"] == before.version + 3
    after = server.household(h)
    assert after.version == before.version + 3
    assert after.notes == "批内修改"
    assert after.last_met_on == today - dt.timedelta(days=2)
    assert after.last_attempt_on == today


def test_an_edit_after_a_refused_visit_of_the_batch_starts_from_the_versions_its_visits_took(
    server: Seeded,
) -> None:
    """A refused visit sends its household's row again (read as the database holds it then, before the
    batch's visits are written); an edit later in the batch still counts from what those visits made."""
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    before = server.household(h)
    results = dev.push(
        visit(h, outcome="met"),
        visit(h, outcome="no_such_outcome"),
        household_update(h, before.version, {"notes": "拒绝之后修改"}, {"notes": before.notes}),
    )

    assert [(r["status"], r["code"]) for r in results] == [("applied", ""), ("rejected", "invalid"), ("applied", "")]
    after = server.household(h)
    assert after.notes == "拒绝之后修改"
    assert after.version == before.version + 2
    assert after.last_met_on == dt.datetime.now(CHINA).date()


def test_the_server_holds_a_visit_to_the_limits_of_the_laptop_form(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    longest = visit(h, notes="记" * MAX_NOTES, requests_=[new_request(description="述" * MAX_DESCRIPTION)])
    notes = visit(h, notes="记" * (MAX_NOTES + 1))
    description = visit(h, requests_=[new_request(description="述" * (MAX_DESCRIPTION + 1))])
    category = visit(h, requests_=[new_request(category="nonsense")])
    old = visit(h)
    ancient = dataclasses.replace(old, payload={**old.payload, "visited_at": "1999-12-31T08:00:00+08:00"})
    ahead = visit(h, days_ago=-3)

    results = dev.push(longest, notes, description, category, ancient, ahead)

    assert [(r["status"], r["code"]) for r in results] == [("applied", "")] + [("rejected", "invalid")] * 5
    # one code, the rule named by its reason (the app's text for "invalid.notes_too_long" ...)
    assert [r["data"]["reason"] for r in results[1:]] == [
        "notes_too_long",
        "description_too_long",
        "request_codes",
        "time",
        "time",
    ]
    assert results[4]["data"]["when"].startswith("1999-12-31") and results[4]["data"]["what"] == "visit"


def test_a_household_edit_is_held_to_the_laptop_edit_rules(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    seen = server.household(h)
    edits = [
        {"visit_interval_days": 0},
        {"visit_interval_days": "7"},
        {"tags": "elderly_alone"},
        {"tags": ["elderly_alone", "vip"]},
        {"notes": "很" * (MAX_NOTES + 1)},
        {"phone": "not a phone"},
    ]
    results = dev.push(*(household_update(h, seen.version, e, {}) for e in edits))
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "invalid_value")] * len(edits)
    assert server.household(h).version == seen.version
    ok = dev.push_one(household_update(h, seen.version, {"tags": ["elderly_alone", "elderly_alone"]}, {}))
    assert ok["status"] in ("applied", "conflict")
    assert server.household(h).tags == ["elderly_alone"]
