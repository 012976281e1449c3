"""Exact mutations (issue 11, items 4, 5 and 8) against a real server on SQLite and on PostgreSQL: a
mutation id is bound to its content, no payload a device sends blocks its queue or answers 500, and a
visit is corrected by its author only (SYNC.md, Push and Who owns what)."""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any

import pytest

from tests.server.support import Device, Mut, Seeded, error_code, visit


@pytest.fixture(scope="module")
def supervisor(server: Seeded) -> Device:
    return server.device("supervisor")


def correction(of: Mut, notes: str = "更正") -> Mut:
    return Mut("visit.amend", {**of.payload, "id": str(uuid.uuid4()), "amends": of.payload["id"], "notes": notes})


# --- a mutation id is bound to its content (item 4) ---------------------------------------------------


def test_a_mutation_id_reused_at_a_new_seq_with_other_content_is_a_conflict(server: Seeded) -> None:
    dev = server.device("demo")
    h1, h2 = server.take(server.grid("demo"), 2)
    first = visit(h1, notes="甲户走访")
    assert dev.push_one(first)["status"] == "applied"
    other = Mut("visit.create", visit(h2, notes="乙户走访").payload, id=first.id)

    (result,) = dev.push(other)

    assert (result["status"], result["code"]) == ("conflict", "mutation_id_reused")
    assert result["message"]
    assert server.visit_count(uuid.UUID(other.payload["id"])) == 0
    assert server.last_seq(dev.device_id) == 2  # the queue goes on
    # the same content again under the same id is still answered from the first result
    again = dev.push_one(first)
    assert (again["status"], again["code"]) == ("applied", "")
    assert server.visit_count(uuid.UUID(first.payload["id"])) == 1


def test_the_same_seq_resent_with_other_content_is_a_conflict_and_applies_nothing(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    original = visit(h, notes="原来的备注")
    items = dev.batch(original)
    first = dev.send(items)
    assert first.status_code == 200, first.text
    changed: list[dict[str, Any]] = [{**items[0], "payload": {**original.payload, "notes": "改过的备注"}}]

    again = dev.send(changed)

    assert again.status_code == 200, again.text
    (result,) = again.json()["results"]
    assert (result["seq"], result["status"], result["code"]) == (items[0]["seq"], "conflict", "mutation_id_reused")
    stored = server.visit(uuid.UUID(original.payload["id"]))
    assert stored is not None and stored.notes == "原来的备注"
    # the stored result is untouched: the original content replays it
    assert dev.send(items).json()["results"] == first.json()["results"]
    assert server.last_seq(dev.device_id) == items[0]["seq"]


# --- nothing a device sends blocks its queue or answers 500 (item 5) ----------------------------------


def nested(depth: int) -> Any:
    value: Any = "底"
    for _ in range(depth):
        value = [value]
    return value


def test_a_deeply_nested_payload_is_rejected_and_the_queue_goes_on(server: Seeded) -> None:
    dev = server.device("demo")
    h1, h2 = server.take(server.grid("demo"), 2)
    deep = visit(h1)
    deep = dataclasses.replace(deep, payload={**deep.payload, "notes": nested(329)})
    good = visit(h2, notes="之后的走访")

    results = dev.push(deep, good)

    assert [(r["status"], r["code"]) for r in results] == [("rejected", "invalid"), ("applied", "")]
    assert results[0]["data"]["reason"] == "too_deep"
    assert server.last_seq(dev.device_id) == 2
    assert dev.push_one(visit(h2, notes="队列继续"))["status"] == "applied"


def test_a_body_nested_past_the_parser_is_refused_whole_not_a_server_error(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    items = dev.batch(visit(h, notes="PLACEHOLDER"))
    body = json.dumps(dev.body(items)).replace('"PLACEHOLDER"', "[" * 5000 + "1" + "]" * 5000)

    r = dev.post("/v1/sync/push", data=body.encode(), headers={"Content-Type": "application/json"})

    assert r.status_code == 422, r.text
    assert error_code(r) == "invalid_request"
    assert server.last_seq(dev.device_id) == dev.login_seq


# --- a visit is corrected by its author (item 8) -------------------------------------------------------


def test_only_the_author_corrects_a_visit_and_a_supervisor_is_refused(server: Seeded, supervisor: Device) -> None:
    author = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    original = visit(h, notes="本人记录")
    assert author.push_one(original)["status"] == "applied"
    target = server.grid("worker02")
    r = supervisor.post(f"/v1/households/{h}/move", json={"grid_id": str(target.id)})
    assert r.status_code == 200, r.text
    version = server.household(h).version

    by_other = server.device("worker02").push_one(correction(original, "别人改的"))
    by_supervisor = supervisor.push_one(correction(original, "督导改的"))

    assert (by_other["status"], by_other["code"]) == ("rejected", "not_visit_author")
    assert (by_supervisor["status"], by_supervisor["code"]) == ("rejected", "amend_not_for_supervisors")
    assert server.household(h).version == version
    # its author still can (the household moved: flagged, as any visit of a household now elsewhere)
    own = author.push_one(correction(original, "本人更正"))
    assert (own["status"], own["code"]) == ("applied", "")
