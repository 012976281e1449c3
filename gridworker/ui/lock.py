"""The app lock: after some idle minutes (a setting, 1 to 60), when the session locks or the laptop goes to
sleep, and on "Lock now" (Ctrl+L), every window of the app hides its contents behind an opaque plate
until the PIN is typed.

Nothing is closed or hidden: a window (an open visit form, a question box) keeps its state and the
plate, a child widget covering it, is raised over everything it shows; the titles turn neutral. While
locked, input reaches only the plates (an application event filter), keyboard focus is brought back to
the PIN field, and a window shown meanwhile is covered as it shows. Unlocked, each window gets its focus
back and the plates go: typing, an open form's fields and its draft are as they were.
"""

from __future__ import annotations

import logging
import sys
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gridworker.ui.pin_gate import PinGate, forget_session_key
from gridworker.ui.widgets import HeadingLabel

if TYPE_CHECKING:
    from gridworker.ui.other_pages import SettingsPage
    from gridworker.ui.pin_dialogs import PinPanel, Recover

log = logging.getLogger(__name__)

LOCK_UI = "gw_lock_ui"  # a window the lock itself opened (a new PIN after the password): never covered
TICK_MS = 15_000  # how often idleness is checked


def neutral_title() -> str:
    """A locked window's title: the app's name, nothing of what it shows."""
    return QCoreApplication.translate("MainWindow", "Gridworker")


_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}
_BLOCKED = _INPUT | {QEvent.Type.Shortcut, QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.Drop}


class LockPlate(QWidget):
    """Opaque, over the whole of its window; the PIN field on the active window's plate."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lock_plate")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#lock_plate { background: #e9edf2; } #lock_card { background: white; border: 1px solid #c5ccd6; }"
        )
        outer = QVBoxLayout(self)
        outer.addStretch()
        self.card = QFrame()
        self.card.setObjectName("lock_card")
        column = QVBoxLayout(self.card)
        column.setContentsMargins(24, 20, 24, 20)
        self.heading = HeadingLabel(self.tr("Gridworker is locked"), factor=1.4)
        column.addWidget(self.heading)
        self.note = QLabel(self.tr("The residents' data is hidden until you type your PIN."))
        self.note.setWordWrap(True)
        column.addWidget(self.note)
        self.panel: PinPanel | None = None
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch()
        self.card.installEventFilter(self)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self._fit()
        self.show()
        self.raise_()

    def set_panel(self, panel: PinPanel) -> None:
        self.panel = panel
        layout = self.card.layout()
        assert layout is not None
        layout.addWidget(panel)
        self._fit()

    def _fit(self) -> None:
        """The card as tall as its wrapped lines need at its width (a centred item gets its size hint,
        which a wrapping label does not know)."""
        layout = self.card.layout()
        if layout is None:
            return
        width = min(self.fontMetrics().horizontalAdvance("M") * 40, max(self.width() - 16, 1))
        self.card.setFixedWidth(width)
        self.card.setFixedHeight(min(layout.totalHeightForWidth(width), max(self.height() - 16, 1)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.card:
            if event.type() == QEvent.Type.LayoutRequest:
                self._fit()
            return False
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
            self.setGeometry(parent.rect())
            self.raise_()
            self._fit()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # Esc or Enter never reach the covered dialog (they would close or save it)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab cycles through the plate's own fields, never into the window beneath."""
        chain = [
            w
            for w in self.findChildren(QWidget)
            if w.isVisibleTo(self) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]
        if not chain:
            return True
        current = QApplication.focusWidget()
        i = chain.index(current) if current in chain else -1
        chain[(i + (1 if next else -1)) % len(chain)].setFocus(Qt.FocusReason.TabFocusReason)
        return True


class LockController(QObject):
    """Installed on the application: idleness, the OS's signals and "Lock now" lock every window."""

    locked = Signal()
    unlocked = Signal(bytes)

    def __init__(
        self,
        app: QApplication,
        gate: PinGate,
        *,
        minutes: int = 5,
        who: str = "",
        hint: str = "",
        recover: Recover | None = None,
        clock: Callable[[], float] = time.monotonic,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.gate = gate
        self.who = who
        self.hint = hint
        self.recover = recover
        self.clock = clock
        self.minutes = max(1, min(60, minutes))
        self.is_locked = False
        self.paused = False  # between a sign-out and the next worker's window: the sign-in is not locked
        self.plates: dict[QWidget, LockPlate] = {}
        self.panel: PinPanel | None = None
        self._titles: dict[QWidget, str] = {}
        self._focus: dict[QWidget, QWidget] = {}
        self._sizes: dict[QWidget, tuple[int, int]] = {}
        self._last_input = clock()
        self.action = QAction(self.tr("&Lock now"), self)
        self.action.setObjectName("lock_now")
        self.action.setShortcut(QKeySequence("Ctrl+L"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.lock)
        self._windows: weakref.WeakSet[QWidget] = weakref.WeakSet()
        self._tick = QTimer(self, interval=tick_ms)
        self._tick.timeout.connect(self.check_idle)
        self._watchers: list[object] = []
        app.installEventFilter(self)
        app.focusChanged.connect(self._on_focus)
        self._tick.start()
        self._watchers = watch_os(self)

    # -- settings and windows --------------------------------------------------------------------------

    def set_minutes(self, minutes: int) -> None:
        self.minutes = max(1, min(60, minutes))

    def add_window(self, window: QWidget) -> None:
        """Ctrl+L in this window (every window shown gets it; the window may show the action too)."""
        if window not in self._windows:
            self._windows.add(window)
            window.addAction(self.action)
            for watcher in self._watchers:
                register = getattr(watcher, "register", None)
                if register is not None and window.windowType() == Qt.WindowType.Window:
                    register(int(window.winId()))

    def shutdown(self) -> None:
        self._tick.stop()
        self.app.removeEventFilter(self)
        if self.panel is not None:
            self.panel.shutdown()

    # -- idleness ----------------------------------------------------------------------------------------

    def idle_seconds(self) -> float:
        return self.clock() - self._last_input

    def check_idle(self) -> None:
        if not self.is_locked and self.idle_seconds() >= self.minutes * 60:
            self.lock()

    def pause(self, paused: bool) -> None:
        """No locking while no worker's data is open (after a sign-out, until the next window)."""
        self.paused = paused
        self._last_input = self.clock()

    @Slot()
    def on_os_lock(self) -> None:
        """The session locked or the laptop is going to sleep."""
        self.lock()

    @Slot(bool)
    def on_os_signal(self, active: bool) -> None:
        if active:
            self.lock()

    # -- locking -----------------------------------------------------------------------------------------

    def _to_cover(self) -> list[QWidget]:
        kinds = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)
        return [
            w
            for w in self.app.topLevelWidgets()
            if w.isWindow() and w.isVisible() and w.windowType() in kinds and not w.property(LOCK_UI)
        ]

    def lock(self) -> None:
        if self.is_locked or self.paused:
            return
        self.is_locked = True
        QToolTip.hideText()
        popup = self.app.activePopupWidget()
        while popup is not None:
            popup.close()
            next_popup = self.app.activePopupWidget()
            popup = None if next_popup is popup else next_popup
        windows = self._to_cover()
        for window in windows:
            self._cover(window)
        target = self.app.activeModalWidget() or self.app.activeWindow()
        if target not in self.plates:
            target = next(iter(self.plates), None)
        if target is not None:
            self._place_panel(target)
        log.info("locked")
        self.locked.emit()

    def _cover(self, window: QWidget) -> None:
        if window in self.plates:
            return
        focus = window.focusWidget()
        if focus is not None:
            self._focus[window] = focus
        self._titles[window] = window.windowTitle()
        window.setWindowTitle(neutral_title())
        self.plates[window] = LockPlate(window)
        window.destroyed.connect(lambda *_: self._forget(window))

    def _forget(self, window: QWidget) -> None:
        self.plates.pop(window, None)
        self._titles.pop(window, None)
        self._focus.pop(window, None)
        self._sizes.pop(window, None)

    def _place_panel(self, window: QWidget) -> None:
        plate = self.plates[window]
        from gridworker.ui.pin_dialogs import PinPanel  # the first lock loads it, not every start

        self.panel = PinPanel(self.gate, who=self.who, hint=self.hint, recover=self.recover)
        self.panel.unlocked.connect(self._on_unlocked)
        plate.set_panel(self.panel)
        needed = plate.sizeHint()
        if window.width() < needed.width() or window.height() < needed.height():
            self._sizes[window] = (window.width(), window.height())
            window.resize(max(window.width(), needed.width()), max(window.height(), needed.height()))
        window.activateWindow()
        self.panel.focus_field()

    def _on_unlocked(self, key: bytes) -> None:
        self.unlock()
        self.unlocked.emit(key)

    def unlock(self) -> None:
        """Every window as it was: plates gone, titles and each window's focus back."""
        if not self.is_locked:
            return
        if self.panel is not None:
            self.panel.shutdown()
        self.panel = None
        self.is_locked = False
        for window, plate in list(self.plates.items()):
            if not shiboken6.isValid(window):
                continue
            window.removeEventFilter(plate)
            plate.hide()
            plate.deleteLater()
            window.setWindowTitle(self._titles.get(window, window.windowTitle()))
            if window in self._sizes:
                window.resize(*self._sizes[window])
            focus = self._focus.get(window)
            if focus is not None and shiboken6.isValid(focus):
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.plates.clear()
        self._titles.clear()
        self._focus.clear()
        self._sizes.clear()
        self._last_input = self.clock()
        log.info("unlocked")

    def lock_out(self) -> None:
        """Five wrong PINs (or a sign-out): the keyring forgets the data key of this session."""
        forget_session_key(self.gate.db_path)

    # -- what may happen while locked --------------------------------------------------------------------

    def _in_lock_ui(self, obj: QObject) -> bool:
        if isinstance(obj, QWindow):
            # a real session (xcb, Windows) delivers input to the native window first, which passes it on
            # to its focus widget or the widget under the cursor: those are judged when they get it
            # (blocking it here swallowed every key typed into the PIN field under X11)
            return True
        node: QObject | None = obj
        while node is not None and not isinstance(node, QWidget):
            node = node.parent()
        if node is None:
            return False
        if node.window().property(LOCK_UI):
            return True
        return any(plate is node or plate.isAncestorOf(node) for plate in self.plates.values())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.is_locked:
            if kind in _INPUT:
                self._last_input = self.clock()
            elif kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
                self.add_window(watched)
            return False
        if kind in _BLOCKED:
            return not self._in_lock_ui(watched)
        if kind == QEvent.Type.WindowTitleChange and watched in self.plates and isinstance(watched, QWidget):
            if watched.windowTitle() != neutral_title():  # a title set while locked shows once unlocked
                self._titles[watched] = watched.windowTitle()
                watched.setWindowTitle(neutral_title())
            return False
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            if watched not in self.plates and watched in self._to_cover():
                QTimer.singleShot(0, lambda: self._cover_late(watched))
        elif kind == QEvent.Type.Close and isinstance(watched, QDialog) and watched in self.plates:
            assert isinstance(event, QCloseEvent)
            event.ignore()  # a covered form is not closed behind the plate (it would ask about its fields)
            return True
        return False

    def _cover_late(self, window: QWidget) -> None:
        if self.is_locked and shiboken6.isValid(window) and window.isVisible():
            self._cover(window)

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self.is_locked or new is None or self._in_lock_ui(new):
            return
        if self.panel is not None and shiboken6.isValid(self.panel):
            QTimer.singleShot(0, self._refocus)

    def _refocus(self) -> None:
        focus = QApplication.focusWidget()
        if self.is_locked and self.panel is not None and (focus is None or not self._in_lock_ui(focus)):
            self.panel.focus_field()


def wire_lock(window: QMainWindow, page: SettingsPage, lock: LockController) -> None:
    """Ctrl+L and a Lock button in the window's status bar; the idle minutes from its Settings page."""
    lock.add_window(window)
    page.lock_button.show()
    page.lock_requested.connect(lock.lock)
    page.lock_minutes_changed.connect(lock.set_minutes)
    button = QToolButton()
    button.setObjectName("lock_button")
    button.setDefaultAction(lock.action)
    button.setAutoRaise(True)
    window.statusBar().addPermanentWidget(button)


def watch_os(controller: LockController) -> list[object]:
    """Lock when the session locks or the laptop suspends, where Qt can hear it: D-Bus on Linux, the
    window messages on Windows. Nothing where neither is available."""
    if sys.platform.startswith("linux"):
        return _watch_dbus(controller)
    if sys.platform == "win32":
        return _watch_windows(controller)
    return []


def _watch_dbus(controller: LockController) -> list[object]:
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:
        return []
    from PySide6.QtCore import SLOT

    signals = (
        (QDBusConnection.systemBus(), "org.freedesktop.login1", "/org/freedesktop/login1",
         "org.freedesktop.login1.Manager", "PrepareForSleep", "on_os_signal(bool)"),
        (QDBusConnection.systemBus(), "org.freedesktop.login1", "",
         "org.freedesktop.login1.Session", "Lock", "on_os_lock()"),
        (QDBusConnection.sessionBus(), "", "/org/freedesktop/ScreenSaver",
         "org.freedesktop.ScreenSaver", "ActiveChanged", "on_os_signal(bool)"),
        (QDBusConnection.sessionBus(), "", "/ScreenSaver",
         "org.freedesktop.ScreenSaver", "ActiveChanged", "on_os_signal(bool)"),
        (QDBusConnection.sessionBus(), "", "/org/gnome/ScreenSaver",
         "org.gnome.ScreenSaver", "ActiveChanged", "on_os_signal(bool)"),
    )  # fmt: skip
    for bus, service, path, interface, name, slot in signals:
        connect: Any = bus.connect  # the stubs say bytes; PySide6 takes SLOT()'s str
        if bus.isConnected() and not connect(service, path, interface, name, controller, SLOT(slot)):
            log.info("cannot listen to %s.%s", interface, name)
    return []


def _watch_windows(controller: LockController) -> list[object]:  # pragma: no cover - Windows only
    from gridworker.ui.lock_windows import SessionFilter

    watcher = SessionFilter(controller.on_os_lock)
    controller.app.installNativeEventFilter(watcher)
    return [watcher]
