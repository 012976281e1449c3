"""A department's work orders (a department user's laptop): their open orders by deadline, the most
pressing first (overdue red, the time left otherwise), the chosen order in full (address, contact,
description, history) and its actions: 签收 sign (S), 处置 a progress note (P), 办结 close with what
was done (C), 退单 send back with the reason and whose it is (B). Each action is one store write
(gridworker.store.services.requests); the order shows it waiting until the sync brings the server's
status. Keyboard: the list has the focus, the letters act on the current order."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.request_reads import WorkOrderRow, work_orders
from gridworker.store.services.requests import MAX_WHOSE, StepExtras
from gridworker.ui import labels
from gridworker.ui.context import AppContext
from gridworker.ui.forms import error_label
from gridworker.ui.i18n import error_text
from gridworker.ui.request_history import (
    BOUNCE_LABELS,
    OVERDUE_COLOR,
    deadline_html,
    history_html,
    local_time,
    status_text,
    step_text,
    time_left,
    utc_now,
)
from gridworker_shared.domain.masking import mask_phone
from gridworker_shared.domain.request_flow import MAX_NOTE
from gridworker_shared.domain.validation import ValidationError

RECORD = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class WorkOrdersModel(QAbstractTableModel):
    COL_DEADLINE, COL_ADDRESS, COL_CATEGORY, COL_STATUS = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[WorkOrderRow] = []
        self.now = utc_now()

    def set_rows(self, rows: list[WorkOrderRow], now: dt.datetime) -> None:
        self.beginResetModel()
        self.rows, self.now = rows, now
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Deadline"), self.tr("Address"), self.tr("Category"), self.tr("Status"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        o = self.rows[index.row()]
        if role == RECORD:
            return o
        late = o.overdue(self.now)
        if role == Qt.ItemDataRole.ForegroundRole and late and index.column() in (self.COL_DEADLINE, self.COL_STATUS):
            return QBrush(QColor(OVERDUE_COLOR))
        if role == Qt.ItemDataRole.FontRole and late and index.column() == self.COL_DEADLINE:
            font = QFont()
            font.setBold(True)
            return font
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.COL_DEADLINE:
            return time_left(o.deadline_at, self.now) if o.deadline_at else "—"
        if column == self.COL_CATEGORY:
            return labels.category(o.category)
        if column == self.COL_ADDRESS:
            return o.address
        status = status_text(o.status)
        return f"{status}（{step_text(o.pending_step)}…）" if o.pending_step else status


class NoteDialog(QDialog):
    """A note for 签收 (optional), 处置 or 办结 (required)."""

    def __init__(self, title: str, prompt: str, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.required = required
        lay = QVBoxLayout(self)
        caption = QLabel(prompt)
        caption.setWordWrap(True)
        lay.addWidget(caption)
        self.note = QPlainTextEdit()
        self.note.setObjectName("order_note")
        self.note.setTabChangesFocus(True)
        caption.setBuddy(self.note)
        lay.addWidget(self.note)
        self.error = error_label("dialog_error")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._check)
        self.note.setFocus()
        self.resize(self.fontMetrics().horizontalAdvance("M") * 40, self.fontMetrics().height() * 12)

    def text(self) -> str:
        return self.note.toPlainText().strip()

    def _check(self) -> None:
        if self.required and not self.text():
            self.show_error(self.tr("Write what was done."))
        elif len(self.text()) > MAX_NOTE:
            self.show_error(self.tr("A note holds at most 500 characters."))
        else:
            self.accept()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class BounceDialog(NoteDialog):
    """退单: why it goes back (not ours: whose; outside our area), and a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Send back"), self.tr("Note (optional):"), False, parent)
        lay = self.layout()
        assert isinstance(lay, QVBoxLayout)
        self.reasons = QButtonGroup(self)
        self.not_ours = QRadioButton("&1 " + _tr(BOUNCE_LABELS["not_ours"]))
        self.outside = QRadioButton("&2 " + _tr(BOUNCE_LABELS["outside_area"]))
        for i, button in enumerate((self.not_ours, self.outside)):
            self.reasons.addButton(button, i)
        whose_row = QHBoxLayout()
        whose_caption = QLabel(self.tr("&Whose is it:"))
        self.whose = QLineEdit()
        self.whose.setObjectName("bounce_whose")
        self.whose.setMaxLength(MAX_WHOSE)
        self.whose.setPlaceholderText(self.tr("e.g. 供电公司"))
        whose_caption.setBuddy(self.whose)
        whose_row.addWidget(whose_caption)
        whose_row.addWidget(self.whose, 1)
        lay.insertWidget(0, QLabel(self.tr("Why does it go back?")))
        lay.insertWidget(1, self.not_ours)
        lay.insertLayout(2, whose_row)
        lay.insertWidget(3, self.outside)
        self.reasons.idToggled.connect(lambda _id, _on: self.whose.setEnabled(self.not_ours.isChecked()))
        self.whose.setEnabled(False)
        self.not_ours.setFocus()

    def reason(self) -> str:
        return "not_ours" if self.not_ours.isChecked() else "outside_area" if self.outside.isChecked() else ""

    def _check(self) -> None:
        if not self.reason():
            self.show_error(self.tr("Choose why it goes back."))
        elif self.reason() == "not_ours" and not self.whose.text().strip():
            self.show_error(self.tr("Say whose matter it is."))
        else:
            super()._check()


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


class WorkOrdersPage(QWidget):
    """The department's open orders beside the chosen one in full, with its actions."""

    loaded = Signal()
    dialog_opened = Signal(object)  # the action's dialog (tests drive it)
    written = Signal(object)  # the request id whose step was written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("orders_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        root.addWidget(self.heading)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = WorkOrdersModel(self)
        self.view = QTableView()
        self.view.setObjectName("work_orders")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        # the deadline and the address first, whole; at a large text size the rest scrolls sideways
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        split.addWidget(self.view)
        side = QWidget()
        slay = QVBoxLayout(side)
        slay.setContentsMargins(0, 0, 0, 0)
        self.detail = QLabel()
        self.detail.setObjectName("order_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        slay.addWidget(self.detail, 1)
        self.error = error_label("order_error")
        slay.addWidget(self.error)
        buttons = QGridLayout()  # two by two: the order's text keeps the width at a large text size
        self.sign_button = QPushButton(self.tr("&Sign for it"))
        self.progress_button = QPushButton(self.tr("&Progress note…"))
        self.close_button = QPushButton(self.tr("&Close as done…"))
        self.bounce_button = QPushButton(self.tr("Send &back…"))
        for i, (button, step) in enumerate(
            (
                (self.sign_button, "sign"),
                (self.progress_button, "progress"),
                (self.close_button, "close"),
                (self.bounce_button, "bounce"),
            )
        ):
            button.setObjectName(f"order_{step}")
            button.clicked.connect(lambda _=False, step=step: self.act(step))
            buttons.addWidget(button, i // 2, i % 2)
        slay.addLayout(buttons)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([3000, 2000])  # scaled to the real width: three fifths for the list
        split.setChildrenCollapsible(False)
        root.addWidget(split, 1)
        self.empty = QLabel(self.tr("No open work order. Sync to fetch new ones."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        root.addWidget(self.empty)
        # the letters act on the current order when the list has the focus (S, P, C, B)
        for key, step in (("S", "sign"), ("P", "progress"), ("C", "close"), ("B", "bounce")):
            shortcut = QShortcut(QKeySequence(key), self.view, lambda step=step: self.act(step))
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        ctx.events.data_changed.connect(self.refresh)
        ctx.events.outbox_changed.connect(self.refresh)
        self._update_buttons(None)

    def refresh(self) -> None:
        reader = self.ctx.reader
        self.ctx.tasks.read(lambda: work_orders(reader.connection()), self._on_loaded, owner=self)

    def _on_loaded(self, rows: list[WorkOrderRow]) -> None:
        current = self.current()
        keep = current.id if current else None
        now = utc_now()
        self.model.set_rows(rows, now)
        late = sum(1 for o in rows if o.overdue(now))
        self.heading.setText(
            self.tr("Open work orders: %1, overdue: %2").replace("%1", str(len(rows))).replace("%2", str(late))
        )
        self.empty.setVisible(not rows)
        target = next((i for i, o in enumerate(rows) if o.id == keep), 0)
        if rows:
            self.view.setCurrentIndex(self.model.index(target, WorkOrdersModel.COL_ADDRESS))
        self._show_detail()
        self.loaded.emit()

    def current(self) -> WorkOrderRow | None:
        index = self.view.currentIndex()
        record = index.data(RECORD) if index.isValid() else None
        return record if isinstance(record, WorkOrderRow) else None

    def _show_detail(self) -> None:
        o = self.current()
        self.error.hide()
        self._update_buttons(o)
        if o is None:
            self.detail.clear()
            return
        now = self.model.now
        lines = [
            f"<b>{html.escape(labels.category(o.category))}</b>　{html.escape(labels.urgency(o.urgency))}"
            f"　{html.escape(status_text(o.status))}",
            html.escape(self.tr("Address: %1").replace("%1", o.address)),
            html.escape(
                self.tr("Contact: %1").replace("%1", f"{o.contact_name} {mask_phone(o.contact_phone)}".strip() or "—")
            ),
        ]
        if o.dispatched_at:
            lines.append(html.escape(self.tr("Dispatched %1").replace("%1", local_time(o.dispatched_at))))
        due = deadline_html(o.status, o.deadline_at, now, o.overdue(now))
        if due:
            lines.append(due)
        if o.bounces or o.reopens:
            lines.append(
                html.escape(
                    self.tr("Sent back %1 time(s), reopened %2 time(s)")
                    .replace("%1", str(o.bounces))
                    .replace("%2", str(o.reopens))
                )
            )
        if o.pending_step:
            lines.append(html.escape(self.tr("%1: waiting to sync").replace("%1", step_text(o.pending_step))))
        description = html.escape(o.description).replace("\n", "<br>")
        self.detail.setText("<br>".join(lines) + f"<p>{description}</p>" + history_html(o.events))

    def _update_buttons(self, o: WorkOrderRow | None) -> None:
        free = o is not None and not o.pending_step
        status = o.status if o is not None else ""
        self.sign_button.setEnabled(free and status in ("dispatched", "assigned"))
        self.progress_button.setEnabled(free and status in ("signed", "in_progress"))
        self.close_button.setEnabled(free and status in ("signed", "in_progress"))
        self.bounce_button.setEnabled(free and status in ("dispatched", "signed", "assigned", "in_progress"))

    def act(self, step: str) -> QDialog | None:
        """Take ``step`` on the current order: 签收 at once, the others through their dialog."""
        o = self.current()
        if o is None:
            return None
        if step == "sign":
            self._write(o, "sign", "", StepExtras())
            return None
        dialog: NoteDialog
        if step == "bounce":
            dialog = BounceDialog(self)
        elif step == "close":
            dialog = NoteDialog(self.tr("Close as done"), self.tr("What was done:"), True, self)
        else:
            dialog = NoteDialog(self.tr("Progress note"), self.tr("What has been done so far:"), True, self)
        dialog.setObjectName(f"dialog_{step}")

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                extras = StepExtras()
                if isinstance(dialog, BounceDialog):
                    extras = StepExtras(reason=dialog.reason(), whose=dialog.whose.text().strip())
                self._write(o, step, dialog.text(), extras)
            self.view.setFocus()

        dialog.finished.connect(finished)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _write(self, o: WorkOrderRow, step: str, note: str, extras: StepExtras) -> None:
        ctx = self.ctx

        def done(_event: object) -> None:
            ctx.events.outbox_changed.emit()
            self.written.emit(o.id)

        def failed(error: Exception) -> None:
            if isinstance(error, ValidationError):
                self.error.setText(error_text(error))
                self.error.show()

        ctx.tasks.write(lambda: ctx.store.request_step(o.id, step, note, extras), done, failed, owner=self)
