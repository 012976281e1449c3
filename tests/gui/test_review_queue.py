"""The reviewer's workspace on a supervisor's copy of the street: signing in as a station or supervisor
opens it, the filters drive the queue, and the keyboard reviews (A approve, R return, Q question, O
reopen, Ctrl+A / Ctrl+Shift+A bulk approve): each review one outbox entry and the row shown waiting;
a dialog's refusal is shown in the dialog and writes nothing."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gridworker.store.db import Database
from gridworker.store.reads import Reader
from gridworker.store.services import LocalStore
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.main_window import MainWindow, make_window
from gridworker.ui.review.dialogs import ReviewDialog
from gridworker.ui.review.queue_model import QueueModel
from gridworker.ui.review.queue_page import ReviewQueuePage
from gridworker.ui.review.window import ReviewWindow
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager
from gridworker_server.demo_city import DemoCity
from tests.helpers.data import TODAY, counts
from tests.helpers.gui import wait_idle
from tests.helpers.review_ui_data import SUPERVISOR_ID, ReviewData, make_review_db


@pytest.fixture
def review_db(tmp_path: Path, city: DemoCity) -> Iterator[tuple[Database, ReviewData]]:
    db, data = make_review_db(tmp_path / "supervisor.db", city, TODAY)
    yield db, data
    db.close()


def make_ctx(db: Database, tmp_path: Path, role: str = "supervisor") -> AppContext:
    identity = Identity(SUPERVISOR_ID, "supervisor", "街道主管", "古城街道", role=role)
    ctx = AppContext(
        db.path,
        Reader(db.path),
        TaskManager(),
        Settings(tmp_path / "settings.ini"),
        identity,
        Events(),
        today=lambda: TODAY,
    )
    ctx._store = LocalStore(db, SUPERVISOR_ID)
    return ctx


@pytest.fixture
def rctx(qtbot: QtBot, review_db: tuple[Database, ReviewData], tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_ctx(review_db[0], tmp_path)
    yield ctx
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=10000)
    ctx.tasks.shutdown()
    ctx.reader.close()


@pytest.fixture
def rwin(qtbot: QtBot, rctx: AppContext) -> ReviewWindow:
    window = make_window(rctx)
    assert isinstance(window, ReviewWindow)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.workspace_shown, timeout=10000):
        window.show()
        window.start()
    wait_idle(qtbot, rctx)
    return window


def outbox(db: Database) -> list[tuple[str, dict[str, object]]]:
    con = sqlite3.connect(db.path)
    try:
        return [(k, json.loads(p)) for k, p in con.execute("SELECT kind, payload FROM outbox ORDER BY seq")]
    finally:
        con.close()


def pending(db: Database, no: int) -> str:
    con = sqlite3.connect(db.path)
    try:
        return str(con.execute("SELECT pending_action FROM review_visit WHERE no = ?", (no,)).fetchone()[0])
    finally:
        con.close()


def shown_nos(page: ReviewQueuePage) -> list[int]:
    return [page.model.record(i).no for i in range(page.model.rowCount())]


def choose(qtbot: QtBot, page: ReviewQueuePage, combo_name: str, data: object) -> None:
    combo = getattr(page, combo_name)
    data = data.hex if isinstance(data, uuid.UUID) else data
    index = combo.findData(data)
    assert index > 0, f"{data!r} not among {combo_name}'s choices"
    with qtbot.waitSignal(page.searched, timeout=10000):
        combo.setCurrentIndex(index)
    wait_idle(qtbot, page.ctx)


def go_to(qtbot: QtBot, page: ReviewQueuePage, no: int) -> None:
    row = page.model.row_of(no)
    assert row >= 0
    page.view.setFocus()
    shown = page.detail.detail
    if page.view.currentIndex().row() == row and shown is not None and shown.row.no == no:
        return
    with qtbot.waitSignal(page.detail_shown, timeout=10000):
        page.view.setCurrentIndex(page.model.index(row, 0))
    page.view.setFocus()


def test_a_station_or_supervisor_gets_the_review_workspace_and_a_worker_today(
    qtbot: QtBot, review_db: tuple[Database, ReviewData], tmp_path: Path
) -> None:
    for role, kind in (("supervisor", ReviewWindow), ("station", ReviewWindow), ("worker", MainWindow)):
        ctx = make_ctx(review_db[0], tmp_path, role)
        window = make_window(ctx)
        qtbot.addWidget(window)
        assert isinstance(window, kind), role
        window.close()
        ctx.tasks.shutdown()
        ctx.reader.close()


def test_the_queue_shows_the_newest_visit_first_with_its_detail(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    _, data = review_db
    page = rwin.queue
    assert shown_nos(page)[:20] == data.nos[:20]
    assert page.count_label.text().split()[0] == str(len(data.nos))
    first = page.model.record(0)
    assert page.detail.detail is not None and page.detail.detail.row.no == first.no
    flagged = next(n for n in shown_nos(page) if data.flags[n])
    row = page.model.row_of(flagged)
    tip = page.model.index(row, QueueModel.COL_FLAGS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip and tip.endswith(".")  # the flag's full sentence


@pytest.mark.parametrize("what", ["state", "flag", "grid", "worker", "outcome"])
def test_each_filter_drives_the_queue(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData], what: str
) -> None:
    _, data = review_db
    page = rwin.queue
    if what == "state":
        value: object = "questioned"
        expected = [n for n in data.nos if data.states[n] == value]
    elif what == "flag":
        value = "short_form"
        expected = [n for n in data.nos if value in data.flags[n]]
    elif what == "grid":
        value = data.grid_of[data.nos[-1]]
        expected = [n for n in data.nos if data.grid_of[n] == value]
    elif what == "worker":
        value = data.worker_of[data.nos[0]]
        expected = [n for n in data.nos if data.worker_of[n] == value]
    else:
        value = "not_home"
        expected = [n for n in data.nos if data.outcome_of[n] == value]
    assert 0 < len(expected) < len(data.nos)
    choose(qtbot, page, what, value)
    assert shown_nos(page) == expected[: len(shown_nos(page))] and len(shown_nos(page)) == min(100, len(expected))
    assert page.count_label.text().split()[0] == str(len(expected))
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.clear_filters()
    assert shown_nos(page)[:5] == data.nos[:5]


def test_a_date_range_filters_by_the_local_day(qtbot: QtBot, rwin: ReviewWindow) -> None:
    page = rwin.queue
    newest = page.model.record(0).visited_at
    from gridworker.ui import labels as common

    day = common.local_datetime(newest)[:10]
    y, m, d = (int(p) for p in day.split("-"))
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.date_from.setDate(QDate(y, m, d))
    with qtbot.waitSignal(page.searched, timeout=10000):
        page.date_to.setDate(QDate(y, m, d))
    wait_idle(qtbot, page.ctx)
    assert page.model.rowCount() > 0
    assert {common.local_datetime(page.model.record(i).visited_at)[:10] for i in range(page.model.rowCount())} == {day}


def test_a_approves_the_current_visit_and_the_row_waits_to_sync(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    db, data = review_db
    page = rwin.queue
    no = next(n for n in data.nos if data.states[n] == "pending")
    go_to(qtbot, page, no)
    with qtbot.waitSignal(page.reviewed, timeout=10000):
        qtbot.keyClick(page.view, Qt.Key.Key_A)
    assert outbox(db) == [
        ("visit.review", {**outbox(db)[0][1], "visit_no": no, "action": "approve", "reason": "", "pins": []})
    ]
    assert pending(db, no) == "approve"
    state = page.model.index(page.model.row_of(no), QueueModel.COL_STATE).data()
    assert state.startswith("Waiting to sync")
    assert not page.approve_button.isEnabled()
    # a second A on the waiting row writes nothing more (the button and the key both refuse)
    qtbot.keyClick(page.view, Qt.Key.Key_A)
    wait_idle(qtbot, page.ctx)
    assert len(outbox(db)) == 1
    assert page.error.isVisible()
    assert rwin.unsent_label.text() == "Unsent: 1"


def test_r_returns_with_a_reason_and_pins_and_a_refusal_stays_in_the_dialog(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    db, data = review_db
    page = rwin.queue
    no = next(n for n in data.nos if data.states[n] == "pending")
    go_to(qtbot, page, no)
    with qtbot.waitSignal(page.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_R)
    dialog = opened.args[0]
    assert isinstance(dialog, ReviewDialog) and dialog.action == "return"
    before = counts(db)
    dialog.reason.setCurrentIndex(dialog.reason.findData("other"))  # "other" needs a comment
    dialog.send()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert "reason" in dialog.error.text()
    assert counts(db) == before and dialog.isVisible()
    dialog.reason.setCurrentIndex(dialog.reason.findData("wrong_people"))
    dialog.comment.setPlainText("见到的人与户籍不符")
    dialog.pins["seen"].setChecked(True)
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page.ctx)
    [(kind, payload)] = outbox(db)
    assert kind == "visit.review"
    assert (payload["action"], payload["reason"], payload["comment"], payload["pins"]) == (
        "return",
        "wrong_people",
        "见到的人与户籍不符",
        ["seen"],
    )
    assert pending(db, no) == "return"


def test_q_questions_with_a_comment(qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]) -> None:
    db, data = review_db
    page = rwin.queue
    no = next(n for n in data.nos if data.states[n] == "pending")
    go_to(qtbot, page, no)
    with qtbot.waitSignal(page.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_Q)
    dialog = opened.args[0]
    dialog.comment.setPlainText("走访时间是晚上十点，请说明")
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.send()
    wait_idle(qtbot, page.ctx)
    [(_, payload)] = outbox(db)
    assert (payload["action"], payload["comment"]) == ("question", "走访时间是晚上十点，请说明")
    assert pending(db, no) == "question"


def test_o_reopens_an_approved_visit_only_with_a_reason(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    db, _ = review_db
    page = rwin.queue
    choose(qtbot, page, "state", "approved")
    no = page.model.record(0).no
    go_to(qtbot, page, no)
    assert page.reopen_button.isEnabled() and not page.approve_button.isEnabled()
    with qtbot.waitSignal(page.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_O)
    dialog = opened.args[0]
    before = counts(db)
    dialog.send()  # no reason
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert counts(db) == before
    dialog.comment.setPlainText("复核发现未见到户主")
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.send()
    wait_idle(qtbot, page.ctx)
    [(_, payload)] = outbox(db)
    assert (payload["action"], payload["visit_no"]) == ("reopen", no)


def test_ctrl_a_then_ctrl_shift_a_approves_the_selection_after_naming_how_many(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    db, data = review_db
    page = rwin.queue
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    loaded = shown_nos(page)
    assert len(page.selected()) == len(loaded)
    approvable = [n for n in loaded if data.states[n] in ("pending", "questioned")]
    with qtbot.waitSignal(page.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    box = opened.args[0]
    assert isinstance(box, QMessageBox)
    assert box.text().split()[1] == str(len(approvable))
    with qtbot.waitSignal(page.reviewed, timeout=10000):
        box.button(QMessageBox.StandardButton.Yes).click()
    rows = outbox(db)
    assert sorted(p["visit_no"] for _, p in rows) == sorted(approvable)  # type: ignore[type-var]
    assert {p["action"] for _, p in rows} == {"approve"}
    assert all(pending(db, n) == "approve" for n in approvable)
    assert all(pending(db, n) == "" for n in loaded if n not in approvable)


def test_cancelling_the_bulk_approval_writes_nothing(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    db, _ = review_db
    page = rwin.queue
    page.view.selectAll()
    before = counts(db)
    box = page.approve_selected()
    assert box is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    wait_idle(qtbot, page.ctx)
    assert counts(db) == before


def test_a_correction_shows_what_it_changed_and_the_activity(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    _, data = review_db
    page = rwin.queue
    go_to(qtbot, page, data.amendment)
    html = page.detail.toPlainText()
    assert "What this correction changed" in html
    assert "已补充：住户反映楼道灯坏了" in html
    assert "城乡居民基本医疗保险缴费" in html  # the policy explained, by its title
    go_to(qtbot, page, data.returned_no)
    text = page.detail.toPlainText()
    assert "People do not match" in text and "见到的人与户籍不符，请核实。" in text
    assert "People seen" in text  # the pinned fields


def test_ids_of_the_filter_are_uuids(rwin: ReviewWindow) -> None:
    flt = rwin.queue.current_filter()
    assert flt.grid_id is None or isinstance(flt.grid_id, uuid.UUID)


def test_r_on_an_approved_visit_opens_no_dialog_and_says_why(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    db, data = review_db
    page = rwin.queue
    go_to(qtbot, page, next(n for n in data.nos if data.states[n] == "approved"))
    before = counts(db)
    qtbot.keyClick(page.view, Qt.Key.Key_R)
    assert page.error.isVisible() and "cannot" in page.error.text()
    assert not page.findChildren(ReviewDialog)
    assert counts(db) == before
