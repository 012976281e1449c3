"""The requests board and the rates page on a supervisor's copy of a street's year of requests
(tests/helpers/requests_board_data.py): the filters drive the board (overdue rows red, bounced-twice
ones marked), the table's keys open the steps (D 派单, E 延期, H 回访, J 即办, M 合并), each step one
outbox entry and the row shown waiting, a refused one stays in its dialog and writes nothing; the
rates page shows the three rates and their gap and exports them; the workspace's navigation holds
both pages; the screens in Chinese at 1366x768 (13 and 22 pt) saved to $GRIDWORKER_SHOTS or a tmp dir."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from gridworker.store.db import Database
from gridworker.store.reads import Reader
from gridworker.store.services import LocalStore
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.main_window import make_window
from gridworker.ui.review.request_board_model import OVERDUE_COLOUR, BoardModel
from gridworker.ui.review.request_dialogs import StepDialog
from gridworker.ui.review.request_rates_page import RatesPage
from gridworker.ui.review.requests_board import RequestsBoardPage
from gridworker.ui.review.window import ReviewWindow
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager
from tests.helpers.gui import language_and_text_size, wait_idle
from tests.helpers.requests_board_data import Dataset, generate

SUPERVISOR = uuid.UUID("5e000000-0000-4000-8000-0000000000b1")
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def year_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dataset]:
    path = tmp_path_factory.mktemp("board") / "pristine.db"
    return path, generate(path, 900, seed=5)


@pytest.fixture
def board_ctx(qtbot: QtBot, year_db: tuple[Path, Dataset], tmp_path: Path) -> Iterator[AppContext]:
    path = tmp_path / "supervisor.db"
    source = sqlite3.connect(year_db[0])
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    db = Database(path)
    identity = Identity(SUPERVISOR, "supervisor", "街道主管", "幸福街道", role="supervisor")
    ctx = AppContext(path, Reader(path), TaskManager(), Settings(tmp_path / "s.ini"), identity, Events(), lambda: TODAY)
    ctx._store = LocalStore(db, SUPERVISOR)
    yield ctx
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=10000)
    ctx.tasks.shutdown()
    ctx.reader.close()
    db.close()


def open_board(qtbot: QtBot, ctx: AppContext, now: dt.datetime) -> RequestsBoardPage:
    page = RequestsBoardPage(ctx, now=lambda: now)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.show()
        page.start()
    wait_idle(qtbot, ctx)
    return page


def set_filter(qtbot: QtBot, page: RequestsBoardPage, change: object) -> None:
    with qtbot.waitSignal(page.searched, timeout=10000):
        change()  # type: ignore[operator]
    wait_idle(qtbot, page.ctx)


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not offered"
    combo.setCurrentIndex(index)


def outbox(ctx: AppContext) -> list[dict[str, object]]:
    con = sqlite3.connect(ctx.path)
    try:
        return [json.loads(p) for (p,) in con.execute("SELECT payload FROM outbox WHERE kind = 'request.step'")]
    finally:
        con.close()


def rows(page: RequestsBoardPage) -> list:  # type: ignore[type-arg]
    return [page.model.record(i) for i in range(page.model.rowCount())]


def press(qtbot: QtBot, page: RequestsBoardPage, key: Qt.Key) -> StepDialog:
    page.view.setFocus()
    with qtbot.waitSignal(page.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(page.view, key)
    dialog = opened.args[0]
    assert isinstance(dialog, StepDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_filters_overdue_red_and_bounced_marked(qtbot: QtBot, board_ctx: AppContext, year_db: tuple) -> None:
    _, data = year_db
    page = open_board(qtbot, board_ctx, data.end)
    assert page.model.rowCount() == 100 and page.count_label.text().startswith("900 request")
    set_filter(qtbot, page, lambda: page.overdue.setChecked(True))
    overdue = rows(page)
    assert overdue and all(r.overdue for r in overdue)
    brush = page.model.data(page.model.index(0, BoardModel.COL_TIME), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color() == OVERDUE_COLOUR
    assert "overdue" in page.model.data(page.model.index(0, BoardModel.COL_DEADLINE))
    set_filter(qtbot, page, lambda: (page.overdue.setChecked(False), page.bounced.setChecked(True)))
    bounced = rows(page)
    assert bounced and all(r.bounces >= 2 for r in bounced)
    assert page.model.data(page.model.index(0, BoardModel.COL_BOUNCES)).startswith("⚑")
    grid = data.grids[2]
    set_filter(qtbot, page, page.clear_filters)
    set_filter(qtbot, page, lambda: choose(page.grid, grid))
    assert rows(page) and {r.grid_id.hex for r in rows(page)} == {grid}
    set_filter(qtbot, page, lambda: choose(page.order, "deadline"))
    dated = [r.deadline_at for r in rows(page) if r.deadline_at]
    assert dated == sorted(dated)
    set_filter(qtbot, page, lambda: page.supervision.setChecked(True))
    assert rows(page) and all(r.overdue or r.flagged for r in rows(page))
    assert not page.status.isEnabled()
    with qtbot.waitSignal(page.detail_shown, timeout=5000):
        page.view.setCurrentIndex(page.model.index(1, 0))
    assert "History" in page.detail.toPlainText()


def test_dispatch_from_the_keyboard(qtbot: QtBot, board_ctx: AppContext, year_db: tuple) -> None:
    _, data = year_db
    page = open_board(qtbot, board_ctx, data.end)
    set_filter(qtbot, page, lambda: choose(page.status, "accepted"))
    target = page.current()
    assert target is not None and target.status == "accepted"
    dialog = press(qtbot, page, Qt.Key.Key_D)
    assert dialog.step == "dispatch" and "days" in dialog.deadline_label.text()
    dialog.send()  # no department chosen: refused in the dialog, nothing written
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert "department" in dialog.error.text() and outbox(board_ctx) == []
    dialog.department.setCurrentIndex(1)
    with qtbot.waitSignal(page.stepped, timeout=5000):
        dialog.send()
    (step,) = outbox(board_ctx)
    assert step["step"] == "dispatch" and step["request_id"] == str(target.id)
    assert uuid.UUID(str(step["department_id"])).hex == data.departments[0]
    shown = page.current()
    assert shown is not None and shown.pending_step == "dispatch"
    assert "waiting" in page.model.data(page.model.index(page.view.currentIndex().row(), BoardModel.COL_STATUS))
    assert not any(b.isEnabled() for b in page.buttons.values())  # one step at a time until it is sent


def test_extend_needs_a_reason_and_callback_takes_both_answers(
    qtbot: QtBot, board_ctx: AppContext, year_db: tuple
) -> None:
    _, data = year_db
    page = open_board(qtbot, board_ctx, data.end)
    set_filter(qtbot, page, lambda: page.overdue.setChecked(True))
    dialog = press(qtbot, page, Qt.Key.Key_E)
    dialog.days.setValue(5)
    dialog.send()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert outbox(board_ctx) == []
    dialog.note.setPlainText("部门申请，等待材料")
    with qtbot.waitSignal(page.stepped, timeout=5000):
        dialog.send()
    assert [(s["step"], s["days"], s["note"]) for s in outbox(board_ctx)] == [("extend", 5, "部门申请，等待材料")]
    set_filter(qtbot, page, lambda: (page.overdue.setChecked(False), choose(page.status, "closed")))
    dialog = press(qtbot, page, Qt.Key.Key_H)
    dialog.findChild(type(dialog.ok_button).__mro__[1], "request_resolved_no")  # both answers are radio buttons
    dialog.send()  # no answers yet
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert len(outbox(board_ctx)) == 1
    dialog.resolved_group.button(0).setChecked(True)
    dialog.satisfaction_group.button(2).setChecked(True)
    with qtbot.waitSignal(page.stepped, timeout=5000):
        dialog.send()
    last = outbox(board_ctx)[-1]
    assert (last["step"], last["resolved"], last["satisfaction"]) == ("callback", False, "dissatisfied")


def test_a_step_the_role_may_not_take_says_why(qtbot: QtBot, board_ctx: AppContext, year_db: tuple) -> None:
    _, data = year_db
    page = open_board(qtbot, board_ctx, data.end)
    set_filter(qtbot, page, lambda: choose(page.status, "archived"))
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_D)
    assert page.error.isVisible() and "cannot take that step" in page.error.text()
    assert outbox(board_ctx) == []


def test_rates_page_and_its_export(qtbot: QtBot, board_ctx: AppContext, tmp_path: Path) -> None:
    page = RatesPage(board_ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.shown, timeout=20000):
        page.show()
        page.start()
    choose(page.month, "2026-11")
    qtbot.waitUntil(lambda: page.report is not None and page.report.months[-1] == (2026, 11), timeout=20000)
    with qtbot.waitSignal(page.shown, timeout=20000):
        choose(page.dimension, "community")
    assert page.model.rowCount() == 5  # 4 communities and the whole area
    assert page.model.item(4, 0).text() == "Whole area"
    assert "Closed" in page.summary.text() and "gap" in page.summary.text()
    page.period.setCurrentIndex(1)
    year_total = page.report.total.total  # type: ignore[union-attr]
    assert page.model.item(4, 1).text() == str(year_total.registered)
    target = tmp_path / "rates.csv"
    with qtbot.waitSignal(page.exported, timeout=20000) as done:
        page.export_to(target)
    assert done.args[0].rows == 5 * 13
    text = target.read_text(encoding="utf-8-sig")
    assert "办结率" in text and "合计" in text


def _shots() -> Path:
    folder = Path(os.environ.get("GRIDWORKER_SHOTS", "/tmp/gridworker-shots")) / "requests"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("points", [13, 22])
def test_the_pages_in_the_workspace_in_chinese(
    qtbot: QtBot, board_ctx: AppContext, year_db: tuple, points: int
) -> None:
    shots = _shots()
    with language_and_text_size("zh_CN", points):
        window = make_window(board_ctx)
        assert isinstance(window, ReviewWindow)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        with qtbot.waitSignal(window.workspace_shown, timeout=10000):
            window.show()
            window.start()
        wait_idle(qtbot, board_ctx)
        board = window.extra["requests"]
        rates_page = window.extra["rates"]
        assert isinstance(board, RequestsBoardPage) and isinstance(rates_page, RatesPage)
        assert window.nav.item(window.PAGE_REQUESTS).text() == "诉求看板"
        assert window.nav.item(window.PAGE_RATES).text() == "诉求三率"
        window.go(window.PAGE_REQUESTS)
        qtbot.waitUntil(lambda: board.model.rowCount() > 0, timeout=10000)
        assert board.model.headerData(0, Qt.Orientation.Horizontal) == "登记时间"
        wait_idle(qtbot, board_ctx)
        window.grab().save(str(shots / f"board-{points}.png"))
        set_filter(qtbot, board, lambda: board.supervision.setChecked(True))
        window.grab().save(str(shots / f"supervision-{points}.png"))
        dialog = press(qtbot, board, Qt.Key.Key_E)
        dialog.grab().save(str(shots / f"extend-{points}.png"))
        dialog.reject()
        set_filter(qtbot, board, lambda: (board.supervision.setChecked(False), choose(board.status, "accepted")))
        dialog = press(qtbot, board, Qt.Key.Key_D)
        dialog.department.setCurrentIndex(2)
        dialog.grab().save(str(shots / f"dispatch-{points}.png"))
        dialog.reject()
        set_filter(qtbot, board, lambda: choose(board.status, "closed"))
        dialog = press(qtbot, board, Qt.Key.Key_H)
        dialog.grab().save(str(shots / f"callback-{points}.png"))
        dialog.reject()
        window.go(window.PAGE_RATES)
        qtbot.waitUntil(lambda: rates_page.report is not None, timeout=20000)
        choose(rates_page.month, "2026-11")
        qtbot.waitUntil(lambda: rates_page.report.months[-1] == (2026, 11), timeout=20000)  # type: ignore[union-attr]
        wait_idle(qtbot, board_ctx)
        assert "办结率" in rates_page.model.horizontalHeaderItem(3).text()
        window.grab().save(str(shots / f"rates-{points}.png"))
        window.close()


def test_merge_into_an_earlier_request_of_the_household(qtbot: QtBot, board_ctx: AppContext, year_db: tuple) -> None:
    from gridworker.store import board_reads as rq

    _, data = year_db
    page = open_board(qtbot, board_ctx, data.end)
    set_filter(qtbot, page, lambda: choose(page.status, "accepted"))
    con = board_ctx.reader.connection()
    row = next(i for i, r in enumerate(rows(page)) if rq.merge_targets(con, r.id, data.end))
    page.view.setCurrentIndex(page.model.index(row, 0))
    request = page.current()
    assert request is not None
    dialog = press(qtbot, page, Qt.Key.Key_M)
    target = dialog.target.currentData()
    assert target and dialog.target.isEnabled()
    with qtbot.waitSignal(page.stepped, timeout=5000):
        dialog.send()
    (step,) = outbox(board_ctx)
    assert step["step"] == "merge" and uuid.UUID(str(step["merge_into"])).hex == target
    assert step["request_id"] == str(request.id)


def test_rates_as_a_table_for_the_export_page(board_ctx: AppContext) -> None:
    from gridworker.store.review_filter import ReviewFilter
    from gridworker.ui.review.request_rates_page import rates_table_source

    table = rates_table_source(board_ctx)(ReviewFilter(date_to=dt.date(2026, 11, 20)))
    rows = list(table.rows)
    assert table.headers[5] == "办结率" and table.total == len(rows) == 21 * 13
    assert rows[-1][:2] == ["合计", "2025-12至2026-11"]


def test_the_residents_phone_is_masked_until_shown_and_the_look_recorded(
    qtbot: QtBot, board_ctx: AppContext, year_db: tuple[Path, Dataset]
) -> None:
    _, data = year_db
    page = open_board(qtbot, board_ctx, data.end)
    qtbot.waitUntil(lambda: page._detail is not None, timeout=10000)
    detail = page._detail
    assert detail is not None
    if not detail.row.phone:
        con = sqlite3.connect(board_ctx.path)
        with con:
            con.execute("UPDATE household SET phone = '13912345678' WHERE id = ?", (detail.row.household_id.hex,))
        con.close()
        with qtbot.waitSignal(page.detail_shown, timeout=10000):
            page._on_current(page.view.currentIndex())
        detail = page._detail
        assert detail is not None
    phone = detail.row.phone
    text = page.detail.toPlainText()
    assert phone and phone not in text and phone[:3] + "****" + phone[-4:] in text
    assert page.reveal_button.isEnabled()
    with qtbot.waitSignal(page.revealer.changed, timeout=10000):
        page.reveal_button.click()
    assert phone in page.detail.toPlainText() and not page.reveal_button.isEnabled()
    con = sqlite3.connect(board_ctx.path)
    try:
        rows = [json.loads(p) for (p,) in con.execute("SELECT payload FROM outbox WHERE kind = 'access.log'")]
    finally:
        con.close()
    assert [(r["action"], r["household_id"], r["field"]) for r in rows] == [
        ("reveal", str(detail.row.household_id), "phone")
    ]
