"""The city platform's feed on a street's year: 100,000 requests with their events (about four each),
bulk-inserted into a server SQLite database with the feed scope's change-log rows, served by the real
server process (``gridworker-server serve``).

* ``feed_page_ms``: p50 and p95 of ``GET /v1/feed/requests`` pages of 500 changed requests at cursors
  spread over the whole log, each request with its flow fields and events, as the platform reads them.
  Floor: p95 ≤ 200 ms. Beside it, the same server's trivial endpoint (``GET /ping``) over the same
  connection and count, so a slow machine shows as both slow (``feed_page_vs_ping_ratio``).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import insert, select

from gridworker_server import admin
from gridworker_server.db import Database
from gridworker_server.demo_city import REQUEST_TEXTS, generate_city
from gridworker_server.models import ChangeLog, Household, OrgUnit, RequestEvent, ResidentRequest, ScopeVersion
from gridworker_shared.protocol import feed_scope
from tests.bench.benchlib import Figures, median, percentile, report
from tests.helpers.server import ServerProcess, run_cli

pytestmark = pytest.mark.bench

REQUESTS = 100_000
PAGE = 500
ROUNDS = 60
FEED_PAGE_P95_MS = 200.0


def _fill(url: str) -> None:
    db = Database(url, pool_size=1)
    db.migrate()
    with db.write() as s:
        admin.seed_demo(s, generate_city(grids_per_community=1, households_per_grid=(200, 200)))
    rng = random.Random(13)
    with db.write() as s:
        street = s.scalar(select(OrgUnit.id).where(OrgUnit.kind == "street"))
        assert street is not None
        departments = list(s.scalars(select(OrgUnit.id).where(OrgUnit.kind == "department")))
        households = list(s.scalars(select(Household.id)))
        start = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
        scope = feed_scope(street)
        top = s.scalar(select(ScopeVersion.version).where(ScopeVersion.scope == scope)) or 0
        categories = list(REQUEST_TEXTS)
        for chunk in range(0, REQUESTS, 5000):
            reqs, events, log = [], [], []
            for n in range(chunk, min(chunk + 5000, REQUESTS)):
                rid = uuid.uuid4()
                created = start + dt.timedelta(minutes=5 * n)
                category = rng.choice(categories)
                dept = rng.choice(departments)
                closed = created + dt.timedelta(days=rng.randint(1, 9))
                reqs.append(
                    {"id": rid, "household_id": rng.choice(households), "visit_id": None, "category": category,
                     "description": REQUEST_TEXTS[category], "urgency": "normal", "due_on": created.date(),
                     "status": "closed", "status_note": "", "satisfaction": "", "version": 5, "created_at": created,
                     "department_id": dept, "dispatched_at": created + dt.timedelta(hours=4),
                     "deadline_at": created + dt.timedelta(days=7), "closed_at": closed}
                )  # fmt: skip
                for k, (step, before, after) in enumerate(
                    (("create", "", "submitted"), ("dispatch", "submitted", "dispatched"),
                     ("sign", "dispatched", "signed"), ("close", "signed", "closed"))
                ):  # fmt: skip
                    events.append(
                        {"request_id": rid, "actor_id": None, "command": step, "from_status": before,
                         "to_status": after, "note": "", "mutation_id": None, "event_id": uuid.uuid4(),
                         "data": {"department_id": str(dept)} if step == "dispatch" else {}, "via": "app",
                         "external_event_id": None, "at": created + dt.timedelta(hours=k * 8)}
                    )  # fmt: skip
                top += 1
                log.append({"scope": scope, "entity": "request", "entity_id": rid, "version": top, "op": "u",
                            "changed_at": created})  # fmt: skip
            s.execute(insert(ResidentRequest), reqs)
            s.execute(insert(RequestEvent), events)
            s.execute(insert(ChangeLog), log)
        s.execute(ScopeVersion.__table__.update().where(ScopeVersion.scope == scope).values(version=top))
    db.dispose()


@pytest.fixture(scope="module")
def feed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, int]]:
    path: Path = tmp_path_factory.mktemp("feed") / "server.db"
    url = f"sqlite:///{path}"
    _fill(url)
    out = run_cli(url, "apikey", "create", "--street", "32130200", "--name", "bench")
    found = re.search(r"(gwk_\S+)", out)
    assert found, out
    server = ServerProcess(url).start()
    try:
        yield server.base, found.group(1), REQUESTS
    finally:
        server.stop()


def test_feed_page(feed_server: tuple[str, str, int], bench_results: Figures) -> None:
    base, key, total = feed_server
    http = requests.Session()
    headers = {"Authorization": f"Bearer {key}"}
    rng = random.Random(5)
    feed: list[float] = []
    ping: list[float] = []
    for _ in range(3):  # warm-up
        http.get(base + "/v1/feed/requests", params={"cursor": 0, "limit": PAGE}, headers=headers, timeout=60)
        http.get(base + "/ping", timeout=60)
    for _ in range(ROUNDS):
        cursor = rng.randrange(0, total - PAGE)
        t0 = time.perf_counter()
        r = http.get(base + "/v1/feed/requests", params={"cursor": cursor, "limit": PAGE}, headers=headers, timeout=60)
        feed.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["requests"]) == PAGE and all(len(i["events"]) >= 4 for i in page["requests"])
        t0 = time.perf_counter()
        assert http.get(base + "/ping", timeout=60).status_code in (200, 204)
        ping.append((time.perf_counter() - t0) * 1000)
    figures: Figures = {
        "feed_requests": total,
        "feed_page_size": PAGE,
        "feed_page_ms": round(percentile(feed, 95), 2),
        "feed_page_p50_ms": round(median(feed), 2),
        "feed_page_p95_ms": round(percentile(feed, 95), 2),
        "feed_ping_p50_ms": round(median(ping), 2),
        "feed_ping_p95_ms": round(percentile(ping, 95), 2),
        "feed_page_vs_ping_ratio": round(median(feed) / max(median(ping), 0.001), 1),
    }
    bench_results.update(figures)
    report(f"city feed, {total} requests, pages of {PAGE}:", figures, {"feed_page_p95_ms": FEED_PAGE_P95_MS})
