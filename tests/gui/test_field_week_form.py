"""The visit form as a new user met it in a field week (issue 10): Enter in the request's text field, errors
that stayed after the fix, a draft of an empty form, cut category names, the guide beyond the screen's edge,
a category found by pinyin, a draft banner that named no household."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QStyle, QStyleOptionComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from gridworker.store.models import ResidentRequest, Visit
from gridworker.ui import labels
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import TEXT_SIZE
from gridworker.ui.visit_dialog import VisitDialog
from gridworker_shared.domain.codes import REQUEST_CATEGORIES
from tests.helpers.gui import language_and_text_size, open_visit_form, open_window, type_text, wait_idle


def add_request_by_keyboard(qtbot: QtBot, dialog: VisitDialog, text: str) -> None:
    dialog.category.setFocus()
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)  # the first real category
    dialog.description.setFocus()
    type_text(qtbot, dialog.description, text)
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)


def visits(ctx: AppContext) -> int:
    with ctx.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(Visit)) or 0)


def test_enter_in_the_request_text_adds_it_and_keeps_the_form_open(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    """Enter added the request and then pressed the dialog's default button: the visit was saved and closed
    before a second request or the rest of the notes could go in. Only Ctrl+Enter saves."""
    before = visits(ctx)
    dialog = open_visit_form(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() == "not_home")
    add_request_by_keyboard(qtbot, dialog, "楼道堆放杂物")
    wait_idle(qtbot, ctx)
    assert [r.description for r in dialog.requests_model.requests()] == ["楼道堆放杂物"]
    assert dialog.isVisible() and dialog.saved_id is None
    assert visits(ctx) == before
    add_request_by_keyboard(qtbot, dialog, "门口电动车充电")
    wait_idle(qtbot, ctx)
    assert len(dialog.requests_model.requests()) == 2 and dialog.isVisible() and visits(ctx) == before
    type_text(qtbot, dialog.notes, "邻居代为转告")
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000) as saved:
        qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    with ctx.db.reading() as s:
        requests = s.scalars(select(ResidentRequest.description).where(ResidentRequest.visit_id == saved.args[0]))
        assert sorted(requests) == sorted(["楼道堆放杂物", "门口电动车充电"])
    assert visits(ctx) == before + 1


def test_an_error_goes_as_soon_as_the_field_is_fixed(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_visit_form(qtbot, window)
    dialog.save()
    wait_idle(qtbot, ctx)
    assert dialog.errors.message("outcome")
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() == "met")
    assert dialog.errors.message("outcome") == ""
    dialog.save()
    wait_idle(qtbot, ctx)
    assert dialog.errors.message("seen")  # met, nobody ticked
    dialog.members_view.setFocus()
    dialog.members_view.setCurrentIndex(dialog.members_model.index(0, 0))
    qtbot.keyClick(dialog.members_view, Qt.Key.Key_Space)
    assert dialog.seen() and dialog.errors.message("seen") == ""
    assert not dialog.findChild(type(dialog.general_error), "error_seen").isVisible()
    # a request's text without a category: refused at the category, which clears once one is chosen
    type_text(qtbot, dialog.description, "没选类别")
    dialog.add_request_button.click()
    assert dialog.errors.message("requests")
    dialog.category.setFocus()
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)
    assert dialog.errors.message("requests") == ""
    assert dialog.category.property("invalid") is False


def test_a_failed_save_of_an_empty_form_leaves_no_draft(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_visit_form(qtbot, window)
    dialog.save()
    wait_idle(qtbot, ctx)
    assert dialog.errors.message("outcome")
    qtbot.waitUntil(lambda: not dialog._draft_timer.isActive())
    wait_idle(qtbot, ctx)
    assert ctx.reader.drafts() == []
    assert not window.today.draft_banner.isVisible()


def test_the_draft_banner_names_the_household(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_visit_form(qtbot, window)
    h = dialog.household
    with qtbot.waitSignal(dialog.draft_saved, timeout=10000):
        type_text(qtbot, dialog.notes, "写了一半")
    wait_idle(qtbot, ctx)
    dialog.hide()  # as after a crash: the draft is there, the form is not
    qtbot.waitUntil(lambda: window.today.draft_banner.isVisible())
    text = window.today.draft_label.text()
    assert h.head_name in text and labels.long_address(h.compound, h.building, h.unit, h.room) in text


def test_category_names_read_in_full_and_are_found_by_pinyin(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In Chinese at the default size the category showed as 飞线… and 车辆…; and only the arrow keys moved
    through the list. Now each name fits its box and its row in the table, and typing fx finds 飞线充电."""
    with language_and_text_size("zh_CN", TEXT_SIZE.default):
        window = open_window(qtbot, ctx)
        dialog = open_visit_form(qtbot, window)
        combo = dialog.category
        for guide in (False, True):  # the guide beside the form leaves it its narrowest
            dialog.guide_toggle.setChecked(guide)
            qtbot.waitUntil(lambda guide=guide: dialog.guide_panel.isVisible() == guide)
            for row in range(combo.count()):
                combo.setCurrentIndex(row)
                option = QStyleOptionComboBox()
                combo.initStyleOption(option)
                field = combo.style().subControlRect(
                    QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
                )
                text = combo.currentText()
                assert field.width() >= combo.fontMetrics().horizontalAdvance(text), (text, guide, field.width())
        qtbot.keyClick(dialog, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.outcome() == "not_home")
        view = dialog.requests_view
        for c in REQUEST_CATEGORIES:  # each added request's category and urgency read in full in the table
            combo.setCurrentIndex(combo.findData(c.code))
            dialog.description.setText(c.code)
            dialog.add_request_button.click()
            wait_idle(qtbot, ctx)
            assert view.columnWidth(0) >= view.sizeHintForColumn(0), c.code
            assert view.columnWidth(1) >= view.sizeHintForColumn(1), c.code
        combo.setCurrentIndex(0)
        combo.setFocus()
        qtbot.keyClicks(combo, "fx")
        assert combo.currentData() == "flying_wire_charging" and combo.currentText() == "飞线充电"
        monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
        dialog.reject()


def test_the_form_with_the_guide_open_stays_on_the_screen_it_is_on(qtbot: QtBot, ctx: AppContext) -> None:
    """The form near the screen's right edge (where the main window centres it on a 1366 px screen): opening
    the guide beside it moved its right part, with the Explained and Handed out columns, off the screen. And the
    request's text box kept room for words (it shrank to 38 px)."""
    with language_and_text_size("zh_CN", TEXT_SIZE.default):
        window = open_window(qtbot, ctx)
        dialog = open_visit_form(qtbot, window)
        screen = dialog.screen().availableGeometry()
        dialog.move(screen.right() - dialog.frameGeometry().width() - 4, screen.top() + 20)
        dialog.guide_toggle.setChecked(True)
        wait_idle(qtbot, ctx)
        qtbot.waitUntil(lambda: dialog.guide_panel.isVisible())
        assert screen.contains(dialog.frameGeometry()), (screen, dialog.frameGeometry())
        em = dialog.fontMetrics().horizontalAdvance("M")
        assert dialog.description.width() >= em * 10
        dialog.reject()
