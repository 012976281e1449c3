"""Back-checks (电话回访): the visits the server drew this week and earlier for a call to the household,
with a short script, the call's result (属实 / 不属实 / 无法联系) and a note; beside them each worker's
verification-failure rate: denied / (confirmed + denied), over the last four weeks and overall."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.store import review_reads as rr
from gridworker.ui import labels as common
from gridworker.ui.context import AppContext
from gridworker.ui.forms import error_label
from gridworker.ui.i18n import error_text
from gridworker.ui.reveal import Revealer
from gridworker.ui.review import labels
from gridworker.ui.widgets import HeadingLabel
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.masking import mask_phone
from gridworker_shared.domain.validation import ValidationError

Index = QModelIndex | QPersistentModelIndex
DENIED = QColor("#b3261e")
WAITING = QColor("#8a5a00")


def _tr(text: str) -> str:
    return QCoreApplication.translate("review", text)


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.HEADERS[section])
        return None


class BackcheckModel(_Table):
    HEADERS = (
        QT_TRANSLATE_NOOP("review", "Week"),
        QT_TRANSLATE_NOOP("review", "Household"),
        QT_TRANSLATE_NOOP("review", "Head"),
        QT_TRANSLATE_NOOP("review", "Phone"),
        QT_TRANSLATE_NOOP("review", "Worker"),
        QT_TRANSLATE_NOOP("review", "Visited"),
        QT_TRANSLATE_NOOP("review", "Drawn as"),
        QT_TRANSLATE_NOOP("review", "Result"),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        b: rr.BackcheckRow = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            result = labels.backcheck_result(b.shown_result) if b.shown_result else _tr(labels.TO_CALL)
            if b.pending_result:
                result += " · " + _tr(labels.WAITING)
            visited = common.local_datetime(b.visited_at) if b.visited_at else ""
            return (
                b.week.isoformat(),
                b.household,
                b.head,
                mask_phone(b.phone),
                b.worker,
                visited,
                labels.backcheck_reason(b.reason),
                result,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 7:
            if b.pending_result:
                return QBrush(WAITING)
            if b.result == "denied":
                return QBrush(DENIED)
        return None


class RateModel(_Table):
    HEADERS = (
        QT_TRANSLATE_NOOP("review", "Worker"),
        QT_TRANSLATE_NOOP("review", "Last 4 weeks"),
        QT_TRANSLATE_NOOP("review", "Overall"),
    )

    @staticmethod
    def _rate(denied: int, checked: int) -> str:
        rate = rr.FailureRate.rate(denied, checked)
        if rate is None:
            return "—"
        return f"{rate:.0%} ({denied}/{checked})"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r: rr.FailureRate = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.worker, self._rate(r.recent_denied, r.recent_checked), self._rate(r.denied, r.checked))[
                index.column()
            ]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1 and r.recent_denied:
            return QBrush(DENIED)
        return None


def _table(model: QAbstractTableModel, name: str, stretch: int) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class BackcheckPage(QWidget):
    loaded = Signal()
    recorded = Signal(object)  # the back-check's id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.heading = HeadingLabel(self.tr("Back-check calls"), factor=1.15)
        root.addWidget(self.heading)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.model = BackcheckModel(self)
        self.view = _table(self.model, "backchecks", 1)
        self.view.selectionModel().currentRowChanged.connect(self._show_current)
        column.addWidget(self.view, 1)
        column.addWidget(self._call_box())
        splitter.addWidget(left)
        right = QWidget()
        rates = QVBoxLayout(right)
        rates.setContentsMargins(0, 0, 0, 0)
        rates_label = QLabel(self.tr("Verification failures per worker (denied / reached)"))
        rates_label.setWordWrap(True)
        rates.addWidget(rates_label)
        self.rates = RateModel(self)
        self.rates_view = _table(self.rates, "backcheck_rates", 2)
        rates.addWidget(self.rates_view, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 300])  # the calls first; the rates' heading wraps
        root.addWidget(splitter, 1)
        ctx.events.data_changed.connect(self.refresh)
        self._show_current()

    def _call_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("backcheck_call")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        self.script = QLabel()
        self.script.setObjectName("backcheck_script")
        self.script.setWordWrap(True)
        self.script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.script)
        # the number to call, masked: Show records the look (the access trail), then shows it
        self.revealer = Revealer(self.ctx, self)
        self.revealer.changed.connect(self._show_current)
        self.reveal_button = QPushButton(self.tr("Show the &number to call"))
        self.reveal_button.setObjectName("backcheck_reveal_phone")
        self.reveal_button.setVisible(self.revealer.allowed)
        self.reveal_button.clicked.connect(self._reveal_phone)
        layout.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.note = QLineEdit()
        self.note.setObjectName("backcheck_note")
        self.note.setPlaceholderText(self.tr("Note (what the household said)"))
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        self.result_buttons: dict[str, QPushButton] = {}
        for code, text in (
            ("confirmed", self.tr("&Confirmed")),
            ("denied", self.tr("&Denied")),
            ("unreachable", self.tr("&Unreachable")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"backcheck_{code}")
            button.clicked.connect(lambda _=False, c=code: self.record(c))
            self.result_buttons[code] = button
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.error = error_label("backcheck_error")
        layout.addWidget(self.error)
        return box

    def refresh(self) -> None:
        reader, today = self.ctx.reader, self.ctx.today()

        def read() -> tuple[list[rr.BackcheckRow], list[rr.FailureRate]]:
            con = reader.connection()
            return rr.backchecks(con), rr.failure_rates(con, today)

        self.ctx.tasks.read(read, self._on_loaded, owner=self)

    start = refresh

    def _on_loaded(self, found: tuple[list[rr.BackcheckRow], list[rr.FailureRate]]) -> None:
        current = self.current()
        rows, rates = found
        self.model.set_rows(rows)
        self.rates.set_rows(rates)
        keep = next((i for i, r in enumerate(rows) if current is not None and r.id == current.id), 0 if rows else -1)
        if keep >= 0:
            self.view.setCurrentIndex(self.model.index(keep, 0))
        self._show_current()
        self.loaded.emit()

    def current(self) -> rr.BackcheckRow | None:
        index = self.view.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def _show_current(self, *_: object) -> None:
        b = self.current()
        self.error.hide()
        open_call = b is not None and not b.pending_result and b.result not in ("confirmed", "denied")
        for button in self.result_buttons.values():
            button.setEnabled(open_call)
        self.note.setEnabled(open_call)
        if b is None:
            self.script.setText(self.tr("No back-check calls have been drawn for this area yet."))
            self.reveal_button.setEnabled(False)
            return
        full = b.household_id is not None and self.revealer.is_shown(b.household_id, "phone")
        self.reveal_button.setEnabled(bool(b.phone) and b.household_id is not None and not full)
        self.script.setText(call_script(b, self.ctx.identity.grid_name, full_phone=full))

    def _reveal_phone(self) -> None:
        b = self.current()
        if b is not None and b.household_id is not None:
            self.revealer.forget()  # only the household called now is shown
            self.revealer.reveal(b.household_id, None, "phone")

    def record(self, result: str) -> None:
        b = self.current()
        if b is None:
            return
        ctx, note, bid = self.ctx, self.note.text().strip(), b.id
        self.error.hide()

        def done(_: object) -> None:
            self.note.clear()
            ctx.events.outbox_changed.emit()
            self.recorded.emit(bid)
            self.refresh()

        def refused(error: Exception) -> None:
            if isinstance(error, ValidationError):
                self.error.setText(error_text(error))
                self.error.show()

        ctx.tasks.write(lambda: ctx.store.record_backcheck(bid, result, note), done, refused, owner=self)


def call_script(b: rr.BackcheckRow, station: str, *, full_phone: bool = False) -> str:
    """What to say on the phone: who calls, about which visit, and the questions."""
    day = b.visited_at.replace(tzinfo=dt.UTC).astimezone() if b.visited_at else None
    when = (
        QCoreApplication.translate("review", "%1 month %2 day")
        .replace("%1", str(day.month))
        .replace("%2", str(day.day))
        if day
        else ""
    )
    text = QCoreApplication.translate(
        "review",
        "Hello, this is %1 calling. May I ask: did grid worker %2 visit your home on %3? "
        "Whom did they meet, and was what you raised recorded? Thank you.",
    )
    caller = station or QCoreApplication.translate("review", "the community work station")
    phone = b.phone if full_phone else mask_phone(b.phone)
    return f"{b.head} · {phone} · {b.household}\n" + text.replace("%1", caller).replace(
        "%2", b.worker or QCoreApplication.translate("review", "the grid worker")
    ).replace("%3", when)
