"""Small widgets shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLayout, QLayoutItem, QStyle, QWidget


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


class FlowLayout(QLayout):
    """Items in a row, wrapping onto the next line when the row runs out of room (Qt's Flow Layout
    example): a row of buttons that a large text size or a narrow panel would otherwise widen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        """All in one row, as the layout prefers."""
        width = height = 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + (self._gap() if width else 0)
            height = max(height, hint.height())
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """The widest item: everything else can wrap."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _gap(self) -> int:
        if self.spacing() >= 0:
            return self.spacing()
        parent = self.parentWidget()
        style = parent.style() if parent is not None else QApplication.style()
        gap = style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
        return gap if gap >= 0 else 6

    def _place(self, rect: QRect, move: bool) -> int:
        """Lays the items out in ``rect`` (when ``move``); returns the height they take."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self._gap()
        x, y, line = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:  # no room left on this line
                x, y, line = area.x(), y + line + gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


class PinyinComboBox(QComboBox):
    """A combo box whose Chinese items are found by typing their pinyin: the initials (``fx`` for 飞线充电) or
    the whole reading, as a user types a name into the search; letters typed in quick succession add up
    (QApplication.keyboardInputInterval), as in Qt's own keyboard search."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self._typed_at = QElapsedTimer()

    def find_pinyin(self, typed: str) -> int:
        """The first item whose text, its pinyin or its pinyin initials starts with ``typed``; -1 if none."""
        from gridworker_shared.domain.search import fold, name_keys

        typed = fold(typed)
        for row in range(self.count()):
            keys = {k.removeprefix("n:") for k in name_keys(self.itemText(row))}
            if typed and any(k.startswith(typed) for k in keys):
                return row
        return -1

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        if plain and len(text) == 1 and text.isascii() and text.isalpha():
            if self._typed_at.isValid() and self._typed_at.elapsed() <= QApplication.keyboardInputInterval():
                self._typed += text
            else:
                self._typed = text
            self._typed_at.start()
            row = self.find_pinyin(self._typed)
            if row < 0:  # a fresh start with this letter
                self._typed = text
                row = self.find_pinyin(text)
            if row >= 0:
                self.setCurrentIndex(row)
            event.accept()
            return
        super().keyPressEvent(event)
