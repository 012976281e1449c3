"""Sync on the wire and under load, against the real server (``gridworker-server serve`` as a subprocess)
on a throwaway PostgreSQL 15 cluster (``pg_cluster``, tests/helpers/pg.py).

Bytes (one server process, a city of 4 grids of exactly 500 households, 60 days of visit history):

* ``initial_sync_500_bytes``: a worker's first sync of their 500-household grid, i.e. every pull page
  until ``more`` is false, from cursors ``{}`` with the app's page size (1000). Counted are the answer
  bodies as they crossed the socket, gzip-compressed (``Accept-Encoding: gzip``, read undecoded with
  ``stream=True`` and ``r.raw.read()``); the request bodies (gzip, as the app sends them) are reported
  beside, as is the size after decompression. Floor: 100 KB.
* ``noop_pull_body_bytes``: a device that is caught up pulls once; the answer body as sent (it is below
  the server's gzip threshold, so it travels as plain JSON). Floor: 128 bytes in one request.
* ``push_30_bytes``: a day's 30 ``visit.create`` mutations in one batch, the request body exactly as the
  app's transport writes it (compact UTF-8 JSON, gzip level 6, ``Content-Encoding: gzip``). Floor: one
  request, and all 30 applied (checked by SQL on the server's visit table).

Load (two server processes over one PostgreSQL database, a city of 500 grids of 30 households):

* ``sync_vs_trivial_ratio``: 16 client threads, each a distinct registered device of a distinct worker
  with its own ``requests.Session``, loop "push 3 visits, pull" (every request is one sync operation);
  then the same 16 threads loop ``GET /ping``. Three alternating rounds of each (1 s warm-up, 5 s
  measured), so that the shared machine's drift hits both sides alike. Floor: sync ≥ 0.3 × trivial.
* the morning burst: see :func:`test_morning_burst`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psutil
import pytest
import requests
from sqlalchemy import func, select

from gridworker_server import admin
from gridworker_server.db import Database
from gridworker_server.demo_city import DemoCity, generate_city
from gridworker_server.models import Device, Household, MutationLog, ScopeVersion, Visit
from gridworker_shared.protocol import COLUMNS, GLOBAL_SCOPE, MAX_PUSH_BATCH, grid_scope, unpack_id
from tests.bench.benchlib import Figures, median, percentile
from tests.bench.synclib import (
    BODY_HEADERS,
    SimDevice,
    Tally,
    Worker,
    applied,
    body,
    check,
    cpu_seconds,
    cpu_used,
    load_workers,
    pull,
    pull_message,
    push,
    push_body,
    register_devices,
    run_burst,
    run_steady,
    send,
    turned,
    visit_ids,
    visit_mutations,
)
from tests.helpers.pg import PostgresCluster
from tests.helpers.server import HEADERS, ServerProcess, auth_headers, login

INITIAL_SYNC_MAX_BYTES = 100 * 1024
NOOP_PULL_MAX_BYTES = 128
SYNC_VS_TRIVIAL_MIN = 0.3
BURST_P95_MAX_S = 5.0

STEADY_THREADS = 16
STEADY_ROUNDS = 3
STEADY_WARMUP_S = 1.0
STEADY_MEASURE_S = 5.0
STEADY_VISITS = 3  # visits per push in the steady loop

BURST_DEVICES = 5000
BURST_WINDOW_S = 300.0
BURST_THREADS = 128
# Seconds after the burst begins when devices not yet started are abandoned and 429 retries stop, so
# the run stays bounded when the server cannot keep up (the p95 is then a lower bound, and fails).
BURST_DEADLINE_S = 480.0
BURST_VISITS = 30
LOAD_GRIDS_PER_COMMUNITY = 125  # 4 communities: 500 grids, 500 workers, 10 burst devices each
LOAD_HOUSEHOLDS = 30  # per grid: one day's visits of a worker cover the grid once
SEED = 20261130


# -- fixtures -----------------------------------------------------------------------------------------


@dataclass
class Site:
    """A seeded server database and a server running on it."""

    db: Database
    server: ServerProcess
    city: DemoCity
    cluster: PostgresCluster

    @property
    def base(self) -> str:
        return self.server.base


def _site(cluster: PostgresCluster, stem: str, city: DemoCity, workers: int) -> Iterator[Site]:
    name = f"{stem}_{uuid.uuid4().hex[:8]}"
    url = cluster.create_database(name)
    db = Database(url, pool_size=2)
    try:
        db.migrate()
        with db.write() as s:
            admin.seed_demo(s, city)
        with ServerProcess(url, workers=workers) as server:
            yield Site(db, server, city, cluster)
    finally:
        db.dispose()
        cluster.drop_database(name)


@pytest.fixture(scope="module")
def grids500(pg_cluster: PostgresCluster) -> Iterator[Site]:
    """Four grids of exactly 500 households each (60 days of history), one server process."""
    city = generate_city(grids_per_community=1, households_per_grid=(500, 500))
    yield from _site(pg_cluster, "bench_sync500", city, workers=1)


@pytest.fixture(scope="module")
def loaded(pg_cluster: PostgresCluster) -> Iterator[Site]:
    """500 grids of 30 households (500 workers), two server processes over one PostgreSQL database."""
    city = generate_city(grids_per_community=LOAD_GRIDS_PER_COMMUNITY, households_per_grid=(30, 30))
    yield from _site(pg_cluster, "bench_sync_load", city, workers=2)


# -- helpers ------------------------------------------------------------------------------------------


@dataclass
class Page:
    wire_bytes: int  # the answer body as it crossed the socket
    plain_bytes: int  # after gzip decoding
    request_bytes: int
    answer: dict[str, Any]


def raw_pull(
    base: str, token: str, epoch: str, cursors: dict[str, int], complete: dict[str, int] | None = None
) -> Page:
    """One pull as the app sends it (held whole up to ``complete``, by default the cursors), the answer
    read undecoded off the socket."""
    data = body(pull_message(epoch, cursors, cursors if complete is None else complete))
    r = requests.post(
        base + "/v1/sync/pull",
        data=data,
        headers={**auth_headers(token), **BODY_HEADERS},
        stream=True,
        timeout=120,
    )
    raw = r.raw.read(decode_content=False)
    plain = gzip.decompress(raw) if r.headers.get("Content-Encoding") == "gzip" else raw
    assert r.status_code == 200, plain[:300]
    if "Content-Length" in r.headers:
        assert int(r.headers["Content-Length"]) == len(raw)
    return Page(len(raw), len(plain), len(data), json.loads(plain))


def first_sync(
    base: str, token: str, epoch: str, held: dict[str, int] | None = None
) -> tuple[list[Page], dict[str, int]]:
    """Every page from empty cursors (but for the scopes already ``held``) until ``more`` is false."""
    cursors: dict[str, int] = dict(held or {})
    complete = dict(cursors)
    pages: list[Page] = []
    while True:
        page = raw_pull(base, token, epoch, cursors, complete)
        pages.append(page)
        turned(cursors, complete, page.answer)
        if not page.answer.get("more", False):
            return pages, cursors
        assert len(pages) < 50, "the pull does not end"


def grid_of(site: Site, username: str) -> tuple[uuid.UUID, int]:
    worker = next(w for w in site.city.workers if w.username == username)
    return worker.grid_id, sum(1 for h in site.city.households if h.grid_id == worker.grid_id)


def postmaster_pid(cluster: PostgresCluster) -> int:
    return int((cluster.data_dir / "postmaster.pid").read_text().splitlines()[0])


# -- bytes ---------------------------------------------------------------------------------------------


@pytest.mark.bench
def test_initial_sync_500(grids500: Site, bench_results: Figures) -> None:
    grid_id, households = grid_of(grids500, "demo")
    assert households == 500
    info = login(grids500.base, "demo")
    # The policy guide travels in the global scope, once per laptop whatever its grid: it is measured
    # apart (initial_sync_guide_bytes) and the floor is the grid's own data.
    with grids500.db.read() as s:
        versions = {scope: version for scope, version in s.execute(select(ScopeVersion.scope, ScopeVersion.version))}
    guide_pages, _ = first_sync(
        grids500.base, info["token"], info["epoch"], {grid_scope(grid_id): versions[grid_scope(grid_id)]}
    )
    articles = sum(len(p.answer.get("upserts", {}).get("article", [])) for p in guide_pages)
    assert articles >= 30 and not any(p.answer.get("upserts", {}).get("household") for p in guide_pages)
    pages, cursors = first_sync(grids500.base, info["token"], info["epoch"], {GLOBAL_SCOPE: versions[GLOBAL_SCOPE]})
    assert not any(p.answer.get("upserts", {}).get("article") for p in pages)

    rows = [row for p in pages for row in p.answer.get("upserts", {}).get("household", [])]
    got = {unpack_id(row[0]) for row in rows}
    assert len(rows) == len(got) == households, f"{len(got)} households received"
    with grids500.db.read() as s:
        assert got == set(s.scalars(select(Household.id).where(Household.grid_id == grid_id)))
    visits = sum(len(row[COLUMNS["household"].index("visits")]) for row in rows if len(row) > 17)
    assert visits > 0 and cursors

    figures: Figures = {
        "initial_sync_500_bytes": sum(p.wire_bytes for p in pages),
        "initial_sync_500_requests": len(pages),
        "initial_sync_500_uncompressed_bytes": sum(p.plain_bytes for p in pages),
        "initial_sync_500_request_bytes": sum(p.request_bytes for p in pages),
        "initial_sync_500_visits": visits,
        "initial_sync_guide_bytes": sum(p.wire_bytes for p in guide_pages),
        "initial_sync_guide_articles": articles,
    }
    bench_results.update(figures)
    check(
        "first sync of a 500-household grid (gzip bytes on the wire):",
        figures,
        at_most={"initial_sync_500_bytes": INITIAL_SYNC_MAX_BYTES},
    )


@pytest.mark.bench
def test_noop_pull(grids500: Site, bench_results: Figures) -> None:
    info = login(grids500.base, "worker02")
    _pages, cursors = first_sync(grids500.base, info["token"], info["epoch"])
    page = raw_pull(grids500.base, info["token"], info["epoch"], dict(cursors))
    answer = page.answer
    assert not answer.get("upserts") and not answer.get("removes") and not answer.get("reset")
    assert all(cursors.get(scope) == v for scope, v in answer.get("cursors", {}).items())
    figures: Figures = {
        "noop_pull_body_bytes": page.wire_bytes,
        "noop_pull_requests": 1 + int(bool(answer.get("more", False))),
        "noop_pull_request_bytes": page.request_bytes,
    }
    bench_results.update(figures)
    check(
        "pull of a device that is caught up:",
        figures,
        at_most={"noop_pull_body_bytes": NOOP_PULL_MAX_BYTES},
        equal={"noop_pull_requests": 1},
    )


@pytest.mark.bench
def test_push_30(grids500: Site, bench_results: Figures) -> None:
    info = login(grids500.base, "worker03")
    grid_id, _ = grid_of(grids500, "worker03")
    worker = next(w for w in load_workers(grids500.db) if w.grid_id == grid_id)
    device = SimDevice(uuid.UUID(info["device_id"]), info["token"], worker, info["epoch"])
    items = visit_mutations(random.Random(f"{SEED}-push30"), worker.homes[:BURST_VISITS], 1, dt.date.today())
    assert len(items) == BURST_VISITS <= MAX_PUSH_BATCH
    data = push_body(device, items)

    session = requests.Session()
    tally = Tally()
    answer = push(session, grids500.base, device, data, tally)
    ids = visit_ids(items)
    with grids500.db.read() as s:
        stored = s.scalar(select(func.count()).select_from(Visit).where(Visit.id.in_([uuid.UUID(i) for i in ids])))
    figures: Figures = {
        "push_30_bytes": len(data),
        "push_30_requests": tally.requests,
        "push_30_uncompressed_bytes": len(gzip.decompress(data)),
        "push_30_applied": len(applied(answer, items)),
        "push_30_stored": stored or 0,
    }
    bench_results.update(figures)
    check(
        "a day's 30 visits pushed in one batch (gzip request body):",
        figures,
        equal={"push_30_requests": 1, "push_30_applied": BURST_VISITS, "push_30_stored": BURST_VISITS},
    )


# -- load ----------------------------------------------------------------------------------------------


def catch_up(base: str, devices: list[SimDevice]) -> None:
    """Each device pulls until caught up (not measured)."""
    session = requests.Session()
    tally = Tally()
    for d in devices:
        pull(session, base, d, tally)
    assert tally.errors == 0, tally.error_kinds


@pytest.mark.bench
def test_sync_vs_trivial_pg(loaded: Site, bench_results: Figures) -> None:
    """Devices syncing as a workday makes them, against GET /ping under the same load shape.

    A worker records a visit every quarter of an hour or so and the app syncs after each change and
    every 5 minutes: per device the loop is one visit pushed and pulled back, then three periodic syncs
    that find nothing new (``sync_vs_trivial_ratio``, the floor). The push-heavy shape of a catching-up
    device (3 visits pushed, then pulled, every round) is reported too (``sync_vs_trivial_ratio_push3``).
    """
    workers = load_workers(loaded.db)[:STEADY_THREADS]
    devices = register_devices(loaded.db, workers, str(loaded.db.epoch()), "steady")
    catch_up(loaded.base, devices)
    # every benchmark draws its own ids: a mutation id seen before (same user) is replayed, not applied
    rngs = [random.Random(f"{SEED}-steady-{i}") for i in range(STEADY_THREADS)]
    positions = [0] * STEADY_THREADS
    rounds = [0] * STEADY_THREADS
    refused: list[str] = []
    today = dt.date.today()

    def push_and_pull(i: int, session: requests.Session, tally: Tally, visits: int) -> None:
        device = devices[i]
        homes = device.worker.homes
        chosen = [homes[(positions[i] + k) % len(homes)] for k in range(visits)]
        positions[i] += visits
        items = visit_mutations(rngs[i], chosen, device.last_seq + 1, today)
        answer = push(session, loaded.base, device, push_body(device, items), tally)
        if len(applied(answer, items)) != len(items):
            refused.append(json.dumps(answer["results"], ensure_ascii=False)[:300])
        pull(session, loaded.base, device, tally)

    def workday_round(i: int, session: requests.Session, tally: Tally) -> None:
        rounds[i] += 1
        if rounds[i] % 4 == 1:
            push_and_pull(i, session, tally, 1)
        else:
            pull(session, loaded.base, devices[i], tally)

    def push3_round(i: int, session: requests.Session, tally: Tally) -> None:
        push_and_pull(i, session, tally, STEADY_VISITS)

    def ping_round(_i: int, session: requests.Session, tally: Tally) -> None:
        send(session, "GET", loaded.base + "/ping", tally, headers={**HEADERS, "Accept-Encoding": "gzip"})

    ops = {"workday": 0, "push3": 0, "ping": 0}
    secs = {"workday": 0.0, "push3": 0.0, "ping": 0.0}
    ms: dict[str, list[float]] = {"workday": [], "push3": [], "ping": []}
    total = Tally()
    # where each side's CPU goes, per answered request (server processes, PostgreSQL, these clients)
    cpu: dict[str, list[float]] = {name: [0.0, 0.0, 0.0] for name in ops}
    me = psutil.Process(os.getpid())
    for _ in range(STEADY_ROUNDS):
        for name, fn in (("workday", workday_round), ("ping", ping_round), ("push3", push3_round)):
            server0, pg0 = cpu_seconds(loaded.server.proc.pid), cpu_seconds(postmaster_pid(loaded.cluster))
            client0 = sum(me.cpu_times()[:2])
            run = run_steady(STEADY_THREADS, STEADY_WARMUP_S, STEADY_MEASURE_S, fn)
            cpu[name][0] += cpu_used(server0, cpu_seconds(loaded.server.proc.pid))
            cpu[name][1] += cpu_used(pg0, cpu_seconds(postmaster_pid(loaded.cluster)))
            cpu[name][2] += sum(me.cpu_times()[:2]) - client0
            ops[name] += run.ops
            secs[name] += run.seconds
            ms[name] += run.latencies_ms
            total.merge(run.tally)
    assert not refused, refused[0]
    rps = {name: ops[name] / secs[name] for name in ops}
    figures: Figures = {
        "sync_rps_pg": round(rps["workday"], 1),
        "trivial_rps_pg": round(rps["ping"], 1),
        "sync_vs_trivial_ratio": round(rps["workday"] / rps["ping"], 3),
        "sync_p95_ms": round(percentile(ms["workday"], 95), 1),
        "sync_p50_ms": round(median(ms["workday"]), 1),
        "sync_push3_rps_pg": round(rps["push3"], 1),
        "sync_vs_trivial_ratio_push3": round(rps["push3"] / rps["ping"], 3),
        "sync_push3_p95_ms": round(percentile(ms["push3"], 95), 1),
        "trivial_p95_ms": round(percentile(ms["ping"], 95), 1),
        # CPU per answered request over the whole run (warm-ups included), in ms
        **{
            f"{name}_cpu_ms_per_request_{side}": round(1000 * cpu[name][k] / max(ops[name], 1), 2)
            for name in ops
            for k, side in enumerate(("server", "pg", "client"))
        },
        "sync_load_errors": total.errors,
        "sync_load_429": total.shed,
    }
    bench_results.update(figures)
    check(
        f"{STEADY_THREADS} devices syncing through a workday (1 visit pushed and pulled, 3 no-change pulls),"
        " and pushing 3 visits then pulling, against GET /ping (2 server processes, PostgreSQL):",
        figures,
        at_least={"sync_vs_trivial_ratio": SYNC_VS_TRIVIAL_MIN},
        equal={"sync_load_errors": 0},
    )


@pytest.mark.bench
def test_morning_burst(loaded: Site, bench_results: Figures) -> None:
    """The morning burst: 5,000 devices, each pushing its worker's 30 visits of the day in one batch and
    then pulling until caught up, against two server processes over one PostgreSQL database.

    Devices: 5,000 Device rows inserted directly (the token's SHA-256 stored, as sign-in stores it),
    10 per worker of the 500 grids (30 households each); every device visits all 30 households of its
    grid in the same order (so two devices of one worker lock households in the same order, as one
    laptop would). Cursors: one probe device per worker pulls until caught up before the burst, and
    its cursors are given to that worker's devices (they start caught up). Push bodies are built and
    gzip-compressed before the burst.

    Arrival: the 5,000 start times are drawn uniformly at random (fixed seed) over a 5-minute window,
    i.e. 17 devices a second on average: a whole district's laptops opened between 8:00 and 8:05 (a
    city's grid workers arrive over half an hour or more; five minutes is the hard case we hold to). 128 client threads
    serve the devices in order of arrival; a device whose start comes while every thread is busy waits,
    and that wait is part of its time, which runs from its scheduled start to its caught-up pull. A 429
    is retried after its Retry-After (a sleep in the load generator: the client's backoff, simulated);
    a connection failure or any other non-2xx answer counts as an error and is retried after 1 s (at
    most 3 times per request). The run is bounded: 480 s after the burst begins, devices not yet
    started are abandoned and devices waiting to retry a 429 give up; each such device counts as
    unfinished, with the time it had waited by the end of the run (so ``burst_p95_s`` is then a lower
    bound, ``burst_p95_is_lower_bound`` = 1, and the floor fails anyway).

    Counted on the server afterwards (SQL): ``burst_lost``, visits a device saw acknowledged as applied
    that are not in the visit table; ``burst_duplicated``, visit rows received during the burst beyond
    one per distinct visit pushed; and the mutation log must hold exactly 30 entries per device.
    Reported beside (not asserted): where the CPU went (server processes, PostgreSQL backends, this
    load generator), and how long devices waited for a free client thread.
    """
    site = loaded
    workers = load_workers(site.db)
    epoch = str(site.db.epoch())
    probes = register_devices(site.db, workers, epoch, "probe")
    catch_up(site.base, probes)
    cursors = {p.worker.id: p.cursors for p in probes}

    rng = random.Random(f"{SEED}-burst")
    chosen: list[Worker] = [workers[i % len(workers)] for i in range(BURST_DEVICES)]
    devices = register_devices(site.db, chosen, epoch, "burst")
    for d in devices:
        d.cursors = dict(cursors[d.worker.id])
    today = dt.date.today()
    items = [visit_mutations(rng, d.worker.homes[:BURST_VISITS], 1, today) for d in devices]
    assert all(len(i) == BURST_VISITS for i in items)
    bodies = [push_body(d, i) for d, i in zip(devices, items, strict=True)]
    offsets = [rng.uniform(0, BURST_WINDOW_S) for _ in devices]

    assert site.server.proc is not None
    server_pid = site.server.proc.pid
    server_cpu = cpu_seconds(server_pid)
    pg_cpu = cpu_seconds(postmaster_pid(site.cluster))
    me = psutil.Process(os.getpid())
    client_cpu = sum(me.cpu_times()[:2])
    load_before = os.getloadavg()[0]
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    t0 = time.perf_counter()
    runs, ended = run_burst(site.base, devices, items, bodies, offsets, BURST_THREADS, BURST_DEADLINE_S)
    wall = ended - t0
    server_used = cpu_used(server_cpu, cpu_seconds(server_pid))
    pg_used = cpu_used(pg_cpu, cpu_seconds(postmaster_pid(site.cluster)))
    client_used = sum(me.cpu_times()[:2]) - client_cpu

    finished = [r for r in runs if r.finish is not None]
    # an unfinished device counts with the time it had waited when the run ended: a lower bound
    seconds = [r.seconds if r.finish is not None else ended - r.start for r in runs]
    waits = [r.began - r.start for r in runs if r.began is not None]
    push_s = [r.pushed - r.began for r in runs if r.pushed is not None and r.began is not None]
    pull_s = [r.finish - r.pushed for r in finished if r.finish is not None and r.pushed is not None]
    total = Tally()
    for r in runs:
        total.merge(r.tally)
    pushed = {i for its in items for i in visit_ids(its)}
    acked = {i for r in runs for i in r.acked}
    with site.db.read() as s:
        received = {str(v) for v in s.scalars(select(Visit.id).where(Visit.received_at >= since))}
        device_ids = [d.id for d in devices]
        logged = 0
        for start in range(0, len(device_ids), 1000):
            logged += (
                s.scalar(
                    select(func.count())
                    .select_from(MutationLog)
                    .where(MutationLog.device_id.in_(device_ids[start : start + 1000]))
                )
                or 0
            )
        seqs = s.execute(select(Device.last_seq, func.count()).where(Device.name == "burst").group_by(Device.last_seq))
        last_seqs = {int(seq): int(n) for seq, n in seqs}
    lost = len(acked - received)
    duplicated = len(received) - len(received & pushed)
    failures = [r.failure for r in runs if r.failure]
    refused = Counter(f"{res['status']} {res['code']}" for r in runs for res in r.refused)

    figures: Figures = {
        "burst_devices": len(devices),
        "burst_window_s": BURST_WINDOW_S,
        "burst_client_threads": BURST_THREADS,
        "burst_finished": len(finished),
        "burst_unfinished": len(runs) - len(finished),
        "burst_abandoned": sum(1 for r in runs if r.began is None),
        "burst_p50_s": round(median(seconds), 2),
        "burst_p95_s": round(percentile(seconds, 95), 2),
        "burst_p95_is_lower_bound": int(len(finished) < len(runs)),
        "burst_max_s": round(max(seconds), 2),
        "burst_wall_s": round(wall, 1),
        "burst_devices_per_s": round(len(finished) / wall, 2),
        "burst_client_wait_p95_s": round(percentile(waits, 95), 2) if waits else -1,
        "burst_push_p50_s": round(median(push_s), 3) if push_s else -1,
        "burst_push_p95_s": round(percentile(push_s, 95), 3) if push_s else -1,
        "burst_pull_p50_s": round(median(pull_s), 3) if pull_s else -1,
        "burst_pull_p95_s": round(percentile(pull_s, 95), 3) if pull_s else -1,
        "burst_requests": total.requests,
        "burst_429": total.shed,
        "burst_errors": total.errors,
        "burst_acked": len(acked),
        "burst_lost": lost,
        "burst_duplicated": duplicated,
        "burst_mutations_logged": logged,
        "burst_server_cpu_ms_per_device": round(1000 * server_used / max(1, len(finished)), 1),
        "burst_pg_cpu_ms_per_device": round(1000 * pg_used / max(1, len(finished)), 1),
        "burst_client_cpu_ms_per_device": round(1000 * client_used / max(1, len(finished)), 1),
        "burst_loadavg_before": round(load_before, 2),
    }
    bench_results.update(figures)
    if total.error_kinds or failures or refused:
        print(f"\nerrors: {total.error_kinds}; failures: {Counter(failures).most_common(3)}")
        print(f"not applied: {dict(refused)}; devices by last_seq: {last_seqs}")
    check(
        f"morning burst: {BURST_DEVICES} devices over {BURST_WINDOW_S:.0f} s, each pushing {BURST_VISITS} visits"
        " then pulling (2 server processes, PostgreSQL):",
        figures,
        at_most={"burst_p95_s": BURST_P95_MAX_S},
        equal={
            "burst_errors": 0,
            "burst_unfinished": 0,
            "burst_lost": 0,
            "burst_duplicated": 0,
            "burst_acked": BURST_VISITS * sum(1 for r in runs if r.pushed is not None),
            "burst_mutations_logged": len(acked),
        },
    )
