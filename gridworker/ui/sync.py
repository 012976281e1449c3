"""Sync in the background: the controller that runs the engine on its own thread, and its status in the
window.

The engine (gridworker.syncing) knows nothing of Qt. ``SyncController`` runs it on one daemon thread, one
sync at a time: at start, a few seconds after a local change, every five minutes, and when the user asks.
A failed attempt is tried again after a backoff (the server's Retry-After is a floor) even if nothing new
is recorded meanwhile. The window only ever shows the state; it never pops up a dialog on its own.

Nothing here imports the engine at module level: SQLAlchemy and pydantic load on the sync thread, after the
first screen is up (tests/unit/test_layers.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import platform
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from gridworker.paths import worker_db_path
from gridworker.syncing.credentials import TokenStore
from gridworker.ui.context import AppContext
from gridworker.ui.i18n import server_message
from gridworker.ui.tasks import BackgroundTasks
from gridworker_shared.logsafe import describe

if TYPE_CHECKING:
    from gridworker.syncing.engine import Backoff, SyncEngine, SyncReport
    from gridworker_shared.protocol import LoginResponse

log = logging.getLogger(__name__)
T = TypeVar("T")

DEBOUNCE_MS = 3000  # after a local change: a burst of edits goes out as one sync
PERIOD_MS = 5 * 60 * 1000  # while nothing fails: pick up what the server has for us


class SyncState(enum.Enum):
    IDLE = "idle"  # the last attempt went through (or none yet)
    SYNCING = "syncing"
    RETRYING = "retrying"  # failed; tried again at retry_at
    SIGN_IN_NEEDED = "sign_in_needed"  # no token, or the server refused it (401): only the user can help
    UPDATE_NEEDED = "update_needed"  # 426: this app (or the server) is too old; tried again now and then
    STOPPED = "stopped"  # something only a person can sort out (message says what)


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState = SyncState.IDLE
    last_sync_at: dt.datetime | None = None  # the last sync that went through (aware, UTC)
    done: int = 0
    total: int = 0
    retry_at: dt.datetime | None = None  # aware, local
    offline: bool = False  # RETRYING: no connection (or not our server), rather than a server fault
    message: str = ""  # the server's (or the error's) words


@dataclass(frozen=True)
class _Attempt:
    report: SyncReport | None
    error: Exception | None
    meta: dict[str, str]


def parse_utc(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def clock_text(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """14:05 today; 11-26 14:05 on another day (local time)."""
    local = moment.astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")


def has_signed_in(meta: dict[str, str], tokens: TokenStore) -> bool:
    """This database was signed in to a server and its token is still on this laptop (a sign-out forgets
    it; a token the server refused since is still there, and the window asks to sign in again)."""
    server, user = meta.get("server_url"), meta.get("username")
    return bool(server and user and meta.get("device_id") and tokens.get(server, user))


def sign_in_database(folder: Path, server_url: str, username: str, password: str, tokens: TokenStore) -> Any:
    """Sign ``username``'s own database in (blocking; not on the GUI thread): the first sign-in on this
    laptop, before the window opens. Returns the server's LoginResponse."""
    from gridworker.store.db import Database
    from gridworker.syncing.engine import SyncEngine

    db = Database(worker_db_path(username, folder))
    try:
        return SyncEngine(db, tokens).sign_in(server_url, username, password, device_name=platform.node())
    finally:
        db.close()


# What a sign-in dialog calls: (server, user name, password, on_done, on_error), answers on the GUI thread.
SignInCall = Callable[[str, str, str, Callable[[Any], None], Callable[[Exception], None]], None]
# Setting one's own password after an initial one: (server, user name, old, new, on_done, on_error).
ChangePasswordCall = Callable[[str, str, str, str, Callable[[Any], None], Callable[[Exception], None]], None]


def change_password_database(
    folder: Path, server_url: str, username: str, old: str, new: str, tokens: TokenStore
) -> None:
    """``POST /v1/auth/password`` with the token the sign-in just stored for ``username``'s database."""
    from gridworker.store.db import Database
    from gridworker.syncing.engine import SyncEngine

    db = Database(worker_db_path(username, folder))
    try:
        post_new_password(SyncEngine(db, tokens), old, new)
    finally:
        db.close()


def post_new_password(engine: SyncEngine, old: str, new: str) -> None:
    from gridworker_shared.protocol import PasswordChangeRequest

    engine.transport.post("/v1/auth/password", PasswordChangeRequest(old_password=old, new_password=new))


def password_call(sign_in: SignInCall, server_url: str, username: str) -> Callable[..., None] | None:
    """The password change that goes with a sign-in call (``FirstSignIn`` or ``SyncController.sign_in``),
    as (old, new, on_done, on_error); None for a call that has none."""
    owner = getattr(sign_in, "__self__", sign_in)
    change: ChangePasswordCall | None = getattr(owner, "change_password", None)
    if change is None:
        return None
    return lambda old, new, on_done, on_error: change(server_url, username, old, new, on_done, on_error)


class FirstSignIn(QObject):
    """The sign-in before any database is open: it goes into the database of the user name typed."""

    def __init__(self, folder: Path, tokens: TokenStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.tokens = tokens
        self._runner = BackgroundTasks("gw-sign-in", self)

    def __call__(
        self,
        server_url: str,
        username: str,
        password: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        folder, tokens = self.folder, self.tokens
        self._runner.submit(lambda: sign_in_database(folder, server_url, username, password, tokens), on_done, on_error)

    def change_password(
        self,
        server_url: str,
        username: str,
        old: str,
        new: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        folder, tokens = self.folder, self.tokens
        self._runner.submit(
            lambda: change_password_database(folder, server_url, username, old, new, tokens), on_done, on_error
        )

    def shutdown(self) -> None:
        self._runner.shutdown()


class SyncController(QObject):
    """Owns the sync engine of one worker's database and decides when it runs (see the module's doc)."""

    status_changed = Signal(object)  # SyncStatus
    finished = Signal(object)  # SyncReport of an attempt that went through
    failed = Signal(object)  # the exception of an attempt that failed
    signed_in = Signal(object)  # LoginResponse
    signed_out = Signal()
    # the laptop was revoked as lost or handed over (the mode); what was unsent is sent and the wipe is
    # written down: the app closes the window and the database, finishes the wipe, and says why
    wipe_required = Signal(str)
    _progress = Signal(str, int, int)

    def __init__(
        self,
        ctx: AppContext,
        tokens: TokenStore | None = None,
        *,
        backoff: Backoff | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        period_ms: int = PERIOD_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tokens = tokens or TokenStore(ctx.path.parent.parent)
        self.meta: dict[str, str] = {}
        self.status = SyncStatus()
        self._engine: SyncEngine | None = None
        self._backoff = backoff
        self._runner = BackgroundTasks("gw-sync", self)
        self._running = False
        self._again = False
        self._closed = False
        self._listening = False
        self._debounce = QTimer(self, singleShot=True, interval=debounce_ms)
        self._debounce.timeout.connect(self.request_sync)
        self._period = QTimer(self, interval=period_ms)
        self._period.timeout.connect(self._on_period)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self.sync_now)  # whatever the state: it is the scheduled retry
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    # -- when ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Sync now, then after local changes and every few minutes."""
        self.ctx.events.outbox_changed.connect(self._on_local_change)
        self._listening = True
        self._period.start()
        self.request_sync(force=True)

    def sync_now(self) -> None:
        """The user asked ("Sync now"), or a scheduled retry is due: no waiting, whatever the state."""
        self.request_sync(force=True)

    def request_sync(self, force: bool = False) -> None:
        if self._closed:
            return
        if self._running:
            self._again = True  # a change recorded during this sync goes out right after it
            return
        if not force and self.status.state in (SyncState.SIGN_IN_NEEDED, SyncState.STOPPED):
            return  # trying again cannot help until the user acts
        self._debounce.stop()
        self._retry.stop()
        self._running = True
        self._set(SyncStatus(SyncState.SYNCING, self.status.last_sync_at))
        self._runner.submit(self._attempt, self._on_attempt, self._on_bug)

    def retry_pending(self) -> bool:
        """A retry is scheduled (tests wait for it)."""
        return self._retry.isActive()

    def is_idle(self) -> bool:
        return not self._running and self._runner.is_idle()

    def _on_local_change(self) -> None:
        if self.status.state in (SyncState.IDLE, SyncState.SYNCING):
            self._debounce.start()
        # failing: the scheduled retry sends this change too; waiting for the user: nothing to do

    def _on_period(self) -> None:
        if self.status.state == SyncState.IDLE:
            self.request_sync()

    # -- the sync thread ---------------------------------------------------------------------------

    def _engine_now(self) -> SyncEngine:
        """The engine, made on the sync thread: SQLAlchemy loads there, not in the window."""
        if self._engine is None:
            from gridworker.syncing.engine import SyncEngine

            self._engine = SyncEngine(self.ctx.db, self.tokens, defer_wipe=True)
        return self._engine

    def _attempt(self) -> _Attempt:
        from gridworker.syncing.transport import SignInNeededError

        engine = self._engine_now()
        try:
            if not engine.signed_in():
                meta = engine.meta()
                raise SignInNeededError(meta.get("sign_in_needed") or "not_signed_in")
            report = engine.sync(self._report_progress)
        except Exception as exc:
            if not isinstance(exc, SignInNeededError):
                log.info("sync failed: %s", describe(exc))
            return _Attempt(None, exc, self._meta_or_none(engine))
        return _Attempt(report, None, engine.meta())

    @staticmethod
    def _meta_or_none(engine: SyncEngine) -> dict[str, str]:
        try:
            return engine.meta()
        except Exception:  # the database itself is the trouble: the error says so
            return {}

    def _report_progress(self, phase: str, done: int, total: int) -> None:
        with contextlib.suppress(RuntimeError):  # the controller is gone (the app is closing)
            self._progress.emit(phase, done, total)

    # -- back on the GUI thread --------------------------------------------------------------------

    @property
    def backoff(self) -> Backoff:
        if self._backoff is None:
            from gridworker.syncing.engine import Backoff

            self._backoff = Backoff()
        return self._backoff

    def _on_progress(self, _phase: str, done: int, total: int) -> None:
        if self.status.state == SyncState.SYNCING:
            self._set(replace(self.status, done=done, total=total))

    def _on_attempt(self, attempt: _Attempt) -> None:
        self._running = False
        if attempt.meta:
            self.meta = attempt.meta
        last = parse_utc(self.meta.get("last_sync_at"))
        if attempt.report is not None:
            self.backoff.reset()
            again, self._again = self._again, False
            self._set(SyncStatus(SyncState.IDLE, last))
            report = attempt.report
            if report.pushed or report.pulled_pages:
                self.ctx.events.data_changed.emit()
            self.finished.emit(report)
            if again:
                self.request_sync()
            return
        assert attempt.error is not None
        self._again = False  # the retry sends whatever was recorded meanwhile
        self._failed(attempt.error, last)

    def _on_bug(self, exc: Exception) -> None:
        """The attempt itself broke (the engine could not even start): logged, and tried again later."""
        log.error("sync attempt failed", exc_info=exc)
        self._running = False
        self._again = False
        self._failed(exc, self.status.last_sync_at)

    def _failed(self, exc: Exception, last: dt.datetime | None) -> None:
        from gridworker.syncing.transport import (
            NotOurServerError,
            NotPossibleError,
            OfflineError,
            SignInNeededError,
            SyncError,
            UpdateNeededError,
            WipeRequiredError,
        )

        if isinstance(exc, WipeRequiredError):
            self._closed = True  # no more syncs of this database: it is about to be removed
            self._set(SyncStatus(SyncState.SIGN_IN_NEEDED, last))
            self.failed.emit(exc)
            self.wipe_required.emit(exc.mode)
            return
        said = isinstance(exc, SyncError) and exc.message != exc.code
        message = server_message(exc.code, exc.detail, exc.message) if isinstance(exc, SyncError) and said else ""
        # an initial password not yet changed: signing in again asks for a new one
        if isinstance(exc, SignInNeededError) or getattr(exc, "code", "") == "password_change_required":
            self._set(SyncStatus(SyncState.SIGN_IN_NEEDED, last, message=message))
            self.failed.emit(exc)
            return
        retry_after = exc.retry_after if isinstance(exc, SyncError) else None
        delay = self.backoff.next_delay(retry_after)
        retry_at = dt.datetime.now().astimezone() + dt.timedelta(seconds=delay)
        if isinstance(exc, UpdateNeededError):
            status = SyncStatus(SyncState.UPDATE_NEEDED, last, retry_at=retry_at, message=message)
        elif isinstance(exc, NotPossibleError):
            status = SyncStatus(SyncState.STOPPED, last, retry_at=retry_at, message=message)
        else:
            offline = isinstance(exc, OfflineError | NotOurServerError)
            status = SyncStatus(SyncState.RETRYING, last, retry_at=retry_at, offline=offline, message=message)
        self._retry.start(max(1, round(delay * 1000)))
        self._set(status)
        self.failed.emit(exc)

    def _set(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    # -- signing in and out ------------------------------------------------------------------------

    def sign_in(
        self,
        server_url: str,
        username: str,
        password: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Sign this database in again (same worker: the local data and the outbox are kept), then sync."""

        def work() -> tuple[LoginResponse, dict[str, str]]:
            engine = self._engine_now()
            answer = engine.sign_in(server_url, username, password, device_name=platform.node())
            return answer, engine.meta()

        def done(result: tuple[LoginResponse, dict[str, str]]) -> None:
            answer, self.meta = result
            self.backoff.reset()
            self._set(SyncStatus(SyncState.IDLE, parse_utc(self.meta.get("last_sync_at"))))
            on_done(answer)
            self.signed_in.emit(answer)
            if not answer.must_change_password:  # else the sync waits for change_password
                self.request_sync(force=True)

        self._runner.submit(work, done, on_error)

    def change_password(
        self,
        server_url: str,
        username: str,
        old: str,
        new: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Set the signed-in worker's own password (after an initial one), then sync."""

        def done(result: None) -> None:
            on_done(result)
            self.request_sync(force=True)

        self._runner.submit(lambda: post_new_password(self._engine_now(), old, new), done, on_error)

    def sign_out(self) -> None:
        """Forget this laptop's token (never any data): the next sign-in sends what is still unsent."""

        def work() -> dict[str, str]:
            engine = self._engine_now()
            engine.forget_token()
            return engine.meta()

        def done(meta: dict[str, str]) -> None:
            self.meta = meta
            self._retry.stop()
            self._debounce.stop()
            self._set(SyncStatus(SyncState.SIGN_IN_NEEDED, parse_utc(meta.get("last_sync_at"))))
            self.signed_out.emit()

        self._runner.submit(work, done, self._on_bug)

    def shutdown(self, timeout: float = 2.0) -> None:
        """No more syncs; a running one gets ``timeout`` seconds to finish (it is safe to abandon)."""
        self._closed = True
        for timer in (self._debounce, self._period, self._retry):
            timer.stop()
        if self._listening:
            self._listening = False
            with contextlib.suppress(RuntimeError):  # the events object is gone already
                self.ctx.events.outbox_changed.disconnect(self._on_local_change)
        self._runner.shutdown(timeout)


def status_text(status: SyncStatus) -> str:
    """One line for the status bar, in the user's language."""
    s = status.state
    if s == SyncState.SYNCING:
        if status.total:
            return (
                QCoreApplication.translate("sync", "Syncing… %1/%2")
                .replace("%1", str(status.done))
                .replace("%2", str(status.total))
            )
        return QCoreApplication.translate("sync", "Syncing…")
    if s == SyncState.RETRYING and status.retry_at is not None:
        text = (
            QCoreApplication.translate("sync", "Offline, retrying at %1")
            if status.offline
            else QCoreApplication.translate("sync", "Sync failed, retrying at %1")
        )
        return text.replace("%1", clock_text(status.retry_at))
    if s == SyncState.SIGN_IN_NEEDED:
        return QCoreApplication.translate("sync", "Sign in again to sync")
    if s == SyncState.UPDATE_NEEDED:
        return QCoreApplication.translate("sync", "Update Gridworker to sync")
    if s == SyncState.STOPPED:
        return QCoreApplication.translate("sync", "Sync stopped: see the details")
    if status.last_sync_at is None:
        return QCoreApplication.translate("sync", "Not synced yet")
    return QCoreApplication.translate("sync", "Last sync: %1").replace("%1", clock_text(status.last_sync_at))


class SyncStatusWidget(QWidget):
    """The status bar's sync state, a Sync now button and, when the server wants it, Sign in."""

    sign_in_requested = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("sync_status")
        self.sync_button = QPushButton(self.tr("S&ync now"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setToolTip(self.tr("Send what is unsent and fetch what changed (F5)"))
        self.sync_button.clicked.connect(controller.sync_now)
        self.sign_in_button = QPushButton(self.tr("Sign in again…"))
        self.sign_in_button.setObjectName("sign_in_again")
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        layout.addWidget(self.label)
        layout.addWidget(self.sync_button)
        layout.addWidget(self.sign_in_button)
        controller.status_changed.connect(self.show_status)
        self.show_status(controller.status)

    def show_status(self, status: SyncStatus) -> None:
        self.label.setText(status_text(status))
        attention = status.state in (SyncState.SIGN_IN_NEEDED, SyncState.UPDATE_NEEDED, SyncState.STOPPED)
        self.label.setStyleSheet("color: #8a5a00; font-weight: bold;" if attention else "")
        tip = []
        if status.message:
            tip.append(status.message)
        if status.last_sync_at is not None:
            when = status.last_sync_at.astimezone().strftime("%Y-%m-%d %H:%M")
            tip.append(self.tr("Last successful sync: %1").replace("%1", when))
        self.label.setToolTip("\n".join(tip))
        self.sync_button.setEnabled(status.state != SyncState.SYNCING)
        self.sync_button.setVisible(status.state != SyncState.SIGN_IN_NEEDED)
        self.sign_in_button.setVisible(status.state == SyncState.SIGN_IN_NEEDED)
