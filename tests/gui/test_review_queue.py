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
    following = page.model.record(page.model.row_of(no) + 1).no
    assert page.current() is not None and page.current().no == following  # type: ignore[union-attr]
    # a second A on the waiting row writes nothing more (the button and the key both refuse)
    go_to(qtbot, page, no)
    assert not page.approve_button.isEnabled()
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


def test_the_demo_opens_as_the_account_asked_for_and_the_role_is_read_at_start(
    review_db: tuple[Database, ReviewData], tmp_path: Path
) -> None:
    from gridworker.app import parse_args, read_identity, start_user

    settings = Settings(tmp_path / "settings.ini")
    assert start_user(parse_args(["--demo"]), settings) == "demo"
    assert start_user(parse_args(["--demo", "--demo-user", "supervisor"]), settings) == "supervisor"
    for refused in (["--demo-user", "supervisor"], ["--demo", "--no-sync", "--demo-user", "station01"]):
        with pytest.raises(SystemExit):
            parse_args(refused)
    reader = Reader(review_db[0].path)
    try:
        assert read_identity(reader, "supervisor").role == "supervisor"
    finally:
        reader.close()


def test_a_sync_shows_the_servers_decisions_in_place_and_keeps_the_reviewers_place(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData]
) -> None:
    db, _ = review_db
    page = rwin.queue
    page.view.scrollToBottom()  # a second page loaded
    qtbot.waitUntil(lambda: page.model.rowCount() > 100, timeout=10000)
    deep = page.model.record(150).no
    go_to(qtbot, page, deep)
    con = sqlite3.connect(db.path)
    try:
        con.execute("UPDATE review_visit SET state = 'returned' WHERE no = ?", (deep,))
        con.commit()
    finally:
        con.close()
    with qtbot.waitSignal(page.detail_shown, timeout=10000):
        rwin.ctx.events.data_changed.emit()  # what the sync controller says after a pull
    assert page.current() is not None and page.current().no == deep  # type: ignore[union-attr]
    assert page.current().state == "returned"  # type: ignore[union-attr]
    assert page.model.rowCount() > 100


def test_choosing_a_community_lists_its_grids_and_workers_only(
    qtbot: QtBot, rwin: ReviewWindow, review_db: tuple[Database, ReviewData], city: DemoCity
) -> None:
    page = rwin.queue
    assert page.grid.count() == 1 + sum(u.kind == "grid" for u in city.org_units)
    assert page.worker.count() == 1 + len(city.workers)
    community = next(u for u in city.org_units if u.kind == "community")
    grids = {u.id.hex for u in city.org_units if u.kind == "grid" and u.parent_id == community.id}
    choose(qtbot, page, "community", community.id)
    assert {page.grid.itemData(i) for i in range(1, page.grid.count())} == grids
    assert {page.worker.itemData(i) for i in range(1, page.worker.count())} == {
        w.id.hex for w in city.workers if w.grid_id.hex in grids
    }
    assert all(data.grid_of[n].hex in grids for n in shown_nos(page) for data in [review_db[1]])


@pytest.mark.parametrize("flag", ["short_form", "off_hours", "same_notes"])
def test_a_flag_probed_or_listed_gives_the_same_pages(review_db: tuple[Database, ReviewData], flag: str) -> None:
    import datetime as dt

    from gridworker.store import review_reads as rr
    from gridworker.store.review_filter import ReviewFilter

    db, data = review_db
    expected = [n for n in data.nos if flag in data.flags[n]]
    con = sqlite3.connect(db.path)
    try:
        for probe in (False, True):
            after, seen = None, []
            while True:
                sql, params = rr.queue_sql(ReviewFilter(flag=flag), dt.timedelta(hours=8), after, 7, probe)
                rows = con.execute(sql, params).fetchall()
                seen += [int(r[0]) for r in rows[:7]]
                if len(rows) <= 7:
                    break
                after = (rows[6][1], int(rows[6][0]))
            assert seen == expected, probe
    finally:
        con.close()


def test_a_registered_page_takes_its_place_in_the_workspace(
    qtbot: QtBot, rctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QLabel, QWidget

    from gridworker.ui.review import window as workspace

    monkeypatch.setattr(workspace, "_PAGES", {})
    asked: list[object] = []

    def export_page(ctx: AppContext, current_filter: object) -> QWidget:
        asked.append(current_filter)
        return QLabel("export")

    workspace.register_page("export", export_page)
    with pytest.raises(ValueError):
        workspace.register_page("elsewhere", export_page)
    window = make_window(rctx)
    qtbot.addWidget(window)
    assert isinstance(window, ReviewWindow)
    assert window.stack.widget(window.PAGE_EXPORT) is window.extra["export"]
    assert isinstance(window.extra["export"], QLabel) and window.extra["export"].text() == "export"
    assert window.extra["coverage"].objectName() == "coverage_placeholder"
    assert asked == [window.queue.current_filter]  # the export reads the queue's filter when it runs
    window.close()
