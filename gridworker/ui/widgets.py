"""Small widgets shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget


class HeadingLabel(QLabel):
    """A label whose font is the application font scaled, following the text-size setting live."""

    def __init__(self, text: str = "", factor: float = 1.3, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._factor = factor
        self._apply()

    def _apply(self) -> None:
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * self._factor)
        font.setBold(True)
        self.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._apply()
        super().changeEvent(event)
