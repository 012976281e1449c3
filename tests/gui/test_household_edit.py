"""Editing household facts and members: a bad value is shown at its field and nothing is saved."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.store.models import Household, Outbox
from gridworker.ui.context import AppContext
from gridworker.ui.household_edit import HouseholdEditDialog, MemberDialog
from gridworker.ui.main_window import MainWindow
from tests.helpers.data import counts
from tests.helpers.gui import type_text, wait_idle


def open_editor(qtbot: QtBot, window: MainWindow) -> HouseholdEditDialog:
    panel = window.today.browser.panel
    panel.edit_button.click()
    dialog = window.findChild(HouseholdEditDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_bad_phone_is_shown_at_the_field_and_nothing_saved(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_editor(qtbot, window)
    wait_idle(qtbot, ctx)  # opening the form recorded the look at the phone (the access trail)
    before = counts(ctx.db)
    dialog.phone.clear()
    type_text(qtbot, dialog.phone, "138123")
    dialog.save()
    wait_idle(qtbot, ctx)
    assert dialog.isVisible()
    assert "11 digits" in dialog.errors.message("phone")
    assert dialog.phone.property("invalid") is True
    assert counts(ctx.db) == before
    # corrected, with full-width digits and spaces, it is normalised and saved
    dialog.phone.clear()
    type_text(qtbot, dialog.phone, "１３９ ０５２７ ８８８８")
    dialog.tag_boxes["elderly_alone"].setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save()
    wait_idle(qtbot, ctx)
    with ctx.db.reading() as s:
        household = s.get(Household, dialog.detail.id)
        assert household is not None and household.phone == "13905278888"
        assert household.visit_interval_days == 7
        assert [o.kind for o in s.scalars(select(Outbox))] == ["access.log", "household.update"]


def test_member_with_bad_id_is_refused_at_the_field(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    editor = open_editor(qtbot, window)
    wait_idle(qtbot, ctx)  # the look at the household's phone, recorded when the form opened
    before = counts(ctx.db)
    dialog = editor.add_member()
    assert isinstance(dialog, MemberDialog) and dialog.isVisible()
    type_text(qtbot, dialog.name, "新成员")
    type_text(qtbot, dialog.id_number, "110105194912310021")  # check character wrong
    dialog.save()
    wait_idle(qtbot, ctx)
    assert "expected X" in dialog.errors.message("id_number")
    assert counts(ctx.db) == before
    dialog.id_number.clear()
    type_text(qtbot, dialog.id_number, "11010519491231002x")
    type_text(qtbot, dialog.birth, "1949-13-01")
    dialog.save()
    assert "YYYY-MM-DD" in dialog.errors.message("birth_date")
    dialog.birth.clear()
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: any(m.name == "新成员" for m in editor.detail.members))
    member = next(m for m in editor.detail.members if m.name == "新成员")
    assert member.sex == "female" and str(member.birth_date) == "1949-12-31"


def test_move_out_asks_first(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = open_editor(qtbot, window)
    members = editor.detail.members
    if len(members) < 2:
        pytest.skip("the first household has one member")
    editor.members_view.selectRow(len(members) - 1)
    wait_idle(qtbot, ctx)
    before = counts(ctx.db)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    editor.remove_member()
    wait_idle(qtbot, ctx)
    assert counts(ctx.db) == before
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.remove_member()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: len(editor.detail.members) == len(members) - 1)


def test_saving_writes_only_what_the_dialog_changed(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    """The phone changed underneath (another edit) while the dialog was open; changing only the
    notes must not put the old phone back."""
    dialog = open_editor(qtbot, window)
    hid = dialog.detail.id
    ctx.store.update_household(hid, {"phone": "13900001111"})
    dialog.notes.setPlainText("只改了备注")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save()
    wait_idle(qtbot, ctx)
    detail = ctx.reader.household_detail(hid)
    assert detail is not None and detail.phone == "13900001111" and detail.notes == "只改了备注"


def test_escape_waits_for_a_save_in_flight(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = open_editor(qtbot, window)
    dialog.notes.setPlainText("保存中按了 Esc")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save()
        dialog.reject()  # ignored while saving: the save lands and the screens hear of it
    wait_idle(qtbot, ctx)
    assert window.unsent_count == 2  # the household's edit, and the look at its phone the form gave
