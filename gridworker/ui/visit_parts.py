"""The visit form's request row and table: category (found by pinyin too), urgency, text, and the requests
added so far."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.ui import labels, review_words
from gridworker.ui.models import NewRequestsModel
from gridworker.ui.widgets import PinyinComboBox
from gridworker_shared.domain.codes import REQUEST_CATEGORIES, URGENCIES

if TYPE_CHECKING:
    from gridworker.ui.visit_dialog import VisitDialog


def requests_box(self: VisitDialog) -> QGroupBox:
    """Requests raised at the visit: category, urgency and description, added to a small table."""
    box = QGroupBox(
        QCoreApplication.translate("VisitDialog", "New requests (the visit's original requests stay as they are)")
        if self.amends
        else QCoreApplication.translate("VisitDialog", "Requests raised")
    )
    blay = QVBoxLayout(box)
    add_row = QHBoxLayout()
    self.category = PinyinComboBox()
    self.category.setObjectName("request_category")
    self.category.addItem(QCoreApplication.translate("VisitDialog", "— category —"), None)
    for c in REQUEST_CATEGORIES:
        self.category.addItem(labels.category(c.code), c.code)
    self.urgency = QComboBox()
    self.urgency.setObjectName("request_urgency")
    for u in URGENCIES:
        self.urgency.addItem(labels.urgency(u.code), u.code)
    self.description = QLineEdit()
    self.description.setObjectName("request_description")
    self.description.setPlaceholderText(
        QCoreApplication.translate("VisitDialog", "Describe the request (Enter adds it)")
    )
    self.description.returnPressed.connect(self._add_request)
    self.add_request_button = QPushButton(QCoreApplication.translate("VisitDialog", "&Add request"))
    self.add_request_button.setObjectName("add_request")
    self.add_request_button.clicked.connect(self._add_request)
    for w in (self.category, self.urgency):
        w.currentIndexChanged.connect(self._changed)
        w.currentIndexChanged.connect(self._clear_fixed)
    self.description.textChanged.connect(self._changed)
    self.description.textChanged.connect(self._clear_fixed)
    for combo in (self.category, self.urgency):  # as wide as their longest text: a category reads in full
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    # the choices on one line, the text on the next: the text keeps the form's width when the guide
    # opens beside it or the text is large (it was squeezed to a few characters)
    add_row.addWidget(self.category)
    add_row.addWidget(self.urgency)
    add_row.addStretch(1)
    text_row = QHBoxLayout()
    text_row.addWidget(self.description, 1)
    text_row.addWidget(self.add_request_button)
    blay.addLayout(add_row)
    blay.addLayout(text_row)
    blay.addWidget(self.errors.add("requests", self.category))
    self.requests_model = NewRequestsModel(self)
    self.requests_view = QTableView()
    self.requests_view.setObjectName("new_requests")
    self.requests_view.setModel(self.requests_model)
    self.requests_view.verticalHeader().hide()
    self.requests_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = self.requests_view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few rows: cheap
    header.setSectionResizeMode(NewRequestsModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
    view = self.requests_view

    def fit_columns() -> None:  # the header alone does not widen them for rows added later: 车辆… was cut
        for column in range(self.requests_model.columnCount()):
            if column != NewRequestsModel.COL_DESCRIPTION:
                view.resizeColumnToContents(column)

    self.requests_model.rowsInserted.connect(fit_columns)
    self.requests_model.modelReset.connect(fit_columns)
    self.requests_view.setMaximumHeight(self.requests_view.verticalHeader().defaultSectionSize() * 4 + 30)
    remove = QShortcut(QKeySequence.StandardKey.Delete, self.requests_view, self._remove_request)
    remove.setContext(Qt.ShortcutContext.WidgetShortcut)
    blay.addWidget(self.requests_view)
    return box


PINNED_STYLE = "color: #c01c28; font-weight: bold;"
PIN_MARK = "● "


def review_banner(self: VisitDialog) -> QLabel | None:
    """Above a correction of a returned visit: the reviewer's reason and comment, then which visit this
    corrects, in one line (the form must fit a 768 px screen at 22 pt). The fields to correct are
    marked in the form itself."""
    visit = self.amends
    if visit is None or visit.review_state != "returned":
        return None
    correcting = QCoreApplication.translate("VisitDialog", "Correcting the visit of %1.").replace(
        "%1", labels.local_datetime(visit.visited_at)
    )
    head = f"<b>{escape(review_words.returned_text(visit.review_reason, ''))}</b>"
    if visit.review_comment.strip():
        wrote = QCoreApplication.translate("VisitDialog", "The reviewer wrote: %1")
        head += "　" + escape(wrote.replace("%1", visit.review_comment))
    banner = QLabel(f"{head}<br><span style='color:#333'>{escape(correcting)}</span>")
    banner.setObjectName("review_banner")
    banner.setTextFormat(Qt.TextFormat.RichText)
    banner.setWordWrap(True)
    banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    banner.setStyleSheet("#review_banner { background: #fdecea; border: 1px solid #c01c28; padding: 3px; }")
    return banner


def mark_pinned(self: VisitDialog, form: QFormLayout, when: QFormLayout, requests: QGroupBox) -> dict[str, QWidget]:
    """The labels of the fields the reviewer pinned: red, bold, marked, with the reason in a tooltip.
    Returns pinned field -> its label (a form row's label, or the requests' group box)."""
    visit = self.amends
    if visit is None or visit.review_state != "returned":
        return {}
    targets: dict[str, QWidget | None] = {
        "outcome": form.labelForField(self.outcome_row),
        "seen": form.labelForField(self.members_box),
        "notes": form.labelForField(self.notes),
        "articles": form.labelForField(self.guide_toggle),
        "requests": requests,
        "visited_at": when.labelForField(self.visited_at),
    }
    tip = QCoreApplication.translate("VisitDialog", "The reviewer asks you to correct this. %1").replace(
        "%1", review_words.returned_text(visit.review_reason, visit.review_comment)
    )
    marked: dict[str, QWidget] = {}
    for pin in visit.review_pins:
        widget = targets.get(pin)
        if isinstance(widget, QLabel):
            widget.setText(PIN_MARK + widget.text())
            widget.setStyleSheet(PINNED_STYLE)
        elif isinstance(widget, QGroupBox):
            widget.setTitle(PIN_MARK + widget.title())
            widget.setStyleSheet("QGroupBox { " + PINNED_STYLE + " }")
        else:
            continue
        widget.setToolTip(tip)
        widget.setProperty("pinned", True)
        marked[pin] = widget
    return marked


def form_area() -> tuple[QScrollArea, QWidget]:
    """The visit form's fields in a frameless area that scrolls up and down, never sideways."""
    area = QScrollArea()
    area.setObjectName("form_area")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    content = QWidget()
    area.setWidget(content)
    return area, content


def fit_form_area(self: VisitDialog, content: QWidget, root: QVBoxLayout, width: int) -> int:
    """The area as wide as the fields need (with room for its scroll bar), and the dialog's height that
    shows every field without scrolling at ``width``."""
    bar = self.form_area.verticalScrollBar().sizeHint().width()
    self.form_area.setMinimumWidth(content.minimumSizeHint().width() + bar)
    margins = self._outer.contentsMargins()
    inner = width - bar - margins.left() - margins.right()
    fields = root.totalHeightForWidth(inner) if root.hasHeightForWidth() else content.sizeHint().height()
    spacing = max(0, self._outer.spacing())
    return fields + spacing + self.buttons.sizeHint().height() + margins.top() + margins.bottom() + spacing
