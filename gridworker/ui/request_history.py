"""A resident request's flow in words: its status, the department it is with, the deadline (red when
overdue, the time left otherwise) and every step with who and when; shared by the household panel
(RequestHistory under the requests list) and the department's work-order list."""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from gridworker.store.request_reads import FlowEvent, RequestFlow, request_flows
from gridworker.ui import labels
from gridworker.ui.context import AppContext
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.request_flow import status_of

OVERDUE_COLOR = "#c62828"

STATUS_LABELS = {
    "submitted": QT_TRANSLATE_NOOP("requests", "Registered"),  # 已登记
    "accepted": QT_TRANSLATE_NOOP("requests", "Accepted"),  # 已受理
    "dispatched": QT_TRANSLATE_NOOP("requests", "Dispatched"),  # 已派单
    "signed": QT_TRANSLATE_NOOP("requests", "Signed for, in hand"),  # 已签收
    "closed": QT_TRANSLATE_NOOP("requests", "Done, awaiting call-back"),  # 已办结
    "archived": QT_TRANSLATE_NOOP("requests", "Archived"),  # 已归档
    "merged": QT_TRANSLATE_NOOP("requests", "Merged"),  # 已合并
    "cancelled": QT_TRANSLATE_NOOP("requests", "Cancelled"),  # 已撤销
}
STEP_LABELS = {
    "create": QT_TRANSLATE_NOOP("requests", "Registered"),  # 登记
    "accept": QT_TRANSLATE_NOOP("requests", "Accepted"),  # 受理
    "on_spot": QT_TRANSLATE_NOOP("requests", "Resolved on the spot"),  # 即办
    "merge": QT_TRANSLATE_NOOP("requests", "Merged into an earlier request"),  # 合并
    "dispatch": QT_TRANSLATE_NOOP("requests", "Dispatched"),  # 派单
    "sign": QT_TRANSLATE_NOOP("requests", "Signed for"),  # 签收
    "bounce": QT_TRANSLATE_NOOP("requests", "Sent back"),  # 退单
    "progress": QT_TRANSLATE_NOOP("requests", "Progress"),  # 处置
    "close": QT_TRANSLATE_NOOP("requests", "Done"),  # 办结
    "callback": QT_TRANSLATE_NOOP("requests", "Call-back"),  # 回访
    "callback_failed": QT_TRANSLATE_NOOP("requests", "Call-back not reached"),  # 回访未果
    "extend": QT_TRANSLATE_NOOP("requests", "Deadline extended"),  # 延期
    "reassign": QT_TRANSLATE_NOOP("requests", "Reassigned"),  # 改派
    "cancel": QT_TRANSLATE_NOOP("requests", "Cancelled"),  # 撤销
}
SATISFACTION_LABELS = {
    "satisfied": QT_TRANSLATE_NOOP("requests", "Satisfied"),  # 满意
    "basic": QT_TRANSLATE_NOOP("requests", "Fairly satisfied"),  # 基本满意
    "dissatisfied": QT_TRANSLATE_NOOP("requests", "Not satisfied"),  # 不满意
}
BOUNCE_LABELS = {
    "not_ours": QT_TRANSLATE_NOOP("requests", "Not this department's"),  # 不属本部门
    "outside_area": QT_TRANSLATE_NOOP("requests", "Outside this department's area"),  # 不在本辖区
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


def status_text(code: str) -> str:
    current = status_of(code)
    return _tr(STATUS_LABELS[current]) if current in STATUS_LABELS else code


def step_text(code: str) -> str:
    return _tr(STEP_LABELS[code]) if code in STEP_LABELS else code


def satisfaction_text(code: str) -> str:
    return _tr(SATISFACTION_LABELS[code]) if code in SATISFACTION_LABELS else code


def utc_now() -> dt.datetime:
    """Now as the tables hold times: naive UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_time(utc_naive: dt.datetime) -> str:
    return labels.local_datetime(utc_naive)


def time_left(deadline: dt.datetime, now: dt.datetime) -> str:
    """'2 days 5 h left' or 'overdue by 3 days' (both naive UTC)."""
    delta = deadline - now
    late = delta.total_seconds() < 0
    delta = abs(delta)
    days, hours = delta.days, delta.seconds // 3600
    if days:
        span = QCoreApplication.translate("requests", "%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
    else:
        span = QCoreApplication.translate("requests", "%1 h").replace("%1", str(hours))
    return (
        QCoreApplication.translate("requests", "overdue by %1")
        if late
        else QCoreApplication.translate("requests", "%1 left")
    ).replace("%1", span)


def event_line(e: FlowEvent) -> str:
    """One step: when, what, and what it carried (the note, a bounce's reason, the resident's answers)."""
    parts = [local_time(e.at), step_text(e.step)]
    data = e.data
    if e.step == "bounce":
        reason = str(data.get("reason", ""))
        parts.append(_tr(BOUNCE_LABELS[reason]) if reason in BOUNCE_LABELS else reason)
        if data.get("whose"):
            parts.append(QCoreApplication.translate("requests", "belongs to %1").replace("%1", str(data["whose"])))
    if e.step == "callback":
        resolved = data.get("resolved")
        if resolved is not None:
            parts.append(
                QCoreApplication.translate("requests", "resolved")
                if resolved
                else QCoreApplication.translate("requests", "not resolved")
            )
        if data.get("satisfaction"):
            parts.append(satisfaction_text(str(data["satisfaction"])))
    if e.step == "extend" and data.get("days"):
        parts.append(QCoreApplication.translate("requests", "+%1 days").replace("%1", str(data["days"])))
    if e.note:
        parts.append(e.note)
    return "　".join(p for p in parts if p)


def history_html(events: Sequence[FlowEvent]) -> str:
    if not events:
        return ""
    items = "".join(f"<li>{html.escape(event_line(e))}</li>" for e in events)
    return f"<ol style='margin-left: 0px; -qt-list-indent: 1;'>{items}</ol>"


def deadline_html(status: str, deadline: dt.datetime | None, now: dt.datetime, overdue: bool) -> str:
    if deadline is None or status_of(status) not in ("dispatched", "signed"):
        return ""
    text = (
        QCoreApplication.translate("requests", "Deadline %1 (%2)")
        .replace("%1", local_time(deadline))
        .replace("%2", time_left(deadline, now))
    )
    escaped = html.escape(text)
    return f"<b style='color: {OVERDUE_COLOR}'>{escaped}</b>" if overdue else escaped


def flow_html(flow: RequestFlow, now: dt.datetime) -> str:
    """A request's flow for the household panel."""
    lines = [f"<b>{html.escape(status_text(flow.status))}</b>"]
    if flow.department:
        lines[0] += "　" + html.escape(QCoreApplication.translate("requests", "with %1").replace("%1", flow.department))
    if flow.pending_step:
        lines[0] += "　" + html.escape(
            QCoreApplication.translate("requests", "(%1 waiting to sync)").replace("%1", step_text(flow.pending_step))
        )
    due = deadline_html(flow.status, flow.deadline_at, now, flow.overdue(now))
    if due:
        lines.append(due)
    counts = []
    if flow.bounces:
        counts.append(QCoreApplication.translate("requests", "sent back %1 time(s)").replace("%1", str(flow.bounces)))
    if flow.reopens:
        counts.append(QCoreApplication.translate("requests", "reopened %1 time(s)").replace("%1", str(flow.reopens)))
    if counts:
        lines.append(html.escape(" · ".join(counts)))
    return "<br>".join(lines) + history_html(flow.events)


class RequestHistory(QLabel):
    """Under the household panel's requests list: the chosen request's flow and history."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("request_history")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("padding: 2px;")
        self.flow: RequestFlow | None = None
        self.hide()

    def show_request(self, household_id: uuid.UUID | None, request_id: uuid.UUID | None) -> None:
        if household_id is None or request_id is None:
            self.flow = None
            self.clear()
            self.hide()
            return
        reader = self.ctx.reader

        def done(flows: list[RequestFlow]) -> None:
            self.flow = next((f for f in flows if f.id == request_id), None)
            if self.flow is None:
                self.hide()
                return
            self.setText(flow_html(self.flow, utc_now()))
            self.show()

        self.ctx.tasks.read(lambda: request_flows(reader.connection(), household_id), done, owner=self)
