"""A step of a resident request taken from the requests board (gridworker_shared.domain.request_flow):
受理, 即办, 派单 (department picker, the deadline the category gives shown), 延期 (days and reason),
改派 (another department), 合并 (into an earlier request of the same household or address) and
电话回访 (the resident's two answers, one keystroke each). The dialog sends the step itself through
the store's request services and stays open with the error when it is refused: nothing is written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.board_reads import BoardRow, Department
from gridworker.store.services.requests import StepExtras
from gridworker.ui import labels as common
from gridworker.ui.forms import error_label
from gridworker.ui.i18n import error_text
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.request_flow import MAX_NOTE, deadline
from gridworker_shared.domain.validation import ValidationError

# (step, note, extras, on_done, on_error): queue the step on the writer thread
Submit = Callable[[str, str, StepExtras, Callable[[object], None], Callable[[Exception], None]], None]

TITLES = {
    "accept": QT_TRANSLATE_NOOP("requests", "Accept the request (受理)"),
    "on_spot": QT_TRANSLATE_NOOP("requests", "Resolved on the spot (即办)"),
    "dispatch": QT_TRANSLATE_NOOP("requests", "Dispatch to a department (派单)"),
    "extend": QT_TRANSLATE_NOOP("requests", "Extend the deadline (延期)"),
    "reassign": QT_TRANSLATE_NOOP("requests", "Reassign to another department (改派)"),
    "merge": QT_TRANSLATE_NOOP("requests", "Merge into an earlier request (合并)"),
    "callback": QT_TRANSLATE_NOOP("requests", "Call-back by phone (电话回访)"),
}
NOTE_HINTS = {
    "accept": QT_TRANSLATE_NOOP("requests", "A note for the record (optional)"),
    "on_spot": QT_TRANSLATE_NOOP("requests", "What was done on the spot (required)"),
    "dispatch": QT_TRANSLATE_NOOP("requests", "What the department should know (optional)"),
    "extend": QT_TRANSLATE_NOOP("requests", "Why the deadline is extended (required)"),
    "reassign": QT_TRANSLATE_NOOP("requests", "Why it goes to another department (required)"),
    "merge": QT_TRANSLATE_NOOP("requests", "A note for the record (optional)"),
    "callback": QT_TRANSLATE_NOOP("requests", "What the resident said (optional)"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


class StepDialog(QDialog):
    """One step of one request."""

    def __init__(
        self,
        step: str,
        row: BoardRow,
        submit: Submit,
        departments: list[Department],
        merge_targets: list[BoardRow] | None = None,
        deadline_days: dict[str, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.step = step
        self.row = row
        self._submit = submit
        self._deadline_days = deadline_days or {}
        self.setObjectName(f"request_{step}_dialog")
        self.setWindowTitle(_tr(TITLES[step]))
        layout = QVBoxLayout(self)
        heading = QLabel(self._heading(row))
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.department = QComboBox()
        self.department.setObjectName("request_department")
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("request_deadline")
        self.days = QSpinBox()
        self.days.setObjectName("request_days")
        self.days.setRange(1, 365)
        self.days.setValue(3)
        self.target = QComboBox()
        self.target.setObjectName("request_merge_target")
        self.resolved_group = QButtonGroup(self)
        self.satisfaction_group = QButtonGroup(self)
        if step in ("dispatch", "reassign"):
            self._department_rows(form, departments)
        elif step == "extend":
            form.addRow(QCoreApplication.translate("requests", "&Days:"), self.days)
            current = common.local_datetime(row.deadline_at) if row.deadline_at else "—"
            form.addRow(QCoreApplication.translate("requests", "Deadline now:"), QLabel(current))
        elif step == "merge":
            for t in merge_targets or []:
                text = " · ".join(
                    p for p in (common.local_datetime(t.created_at), common.category(t.category), t.description) if p
                )
                self.target.addItem(text, t.id.hex)
            self.target.setEnabled(self.target.count() > 0)
            form.addRow(QCoreApplication.translate("requests", "&Into:"), self.target)
        elif step == "callback":
            self._callback_rows(form)
        self.note = QPlainTextEdit()
        self.note.setObjectName("request_note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(_tr(NOTE_HINTS[step]))
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 3 + 12)
        note_label = QLabel(QCoreApplication.translate("requests", "&Note:"))
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        layout.addLayout(form)
        self.error = error_label("request_error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("request_step_ok")
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    @staticmethod
    def _heading(row: BoardRow) -> str:
        return " · ".join(
            p
            for p in (
                common.local_datetime(row.created_at),
                common.long_address(row.compound, row.building, row.unit, row.room),
                common.category(row.category),
                row.description,
            )
            if p
        )

    def _department_rows(self, form: QFormLayout, departments: list[Department]) -> None:
        self.department.addItem(QCoreApplication.translate("requests", "Choose a department…"), None)
        for d in departments:
            if d.id != self.row.department_id or self.step == "dispatch":
                self.department.addItem(d.name, d.id.hex)
        self.department.currentIndexChanged.connect(self._show_deadline)
        form.addRow(QCoreApplication.translate("requests", "&Department:"), self.department)
        form.addRow(QCoreApplication.translate("requests", "Deadline:"), self.deadline_label)
        self._show_deadline()

    def _show_deadline(self, *_: object) -> None:
        """The deadline the category gives from now (the clock starts at 派单)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        due = deadline(now, self.row.category, self._deadline_days)
        days = (due - now).days
        self.deadline_label.setText(
            QCoreApplication.translate("requests", "%1 (%2 days, %3)")
            .replace("%1", common.local_datetime(due))
            .replace("%2", str(days))
            .replace("%3", common.category(self.row.category))
        )

    def _callback_rows(self, form: QFormLayout) -> None:
        resolved = QHBoxLayout()
        for value, text in (
            (1, QCoreApplication.translate("requests", "&Yes")),
            (0, QCoreApplication.translate("requests", "N&o")),
        ):
            button = QRadioButton(text)
            button.setObjectName(f"request_resolved_{'yes' if value else 'no'}")
            self.resolved_group.addButton(button, value)
            resolved.addWidget(button)
        resolved.addStretch(1)
        form.addRow(QCoreApplication.translate("requests", "Resolved?"), resolved)
        satisfied = QHBoxLayout()
        for value, (code, text) in enumerate(
            (
                ("satisfied", QCoreApplication.translate("requests", "&Satisfied")),
                ("basic", QCoreApplication.translate("requests", "&Basically satisfied")),
                ("dissatisfied", QCoreApplication.translate("requests", "&Dissatisfied")),
            )
        ):
            button = QRadioButton(text)
            button.setObjectName(f"request_satisfaction_{code}")
            self.satisfaction_group.addButton(button, value)
            satisfied.addWidget(button)
        satisfied.addStretch(1)
        form.addRow(QCoreApplication.translate("requests", "Satisfied?"), satisfied)

    def extras(self) -> StepExtras:
        department = self.department.currentData()
        target = self.target.currentData()
        resolved_id = self.resolved_group.checkedId()
        satisfaction_id = self.satisfaction_group.checkedId()
        return StepExtras(
            department_id=uuid.UUID(hex=department) if isinstance(department, str) else None,
            merge_into=uuid.UUID(hex=target) if isinstance(target, str) else None,
            resolved=None if resolved_id < 0 else bool(resolved_id),
            satisfaction=("satisfied", "basic", "dissatisfied")[satisfaction_id] if satisfaction_id >= 0 else "",
            days=self.days.value() if self.step == "extend" else None,
        )

    def send(self) -> None:
        note = self.note.toPlainText()
        if len(note) > MAX_NOTE:
            self._refused(ValidationError("note", "A note holds at most 500 characters."))
            return
        self.error.hide()
        self.ok_button.setEnabled(False)
        self._submit(self.step, note, self.extras(), lambda _: self.accept(), self._refused)

    def _refused(self, error: Exception) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.error.setText(error_text(error))
        else:
            self.error.setText(str(error))
        self.error.show()


__all__ = ["TITLES", "StepDialog", "Submit"]
