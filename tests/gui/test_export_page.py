"""The export page over a generated reviewer's copy: an export run through the page to the end, a
cancel in the middle, an error shown, and the page in Chinese at the target screen (screenshots in
/tmp, looked at)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gridworker.exports import VISIT_HEADERS, ExportResult
from gridworker.store.reads import Reader
from gridworker.store.review_filter import ReviewFilter
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.review.export_page import CoverageTable, ExportPage, export_page
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager
from tests.helpers.gui import language_and_text_size
from tests.helpers.review_export_data import Area, fill, make_db

VISITS = 300
SHOTS = Path("/tmp/review-export-shots")


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> Area:
    return fill(make_db(tmp_path_factory.mktemp("export-page") / "area.db"), visits=VISITS, requests=30)


@pytest.fixture
def ctx(qtbot: QtBot, area: Area, tmp_path: Path) -> Iterator[AppContext]:
    tasks = TaskManager()
    identity = Identity(uuid.UUID(int=77), "zhan", "古城街道 李督导", "")
    context = AppContext(area.path, Reader(area.path), tasks, Settings(tmp_path / "s.ini"), identity, Events())
    yield context
    qtbot.waitUntil(tasks.is_idle, timeout=10000)
    tasks.shutdown()
    context.reader.close()


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> Iterator[ExportPage]:
    p = ExportPage(ctx)
    qtbot.addWidget(p)
    p.resize(1366 - 220, 768 - 80)  # the workspace's page area beside its navigation
    p.show()
    qtbot.waitUntil(lambda: p.community.count() > 1, timeout=10000)
    yield p
    assert p.shutdown(5.0)


def grid_count(area: Area, grid: uuid.UUID) -> int:
    con = sqlite3.connect(area.path)
    try:
        return int(con.execute("SELECT count(*) FROM review_visit WHERE grid_id = ?", (grid.hex,)).fetchone()[0])
    finally:
        con.close()


def test_the_queues_filter_exported_to_xlsx_through_the_page(
    qtbot: QtBot, page: ExportPage, area: Area, tmp_path: Path
) -> None:
    grid = area.grids[2]
    page.set_filter(ReviewFilter(community_id=area.grid_community[grid], grid_id=grid, flag="short_form"))
    page.set_filter(ReviewFilter(community_id=area.grid_community[grid], grid_id=grid))
    assert page.current_filter().grid_id == grid and page.flag_label.isHidden()
    page.path_edit.setText(str(tmp_path / "走访记录.xlsx"))
    with qtbot.waitSignal(page.finished, timeout=20000) as done:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert isinstance(result, ExportResult)
    expected = grid_count(area, grid)
    assert result.rows == expected and result.path == tmp_path / "走访记录.xlsx"
    wb = load_workbook(result.path, read_only=True)
    rows = list(wb["走访记录"].iter_rows(values_only=True))
    wb.close()
    assert rows[1] == VISIT_HEADERS and len(rows) == expected + 2
    assert "李督导" in str(rows[0][0])
    assert {r[3] for r in rows[2:]} == {page.grid.currentText()}
    assert page.result_label.isVisible() and str(result.path) in page.result_label.text()
    assert page.progress.value() == page.progress.maximum() == expected
    assert page.export_button.isEnabled() and not page.cancel_button.isEnabled()


def test_requests_as_csv_follow_the_format_and_kind(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    page.path_edit.setText(str(tmp_path / f"走访记录-{dt.date.today().isoformat()}.xlsx"))
    page.kind_buttons["requests"].setChecked(True)
    page.csv.setChecked(True)
    assert Path(page.path_edit.text()).name == f"诉求-{dt.date.today().isoformat()}.csv"
    assert not page.state.isEnabled()
    with qtbot.waitSignal(page.finished, timeout=20000) as done:
        page.export_button.click()
    result = done.args[0]
    with result.path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 30 + 2 == result.rows + 2 and rows[1][0] == "登记时间"


def test_cancel_in_the_middle_leaves_no_file(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    """A coverage source that holds its second page until the test has pressed Cancel."""
    go = threading.Event()

    def rows() -> Iterator[tuple[str, int]]:
        for i in range(3000):
            if i == 1000:
                go.wait(10)
            yield (f"第{i}网格", i)

    page.set_coverage_source(lambda _flt: CoverageTable("覆盖情况", ("网格", "户数"), rows(), 3000))
    page.kind_buttons["coverage"].setChecked(True)
    target = tmp_path / "覆盖.xlsx"
    page.path_edit.setText(str(target))
    page.export_button.click()
    qtbot.waitUntil(lambda: page.progress.value() == 1000, timeout=10000)
    with qtbot.waitSignal(page.cancelled, timeout=10000):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
        go.set()
    assert list(tmp_path.iterdir()) == []
    assert page.result_label.text() == "The export was cancelled; no file was written."
    assert page.export_button.isEnabled()


def test_a_missing_folder_is_shown_and_nothing_written(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    page.path_edit.setText(str(tmp_path / "没有这个文件夹" / "v.csv"))
    with qtbot.waitSignal(page.failed, timeout=20000) as failed:
        page.export_button.click()
    assert "does not exist" in failed.args[0] and page.error_label.isVisible()
    assert page.error_label.text() == failed.args[0]


def test_the_page_takes_the_queues_filter_each_time_it_is_shown(qtbot: QtBot, ctx: AppContext, area: Area) -> None:
    queue = [ReviewFilter(grid_id=area.grids[0], state="returned")]
    p = export_page(ctx, lambda: queue[0])
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.community.count() > 1, timeout=10000)
    assert p.current_filter() == queue[0]
    p.hide()
    queue[0] = ReviewFilter(community_id=area.communities[1], date_from=dt.date(2026, 11, 2), outcome="met")
    p.show()
    flt = p.current_filter()
    assert flt.community_id == area.communities[1] and flt.grid_id is None and flt.outcome == "met"
    assert flt.date_from == dt.date(2026, 11, 2) and p.dated.isChecked()
    assert flt.date_to is None  # the queue's open end stays open
    p.date_to.setDate(p.date_to.date().addDays(-1))
    assert p.current_filter().date_to == p.date_to.date().toPython()
    assert p.shutdown(5.0)


def test_coverage_is_offered_only_with_a_source(page: ExportPage) -> None:
    assert not page.kind_buttons["coverage"].isEnabled()
    page.set_coverage_source(lambda _flt: CoverageTable("覆盖情况", ("网格",), []))
    assert page.kind_buttons["coverage"].isEnabled()


@pytest.mark.parametrize("points", [13, 22])
def test_the_page_in_chinese(qtbot: QtBot, ctx: AppContext, area: Area, tmp_path: Path, points: int) -> None:
    with language_and_text_size("zh_CN", points):
        p = ExportPage(ctx)
        qtbot.addWidget(p)
        p.resize(1366 - 220, 768 - 80)
        p.show()
        qtbot.waitUntil(lambda: p.community.count() > 1, timeout=10000)
        p.set_filter(ReviewFilter(community_id=area.communities[0], date_from=dt.date(2026, 11, 1), flag="short_form"))
        p.path_edit.setText(str(tmp_path / "走访记录-2026-12-04.xlsx"))
        with qtbot.waitSignal(p.finished, timeout=20000):
            p.export_button.click()
        assert p.export_button.text().startswith("导出")
        assert "已保存" in p.result_label.text()
        assert p.open_button.isVisible()
        assert p.scroll_area.horizontalScrollBar().maximum() == 0  # nothing cut off at the side
        if points == 13:
            assert p.scroll_area.verticalScrollBar().maximum() == 0  # the default size fits without scrolling
        SHOTS.mkdir(exist_ok=True)
        p.grab().save(str(SHOTS / f"export-page-zh-{points}pt.png"))
        assert p.shutdown(5.0)


def test_an_export_is_on_the_access_trail_with_personal_data_only_when_chosen(
    qtbot: QtBot, ctx: AppContext, area: Area, tmp_path: Path
) -> None:
    """A supervisor may include phones in full; the choice is hidden from a station; every export of
    visits or requests is recorded (access.log: its filter in words, its row count, no personal data)."""
    con = sqlite3.connect(area.path)
    with con:
        con.execute("UPDATE household SET phone = '139' || printf('%08d', rowid)")
    (before,) = con.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()
    con.close()
    ctx.identity = Identity(uuid.UUID(int=78), "station01", "古城社区工作站", "", role="station")
    station = ExportPage(ctx)
    qtbot.addWidget(station)
    assert station.personal.isHidden()
    station.shutdown(1.0)
    ctx.identity = Identity(uuid.UUID(int=77), "zhan", "古城街道 李督导", "", role="supervisor")
    page = ExportPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.community.count() > 1, timeout=10000)
    assert page.personal.isVisible()
    page.kind_buttons["requests"].setChecked(True)
    page.csv.setChecked(True)
    for personal, name in ((False, "masked.csv"), (True, "full.csv")):
        page.personal.setChecked(personal)
        page.path_edit.setText(str(tmp_path / name))
        with qtbot.waitSignal(page.finished, timeout=20000) as done:
            page.export_button.click()
        qtbot.waitUntil(ctx.tasks.is_idle, timeout=10000)
        result = done.args[0]
        with result.path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        phones = [r[5] for r in rows[2:]]
        assert all(("****" in p) is not personal for p in phones), phones[:3]
        assert ("含个人信息" in rows[0][0]) is personal
    con = sqlite3.connect(area.path)
    try:
        events = [
            json.loads(p)
            for (p,) in con.execute(
                "SELECT payload FROM outbox WHERE kind = 'access.log' AND seq > ? ORDER BY seq", (before,)
            )
        ]
        phones_kept = {p for (p,) in con.execute("SELECT phone FROM household")}
    finally:
        con.close()
    assert [(e["action"], e["rows"]) for e in events] == [("export", 30), ("export", 30)]
    assert events[0]["what"].startswith("诉求（csv）筛选：") and "含个人信息" in events[1]["what"]
    assert not any(p in e["what"] for e in events for p in phones_kept)
    assert page.shutdown(5.0)
