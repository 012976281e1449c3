"""The station's or supervisor's requests board (诉求看板): the area's resident requests by status,
category, department, community and grid, registration days, overdue only or bounced twice, newest
first or by deadline, a page at a time from the reader thread (gridworker.store.board_reads); or
the supervisor's 督办 list (overdue and bounced-twice requests). Overdue rows are red, bounced-twice
ones marked; the request's full history beside it. The steps (受理 A, 即办 J, 派单 D, 延期 E, 改派 G,
合并 M, 电话回访 H: keys of the table) go through the store's request services on the writer thread
(one outbox entry each); the row then shows its step waiting until a sync brings the server's status."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gridworker.store import board_reads as rq
from gridworker.store import review_reads as rr
from gridworker.store.services.requests import StepExtras
from gridworker.ui import labels as common
from gridworker.ui.context import AppContext
from gridworker.ui.forms import error_label
from gridworker.ui.reveal import Revealer
from gridworker.ui.review.filter_widgets import ANY_DATE, filter_combo, filter_date
from gridworker.ui.review.request_board_model import (
    ACTIONS,
    STATUS_LABELS,
    BoardModel,
    allowed_steps,
    history_html,
)
from gridworker.ui.review.request_dialogs import StepDialog
from gridworker.ui.widgets import FlowLayout
from gridworker_shared.domain.codes import REQUEST_CATEGORIES
from gridworker_shared.domain.review import StreetSettings


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BoardView(QTableView):
    """The board's table: a step's letter acts on the current request (typing in the filters never does)."""

    key_action = Signal(str)
    KEYS: ClassVar[dict[int, str]] = {getattr(Qt.Key, f"Key_{key}").value: step for step, _, key in ACTIONS}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.NoModifier and event.key() in self.KEYS:
            self.key_action.emit(self.KEYS[event.key()])
            return
        super().keyPressEvent(event)


class RequestsBoardPage(QWidget):
    # a filter's first page (or the supervisor's list) is on screen (argument: the model's generation)
    searched = Signal(int)
    # a request's history is shown (argument: its id)
    detail_shown = Signal(object)
    # a step was queued (argument: the request's id)
    stepped = Signal(object)
    # a dialog is open (tests and screenshots drive it)
    dialog_opened = Signal(object)

    def __init__(
        self, ctx: AppContext, now: Callable[[], dt.datetime] = utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("requests_board")
        self.ctx = ctx
        self.now = now
        self.settings = StreetSettings()
        self.departments: list[rq.Department] = []
        self._grids: list[rr.Choice] = []
        self._filling = False
        self._detail: rq.RequestDetail | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addLayout(self._filter_bar())
        self.model = BoardModel(ctx.tasks, self)
        self.model.loaded.connect(self._on_loaded)
        self.view = self._make_view()
        self.detail = QTextBrowser()
        self.detail.setObjectName("request_detail")
        self.detail.setOpenLinks(False)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view, 1)
        column.addLayout(self._buttons())
        self.error = error_label("requests_board_error")
        column.addWidget(self.error)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 260])
        root.addWidget(self.splitter, 1)
        self.view.key_action.connect(self.open_step)
        self._fit_columns(QApplication.font())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._fit_columns)
        ctx.events.data_changed.connect(self.reload)
        self._update_buttons()

    # -- building ---------------------------------------------------------------------------------------

    def _combo(self, name: str, any_text: str) -> QComboBox:
        return filter_combo(name, any_text, self._on_filter)

    def _date(self, name: str) -> QDateEdit:
        return filter_date(name, self._on_filter)

    def _check(self, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(name)
        box.toggled.connect(self._on_filter)
        return box

    def _filter_bar(self) -> FlowLayout:
        self.status = self._combo("requests_status", self.tr("All"))
        self.status.addItem(self.tr("Open"), "open")
        for code in STATUS_LABELS:
            self.status.addItem(QApplication.translate("requests", STATUS_LABELS[code]), code)
        self.category = self._combo("requests_category", self.tr("All"))
        for c in REQUEST_CATEGORIES:
            self.category.addItem(common.category(c.code), c.code)
        self.department = self._combo("requests_department", self.tr("All departments"))
        self.community = self._combo("requests_community", self.tr("All communities"))
        self.grid = self._combo("requests_grid", self.tr("All grids"))
        self.date_from = self._date("requests_from")
        self.date_to = self._date("requests_to")
        self.order = self._combo("requests_order", self.tr("Newest first"))
        self.order.setItemData(0, "newest")
        self.order.addItem(self.tr("By deadline"), "deadline")
        self.overdue = self._check("requests_overdue", self.tr("&Overdue only"))
        self.bounced = self._check("requests_bounced", self.tr("Sent back &twice"))
        self.supervision = self._check("requests_supervision", self.tr("Super&vision list"))
        self.supervision.setToolTip(self.tr("Overdue requests and those sent back twice or more: the supervisor acts"))
        flow = FlowLayout()
        for text, widget in (
            (self.tr("&Status:"), self.status),
            (self.tr("&Category:"), self.category),
            (self.tr("De&partment:"), self.department),
            (self.tr("Co&mmunity:"), self.community),
            (self.tr("&Grid:"), self.grid),
            (self.tr("&From:"), self.date_from),
            (self.tr("To:"), self.date_to),
            (self.tr("O&rder:"), self.order),
        ):
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            flow.addWidget(pair)
        for box in (self.overdue, self.bounced, self.supervision):
            flow.addWidget(box)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.setObjectName("requests_clear")
        self.clear_button.clicked.connect(self.clear_filters)
        flow.addWidget(self.clear_button)
        self.count_label = QLabel()
        self.count_label.setObjectName("requests_count")
        flow.addWidget(self.count_label)
        return flow

    def _make_view(self) -> BoardView:
        view = BoardView()
        view.setObjectName("requests_table")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(BoardModel.COL_HOME, QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(self._on_current)
        return view

    def _fit_columns(self, font: QFont) -> None:
        bold = QFont(font)
        bold.setBold(True)  # an overdue deadline and a bounced-twice mark are bold
        metrics = QFontMetrics(bold)
        samples = {
            BoardModel.COL_TIME: "2026-12-31 23:59",
            BoardModel.COL_AREA: "运河湾社区第1网格",
            BoardModel.COL_CATEGORY: "消防通道堵塞",
            BoardModel.COL_STATUS: QApplication.translate("requests", "Dispatched") + " · 待同步",
            BoardModel.COL_DEPARTMENT: "城管执法中队",
            BoardModel.COL_DEADLINE: "12-31 23:59 超期",
            BoardModel.COL_BOUNCES: "⚑ 2",
        }
        header = self.view.horizontalHeader()
        for column, text in samples.items():
            heading = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(text), metrics.horizontalAdvance(heading))
            header.resizeSection(column, width + metrics.averageCharWidth() * 2)

    def _buttons(self) -> FlowLayout:
        row = FlowLayout()
        self.buttons: dict[str, QPushButton] = {}
        for step, text, key in ACTIONS:
            button = QPushButton(f"{QApplication.translate('requests', text)} [{key}]")
            button.setObjectName(f"request_{step}")
            button.clicked.connect(lambda _=False, s=step: self.open_step(s))
            self.buttons[step] = button
            row.addWidget(button)
        # the resident's phone, masked in the detail: Show records the look (the access trail), then shows it
        self.revealer = Revealer(self.ctx, self)
        self.revealer.changed.connect(self._show_detail)
        self.reveal_button = QPushButton(self.tr("Show the &number to call"))
        self.reveal_button.setObjectName("request_reveal_phone")
        self.reveal_button.setVisible(self.revealer.allowed)
        self.reveal_button.clicked.connect(self._reveal_phone)
        row.addWidget(self.reveal_button)
        return row

    def _reveal_phone(self) -> None:
        detail = self._detail
        if detail is not None and detail.row.phone:
            self.revealer.forget()  # only the resident of the request on screen is shown
            self.revealer.reveal(detail.row.household_id, None, "phone")

    def _show_detail(self) -> None:
        detail = self._detail
        if detail is None:
            return
        full = self.revealer.is_shown(detail.row.household_id, "phone")
        self.detail.setHtml(history_html(detail, full_phone=full))
        self.reveal_button.setEnabled(bool(detail.row.phone) and not full)

    # -- filters -----------------------------------------------------------------------------------------

    def start(self) -> None:
        reader = self.ctx.reader

        def choices() -> tuple[list[rr.Choice], list[rr.Choice], list[rq.Department], StreetSettings]:
            con = reader.connection()
            return rr.communities(con), rr.grids(con), rq.departments_of(con), rr.street_settings(con)

        self.ctx.tasks.read(choices, self._on_choices, owner=self)
        self.reload()

    def _on_choices(self, found: tuple[list[rr.Choice], list[rr.Choice], list[rq.Department], StreetSettings]) -> None:
        communities, self._grids, self.departments, self.settings = found
        self._filling = True
        for choice in communities:
            self.community.addItem(choice.name, choice.id.hex)
        for d in self.departments:
            self.department.addItem(d.name, d.id.hex)
        self._filling = False
        self._fill_grids()

    def _fill_grids(self) -> None:
        community, current = self.community.currentData(), self.grid.currentData()
        self._filling = True
        self.grid.clear()
        self.grid.addItem(self.tr("All grids"), None)
        for g in self._grids:
            if community is None or (g.parent_id is not None and g.parent_id.hex == community):
                self.grid.addItem(g.name, g.id.hex)
        self.grid.setCurrentIndex(max(self.grid.findData(current), 0))
        self._filling = False

    def _on_filter(self, *_: object) -> None:
        if self._filling:
            return
        if self.sender() is self.community:
            self._fill_grids()
        self.reload()

    @staticmethod
    def _day(edit: QDateEdit) -> dt.date | None:
        value = edit.date()
        return None if value == ANY_DATE else dt.date(value.year(), value.month(), value.day())

    def current_filter(self) -> rq.RequestFilter:
        def uid(combo: QComboBox) -> uuid.UUID | None:
            value = combo.currentData()
            return uuid.UUID(hex=value) if isinstance(value, str) and value else None

        return rq.RequestFilter(
            status=self.status.currentData() or "",
            category=self.category.currentData() or "",
            department_id=uid(self.department),
            overdue=self.overdue.isChecked(),
            bounced=self.bounced.isChecked(),
            community_id=uid(self.community),
            grid_id=uid(self.grid),
            date_from=self._day(self.date_from),
            date_to=self._day(self.date_to),
            order="deadline" if self.order.currentData() == "deadline" else "newest",
        )

    def clear_filters(self) -> None:
        self._filling = True
        for combo in (self.status, self.category, self.department, self.community, self.order):
            combo.setCurrentIndex(0)
        for edit in (self.date_from, self.date_to):
            edit.setDate(ANY_DATE)
        for box in (self.overdue, self.bounced, self.supervision):
            box.setChecked(False)
        self._filling = False
        self._fill_grids()
        self.reload()

    def reload(self) -> None:
        reader, now, offset = self.ctx.reader, self.now(), rr.local_offset()
        board_only = not self.supervision.isChecked()
        widgets: tuple[QWidget, ...] = (self.status, self.category, self.department, self.community, self.grid)
        for widget in (*widgets, self.order, self.date_from, self.date_to, self.overdue, self.bounced):
            widget.setEnabled(board_only)
        if not board_only:
            self.model.load(lambda after, limit: rq.BoardPage(rq.supervision(reader.connection(), now), False))
            self.count_label.setText("")
            return
        flt = self.current_filter()
        self.model.load(lambda after, limit: rq.board_page(reader.connection(), flt, now, offset, after, limit))
        self.ctx.tasks.read(lambda: rq.board_count(reader.connection(), flt, now, offset), self._on_count, owner=self)

    def _on_count(self, count: int) -> None:
        self.count_label.setText(self.tr("%n request(s)", "", count))

    def _on_loaded(self, generation: int) -> None:
        if self.supervision.isChecked():
            self.count_label.setText(self.tr("%n request(s) to supervise", "", self.model.rowCount()))
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
            self._on_current(self.view.currentIndex())
        else:
            self._detail = None
            self.reveal_button.setEnabled(False)
            self.detail.setHtml("<p>" + self.tr("No request matches these filters.") + "</p>")
        self._update_buttons()
        self.searched.emit(generation)

    # -- the current request --------------------------------------------------------------------------

    def current(self) -> rq.BoardRow | None:
        index = self.view.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _on_current(self, index: QModelIndex, *_: object) -> None:
        self._update_buttons()
        if not index.isValid():
            return
        rid, reader, now = self.model.record(index.row()).id, self.ctx.reader, self.now()
        self.ctx.tasks.read(lambda: rq.request_detail(reader.connection(), rid, now), self._on_detail, owner=self)

    def _on_detail(self, detail: rq.RequestDetail | None) -> None:
        current = self.current()
        if detail is None or current is None or detail.row.id != current.id:
            return
        self._detail = detail
        self._show_detail()
        self.detail_shown.emit(detail.row.id)

    def _update_buttons(self, *_: object) -> None:
        row = self.current()
        can = allowed_steps(row, self.ctx.identity.role) if row is not None else set()
        for step, button in self.buttons.items():
            button.setEnabled(step in can)

    # -- steps ----------------------------------------------------------------------------------------------

    def open_step(self, step: str) -> StepDialog | None:
        row = self.current()
        if row is None:
            return None
        if step not in allowed_steps(row, self.ctx.identity.role):
            self.error.setText(
                self.tr("A step of this request is still waiting to be sent.")
                if row.pending_step
                else self.tr("This request cannot take that step in its status, or your role may not take it.")
            )
            self.error.show()
            return None
        self.error.hide()
        if step == "accept":
            self._send(row.id, step, "", StepExtras(), lambda _: None, self._show_error)
            return None
        targets: list[rq.BoardRow] = []
        if step == "merge":
            targets = rq.merge_targets(self.ctx.reader.connection(), row.id, self.now())
        rid = row.id

        def submit(
            s: str, note: str, extras: StepExtras, done: Callable[[object], None], failed: Callable[[Exception], None]
        ) -> None:
            self._send(rid, s, note, extras, done, failed)

        dialog = StepDialog(step, row, submit, self.departments, targets, self.settings.deadline_days, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _: self.view.setFocus())
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _send(
        self,
        rid: uuid.UUID,
        step: str,
        note: str,
        extras: StepExtras,
        on_done: Callable[[object], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        ctx = self.ctx

        def done(result: object) -> None:
            self._after_step(rid)
            on_done(result)

        ctx.tasks.write(lambda: ctx.store.request_step(rid, step, note, extras), done, on_error, owner=self)

    def _show_error(self, error: Exception) -> None:
        from gridworker.ui.i18n import error_text
        from gridworker_shared.domain.validation import ValidationError

        self.error.setText(error_text(error) if isinstance(error, ValidationError) else str(error))
        self.error.show()

    def _after_step(self, rid: uuid.UUID) -> None:
        self.ctx.events.outbox_changed.emit()
        reader, now = self.ctx.reader, self.now()

        def shown(rows: list[rq.BoardRow]) -> None:
            self.model.replace(rows)
            self._update_buttons()
            current = self.current()
            if current is not None and current.id == rid:
                self._on_current(self.view.currentIndex())
            self.stepped.emit(rid)

        self.ctx.tasks.read(lambda: rq.board_rows(reader.connection(), [rid], now), shown, owner=self)


def requests_board_page(ctx: AppContext, _queue_filter: Any = None) -> RequestsBoardPage:
    """The page as the review workspace builds it (``register_page("requests", requests_board_page)``)."""
    return RequestsBoardPage(ctx)
