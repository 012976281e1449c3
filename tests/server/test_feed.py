"""The city platform's feed (12345 / 一网统管) against the real server process over HTTP, on SQLite and
PostgreSQL: a small simulated platform takes the street's requests from the feed and posts back 签收 then
办结; its updates are idempotent by its own event ids; the feed resumes from its cursor after a server
restart with nothing missed or doubled; an API key opens the feed only, a user's token never does."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import select

from gridworker_server.models import FeedPending, Household, OrgUnit, RequestEvent, ResidentRequest, ScopeVersion
from tests.helpers.requests_server_flow import departments, raise_request, row, station_of, step
from tests.helpers.server import ServerProcess
from tests.server.support import DatabaseFactory, Device, Grid, Seeded, new_request, start_seeded, visit

STREET = "32130200"


@pytest.fixture
def server(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Seeded]:
    """A server of this test's own: the feed's cursors count every change of the street."""
    yield from start_seeded(backend, db_factory, request)


def new_key(server: Seeded, street: str = STREET) -> str:
    out = server.cli("apikey", "create", "--street", street, "--name", "12345热线")
    found = re.search(r"(gwk_\S+)", out)
    assert found, out
    return found.group(1)


class Platform:
    """The city's platform as a test double of the real one: it reads the feed from its cursor and
    answers the orders dispatched to departments with 签收 and 办结, one external id per update."""

    def __init__(self, base: str, key: str, *, header: str = "bearer") -> None:
        self.base = base
        self.key = key
        self.header = header
        self.cursor = 0
        self.http = requests.Session()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.header == "bearer" else {"X-Api-Key": self.key}

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.base + path, params=params, headers=self.headers, timeout=60)

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.http.post(self.base + path, json=body, headers=self.headers, timeout=60)

    def read(self, limit: int = 500) -> list[dict[str, Any]]:
        """Every page from the cursor on; the requests in the order they came."""
        out: list[dict[str, Any]] = []
        while True:
            r = self.get("/v1/feed/requests", cursor=self.cursor, limit=limit)
            assert r.status_code == 200, r.text
            page = r.json()
            out.extend(page["requests"])
            assert page["next_cursor"] >= self.cursor
            self.cursor = page["next_cursor"]
            if not page["more"]:
                return out

    def handle(self, item: dict[str, Any]) -> None:
        rid = item["id"]
        if item["status"] == "dispatched":
            r = self.post(f"/v1/feed/requests/{rid}/events", {"external_event_id": f"sign-{rid}", "step": "sign"})
            assert r.status_code == 200, r.text
            note = {"external_event_id": f"close-{rid}", "step": "close", "note": "12345: 已办结"}
            r = self.post(f"/v1/feed/requests/{rid}/events", note)
            assert r.status_code == 200, r.text


def test_the_platform_signs_and_closes_what_the_feed_gives_it(server: Seeded) -> None:
    grid = server.grids[0]
    r = raise_request(server, grid)
    station = server.device(r.station)
    assert station.push_one(step(r.id, "dispatch", department_id=r.departments["cgzf"]))["status"] == "applied"
    platform = Platform(server.base, new_key(server))
    first = platform.read(limit=40)
    ids = [i["id"] for i in first]
    assert len(ids) == len(set(ids)) and str(r.id) in ids
    mine = next(i for i in first if i["id"] == str(r.id))
    assert mine["status"] == "dispatched" and mine["department"] and mine["deadline_at"]
    assert [e["step"] for e in mine["events"]][-1] == "dispatch"
    platform.handle(mine)
    done = row(server, r.id)
    assert done.status == "closed" and done.closed_at is not None
    with server.session() as s:
        via = s.scalars(select(RequestEvent.via).where(RequestEvent.request_id == r.id).order_by(RequestEvent.id))
        assert list(via)[-2:] == ["platform", "platform"]
    # the platform's own changes come back on the feed, once
    after = platform.read()
    assert [i["id"] for i in after] == [str(r.id)] and after[0]["status"] == "closed"
    # the same update again: the stored answer; other content under the same id: 409
    again = platform.post(f"/v1/feed/requests/{r.id}/events", {"external_event_id": f"sign-{r.id}", "step": "sign"})
    assert again.status_code == 200 and again.json()["replayed"] is True
    other = platform.post(f"/v1/feed/requests/{r.id}/events", {"external_event_id": f"sign-{r.id}", "step": "close"})
    assert (other.status_code, other.json()["error"]) == (409, "feed_event_conflict")
    assert row(server, r.id).status == "closed"
    # refusals of the flow, with its codes; the platform relays department steps only
    late = platform.post(f"/v1/feed/requests/{r.id}/events", {"external_event_id": "x1", "step": "sign"})
    assert (late.status_code, late.json()["error"]) == (409, "request_step_not_allowed")
    bad = platform.post(f"/v1/feed/requests/{r.id}/events", {"external_event_id": "x2", "step": "dispatch"})
    assert bad.status_code == 422
    unknown = platform.post(f"/v1/feed/requests/{uuid.uuid4()}/events", {"external_event_id": "x3", "step": "sign"})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "request_unknown")
    # its own id recorded
    linked = platform.post(f"/v1/feed/requests/{r.id}/link", {"external_id": "12345-2026-000001"})
    assert linked.status_code == 200 and linked.json()["external_id"] == "12345-2026-000001"
    clash = platform.post(f"/v1/feed/requests/{r.id}/link", {"external_id": "12345-2026-000002"})
    assert (clash.status_code, clash.json()["error"]) == (409, "feed_link_conflict")


def test_the_feed_resumes_from_its_cursor_after_a_restart(server: Seeded) -> None:
    platform = Platform(server.base, new_key(server), header="x-api-key")
    everything = platform.read(limit=37)
    with server.session() as s:
        street_requests = {
            str(i)
            for i in s.scalars(select(ResidentRequest.id).join(Household, Household.id == ResidentRequest.household_id))
        }
    assert sorted(i["id"] for i in everything) == sorted(street_requests)  # each once
    saved = platform.cursor
    # changes while the platform is away, then the server restarts
    grid = server.grids[1]
    changed = set()
    for _ in range(3):
        r = raise_request(server, grid)
        changed.add(str(r.id))
        station = server.device(r.station)
        assert station.push_one(step(r.id, "accept"))["status"] == "applied"
    server.server.stop()
    server.replace(ServerProcess(server.url, port=server.server.port).start())
    platform.base = server.base
    platform.cursor = saved
    resumed = platform.read(limit=2)
    assert sorted(i["id"] for i in resumed) == sorted(changed)
    assert all(i["status"] == "accepted" for i in resumed)
    assert platform.read() == []


def test_a_key_opens_the_feed_only_and_a_token_never_does(server: Seeded) -> None:
    key = new_key(server)
    platform = Platform(server.base, key)
    worker = server.device(server.grids[2].worker)
    as_user = requests.get(server.base + "/v1/feed/requests", headers=worker.headers, timeout=60)
    assert (as_user.status_code, as_user.json()["error"]) == (401, "api_key_invalid")
    nothing = requests.get(server.base + "/v1/feed/requests", timeout=60)
    assert nothing.status_code == 401
    as_key = requests.post(
        server.base + "/v1/sync/pull",
        json={"cursors": {}},
        headers={**worker.headers, "Authorization": f"Bearer {key}"},
        timeout=60,
    )
    assert as_key.status_code == 401
    # a key of another street sees none of this street's requests and cannot touch them
    with server.session() as s:
        district = s.scalar(select(OrgUnit.parent_id).where(OrgUnit.code == STREET))
        s.add(OrgUnit(id=uuid.uuid4(), code="32130299", name="另一街道", kind="street", parent_id=district))
    other = Platform(server.base, new_key(server, "32130299"))
    assert other.read() == []
    r = raise_request(server, server.grids[2])
    assert (
        server.device(r.station).push_one(step(r.id, "dispatch", department_id=r.departments["sq"]))["status"]
        == "applied"
    )
    refused = other.post(f"/v1/feed/requests/{r.id}/events", {"external_event_id": "s1", "step": "sign"})
    assert (refused.status_code, refused.json()["error"]) == (404, "request_out_of_area")
    assert row(server, r.id).status == "dispatched"
    # a revoked key fails on its next request
    assert platform.get("/v1/feed/requests").status_code == 200
    for line in server.cli("apikey", "list").splitlines():
        server.cli("apikey", "revoke", line.split()[0])
    gone = platform.get("/v1/feed/requests")
    assert (gone.status_code, gone.json()["error"]) == (401, "api_key_invalid")


def test_writers_at_once_while_the_feed_pages_miss_nothing(server: Seeded) -> None:
    """Several stations and workers write at once (PostgreSQL: really in parallel) while the platform
    pages the feed: every request's last state read equals the database's, and no page repeats one."""
    import threading

    platform = Platform(server.base, new_key(server))
    platform.read()
    start = platform.cursor
    raised: list[uuid.UUID] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    grids = server.grids[:4]
    prepared = []
    for grid in grids:  # sign-ins and households first: the shared server's bookkeeping is not threaded
        worker = server.device(grid.worker)
        station = server.device(station_of(server, grid))
        prepared.append((grid, worker, station, server.take(grid, 4)))
    departments_ = departments(server)

    def write(grid: Grid, worker: Device, station: Device, households: list[uuid.UUID]) -> None:
        try:
            for hid in households:
                req = new_request("other")
                assert worker.push_one(visit(hid, requests_=[req]))["status"] == "applied"
                rid = uuid.UUID(req["id"])
                with lock:
                    raised.append(rid)
                assert station.push_one(step(rid, "accept"))["status"] == "applied"
                sent = station.push_one(step(rid, "dispatch", department_id=departments_["sq"]))
                assert sent["status"] == "applied"
        except BaseException as exc:  # reported below
            errors.append(exc)

    seen: dict[str, dict[str, Any]] = {}

    def page() -> None:
        r = platform.get("/v1/feed/requests", cursor=platform.cursor, limit=5)
        assert r.status_code == 200, r.text
        body = r.json()
        ids = [i["id"] for i in body["requests"]]
        assert len(ids) == len(set(ids))
        for item in body["requests"]:
            seen[item["id"]] = item
        assert body["next_cursor"] >= platform.cursor
        platform.cursor = body["next_cursor"]

    writers = [threading.Thread(target=write, args=args) for args in prepared]
    for t in writers:
        t.start()
    while any(t.is_alive() for t in writers):
        page()
    for t in writers:
        t.join()
    assert not errors, errors
    while True:
        before = platform.cursor
        page()
        if platform.cursor == before:
            break
    assert start < platform.cursor
    assert {str(r) for r in raised} <= set(seen)
    with server.session() as s:
        for rid in raised:
            r = s.get(ResidentRequest, rid)
            assert r is not None and seen[str(rid)]["status"] == r.status == "dispatched"
            assert [e["step"] for e in seen[str(rid)]["events"]] == ["create", "accept", "dispatch"]


def test_a_push_never_takes_the_streets_feed_counter(server: Seeded) -> None:
    """A request raised or moved on marks it for the feed (feed_pending) instead of bumping the street's
    feed scope, one counter row for a whole street that every such push queued on; the feed's next
    read takes it in, once."""
    platform = Platform(server.base, new_key(server))
    platform.read()
    with server.session() as s:
        street = s.scalar(select(OrgUnit.id).where(OrgUnit.code == STREET))
        assert street is not None
        scope = f"q:{street.hex}"
        before = s.scalar(select(ScopeVersion.version).where(ScopeVersion.scope == scope))
    r = raise_request(server, server.grids[0])
    station = server.device(r.station)
    assert station.push_one(step(r.id, "accept"))["status"] == "applied"
    with server.session() as s:
        assert s.scalar(select(ScopeVersion.version).where(ScopeVersion.scope == scope)) == before
        assert list(s.scalars(select(FeedPending.request_id).where(FeedPending.street_id == street))) == [r.id]
    assert [i["id"] for i in platform.read()] == [str(r.id)]
    with server.session() as s:
        assert s.scalar(select(ScopeVersion.version).where(ScopeVersion.scope == scope)) == before + 1
        assert list(s.scalars(select(FeedPending.request_id))) == []
    assert platform.read() == []
