"""The review queue: the area's visits newest first, filtered, reviewed from the keyboard.

Arrows move; A approves, R returns (a dialog), Q questions (a dialog), O reopens an approved visit (a
dialog); Ctrl+A selects the visits loaded and Ctrl+Shift+A approves the selection after a confirmation
naming how many. Every review goes through the store on the writer thread (one transaction with its
outbox entry); the row then shows 待同步 and the sync is nudged (``outbox_changed``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.store import review_reads as rr
from gridworker.store.review_filter import ReviewFilter
from gridworker.ui import labels as common
from gridworker.ui.context import AppContext
from gridworker.ui.forms import error_label
from gridworker.ui.i18n import error_text
from gridworker.ui.review import labels
from gridworker.ui.review.detail import DetailPane
from gridworker.ui.review.dialogs import ReviewDialog
from gridworker.ui.review.filter_widgets import ANY_DATE, filter_combo, filter_date
from gridworker.ui.review.queue_model import QueueModel
from gridworker.ui.widgets import FlowLayout
from gridworker_shared.domain.codes import OUTCOMES
from gridworker_shared.domain.review import STATES, StreetSettings, allowed
from gridworker_shared.domain.validation import ValidationError


class QueueView(QTableView):
    """The queue's table: the review's letter keys act on the current visit (a shortcut of the table
    alone, so typing in the filter bar never approves anything)."""

    key_action = Signal(str)
    KEYS: ClassVar[dict[Qt.Key, str]] = {
        Qt.Key.Key_A: "approve",
        Qt.Key.Key_R: "return",
        Qt.Key.Key_Q: "question",
        Qt.Key.Key_O: "reopen",
    }

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = Qt.Key(event.key())
        if mods == Qt.KeyboardModifier.NoModifier and key in self.KEYS:
            self.key_action.emit(self.KEYS[key])
            return
        if mods == (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier) and key == Qt.Key.Key_A:
            self.key_action.emit("approve_selected")
            return
        super().keyPressEvent(event)


class ReviewQueuePage(QWidget):
    # a filter's first page is on screen (argument: the model's generation)
    searched = Signal(int)
    # a visit's detail is shown (argument: its number)
    detail_shown = Signal(int)
    # a review was queued (argument: the visit numbers)
    reviewed = Signal(object)
    # a dialog is open (tests and screenshots drive it)
    dialog_opened = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = StreetSettings()
        self._grids: list[rr.Choice] = []
        self._workers: list[rr.Choice] = []
        self._filling = False
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addLayout(self._filter_bar())
        self.model = QueueModel(ctx.tasks, self)
        self.model.loaded.connect(self._on_loaded)
        self.view = self._make_view()
        self.detail = DetailPane()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view, 1)
        column.addLayout(self._buttons())
        self.error = error_label("review_page_error")
        column.addWidget(self.error)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 280])  # the table's columns would otherwise squeeze the detail
        self.splitter = splitter
        root.addWidget(splitter, 1)
        self._shortcuts()
        self._fit_columns(QApplication.font())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._fit_columns)
        ctx.events.data_changed.connect(self.refresh_rows)
        self._update_buttons()

    # -- building ------------------------------------------------------------------------------------

    def _combo(self, name: str, any_text: str) -> QComboBox:
        return filter_combo(name, any_text, self._on_filter)

    def _date(self, name: str) -> QDateEdit:
        return filter_date(name, self._on_filter)

    def _filter_bar(self) -> FlowLayout:
        every = self.tr("All")
        self.community = self._combo("filter_community", self.tr("All communities"))
        self.grid = self._combo("filter_grid", self.tr("All grids"))
        self.worker = self._combo("filter_worker", self.tr("All workers"))
        self.date_from = self._date("filter_from")
        self.date_to = self._date("filter_to")
        self.outcome = self._combo("filter_outcome", every)
        for o in OUTCOMES:
            self.outcome.addItem(common.outcome(o.code), o.code)
        self.state = self._combo("filter_state", every)
        for s in STATES:
            self.state.addItem(labels.state(s), s)
        self.flag = self._combo("filter_flag", every)
        for code in labels.FLAGS:
            self.flag.addItem(labels.flag(code), code)
            self.flag.setItemData(self.flag.count() - 1, labels.flag_sentence(code), Qt.ItemDataRole.ToolTipRole)
        flow = FlowLayout()
        fields = (
            (self.tr("&Community:"), self.community),
            (self.tr("&Grid:"), self.grid),
            (self.tr("&Worker:"), self.worker),
            (self.tr("Fro&m:"), self.date_from),
            (self.tr("&To:"), self.date_to),
            (self.tr("O&utcome:"), self.outcome),
            (self.tr("&State:"), self.state),
            (self.tr("F&lag:"), self.flag),
        )
        for text, widget in fields:
            # a label and its field wrap together onto the next line at a large text size
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            flow.addWidget(pair)
        self.count_label = QLabel()
        self.count_label.setObjectName("review_count")
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.setObjectName("review_clear_filters")
        self.clear_button.clicked.connect(self.clear_filters)
        flow.addWidget(self.clear_button)
        flow.addWidget(self.count_label)
        return flow

    def _make_view(self) -> QueueView:
        view = QueueView()
        view.setObjectName("review_queue")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        header = view.horizontalHeader()
        # widths from the text they hold, not measured over every row on each new page (resizing to
        # the contents asked the model for every cell of a 100-row page again: 20 ms a filter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(QueueModel.COL_ADDRESS, QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(self._on_current)
        view.selectionModel().selectionChanged.connect(self._update_buttons)
        return view

    def _fit_columns(self, font: QFont) -> None:
        """Each column as wide as the longest text it usually holds, in the current language and size."""
        metrics = QFontMetrics(font)
        samples = {
            QueueModel.COL_TIME: "2026-12-31 23:59",
            QueueModel.COL_GRID: "运河湾社区第1网格",
            QueueModel.COL_WORKER: "欧阳建国",
            QueueModel.COL_OUTCOME: max((common.outcome(o.code) for o in OUTCOMES), key=len),
            QueueModel.COL_STATE: max(
                labels.state("returned"),
                labels.state("pending") + " · " + QCoreApplication.translate("review", "correction"),
                key=metrics.horizontalAdvance,
            ),
            QueueModel.COL_FLAGS: max((labels.flag(c) for c in labels.FLAGS), key=len),
        }
        header = self.view.horizontalHeader()
        for column, text in samples.items():
            heading = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(text), metrics.horizontalAdvance(heading))
            header.resizeSection(column, width + metrics.averageCharWidth() * 2)

    def _buttons(self) -> FlowLayout:
        row = FlowLayout()
        self.approve_button = QPushButton(self.tr("Approve (A)"))
        self.approve_button.setObjectName("review_approve")
        self.approve_button.clicked.connect(self.approve)
        self.return_button = QPushButton(self.tr("Return… (R)"))
        self.return_button.setObjectName("review_return")
        self.return_button.clicked.connect(lambda: self.open_dialog("return"))
        self.question_button = QPushButton(self.tr("Question… (Q)"))
        self.question_button.setObjectName("review_question")
        self.question_button.clicked.connect(lambda: self.open_dialog("question"))
        self.reopen_button = QPushButton(self.tr("Reopen… (O)"))
        self.reopen_button.setObjectName("review_reopen")
        self.reopen_button.clicked.connect(lambda: self.open_dialog("reopen"))
        self.bulk_button = QPushButton(self.tr("Approve selected (Ctrl+Shift+A)"))
        self.bulk_button.setObjectName("review_bulk_approve")
        self.bulk_button.clicked.connect(self.approve_selected)
        for b in (self.approve_button, self.return_button, self.question_button, self.reopen_button):
            row.addWidget(b)
        row.addWidget(self.bulk_button)
        return row

    def _shortcuts(self) -> None:
        actions: dict[str, Callable[[], Any]] = {
            "approve": self.approve,
            "return": lambda: self.open_dialog("return"),
            "question": lambda: self.open_dialog("question"),
            "reopen": lambda: self.open_dialog("reopen"),
            "approve_selected": self.approve_selected,
        }
        self.view.key_action.connect(lambda name: actions[name]())

    # -- filters ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """The filters' choices and the first page (off the GUI thread)."""
        reader = self.ctx.reader

        def choices() -> tuple[list[rr.Choice], list[rr.Choice], list[rr.Choice], StreetSettings]:
            con = reader.connection()
            return rr.communities(con), rr.grids(con), rr.workers(con), rr.street_settings(con)

        self.ctx.tasks.read(choices, self._on_choices, owner=self)
        self.reload()

    def _on_choices(self, found: tuple[list[rr.Choice], list[rr.Choice], list[rr.Choice], StreetSettings]) -> None:
        communities, self._grids, self._workers, self.settings = found
        self.model.settings = self.settings
        self._filling = True
        # ids as hex text: a combo box finds a string by its data, not a Python object
        for choice in communities:
            self.community.addItem(choice.name, choice.id.hex)
        self._filling = False
        self._fill_grids()

    def _fill_grids(self) -> None:
        """The grid list holds the chosen community's grids (all of them when none is chosen)."""
        community = self.community.currentData()
        current = self.grid.currentData()
        self._filling = True
        self.grid.clear()
        self.grid.addItem(self.tr("All grids"), None)
        for g in self._grids:
            if community is None or (g.parent_id is not None and g.parent_id.hex == community):
                self.grid.addItem(g.name, g.id.hex)
        found = self.grid.findData(current)
        self.grid.setCurrentIndex(max(found, 0))
        self._filling = False
        self._fill_workers()

    def _fill_workers(self) -> None:
        """The worker list holds the workers of the chosen grid, else of the chosen community."""
        grid, community = self.grid.currentData(), self.community.currentData()
        if grid is not None:
            grids: set[str] | None = {grid}
        elif community is not None:
            grids = {g.id.hex for g in self._grids if g.parent_id is not None and g.parent_id.hex == community}
        else:
            grids = None
        current = self.worker.currentData()
        self._filling = True
        self.worker.clear()
        self.worker.addItem(self.tr("All workers"), None)
        for w in self._workers:
            if grids is None or (w.parent_id is not None and w.parent_id.hex in grids):
                self.worker.addItem(w.name, w.id.hex)
        self.worker.setCurrentIndex(max(self.worker.findData(current), 0))
        self._filling = False

    def _on_filter(self, *_: object) -> None:
        if self._filling:
            return
        if self.sender() is self.community:
            self._fill_grids()
        elif self.sender() is self.grid:
            self._fill_workers()
        self.reload()

    @staticmethod
    def _day(edit: QDateEdit) -> dt.date | None:
        value = edit.date()
        return None if value == ANY_DATE else dt.date(value.year(), value.month(), value.day())

    def current_filter(self) -> ReviewFilter:
        """What the filter bar says (the export writes the same visits)."""

        def data(combo: QComboBox) -> Any:
            return combo.currentData()

        def uid(combo: QComboBox) -> uuid.UUID | None:
            value = combo.currentData()
            return uuid.UUID(hex=value) if isinstance(value, str) and value else None

        return ReviewFilter(
            community_id=uid(self.community),
            grid_id=uid(self.grid),
            worker_id=uid(self.worker),
            date_from=self._day(self.date_from),
            date_to=self._day(self.date_to),
            outcome=data(self.outcome) or "",
            state=data(self.state) or "",
            flag=data(self.flag) or "",
        )

    def clear_filters(self) -> None:
        self._filling = True
        for combo in (self.community, self.worker, self.outcome, self.state, self.flag):
            combo.setCurrentIndex(0)
        for edit in (self.date_from, self.date_to):
            edit.setDate(ANY_DATE)
        self._filling = False
        self._fill_grids()
        self._filling = True
        self.grid.setCurrentIndex(0)
        self._filling = False
        self.reload()

    def reload(self) -> None:
        reader, flt, offset = self.ctx.reader, self.current_filter(), rr.local_offset()
        self.model.load(lambda after, limit: rr.queue_page(reader.connection(), flt, offset, after, limit))
        self.ctx.tasks.read(lambda: rr.queue_count(reader.connection(), flt, offset), self._on_count, owner=self)

    def refresh_rows(self) -> None:
        """A sync brought the server's decisions: the rows on screen show them in place, and the
        reviewer keeps their place in the list (a new visit shows once the filter is asked again)."""
        nos = [self.model.record(i).no for i in range(self.model.rowCount())]
        if not nos:
            self.reload()
            return
        reader, flt, offset = self.ctx.reader, self.current_filter(), rr.local_offset()

        def read() -> tuple[list[rr.QueueRow], int]:
            con = reader.connection()
            rows = [r for i in range(0, len(nos), 500) for r in rr.queue_rows(con, nos[i : i + 500])]
            return rows, rr.queue_count(con, flt, offset)

        def shown(found: tuple[list[rr.QueueRow], int]) -> None:
            self.model.replace(found[0])
            self._on_count(found[1])
            self._update_buttons()
            self._on_current(self.view.currentIndex())

        self.ctx.tasks.read(read, shown, owner=self)

    def _on_count(self, count: int) -> None:
        self.count_label.setText(self.tr("%n visit(s)", "", count))

    def _on_loaded(self, generation: int) -> None:
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))
        elif not self.model.rowCount():
            self.detail.show_empty()
        else:
            self._on_current(self.view.currentIndex())
        self._update_buttons()
        self.searched.emit(generation)

    # -- the current visit ----------------------------------------------------------------------------

    def current(self) -> rr.QueueRow | None:
        index = self.view.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def selected(self) -> list[rr.QueueRow]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows]

    def _on_current(self, index: QModelIndex, *_: object) -> None:
        self._update_buttons()
        if not index.isValid():
            self.detail.show_empty()
            return
        no, reader = self.model.record(index.row()).no, self.ctx.reader
        self.ctx.tasks.read(lambda: rr.visit_detail(reader.connection(), no), self._on_detail, owner=self)

    def _on_detail(self, detail: rr.VisitDetail | None) -> None:
        current = self.current()
        if detail is None or current is None or detail.row.no != current.no:
            return
        self.detail.show_detail(detail, self.settings)
        self.detail_shown.emit(detail.row.no)

    def _update_buttons(self, *_: object) -> None:
        row = self.current()
        can = allowed(row.state) if row is not None and not row.pending_action else ()
        self.approve_button.setEnabled("approve" in can)
        self.return_button.setEnabled("return" in can)
        self.question_button.setEnabled("question" in can)
        self.reopen_button.setEnabled("reopen" in can)
        count = len(self.view.selectionModel().selectedRows())
        self.bulk_button.setEnabled(count > 1)

    # -- reviewing --------------------------------------------------------------------------------------

    def _visit_text(self, row: rr.QueueRow) -> str:
        return " · ".join(
            p
            for p in (
                common.local_datetime(row.visited_at),
                row.worker,
                common.long_address(row.compound, row.building, row.unit, row.room),
                common.outcome(row.outcome),
            )
            if p
        )

    def approve(self) -> None:
        if len(self.view.selectionModel().selectedRows()) > 1:
            self.approve_selected()
            return
        row = self.current()
        if row is None:
            return
        self._send(row.no, "approve", "", "", [], lambda _: None, self._show_error)

    def _send(
        self,
        no: int,
        action: str,
        reason: str,
        comment: str,
        pins: list[str],
        on_done: Callable[[object], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        self.error.hide()
        ctx = self.ctx

        def done(result: object) -> None:
            self._after_review([no])
            on_done(result)

        ctx.tasks.write(lambda: ctx.store.review_visit(no, action, reason, comment, pins), done, on_error, owner=self)

    def _show_error(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.error.setText(error_text(error))
            self.error.show()

    def open_dialog(self, action: str) -> ReviewDialog | None:
        row = self.current()
        if row is None:
            return None
        if row.pending_action or action not in allowed(row.state):
            # the store's own words (the same messages it refuses with)
            text = (
                QCoreApplication.translate("validation", "A review of this visit is still waiting to be sent.")
                if row.pending_action
                else QCoreApplication.translate("validation", "This visit cannot be given that review in its state.")
            )
            self.error.setText(text)
            self.error.show()
            return None
        no = row.no

        def submit(
            act: str,
            reason: str,
            comment: str,
            pins: list[str],
            on_done: Callable[[object], None],
            on_error: Callable[[Exception], None],
        ) -> None:
            self._send(no, act, reason, comment, pins, on_done, on_error)

        dialog = ReviewDialog(action, self._visit_text(row), submit, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _: self.view.setFocus())
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def approve_selected(self) -> QMessageBox | None:
        rows = [r for r in self.selected() if not r.pending_action and "approve" in allowed(r.state)]
        if not rows:
            self.error.setText(self.tr("None of the selected visits can be approved now."))
            self.error.show()
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Approve the selection"),
            self.tr("Approve %n visit(s)?", "", len(rows)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("review_bulk_confirm")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        nos = [r.no for r in rows]

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                ctx = self.ctx
                ctx.tasks.write(lambda: ctx.store.approve_many(nos), lambda _: self._after_review(nos), owner=self)
            self.view.setFocus()

        box.finished.connect(answered)
        box.open()
        self.dialog_opened.emit(box)
        return box

    def _after_review(self, nos: list[int]) -> None:
        """The reviewed rows show 待同步; the sync is nudged and the unsent count follows."""
        self.ctx.events.outbox_changed.emit()
        reader = self.ctx.reader

        def shown(rows: list[rr.QueueRow]) -> None:
            self.model.replace(rows)
            self._update_buttons()
            current = self.current()
            if current is not None and current.no in nos:
                following = self.view.currentIndex().row() + 1
                if len(nos) == 1 and following < self.model.rowCount():
                    # one visit reviewed from the keyboard: on to the next, as a reviewer goes down the list
                    self.view.setCurrentIndex(self.model.index(following, 0))
                else:
                    self._on_current(self.view.currentIndex())
            self.reviewed.emit(nos)

        self.ctx.tasks.read(lambda: rr.queue_rows(reader.connection(), nos), shown, owner=self)
