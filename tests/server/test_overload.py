"""Overload answers 429 or 503 with Retry-After, never anything else (issue 11): a real server process
started with a low in-flight limit and a tiny connection pool, driven past both by a bounded burst of
pushes and pulls from devices that all start at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from tests.server.support import TIMEOUT, DatabaseFactory, Device, Seeded, start_seeded, visit

IN_FLIGHT = 3
DEVICES = 24


@pytest.fixture(scope="module")
def server(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRIDWORKER_MAX_IN_FLIGHT", str(IN_FLIGHT))
        env.setenv("GRIDWORKER_POOL_SIZE", "1")
        yield from start_seeded(backend, db_factory, request)


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None
    body: str


def test_a_burst_past_the_limits_is_answered_2xx_or_busy_with_retry_after(server: Seeded) -> None:
    grid = server.grid("demo")
    devices = [server.device("demo") for _ in range(DEVICES)]  # one at a time: below the limit
    households = server.take(grid, DEVICES)
    bodies = [
        dev.body(dev.batch(*(visit(h, notes=f"高峰{i}") for i in range(3))))
        for dev, h in zip(devices, households, strict=True)
    ]
    barrier = threading.Barrier(DEVICES)
    answers: list[Answer | BaseException] = []
    lock = threading.Lock()

    def burst(dev: Device, body: dict[str, object]) -> None:
        barrier.wait(timeout=TIMEOUT)
        for path, json in (("/v1/sync/push", body), ("/v1/sync/pull", {"epoch": dev.epoch, "cursors": {}})):
            try:
                r = requests.post(dev.base + path, json=json, headers=dev.headers, timeout=TIMEOUT)
                answer: Answer | BaseException = Answer(r.status_code, r.headers.get("Retry-After"), r.text[:200])
            except requests.RequestException as exc:
                answer = exc
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=burst, args=(d, b)) for d, b in zip(devices, bodies, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=3 * TIMEOUT)
    assert not any(t.is_alive() for t in threads)

    assert len(answers) == 2 * DEVICES
    failures = [a for a in answers if isinstance(a, BaseException)]
    assert not failures, failures
    wrong = [
        a
        for a in answers
        if isinstance(a, Answer)
        and not (200 <= a.status < 300 or (a.status in (429, 503) and a.retry_after is not None))
    ]
    assert not wrong, wrong
    busy = [a for a in answers if isinstance(a, Answer) and a.status in (429, 503)]
    assert busy, "the burst never passed the server's limits"
    assert all(a.retry_after is not None and float(a.retry_after) > 0 for a in busy)
    # and the server is well afterwards: every device's batch goes through on its own
    for dev, body in zip(devices, bodies, strict=True):
        r = requests.post(dev.base + "/v1/sync/push", json=body, headers=dev.headers, timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        assert r.json()["last_seq"] == body["mutations"][-1]["seq"]  # type: ignore[index]
