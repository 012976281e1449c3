"""The sign-in screen: server address, user name, password. The sign-in runs off the GUI thread; what went
wrong is said in the dialog itself, in words a grid worker can act on, with the server's own message."""

from __future__ import annotations

import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
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
from gridworker.ui.new_password import PasswordCall
from gridworker.ui.sync import SignInCall, password_call
from gridworker.ui.widgets import HeadingLabel
from gridworker_shared.domain.usernames import normalize_username

log = logging.getLogger(__name__)


def normalise_server(text: str) -> str:
    """What people type (``grid.example.cn``, with a trailing slash) as a URL; https unless they said."""
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url
    return url


def sign_in_error_text(exc: Exception, server_url: str) -> str:
    """Why signing in failed, and what to do about it; the server's words follow where it gave some."""
    from gridworker.syncing.transport import (
        BusyError,
        NotOurServerError,
        NotPossibleError,
        OfflineError,
        SignInNeededError,
        SyncError,
        UpdateNeededError,
    )

    server_words = True
    if isinstance(exc, SignInNeededError):
        if exc.code == "bad_credentials":
            head = QCoreApplication.translate("SignInDialog", "The user name or password is wrong.")
        else:
            head = QCoreApplication.translate("SignInDialog", "The server did not accept this sign-in.")
    elif isinstance(exc, BusyError):
        if exc.code == "too_many_attempts":
            head = QCoreApplication.translate("SignInDialog", "Too many failed attempts. Wait a while, then try again.")
        else:
            head = QCoreApplication.translate("SignInDialog", "The server is busy. Try again in a moment.")
    elif isinstance(exc, OfflineError):
        head = QCoreApplication.translate(
            "SignInDialog",
            "Cannot reach the server at %1. Check the address, and that this laptop is connected to the network.",
        ).replace("%1", server_url)
        server_words = False  # the connection's technical detail helps nobody here
    elif isinstance(exc, NotOurServerError):
        head = QCoreApplication.translate(
            "SignInDialog",
            "%1 is not a Gridworker server. On a public or hotel Wi-Fi, open a web page first and sign in to "
            "the network, then try again.",
        ).replace("%1", server_url)
        server_words = False
    elif isinstance(exc, UpdateNeededError):
        head = QCoreApplication.translate(
            "SignInDialog", "This version of Gridworker cannot sign in to this server. Install the update first."
        )
    elif isinstance(exc, NotPossibleError):
        head = QCoreApplication.translate("SignInDialog", "Signing in is not possible here.")
    elif isinstance(exc, SyncError):
        head = QCoreApplication.translate("SignInDialog", "The server could not sign you in. Try again later.")
    else:
        log.error("sign-in failed", exc_info=exc)
        return QCoreApplication.translate(
            "SignInDialog", "Something went wrong; nothing was lost. Details were written to the log."
        )
    words = server_message(exc.code, exc.detail, exc.message) if server_words and exc.message != exc.code else ""
    if words and exc.code in ("bad_credentials", "too_many_attempts"):
        return words  # the server says exactly this, and how long to wait
    return f"{head}\n{words}" if words and words != head else head


class SignInDialog(QDialog):
    """First sign-in on this laptop, or signing in again (``again``: same worker, user name locked)."""

    signed_in = Signal(object)  # the server's LoginResponse

    def __init__(
        self,
        sign_in: SignInCall,
        server_url: str = "",
        username: str = "",
        *,
        again: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_dialog")
        self._sign_in = sign_in
        self.answer: Any = None
        self.busy = False
        self.setWindowTitle(self.tr("Sign in again") if again else self.tr("Sign in to Gridworker"))
        root = QVBoxLayout(self)
        heading = HeadingLabel(self.tr("Sign in again") if again else self.tr("Sign in"), factor=1.3)
        root.addWidget(heading)
        intro = QLabel(
            self.tr(
                "The server asks you to sign in again. Everything you recorded is still on this laptop; "
                "what is unsent goes out as soon as you are signed in."
            )
            if again
            else self.tr(
                "Sign in with the account your office gave you. You sign in once on this laptop: after that "
                "Gridworker opens straight away, works without a network and syncs whenever it can."
            )
        )
        intro.setWordWrap(True)
        root.addWidget(intro)

        form = QFormLayout()
        self.server = QLineEdit(server_url)
        self.server.setObjectName("server_url")
        self.server.setPlaceholderText("https://grid.example.gov.cn")
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self._locked = again and bool(username)  # signing in again is for the same worker
        self.username.setEnabled(not self._locked)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&Server address"), self.server)
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        root.addLayout(form)

        self.error = error_label("sign_in_error")
        root.addWidget(self.error)
        self.working = QLabel(self.tr("Signing in…"))
        self.working.setObjectName("sign_in_working")
        self.working.setStyleSheet("color: #555;")
        self.working.hide()
        root.addWidget(self.working)
        root.addStretch()

        buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton(self.tr("Sign &in"))
        self.sign_in_button.setObjectName("sign_in")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.submit)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        root.addWidget(buttons)

        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 44)
        first_empty = next((w for w in (self.server, self.username, self.password) if not w.text()), self.password)
        first_empty.setFocus()

    def server_url(self) -> str:
        return normalise_server(self.server.text())

    def user_name(self) -> str:
        """The name in its normal form, as the server compares it (and names the local database)."""
        return normalize_username(self.username.text())

    def submit(self) -> None:
        if self.busy:
            return
        empty = [w for w in (self.server, self.username, self.password) if not w.text().strip()]
        if empty:
            self.show_error(self.tr("Enter the server address, your user name and your password."))
            empty[0].setFocus()
            return
        self.server.setText(self.server_url())
        self._set_busy(True)
        self.error.hide()
        self._sign_in(self.server_url(), self.user_name(), self.password.text(), self._on_done, self._on_error)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.working.setVisible(busy)
        for w in (self.server, self.password, self.sign_in_button):
            w.setEnabled(not busy)
        self.username.setEnabled(not busy and not self._locked)

    def _on_done(self, answer: Any) -> None:
        if not shiboken6.isValid(self) or not self.isVisible():
            return  # closed while the server answered
        self._set_busy(False)
        self.answer = answer
        change = password_call(self._sign_in, self.server_url(), self.user_name())
        if getattr(answer, "must_change_password", False) and change is not None:
            self._ask_new_password(change)
            return
        self.signed_in.emit(answer)
        self.accept()

    # -- the first sign-in with an initial password: the worker sets their own before syncing --------

    def _ask_new_password(self, change: PasswordCall) -> None:
        from gridworker.ui.new_password import NewPasswordDialog

        self._set_busy(True)
        self.working.hide()
        dialog = NewPasswordDialog(change, self.password.text(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._password_set)
        dialog.rejected.connect(self._password_not_set)
        self.new_password_dialog = dialog
        dialog.open()

    def _password_set(self) -> None:
        self._set_busy(False)
        self.signed_in.emit(self.answer)
        self.accept()

    def _password_not_set(self) -> None:
        self._set_busy(False)
        self.show_error(self.tr("Set your own password to finish signing in: Gridworker cannot sync until then."))

    def _on_error(self, exc: Exception) -> None:
        if not shiboken6.isValid(self) or not self.isVisible():
            return
        self._set_busy(False)
        self.show_error(sign_in_error_text(exc, self.server_url()))
        code = getattr(exc, "code", "")
        if code == "bad_credentials":
            self.password.selectAll()
            self.password.setFocus()
        elif code in ("offline", "not_our_server"):
            self.server.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """The dialog grows to hold the message at its width (a wrapped label asks for height only
        once the width is known, and a shown dialog does not grow by itself): the fields keep theirs."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)
