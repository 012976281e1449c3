"""A push that carries a pull (protocol 6): the pull is answered in the same round trip with what the
push committed, exactly as the pull route would answer it then; a push without one, a refused one and a
handed-over device's get the push's answer alone, and so does one whose page fails. Against a real
server on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError

from gridworker_server import changes
from gridworker_server.api.routes.sync import push_answer
from gridworker_server.db import Database
from gridworker_shared.protocol import PROTOCOL_VERSION, PushRequest
from tests.server.support import Device, Seeded, decode, error_code, visit


def push_with_pull(dev: Device, *muts: Any, cursors: dict[str, int] | None = None) -> Any:
    body = dev.body(dev.batch(*muts))
    body["pull"] = {"epoch": dev.epoch, "cursors": dev.cursors if cursors is None else cursors, "limit": 1000}
    return dev.post("/v1/sync/push", json=body)


def visits_of(page: dict[str, Any], hid: uuid.UUID) -> list[uuid.UUID]:
    rows = [decode("household", row) for row in page.get("upserts", {}).get("household", [])]
    (household,) = [h for h in rows if h["id"] == hid]
    return [v["id"] for v in household["visits"]]


def test_the_pull_a_push_carries_is_answered_after_its_commit(server: Seeded) -> None:
    grid = server.grid("worker04")
    (hid,) = server.take(grid)
    dev, other = server.device("worker04"), server.device("worker04")
    dev.pull()
    other.pull()
    before = dict(dev.cursors)
    mut = visit(hid)

    r = push_with_pull(dev, mut)

    assert r.status_code == 200, r.text
    answer = r.json()
    assert [x["status"] for x in answer["results"]] == ["applied"]
    page = answer["pull"]
    # the pushed visit is in it, with the server's number: the pull read what the push committed
    assert uuid.UUID(mut.payload["id"]) in visits_of(page, hid)
    # the same page as the pull route gives from the same cursors (another laptop of the worker)
    alone = other.pull_raw(cursors=before).json()
    assert alone["cursors"] == page["cursors"] and alone["upserts"] == page["upserts"]
    dev.apply(page)
    after = dev.pull_raw().json()
    assert set(after) == {"epoch"}, after  # nothing left: the carried page took the sync to the end


def test_a_push_without_a_pull_answers_the_push_alone(server: Seeded) -> None:
    dev = server.device("worker04")
    (hid,) = server.take(server.grid("worker04"))
    r = dev.send(dev.batch(visit(hid)))
    assert r.status_code == 200 and "pull" not in r.json()


def test_a_pull_the_server_cannot_read_refuses_the_whole_request_and_applies_nothing(server: Seeded) -> None:
    dev = server.device("worker04")
    (hid,) = server.take(server.grid("worker04"))
    mut = visit(hid)
    r = push_with_pull(dev, mut, cursors={"g:anything": "3"})  # type: ignore[dict-item]
    assert r.status_code == 422, r.text
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 0
    assert server.last_seq(dev.device_id) == dev.login_seq


def test_a_handed_over_device_gets_its_push_answered_and_no_pull(server: Seeded) -> None:
    grid = server.grid("worker03")
    (hid,) = server.take(grid)
    dev, supervisor = server.device("worker03"), server.device("supervisor")
    assert supervisor.post(f"/v1/devices/{dev.device_id}/revoke", json={"wipe": "handover"}).status_code == 200
    mut = visit(hid)

    r = push_with_pull(dev, mut)

    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["applied"] and "pull" not in r.json()
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 1
    pulled = dev.pull_raw()  # on its own, the pull says why
    assert (pulled.status_code, error_code(pulled)) == (401, "device_revoked")


@pytest.mark.parametrize(
    "failure",
    [ValueError("a bug in the page's making"), DBAPIError("SELECT …", {}, ConnectionError("the read failed"))],
    ids=["python", "database"],
)
@pytest.mark.expect_log("gridworker.server.sync", "ERROR", match="the pull it carried failed")
def test_a_carried_pull_that_fails_leaves_the_push_applied_once(
    server: Seeded, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    """The page is read in the push's transaction. A failure of its own making leaves the push whole;
    a failed read of the database loses the transaction, so the push runs again alone (nothing applied
    twice) and the pull is tried after its commit. Either way the device gets its push's answer, and its
    own pull then brings the page. The failure is injected in this process's copy of the route."""
    (hid,) = server.take(server.grid("worker04"))
    dev = server.device("worker04")
    dev.pull()
    mut = visit(hid)
    body = dev.body(dev.batch(mut))
    body["pull"] = {"epoch": dev.epoch, "cursors": dev.cursors, "limit": 1000}
    tries: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        tries.append(1)
        raise failure

    monkeypatch.setattr(changes, "pull", failing)
    db = Database(server.url, pool_size=1)
    try:
        answer = json.loads(bytes(push_answer(db, PushRequest.model_validate(body), dev.token, PROTOCOL_VERSION).body))
    finally:
        db.dispose()

    assert [x["status"] for x in answer["results"]] == ["applied"] and "pull" not in answer
    assert len(tries) == (2 if isinstance(failure, DBAPIError) else 1)
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 1
    assert server.last_seq(dev.device_id) == answer["last_seq"] == dev.login_seq + 1
    monkeypatch.undo()
    assert uuid.UUID(mut.payload["id"]) in visits_of(dev.pull_raw().json(), hid)
