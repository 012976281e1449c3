"""The worker's side of a request's flow: Today lists the households with a call-back due; the visit
form asks the two questions one keystroke each and records the answers as the request's call-back
step with the visit (0: couldn't ask, a failed call-back); a half-answered call-back saves nothing;
the household panel shows each request's flow (status, department, deadline red when overdue,
history)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.store.models import OrgUnit, Outbox, RequestEvent, ResidentRequest, Visit
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.request_callback import CallbackQuestions
from gridworker.ui.visit_dialog import VisitDialog
from tests.helpers.gui import language_and_text_size, open_visit_form, open_window, wait_idle

UTC_NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
DEPT = uuid.uuid4()


def add_request(ctx: AppContext, household_id: uuid.UUID, status: str, **flow: Any) -> uuid.UUID:
    """A request as a pull leaves it: its flow columns and events (the server's truth)."""
    rid = uuid.uuid4()
    with ctx.db.transaction() as s:
        if s.get(OrgUnit, DEPT) is None:
            s.add(OrgUnit(id=DEPT, code="D1", name="城管执法中队", kind="department"))
        s.add(
            ResidentRequest(
                id=rid,
                household_id=household_id,
                category="fire_lane_blocked",
                description="消防通道被电动车堵塞",
                urgency="urgent",
                due_on=dt.date(2026, 11, 30),
                status=status,
                department_id=DEPT,
                dispatched_at=UTC_NOW - dt.timedelta(days=3),
                created_at=UTC_NOW - dt.timedelta(days=4),
                **flow,
            )
        )
        steps = [("create", "submitted", ""), ("dispatch", "dispatched", "请尽快"), ("sign", "signed", "")]
        if status == "closed":
            steps.append(("close", "closed", "已清理通道，车辆移走"))
        for i, (step, after, note) in enumerate(steps):
            s.add(
                RequestEvent(
                    id=uuid.uuid4(), request_id=rid, step=step, at=UTC_NOW - dt.timedelta(days=4 - i),
                    status=after, note=note, data={},
                )
            )  # fmt: skip
    return rid


def callback_steps(ctx: AppContext) -> list[dict[str, Any]]:
    with ctx.db.reading() as s:
        return [o.payload for o in s.scalars(select(Outbox).where(Outbox.kind == "request.step").order_by(Outbox.seq))]


def household_with_callback(qtbot: QtBot, ctx: AppContext) -> tuple[MainWindow, uuid.UUID, uuid.UUID]:
    """A window whose Today lists one call-back; its household shown in the panel."""
    with ctx.db.reading() as s:
        hid = s.scalars(select(ResidentRequest.household_id)).first() or s.scalars(select(Visit.household_id)).first()
    assert hid is not None
    rid = add_request(ctx, hid, "closed", closed_at=UTC_NOW - dt.timedelta(hours=5))
    w = open_window(qtbot, ctx)
    qtbot.waitUntil(lambda: w.today.callbacks.isVisible(), timeout=10000)
    rows = w.today.callbacks.rows
    assert hid in [r.household_id for r in rows]
    callbacks = w.today.callbacks.list
    row = next(i for i, r in enumerate(rows) if r.household_id == hid)
    callbacks.setCurrentRow(row)
    callbacks.setFocus()
    qtbot.keyClick(callbacks, Qt.Key.Key_Return)  # Enter: the household beside
    qtbot.waitUntil(lambda: w.today.browser.panel.detail is not None and w.today.browser.panel.detail.id == hid)
    return w, hid, rid


def questions(qtbot: QtBot, dialog: VisitDialog) -> CallbackQuestions:
    box = dialog.callbacks
    assert box is not None
    qtbot.waitUntil(lambda: bool(box.questions), timeout=10000)
    assert box.isVisible()
    return box.questions[-1]


def met(qtbot: QtBot, dialog: VisitDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() == "met")
    dialog.members_model.item(0).setCheckState(Qt.CheckState.Checked)


def test_today_lists_the_call_back_and_the_visit_records_the_verdict(qtbot: QtBot, ctx: AppContext) -> None:
    w, hid, rid = household_with_callback(qtbot, ctx)
    dialog = open_visit_form(qtbot, w)
    q = questions(qtbot, dialog)
    assert q.request.id == rid and q.request.last_note == "已清理通道，车辆移走"
    met(qtbot, dialog)
    q.setFocus()
    qtbot.keyClick(q, Qt.Key.Key_N)  # not resolved
    qtbot.keyClick(q, Qt.Key.Key_3)  # not satisfied
    assert q.answer() is not None and q.answer().resolved is False  # type: ignore[union-attr]
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    [step] = callback_steps(ctx)
    assert (step["request_id"], step["step"], step["resolved"], step["satisfaction"], step["household_id"]) == (
        str(rid), "callback", False, "dissatisfied", str(hid),
    )  # fmt: skip
    with ctx.db.reading() as s:
        request = s.get(ResidentRequest, rid)
        assert request is not None and (request.status, request.pending_step) == ("closed", "callback")
    # asked: no longer on Today's call-back list (the server's answer comes with the sync)
    qtbot.waitUntil(lambda: hid not in [r.household_id for r in w.today.callbacks.rows], timeout=10000)


def test_a_half_answered_call_back_saves_nothing_and_zero_records_couldnt_ask(qtbot: QtBot, ctx: AppContext) -> None:
    w, _hid, rid = household_with_callback(qtbot, ctx)
    with ctx.db.reading() as s:
        visits = len(s.scalars(select(Visit.id)).all())
    dialog = open_visit_form(qtbot, w)
    q = questions(qtbot, dialog)
    met(qtbot, dialog)
    q.setFocus()
    qtbot.keyClick(q, Qt.Key.Key_Y)  # resolved, but satisfied? not asked
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    assert dialog.isVisible() and dialog.general_error.text()  # says both questions, or couldn't ask
    with ctx.db.reading() as s:
        assert len(s.scalars(select(Visit.id)).all()) == visits
    assert callback_steps(ctx) == []
    qtbot.keyClick(q, Qt.Key.Key_0)  # couldn't ask after all: the answers go
    assert q.resolved.checkedId() == -1
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    assert [(p["request_id"], p["step"]) for p in callback_steps(ctx)] == [(str(rid), "callback_failed")]


def test_the_household_panel_shows_the_flow_overdue_red(qtbot: QtBot, ctx: AppContext) -> None:
    w = open_window(qtbot, ctx)
    panel = w.today.browser.panel
    assert panel.detail is not None
    add_request(ctx, panel.detail.id, "signed", deadline_at=UTC_NOW - dt.timedelta(hours=6), bounces=1)
    ctx.events.household_changed.emit(panel.detail.id)
    wait_idle(qtbot, ctx)
    panel.tabs.setCurrentIndex(2)
    history = panel.request_history
    qtbot.waitUntil(lambda: history.flow is not None and history.flow.status == "signed", timeout=10000)
    text = history.text()
    assert "#c62828" in text and "overdue by" in text and "城管执法中队" in text
    assert "Signed for" in text and "请尽快" in text and "sent back 1 time(s)" in text


@pytest.mark.parametrize("points", [13, 22])
def test_call_back_screens_in_chinese(qtbot: QtBot, ctx: AppContext, points: int) -> None:
    folder = os.environ.get("GW_SHOTS")
    with language_and_text_size("zh_CN", points):
        w, _hid, _rid = household_with_callback(qtbot, ctx)
        w.resize(1366, 768)
        assert "待回访" in w.today.callbacks.heading.text()
        dialog = open_visit_form(qtbot, w)
        q = questions(qtbot, dialog)
        q.setFocus()
        qtbot.keyClick(q, Qt.Key.Key_N)
        assert "不满意" in " ".join(b.text() for b in q.satisfaction.buttons())
        QApplication.processEvents()
        if folder:
            w.grab().save(os.path.join(folder, f"today_callbacks_zh_{points}.png"))
            dialog.grab().save(os.path.join(folder, f"visit_callback_zh_{points}.png"))
        # beside the form: no taller than the (800 px) test screen, no wider than a 1366 px laptop's
        screen = dialog.screen().availableGeometry()
        assert dialog.frameGeometry().height() <= screen.height(), (dialog.frameGeometry(), screen)
        assert dialog.frameGeometry().width() <= 1366
        assert q.isVisible() and q.geometry().right() <= dialog.width()
        dialog.reject()


def test_the_flow_in_chinese(qtbot: QtBot, ctx: AppContext) -> None:
    with language_and_text_size("zh_CN", 13):
        w = open_window(qtbot, ctx)
        w.resize(1366, 768)
        panel = w.today.browser.panel
        assert panel.detail is not None
        add_request(ctx, panel.detail.id, "signed", deadline_at=UTC_NOW - dt.timedelta(hours=6), bounces=1)
        ctx.events.household_changed.emit(panel.detail.id)
        wait_idle(qtbot, ctx)
        panel.tabs.setCurrentIndex(2)
        history = panel.request_history
        qtbot.waitUntil(lambda: history.flow is not None and history.flow.status == "signed", timeout=10000)
        text = history.text()
        assert "已签收" in text and "超期" in text and "承办：城管执法中队" in text and "退单 1 次" in text
        folder = os.environ.get("GW_SHOTS")
        if folder:
            QApplication.processEvents()
            w.grab().save(os.path.join(folder, "request_flow_zh.png"))
