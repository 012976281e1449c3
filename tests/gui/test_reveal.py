"""Residents' ID numbers and phones in the household panel: masked in the members' table and the
household's facts; Show (reached by the keyboard) records an access event first and then shows the
value, until the time is up or another household is on screen; a role that may not reveal has no
Show; the household list masks its phones."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.models import MembersModel
from gridworker.ui.reveal import Revealer
from gridworker_shared.domain.masking import mask_id_number, mask_phone
from tests.helpers.gui import language_and_text_size, open_window, wait_idle


def household_with_member(ctx: AppContext) -> uuid.UUID:
    """A household with a member who has both an ID number and a phone, and a phone of its own."""
    con = sqlite3.connect(ctx.path)
    try:
        (hid,) = con.execute(
            "SELECT h.id FROM household h JOIN person p ON p.household_id = h.id "
            "WHERE p.id_number != '' AND p.phone != '' AND h.phone != '' AND p.active "
            "ORDER BY h.id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return uuid.UUID(hex=hid)


def access_rows(ctx: AppContext) -> list[dict[str, object]]:
    con = sqlite3.connect(ctx.path)
    try:
        rows = con.execute("SELECT payload, household_id FROM outbox WHERE kind = 'access.log' ORDER BY seq").fetchall()
    finally:
        con.close()
    assert all(h is None for _, h in rows)  # not shown as the household's unsent change
    return [json.loads(p) for p, _ in rows]


def cell(panel: object, row: int, column: int) -> str:
    model = panel.members_model  # type: ignore[attr-defined]
    return str(model.data(model.index(row, column)))


def test_show_records_then_reveals_until_the_household_changes(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    panel = window.households.browser.panel
    hid = household_with_member(ctx)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.show_household(hid)
    detail = panel.detail
    assert detail is not None
    row, member = next((i, m) for i, m in enumerate(detail.members) if m.id_number and m.phone)
    # masked everywhere on screen
    assert cell(panel, row, MembersModel.COL_ID) == mask_id_number(member.id_number) != member.id_number
    assert cell(panel, row, MembersModel.COL_PHONE) == mask_phone(member.phone) != member.phone
    assert panel.fact_labels["phone"].text() == mask_phone(detail.phone)
    assert access_rows(ctx) == []
    # the keyboard: the member chosen in the table, then Space on Show ID number
    panel.tabs.setCurrentIndex(0)
    panel.members_view.setFocus()
    panel.members_view.setCurrentIndex(panel.members_view.model().index(row, 0))
    button = panel.reveal_member_id
    assert button.isVisible() and button.isEnabled() and button.focusPolicy() & Qt.FocusPolicy.TabFocus
    button.setFocus()
    with qtbot.waitSignal(panel.revealer.changed, timeout=10000):
        qtbot.keyClick(button, Qt.Key.Key_Space)
    assert cell(panel, row, MembersModel.COL_ID) == member.id_number
    assert cell(panel, row, MembersModel.COL_PHONE) == mask_phone(member.phone)  # only what was asked
    assert not button.isEnabled()  # shown already
    (event,) = access_rows(ctx)
    assert (event["action"], event["household_id"], event["person_id"], event["field"]) == (
        "reveal",
        str(hid),
        str(member.id),
        "id_number",
    )
    # the household's phone
    with qtbot.waitSignal(panel.revealer.changed, timeout=10000):
        qtbot.mouseClick(panel.reveal_phone_button, Qt.MouseButton.LeftButton)
    assert panel.fact_labels["phone"].text() == detail.phone
    assert [e["field"] for e in access_rows(ctx)] == ["id_number", "phone"]
    assert access_rows(ctx)[1]["person_id"] is None
    # another household: masked again, nothing recorded for it
    other_id = _another(ctx, hid)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.show_household(other_id)
    assert panel.revealer.shown == set()
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.show_household(hid)
    assert cell(panel, row, MembersModel.COL_ID) == mask_id_number(member.id_number)
    assert len(access_rows(ctx)) == 2
    wait_idle(qtbot, ctx)


def _another(ctx: AppContext, hid: uuid.UUID) -> uuid.UUID:
    con = sqlite3.connect(ctx.path)
    try:
        (other,) = con.execute("SELECT id FROM household WHERE id != ? LIMIT 1", (hid.hex,)).fetchone()
    finally:
        con.close()
    return uuid.UUID(hex=other)


def test_the_value_is_masked_again_when_time_is_up(qtbot: QtBot, ctx: AppContext) -> None:
    hid = household_with_member(ctx)
    revealer = Revealer(ctx, seconds=0.05)
    with qtbot.waitSignal(revealer.changed, timeout=10000):
        revealer.reveal(hid, None, "phone")
    assert revealer.is_shown(hid, "phone")
    with qtbot.waitSignal(revealer.changed, timeout=10000):
        pass  # the timer's timeout masks it again
    assert revealer.shown == set()
    assert len(access_rows(ctx)) == 1
    wait_idle(qtbot, ctx)


def test_a_department_has_no_show(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.identity = replace(ctx.identity, role="department")
    revealer = Revealer(ctx)
    assert not revealer.allowed
    revealer.reveal(household_with_member(ctx), None, "phone")
    wait_idle(qtbot, ctx)
    assert revealer.shown == set() and access_rows(ctx) == []


def test_the_household_list_masks_phones(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_window(qtbot, ctx)
    window.go(MainWindow.PAGE_HOUSEHOLDS)
    model = window.households.browser.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    shown = [str(model.index(r, model.COL_PHONE).data() or "") for r in range(min(model.rowCount(), 50))]
    assert any("*" in s for s in shown)
    assert not any(len(s) == 11 and s.isdigit() for s in shown)


def test_screenshot_in_chinese(qtbot: QtBot, ctx: AppContext) -> None:
    with language_and_text_size("zh_CN", 13):
        window = open_window(qtbot, ctx)
        window.resize(1366, 768)
        window.go(MainWindow.PAGE_HOUSEHOLDS)
        panel = window.households.browser.panel
        with qtbot.waitSignal(panel.loaded, timeout=10000):
            panel.show_household(household_with_member(ctx))
        panel.members_view.setCurrentIndex(panel.members_view.model().index(0, 0))
        with qtbot.waitSignal(panel.revealer.changed, timeout=10000):
            panel.reveal_member_id.click()
        QApplication.processEvents()
        window.grab().save("/tmp/trailshots/panel_reveal_zh.png")
        wait_idle(qtbot, ctx)
