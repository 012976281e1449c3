"""One load client for three sync servers (issue 15): Gridworker, Kinto and PouchDB Server, each spoken to
in its own protocol but through the same requests code (``synclib.send``: one ``requests.Session`` per
thread, keep-alive, the same retry rules) and counted the same way.

The data is the same on all three: a worker's grid of households (members inside) and visits. Gridworker
holds them in its tables; Kinto holds a collection per grid in one bucket, a record per household and per
visit; PouchDB Server a database per grid, a document per household and per visit. A device's cycle is
the same everywhere: push a few visits (the Gridworker push body's visit payloads, as records or
documents), then pull what changed since its last sync:

* Gridworker: ``POST /v1/sync/push`` (gzip JSON, as the app sends it), then ``POST /v1/sync/pull`` pages
  until ``more`` is false, from the device's cursors;
* Kinto: ``POST /v1/batch`` of ``PUT …/records/<id>`` with ``If-None-Match: *`` (what kinto-http's sync
  sends for new records), then ``GET …/records?_since=<ETag>`` following ``Next-Page``;
* PouchDB Server: ``POST /<db>/_bulk_docs``, then ``GET /<db>/_changes?since=<seq>&include_docs=true``.
  (PouchDB's own replicator makes more requests than this: ``_revs_diff`` before a push, ``_bulk_get``
  after the changes feed, and checkpoints in ``_local`` documents: this is the lighter path.)

Bytes are the bodies as they crossed the socket: the request bodies as each client sends them (gzip for
Gridworker, plain JSON for the peers, whose clients do not compress requests), the answers undecoded as
each server sends them (every client asks for gzip; only those that compress do).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import gzip
import json
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import psycopg
import requests

from gridworker_server.demo_city import DemoCity
from tests.bench.synclib import (
    BODY_HEADERS,
    SimDevice,
    Tally,
    Worker,
    body,
    encode,
    pull_message,
    send,
    turned,
    visit_mutations,
)
from tests.helpers.server import HEADERS

KINTO_BUCKET = "city"
KINTO_PASSWORD = "bench-secret"
JSON_HEADERS = {"Accept": "application/json", "Accept-Encoding": "gzip", "Content-Type": "application/json"}


@dataclass
class Wire:
    """What crossed the socket: requests answered, request bodies as sent, answer bodies as received
    (compressed when the server compressed them) and after decoding."""

    requests: int = 0
    sent: int = 0
    received: int = 0
    plain: int = 0

    def add(self, other: Wire) -> None:
        self.requests += other.requests
        self.sent += other.sent
        self.received += other.received
        self.plain += other.plain


def exchange(
    session: requests.Session,
    method: str,
    url: str,
    tally: Tally,
    wire: Wire,
    *,
    data: bytes | None = None,
    headers: dict[str, str],
) -> requests.Response:
    """One request through ``synclib.send`` (its retries), the answer read off the socket undecoded."""
    sizes: list[int] = []
    r = send(
        session, method, url, tally, data=data, headers=headers, stream=True, hooks={"response": _undecoded(sizes)}
    )
    wire.requests += 1
    wire.sent += len(data or b"")
    wire.received += sizes[-1]
    wire.plain += len(r.content)
    return r


def _undecoded(sizes: list[int]) -> Callable[..., None]:
    """A response hook (the request is sent with ``stream=True``): reads the body as it came, counts its
    bytes, and gives the response its decoded content (what ``r.content`` would have read)."""

    def hook(r: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        raw = b"".join(r.raw.stream(65536, decode_content=False))
        sizes.append(len(raw))
        gzipped = r.headers.get("Content-Encoding", "").lower() == "gzip" and raw
        r._content = gzip.decompress(raw) if gzipped else raw
        r._content_consumed = True

    return hook


def jsonable(obj: Any) -> Any:
    """A dataclass of the demo city as JSON values (ids and dates as strings)."""
    return json.loads(json.dumps(dataclasses.asdict(obj), default=str, ensure_ascii=False))


def grid_documents(city: DemoCity, grid_id: uuid.UUID) -> list[dict[str, Any]]:
    """The grid's households (members inside) and visits, as the peers store them (``id`` included)."""
    homes = [h for h in city.households if h.grid_id == grid_id]
    ids = {h.id for h in homes}
    docs = [{"type": "household", **jsonable(h)} for h in homes]
    docs += [{"type": "visit", **jsonable(v)} for v in city.visits if v.household_id in ids]
    return docs


@dataclass
class Device:
    """One laptop, as each system knows it: the worker, the Gridworker device (token, cursors) and the
    peers' sync positions. ``rng`` draws the visits; ``position`` walks the grid's households."""

    worker: Worker
    gw: SimDevice
    rng: random.Random
    kinto_since: str = ""
    pouch_since: str = "0"
    position: int = 0
    pushes: int = 0

    @property
    def grid(self) -> str:
        return "g" + self.worker.grid_id.hex

    def next_visits(self, count: int, first_seq: int, day: dt.date) -> list[dict[str, Any]]:
        """The next ``count`` households of the grid, visited a quarter of an hour apart. Each push is
        a later part of a working day (08:00, 11:00, 14:00, 17:00) of a day further back from ``day``
        (a device that was offline, catching up): a worker's visits keep a worker's pace, so the
        server's rules over a worker's day (rapid sequence) read a day's visits, not every visit the
        bench has pushed (stamped 08:00-08:40 of one day, a device would have hundreds of visits in
        40 minutes after a minute of load)."""
        homes = self.worker.homes
        chosen = [homes[(self.position + k) % len(homes)] for k in range(count)]
        self.position += count
        slot = self.pushes
        self.pushes += 1
        when = day - dt.timedelta(days=slot // 4)
        return visit_mutations(self.rng, chosen, first_seq, when, start_hour=8 + 3 * (slot % 4))


class System(Protocol):
    name: str
    base: str

    def first_sync(self, session: requests.Session, device: Device, tally: Tally, wire: Wire) -> int: ...

    def pull(self, session: requests.Session, device: Device, tally: Tally, wire: Wire) -> int: ...

    def push(
        self, session: requests.Session, device: Device, items: Sequence[dict[str, Any]], tally: Tally, wire: Wire
    ) -> None: ...

    def trivial(self, session: requests.Session, tally: Tally, wire: Wire) -> None: ...

    def sync(
        self, session: requests.Session, device: Device, items: Sequence[dict[str, Any]], tally: Tally, wire: Wire
    ) -> None:
        """The workday cycle as the system's own client makes it: push the visits, then pull."""


class PushThenPull:
    """The peers' cycle: a push, then a pull, two round trips (as CouchDB's and Kinto's clients sync)."""

    def sync(
        self, session: requests.Session, device: Device, items: Sequence[dict[str, Any]], tally: Tally, wire: Wire
    ) -> None:
        system: Any = self
        system.push(session, device, items, tally, wire)
        system.pull(session, device, tally, wire)


def visit_docs(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pushed visits as the peers' documents: the same payload Gridworker's push carries."""
    return [{"type": "visit", **item["payload"]} for item in items]


class Gridworker:
    name = "gridworker"

    def __init__(self, base: str, held: dict[str, int] | None = None) -> None:
        self.base = base
        # the cursors a first sync starts from: the global scope (the policy guide) is left out, as the
        # first sync's floor leaves it out (initial_sync_500_bytes), the peers holding no guide
        self.held = held or {}

    def first_sync(self, session: requests.Session, device: Device, tally: Tally, wire: Wire) -> int:
        device.gw.cursors = dict(self.held)
        return self.pull(session, device, tally, wire)

    def pull(
        self,
        session: requests.Session,
        device: Device,
        tally: Tally,
        wire: Wire,
        complete: dict[str, int] | None = None,
    ) -> int:
        """Pages until the last, each naming where the device holds its households whole (protocol 7,
        as gridworker.syncing.engine does): the cursors it started from, 0 for a scope a page resets."""
        d = device.gw
        complete = dict(d.cursors) if complete is None else complete
        received = 0
        while True:
            data = body(pull_message(d.epoch, d.cursors, complete))
            r = exchange(session, "POST", self.base + "/v1/sync/pull", tally, wire, data=data, headers=d.headers())
            page = r.json()
            received += sum(len(rows) for rows in page.get("upserts", {}).values())
            turned(d.cursors, complete, page)
            if not page.get("more", False):
                return received

    def push(
        self, session: requests.Session, device: Device, items: Sequence[dict[str, Any]], tally: Tally, wire: Wire
    ) -> None:
        self.send(session, device, items, tally, wire, pull=False)

    def send(
        self,
        session: requests.Session,
        device: Device,
        items: Sequence[dict[str, Any]],
        tally: Tally,
        wire: Wire,
        *,
        pull: bool,
    ) -> dict[str, Any] | None:
        """The push; with ``pull``, carrying the pull (protocol 6): its first page, or None."""
        d = device.gw
        message: dict[str, Any] = {"device_id": str(d.id), "epoch": d.epoch, "mutations": list(items)}
        if pull:
            message["pull"] = pull_message(d.epoch, d.cursors, d.cursors)
        data = body(message)
        r = exchange(session, "POST", self.base + "/v1/sync/push", tally, wire, data=data, headers=d.headers())
        answer = r.json()
        d.last_seq = int(answer["last_seq"])
        bad = [res for res in answer["results"] if res["status"] != "applied"]
        assert not bad, bad[:2]
        page: dict[str, Any] | None = answer.get("pull")
        return page

    def sync(
        self, session: requests.Session, device: Device, items: Sequence[dict[str, Any]], tally: Tally, wire: Wire
    ) -> None:
        """As the app syncs (gridworker.syncing.engine): the push carries the pull; more pages, if any, follow."""
        page = self.send(session, device, items, tally, wire, pull=True)
        if page is None:
            self.pull(session, device, tally, wire)
            return
        d = device.gw
        complete = dict(d.cursors)
        turned(d.cursors, complete, page)
        if page.get("more", False):
            self.pull(session, device, tally, wire, complete)

    def trivial(self, session: requests.Session, tally: Tally, wire: Wire) -> None:
        exchange(session, "GET", self.base + "/ping", tally, wire, headers={**HEADERS, "Accept-Encoding": "gzip"})


def basic_auth(username: str, password: str = KINTO_PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


class Kinto(PushThenPull):
    name = "kinto"

    def __init__(self, base: str) -> None:
        self.base = base + "/v1"

    def records_url(self, grid: str) -> str:
        return f"{self.base}/buckets/{KINTO_BUCKET}/collections/{grid}/records"

    @staticmethod
    def headers(device: Device) -> dict[str, str]:
        return {**JSON_HEADERS, "Authorization": basic_auth(device.worker.username)}

    def first_sync(self, session: requests.Session, device: Device, tally: Tally, wire: Wire) -> int:
        device.kinto_since = ""
        return self.pull(session, device, tally, wire)

    def pull(self, session: requests.Session, device: Device, tally: Tally, wire: Wire) -> int:
        url: str | None = self.records_url(device.grid)
        if device.kinto_since:
            url = f"{url}?_since={device.kinto_since}"
        received = 0
        etag = ""
        while url:
            r = exchange(session, "GET", url, tally, wire, headers=self.headers(device))
            received += len(r.json()["data"])
            etag = etag or r.headers["ETag"].strip('"')
            url = r.headers.get("Next-Page")
        device.kinto_since = etag
        return received

    def push(
        self, session: requests.Session, device: Device, items: Sequence[dict[str, Any]], tally: Tally, wire: Wire
    ) -> None:
        path = f"/buckets/{KINTO_BUCKET}/collections/{device.grid}/records/"
        batch = {
            "defaults": {"method": "PUT", "headers": {"If-None-Match": "*"}},
            "requests": [{"path": path + doc["id"], "body": {"data": doc}} for doc in visit_docs(items)],
        }
        r = exchange(
            session, "POST", self.base + "/batch", tally, wire, data=encode(batch), headers=self.headers(device)
        )
        bad = [res for res in r.json()["responses"] if res["status"] not in (200, 201)]
        assert not bad, bad[:2]

    def trivial(self, session: requests.Session, tally: Tally, wire: Wire) -> None:
        exchange(session, "GET", self.base + "/", tally, wire, headers=JSON_HEADERS)


class Pouch(PushThenPull):
    name = "pouchdb"

    def __init__(self, base: str) -> None:
        self.base = base

    def first_sync(self, session: requests.Session, device: Device, tally: Tally, wire: Wire) -> int:
        device.pouch_since = "0"
        return self.pull(session, device, tally, wire)

    def pull(self, session: requests.Session, device: Device, tally: Tally, wire: Wire) -> int:
        url = f"{self.base}/{device.grid}/_changes?since={device.pouch_since}&include_docs=true"
        r = exchange(session, "GET", url, tally, wire, headers=JSON_HEADERS)
        feed = r.json()
        device.pouch_since = str(feed["last_seq"])
        return len(feed["results"])

    def push(
        self, session: requests.Session, device: Device, items: Sequence[dict[str, Any]], tally: Tally, wire: Wire
    ) -> None:
        docs = [{"_id": doc.pop("id"), **doc} for doc in visit_docs(items)]
        url = f"{self.base}/{device.grid}/_bulk_docs"
        r = exchange(session, "POST", url, tally, wire, data=encode({"docs": docs}), headers=JSON_HEADERS)
        bad = [res for res in r.json() if not res.get("ok")]
        assert not bad, bad[:2]

    def trivial(self, session: requests.Session, tally: Tally, wire: Wire) -> None:
        exchange(session, "GET", self.base + "/", tally, wire, headers=JSON_HEADERS)


# -- seeding the peers ---------------------------------------------------------------------------------


def seed_kinto(base: str, dsn: str, grids: dict[str, list[dict[str, Any]]]) -> None:
    """One bucket and a collection per grid, readable and writable by every signed-in worker, made
    through the API; the documents written as records straight into Kinto's storage table, by the
    statement its PostgreSQL backend inserts a record with (its trigger stamps ``last_modified``).
    Through the API, a batch of 500 records takes half a minute on this machine."""
    admin = {**JSON_HEADERS, "Authorization": basic_auth("bench-admin")}
    everyone = {"read": ["system.Authenticated"], "write": ["system.Authenticated"]}
    with requests.Session() as s:
        r = s.put(f"{base}/v1/buckets/{KINTO_BUCKET}", json={"permissions": everyone}, headers=admin, timeout=60)
        r.raise_for_status()
        for grid in grids:
            url = f"{base}/v1/buckets/{KINTO_BUCKET}/collections/{grid}"
            s.put(url, json={"permissions": everyone}, headers=admin, timeout=60).raise_for_status()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for grid, docs in grids.items():
            parent = f"/buckets/{KINTO_BUCKET}/collections/{grid}"
            cur.executemany(
                "INSERT INTO objects (id, parent_id, resource_name, data, last_modified, deleted)"
                " VALUES (%s, %s, 'record', %s::jsonb, NULL, FALSE)",
                [(d["id"], parent, json.dumps({k: v for k, v in d.items() if k != "id"})) for d in docs],
            )


def seed_pouch(base: str, grids: dict[str, list[dict[str, Any]]]) -> None:
    """A database per grid, the documents by ``_bulk_docs``."""
    with requests.Session() as s:
        for grid, docs in grids.items():
            s.put(f"{base}/{grid}", timeout=60).raise_for_status()
            for start in range(0, len(docs), 500):
                chunk = [
                    {"_id": d["id"], **{k: v for k, v in d.items() if k != "id"}} for d in docs[start : start + 500]
                ]
                r = s.post(f"{base}/{grid}/_bulk_docs", json={"docs": chunk}, timeout=300)
                r.raise_for_status()
                assert all(x.get("ok") for x in r.json())


# -- timing one exchange sequence ------------------------------------------------------------------------


@dataclass
class Measured:
    wire: Wire = field(default_factory=Wire)
    ms: list[float] = field(default_factory=list)
    items: int = 0


def timed(fn: Callable[[Tally, Wire], int | None], repeat: int) -> Measured:
    """``fn`` run ``repeat`` times, sequentially; the wire figures of the last run, every run's time."""
    out = Measured()
    for _ in range(repeat):
        wire, tally = Wire(), Tally()
        t0 = time.perf_counter()
        got = fn(tally, wire)
        out.ms.append((time.perf_counter() - t0) * 1000)
        assert tally.errors == 0, tally.error_kinds
        out.wire, out.items = wire, int(got or 0)
    return out


__all__ = ["BODY_HEADERS", "Device", "Gridworker", "Kinto", "Pouch", "System", "Wire", "exchange", "timed"]
