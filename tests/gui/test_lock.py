"""The app lock over a real main window and a real visit form (gridworker.ui.lock): idle minutes on an
injected clock, the OS's signal, nothing of the window on screen or in reach of the keyboard while
locked, the PIN (right, wrong five times, the delay and the password), and a visit form with its draft
that outlives a lock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from gridworker.store.keys import KeyFile, key_path
from gridworker.store.models import Visit
from gridworker.ui.context import AppContext
from gridworker.ui.lock import LockController, LockPlate, neutral_title, wire_lock
from gridworker.ui.main_window import MainWindow
from gridworker.ui.pin_dialogs import PinPanel, SetPinDialog
from gridworker.ui.pin_gate import FIRST_DELAY, MAX_TRIES, PinGate
from gridworker.ui.settings import LOCK_MINUTES
from tests.helpers.gui import open_visit_form, type_text, wait_idle
from tests.helpers.lock_keys import PIN, SECRET, Clock, make_key_file


@pytest.fixture
def clocks() -> tuple[Clock, Clock]:
    """(the idle clock, the wall clock of wrong PINs)"""
    return Clock(0.0), Clock()


@pytest.fixture
def lock(qtbot: QtBot, window: MainWindow, ctx: AppContext, clocks: tuple[Clock, Clock]) -> Iterator[LockController]:
    make_key_file(ctx.path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QApplication.setCursorFlashTime(0)  # a steady cursor: two grabs of the same screen are the same
    idle, wall = clocks
    controller = LockController(
        app, PinGate(ctx.path, clock=wall), minutes=5, who="张三", clock=idle, tick_ms=10, recover=lambda _: SECRET
    )
    wire_lock(window, window.settings_page, controller)
    yield controller
    controller.unlock()
    controller.shutdown()
    controller.deleteLater()


def picture(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def unlock_with(qtbot: QtBot, lock: LockController, pin: str) -> None:
    panel = lock.panel
    assert panel is not None
    type_text(qtbot, panel.pin, pin)
    with qtbot.waitSignal(lock.unlocked, timeout=10000):
        qtbot.keyClick(panel.pin, Qt.Key.Key_Return)


def wrong_pin(qtbot: QtBot, panel: PinPanel, pin: str = "999000") -> None:
    type_text(qtbot, panel.pin, pin)
    failures = panel.gate.failures
    qtbot.keyClick(panel.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.busy and panel.gate.failures == failures + 1, timeout=10000)


def test_idle_minutes_lock_and_input_puts_it_off(
    qtbot: QtBot, window: MainWindow, lock: LockController, clocks: tuple[Clock, Clock]
) -> None:
    idle, _ = clocks
    idle.now = 299.0
    lock.check_idle()
    assert not lock.is_locked
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)  # a key at 299 s: idle from there
    idle.now = 500.0
    lock.check_idle()
    assert not lock.is_locked
    with qtbot.waitSignal(lock.locked, timeout=5000):  # the controller's own timer notices
        idle.now = 599.0 + 1.0
    assert lock.is_locked and window in lock.plates


def test_the_idle_minutes_come_from_settings(
    qtbot: QtBot, window: MainWindow, lock: LockController, ctx: AppContext
) -> None:
    spin = window.settings_page.lock_minutes
    assert (spin.minimum(), spin.maximum()) == (1, 60)  # never locking is not offered
    assert window.settings_page.lock_button.isVisibleTo(window.settings_page)
    spin.setValue(12)
    assert lock.minutes == 12 and ctx.settings.get(LOCK_MINUTES) == 12
    spin.setValue(0)
    assert lock.minutes == 1  # clamped by the field


def test_the_session_locking_locks(qtbot: QtBot, window: MainWindow, lock: LockController) -> None:
    lock.on_os_signal(False)  # the screen saver ending
    assert not lock.is_locked
    with qtbot.waitSignal(lock.locked):
        lock.on_os_signal(True)  # PrepareForSleep(true), ScreenSaver ActiveChanged(true)
    lock.unlock()
    with qtbot.waitSignal(lock.locked):
        lock.on_os_lock()  # login1 Session.Lock


def test_ctrl_l_locks(qtbot: QtBot, window: MainWindow, lock: LockController) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    with qtbot.waitSignal(lock.locked):
        qtbot.keyClick(window.nav, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def test_nothing_of_the_window_shows_or_takes_keys_while_locked(
    qtbot: QtBot, window: MainWindow, lock: LockController
) -> None:
    title = window.windowTitle()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.stack.currentIndex()
    lock.lock()
    plate = lock.plates[window]
    assert isinstance(plate, LockPlate) and plate.isVisible() and plate.geometry() == window.rect()
    assert window.windowTitle() == neutral_title()
    # what the window shows is the plate's picture, pixel for pixel: nothing beneath comes through
    assert picture(window) == picture(plate)
    # the household on screen is not among the plate's texts
    detail = window.today.browser.panel.detail
    assert detail is not None
    texts = " ".join(w.text() for w in plate.findChildren(QWidget) if hasattr(w, "text") and isinstance(w.text(), str))
    assert detail.head_name not in texts and detail.compound not in texts and "张三" in texts
    panel = lock.panel
    assert panel is not None and QApplication.focusWidget() is panel.pin
    # Tab never leaves the plate; a page field asked for focus gives it back; Ctrl+2 changes no page
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert plate.isAncestorOf(QApplication.focusWidget())
    window.today.browser.panel.visit_button.setFocus()
    qtbot.waitUntil(lambda: plate.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(panel.pin, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == page
    window.settings_page.language.setFocus()
    qtbot.keyClicks(window.settings_page.language, "x")  # type: ignore[no-untyped-call]
    assert window.settings_page.language.currentIndex() == window.settings_page.language.findData("zh_CN")
    # the right PIN: everything back as it was
    focus_before = lock._focus.get(window)
    unlock_with(qtbot, lock, PIN)
    assert not lock.is_locked and not plate.isVisible()
    assert window.windowTitle() == title
    assert focus_before is None or QApplication.focusWidget() is focus_before


def test_wrong_pins_then_the_delay_then_the_password(
    qtbot: QtBot, window: MainWindow, lock: LockController, ctx: AppContext, clocks: tuple[Clock, Clock]
) -> None:
    _, wall = clocks
    lock.lock()
    panel = lock.panel
    assert panel is not None
    for n in range(1, MAX_TRIES):
        wrong_pin(qtbot, panel)
        assert str(MAX_TRIES - n) in panel.error.text()
        assert panel.pin.isEnabled() and not panel.password_box.isVisible()
    wrong_pin(qtbot, panel)
    assert lock.is_locked
    # counted in the key file: quitting the app does not reset them
    assert KeyFile.load(key_path(ctx.path)).failures == MAX_TRIES
    # five: the password, or (offline) a PIN again after 30 s, counted down
    assert panel.password_box.isVisible() and panel.password.isVisible()
    assert not panel.pin.isEnabled() and panel.countdown.isVisible()
    assert "0:30" in panel.countdown.text()
    wall.now += FIRST_DELAY - 5
    panel.refresh()
    assert "0:05" in panel.countdown.text() and not panel.pin.isEnabled()
    wall.now += 5
    panel.refresh()
    assert panel.pin.isEnabled() and not panel.countdown.isVisible()
    wrong_pin(qtbot, panel)  # the sixth: twice as long
    assert "1:00" in panel.countdown.text()
    # the password (the server gives back the recovery secret): a new PIN, and the window is back
    type_text(qtbot, panel.password, "demo1234")
    qtbot.keyClick(panel.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(panel, "new_pin_dialog", None) is not None, timeout=10000)
    dialog = panel.new_pin_dialog
    assert isinstance(dialog, SetPinDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog not in lock.plates  # the lock's own dialog is not covered
    type_text(qtbot, dialog.pin, "864200")
    type_text(qtbot, dialog.repeat, "864200")
    with qtbot.waitSignal(lock.unlocked, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    keyfile = KeyFile.load(key_path(ctx.path))
    assert keyfile.failures == 0
    keyfile.unlock("864200")  # the new PIN opens the same data key
    assert not lock.is_locked


def test_an_open_visit_form_and_its_draft_survive_a_lock(
    qtbot: QtBot, window: MainWindow, lock: LockController, ctx: AppContext
) -> None:
    dialog = open_visit_form(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # met
    qtbot.waitUntil(lambda: dialog.outcome() == "met")
    dialog.notes.setFocus()
    with qtbot.waitSignal(dialog.draft_saved, timeout=10000):
        type_text(qtbot, dialog.notes, "讲解了医保缴费")
    with qtbot.waitSignal(lock.locked):
        lock.on_os_lock()
    # both windows covered; the PIN on the form's plate (it is modal over the main window)
    assert set(lock.plates) == {window, dialog}
    assert lock.panel is not None and lock.plates[dialog].isAncestorOf(lock.panel)
    assert dialog.windowTitle() == neutral_title()
    assert picture(dialog) == picture(lock.plates[dialog])
    # Esc and typing reach neither the form nor its fields
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    dialog.close()
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.notes, "zz")  # type: ignore[no-untyped-call]
    assert dialog.notes.toPlainText() == "讲解了医保缴费"
    unlock_with(qtbot, lock, PIN)
    assert dialog.isVisible() and dialog.windowTitle() != neutral_title()
    assert dialog.notes.toPlainText() == "讲解了医保缴费" and dialog.outcome() == "met"
    assert QApplication.focusWidget() is dialog.notes
    type_text(qtbot, dialog.notes, "，已登记")  # typing goes on where it was
    assert [d.payload["notes"] for d in ctx.reader.drafts()][:1] in (["讲解了医保缴费"], ["讲解了医保缴费，已登记"])
    dialog.members_view.setCurrentIndex(dialog.members_model.index(0, 0))
    qtbot.keyClick(dialog.members_view, Qt.Key.Key_Space)
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ctx)
    with ctx.db.reading() as s:
        visit = s.scalar(select(Visit).where(Visit.id == saved.args[0]))
        assert visit is not None and visit.notes == "讲解了医保缴费，已登记"
    assert ctx.reader.drafts() == []


def test_a_window_shown_while_locked_is_covered(qtbot: QtBot, window: MainWindow, lock: LockController) -> None:
    lock.lock()
    other = QLineEdit("王秀英 13812345678")
    qtbot.addWidget(other)
    other.show()
    qtbot.waitUntil(lambda: other in lock.plates)
    assert other.windowTitle() == neutral_title()
    unlock_with(qtbot, lock, PIN)
    assert other not in lock.plates and other.text() == "王秀英 13812345678"


def test_a_title_set_while_locked_waits_and_no_lock_between_workers(
    qtbot: QtBot, window: MainWindow, lock: LockController, clocks: tuple[Clock, Clock]
) -> None:
    lock.lock()
    window.setWindowTitle("网格员工作台 — 古城社区第1网格")  # a sync brought the grid's name meanwhile
    assert window.windowTitle() == neutral_title()
    unlock_with(qtbot, lock, PIN)
    assert window.windowTitle() == "网格员工作台 — 古城社区第1网格"
    # signed out: the sign-in screen is for whoever comes next, never behind the last worker's PIN
    idle, _ = clocks
    lock.pause(True)
    idle.now += 3600
    lock.check_idle()
    lock.on_os_lock()
    assert not lock.is_locked
    lock.pause(False)  # the next worker's window is up: idle counts from now
    lock.check_idle()
    assert not lock.is_locked
    idle.now += 5 * 60
    lock.check_idle()
    assert lock.is_locked


def test_keys_typed_at_the_window_reach_the_pin_field(qtbot: QtBot, window: MainWindow, lock: LockController) -> None:
    """A real session (X11, Windows) delivers a key to the native window first, which passes it on to the
    focus widget: the PIN typed there unlocks (the lock once swallowed it at the window, and only tests
    that sent keys straight to the field could unlock)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    lock.lock()
    panel = lock.panel
    assert panel is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.pin)
    handle = window.windowHandle()
    assert handle is not None
    for ch in PIN:
        qtbot.keyClick(handle, ch)
    assert panel.pin.text() == PIN
    with qtbot.waitSignal(lock.unlocked, timeout=10000):
        qtbot.keyClick(handle, Qt.Key.Key_Return)
    # and a key at the window while locked still never reaches the page
    lock.lock()
    page = window.stack.currentIndex()
    qtbot.keyClick(handle, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == page
