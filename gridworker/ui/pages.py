"""The main pages: Today (due visits, this month's coverage) and Households (search as you type)."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.rows import PAGE_SIZE, Coverage, DraftRow, Filters, HouseholdRow
from gridworker.ui import labels
from gridworker.ui.context import AppContext
from gridworker.ui.household_panel import HouseholdPanel
from gridworker.ui.models import RECORD_ROLE, HouseholdTableModel, PageLoader
from gridworker.ui.request_callback import CallbackList
from gridworker.ui.widgets import HeadingLabel

# a reload after an edit reads at most this many rows in one go (a long-scrolled list starts over)
MAX_RELOAD_ROWS = 2000


class HouseholdBrowser(QSplitter):
    """A paged list of households beside the selected household's details. With ``multi``, several
    rows can be selected (Shift, Ctrl), for a batch of contact cards; the panel shows the current one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, multi: bool = False) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.ctx = ctx
        self.model = HouseholdTableModel(ctx.tasks, ctx.today, self)
        self.view = QTableView()
        self.view.setObjectName("household_list")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        # fixed widths from the font, never ResizeToContents: that measures every loaded row on each
        # update (thousands of data() calls per keystroke on a long list)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(HouseholdTableModel.COL_TAGS, QHeaderView.ResizeMode.Stretch)
        self._size_columns(QApplication.font())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._size_columns)
        self.view.setColumnHidden(HouseholdTableModel.COL_PHONE, True)
        self.view.setColumnHidden(HouseholdTableModel.COL_LAST_MET, True)
        self.panel = HouseholdPanel(ctx)
        # the household scrolls rather than make the window taller than the screen (a large text size)
        self.panel_scroll = QScrollArea()
        self.panel_scroll.setWidgetResizable(True)
        self.panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.panel_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.panel_scroll.setWidget(self.panel)
        self.addWidget(self.view)
        self.addWidget(self.panel_scroll)
        # the list is what the worker works through; the household beside it wraps to fit
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setSizes([3000, 2000])  # scaled to the real width: three fifths for the list
        self.setChildrenCollapsible(False)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.view.activated.connect(self._on_activated)  # Enter or a double click: record a visit
        self.model.loaded.connect(self._on_loaded)
        ctx.events.household_changed.connect(self._on_household_changed)
        self._loader: PageLoader | None = None
        self._keep: uuid.UUID | None = None
        self._keep_row = 0

    def _size_columns(self, font: QFont) -> None:
        metrics = QFontMetrics(font)
        samples = {
            HouseholdTableModel.COL_DUE: [
                labels.due_text(dt.date(2000, 1, 1), dt.date(2000, 1, 1), None),
                labels.due_text(dt.date(2000, 1, 1), dt.date(2000, 4, 9)),
            ],
            HouseholdTableModel.COL_ADDRESS: ["幸福家园三期 12-3-1203"],
            HouseholdTableModel.COL_HEAD: ["欧阳建国"],
            HouseholdTableModel.COL_PHONE: ["0527-84361234"],
            HouseholdTableModel.COL_LAST_MET: ["2026-11-27"],
            HouseholdTableModel.COL_SYNC: [labels.sync_state("pending")],
        }
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(t) for t in [*texts, title])
            self.view.setColumnWidth(column, width + metrics.horizontalAdvance("M") * 2)
        # the list is never so narrow that the head of household scrolls out of sight (the largest
        # text size): the household beside it wraps instead
        shown = (HouseholdTableModel.COL_DUE, HouseholdTableModel.COL_ADDRESS, HouseholdTableModel.COL_HEAD)
        needed = sum(self.view.columnWidth(c) for c in shown)
        scrollbar = self.view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.view.setMinimumWidth(needed + scrollbar + 2 * self.view.frameWidth() + 2)

    def _on_activated(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if isinstance(record, HouseholdRow) and self.panel.detail is not None and self.panel.detail.id == record.id:
            self.panel.visit_button.click()

    def load(self, loader: PageLoader) -> int:
        """A new list (another query, filter or day): the first row is selected when it arrives."""
        self._loader = loader
        self._keep = None
        self._keep_row = 0
        return self.model.load(loader)

    def _on_household_changed(self, _household_id: object) -> None:
        self.reload()

    def reload(self) -> None:
        """The same list after an edit: as many rows as were loaded, the same household selected;
        if it left the list (visited, so no longer due), the one now in its place: next door."""
        if self._loader is None:
            return
        current = self.current_household()
        self._keep = current.id if current else None
        self._keep_row = max(self.view.currentIndex().row(), 0)
        self.model.load(self._loader, rows=min(max(PAGE_SIZE, self.model.rowCount()), MAX_RELOAD_ROWS))

    def selected_ids(self) -> list[uuid.UUID]:
        """The households selected in the list, in list (walking) order."""
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.record(r).id for r in rows]

    def current_household(self) -> HouseholdRow | None:
        index = self.view.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, HouseholdRow) else None

    def _on_loaded(self, _generation: int) -> None:
        """Keep the selection on the same household across a reload. If it left the list (visited,
        so no longer due), select the one now in its place: the next door in walking order."""
        target = min(self._keep_row, self.model.rowCount() - 1)
        if self._keep is not None:
            for row in range(self.model.rowCount()):
                if self.model.record(row).id == self._keep:
                    target = row
                    break
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(target, HouseholdTableModel.COL_ADDRESS))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = current.data(RECORD_ROLE) if current.isValid() else None
        if isinstance(record, HouseholdRow) and (self.panel.detail is None or self.panel.detail.id != record.id):
            self.panel.show_household(record.id)


class TodayPage(QWidget):
    """Households due or overdue, in walking order, overdue first; this month's coverage above."""

    resume_draft = Signal(object)  # DraftRow

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = HeadingLabel(factor=1.4)
        top.addWidget(self.heading)
        top.addStretch()
        root.addLayout(top)

        figures = QHBoxLayout()
        self.households_bar = self._figure(figures, self.tr("Households visited this month (户户到)"))
        self.persons_bar = self._figure(figures, self.tr("Residents seen this month (人人见)"))
        root.addLayout(figures)

        self.draft_banner = QFrame()
        self.draft_banner.setObjectName("draft_banner")
        self.draft_banner.setStyleSheet("#draft_banner { background: #fff4ce; border: 1px solid #e0c060; }")
        banner = QHBoxLayout(self.draft_banner)
        self.draft_label = QLabel()
        self.draft_label.setWordWrap(True)
        self.resume_button = QPushButton(self.tr("&Resume"))
        self.resume_button.setObjectName("resume_draft")
        self.resume_button.clicked.connect(self._resume)
        banner.addWidget(self.draft_label, 1)
        banner.addWidget(self.resume_button)
        self.draft_banner.hide()
        root.addWidget(self.draft_banner)
        self._drafts: list[DraftRow] = []

        self.browser = HouseholdBrowser(ctx)
        # households with a call-back due (a request closed, the resident not asked yet)
        self.callbacks = CallbackList(ctx)
        self.callbacks.chosen.connect(self.browser.panel.show_household)
        self._callbacks_due = False
        self.browser.model.loaded.connect(self._after_first_page)
        root.addWidget(self.callbacks)
        root.addWidget(self.browser, 1)
        self.empty_label = QLabel(self.tr("No household is due today. Well done."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        root.addWidget(self.empty_label)
        self.browser.model.loaded.connect(self._on_list_loaded)
        ctx.events.drafts_changed.connect(self.refresh_drafts)
        ctx.events.household_changed.connect(self._on_household_changed)

    def _on_household_changed(self, _household_id: object) -> None:
        self.refresh_figures()

    def _figure(self, layout: QHBoxLayout, caption: str) -> QProgressBar:
        box = QVBoxLayout()
        label = QLabel(caption)
        bar = QProgressBar()
        bar.setTextVisible(True)
        bar.setMinimumHeight(bar.fontMetrics().height() + 10)
        box.addWidget(label)
        box.addWidget(bar)
        layout.addLayout(box, 1)
        return bar

    def refresh(self) -> None:
        reader, today = self.ctx.reader, self.ctx.today()
        self.browser.load(lambda after, limit: reader.due(today, after, limit))
        # the call-backs after the first page (they are read on the same reader: a street's thousands
        # of closed requests must not hold Today's first page back)
        self._callbacks_due = True
        self.refresh_figures()
        self.refresh_drafts()

    def _after_first_page(self, _generation: int) -> None:
        if self._callbacks_due:
            self._callbacks_due = False
            self.callbacks.refresh()

    def refresh_figures(self) -> None:
        reader, today = self.ctx.reader, self.ctx.today()
        self.ctx.tasks.background(lambda: reader.coverage(today), self._on_coverage)

    def refresh_drafts(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.drafts, self._on_drafts)

    def _on_coverage(self, c: Coverage) -> None:
        self.coverage = c
        self.heading.setText(
            self.tr("Today: %1 overdue, %2 due").replace("%1", str(c.overdue)).replace("%2", str(c.due_today))
        )
        for bar, done, total in (
            (self.households_bar, c.households_visited, c.households_total),
            (self.persons_bar, c.persons_seen, c.persons_total),
        ):
            bar.setRange(0, max(total, 1))
            bar.setValue(done)
            percent = f"{100 * done / total:.0f}%" if total else "—"
            bar.setFormat(
                self.tr("%1 of %2 (%3)").replace("%1", str(done)).replace("%2", str(total)).replace("%3", percent)
            )

    def _on_drafts(self, drafts: list[DraftRow]) -> None:
        self._drafts = drafts
        if not drafts:
            self.draft_banner.hide()
            return
        self.draft_label.setText(
            self.tr(
                "You have %n unfinished visit(s), kept as you typed. Resume to finish or discard.",
                "",
                len(drafts),
            )
            + self._draft_household(drafts[0])
        )
        self.draft_banner.show()

    def _draft_household(self, draft: DraftRow) -> str:
        """The household whose form Resume opens (address and head, kept in the draft by the form)."""
        household = draft.payload.get("household")
        return "\n" + self.tr("Resume opens the visit to %1.").replace("%1", household) if household else ""

    def _resume(self) -> None:
        if self._drafts:
            self.resume_draft.emit(self._drafts[0])

    def _on_list_loaded(self, _generation: int) -> None:
        empty = self.browser.model.rowCount() == 0
        self.empty_label.setVisible(empty)


class HouseholdsPage(QWidget):
    """Find any household as you type: names, pinyin, initials, address forms, phone, ID tail."""

    searched = Signal(int)  # generation of the query whose first page is now shown
    counted = Signal(int)  # generation of the query whose total the count now says (after its first page)
    explained = Signal(int)  # generation of the query whose first page now says why each household matched
    cards_requested = Signal(list)  # ids of the households selected: print contact cards

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        # short enough to be read whole; the tooltip has the examples
        self.search.setPlaceholderText(self.tr("Name, pinyin, address, phone or ID (Ctrl+F)"))
        self.search.setToolTip(
            self.tr("Name, pinyin (zs), address (3-2-501, 3栋2单元501), phone or last 4 of an ID number (Ctrl+F)")
        )
        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("tag_filter")
        self.building_filter = QComboBox()
        self.building_filter.setObjectName("building_filter")
        self.overdue_filter = QCheckBox(self.tr("&Overdue only"))
        self.overdue_filter.setObjectName("overdue_filter")
        self.cards_button = QPushButton(self.tr("Contact &cards…"))
        self.cards_button.setObjectName("print_cards")
        self.cards_button.setToolTip(
            self.tr("Print contact cards for the whole grid, one building, or the households selected in the list")
        )
        bar.addWidget(self.search, 1)
        bar.addWidget(self.tag_filter)
        bar.addWidget(self.building_filter)
        bar.addWidget(self.overdue_filter)
        bar.addWidget(self.cards_button)
        root.addLayout(bar)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        root.addWidget(self.count_label)
        self.browser = HouseholdBrowser(ctx, multi=True)
        root.addWidget(self.browser, 1)
        self.cards_button.clicked.connect(lambda: self.cards_requested.emit(self.browser.selected_ids()))
        self.search.textChanged.connect(self.run_search)
        self.search.returnPressed.connect(self.browser.view.setFocus)
        self.tag_filter.currentIndexChanged.connect(self.run_search)
        self.building_filter.currentIndexChanged.connect(self.run_search)
        self.overdue_filter.toggled.connect(self.run_search)
        self.browser.model.loaded.connect(self._on_loaded)
        self._fill_tags()

    def _fill_tags(self) -> None:
        from gridworker_shared.domain.codes import CARE_TAGS

        self.tag_filter.blockSignals(True)
        self.tag_filter.addItem(self.tr("All care tags"), None)
        for t in CARE_TAGS:
            self.tag_filter.addItem(labels.tag(t.code), t.code)
        self.tag_filter.blockSignals(False)

    def refresh_filters(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.buildings, self._on_buildings)

    def _on_buildings(self, pairs: list[tuple[str, str]]) -> None:
        current = self.building_filter.currentData()
        self.building_filter.blockSignals(True)
        self.building_filter.clear()
        self.building_filter.addItem(self.tr("All buildings"), None)
        for compound, building in pairs:
            text = labels.long_address(compound, building, "", "")
            self.building_filter.addItem(text, (compound, building))
        if current is not None:
            self.building_filter.setCurrentIndex(max(0, self.building_filter.findData(current)))
        self.building_filter.blockSignals(False)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def filters(self) -> Filters:
        building = self.building_filter.currentData()
        return Filters(
            text=self.search.text(),
            tag=self.tag_filter.currentData(),
            compound=building[0] if building else None,
            building=building[1] if building else None,
            overdue_only=self.overdue_filter.isChecked(),
        )

    def run_search(self, *_: object) -> int:
        reader, today, filters = self.ctx.reader, self.ctx.today(), self.filters()
        # the first page shows without its reasons (they follow on their own read, off the keystroke's path)
        return self.browser.load(
            lambda after, limit: reader.search(filters, today, after, limit, reasons=after is not None)
        )

    def _on_loaded(self, generation: int) -> None:
        self._explain(generation)
        n = self.browser.model.rowCount()
        if n == 0:
            self.count_label.setText(self.tr("No household matches. Try fewer letters, or pinyin initials."))
        elif self.browser.model.has_more():  # the list loads a page at a time: count them all, after it shows
            reader, today, filters = self.ctx.reader, self.ctx.today(), self.filters()
            self.count_label.setText(self.tr("%n household(s)", "", n))
            self.ctx.tasks.read(
                lambda: reader.search_count(filters, today),
                lambda total: self._on_total(generation, total),
                owner=self,
            )
            self.searched.emit(generation)
            return
        else:
            self.count_label.setText(self.tr("%n household(s)", "", n))
        self.searched.emit(generation)
        self.counted.emit(generation)

    def _explain(self, generation: int) -> None:
        model, reader, filters = self.browser.model, self.ctx.reader, self.filters()
        rows = [model.record(r) for r in range(model.rowCount())]
        if not filters.text or not rows:
            self.explained.emit(generation)
            return

        def done(explained: list[HouseholdRow]) -> None:
            model.set_matches(generation, explained)
            self.explained.emit(generation)

        self.ctx.tasks.read(lambda: reader.match_reasons(filters, rows), done, owner=self)

    def _on_total(self, generation: int, total: int) -> None:
        if generation == self.browser.model.generation:
            self.count_label.setText(self.tr("%n household(s)", "", total))
            self.counted.emit(generation)
