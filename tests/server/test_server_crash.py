"""The server killed mid-batch, and damaged bodies, on SQLite and PostgreSQL (failure list items 3, 4, 8).

The crash is real: the server process runs with ``GRIDWORKER_CRASH_AT=push_before_commit`` and sends
itself SIGKILL after applying the batch in its transaction, before the commit."""

from __future__ import annotations

import gzip
import json
import signal
import uuid
from collections.abc import Iterator

import pytest
import requests

from gridworker_server.api.http import MAX_BODY
from tests.helpers.server import ServerProcess
from tests.server.support import DatabaseFactory, Device, Seeded, error_code, household_update, visit


@pytest.fixture
def crashing(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    """A seeded database served by a process that dies at the push's commit."""
    url, drop = db_factory.new(backend, request)
    server = ServerProcess(url, crash_at="push_before_commit").start()
    seeded = Seeded(url, backend, server)
    try:
        yield seeded
    finally:
        seeded.close()
        drop()


def test_a_server_killed_before_commit_applied_nothing_and_the_resend_applies_once(crashing: Seeded) -> None:
    server = crashing
    dev = server.device("demo")
    h1, h2 = server.take(server.grid("demo"), 2)
    seen = server.household(h2)
    first = visit(h1, notes="服务器崩溃时上传")
    edit = household_update(h2, seen.version, {"notes": "崩溃前修改"}, {"notes": seen.notes})
    items = dev.batch(first, edit)

    with pytest.raises(requests.ConnectionError):
        dev.send(items)
    assert server.server.wait_killed() == -signal.SIGKILL

    assert server.last_seq(dev.device_id) == 0
    assert server.visit_count(uuid.UUID(first.payload["id"])) == 0
    after = server.household(h2)
    assert (after.version, after.notes) == (seen.version, seen.notes)

    server.replace(ServerProcess(server.url).start())  # restarted normally, on the same database
    dev.base = server.base
    dev.http.close()

    answer = dev.send(items)
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
    replay = dev.send(items)
    assert replay.json()["results"] == answer.json()["results"]
    assert server.last_seq(dev.device_id) == 2
    assert server.visit_count(uuid.UUID(first.payload["id"])) == 1
    assert server.household(h2).version == seen.version + 1


# --- bodies: gzip, truncated, damaged (item 3) --------------------------------------------------------


def test_a_gzip_push_is_applied(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    mut = visit(h, notes="压缩上传")

    r = dev.send_gzip(dev.batch(mut))

    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["applied"]
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 1


@pytest.mark.parametrize("cut", [1, 9, 40])
def test_a_truncated_gzip_body_is_refused_and_nothing_applied(server: Seeded, cut: int) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    mut = visit(h, notes="被截断的上传")
    items = dev.batch(mut)

    r = dev.send_gzip(items, cut=cut)

    assert r.status_code == 400, r.text
    assert error_code(r) == "bad_encoding"
    assert server.last_seq(dev.device_id) == 0
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 0
    # the whole body again: applied once
    assert dev.send_gzip(items).status_code == 200
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 1


def test_a_gzip_body_inflating_past_the_limit_is_refused(server: Seeded) -> None:
    dev = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    mut = visit(h)
    padded = b" " * (MAX_BODY + 1) + json.dumps(dev.body(dev.batch(mut))).encode()  # valid JSON, too big

    r = dev.post(
        "/v1/sync/push",
        data=gzip.compress(padded),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )

    assert r.status_code == 413, r.text
    assert error_code(r) == "too_large"
    assert server.visit_count(uuid.UUID(mut.payload["id"])) == 0


def test_a_body_that_is_not_gzip_is_refused(server: Seeded) -> None:
    dev = server.device("demo")
    r = dev.post(
        "/v1/sync/push",
        data=b'{"not": "gzip"}',
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert r.status_code == 400, r.text
    assert error_code(r) == "bad_encoding"
    assert server.last_seq(dev.device_id) == 0


def test_a_big_pull_answer_is_gzip_on_the_wire(server: Seeded) -> None:
    dev = server.device("demo")
    r = dev.pull_raw()
    assert r.status_code == 200
    assert r.headers.get("Content-Encoding") == "gzip"
    assert int(r.headers["Content-Length"]) < len(r.content) / 3
    assert len(r.json()["upserts"]["household"]) > 100


def test_a_cut_json_body_is_refused_as_invalid(server: Seeded) -> None:
    dev: Device = server.device("demo")
    (h,) = server.take(server.grid("demo"))
    body = dev.body(dev.batch(visit(h)))
    raw = json.dumps(body).encode()
    r = dev.post("/v1/sync/push", data=raw[: len(raw) // 2], headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert error_code(r) == "invalid_request"
    assert server.last_seq(dev.device_id) == 0
