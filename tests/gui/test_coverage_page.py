"""The coverage dashboard (gridworker.ui.review.coverage_page) on a generated street: its tables hold
the figures the reads give, red below the street's goal and sortable by value; the area and month
pickers read again; the report button writes the PDF; an empty copy says to sync; a screenshot in
Chinese at 1366x768 (written to $TMPDIR, looked at by a person)."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from gridworker.store import coverage_reads as cr
from gridworker.store.coverage_rows import MonthFigures
from gridworker.store.db import Database
from gridworker.store.reads import Reader
from gridworker.ui.review.coverage_page import RED_TEXT, CoveragePage
from gridworker.ui.tasks import TaskManager
from tests.helpers.gui import language_and_text_size
from tests.helpers.review_dashboard_street import CHINA, Street, generate_street

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 4, 0)


@pytest.fixture
def street(db: Database) -> Street:
    # a goal of 52 %: some grids above it, some below
    return generate_street(
        db.path,
        communities=2,
        grids_per_community=4,
        households_per_grid=60,
        visits=5000,
        days=400,
        seed=11,
        settings={"coverage_goal": 0.52, "silent_days": 3},
    )


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    qtbot.waitUntil(manager.is_idle, timeout=10000)
    manager.shutdown()


def open_page(qtbot: QtBot, db: Database, tasks: TaskManager) -> CoveragePage:
    """The page with its first figures on screen (they arrive through the event loop, after this
    constructor has returned)."""
    page = CoveragePage(Reader(db.path), tasks, "王主任", today=lambda: TODAY, now=lambda: NOW, utc_offset=CHINA)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        pass
    return page


def cells(view: QTableView, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> list[Any]:
    model = view.model()
    return [model.data(model.index(r, column), role) for r in range(model.rowCount(QModelIndex()))]


def expected(db: Database, area: str, month: dt.date) -> MonthFigures:
    con = sqlite3.connect(db.path)
    try:
        return cr.month_figures(con, uuid.UUID(hex=area), month, today=TODAY, now=NOW, utc_offset=CHINA)
    finally:
        con.close()


def test_the_tables_show_the_months_figures_red_below_the_goal(
    qtbot: QtBot, db: Database, street: Street, tasks: TaskManager
) -> None:
    page = open_page(qtbot, db, tasks)
    f = expected(db, street.street, TODAY)
    assert page.area() == uuid.UUID(hex=street.street) and page.month() == dt.date(2026, 11, 1)
    grids = page.grid_view
    # the grids, then each community's totals, then the street's
    assert cells(grids, 1)[: len(f.grids)] == [g.name for g in f.grids]
    assert grids.model().rowCount() == len(f.grids) + len(f.communities) + 1
    shares = cells(grids, 2, Qt.ItemDataRole.UserRole)[: len(f.grids)]
    assert shares == [g.tally.coverage for g in f.grids]
    red = [brush is not None and brush.color() == RED_TEXT for brush in cells(grids, 2, Qt.ItemDataRole.ForegroundRole)]
    below = [g.tally.coverage is not None and g.tally.coverage < 0.52 for g in f.grids]
    assert red[: len(f.grids)] == below and any(below) and not all(below)
    assert cells(grids, 6)[-1] == str(f.total.visits)
    workers = page.worker_view
    assert sorted(cells(workers, 2, Qt.ItemDataRole.UserRole)) == sorted(w.tally.visits for w in f.workers)
    # sorted by 户户到, lowest first (a click on the header)
    grids.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    ordered = [s for s in cells(grids, 2, Qt.ItemDataRole.UserRole) if isinstance(s, float)]
    assert ordered == sorted(ordered)
    assert page.bars.values == shares and page.bars.goal == 0.52
    assert sum(page.daily.counts) == f.total.visits and len(page.daily.days) == 27
    assert len(page.trend_chart.months) == 12
    # each grid's twelve months in the last tab, the area's in its last row, red below the goal
    con = sqlite3.connect(db.path)
    try:
        trend = cr.trend(con, uuid.UUID(hex=street.street), TODAY, utc_offset=CHINA)
    finally:
        con.close()
    months = page.trend_view
    assert cells(months, 0) == [*trend.names.values(), "Total"]
    assert cells(months, 12, Qt.ItemDataRole.UserRole) == [p[-1].coverage for p in trend.grids.values()] + [
        trend.area[-1].coverage
    ]
    late = [b is not None and b.color() == RED_TEXT for b in cells(months, 12, Qt.ItemDataRole.ForegroundRole)]
    assert late == [p[-1].coverage is not None and p[-1].coverage < 0.52 for p in [*trend.grids.values(), trend.area]]


def test_choosing_a_community_and_a_month_reads_them(
    qtbot: QtBot, db: Database, street: Street, tasks: TaskManager
) -> None:
    page = open_page(qtbot, db, tasks)
    community = uuid.UUID(hex=street.communities[0])
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.area_box.setCurrentIndex(page.area_box.findData(community.hex))
    f = expected(db, street.communities[0], dt.date(2026, 11, 1))
    assert cells(page.grid_view, 1) == [g.name for g in f.grids] + [""]
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.month_box.setCurrentIndex(page.month_box.findData("2026-08-01"))
    f = expected(db, street.communities[0], dt.date(2026, 8, 1))
    assert page.area() == community
    assert cells(page.grid_view, 6)[-1] == str(f.total.visits) and len(page.daily.days) == 31


def test_the_silent_workers_tab_lists_those_without_an_upload_for_longer_than_the_setting(
    qtbot: QtBot, db: Database, street: Street, tasks: TaskManager
) -> None:
    con = sqlite3.connect(db.path)
    worker = next(iter(street.workers))
    con.execute("DELETE FROM review_visit WHERE worker_id = ? AND received_at > '2026-11-20'", (worker,))
    con.commit()
    con.close()
    page = open_page(qtbot, db, tasks)
    f = expected(db, street.street, TODAY)
    assert [w.id.hex for w in f.silent] == [worker]
    name = next(w.name for w in f.workers if w.id.hex == worker)
    assert cells(page.silent_view, 0) == [name]
    assert page.tabs.tabText(2).endswith("(1)")


def test_the_report_button_writes_the_months_pdf(
    qtbot: QtBot, db: Database, street: Street, tasks: TaskManager, tmp_path: Path
) -> None:
    page = open_page(qtbot, db, tasks)
    assert page.print_button.isEnabled()
    path = tmp_path / "report.pdf"
    pages = page.write_report(path)
    assert pages >= 2
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert "长青街道·2026年11月·网格走访考核月报" in flat and f"第1页/共{pages}页" in flat
    assert f"第{pages}页/共{pages}页" in flat and "制表：王主任" in flat


def test_an_empty_copy_says_to_sync_first(qtbot: QtBot, db: Database, tasks: TaskManager) -> None:
    page = open_page(qtbot, db, tasks)
    assert "sync" in page.status.text() and not page.print_button.isEnabled()
    assert page.grid_view.model().rowCount() == 0 and page.area_box.count() == 0


@pytest.mark.parametrize("points", [13, 22])
def test_screenshot_in_chinese_at_1366x768(
    qtbot: QtBot, db: Database, street: Street, tasks: TaskManager, points: int
) -> None:
    with language_and_text_size("zh_CN", points):
        page = open_page(qtbot, db, tasks)
        page.resize(1366 - 180, 768 - 80)  # the workspace's navigation and status bar around it
        page.show()
        qtbot.waitExposed(page)
        assert page.print_button.text().startswith("考核月报")
        assert re.search(r"户户到 \d+/\d+ 户", page.summary.text())
        out = Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / f"coverage_page_zh_{points}.png"
        assert page.grab().save(str(out))
        page.tabs.setCurrentIndex(1)
        assert page.grab().save(str(out.with_name(f"coverage_page_zh_{points}_workers.png")))
