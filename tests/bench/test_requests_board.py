"""The requests board and the three rates on a street's year (tests/helpers/requests_board_data.py:
20 grids, 10,000 households, 8 departments, 100,000 requests registered over a year with their ~600,000
events, written with executemany into a database the app's migrations made; cached beside the
benchmarks as tests/bench/requests_year.db while its schema and generator match).

``requests_board_p95_ms``: every filter the board offers (each status and "open", each category, each
department, overdue, bounced twice, each community, grids, a week, a month, and combinations), in both
orders (newest first, by deadline), each a first page of 100 through gridworker.store.board_reads
(board_page: the page's rows with their household, grid, community and department names) on a stdlib
connection; ``requests_board_vs_sql_ratio``: its p95 over the raw indexed query's (the same condition
and order, the request columns only: board_sql's first part, execute + fetchall). Which side runs
first alternates; the page's ids must be the raw query's.

``rates_year_ms``: a street's twelve months of the three rates (gridworker.store.request_rates.rates,
each month and the twelve, by grid as the rates page opens), the median of five runs; each other
dimension's is printed beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sqlite3
import time
import uuid
from pathlib import Path

import pytest

from gridworker.store import board_reads as rq
from gridworker.store import request_rates as rates
from gridworker.store import schema
from gridworker.store.schema import StoreError, head_revision, read_revision
from tests.bench.benchlib import BENCH_DIR, Figures, median, percentile, report
from tests.helpers import requests_board_data
from tests.helpers.requests_board_data import generate

pytestmark = pytest.mark.bench

REQUESTS = 100_000
PATH = BENCH_DIR / "requests_year.db"
# the generator and the migrations' indexes the rows were written under (a changed one rebuilds the cache)
_SOURCES = hashlib.sha256(Path(str(requests_board_data.__file__)).read_bytes())
for _migration in sorted((Path(str(schema.__file__)).parent / "migrations" / "versions").glob("*.py")):
    _SOURCES.update(_migration.read_bytes())
DATASET = f"requests-v1 count={REQUESTS} sources={_SOURCES.hexdigest()[:12]}"
NOW = dt.datetime(2026, 12, 1, 4, 0)
OFFSET = dt.timedelta(hours=8)
BOARD_P95_MS = 100.0
BOARD_VS_SQL = 3.0
RATES_YEAR_MS = 500.0
RUNS = 5
SEED = 20261213


def _cached(path: Path) -> str | None:
    try:
        if read_revision(path) != head_revision():
            return None
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'requests_dataset'").fetchone()
        finally:
            con.close()
    except (StoreError, sqlite3.Error):
        return None
    return str(row[0]) if row else None


@pytest.fixture(scope="module")
def year() -> Path:
    if _cached(PATH) != DATASET:
        building = PATH.with_name("requests_year.building.db")
        for p in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            p.unlink(missing_ok=True)
        generate(building, REQUESTS, end=NOW)
        con = sqlite3.connect(building)
        con.execute("INSERT INTO meta (key, value) VALUES ('requests_dataset', ?)", (DATASET,))
        con.commit()
        con.close()
        building.replace(PATH)
    return PATH


def board_filters(con: sqlite3.Connection, rng: random.Random) -> list[rq.RequestFilter]:
    communities = [uuid.UUID(hex=r[0]) for r in con.execute("SELECT id FROM org_unit WHERE kind = 'community'")]
    grids = [uuid.UUID(hex=r[0]) for r in con.execute("SELECT id FROM org_unit WHERE kind = 'grid'")]
    departments = [d.id for d in rq.departments_of(con)]
    categories = list(requests_board_data.CATEGORIES)
    base: list[rq.RequestFilter] = [rq.RequestFilter(), rq.RequestFilter(status="open")]
    base += [rq.RequestFilter(status=s) for s in rq.STATUSES]
    base += [rq.RequestFilter(category=c) for c in categories]
    base += [rq.RequestFilter(department_id=d) for d in departments]
    base += [rq.RequestFilter(overdue=True), rq.RequestFilter(bounced=True)]
    base += [rq.RequestFilter(community_id=c) for c in communities]
    base += [rq.RequestFilter(grid_id=g) for g in rng.sample(grids, 5)]
    for days in (6, 30):
        start = dt.date(2025, 12, 10) + dt.timedelta(days=rng.randrange(330))
        base.append(rq.RequestFilter(date_from=start, date_to=start + dt.timedelta(days=days)))
    for _ in range(12):  # what a station combines: a place, a kind, a state
        base.append(
            rq.RequestFilter(
                status=rng.choice(("", "open", "signed", "closed")),
                category=rng.choice(["", *categories]),
                department_id=rng.choice([None, *departments]),
                overdue=rng.random() < 0.2,
                community_id=rng.choice([None, *communities]),
            )
        )
    return [rq.RequestFilter(**{**f.__dict__, "order": order}) for f in base for order in ("newest", "deadline")]


def _time_reads(con: sqlite3.Connection, flt: rq.RequestFilter) -> tuple[float, list[str]]:
    t0 = time.perf_counter()
    page = rq.board_page(con, flt, NOW, OFFSET)
    return (time.perf_counter() - t0) * 1000, [r.id.hex for r in page.rows]


def _time_sql(con: sqlite3.Connection, flt: rq.RequestFilter) -> tuple[float, list[str]]:
    sql, params = rq.board_sql(flt, NOW, OFFSET, None, rq.BOARD_PAGE)
    t0 = time.perf_counter()
    rows = con.execute(sql, params).fetchall()
    return (time.perf_counter() - t0) * 1000, [r[0] for r in rows]


def test_requests_board_and_rates(year: Path, bench_results: Figures) -> None:
    con = sqlite3.connect(f"file:{year}?mode=ro", uri=True)
    try:
        assert con.execute("SELECT count(*) FROM resident_request").fetchone()[0] == REQUESTS
        events = con.execute("SELECT count(*) FROM request_event").fetchone()[0]
        filters = board_filters(con, random.Random(SEED))
        for flt in filters[:6]:  # warm the page cache
            _time_reads(con, flt)
            _time_sql(con, flt)
        app: list[float] = []
        sql: list[float] = []
        slow: list[tuple[float, float, rq.RequestFilter]] = []
        for i, flt in enumerate(filters):
            if i % 2:
                sql_ms, raw = _time_sql(con, flt)
                app_ms, shown = _time_reads(con, flt)
            else:
                app_ms, shown = _time_reads(con, flt)
                sql_ms, raw = _time_sql(con, flt)
            if flt.order == "newest" or len(raw) > rq.BOARD_PAGE:
                assert shown == raw[: rq.BOARD_PAGE], f"{flt}: the page and the raw query disagree"
            app.append(app_ms)
            sql.append(sql_ms)
            slow.append((app_ms, sql_ms, flt))
        by_dimension: dict[str, float] = {}
        for dimension in rates.DIMENSIONS:
            runs = []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                report_ = rates.rates(con, dimension, (2026, 11), NOW, OFFSET)
                runs.append((time.perf_counter() - t0) * 1000)
            assert report_.total.total.registered > 0.99 * REQUESTS
            by_dimension[dimension] = median(runs)
    finally:
        con.close()
    print("\nslowest board filters (ms reads / sql):")
    for app_ms, sql_ms, flt in sorted(slow, key=lambda t: -t[0])[:5]:
        print(f"  {app_ms:7.1f} {sql_ms:7.1f}  {flt}")
    figures: Figures = {
        "requests_board_requests": REQUESTS,
        "requests_board_events": int(events),
        "requests_board_queries": len(app),
        "requests_board_p50_ms": round(median(app), 2),
        "requests_board_p95_ms": round(percentile(app, 95), 2),
        "requests_board_max_ms": round(max(app), 2),
        "requests_board_sql_p95_ms": round(percentile(sql, 95), 2),
        "requests_board_vs_sql_ratio": round(percentile(app, 95) / percentile(sql, 95), 3),
        "rates_year_ms": round(by_dimension["grid"], 1),
        **{f"rates_year_{d}_ms": round(v, 1) for d, v in by_dimension.items()},
    }
    bench_results.update(figures)
    report(
        "requests board filters and the three rates on a street's year (100,000 requests)",
        figures,
        {
            "requests_board_p95_ms": BOARD_P95_MS,
            "requests_board_vs_sql_ratio": BOARD_VS_SQL,
            "rates_year_ms": RATES_YEAR_MS,
        },
    )
