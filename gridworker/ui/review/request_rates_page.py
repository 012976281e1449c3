"""The three rates of the area's resident requests (gridworker.store.request_rates): 办结率, 解决率 and
满意率 per grid, community, street, category or department, for a month or the twelve months up to
it, with the gap between 办结率 and 解决率 shown plainly (closed on paper, not resolved for the
resident), overdue and 退单 counts and the median time from 派单 to 办结; exported to xlsx or CSV
through gridworker.exports (the same writer as the export page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.exports import ExportInfo, ExportResult, export_rows
from gridworker.store import request_rates as rates
from gridworker.store.review_filter import ReviewFilter
from gridworker.ui import labels as common
from gridworker.ui.context import AppContext
from gridworker.ui.forms import error_label
from gridworker.ui.review.export_page import CoverageTable
from gridworker.ui.tasks import BackgroundTasks
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

GAP_WARNING = 0.05  # a gap of 5 points or more between 办结率 and 解决率 is shown red
GAP_COLOUR = QColor("#b3261e")
DIMENSION_LABELS = {
    "grid": QT_TRANSLATE_NOOP("rates", "Grid"),
    "community": QT_TRANSLATE_NOOP("rates", "Community"),
    "street": QT_TRANSLATE_NOOP("rates", "Street"),
    "category": QT_TRANSLATE_NOOP("rates", "Category"),
    "department": QT_TRANSLATE_NOOP("rates", "Department"),
}
HEADERS = (
    QT_TRANSLATE_NOOP("rates", "Area"),
    QT_TRANSLATE_NOOP("rates", "Registered"),
    QT_TRANSLATE_NOOP("rates", "Due"),
    QT_TRANSLATE_NOOP("rates", "Closed rate"),
    QT_TRANSLATE_NOOP("rates", "Resolved rate"),
    QT_TRANSLATE_NOOP("rates", "Gap (points)"),
    QT_TRANSLATE_NOOP("rates", "Satisfied rate"),
    QT_TRANSLATE_NOOP("rates", "Overdue"),
    QT_TRANSLATE_NOOP("rates", "Sent back"),
    QT_TRANSLATE_NOOP("rates", "Sent back twice"),
    QT_TRANSLATE_NOOP("rates", "Median to close"),
)
COL_GAP = 5


def _tr(text: str) -> str:
    return QCoreApplication.translate("rates", text)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def points(value: float | None) -> str:
    return (
        "—" if value is None else QCoreApplication.translate("rates", "%1 points").replace("%1", f"{value * 100:+.1f}")
    )


def duration(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 48:
        return QCoreApplication.translate("rates", "%1 h").replace("%1", f"{hours:.0f}")
    return QCoreApplication.translate("rates", "%1 days").replace("%1", f"{hours / 24:.1f}")


class RatesPage(QWidget):
    # the rates are on screen (argument: the report)
    shown = Signal(object)
    # an export was written (ExportResult) / failed (its message)
    exported = Signal(object)
    export_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("request_rates_page")
        self.ctx = ctx
        self.report: rates.RatesReport | None = None
        self._generation = 0
        self._exports = BackgroundTasks("gw-rates-export", self)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addLayout(self._controls())
        self.summary = QLabel()
        self.summary.setObjectName("rates_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        root.addWidget(self.summary)
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels([_tr(h) for h in HEADERS])
        self.view = QTableView()
        self.view.setObjectName("rates_table")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the area's name whole at any text size (the figures scroll when they do not fit)
        self.view.horizontalHeader().setStretchLastSection(True)
        root.addWidget(self.view, 1)
        self.note = QLabel(
            self.tr(
                "Closed rate: closed of the requests due (deadline in the period; on the spot: registered). "
                "Resolved and satisfied rates: of the requests called back in the period, what the resident "
                "said; a request closed but judged unresolved counts as unresolved. Gap: closed rate minus "
                "resolved rate."
            )
        )
        self.note.setWordWrap(True)
        self.note.setObjectName("rates_note")
        root.addWidget(self.note)
        self.error = error_label("rates_error")
        root.addWidget(self.error)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.dimension = QComboBox()
        self.dimension.setObjectName("rates_dimension")
        for code in rates.DIMENSIONS:
            self.dimension.addItem(_tr(DIMENSION_LABELS[code]), code)
        self.month = QComboBox()
        self.month.setObjectName("rates_month")
        today = self.ctx.today()
        for year, month in reversed(rates.last_months((today.year, today.month), 24)):
            self.month.addItem(f"{year}-{month:02d}", f"{year}-{month:02d}")
        self.period = QComboBox()
        self.period.setObjectName("rates_period")
        self.period.addItem(self.tr("That month"), "month")
        self.period.addItem(self.tr("Twelve months to it"), "year")
        for text, widget in ((self.tr("&By:"), self.dimension), (self.tr("&Month:"), self.month)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
        row.addWidget(self.period)
        row.addStretch(1)
        self.export_button = QPushButton(self.tr("E&xport…"))
        self.export_button.setObjectName("rates_export")
        self.export_button.clicked.connect(self.choose_export)
        row.addWidget(self.export_button)
        self.dimension.currentIndexChanged.connect(self.reload)
        self.month.currentIndexChanged.connect(self.reload)
        self.period.currentIndexChanged.connect(self._show)
        return row

    def end_month(self) -> rates.Month:
        text = str(self.month.currentData())
        return (int(text[:4]), int(text[5:7]))

    def start(self) -> None:
        self.reload()

    def reload(self, *_: object) -> None:
        self._generation += 1
        generation, reader = self._generation, self.ctx.reader
        dimension, end = self.dimension.currentData(), self.end_month()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

        def run() -> tuple[int, rates.RatesReport]:
            con = reader.connection()
            return generation, rates.rates(con, dimension, end, now, rates.street_offset(con))

        # twelve months over the whole area: the background reader, never in a keystroke's way (a
        # bound method: not called once the page is gone)
        self.ctx.tasks.background(run, self._on_report)

    def _on_report(self, result: tuple[int, rates.RatesReport]) -> None:
        generation, report = result
        if generation != self._generation:
            return
        self.report = report
        self._show()
        self.shown.emit(report)

    def _label(self, row: rates.RatesRow) -> str:
        if self.report is not None and self.report.dimension == "category":
            return common.category(row.key)
        if not row.key and self.report is not None and self.report.dimension == "department":
            return self.tr("No department (on the spot)")
        return row.name or row.key[:8]

    def counts(self, row: rates.RatesRow) -> rates.Counts:
        if self.period.currentData() == "year":
            return row.total
        return row.months.get(self.end_month(), rates.Counts())

    def _show(self, *_: object) -> None:
        report = self.report
        if report is None:
            return
        self.model.removeRows(0, self.model.rowCount())
        for row in report.rows:
            self._append(self._label(row), self.counts(row), bold=False)
        self._append(self.tr("Whole area"), self.counts(report.total), bold=True)
        whole = self.counts(report.total)
        gap = whole.gap
        gap_text = points(gap)
        if gap is not None and gap >= GAP_WARNING:
            gap_text = f"<span style='color:#b3261e'>{gap_text}</span>"
        self.summary.setText(
            "<b>"
            + self.tr("Closed %1 · Resolved %2 (gap %3) · Satisfied %4")
            .replace("%1", pct(whole.closed_rate))
            .replace("%2", pct(whole.resolved_rate))
            .replace("%3", gap_text)
            .replace("%4", pct(whole.satisfied_rate))
            + "</b><br/>"
            + self.tr(
                "%1 overdue · %2 sent back · %3 requests sent back twice or more · median %4 from dispatch to close"
            )
            .replace("%1", str(whole.overdue))
            .replace("%2", str(whole.bounces))
            .replace("%3", str(whole.bounced_twice))
            .replace("%4", duration(whole.median_hours))
        )

    def _append(self, name: str, c: rates.Counts, bold: bool) -> None:
        values = [
            name,
            str(c.registered),
            str(c.due),
            pct(c.closed_rate),
            pct(c.resolved_rate),
            "—" if c.gap is None else f"{c.gap * 100:+.1f}",
            pct(c.satisfied_rate),
            str(c.overdue),
            str(c.bounces),
            str(c.bounced_twice),
            duration(c.median_hours),
        ]
        items = [QStandardItem(v) for v in values]
        for i, item in enumerate(items):
            if i:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
        if c.gap is not None and c.gap >= GAP_WARNING:
            items[COL_GAP].setForeground(QBrush(GAP_COLOUR))
            items[COL_GAP].setToolTip(self.tr("Closed on paper but not resolved for the residents"))
        if c.overdue:
            items[7].setForeground(QBrush(GAP_COLOUR))
        self.model.appendRow(items)

    # -- export -------------------------------------------------------------------------------------------

    def choose_export(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"诉求三率-{self.month.currentData()}.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the rates"), suggested, self.tr("Excel workbook (*.xlsx);;CSV (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, target: Path) -> None:
        """The report (every area's twelve months and their sum) written to ``target`` on the reader thread."""
        report = self.report
        if report is None:
            return
        fmt = "csv" if target.suffix.lower() == ".csv" else "xlsx"
        labels = {row.key: self._label(row) for row in report.rows}
        headers, rows = rates.rates_rows(report, labels)
        first, last = report.months[0], report.months[-1]
        info = ExportInfo(
            self.ctx.identity.name or self.ctx.identity.username,
            dt.datetime.now(),
            f"诉求三率（按{QCoreApplication.translate('rates', DIMENSION_LABELS[report.dimension])}）"
            f" {first[0]}-{first[1]:02d}至{last[0]}-{last[1]:02d}",
        )
        self.error.hide()

        def run() -> ExportResult:
            return export_rows(target, fmt, "诉求三率", headers, rows, info, total=len(rows))

        self._exports.submit(run, self.exported.emit, self._export_failed)

    def _export_failed(self, error: Exception) -> None:
        template = getattr(error, "template", None)
        params: dict[str, Any] = getattr(error, "params", {})
        message = QCoreApplication.translate("exports", template).format(**params) if template else str(error)
        self.error.setText(message)
        self.error.show()
        self.export_failed.emit(message)


def request_rates_page(ctx: AppContext, _queue_filter: Any = None) -> RatesPage:
    """The page as the review workspace builds it (``register_page("rates", request_rates_page)``)."""
    return RatesPage(ctx)


def rates_table_source(ctx: AppContext) -> Callable[[ReviewFilter], CoverageTable]:
    """The rates as a table for the export page's tables (``ExportPage.set_coverage_source``): by grid,
    the twelve months ending with the filter's last day's month (this month when it has none), read
    on the export's thread. The rates page exports the same rows with its own button."""

    def source(flt: ReviewFilter) -> CoverageTable:
        day = flt.date_to or ctx.today()
        con = ctx.reader.connection()
        report = rates.rates(
            con, "grid", (day.year, day.month), dt.datetime.now(dt.UTC).replace(tzinfo=None), rates.street_offset(con)
        )
        headers, rows = rates.rates_rows(report)
        return CoverageTable("诉求三率", headers, rows, len(rows))

    return source
