"""Text size every screen follows; Simplified Chinese first, English available, switched live."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridworker.app import GridworkerApp
from gridworker.ui.context import AppContext
from gridworker.ui.i18n import Translations
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import LANGUAGE, TEXT_SIZE, TEXT_SIZES
from tests.helpers.gui import language_and_text_size, open_window, wait_idle


def test_text_size_applies_everywhere_and_is_kept(qtbot: QtBot, ctx: AppContext) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.font()
    translations = Translations(app)
    gw = GridworkerApp(app, ctx, translations)
    qtbot.addWidget(gw.window)
    try:
        gw.show()
        wait_idle(qtbot, ctx)
        page = gw.window.settings_page
        page.size_slider.setValue(len(TEXT_SIZES) - 1)
        assert app.font().pointSize() == TEXT_SIZES[-1]
        assert ctx.settings.get(TEXT_SIZE) == TEXT_SIZES[-1]
        # widgets follow: a table's font and the Today heading grow with it
        view = gw.window.today.browser.view
        qtbot.waitUntil(lambda: view.font().pointSize() == TEXT_SIZES[-1])  # font changes arrive as events
        qtbot.waitUntil(lambda: gw.window.today.heading.font().pointSizeF() > TEXT_SIZES[-1])
    finally:
        app.setFont(original)


def test_chinese_first_and_english_switch(qtbot: QtBot, ctx: AppContext) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    assert translations.install("zh_CN"), "resources/translations/gridworker_zh_CN.qm is missing: run make"
    gw = GridworkerApp(app, ctx, translations)
    try:
        window = gw.show()
        qtbot.addWidget(window)
        wait_idle(qtbot, ctx)
        assert window.nav.item(0).text() == "今日"
        assert window.today.browser.model.headerData(1, Qt.Orientation.Horizontal) == "地址"
        window.go(MainWindow.PAGE_SETTINGS)
        window.settings_page.language.setCurrentIndex(window.settings_page.language.findData("en"))
        assert gw.window is not window  # rebuilt in the new language, on the same page
        qtbot.addWidget(gw.window)
        wait_idle(qtbot, ctx)
        assert gw.window.nav.item(0).text() == "Today"
        assert gw.window.stack.currentIndex() == MainWindow.PAGE_SETTINGS
        assert ctx.settings.get(LANGUAGE) == "en"
    finally:
        translations.install("en")


def test_english_plural_forms(qtbot: QtBot) -> None:
    from gridworker.ui import labels

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    translations.install("en")
    assert labels.due_text(dt.date(2026, 11, 26), dt.date(2026, 11, 27)) == "1 day overdue"
    assert labels.due_text(dt.date(2026, 11, 20), dt.date(2026, 11, 27)) == "7 days overdue"
    translations.install("zh_CN")
    try:
        assert labels.due_text(dt.date(2026, 11, 20), dt.date(2026, 11, 27)) == "逾期 7 天"
    finally:
        translations.install("en")


LAPTOP = QSize(1366, 768)  # the screen of the laptops grid workers are given, the smallest we support
TASKBAR = 48  # what the desktop's own bar takes from the height


@pytest.mark.parametrize("points", TEXT_SIZES)
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_page_fits_a_laptop_screen_at_every_text_size(
    qtbot: QtBot, ctx: AppContext, language: str, points: int
) -> None:
    """The window, started at any text size, never asks for more than a 1366×768 screen gives: larger text
    wraps, stacks or scrolls instead (a page once shown keeps its say in the window's minimum size)."""
    with language_and_text_size(language, points):
        window = open_window(qtbot, ctx)
        needed = {}
        for page in range(window.stack.count()):
            window.go(page)
            wait_idle(qtbot, ctx)
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
            needed[page] = window.minimumSizeHint()
        too_big = {
            page: (size.width(), size.height())
            for page, size in needed.items()
            if size.width() > LAPTOP.width() or size.height() > LAPTOP.height() - TASKBAR
        }
        assert too_big == {}
