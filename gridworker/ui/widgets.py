"""Small widgets shared by the screens."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget


class HeadingLabel(QLabel):
    """A label whose font is the application font scaled, following the text-size setting live
    (a widget with its own font ignores application font changes, so it listens for them)."""

    def __init__(self, text: str = "", factor: float = 1.3, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._factor = factor
        self._apply(QApplication.font())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._apply)

    def _apply(self, base: QFont) -> None:
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * self._factor)
        font.setBold(True)
        self.setFont(font)
