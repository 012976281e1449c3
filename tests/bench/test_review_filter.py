"""The review queue's filters on a street's copy (20 grids, 10,000 households, 200,000 visits over two
years): from asking for a filter to its first page on screen, against the raw indexed query.

App side: a real ReviewQueuePage on an AppContext over a copy of tests/bench/street_copy.py's database
(the app's reader thread, gridworker.store.review_reads, the table model). For every combination of the
filters the bar offers (community, grid, worker, date range, outcome, review state, flag: 2^7 = 128),
drawn three times with other values (384 queries), the bar is set without searching, then the clock
runs from ``reload()`` until ``searched`` is emitted for that filter: the first page (100 visits, with
their grid, community, worker and address names) is in the model. Eight queries run once before.

Floor: the same SQL without the UI's extras (no names, no model): ReviewFilter.where's condition on
review_visit, ORDER BY visited_at DESC, no DESC LIMIT 101, timed as execute + fetchall on a stdlib
sqlite3 connection to the same file. Its first 100 visit numbers must be the page's. Which side runs
first alternates."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from gridworker.app import open_context
from gridworker.paths import worker_db_path
from gridworker.store import review_reads as rr
from gridworker.store.review_filter import ReviewFilter
from gridworker.ui.context import AppContext
from gridworker.ui.review.queue_page import ANY_DATE, ReviewQueuePage
from tests.bench.benchlib import Figures, copy_db, median, percentile, report
from tests.bench.street_copy import FLAG_RATES, STREET_USER, Street, ensure_street_copy

pytestmark = pytest.mark.bench

REVIEW_FILTER_P95_MS = 100.0
REVIEW_FILTER_VS_SQL = 3.0
DIMENSIONS = ("community", "grid", "worker", "dates", "outcome", "state", "flag")
DRAWS = 3
WARMUP = 8
SEED = 20261205
TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class Timing:
    dims: tuple[str, ...]
    app_ms: float
    sql_ms: float
    rows: int


def filters(street: Street, rng: random.Random) -> list[tuple[tuple[str, ...], ReviewFilter]]:
    """Every combination of the bar's filters, each drawn ``DRAWS`` times with values as a reviewer
    picks them (a grid of the chosen community, a week or a month or a day)."""
    out = []
    per = len(street.grids) // len(street.communities)
    for k in range(len(DIMENSIONS) + 1):
        for dims in itertools.combinations(DIMENSIONS, k):
            for _ in range(DRAWS):
                c = rng.randrange(len(street.communities))
                g = c * per + rng.randrange(per) if "community" in dims else rng.randrange(len(street.grids))
                start = street.first_day + dt.timedelta(days=rng.randrange((street.last_day - street.first_day).days))
                out.append(
                    (
                        dims,
                        ReviewFilter(
                            community_id=street.communities[c] if "community" in dims else None,
                            grid_id=street.grids[g] if "grid" in dims else None,
                            worker_id=rng.choice(street.workers) if "worker" in dims else None,
                            date_from=start if "dates" in dims else None,
                            date_to=start + dt.timedelta(days=rng.choice((0, 6, 30))) if "dates" in dims else None,
                            outcome=rng.choice(("met", "not_home", "refused")) if "outcome" in dims else "",
                            state=rng.choice(("pending", "approved", "returned", "questioned", "amended"))
                            if "state" in dims
                            else "",
                            flag=rng.choice(list(FLAG_RATES)) if "flag" in dims else "",
                        ),
                    )
                )
    return out


def set_bar(page: ReviewQueuePage, flt: ReviewFilter) -> None:
    """The filter bar set to ``flt`` as a reviewer's choices leave it, without searching yet."""

    def choose(combo: object, value: object) -> None:
        index = combo.findData(value)  # type: ignore[attr-defined]
        assert index >= 0, value
        combo.setCurrentIndex(index)  # type: ignore[attr-defined]

    def day(value: dt.date | None) -> QDate:
        return QDate(value.year, value.month, value.day) if value else ANY_DATE

    page._filling = True
    choose(page.community, flt.community_id.hex if flt.community_id else None)
    page._filling = False
    page._fill_grids()
    page._filling = True
    choose(page.grid, flt.grid_id.hex if flt.grid_id else None)
    choose(page.worker, flt.worker_id.hex if flt.worker_id else None)
    page.date_from.setDate(day(flt.date_from))
    page.date_to.setDate(day(flt.date_to))
    choose(page.outcome, flt.outcome or None)
    choose(page.state, flt.state or None)
    choose(page.flag, flt.flag or None)
    page._filling = False
    assert page.current_filter() == flt


def time_sql(con: sqlite3.Connection, flt: ReviewFilter) -> tuple[float, list[int]]:
    sql, params = rr.queue_sql(flt, rr.local_offset(), None, rr.QUEUE_PAGE)
    t0 = time.perf_counter()
    rows = con.execute(sql, params).fetchall()
    return (time.perf_counter() - t0) * 1000, [int(r[0]) for r in rows]


def time_app(qtbot: QtBot, page: ReviewQueuePage) -> float:
    arrivals: list[tuple[int, float]] = []
    page.searched.connect(lambda generation: arrivals.append((generation, time.perf_counter())))
    with qtbot.waitSignal(page.searched, timeout=TIMEOUT_MS):
        t0 = time.perf_counter()
        page.reload()
    generation, shown = arrivals[-1]
    page.searched.disconnect()
    assert generation == page.model.generation, "a stale page was shown"
    qtbot.waitUntil(page.ctx.tasks.is_idle, timeout=TIMEOUT_MS)  # the count follows the page
    return (shown - t0) * 1000


@pytest.fixture
def street_folder(tmp_path: Path) -> Iterator[tuple[Path, Street]]:
    pristine, street = ensure_street_copy()
    folder = tmp_path / "data"
    copy_db(pristine, worker_db_path(STREET_USER, folder))
    yield folder, street
    worker_db_path(STREET_USER, folder).unlink(missing_ok=True)


def test_review_filter(qtbot: QtBot, street_folder: tuple[Path, Street], bench_results: Figures) -> None:
    folder, street = street_folder
    ctx: AppContext = open_context(folder, STREET_USER, demo=False)
    con = sqlite3.connect(f"file:{worker_db_path(STREET_USER, folder)}?mode=ro", uri=True)
    try:
        page = ReviewQueuePage(ctx)
        qtbot.addWidget(page)
        page.resize(1240, 700)
        page.show()
        with qtbot.waitSignal(page.searched, timeout=TIMEOUT_MS):
            page.start()
        qtbot.waitUntil(ctx.tasks.is_idle, timeout=TIMEOUT_MS)
        queries = filters(street, random.Random(SEED))
        for _, flt in queries[:WARMUP]:
            set_bar(page, flt)
            time_app(qtbot, page)
            time_sql(con, flt)
        timings = []
        for i, (dims, flt) in enumerate(queries):
            set_bar(page, flt)
            if i % 2:
                sql_ms, nos = time_sql(con, flt)
                app_ms = time_app(qtbot, page)
            else:
                app_ms = time_app(qtbot, page)
                sql_ms, nos = time_sql(con, flt)
            shown = [page.model.record(r).no for r in range(page.model.rowCount())]
            assert shown == nos[: rr.QUEUE_PAGE], f"{flt}: the page and the raw SQL disagree"
            assert page.model.has_more() == (len(nos) > rr.QUEUE_PAGE)
            timings.append(Timing(dims, app_ms, sql_ms, len(shown)))
    finally:
        con.close()
        ctx.tasks.shutdown()
        ctx.close()
    app, sql = [t.app_ms for t in timings], [t.sql_ms for t in timings]
    slowest = sorted(timings, key=lambda t: -t.app_ms)[:5]
    print("\nslowest filters (ms app / sql, rows):")
    for t in slowest:
        print(f"  {t.app_ms:7.1f} {t.sql_ms:7.1f} {t.rows:4d}  {'+'.join(t.dims) or '(none)'}")
    figures: Figures = {
        "review_filter_queries": len(timings),
        "review_filter_p50_ms": round(median(app), 2),
        "review_filter_p95_ms": round(percentile(app, 95), 2),
        "review_filter_max_ms": round(max(app), 2),
        "review_filter_sql_p50_ms": round(median(sql), 2),
        "review_filter_sql_p95_ms": round(percentile(sql, 95), 2),
        "review_filter_vs_sql_ratio": round(percentile(app, 95) / percentile(sql, 95), 3),
        "review_filter_vs_sql_median_ratio": round(median(app) / median(sql), 3),
    }
    bench_results.update(figures)
    report(
        "review queue filters on a street's copy (20 grids, 10,000 households, 200,000 visits)",
        figures,
        {"review_filter_p95_ms": REVIEW_FILTER_P95_MS, "review_filter_vs_sql_ratio": REVIEW_FILTER_VS_SQL},
    )
