"""My contact card's empty photo says 无照片 on one line, at the standard and the largest text size,
and after the size changes while the app runs."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from tests.helpers.gui import language_and_text_size, open_window, wait_idle


def one_line(label: QLabel) -> bool:
    return label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()


@pytest.mark.parametrize("points", [13, 22])
def test_no_photo_fits_on_one_line(qtbot: QtBot, ctx: AppContext, points: int) -> None:
    with language_and_text_size("zh_CN", points):
        window = open_window(qtbot, ctx)
        window.go(MainWindow.PAGE_SETTINGS)
        wait_idle(qtbot, ctx)
        photo = window.settings_page.my_card.photo_label
        assert photo.text() == "无照片"
        assert one_line(photo)
        font = QApplication.font()
        font.setPointSize(points + 6)
        QApplication.setFont(font)  # a larger size chosen while the app runs
        QApplication.processEvents()
        assert one_line(photo)
        assert photo.height() * 3 == pytest.approx(photo.width() * 4, abs=4)  # a photo's shape
