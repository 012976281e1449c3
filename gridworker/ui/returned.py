"""Visits the reviewer returned for correction (退回修改), on the worker's Unsent page above what the
server set aside: each with the reviewer's reason and comment in the worker's language and the fields
to correct; "Correct the visit" opens the visit form as a correction of it, the pinned fields marked."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gridworker.store.rows import ReturnedVisitRow
from gridworker.ui import labels, review_words
from gridworker.ui.forms import ERROR_STYLE
from gridworker.ui.household_panel import make_table
from gridworker.ui.models import RECORD_ROLE, SORT_ROLE, _TableModel
from gridworker.ui.widgets import HeadingLabel
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

RETURNED_RED = "#c01c28"


class ReturnedModel(_TableModel):
    COL_WHEN, COL_HOUSEHOLD, COL_REASON, COL_COMMENT = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "When"),
        QT_TRANSLATE_NOOP("models", "Household"),
        QT_TRANSLATE_NOOP("models", "Reason"),
        QT_TRANSLATE_NOOP("models", "Reviewer's comment"),
    )

    def cell(self, r: ReturnedVisitRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == self.COL_WHEN:
                shown = role == Qt.ItemDataRole.DisplayRole
                return labels.local_datetime(r.visited_at) if shown else r.visited_at.isoformat()
            if column == self.COL_HOUSEHOLD:
                return r.household
            if column == self.COL_REASON:
                return review_words.reason(r.reason)
            if column == self.COL_COMMENT:
                return r.comment
        elif role == Qt.ItemDataRole.ForegroundRole and column == self.COL_REASON:
            return QBrush(QColor(RETURNED_RED))
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_COMMENT:
            return r.comment or None
        return None


def returned_html(row: ReturnedVisitRow) -> str:
    """One returned visit in full: the household, the visit, the reason, the comment, what to correct."""
    lines = [
        f"<b>{escape(row.household)}</b>",
        escape(
            QCoreApplication.translate("ReturnedBox", "The visit of %1 (%2)")
            .replace("%1", labels.local_datetime(row.visited_at))
            .replace("%2", labels.outcome(row.outcome))
        ),
        f"<span style='color:{RETURNED_RED}; font-weight:bold'>"
        + escape(
            QCoreApplication.translate("ReturnedBox", "Reason: %1").replace(
                "%1", review_words.reason(row.reason) or "—"
            )
        )
        + "</span>",
    ]
    if row.comment.strip():
        lines.append(
            escape(QCoreApplication.translate("ReturnedBox", "The reviewer wrote: %1").replace("%1", row.comment))
        )
    if row.pins:
        lines.append(
            escape(QCoreApplication.translate("ReturnedBox", "Correct: %1").replace("%1", review_words.pins(row.pins)))
        )
    lines.append(
        escape(
            QCoreApplication.translate(
                "ReturnedBox",
                "Check it with the household if you need to, then correct the visit: the original is kept, "
                "and your correction goes back to the reviewer.",
            )
        )
    )
    return "<br>".join(lines)


class ReturnedBox(QWidget):
    """The returned visits and the chosen one in full, with its actions."""

    correct_requested = Signal(object)  # ReturnedVisitRow: open the visit form as its correction
    open_household = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returned")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = HeadingLabel(factor=1.15)
        self.heading.setStyleSheet(ERROR_STYLE)
        column.addWidget(self.heading)
        note = QLabel(
            self.tr(
                "Your reviewer sent these visits back. Choose one to see why, then correct it: the fields to "
                "correct are marked in the form."
            )
        )
        note.setWordWrap(True)
        column.addWidget(note)
        self.model = ReturnedModel(self)
        self.view = make_table(self.model, stretch=ReturnedModel.COL_COMMENT)
        self.view.setObjectName("returned_visits")
        self.view.selectionModel().currentRowChanged.connect(self._show_item)
        self.view.doubleClicked.connect(self._correct)
        column.addWidget(self.view, 1)
        box = QFrame()
        box.setObjectName("returned_item")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        self.item_text = QLabel()
        self.item_text.setObjectName("returned_text")
        self.item_text.setWordWrap(True)
        self.item_text.setTextFormat(Qt.TextFormat.RichText)
        self.item_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.item_text)
        buttons = QHBoxLayout()
        self.correct_button = QPushButton(self.tr("&Correct the visit…"))
        self.correct_button.setObjectName("returned_correct")
        self.correct_button.clicked.connect(self._correct)
        self.open_button = QPushButton(self.tr("Open the h&ousehold"))
        self.open_button.setObjectName("returned_open")
        self.open_button.clicked.connect(self._open)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch()
        layout.addLayout(buttons)
        column.addWidget(box)
        self.hide()

    def current_item(self) -> ReturnedVisitRow | None:
        index = self.view.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, ReturnedVisitRow) else None

    def set_rows(self, rows: list[ReturnedVisitRow]) -> None:
        kept = self.current_item()
        self.model.set_rows(rows)
        proxy = self.view.model()
        shown = [proxy.index(i, ReturnedModel.COL_WHEN) for i in range(proxy.rowCount())]
        if shown:
            keep = [i for i in shown if kept is not None and i.data(RECORD_ROLE).id == kept.id]
            self.view.setCurrentIndex((keep or shown)[0])
        self._show_item()
        self.heading.setText(self.tr("Returned for correction (%1)").replace("%1", str(len(rows))))
        self.setVisible(bool(rows))

    def _show_item(self, *_: object) -> None:
        row = self.current_item()
        for b in (self.correct_button, self.open_button):
            b.setEnabled(row is not None)
        self.item_text.setText(returned_html(row) if row is not None else "")

    def _correct(self, *_: object) -> None:
        row = self.current_item()
        if row is not None:
            self.correct_requested.emit(row)

    def _open(self) -> None:
        row = self.current_item()
        if row is not None:
            self.open_household.emit(row.household_id)
