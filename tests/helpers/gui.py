"""Helpers of the GUI tests: waiting for the task manager, opening the main window, the language and
text size of a user's settings, typing as a user does, and searching as you type."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from gridworker.ui.context import AppContext
from gridworker.ui.i18n import Translations
from gridworker.ui.main_window import MainWindow
from gridworker.ui.visit_dialog import VisitDialog


def wait_idle(qtbot: QtBot, ctx: AppContext) -> None:
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=10000)


def open_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    """The main window shown and started, with Today's first household on screen."""
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.today_shown, timeout=10000):
        w.show()
        w.start()
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: w.today.browser.panel.detail is not None, timeout=10000)
    return w


@contextmanager
def language_and_text_size(language: str, points: int) -> Iterator[None]:
    """The app in ``language`` at ``points``, as a user's settings start it; English at the test's own
    font size again afterwards."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.font()
    translations = Translations(app)
    translations.install(language)
    font = QFont(original)
    font.setPointSize(points)
    app.setFont(font)
    try:
        yield
    finally:
        app.setFont(original)
        translations.install("en")


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a user does: ASCII through key events, Chinese through the input method (a commit
    string, as a pinyin IME delivers it); QTest cannot send non-ASCII key events."""
    run = ""
    for ch in text + "\0":
        if ch.isascii() and ch != "\0":
            if run:
                event = QInputMethodEvent()
                event.setCommitString(run)
                QApplication.sendEvent(widget, event)
                run = ""
            qtbot.keyClicks(widget, ch)  # type: ignore[no-untyped-call]
        elif ch != "\0":
            run += ch
    if run:
        event = QInputMethodEvent()
        event.setCommitString(run)
        QApplication.sendEvent(widget, event)


def search_and_wait(qtbot: QtBot, owner: Any, box: QWidget, text: str) -> None:
    """Type ``text`` into a search box that searches as you type and wait for the results of its last
    keystroke. ``owner`` numbers its searches (``generation``) and emits ``searched(generation)`` when
    a search's results are shown; an earlier keystroke's may arrive while typing, and are not the ones
    to check."""
    shown: list[int] = []
    owner.searched.connect(shown.append)
    try:
        box.clear()  # type: ignore[attr-defined]
        type_text(qtbot, box, text)
        last = owner.generation
        qtbot.waitUntil(lambda: last in shown, timeout=10000)
    finally:
        owner.searched.disconnect(shown.append)


def open_visit_form(qtbot: QtBot, window: MainWindow) -> VisitDialog:
    panel = window.today.browser.panel
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel.visit_button.setFocus()
    with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
        qtbot.keyClick(panel, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = opened.args[0]
    assert isinstance(dialog, VisitDialog) and dialog.isVisible()
    dialog.activateWindow()  # shortcuts and mnemonics go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog
