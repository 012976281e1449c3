"""The PIN on screen: setting one (twice, with its rules), typing it to unlock (at start-up, and on the
lock screen: gridworker.ui.lock), and after five wrong PINs the password sign-in to the server that lets
the user set a new one (offline: the growing delay, counted down).

The key derivation runs off the GUI thread (a busy line says so); the rules are gridworker.ui.pin_gate's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.keys import MAX_PIN, MIN_PIN, WrongPinError, check_pin
from gridworker.ui.forms import error_label
from gridworker.ui.pin_gate import MAX_TRIES, PinGate, TooEarlyError
from gridworker.ui.tasks import BackgroundTasks
from gridworker.ui.widgets import HeadingLabel

log = logging.getLogger(__name__)

# the password typed after five wrong PINs -> the device's recovery secret (blocking; a SyncError if not)
Recover = Callable[[str], bytes]


def pin_rule_text(code: str) -> str:
    """What keys.check_pin's code means, in words the user can act on."""
    if code == "pin_length":
        return QCoreApplication.translate("pin", "A PIN has {min} to {max} characters.").format(
            min=MIN_PIN, max=MAX_PIN
        )
    if code == "pin_too_simple":
        return QCoreApplication.translate(
            "pin", "This PIN is too easy to guess (one digit repeated, or digits in a row). Choose another."
        )
    return QCoreApplication.translate("pin", "This PIN cannot be used. Choose another.")


def wait_text(seconds: float) -> str:
    whole = max(1, int(seconds + 0.999))
    return QCoreApplication.translate("pin", "You can try a PIN again in {time}.").format(
        time=f"{whole // 60}:{whole % 60:02d}"
    )


def pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PIN)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance("M") * 16)
    return field


def fit_height(dialog: QWidget) -> None:
    """The dialog grows to hold its wrapped lines at its width (a shown dialog does not by itself)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


class FittingDialog(QDialog):
    """A dialog of wrapped text that grows when a message appears in it."""

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show):
            fit_height(self)
        return handled


def busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)  # busy, for as long as it takes
    bar.setTextVisible(False)
    bar.setMaximumHeight(bar.fontMetrics().height() // 2 + 2)
    bar.hide()
    return bar


class SetPinDialog(FittingDialog):
    """A new PIN, typed twice and checked against the rules; ``apply(pin)`` runs off the GUI thread (the
    key file written, a plain database encrypted) and the dialog closes once it returned (``result``)."""

    def __init__(
        self,
        apply: Callable[[str], Any],
        *,
        converting: bool = False,
        recovering: bool = False,
        can_remember: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("set_pin_dialog")
        self._apply = apply
        self.result_value: Any = None
        self.busy = False
        self._runner = BackgroundTasks("gw-pin", self)
        title = self.tr("Set a new PIN") if recovering else self.tr("Set your PIN")
        self.setWindowTitle(title)
        root = QVBoxLayout(self)
        root.addWidget(HeadingLabel(title, factor=1.3))
        if recovering:
            text = self.tr("You signed in with your password. Choose a new PIN for this laptop.")
        else:
            text = self.tr(
                "The residents' data on this laptop is locked with a PIN that only you know. You type it when "
                "Gridworker starts and after it locked itself. Use {min} or more digits or letters."
            ).format(min=MIN_PIN)
        intro = QLabel(text)
        intro.setWordWrap(True)
        root.addWidget(intro)
        form = QFormLayout()
        self.pin = pin_field("new_pin")
        self.repeat = pin_field("repeat_pin")
        form.addRow(self.tr("&PIN"), self.pin)
        form.addRow(self.tr("&Repeat it"), self.repeat)
        root.addLayout(form)
        self.remember = QCheckBox(self.tr("Re&member my PIN until this laptop restarts"))
        self.remember.setObjectName("remember_pin")
        self.remember.setVisible(can_remember)
        root.addWidget(self.remember)
        self.error = error_label("set_pin_error")
        root.addWidget(self.error)
        self.working = QLabel(
            self.tr(
                "Encrypting the data on this laptop… A large database takes a minute. Keep the laptop on; "
                "if it goes off, nothing is lost."
            )
            if converting
            else self.tr("Setting the PIN…")
        )
        self.working.setObjectName("set_pin_working")
        self.working.setWordWrap(True)
        self.working.hide()
        root.addWidget(self.working)
        self.progress = busy_bar()
        root.addWidget(self.progress)
        root.addStretch()
        buttons = QDialogButtonBox()
        self.ok_button = QPushButton(self.tr("Set &PIN"))
        self.ok_button.setObjectName("set_pin")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        root.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)
        self.pin.setFocus()

    def submit(self) -> None:
        if self.busy:
            return
        pin = self.pin.text()
        problem = check_pin(pin)
        if problem is not None:
            self._refuse(pin_rule_text(problem), self.pin)
            return
        if self.repeat.text() != pin:
            self._refuse(self.tr("The two PINs are not the same. Type the PIN again."), self.repeat)
            return
        self.error.hide()
        self._set_busy(True)
        self._runner.submit(lambda: self._apply(pin), self._done, self._failed)

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.error.setText(text)
        self.error.show()
        field.selectAll()
        field.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.working.setVisible(busy)
        self.progress.setVisible(busy)
        for w in (self.pin, self.repeat, self.remember, self.ok_button, self.cancel_button):
            w.setEnabled(not busy)

    def _done(self, value: Any) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.result_value = value
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        log.error("setting the PIN failed", exc_info=exc)
        self._set_busy(False)
        self.error.setText(self.tr("The PIN could not be set; nothing was changed. Details were written to the log."))
        self.error.show()

    def reject(self) -> None:
        if not self.busy:  # a conversion under way finishes (it is crash-safe, but not to be abandoned)
            super().reject()

    def done(self, code: int) -> None:
        self._runner.shutdown(0)
        super().done(code)


class ConvertDialog(FittingDialog):
    """A plain database encrypted (``convert`` off the GUI thread), with a busy bar; accepted once done."""

    def __init__(self, convert: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("convert_dialog")
        self.setWindowTitle(self.tr("Encrypting your data"))
        self.busy = True
        root = QVBoxLayout(self)
        root.addWidget(HeadingLabel(self.tr("Encrypting your data"), factor=1.3))
        text = QLabel(
            self.tr(
                "Encrypting the data on this laptop… A large database takes a minute. Keep the laptop on; "
                "if it goes off, nothing is lost."
            )
        )
        text.setWordWrap(True)
        root.addWidget(text)
        self.progress = busy_bar()
        self.progress.show()
        root.addWidget(self.progress)
        self.error = error_label("convert_error")
        root.addWidget(self.error)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)
        self._runner = BackgroundTasks("gw-convert", self)
        self._runner.submit(convert, self._done, self._failed)

    def _done(self, _: None) -> None:
        if shiboken6.isValid(self):
            self.busy = False
            self.accept()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        log.error("encrypting the database failed", exc_info=exc)
        self.busy = False
        self.progress.hide()
        self.error.setText(
            self.tr("The data could not be encrypted; it is as it was. Details were written to the log.")
        )
        self.error.show()

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def done(self, code: int) -> None:
        self._runner.shutdown(0)
        super().done(code)


class PinPanel(QWidget):
    """The PIN field with its busy line, wrong PINs and countdown, and after five wrong PINs the password
    sign-in. Shared by the start-up unlock and the lock screen. ``unlocked`` carries the data key."""

    unlocked = Signal(bytes)

    def __init__(
        self,
        gate: PinGate,
        *,
        who: str = "",
        hint: str = "",
        recover: Recover | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pin_panel")
        self.gate = gate
        self._recover = recover
        self.busy = False
        self._runner = BackgroundTasks("gw-pin", self)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.who = QLabel(
            self.tr("Enter the PIN of {user} to continue.").format(user=who) if who else self.tr("Enter your PIN.")
        )
        self.who.setWordWrap(True)
        root.addWidget(self.who)
        self.pin = pin_field("pin")
        self.pin.returnPressed.connect(self.submit)
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.clicked.connect(self.submit)
        form = QFormLayout()
        form.addRow(self.tr("&PIN"), self.pin)
        form.addRow("", self.unlock_button)
        root.addLayout(form)
        self.hint = QLabel(hint)
        self.hint.setObjectName("pin_hint")
        self.hint.setStyleSheet("color: #555;")
        self.hint.setVisible(bool(hint))
        root.addWidget(self.hint)
        self.error = error_label("pin_error")
        root.addWidget(self.error)
        self.working = QLabel(self.tr("Checking the PIN…"))
        self.working.setObjectName("pin_working")
        self.working.hide()
        root.addWidget(self.working)
        self.progress = busy_bar()
        root.addWidget(self.progress)
        self.countdown = QLabel()
        self.countdown.setObjectName("pin_countdown")
        self.countdown.hide()
        root.addWidget(self.countdown)
        root.addWidget(self._password_box())
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.refresh)
        self.refresh()

    def _password_box(self) -> QWidget:
        self.password_box = box = QWidget()
        box.setObjectName("password_box")
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 8, 0, 0)
        text = QLabel(
            self.tr(
                "The PIN was wrong {n} times. Sign in with your password to set a new PIN. Without a network, "
                "you can try the PIN again after a wait that grows with every wrong PIN."
            ).format(n=MAX_TRIES)
            if self._recover is not None
            else self.tr(
                "The PIN was wrong {n} times. You can try it again after a wait that grows with every wrong PIN."
            ).format(n=MAX_TRIES)
        )
        text.setWordWrap(True)
        column.addWidget(text)
        self.password = QLineEdit()
        self.password.setObjectName("recovery_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.submit_password)
        self.password_button = QPushButton(self.tr("Sign &in with password"))
        self.password_button.setObjectName("recover")
        self.password_button.clicked.connect(self.submit_password)
        form = QFormLayout()
        form.addRow(self.tr("Pass&word"), self.password)
        form.addRow("", self.password_button)
        self.password.setVisible(self._recover is not None)
        self.password_button.setVisible(self._recover is not None)
        column.addLayout(form)
        box.hide()
        return box

    # -- state -----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The countdown and what may be typed, from the key file's count and the clock."""
        left = self.gate.delay_left()
        self.password_box.setVisible(self.gate.locked_out)
        self.countdown.setVisible(left > 0)
        if left > 0:
            self.countdown.setText(wait_text(left))
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._tick.stop()
        waiting = left > 0 or self.busy
        self.pin.setEnabled(not waiting)
        self.unlock_button.setEnabled(not waiting)
        self.password.setEnabled(not self.busy)
        self.password_button.setEnabled(not self.busy)

    def focus_field(self) -> None:
        target = self.pin if self.pin.isEnabled() else self.password
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.working.setText(text or self.tr("Checking the PIN…"))
        self.working.setVisible(busy)
        self.progress.setVisible(busy)
        self.refresh()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- the PIN ---------------------------------------------------------------------------------------

    def submit(self) -> None:
        if self.busy or self.gate.delay_left() > 0:
            return
        pin = self.pin.text()
        if not pin:
            self._show_error(self.tr("Type your PIN."))
            return
        self._show_error("")
        self._set_busy(True)
        gate = self.gate
        self._runner.submit(lambda: gate.try_pin(pin), self._pin_ok, self._pin_failed)

    def _pin_ok(self, key: bytes) -> None:
        if not shiboken6.isValid(self):
            return
        self.pin.clear()
        self._set_busy(False)
        self.unlocked.emit(key)

    def _pin_failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.pin.clear()
        self._set_busy(False)
        if isinstance(exc, WrongPinError):
            left = MAX_TRIES - self.gate.failures
            if left > 0:
                self._show_error(
                    self.tr("Wrong PIN. %n more tries before you must sign in with your password.", "", left)
                )
            else:
                self._show_error(self.tr("Wrong PIN."))
        elif isinstance(exc, TooEarlyError):
            self._show_error("")
        else:
            log.error("unlocking failed", exc_info=exc)
            self._show_error(self.tr("The PIN could not be checked: the key file is damaged. See the log."))
        self.refresh()
        self.focus_field()

    # -- five wrong PINs: the password ---------------------------------------------------------------

    def submit_password(self) -> None:
        if self.busy or self._recover is None:
            return
        password = self.password.text()
        if not password:
            self._show_error(self.tr("Type your password."))
            return
        self._show_error("")
        self._set_busy(True, self.tr("Signing in…"))
        recover = self._recover
        self._runner.submit(lambda: recover(password), self._recovered, self._recover_failed)

    def _recover_failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        from gridworker.ui.sign_in import sign_in_error_text

        self._set_busy(False)
        self._show_error(sign_in_error_text(exc, ""))
        self.password.selectAll()
        self.password.setFocus()

    def _recovered(self, secret: bytes) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.password.clear()
        gate = self.gate
        dialog = SetPinDialog(lambda pin: gate.recover(secret, pin), recovering=True, parent=self.window())
        dialog.setProperty("gw_lock_ui", True)  # the lock screen's own: never covered, takes input
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._new_pin_set(dialog.result_value))
        dialog.rejected.connect(
            lambda: self._show_error(self.tr("Set a new PIN to unlock: sign in with your password again."))
        )
        self.new_pin_dialog = dialog
        dialog.open()

    def _new_pin_set(self, key: bytes) -> None:
        if not shiboken6.isValid(self):
            return
        self.refresh()
        self.unlocked.emit(key)

    def shutdown(self) -> None:
        self._tick.stop()
        self._runner.shutdown(0)


class UnlockDialog(FittingDialog):
    """At start-up, before the database opens: the PIN (``key`` once unlocked)."""

    def __init__(
        self,
        gate: PinGate,
        *,
        who: str = "",
        hint: str = "",
        recover: Recover | None = None,
        can_remember: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unlock_dialog")
        self.key: bytes | None = None
        self.setWindowTitle(self.tr("Unlock Gridworker"))
        root = QVBoxLayout(self)
        root.addWidget(HeadingLabel(self.tr("Unlock Gridworker"), factor=1.3))
        self.panel = PinPanel(gate, who=who, hint=hint, recover=recover)
        self.panel.unlocked.connect(self._unlocked)
        root.addWidget(self.panel)
        self.remember = QCheckBox(self.tr("Re&member my PIN until this laptop restarts"))
        self.remember.setObjectName("remember_pin")
        self.remember.setVisible(can_remember)
        root.addWidget(self.remember)
        root.addStretch()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)
        self.panel.focus_field()

    def _unlocked(self, key: bytes) -> None:
        self.key = key
        self.accept()

    def done(self, code: int) -> None:
        self.panel.shutdown()
        super().done(code)
