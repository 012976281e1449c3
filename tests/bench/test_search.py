"""Search as you type on the 50k database: from the keystroke to the updated list, against the same
query written by hand in SQL and run on a DB-API connection to the same file. Both are run twice: on
a plain copy and on an encrypted one (SQLCipher, issue 14), the floor's connection keyed like the app's;
the floors are asserted on the encrypted figures, the plain ones reported beside them (``*_plain_*``).

App side: a real HouseholdsPage on an AppContext (the app's own reader thread, SQLAlchemy, table
model). For each query the text minus its last character is set first, not timed, and the page is
left settled: its reads delivered and the results laid out and painted, as between two keystrokes of
a person. Then the last character is typed (a QTest key click, or an input method's commit for a
hanzi) and the clock runs until ``searched`` is emitted for that query: the model has been reset with
the first page and the first row selected. A second figure adds one ``QApplication.processEvents()``
pass after the signal, which lays out and paints the view (offscreen); it is reported, not asserted.
Five queries are run once before measuring (connections, statement caches, the OS file cache).

Floor: the hand-written indexed SQL selecting the same display columns for the same key ranges
(``parse_query``), ORDER BY walk_key, id LIMIT 201, timed as execute + fetchall. Its first 200 ids
must equal the rows the page shows, so the two sides answer the same question.
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from gridworker.app import open_context
from gridworker.paths import worker_db_path
from gridworker.store import cipher
from gridworker.store.rows import PAGE_SIZE
from gridworker.ui.context import AppContext
from gridworker.ui.pages import HouseholdsPage
from gridworker.ui.tasks import TaskManager
from gridworker_shared.domain.search import parse_query
from tests.bench.benchlib import BENCH_USER, Figures, median, percentile, report
from tests.bench.cipherlib import encrypted_data_dir

SEARCH_P95_MS = 50.0
SEARCH_VS_SQL = 3.0
QUERY_SEED = 20261128
TIMEOUT_MS = 10_000
WARMUP = 5  # queries run once before measuring (connections, statement caches, pages in the OS cache)

# kind -> how many of the 200 queries
MIX = {
    "name": 24,  # 张伟
    "name_prefix": 20,  # 欧阳 of 欧阳建国: the first two characters
    "pinyin": 24,  # zhangwei
    "initials": 24,  # zw
    "address": 24,  # 3-2-501
    "address_cn": 20,  # 3栋2单元501
    "building": 8,  # 3号楼
    "phone": 20,  # 13812345678
    "phone_tail": 18,  # 5678
    "id_tail": 18,  # last 4 characters of an ID number
}

RAW_SQL = """
SELECT h.id, h.walk_key, 0 AS bucket, h.compound, h.building, h.unit, h.room, h.head_name, h.phone,
       (SELECT group_concat(t.tag, ',') FROM household_tag AS t WHERE t.household_id = h.id) AS tags,
       h.due_on, h.last_met_on,
       EXISTS (SELECT 1 FROM outbox AS o WHERE o.household_id = h.id AND o.state = 'pending') AS unsent
FROM household AS h
WHERE {where}
ORDER BY h.walk_key, h.id
LIMIT {limit}
"""


@dataclass(frozen=True)
class Query:
    kind: str
    text: str


@dataclass
class Timing:
    query: Query
    app_ms: float
    painted_ms: float
    sql_ms: float
    rows: int


def pick_queries(path: Path, seed: int = QUERY_SEED) -> list[Query]:
    """The query mix, drawn from the real rows with a fixed seed; no text twice."""
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        people = con.execute("SELECT name, phone, id_number FROM person WHERE active ORDER BY id").fetchall()
        homes = con.execute("SELECT building, unit, room FROM household ORDER BY id").fetchall()
    finally:
        con.close()
    names: list[str] = [str(p[0]) for p in people]
    long_names = [n for n in names if len(n) >= 3]
    phones = [digits for p in people if len(digits := re.sub(r"\D", "", str(p[1]))) >= 7]
    id_numbers: list[str] = [str(p[2]) for p in people if len(str(p[2])) >= 4]

    def make(kind: str) -> str:
        if kind == "name":
            return rng.choice(names)
        if kind == "name_prefix":
            return rng.choice(long_names)[:2]
        if kind == "pinyin":
            return "".join(lazy_pinyin(rng.choice(names)))
        if kind == "initials":
            return "".join(s[0] for s in lazy_pinyin(rng.choice(names)))
        if kind in ("address", "address_cn", "building"):
            b, u, r = rng.choice(homes)
            return {"address": f"{b}-{u}-{r}", "address_cn": f"{b}栋{u}单元{r}", "building": f"{b}号楼"}[kind]
        if kind == "phone":
            return rng.choice(phones)
        if kind == "phone_tail":
            return rng.choice(phones)[-4:]
        if kind == "id_tail":
            return rng.choice(id_numbers)[-4:]
        raise ValueError(kind)

    seen: set[str] = set()
    out: list[Query] = []
    for kind, wanted in MIX.items():
        got = 0
        for _ in range(wanted * 50):
            text = make(kind)
            if text.lower() not in seen:
                seen.add(text.lower())
                out.append(Query(kind, text))
                got += 1
                if got == wanted:
                    break
        assert got == wanted, f"only {got} distinct {kind} queries in the data"
    rng.shuffle(out)
    return out


def raw_sql(text: str, limit: int = PAGE_SIZE + 1) -> tuple[str, list[str]]:
    """The hand-written equivalent of reads.search_sql for a query text (no other filter).
    SQLAlchemy's Uuid is stored on SQLite as 32 hex digits, which the subqueries compare as text."""
    clauses: list[str] = []
    params: list[str] = []
    for ranges in parse_query(text):
        ors = " OR ".join("(key >= ? AND key < ?)" for _ in ranges)
        clauses.append(f"h.id IN (SELECT household_id FROM search_key WHERE {ors})")
        for lo, hi in ranges:
            params += [lo, hi]
    return RAW_SQL.format(where=" AND ".join(clauses) or "1", limit=limit), params


def time_sql(con: sqlite3.Connection, text: str) -> tuple[float, list[uuid.UUID]]:
    sql, params = raw_sql(text)
    t0 = time.perf_counter()
    rows = con.execute(sql, params).fetchall()
    elapsed = (time.perf_counter() - t0) * 1000
    return elapsed, [uuid.UUID(hex=r[0]) for r in rows]


def wait_idle(qtbot: QtBot, tasks: TaskManager) -> None:
    """Until every queued database read has delivered (the detail of the row the page selected)."""
    if not tasks.is_idle():
        with qtbot.waitSignal(tasks.became_idle, timeout=TIMEOUT_MS):
            pass


def settle() -> None:
    """Lay out and paint what the last results changed (the list, the selected household's panel),
    as happens between two keystrokes of a person, so a measurement does not pay for the previous
    query's painting."""
    QApplication.processEvents()
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def type_char(line: QLineEdit, char: str) -> None:
    """A keystroke: a key press for ASCII, an input method's commit for a hanzi (as a pinyin IME
    delivers it; QTest cannot synthesise non-ASCII keys)."""
    if char.isascii():
        QTest.keyClicks(line, char)
    else:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(line, event)


class Typist:
    """Types queries into the page and times each last keystroke to its first page on screen."""

    def __init__(self, qtbot: QtBot, page: HouseholdsPage) -> None:
        self.qtbot = qtbot
        self.page = page
        self._arrivals: list[tuple[int, float]] = []
        page.searched.connect(lambda generation: self._arrivals.append((generation, time.perf_counter())))

    def set_text(self, text: str) -> None:
        """Not timed: the state before the keystroke, fully settled."""
        if self.page.search.text() != text:
            with self.qtbot.waitSignal(self.page.searched, timeout=TIMEOUT_MS):
                self.page.search.setText(text)
        wait_idle(self.qtbot, self.page.ctx.tasks)
        settle()

    def type_last(self, text: str) -> tuple[float, float]:
        """(ms to the ``searched`` signal, ms to the view laid out and painted)."""
        self.set_text(text[:-1])
        self._arrivals.clear()
        with self.qtbot.waitSignal(self.page.searched, timeout=TIMEOUT_MS):
            t0 = time.perf_counter()
            type_char(self.page.search, text[-1])
        QApplication.processEvents()
        painted = time.perf_counter()
        assert self.page.search.text() == text
        generation, shown = self._arrivals[-1]
        assert generation == self.page.browser.model.generation, "a stale page was shown"
        wait_idle(self.qtbot, self.page.ctx.tasks)
        return (shown - t0) * 1000, (painted - t0) * 1000

    def shown_ids(self) -> list[uuid.UUID]:
        model = self.page.browser.model
        return [model.record(i).id for i in range(model.rowCount())]


@contextmanager
def households_page(qtbot: QtBot, folder: Path) -> Iterator[HouseholdsPage]:
    ctx: AppContext = open_context(folder, BENCH_USER, demo=False)
    try:
        page = HouseholdsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        with qtbot.waitSignal(page.searched, timeout=TIMEOUT_MS):
            page.run_search()  # the list as the app opens it: every household in walking order
        wait_idle(qtbot, ctx.tasks)
        yield page
    finally:
        ctx.tasks.shutdown()
        ctx.close()


def measure(typist: Typist, con: sqlite3.Connection, query: Query, sql_first: bool) -> Timing:
    """One query on both sides; which side runs first alternates, so neither always gets the other's
    warm caches."""
    typist.set_text(query.text[:-1])
    if sql_first:
        sql_ms, sql_ids = time_sql(con, query.text)
        app_ms, painted_ms = typist.type_last(query.text)
    else:
        app_ms, painted_ms = typist.type_last(query.text)
        sql_ms, sql_ids = time_sql(con, query.text)
    shown = typist.shown_ids()
    assert sql_ids, f"{query} matches nothing"
    assert shown == sql_ids[:PAGE_SIZE], f"{query}: the page and the raw SQL disagree"
    assert typist.page.browser.model.has_more() == (len(sql_ids) > PAGE_SIZE)
    return Timing(query, app_ms, painted_ms, sql_ms, len(sql_ids))


def report_kinds(timings: list[Timing]) -> None:
    print(f"\nsearch as you type, {len(timings)} queries (ms):")
    print(f"  {'kind':<12}{'n':>4}{'app p50':>9}{'app p95':>9}{'sql p50':>9}{'sql p95':>9}{'rows p50':>9}")
    for kind in MIX:
        of_kind = [t for t in timings if t.query.kind == kind]
        app, sql = [t.app_ms for t in of_kind], [t.sql_ms for t in of_kind]
        rows = median([float(t.rows) for t in of_kind])
        print(
            f"  {kind:<12}{len(of_kind):>4}{median(app):>9.2f}{percentile(app, 95):>9.2f}"
            f"{median(sql):>9.2f}{percentile(sql, 95):>9.2f}{rows:>9.0f}"
        )
    print("  slowest in the app:")
    for t in sorted(timings, key=lambda t: t.app_ms, reverse=True)[:5]:
        print(f"    {t.query.text!r:<24} {t.query.kind:<12} app {t.app_ms:7.2f}  sql {t.sql_ms:7.2f}  rows {t.rows}")


def run_queries(qtbot: QtBot, folder: Path, queries: list[Query]) -> list[Timing]:
    """Every query on the app's page and on the floor's connection to the same file (keyed when its
    key is registered: the same encrypted database on both sides)."""
    con = cipher.connect(worker_db_path(BENCH_USER, folder), cache_kib=cipher.PAGE_CACHE_KIB)  # as the Reader
    try:
        with households_page(qtbot, folder) as page:
            typist = Typist(qtbot, page)
            for i, query in enumerate(queries[:WARMUP]):
                measure(typist, con, query, sql_first=i % 2 == 0)
            return [measure(typist, con, q, sql_first=i % 2 == 0) for i, q in enumerate(queries)]
    finally:
        con.close()


def search_figures(timings: list[Timing]) -> Figures:
    app = [t.app_ms for t in timings]
    sql = [t.sql_ms for t in timings]
    return {
        "search_p95_ms": round(percentile(app, 95), 3),
        "search_median_ms": round(median(app), 3),
        "search_painted_p95_ms": round(percentile([t.painted_ms for t in timings], 95), 3),
        "sql_p95_ms": round(percentile(sql, 95), 3),
        "sql_median_ms": round(median(sql), 3),
        "search_vs_sql_ratio": round(percentile(app, 95) / percentile(sql, 95), 3),
        "search_vs_sql_median_ratio": round(median(app) / median(sql), 3),
    }


def plain_name(key: str) -> str:
    """``search_p95_ms`` -> ``search_p95_plain_ms``: the same figure on the plain database."""
    head, unit = key.rsplit("_", 1)
    return f"{head}_plain_{unit}"


@pytest.mark.bench
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_search_as_you_type(
    qtbot: QtBot, bench_data_dir: Callable[[], Path], bench_db: Path, tmp_path: Path, bench_results: Figures
) -> None:
    """The same 200 queries on a plain copy and on an encrypted copy of the 50k database (the app's
    conversion, its key registered as after the PIN); the floors are asserted on the encrypted one."""
    folder = bench_data_dir()
    queries = pick_queries(worker_db_path(BENCH_USER, folder))
    assert len(queries) == sum(MIX.values()) == 200
    plain = run_queries(qtbot, folder, queries)
    with encrypted_data_dir(tmp_path / "encrypted", bench_db) as encrypted_folder:
        assert cipher.is_encrypted(worker_db_path(BENCH_USER, encrypted_folder))
        encrypted = run_queries(qtbot, encrypted_folder, queries)

    figures: Figures = {"search_queries": len(encrypted), **search_figures(encrypted)}
    figures.update({plain_name(k): v for k, v in search_figures(plain).items()})
    figures["search_encrypted_vs_plain_ratio"] = round(figures["search_p95_ms"] / figures["search_p95_plain_ms"], 3)
    bench_results.update(figures)
    print("\nplain database:")
    report_kinds(plain)
    print("\nencrypted database:")
    report_kinds(encrypted)
    report(
        f"search as you type, {len(encrypted)} queries, encrypted (plain beside):",
        figures,
        {"search_p95_ms": SEARCH_P95_MS, "search_vs_sql_ratio": SEARCH_VS_SQL},
    )
