"""The first sign-in with an initial password (a bulk import's, handed out by the street office): the
worker sets their own before the laptop syncs. The server refuses sync until then
(``password_change_required``); the change runs off the GUI thread (``POST /v1/auth/password``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.ui.forms import error_label
from gridworker.ui.i18n import server_message
from gridworker.ui.widgets import HeadingLabel

MIN_PASSWORD = 8

# (old password, new password, on_done, on_error): answers on the GUI thread
PasswordCall = Callable[[str, str, Callable[[Any], None], Callable[[Exception], None]], None]


class NewPasswordDialog(QDialog):
    """Two fields, the new password and the same again; accepted once the server took it."""

    def __init__(self, change: PasswordCall, old_password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_password_dialog")
        self._change = change
        self._old = old_password
        self.busy = False
        self.setWindowTitle(self.tr("Set your own password"))
        root = QVBoxLayout(self)
        root.addWidget(HeadingLabel(self.tr("Set your own password"), factor=1.3))
        intro = QLabel(
            self.tr(
                "You signed in with the password your office gave you. Choose your own now (at least {n} "
                "characters); Gridworker syncs once it is set."
            ).format(n=MIN_PASSWORD)
        )
        intro.setWordWrap(True)
        root.addWidget(intro)
        form = QFormLayout()
        self.new = QLineEdit()
        self.new.setObjectName("new_password")
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeat_password")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&New password"), self.new)
        form.addRow(self.tr("&Repeat it"), self.repeat)
        root.addLayout(form)
        self.error = error_label("new_password_error")
        root.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("&Set password"))
        self.save_button.setObjectName("set_password")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        root.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        self.new.setFocus()

    def submit(self) -> None:
        if self.busy:
            return
        new = self.new.text()
        if len(new) < MIN_PASSWORD:
            self._show(self.tr("The password needs at least {n} characters.").format(n=MIN_PASSWORD), self.new)
        elif new != self.repeat.text():
            self._show(self.tr("The two passwords differ. Type the same password twice."), self.repeat)
        elif new == self._old:
            self._show(self.tr("Choose a password other than the one your office gave you."), self.new)
        else:
            self._set_busy(True)
            self.error.hide()
            self._change(self._old, new, self._on_done, self._on_error)

    def _show(self, text: str, field: QLineEdit) -> None:
        self.error.setText(text)
        self.error.show()
        field.selectAll()
        field.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.new, self.repeat, self.save_button):
            w.setEnabled(not busy)

    def _on_done(self, _answer: Any) -> None:
        if shiboken6.isValid(self) and self.isVisible():
            self._set_busy(False)
            self.accept()

    def _on_error(self, exc: Exception) -> None:
        if not shiboken6.isValid(self) or not self.isVisible():
            return
        self._set_busy(False)
        code = getattr(exc, "code", "")
        fallback = self.tr("The password could not be set. Try again in a moment.")
        words = server_message(code, getattr(exc, "detail", {}), fallback) if code else fallback
        self._show(words, self.new)
