"""The Unsent page's set-aside changes: each says what was sent, what the server kept (both values of
a field changed on both sides) and what to do, in the user's language; the worker can open the
household, make the change again, or acknowledge the item, which then leaves the count (its record
stays)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridworker.store.services import LocalStore
from gridworker.ui.context import AppContext
from gridworker.ui.household_edit import HouseholdEditDialog
from gridworker.ui.main_window import MainWindow
from gridworker_shared.domain.validation import ValidationError
from tests.helpers.gui import language_and_text_size, open_window, wait_idle


@pytest.fixture
def zh_window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    with language_and_text_size("zh_CN", 13):
        yield open_window(qtbot, ctx)


def answer(ctx: AppContext, seq: int, state: str, result: dict[str, object], message: str) -> None:
    """The server's answer to one pushed change, stored as the sync engine stores it
    (gridworker.syncing.engine: state, result = {code, **data}, error = the server's message)."""
    con = sqlite3.connect(ctx.path)
    with con:
        con.execute(
            "UPDATE outbox SET state = ?, result = ?, error = ? WHERE seq = ?",
            (state, json.dumps(result), message, seq),
        )
    con.close()


def last_seq(ctx: AppContext) -> int:
    con = sqlite3.connect(ctx.path)
    try:
        return int(con.execute("SELECT max(seq) FROM outbox").fetchone()[0])
    finally:
        con.close()


def test_a_conflict_shows_both_values_and_leaves_the_count_once_acknowledged(
    qtbot: QtBot, ctx: AppContext, zh_window: MainWindow
) -> None:
    window = zh_window
    record = window.today.browser.model.record(0)
    store: LocalStore = ctx.store
    store.update_household(record.id, {"phone": "13900001111"})
    seq = last_seq(ctx)
    answer(
        ctx,
        seq,
        "conflict",
        {
            "code": "field_conflict",
            "version": 3,
            "applied": ["phone"],
            "conflicts": [{"field": "phone", "kept": "13900001111", "overwritten": "13822223333"}],
        },
        "主管也修改了相同内容：已按您的修改保存，原值留待核查。Someone else changed the same field; your "
        "value was kept and theirs recorded for review.",
    )
    ctx.events.outbox_changed.emit()
    window.go(MainWindow.PAGE_UNSENT)
    page = window.unsent
    qtbot.waitUntil(lambda: page.attention_model.rowCount() == 1)
    wait_idle(qtbot, ctx)
    assert window.unsent_label.text() == "未发送：1"
    model = page.attention_model
    row_texts = [str(model.data(model.index(0, c))) for c in range(model.columnCount())]
    assert not any("field_conflict" in t for t in row_texts)  # the code is for support, not a column
    # residents' phones masked here too; the last four tell the two values apart
    assert "电话" in row_texts[model.COL_KIND] and "139****1111" in row_texts[model.COL_KIND]
    text = page.item_text.text()
    assert "139****1111" in text and "138****3333" in text  # what the server kept, and the other value
    assert "13900001111" not in text and "13822223333" not in text
    assert "Someone else" not in text and "Someone else" not in str(
        model.data(model.index(0, model.COL_REASON), Qt.ItemDataRole.ToolTipRole)
    )
    assert "field_conflict" in page.item_details.text()
    # the household itself says what the server kept and the other value, not only 有冲突
    window.show_household(record.id)
    fact = window.households.browser.panel.fact_labels["attention"]
    qtbot.waitUntil(lambda: "138****3333" in fact.text() and fact.isVisible())
    assert "139****1111" in fact.text()
    window.grab().save("/tmp/app2shots/household_conflict.png")
    window.go(MainWindow.PAGE_UNSENT)
    window.resize(1366, 768)
    window.grab().save("/tmp/app2shots/attention_conflict.png")

    qtbot.mouseClick(page.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.attention_model.rowCount() == 0)
    wait_idle(qtbot, ctx)
    assert not page.attention.isVisible()
    assert window.unsent_label.text() == "未发送：0"
    assert window.unsent_label.styleSheet() == ""  # no longer amber
    con = sqlite3.connect(ctx.path)
    try:  # the record stays, marked as read
        state, acknowledged = con.execute("SELECT state, acknowledged_at FROM outbox WHERE seq = ?", (seq,)).fetchone()
    finally:
        con.close()
    assert state == "conflict" and acknowledged is not None


def test_a_rejected_edit_can_be_made_again_from_the_item(qtbot: QtBot, ctx: AppContext, zh_window: MainWindow) -> None:
    window = zh_window
    record = window.today.browser.model.record(0)
    ctx.store.update_household(record.id, {"notes": "新的备注"})
    answer(ctx, last_seq(ctx), "rejected", {"code": "out_of_scope"}, "This household is not in your grid.")
    ctx.events.outbox_changed.emit()
    page = window.unsent
    qtbot.waitUntil(lambda: page.attention_model.rowCount() == 1)
    assert "该户不在您的网格" in page.item_text.text() or "不在" in page.item_text.text()
    assert "新的备注" in page.item_text.text()
    assert page.redo_button.isEnabled()
    qtbot.mouseClick(page.redo_button, Qt.MouseButton.LeftButton)

    def dialog() -> HouseholdEditDialog | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, HouseholdEditDialog) and w.isVisible()), None
        )

    qtbot.waitUntil(lambda: dialog() is not None)
    assert window.nav.currentRow() == MainWindow.PAGE_HOUSEHOLDS
    edit = dialog()
    assert edit is not None
    edit.reject()


def test_acknowledging_a_change_still_waiting_is_refused_and_changes_nothing(ctx: AppContext) -> None:
    con = sqlite3.connect(ctx.path)
    try:
        hid = uuid.UUID(hex=con.execute("SELECT id FROM household LIMIT 1").fetchone()[0])
    finally:
        con.close()
    ctx.store.update_household(hid, {"notes": "待发送的备注"})
    seq = last_seq(ctx)
    for missing_or_waiting in (seq, seq + 1000):
        with pytest.raises(ValidationError):
            ctx.store.acknowledge(missing_or_waiting)
    con = sqlite3.connect(ctx.path)
    try:
        assert con.execute("SELECT state, acknowledged_at FROM outbox WHERE seq = ?", (seq,)).fetchone() == (
            "pending",
            None,
        )
    finally:
        con.close()
