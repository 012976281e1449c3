"""The guide's search results: a list model of hits and the delegate that paints each hit as rich text
(title, category, the matched words in colour, a new/updated mark). Shared by the guide page."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from gridworker.guide import CATEGORIES
from gridworker.guide.search import Hit
from gridworker.ui.models import RECORD_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex
HTML_ROLE = Qt.ItemDataRole.UserRole + 10
RESULT_LIMIT = 200  # results of one query shown (the best ones; a guide has a few hundred articles)
MARK_COLOURS = {"new": "#c0392b", "updated": "#d35400"}
MATCH_COLOUR = "#b3261e"


def guide_text(text: str) -> str:
    return QCoreApplication.translate("guide", text)


def category_label(code: str) -> str:
    for c in CATEGORIES:
        if c.code == code:
            return guide_text(c.label)
    return code


def mark_text(hit: Hit) -> str:
    if not hit.is_new:
        return ""
    return (
        QCoreApplication.translate("guide", "Updated") if hit.is_updated else QCoreApplication.translate("guide", "New")
    )


# --- the results list ----------------------------------------------------------------------------


class GuideResultsModel(QAbstractListModel):
    """Search results (or the whole guide, or what is new), in the order given: best first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Hit] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = mark_text(hit)
            return f"{hit.title} [{mark}]" if mark else hit.title
        if role == RECORD_ROLE:
            return hit
        if role == SORT_ROLE:
            return index.row()
        if role == HTML_ROLE:
            return self.html(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.title}\n{category_label(hit.category)} · " + QCoreApplication.translate(
                "guide", "Version %1"
            ).replace("%1", str(hit.version))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None

    @staticmethod
    def html(hit: Hit) -> str:
        mark = mark_text(hit)
        badge = ""
        if mark:
            badge = f'<span class="{"updated" if hit.is_updated else "new"}">[{mark}]</span>&nbsp;'
        category = f'<span class="meta">&nbsp;&nbsp;{category_label(hit.category)}</span>'
        title = f'{badge}<span class="title">{hit.title_html}</span>{category}'
        snippet = f'<div class="snippet">{hit.snippet_html}</div>' if hit.snippet_html else ""
        return f"<div>{title}</div>{snippet}"

    def set_rows(self, rows: list[Hit]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Hit:
        return self._rows[row]

    def row_of(self, article_id: uuid.UUID) -> int:
        return next((i for i, h in enumerate(self._rows) if h.id == article_id), -1)

    def set_read(self, article_id: uuid.UUID, version: int) -> None:
        row = self.row_of(article_id)
        if row < 0:
            return
        hit = self._rows[row]
        read = max(hit.read_version, version)
        self._rows[row] = dataclasses.replace(hit, read_version=read, is_new=read < hit.version)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)


class HitDelegate(QStyledItemDelegate):
    """A result as rich text: the title with its matches highlighted, the category, a marker for a
    version not read yet, and the snippet below."""

    PADDING = 6

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _document(self, option: QStyleOptionViewItem, html: str, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text).name()
        match = text if selected else MATCH_COLOUR
        meta = text if selected else "#666666"
        new = text if selected else MARK_COLOURS["new"]
        updated = text if selected else MARK_COLOURS["updated"]
        doc.setDefaultStyleSheet(
            f"div {{ color: {text}; }} b {{ color: {match}; }} .meta {{ color: {meta}; }} "
            f".snippet {{ color: {meta}; }} .title {{ font-size: large; }} "
            f".new {{ color: {new}; font-weight: 600; }} .updated {{ color: {updated}; font-weight: 600; }}"
        )
        doc.setHtml(html)
        doc.setTextWidth(max(width, 10.0))
        return doc

    def _width(self, option: QStyleOptionViewItem) -> float:
        rect = option.rect
        width = rect.width() if rect.width() > 0 else self._view.viewport().width()
        return float(width - 2 * self.PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, str(index.data(HTML_ROLE) or ""), self._width(option))
        painter.save()
        rect = option.rect
        painter.translate(rect.left() + self.PADDING, rect.top() + self.PADDING)
        painter.setClipRect(0, 0, rect.width() - self.PADDING, rect.height() - self.PADDING)
        doc.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(option, str(index.data(HTML_ROLE) or ""), self._width(option))
        return QSize(int(doc.idealWidth()) + 2 * self.PADDING, int(doc.size().height()) + 2 * self.PADDING)


# --- the guide screen ----------------------------------------------------------------------------
