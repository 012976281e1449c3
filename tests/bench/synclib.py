"""The sync benchmarks' load generator: simulated devices speaking the wire protocol to a real server.

A device here is what a laptop is to the server: a registered device row with a token, a worker, the
households of the worker's grid, its cursors and its sequence. Requests go out as the app would send
them: JSON (compact, UTF-8), push bodies gzip-compressed with ``Content-Encoding: gzip``, answers asked
for with ``Accept-Encoding: gzip``. Each thread has its own ``requests.Session`` (keep-alive).

Devices can be registered without signing in (:func:`register_devices`): a Device row whose token hash
is the SHA-256 of a fresh token, exactly as ``auth.register_device`` stores it, so thousands of devices
cost no argon2 verification each.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psutil
import requests
from sqlalchemy import insert, select

from gridworker_server.auth import TOKEN_DAYS, token_hash
from gridworker_server.db import Database
from gridworker_server.demo_city import REQUEST_TEXTS, VISIT_NOTES
from gridworker_server.models import Device, GridAssignment, Household, Person, utcnow
from gridworker_shared.domain.households import request_due
from gridworker_shared.protocol import MAX_PUSH_BATCH, VisitCreate, pull_complete
from tests.bench.benchlib import Figures
from tests.helpers.server import HEADERS

CHINA = dt.timezone(dt.timedelta(hours=8))
# what the app's transport sends with every request that has a body
BODY_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip",
    "Content-Type": "application/json",
    "Content-Encoding": "gzip",
}
TIMEOUT = 120.0  # seconds a request may take before the device counts it as failed
MAX_SHED = 30  # 429s honoured per request before a device gives up (when it has no deadline)
MAX_ERRORS = 3  # errors (connection failures, other non-2xx answers) per request before it gives up
ERROR_BACKOFF = 1.0  # seconds before retrying after an error when the answer names no Retry-After


def encode(obj: Any) -> bytes:
    """A request body as the app writes it (gridworker.syncing.transport): compact JSON, UTF-8."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def gzipped(data: bytes) -> bytes:
    """Compressed as the app compresses every request body (level 6)."""
    return gzip.compress(data, compresslevel=6)


def body(obj: Any) -> bytes:
    return gzipped(encode(obj))


def rng_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


# -- the city as the server holds it ----------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    id: uuid.UUID
    members: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class Worker:
    id: uuid.UUID
    username: str
    grid_id: uuid.UUID
    homes: tuple[Home, ...]  # in id order: every device of a worker walks them in this order


def load_workers(db: Database) -> list[Worker]:
    """Every worker with an active grid, and that grid's households with their active members."""
    from gridworker_server.models import User

    with db.read() as s:
        rows = s.execute(
            select(User.id, User.username, GridAssignment.grid_id)
            .join(GridAssignment, GridAssignment.user_id == User.id)
            .where(GridAssignment.until.is_(None), User.role == "worker")
            .order_by(User.username)
        ).all()
        homes: dict[uuid.UUID, list[uuid.UUID]] = {}
        for grid_id, hid in s.execute(
            select(Household.grid_id, Household.id).where(Household.deleted_at.is_(None)).order_by(Household.id)
        ):
            homes.setdefault(grid_id, []).append(hid)
        members: dict[uuid.UUID, list[uuid.UUID]] = {}
        for hid, pid in s.execute(
            select(Person.household_id, Person.id).where(Person.active).order_by(Person.household_id, Person.position)
        ):
            members.setdefault(hid, []).append(pid)
    return [
        Worker(
            user_id,
            username,
            grid_id,
            tuple(Home(h, tuple(members.get(h, ()))) for h in homes.get(grid_id, [])),
        )
        for user_id, username, grid_id in rows
    ]


# -- devices -----------------------------------------------------------------------------------------


@dataclass
class SimDevice:
    id: uuid.UUID
    token: str
    worker: Worker
    epoch: str
    cursors: dict[str, int] = field(default_factory=dict)
    last_seq: int = 0

    def headers(self) -> dict[str, str]:
        return {**HEADERS, **BODY_HEADERS, "Authorization": f"Bearer {self.token}"}


def register_devices(db: Database, workers: Sequence[Worker], epoch: str, name: str = "bench") -> list[SimDevice]:
    """One device per entry of ``workers`` (a worker may appear many times): Device rows inserted the
    way ``auth.register_device`` makes them, the token's SHA-256 stored, the token kept here."""
    now = utcnow()
    devices = [SimDevice(uuid.uuid4(), secrets.token_urlsafe(32), w, epoch) for w in workers]
    rows = [
        {
            "id": d.id,
            "user_id": d.worker.id,
            "name": name,
            "token_hash": token_hash(d.token),
            "last_seq": 0,
            "created_at": now,
            "last_seen_at": now,
            "expires_at": now + dt.timedelta(days=TOKEN_DAYS),
        }
        for d in devices
    ]
    with db.write() as s:
        for start in range(0, len(rows), 1000):
            s.execute(insert(Device), rows[start : start + 1000])
    return devices


# -- mutations ---------------------------------------------------------------------------------------


def visit_mutations(
    rng: random.Random,
    homes: Iterable[Home],
    first_seq: int,
    day: dt.date,
    *,
    start_hour: int = 8,
    request_share: float = 0.12,
) -> list[dict[str, Any]]:
    """A worker's visits of one day as push items, one per household in the given order: mostly met
    (some members ticked as seen, now and then a resident's request), some not at home, a few refused;
    a quarter of an hour apart, by the device's clock (+08:00)."""
    items: list[dict[str, Any]] = []
    base = dt.datetime(day.year, day.month, day.day, start_hour, tzinfo=CHINA)
    for k, home in enumerate(homes):
        outcome = rng.choices(["met", "not_home", "refused"], weights=[80, 17, 3])[0]
        seen: list[uuid.UUID] = []
        requests_: list[dict[str, Any]] = []
        if outcome == "met":
            seen = [m for m in home.members if rng.random() < 0.7] or list(home.members[:1])
            if rng.random() < request_share:
                category = rng.choice(sorted(REQUEST_TEXTS))
                urgency = rng.choice(["normal", "normal", "urgent"])
                requests_.append(
                    {
                        "id": rng_uuid(rng),
                        "category": category,
                        "description": REQUEST_TEXTS[category],
                        "urgency": urgency,
                        "due_on": request_due(urgency, day),
                    }
                )
        at = base + dt.timedelta(minutes=15 * k + rng.randint(0, 10))
        visit = VisitCreate.model_validate(
            {
                "id": rng_uuid(rng),
                "household_id": home.id,
                "visited_at": at,
                "outcome": outcome,
                "notes": rng.choice(VISIT_NOTES) if outcome == "met" else "",
                "seen": seen,
                "requests": requests_,
            }
        )
        saved = (at + dt.timedelta(minutes=5)).astimezone(dt.UTC)
        items.append(
            {
                "seq": first_seq + k,
                "id": str(rng_uuid(rng)),
                "kind": visit.kind,
                # what the outbox stores (LocalStore._enqueue) and the engine sends
                "payload": visit.model_dump(mode="json"),
                "created_at": saved.isoformat(),
            }
        )
    return items


def push_body(device: SimDevice, items: Sequence[dict[str, Any]]) -> bytes:
    """The gzip body of one push (at most MAX_PUSH_BATCH items), as the client sends it."""
    assert len(items) <= MAX_PUSH_BATCH
    return body({"device_id": str(device.id), "epoch": device.epoch, "mutations": list(items)})


def visit_ids(items: Iterable[dict[str, Any]]) -> list[str]:
    return [str(item["payload"]["id"]) for item in items]


# -- one device's sync, with the client's retry rules ------------------------------------------------


@dataclass
class Tally:
    """What one device saw: requests sent, 429s honoured, errors (any other non-2xx answer and any
    connection failure or timeout), and the latency of each answered request."""

    requests: int = 0
    shed: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def merge(self, other: Tally) -> None:
        self.requests += other.requests
        self.shed += other.shed
        self.errors += other.errors
        for k, v in other.error_kinds.items():
            self.error_kinds[k] = self.error_kinds.get(k, 0) + v
        self.latencies_ms += other.latencies_ms


class GaveUp(Exception):  # noqa: N818 (a simulated client's decision, not a bug)
    pass


def _retry_after(r: requests.Response) -> float | None:
    try:
        return float(r.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def send(
    session: requests.Session,
    method: str,
    url: str,
    tally: Tally,
    *,
    sleep: Callable[[float], None] = time.sleep,
    give_up_at: float | None = None,
    **kwargs: Any,
) -> requests.Response:
    """One request until it is answered 2xx: a 429 is retried after its Retry-After (the client's
    backoff, simulated by sleeping), an error after ERROR_BACKOFF. GaveUp after MAX_ERRORS errors, and
    after MAX_SHED 429s or, given ``give_up_at`` (a ``perf_counter`` time), when a retry would start
    after it."""
    shed = errors = 0
    while errors < MAX_ERRORS and (give_up_at is not None or shed < MAX_SHED):
        if give_up_at is not None and time.perf_counter() > give_up_at:
            break
        tally.requests += 1
        t0 = time.perf_counter()
        try:
            r = session.request(method, url, timeout=TIMEOUT, **kwargs)
            content = r.content  # read (and un-gzip) the whole answer
        except requests.RequestException as exc:
            tally.error(type(exc).__name__)
            errors += 1
            sleep(ERROR_BACKOFF)
            continue
        wait = _retry_after(r)
        if r.status_code in (429, 503) and wait is not None:  # busy, come back later: what overload answers
            tally.shed += 1
            shed += 1
            sleep(wait)
            continue
        if not 200 <= r.status_code < 300:
            tally.error(f"{r.status_code} {content[:80]!r}")
            errors += 1
            sleep(wait if wait is not None else ERROR_BACKOFF)
            continue
        tally.latencies_ms.append((time.perf_counter() - t0) * 1000)
        return r
    raise GaveUp(f"{method} {url}: gave up after {shed} busy answers and {errors} errors")


def push(
    session: requests.Session,
    base: str,
    device: SimDevice,
    data: bytes,
    tally: Tally,
    give_up_at: float | None = None,
) -> dict[str, Any]:
    r = send(session, "POST", base + "/v1/sync/push", tally, data=data, headers=device.headers(), give_up_at=give_up_at)
    answer: dict[str, Any] = r.json()
    device.last_seq = int(answer["last_seq"])
    return answer


def pull_message(epoch: str, cursors: dict[str, int], complete: dict[str, int]) -> dict[str, Any]:
    """A pull as the app sends it (protocol 7): from ``cursors``, naming where it holds its households
    whole (``complete``) when that is not at ``cursors`` (a page after the first, a scope reset); a
    household's row then brings only the visits changed since."""
    lower = pull_complete(cursors, complete)
    return {"epoch": epoch, "cursors": cursors, "limit": 1000} | ({"complete": lower} if lower else {})


def turned(cursors: dict[str, int], complete: dict[str, int], page: dict[str, Any]) -> None:
    """A page's cursors taken (a removed scope dropped); a scope it resets is held whole nowhere."""
    for scope in [*page.get("removed", []), *page.get("reset", [])]:
        complete.pop(scope, None)
    cursors.update(page.get("cursors", {}))
    for scope in page.get("removed", []):
        cursors.pop(scope, None)


def pull(
    session: requests.Session,
    base: str,
    device: SimDevice,
    tally: Tally,
    limit: int = 1000,
    give_up_at: float | None = None,
) -> int:
    """Pull pages until ``more`` is false, moving the cursors; returns the number of pages."""
    pages = 0
    complete = dict(device.cursors)
    while True:
        data = body(pull_message(device.epoch, device.cursors, complete) | {"limit": limit})
        r = send(
            session, "POST", base + "/v1/sync/pull", tally, data=data, headers=device.headers(), give_up_at=give_up_at
        )
        page = r.json()
        pages += 1
        turned(device.cursors, complete, page)
        if not page.get("more", False):
            return pages


def applied(answer: dict[str, Any], items: Sequence[dict[str, Any]]) -> list[str]:
    """The visit ids the server acknowledged as applied in a push answer."""
    by_seq = {int(item["seq"]): str(item["payload"]["id"]) for item in items}
    return [by_seq[int(r["seq"])] for r in answer["results"] if r["status"] == "applied" and int(r["seq"]) in by_seq]


# -- a steady load: devices pushing a few visits and pulling, in a loop --------------------------------


@dataclass
class Steady:
    ops: int  # requests completed in the measured window
    seconds: float
    latencies_ms: list[float]
    tally: Tally

    @property
    def rps(self) -> float:
        return self.ops / self.seconds


def run_steady(
    threads: int,
    warmup_s: float,
    measure_s: float,
    one_round: Callable[[int, requests.Session, Tally], None],
    at_measure: Callable[[], None] | None = None,
) -> Steady:
    """``threads`` loops each calling ``one_round(thread index, its session, a tally)`` until the end;
    the requests answered within the measured window (after the warm-up) are the figure. A round's
    requests are stamped with their completion times through the tally's latencies. ``at_measure`` is
    called once, by the first round to end inside the measured window."""
    start = time.perf_counter()
    begin, end = start + warmup_s, start + warmup_s + measure_s
    done: list[list[tuple[float, float]]] = [[] for _ in range(threads)]
    tallies = [Tally() for _ in range(threads)]
    failures: list[BaseException] = []
    marked = threading.Lock()

    def loop(i: int) -> None:
        session = requests.Session()
        tally = tallies[i]
        try:
            while time.perf_counter() < end:
                seen = len(tally.latencies_ms)
                one_round(i, session, tally)
                now = time.perf_counter()
                if at_measure is not None and now >= begin and marked.acquire(blocking=False):
                    at_measure()
                # the round's answered requests, stamped when the round ended (rounds are short)
                done[i] += [(now, ms) for ms in tally.latencies_ms[seen:]]
        except BaseException as exc:  # reported by the caller
            failures.append(exc)
        finally:
            session.close()

    workers = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=warmup_s + measure_s + 5 * TIMEOUT)
    if failures:
        raise failures[0]
    total = Tally()
    for t in tallies:
        total.merge(t)
    window = [ms for per in done for (at, ms) in per if begin <= at < end]
    return Steady(len(window), measure_s, window, total)


# -- the morning burst -------------------------------------------------------------------------------


@dataclass
class DeviceRun:
    """One device's morning: scheduled start, finish (push and pull done), what was acknowledged."""

    device: SimDevice
    start: float  # scheduled arrival
    began: float | None = None  # a client thread took it up (later than start when all were busy)
    pushed: float | None = None  # the push was answered
    finish: float | None = None  # the pull was caught up
    acked: list[str] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)  # push results other than applied
    tally: Tally = field(default_factory=Tally)
    pages: int = 0
    failure: str = ""

    @property
    def seconds(self) -> float:
        assert self.finish is not None
        return self.finish - self.start


def run_burst(
    base: str,
    devices: Sequence[SimDevice],
    items: Sequence[Sequence[dict[str, Any]]],
    bodies: Sequence[bytes],
    offsets: Sequence[float],
    threads: int,
    deadline_s: float,
) -> tuple[list[DeviceRun], float]:
    """Device i starts ``offsets[i]`` seconds after the burst begins, pushes ``bodies[i]`` (its day's
    visits, ``items[i]``) and pulls until caught up. ``threads`` client threads serve the devices in
    order of their start; a device that finds every thread busy waits, and that wait counts in its
    time (measured from its scheduled start, as a laptop would experience it).

    ``deadline_s`` after the burst begins, devices not yet taken up are abandoned and devices waiting
    to retry a 429 give up (the run is bounded when the server cannot keep up); requests in flight
    are answered. Returns the runs and the ``perf_counter`` time the last device ended."""
    order = sorted(range(len(devices)), key=lambda i: offsets[i])
    t0 = time.perf_counter() + 0.5
    stop = t0 + deadline_s
    runs = [DeviceRun(devices[i], t0 + offsets[i]) for i in range(len(devices))]
    lock = threading.Lock()
    position = iter(order)

    def take() -> int | None:
        with lock:
            return next(position, None)

    def loop() -> None:
        session = requests.Session()
        try:
            while (i := take()) is not None:
                run = runs[i]
                delay = run.start - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)  # the device's arrival (simulation), not a test wait
                if time.perf_counter() > stop:
                    run.failure = "abandoned: not started by the deadline"
                    continue
                run.began = time.perf_counter()
                try:
                    answer = push(session, base, run.device, bodies[i], run.tally, give_up_at=stop)
                    run.pushed = time.perf_counter()
                    run.acked = applied(answer, items[i])
                    run.refused = [r for r in answer["results"] if r["status"] != "applied"]
                    run.pages = pull(session, base, run.device, run.tally, give_up_at=stop)
                    run.finish = time.perf_counter()
                except GaveUp as exc:
                    run.failure = str(exc)
                except Exception as exc:  # a broken answer: recorded, the other devices go on
                    run.failure = f"{type(exc).__name__}: {exc}"
        finally:
            session.close()

    workers = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return runs, time.perf_counter()


# -- where the CPU time goes ------------------------------------------------------------------------------


def process_tree(pid: int) -> list[psutil.Process]:
    """A process and all its descendants (uvicorn's workers, PostgreSQL's backends)."""
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def cpu_seconds(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of each process of a tree, by pid."""
    out: dict[int, float] = {}
    for proc in process_tree(pid):
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        out[proc.pid] = t.user + t.system
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds a tree used between two snapshots (processes that left in between are not counted)."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


# -- checking figures ----------------------------------------------------------------------------------


def check(
    title: str,
    figures: Figures,
    *,
    at_most: dict[str, float] | None = None,
    at_least: dict[str, float] | None = None,
    equal: dict[str, float] | None = None,
) -> None:
    """Print the figures, then fail naming every floor missed (benchlib.report knows only ceilings)."""
    print(f"\n{title}")
    for key, value in figures.items():
        print(f"  {key} = {value}")
    failures = [f"{k} {figures[k]} > {v}" for k, v in (at_most or {}).items() if float(figures[k]) > v]
    failures += [f"{k} {figures[k]} < {v}" for k, v in (at_least or {}).items() if float(figures[k]) < v]
    failures += [f"{k} {figures[k]} != {v}" for k, v in (equal or {}).items() if float(figures[k]) != v]
    assert not failures, "; ".join(failures)
