"""The department's work-order list: open orders by deadline (overdue red, the time left), the order in
full, and 签收 / 处置 / 办结 / 退单 from the keyboard, each one outbox entry marking the order waiting;
a close without a note or a bounce without its reason stays in its dialog and writes nothing."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.store.meta import set_meta
from gridworker.store.models import Outbox
from gridworker.syncing.apply import apply_page, defer_foreign_keys, pending_households
from gridworker.ui.context import AppContext
from gridworker.ui.windows import make_window
from gridworker.ui.work_order_window import WorkOrdersWindow
from gridworker.ui.work_orders import BounceDialog, NoteDialog, WorkOrdersModel
from gridworker_shared.codec.requests import RequestEventRecord, WorkOrderRecord, encode_work_order
from gridworker_shared.protocol import PullResponse
from tests.helpers.gui import language_and_text_size, type_text, wait_idle

DEPT = uuid.uuid4()
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
LATE, SOON, SIGNED = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def order(oid: uuid.UUID, status: str, due_in: dt.timedelta, address: str, description: str) -> list[Any]:
    sent = NOW - dt.timedelta(days=3)
    events = [RequestEventRecord(uuid.uuid4(), "dispatch", None, sent, "dispatched", "请尽快处理", {})]
    if status == "signed":
        events.append(RequestEventRecord(uuid.uuid4(), "sign", None, sent + dt.timedelta(hours=2), "signed", "", {}))
    return encode_work_order(
        WorkOrderRecord(
            oid, DEPT, address, "王芳", "13800000000", "fire_lane_blocked", description, "urgent", status, sent,
            NOW + due_in, 0, 0, events,
        )
    )  # fmt: skip


def department_window(qtbot: QtBot, ctx: AppContext) -> WorkOrdersWindow:
    db = ctx.db
    with db.transaction() as s:
        set_meta(s, role="department")
        defer_foreign_keys(s)
        page = PullResponse(
            epoch=uuid.uuid4(),
            upserts={
                "work_order": [
                    order(
                        SOON, "dispatched", dt.timedelta(days=1, hours=5), "古城社区 幸福家园 3-1-201", "楼道堆放杂物"
                    ),
                    order(
                        LATE, "dispatched", -dt.timedelta(hours=30), "古城社区 幸福家园 9-1-301", "消防通道被电动车堵塞"
                    ),
                    order(SIGNED, "signed", dt.timedelta(days=2), "古城社区 和平里 1-2-502", "飞线充电"),
                ]
            },
        )
        apply_page(s, page, pending_households(s))
    ctx.identity.role = "department"
    ctx.identity.grid_name = "城管执法中队"
    w = make_window(ctx)
    assert isinstance(w, WorkOrdersWindow)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.workspace_shown, timeout=10000):
        w.show()
        w.start()
    wait_idle(qtbot, ctx)
    return w


def steps(ctx: AppContext) -> list[tuple[str, str, str]]:
    with ctx.db.reading() as s:
        return [
            (o.payload["request_id"], o.payload["step"], o.payload["note"])
            for o in s.scalars(select(Outbox).where(Outbox.kind == "request.step").order_by(Outbox.seq))
        ]


def dialog_of(qtbot: QtBot, w: WorkOrdersWindow, key: Qt.Key) -> QDialog:
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    w.orders.view.setFocus()
    with qtbot.waitSignal(w.orders.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(w.orders.view, key)
    dialog = opened.args[0]
    assert isinstance(dialog, QDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    return dialog


def test_orders_by_deadline_overdue_red_and_signed_by_keyboard(qtbot: QtBot, ctx: AppContext) -> None:
    w = department_window(qtbot, ctx)
    model = w.orders.model
    assert [o.id for o in model.rows] == [LATE, SOON, SIGNED]  # the most pressing first
    late = model.index(0, WorkOrdersModel.COL_DEADLINE)
    assert model.data(late, Qt.ItemDataRole.ForegroundRole).color() == QColor("#c62828")
    assert "overdue" in str(model.data(late))
    assert model.data(model.index(1, WorkOrdersModel.COL_DEADLINE), Qt.ItemDataRole.ForegroundRole) is None
    assert "left" in str(model.data(model.index(1, WorkOrdersModel.COL_DEADLINE)))
    assert w.orders.current() is not None and w.orders.current().id == LATE  # type: ignore[union-attr]
    detail = w.orders.detail.text()
    assert "消防通道被电动车堵塞" in detail and "请尽快处理" in detail
    assert "王芳 138****0000" in detail and "13800000000" not in detail  # a department never sees it in full

    assert w.orders.view.hasFocus() or w.orders.view.setFocus() is None
    with qtbot.waitSignal(w.orders.written, timeout=5000):
        qtbot.keyClick(w.orders.view, Qt.Key.Key_S)
    wait_idle(qtbot, ctx)
    assert steps(ctx) == [(str(LATE), "sign", "")]
    qtbot.waitUntil(lambda: w.orders.model.rows[0].pending_step == "sign", timeout=5000)
    assert not w.orders.sign_button.isEnabled()  # waiting: nothing more until the server answers
    assert "waiting to sync" in w.orders.detail.text()


def test_close_needs_a_note_and_bounce_its_reason(qtbot: QtBot, ctx: AppContext) -> None:
    w = department_window(qtbot, ctx)
    w.orders.view.setCurrentIndex(w.orders.model.index(2, 0))
    assert w.orders.current() is not None and w.orders.current().id == SIGNED  # type: ignore[union-attr]
    assert not w.orders.sign_button.isEnabled() and w.orders.close_button.isEnabled()

    dialog = dialog_of(qtbot, w, Qt.Key.Key_C)
    assert isinstance(dialog, NoteDialog)
    assert dialog.focusWidget() is dialog.note
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.error.isVisible()  # 办结 says what was done
    assert steps(ctx) == []
    type_text(qtbot, dialog.note, "已清理飞线，张贴告知书")
    with qtbot.waitSignal(w.orders.written, timeout=5000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert steps(ctx) == [(str(SIGNED), "close", "已清理飞线，张贴告知书")]

    w.orders.view.setCurrentIndex(w.orders.model.index(1, 0))
    qtbot.waitUntil(lambda: w.orders.current() is not None and w.orders.current().id == SOON)  # type: ignore[union-attr]
    bounce = dialog_of(qtbot, w, Qt.Key.Key_B)
    assert isinstance(bounce, BounceDialog)
    bounce.not_ours.setChecked(True)
    bounce._check()
    assert bounce.isVisible() and bounce.error.isVisible()  # whose, then?
    type_text(qtbot, bounce.whose, "供电公司")
    with qtbot.waitSignal(w.orders.written, timeout=5000):
        bounce._check()
    with ctx.db.reading() as s:
        last = s.scalars(select(Outbox).order_by(Outbox.seq.desc())).first()
        assert last is not None
        assert (last.payload["step"], last.payload["reason"], last.payload["whose"]) == (
            "bounce",
            "not_ours",
            "供电公司",
        )


@pytest.mark.parametrize("points", [13, 22])
def test_work_orders_screen_in_chinese(qtbot: QtBot, ctx: AppContext, points: int) -> None:
    with language_and_text_size("zh_CN", points):
        w = department_window(qtbot, ctx)
        w.resize(1366, 768)
        assert "超期" in w.orders.model.data(w.orders.model.index(0, 0))
        assert "签收" in w.orders.sign_button.text()
        folder = os.environ.get("GW_SHOTS")
        if folder:
            QApplication.processEvents()
            w.grab().save(os.path.join(folder, f"work_orders_zh_{points}.png"))
