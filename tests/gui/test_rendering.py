"""Chinese is drawn as Chinese (not boxes), and the navigation shows its labels whole."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridworker.app import has_cjk_font
from gridworker.ui.context import AppContext
from gridworker.ui.i18n import Translations
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import TEXT_SIZES


def render(text: str) -> QImage:
    font = QApplication.font()
    metrics = QFontMetrics(font)
    image = QImage(metrics.horizontalAdvance(text) + 4, metrics.height() + 4, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(2, metrics.ascent() + 2, text)
    painter.end()
    return image


def test_chinese_glyphs_are_not_boxes(qtbot: QtBot) -> None:
    assert has_cjk_font(), "install a CJK font (make test does: fonts-wqy-microhei)"
    assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    # two different characters draw differently; boxes (a missing glyph) would be identical
    assert render("户") != render("访")
    assert render("户") != render("\U000e0100")  # a code point no font draws: the missing-glyph box


def test_navigation_labels_fit_in_every_language_and_size(qtbot: QtBot, ctx: AppContext) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.font()
    translations = Translations(app)
    try:
        for language in ("zh_CN", "en"):
            translations.install(language)
            window = MainWindow(ctx)
            qtbot.addWidget(window)
            for size in (TEXT_SIZES[0], TEXT_SIZES[-1]):
                font = app.font()
                font.setPointSize(size)
                app.setFont(font)
                metrics = QFontMetrics(font)
                qtbot.waitUntil(
                    lambda m=metrics, window=window: (
                        window.nav.width()
                        >= max(m.horizontalAdvance(window.nav.item(i).text()) for i in range(window.nav.count()))
                    )
                )
            window.close()
    finally:
        app.setFont(original)
        translations.install("en")
