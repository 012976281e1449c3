"""The review's dialogs: return a visit (a coded reason, a comment, the fields to correct), question it
(a comment), reopen an approved one (a reason). The dialog sends the review itself and stays open with
the error when it is refused: nothing is written then."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gridworker.ui.forms import error_label
from gridworker.ui.i18n import error_text
from gridworker.ui.review import labels
from gridworker_shared.domain.review import MAX_COMMENT, PINNABLE, RETURN_REASONS
from gridworker_shared.domain.validation import ValidationError

# (action, reason, comment, pins, on_done, on_error): queue the review on the writer thread
Submit = Callable[[str, str, str, list[str], Callable[[object], None], Callable[[Exception], None]], None]


class ReviewDialog(QDialog):
    """One review of one visit; ``action`` is return, question or reopen."""

    def __init__(self, action: str, visit_text: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self._submit = submit
        self.setObjectName(f"review_{action}_dialog")
        titles = {
            "return": self.tr("Return the visit for correction"),
            "question": self.tr("Question the visit"),
            "reopen": self.tr("Reopen the approved visit"),
        }
        self.setWindowTitle(titles[action])
        layout = QVBoxLayout(self)
        heading = QLabel(visit_text)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.reason = QComboBox()
        self.reason.setObjectName("review_reason")
        self.reason.addItem(self.tr("Choose a reason…"), "")
        for code in RETURN_REASONS:
            self.reason.addItem(labels.reason(code), code)
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("review_comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText(
            {
                "return": self.tr("What the worker should correct (required for “Other”)"),
                "question": self.tr("What is doubtful (optional)"),
                "reopen": self.tr("Why the approval is withdrawn (required)"),
            }[action]
        )
        self.comment.setFixedHeight(self.comment.fontMetrics().lineSpacing() * 4 + 12)
        self.pins: dict[str, QCheckBox] = {}
        if action == "return":
            form.addRow(self.tr("&Reason:"), self.reason)
            label = QLabel(self.tr("&Comment:"))
            label.setBuddy(self.comment)
            form.addRow(label, self.comment)
            form.addRow(self.tr("Fields to correct:"), self._pin_boxes())
        else:
            label = QLabel(self.tr("&Comment:") if action == "question" else self.tr("&Reason:"))
            label.setBuddy(self.comment)
            form.addRow(label, self.comment)
        layout.addLayout(form)
        self.error = error_label("review_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(labels.action(action))
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        (self.reason if action == "return" else self.comment).setFocus()

    def _pin_boxes(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, code in enumerate(PINNABLE):
            check = QCheckBox(labels.pin(code))
            check.setObjectName(f"pin_{code}")
            self.pins[code] = check
            grid.addWidget(check, i // 3, i % 3)
        return box

    def values(self) -> tuple[str, str, list[str]]:
        reason = str(self.reason.currentData() or "") if self.action == "return" else ""
        pins = [code for code, check in self.pins.items() if check.isChecked()]
        return reason, self.comment.toPlainText().strip(), pins

    def send(self) -> None:
        reason, comment, pins = self.values()
        if len(comment) > MAX_COMMENT:
            self.show_error(self.tr("A comment holds at most %1 characters.").replace("%1", str(MAX_COMMENT)))
            return
        self.error.hide()
        self.buttons.setEnabled(False)
        self._submit(self.action, reason, comment, pins, self._sent, self._refused)

    def _sent(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_error(error_text(error))
        else:
            self.show_error(self.tr("The review could not be saved; nothing was changed."))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # grow to hold the message (else the rows above are squeezed over each other)
        self.adjustSize()
