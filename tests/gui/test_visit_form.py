"""Recording a visit through the real widgets, from the keyboard alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.store.models import Outbox, ResidentRequest, Visit, VisitPerson
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import TEXT_SIZE, TEXT_SIZES
from gridworker.ui.visit_dialog import VisitDialog
from tests.helpers.gui import language_and_text_size, open_visit_form, open_window, type_text, wait_idle


def test_record_a_visit_from_the_keyboard(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    detail = window.today.browser.panel.detail
    assert detail is not None
    dialog = open_visit_form(qtbot, window)
    assert window.unsent_count == 0
    # Alt+1: met
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() == "met")  # a mnemonic clicks with a short animation
    # Tab to the member list, Space ticks the current member
    assert QApplication.focusWidget() is dialog.outcome_buttons.button(0)

    def tab() -> QWidget | None:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        return QApplication.focusWidget()

    assert tab() is dialog.members_view
    dialog.members_view.setCurrentIndex(dialog.members_model.index(0, 0))
    qtbot.keyClick(dialog.members_view, Qt.Key.Key_Space)
    assert dialog.seen() == [detail.members[0].id]
    assert tab() is dialog.everyone_button
    assert tab() is dialog.notes
    type_text(qtbot, dialog.notes, "讲解了医保缴费")
    assert tab() is dialog.guide_toggle  # the policy guide, folded away: Space opens it
    # a request: choose the category with the keyboard, type, Enter adds it
    assert tab() is dialog.category
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)  # the first real category
    assert tab() is dialog.urgency
    assert tab() is dialog.description
    type_text(qtbot, dialog.description, "院内搭建彩钢棚")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)
    assert [r.description for r in dialog.requests_model.requests()] == ["院内搭建彩钢棚"]
    assert dialog.category.currentData() is None  # the add row is ready for the next one
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    visit_id = saved.args[0]
    with ctx.db.reading() as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.outcome == "met" and visit.notes == "讲解了医保缴费"
        assert list(s.scalars(select(VisitPerson.person_id).where(VisitPerson.visit_id == visit_id))) == [
            detail.members[0].id
        ]
        request = s.scalar(select(ResidentRequest).where(ResidentRequest.visit_id == visit_id))
        assert request is not None and request.category == "illegal_construction"
        assert [o.kind for o in s.scalars(select(Outbox))] == ["visit.create"]
    assert window.unsent_count == 1
    assert "1" in window.unsent_label.text()
    # visited, it leaves Today's list and the next household in walking order is selected
    today = window.today.browser
    qtbot.waitUntil(lambda: all(today.model.record(i).id != detail.id for i in range(today.model.rowCount())))
    nxt = today.current_household()
    assert nxt is not None and nxt.id != detail.id
    # elsewhere the household shows the visit, marked as not sent yet
    panel = window.households.browser.panel
    panel.show_household(detail.id)
    qtbot.waitUntil(lambda: panel.detail is not None and any(v.id == visit_id for v in panel.detail.visits))
    row = next(i for i in range(panel.visits_model.rowCount()) if panel.visits_model.record(i).id == visit_id)
    assert panel.visits_model.data(panel.visits_model.index(row, panel.visits_model.COL_SYNC)) == "Not sent"


def test_met_without_anyone_seen_is_refused_at_the_field(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_visit_form(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() == "met")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    message = dialog.errors.message("seen")
    assert "at least one member" in message
    assert dialog.isVisible() and dialog.saved_id is None
    with ctx.db.reading() as s:
        assert s.scalar(select(Outbox)) is None
    # fixing it saves
    dialog.everyone_button.click()
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000):
        dialog.save()


def test_no_outcome_is_refused(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_visit_form(qtbot, window)
    dialog.save()
    wait_idle(qtbot, ctx)
    assert "Choose what happened" in dialog.errors.message("outcome")
    assert dialog.saved_id is None


def test_description_without_category_is_refused(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_visit_form(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() == "not_home")
    type_text(qtbot, dialog.description, "没选类别")
    dialog.save()
    wait_idle(qtbot, ctx)
    assert "category" in dialog.errors.message("requests")
    assert dialog.saved_id is None


def test_cancel_asks_and_discards_the_draft(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_visit_form(qtbot, window)
    with qtbot.waitSignal(dialog.draft_saved, timeout=10000):
        type_text(qtbot, dialog.notes, "写了一半")
    assert [d.payload["notes"] for d in ctx.reader.drafts()] == ["写了一半"]
    asked: list[str] = []

    def answer(*args: object, **_: object) -> QMessageBox.StandardButton:
        asked.append(str(args[1]))
        return QMessageBox.StandardButton.Cancel if len(asked) == 1 else QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", answer)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Cancel in the question keeps the form
    with qtbot.waitSignal(dialog.rejected, timeout=10000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    wait_idle(qtbot, ctx)
    assert ctx.reader.drafts() == []
    assert len(asked) == 2
    assert not window.today.draft_banner.isVisible()
    # opening the form again starts empty: the discarded draft does not come back
    again = open_visit_form(qtbot, window)
    assert again.notes.toPlainText() == "" and not again.restored_label.isVisible()


def test_correct_a_visit_from_the_history(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    panel = window.today.browser.panel
    # find a household with history
    for row in range(window.today.browser.model.rowCount()):
        window.today.browser.view.setCurrentIndex(window.today.browser.model.index(row, 1))
        qtbot.waitUntil(
            lambda row=row: panel.detail is not None and panel.detail.id == window.today.browser.model.record(row).id
        )
        if panel.detail is not None and panel.detail.visits:
            break
    assert panel.detail is not None and panel.detail.visits
    original = panel.detail.visits[0]
    panel.visits_view.setCurrentIndex(panel.visits_view.model().index(0, 0))
    with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
        panel.amend_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, VisitDialog) and dialog.amends is not None
    assert dialog.outcome() == original.outcome  # starts from what was recorded
    dialog.notes.setPlainText("更正：补充情况")
    if dialog.outcome() == "met" and not dialog.seen():
        dialog.everyone_button.click()
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000) as saved:
        dialog.save()
    wait_idle(qtbot, ctx)
    with ctx.db.reading() as s:
        new = s.get(Visit, saved.args[0])
        old = s.get(Visit, original.id)
    assert new is not None and new.amends_id == original.id and new.notes == "更正：补充情况"
    assert old is not None and old.notes == original.notes  # never overwritten


def test_a_locked_database_leaves_the_form_ready_to_try_again(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holds the write lock: the user is told, the form stays filled and usable,
    and the same save goes through once the lock is gone."""
    import sqlite3

    from gridworker.store import schema
    from gridworker.store.db import Database
    from gridworker.store.services import LocalStore

    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 200)
    ctx._store = LocalStore(Database(ctx.path), ctx.identity.worker_id)  # connections with the short timeout
    dialog = open_visit_form(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() == "not_home")
    type_text(qtbot, dialog.notes, "锁住了")
    holder = sqlite3.connect(ctx.path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with qtbot.waitSignal(ctx.tasks.failed, timeout=10000) as failed:
            dialog.save()
        wait_idle(qtbot, ctx)
    finally:
        holder.rollback()
        holder.close()
    assert "busy" in failed.args[0]
    assert dialog.isVisible() and dialog.saved_id is None
    assert dialog.notes.isEnabled() and dialog.buttons.isEnabled()
    assert dialog.notes.toPlainText() == "锁住了"
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000):
        dialog.save()
    wait_idle(qtbot, ctx)
    ctx._store.db.close()


def test_asking_twice_opens_one_form(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    """A double press of Ctrl+N (or a double click) before the form is up opens it once."""
    opened: list[VisitDialog] = []
    window.visit_form_opened.connect(opened.append)
    panel = window.today.browser.panel
    panel.visit_button.click()
    panel.visit_button.click()
    wait_idle(qtbot, ctx)
    assert len(opened) == 1
    # once it is closed, the next press opens a fresh one
    opened[0].reject()
    panel.visit_button.click()
    wait_idle(qtbot, ctx)
    assert len(opened) == 2


@pytest.mark.parametrize(
    ("language", "points", "room"), [("zh_CN", TEXT_SIZE.default, True), ("en", TEXT_SIZES[-1], False)]
)
def test_the_form_with_the_guide_open_stays_on_the_screen(
    qtbot: QtBot, ctx: AppContext, language: str, points: int, room: bool
) -> None:
    """The picker opens beside the form as wide as the screen leaves room for, from 30 ems down to 16 (the
    test screen is 800 px wide, narrower than any laptop: at the default size in Chinese the form and the
    picker fit it; the largest English text cannot, and gets the narrowest picker), and the form is never
    taller than the screen."""
    with language_and_text_size(language, points):
        window = open_window(qtbot, ctx)
        dialog = open_visit_form(qtbot, window)
        screen = dialog.screen().availableGeometry()
        assert dialog.height() <= screen.height()
        dialog.guide_toggle.setChecked(True)
        wait_idle(qtbot, ctx)
        em = dialog.fontMetrics().horizontalAdvance("M")
        if room:
            assert em * 16 < dialog.guide_panel.width() <= em * 30
            assert dialog.minimumSizeHint().width() <= screen.width() and dialog.width() <= screen.width()
        else:
            assert dialog.guide_panel.width() == em * 16
        dialog.reject()
