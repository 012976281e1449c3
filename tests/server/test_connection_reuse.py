"""Connections to PostgreSQL are reused under load, not opened and closed per request: a burst of
concurrent requests, more than the pool holds, opens no more sessions than the pool keeps (the server
runs as many route threads as its pool has connections; past that a request waits for a thread).
Before, 400 requests from 32 clients opened 64 sessions on one process (overflow connections, closed
again as they were returned)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from tests.server.support import Seeded

POOL = 10  # the server process's GRIDWORKER_POOL_SIZE default


def test_a_burst_is_served_by_the_pools_connections(backend: str, fresh_server: Seeded) -> None:
    if backend != "postgresql":
        pytest.skip("the sessions are PostgreSQL's")
    devices = [fresh_server.device(user) for user in ("worker02", "station01", "supervisor", "admin")]
    grid = fresh_server.grid("worker02").scope
    dsn = fresh_server.url.replace("postgresql+psycopg://", "postgresql://")
    pids: set[int] = set()
    started, done = threading.Event(), threading.Event()
    with psycopg.connect(dsn, autocommit=True) as con:
        since = con.execute("SELECT now()").fetchone()[0]  # type: ignore[index]

    def watch() -> None:  # every session of the server's database opened while the burst runs
        with psycopg.connect(dsn, autocommit=True) as con:
            own = con.info.backend_pid
            started.set()
            while not done.is_set():
                rows = con.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s "
                    "AND backend_start >= %s",
                    (own, since),
                ).fetchall()
                pids.update(pid for (pid,) in rows)

    local = threading.local()

    def call(i: int) -> int:  # each client thread on its own HTTP connection, as 32 laptops
        http: requests.Session = local.__dict__.setdefault("http", requests.Session())
        device = devices[i % len(devices)]
        if i % 2:
            r = http.get(fresh_server.base + "/v1/me", headers=device.headers, timeout=60)
        else:
            body = {"cursors": {grid: 0}, "limit": 50}
            r = http.post(fresh_server.base + "/v1/sync/pull", json=body, headers=devices[0].headers, timeout=60)
        return int(r.status_code)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started.wait(60)
    try:
        with ThreadPoolExecutor(32) as pool:
            statuses = list(pool.map(call, range(400)))
    finally:
        done.set()
        watcher.join()
    assert set(statuses) == {200}
    assert len(pids) <= POOL, f"{len(pids)} new PostgreSQL sessions for a pool of {POOL}"
