"""The coverage dashboard (覆盖统计) of a station's or supervisor's laptop: for a month and a community
or street, 户户到 and 人人见 per grid and per worker against the whole grid, overdue households, review
and back-check counts, the charts (per grid against the street's goal, twelve months, per day) and the
workers silent for longer than the street allows; and the month's report as a PDF (考核).

The figures are read on the task manager's background thread (gridworker.store.coverage_reads, one
read transaction); a newer request makes an older result be dropped when it arrives."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gridworker.reports.charts import percent
from gridworker.reports.monthly import NoCjkFontError, ReportInfo, write_monthly_pdf
from gridworker.store import coverage_reads as cr
from gridworker.store.coverage_rows import Area, MonthFigures, Tally, Trend
from gridworker.store.reads import Reader
from gridworker.ui.review.coverage_charts import CoverageBars, DailyChart, TrendChart
from gridworker.ui.tasks import TaskManager

if TYPE_CHECKING:
    from gridworker.ui.context import AppContext

MONTHS_BACK = 24  # the months the picker offers: the copy holds two years
RED_TEXT = QColor("#c0392b")
RED_BACK = QColor("#fdecea")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Loaded:
    areas: list[Area]
    figures: MonthFigures | None


def local_offset() -> dt.timedelta:
    return dt.datetime.now().astimezone().utcoffset() or dt.timedelta()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class FiguresModel(QAbstractTableModel):
    """Rows of figures: shown text, a sort key and whether the cell is below the goal (red)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[tuple[str, Any, bool]]] = []

    def set_rows(self, headers: Sequence[str], rows: Sequence[list[tuple[str, Any, bool]]]) -> None:
        self.beginResetModel()
        self.headers, self.rows = list(headers), list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text, key, red = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.UserRole:
            return key
        if role == Qt.ItemDataRole.ForegroundRole and red:
            return QBrush(RED_TEXT)
        if role == Qt.ItemDataRole.BackgroundRole and red:
            return QBrush(RED_BACK)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0 and isinstance(key, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


def _table(model: FiguresModel) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(Qt.ItemDataRole.UserRole)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _share_cell(part: int, whole: int, goal: float | None) -> tuple[str, Any, bool]:
    share = part / whole if whole else None
    red = goal is not None and share is not None and share < goal
    return (f"{percent(share)} ({part}/{whole})", -1.0 if share is None else share, red)


def _n(value: int) -> tuple[str, Any, bool]:
    return (str(value), value, False)


class CoveragePage(QWidget):
    """The dashboard. ``reader`` reads the copy (on the background thread), ``tasks`` runs the reads;
    ``made_by`` is printed on the report. ``today``, ``now`` (UTC) and ``utc_offset`` are the clock's
    (tests set them)."""

    # the figures of the area and month asked for last are on screen, the trend too
    loaded = Signal()

    def __init__(
        self,
        reader: Reader,
        tasks: TaskManager,
        made_by: str,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = utc_now,
        utc_offset: dt.timedelta | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("coverage_page")
        self.reader, self.tasks, self.made_by = reader, tasks, made_by
        self.today, self.now = today, now
        self.offset = local_offset() if utc_offset is None else utc_offset
        self.figures: MonthFigures | None = None
        self.trend: Trend | None = None
        self._request = 0
        self._build()
        self.refresh()

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.area_box = QComboBox()
        self.area_box.setObjectName("coverage_area")
        self.month_box = QComboBox()
        self.month_box.setObjectName("coverage_month")
        first = cr.month_start(self.today())
        for i in range(MONTHS_BACK):
            month = cr.add_months(first, -i)
            self.month_box.addItem(self._month_text(month), month.isoformat())
        area_label = QLabel(self.tr("&Area:"))
        area_label.setBuddy(self.area_box)
        month_label = QLabel(self.tr("&Month:"))
        month_label.setBuddy(self.month_box)
        self.print_button = QPushButton(self.tr("&Report (PDF)…"))
        self.print_button.setObjectName("coverage_report")
        self.print_button.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName("coverage_status")
        for w in (area_label, self.area_box, month_label, self.month_box):
            bar.addWidget(w)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("coverage_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        # the charts in a row above the tables: the tables need the page's width for their columns
        split = QSplitter(Qt.Orientation.Vertical)
        self.tabs = QTabWidget()
        self.grid_model, self.worker_model, self.silent_model = (
            FiguresModel(self),
            FiguresModel(self),
            FiguresModel(self),
        )
        self.grid_view = _table(self.grid_model)
        self.worker_view = _table(self.worker_model)
        self.silent_view = _table(self.silent_model)
        self.tabs.addTab(self.grid_view, self.tr("Grids"))
        self.tabs.addTab(self.worker_view, self.tr("Workers"))
        self.tabs.addTab(self.silent_view, self.tr("Silent"))
        self.trend_model = FiguresModel(self)
        self.trend_view = _table(self.trend_model)
        self.tabs.addTab(self.trend_view, self.tr("Twelve months"))
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        self.bars, self.trend_chart, self.daily = CoverageBars(), TrendChart(), DailyChart()
        for chart, stretch in ((self.bars, 5), (self.trend_chart, 3), (self.daily, 3)):
            row.addWidget(chart, stretch)
        split.addWidget(charts)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 5)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        self.area_box.currentIndexChanged.connect(self.refresh)
        self.month_box.currentIndexChanged.connect(self.refresh)
        self.print_button.clicked.connect(self._ask_report)

    # -- reading ----------------------------------------------------------------------------------

    def area(self) -> uuid.UUID | None:
        value = self.area_box.currentData()  # the id's hex: Qt compares strings, not Python objects
        return uuid.UUID(hex=value) if isinstance(value, str) and value else None

    def month(self) -> dt.date:
        value = self.month_box.currentData()  # ISO text, as the area's id (Qt compares strings)
        return dt.date.fromisoformat(value) if isinstance(value, str) else cr.month_start(self.today())

    def refresh(self) -> None:
        """Reads the figures of the area and month chosen (the first area when none is yet)."""
        self._request += 1
        request = self._request
        area, month, today, now, offset, reader = (
            self.area(),
            self.month(),
            self.today(),
            self.now(),
            self.offset,
            self.reader,
        )
        self.status.setText(self.tr("Reading…"))

        def load() -> tuple[int, Loaded]:
            with reader.snapshot():
                con = reader.connection()
                areas = cr.areas(con)
                chosen = area if area in {a.id for a in areas} else (areas[0].id if areas else None)
                if chosen is None:
                    return request, Loaded(areas, None)
                return request, Loaded(
                    areas, cr.month_figures(con, chosen, month, today=today, now=now, utc_offset=offset)
                )

        # a bound method: the task manager drops the result when this page is gone meanwhile
        self.tasks.background(load, self._loaded)

    def _read_trend(self, request: int, area: uuid.UUID, month: dt.date) -> None:
        """The twelve months (a few times the month's work) after the month is on screen."""
        reader, offset = self.reader, self.offset

        def load() -> tuple[int, Trend]:
            with reader.snapshot():
                return request, cr.trend(reader.connection(), area, month, utc_offset=offset)

        self.tasks.background(load, self._trend_loaded)

    def _trend_loaded(self, answer: tuple[int, Trend]) -> None:
        request, trend = answer
        if request != self._request:
            return
        self.trend = trend
        self._show_trend(trend, self.figures.settings.coverage_goal if self.figures else None)
        self.status.clear()
        self.print_button.setEnabled(self.figures is not None)
        self.loaded.emit()

    def _loaded(self, answer: tuple[int, Loaded]) -> None:
        request, result = answer
        if request != self._request:
            return  # a newer request is on its way
        self._set_areas(result.areas, result.figures.area.id if result.figures else None)
        self.figures, self.trend = result.figures, None
        self.trend_model.set_rows([], [])  # the area or month before's, until this one's is read
        self.print_button.setEnabled(False)  # until the trend, which the report charts, is read
        if result.figures is None:
            self.status.setText(self.tr("This laptop holds no community or street yet: sync first."))
            self.summary.clear()
            for model in (self.grid_model, self.worker_model, self.silent_model):
                model.set_rows([], [])
            self.loaded.emit()
        else:
            self._show(result.figures)
            self._read_trend(request, result.figures.area.id, result.figures.month)

    def _set_areas(self, areas: list[Area], current: uuid.UUID | None) -> None:
        self.area_box.blockSignals(True)
        try:
            self.area_box.clear()
            for a in areas:
                kind = self.tr("street") if a.kind == "street" else self.tr("community")
                self.area_box.addItem(f"{a.name} ({kind})", a.id.hex)
            if current is not None:
                self.area_box.setCurrentIndex(max(0, self.area_box.findData(current.hex)))
        finally:
            self.area_box.blockSignals(False)

    # -- showing ----------------------------------------------------------------------------------

    def _show(self, f: MonthFigures) -> None:
        t, goal = f.total, f.settings.coverage_goal
        self.summary.setText(self._summary_html(f, t, goal))
        self._fill_grids(f, goal)
        self._fill_workers(f, goal)
        self.tabs.setTabText(2, self.tr("Silent (%1)").replace("%1", str(len(f.silent))))
        self.bars.set_data(
            self.tr("Households visited per grid"),
            [g.name for g in f.grids],
            [g.tally.coverage for g in f.grids],
            goal,
            self.tr("goal"),
        )
        self.daily.set_data(self.tr("Visits per day"), [d.day for d, _ in f.daily], [n for _, n in f.daily])

    def _show_trend(self, trend: Trend, goal: float | None) -> None:
        """The area's twelve months as lines, and each grid's 户户到 month by month in the last tab."""
        rows = []
        for gid, points in [*trend.grids.items(), (None, trend.area)]:
            name = self.tr("Total") if gid is None else trend.names.get(gid, "")
            cells = [
                (
                    percent(p.coverage),
                    -1.0 if p.coverage is None else p.coverage,
                    goal is not None and p.coverage is not None and p.coverage < goal,
                )
                for p in points
            ]
            rows.append([(name, "~~" if gid is None else name, False), *cells])
        self.trend_model.set_rows([self.tr("Grid"), *(self._month_text(m) for m in trend.months)], rows)
        self.trend_chart.set_data(
            self.tr("Twelve months"),
            [str(m.month) for m in trend.months],
            [
                (self.tr("Households visited"), [p.coverage for p in trend.area]),
                (self.tr("Residents seen"), [p.seen_share for p in trend.area]),
            ],
            goal,
        )

    def _summary_html(self, f: MonthFigures, t: Tally, goal: float) -> str:
        cov = t.coverage
        red = cov is not None and cov < goal
        coverage = self.tr("Households visited: %1 of %2 (%3)").replace("%1", str(t.households_visited))
        coverage = coverage.replace("%2", str(t.households)).replace("%3", percent(cov))
        parts = [
            f"<b style='color:{RED_TEXT.name()}'>{coverage}</b>" if red else f"<b>{coverage}</b>",
            self.tr("residents seen: %1 of %2 (%3)")
            .replace("%1", str(t.residents_seen))
            .replace("%2", str(t.residents))
            .replace("%3", percent(t.seen_share)),
            self.tr("overdue %1, care-tag overdue %2 of %3")
            .replace("%1", str(t.overdue))
            .replace("%2", str(t.care_overdue))
            .replace("%3", str(t.care_households)),
            self.tr("%1 visits, %2 a day")
            .replace("%1", str(t.visits))
            .replace("%2", f"{t.visits / f.days if f.days else 0:.1f}"),
            self.tr("approved %1, returned %2, questioned %3, pending %4")
            .replace("%1", str(t.approved))
            .replace("%2", str(t.returned))
            .replace("%3", str(t.questioned))
            .replace("%4", str(t.pending)),
            self.tr("back-checks %1 of %2 done, %3 denied")
            .replace("%1", str(t.checks_done))
            .replace("%2", str(t.checks_drawn))
            .replace("%3", str(t.checks_denied)),
        ]
        as_of = self.tr("As of %1; goal %2.").replace("%1", f.as_of.isoformat()).replace("%2", percent(goal))
        return " · ".join(parts) + f"<br>{as_of}"

    def _tally_cells(self, t: Tally, goal: float) -> list[tuple[str, Any, bool]]:
        return [
            _share_cell(t.households_visited, t.households, goal),
            _share_cell(t.residents_seen, t.residents, None),
            _n(t.overdue),
            (f"{t.care_overdue}/{t.care_households}", t.care_overdue, t.care_overdue > 0),
            _n(t.visits),
            _n(t.approved),
            _n(t.returned),
            _n(t.questioned),
            (f"{t.checks_done}/{t.checks_denied}", t.checks_denied, t.checks_denied > 0),
        ]

    def _tally_headers(self) -> list[str]:
        return [
            self.tr("Households visited"),
            self.tr("Residents seen"),
            self.tr("Overdue"),
            self.tr("Care overdue"),
            self.tr("Visits"),
            self.tr("Approved"),
            self.tr("Returned"),
            self.tr("Questioned"),
            self.tr("Checked/denied"),
        ]

    def _fill_grids(self, f: MonthFigures, goal: float) -> None:
        rows = [
            [(g.community, g.community, False), (g.name, g.name, False), *self._tally_cells(g.tally, goal)]
            for g in f.grids
        ]
        if f.area.kind == "street":
            rows += [
                [(c.name, c.name, False), (self.tr("(community)"), "~", False), *self._tally_cells(c.tally, goal)]
                for c in f.communities
            ]
        rows.append([(self.tr("Total"), "~~", False), ("", "~~", False), *self._tally_cells(f.total, goal)])
        self.grid_model.set_rows([self.tr("Community"), self.tr("Grid"), *self._tally_headers()], rows)

    def _fill_workers(self, f: MonthFigures, goal: float) -> None:
        rows = []
        for w in f.workers:
            t = w.tally
            upload = self._upload_text(w.last_upload)
            rows.append(
                [
                    (w.name or self.tr("(unknown)"), w.name, False),
                    ("、".join(w.grids), "、".join(w.grids), False),
                    _n(t.visits),
                    (f"{w.per_day(f.days):.1f}", w.per_day(f.days), False),
                    _share_cell(t.households_visited, t.households, goal),
                    _share_cell(t.residents_seen, t.residents, None),
                    _n(t.approved),
                    _n(t.returned),
                    _n(t.questioned),
                    (f"{t.checks_done}/{t.checks_denied}", t.checks_denied, t.checks_denied > 0),
                    (upload, w.last_upload.isoformat() if w.last_upload else "", w.silent),
                ]
            )
        headers = [
            self.tr("Worker"),
            self.tr("Grids"),
            self.tr("Visits"),
            self.tr("A day"),
            self.tr("Households visited"),
            self.tr("Residents seen"),
            self.tr("Approved"),
            self.tr("Returned"),
            self.tr("Questioned"),
            self.tr("Checked/denied"),
            self.tr("Latest upload"),
        ]
        self.worker_model.set_rows(headers, rows)
        silent = [[r[0], r[1], r[-1]] for r, w in zip(rows, f.workers, strict=True) if w.silent]
        self.silent_model.set_rows([self.tr("Worker"), self.tr("Grids"), self.tr("Latest upload")], silent)

    def _month_text(self, month: dt.date) -> str:
        return self.tr("%1-%2").replace("%1", str(month.year)).replace("%2", f"{month.month:02d}")

    def _upload_text(self, value: dt.datetime | None) -> str:
        if value is None:
            return self.tr("never")
        return (value + self.offset).strftime("%Y-%m-%d %H:%M")

    # -- the report -------------------------------------------------------------------------------

    def _ask_report(self) -> None:
        f = self.figures
        if f is None:
            return
        name = f"{f.area.name}-{f.month:%Y-%m}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the monthly report"), str(Path.home() / name), "PDF (*.pdf)"
        )
        if path:
            self.write_report(Path(path))

    def write_report(self, path: Path) -> int:
        """Writes the month on screen as the report (考核) PDF; returns its pages, 0 when it could not
        (the reason shown)."""
        if self.figures is None:
            return 0
        info = ReportInfo(self.made_by, dt.datetime.now().replace(second=0, microsecond=0))
        try:
            return write_monthly_pdf(self.figures, self.trend, info, path, self.offset)
        except (OSError, NoCjkFontError) as exc:
            QMessageBox.warning(self, self.tr("Report not saved"), str(exc))
            return 0


def coverage_page(ctx: AppContext, _current_filter: object = None) -> CoveragePage:
    """The page for the review workspace (``register_page("coverage", coverage_page)``)."""
    return CoveragePage(ctx.reader, ctx.tasks, ctx.identity.name or ctx.identity.username, today=ctx.today)
