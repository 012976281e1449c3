"""The reviewer's export page (导出): what to export (visits, requests, coverage), the filter (the review
queue's, handed over with ``set_filter``, or chosen here), the format (xlsx or CSV), the file, then a
progress bar and Cancel while it runs on its own background thread, and the file's path and row count,
or what went wrong, at the end.

Usage (the review workspace: each time the page is shown it takes the queue's current filter)::

    register_page("export", export_page)  # export_page(ctx, queue.current_filter) builds it
    page.set_coverage_source(dashboard_rows)  # (ReviewFilter) -> CoverageTable, read on the export thread
    ...
    page.shutdown()  # when the window closes: a running export is cancelled and leaves no file
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QDate, QObject, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gridworker.exports import (
    Area,
    ExportCancelled,
    ExportError,
    ExportInfo,
    ExportResult,
    areas,
    describe,
    export_requests,
    export_rows,
    export_visits,
)
from gridworker.exports.tables import FLAGS_ZH, snapshot
from gridworker.exports.writers import Row
from gridworker.store.review_filter import ReviewFilter
from gridworker.store.schema import StoreError
from gridworker.ui import labels
from gridworker.ui.context import AppContext
from gridworker.ui.forms import error_label
from gridworker.ui.i18n import error_text
from gridworker.ui.reveal import record_access
from gridworker.ui.tasks import BackgroundTasks
from gridworker_shared.domain.codes import OUTCOMES, QT_TRANSLATE_NOOP
from gridworker_shared.domain.masking import may_export_personal

log = logging.getLogger(__name__)

KINDS: Final = ("visits", "requests", "coverage")
STATE_LABELS: Final = {
    "pending": QT_TRANSLATE_NOOP("ExportPage", "Pending"),
    "approved": QT_TRANSLATE_NOOP("ExportPage", "Approved"),
    "returned": QT_TRANSLATE_NOOP("ExportPage", "Returned for correction"),
    "questioned": QT_TRANSLATE_NOOP("ExportPage", "Questioned"),
    "amended": QT_TRANSLATE_NOOP("ExportPage", "Amended"),
}
# a file's default name, in the language of the file's headers (the offices')
FILE_STEMS: Final = {"visits": "走访记录", "requests": "诉求", "coverage": "覆盖情况"}


@dataclass(frozen=True)
class CoverageTable:
    """What a coverage read hands the export: a title (the sheet's name), the headers and the rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Row]
    total: int | None = None


CoverageSource = Callable[[ReviewFilter], CoverageTable]


def _id(combo: QComboBox) -> uuid.UUID | None:
    """The id of a combo's chosen community, grid or worker (kept as hex: Qt compares strings)."""
    data = combo.currentData()
    return uuid.UUID(hex=data) if data else None


def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class _Relay(QObject):
    """Progress from the export thread, delivered on the GUI thread (a queued connection)."""

    progress = Signal(int, int)


class ExportPage(QWidget):
    # the file was written (ExportResult); it failed (the message shown); the user stopped it
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, ctx: AppContext, queue_filter: Callable[[], ReviewFilter] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("export_page")
        self._ctx = ctx
        self._queue_filter = queue_filter
        self._open_ends: tuple[QDate | None, QDate | None] = (None, None)
        self._filter = ReviewFilter()
        self._coverage: CoverageSource | None = None
        self._areas: list[Area] = []
        self._stop = threading.Event()
        self._running = False
        self._last: Path | None = None
        # what the running export holds, for the access trail (set on the export thread, read when done)
        self._what: list[str] = []
        self._tasks = BackgroundTasks("gw-export", self)
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._build()
        self.set_coverage_source(None)
        self._update_kind()
        ctx.tasks.read(lambda: areas(ctx.path), self._on_areas)

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        # scrolls when the largest text size makes it taller than the window
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        root = QVBoxLayout(content)
        title = QLabel(self.tr("Export"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        root.addWidget(title)
        root.addLayout(self._what_row())
        root.addWidget(self._filter_box())
        root.addWidget(self._file_box())
        self.progress = QProgressBar()
        self.progress.setObjectName("export_progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("%v of %m rows"))
        root.addWidget(self.progress)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("&Export"))
        self.export_button.setObjectName("export_start")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("export_cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton(self.tr("&Open the folder"))
        self.open_button.setObjectName("export_open_folder")
        self.open_button.hide()
        self.open_button.clicked.connect(self._open_folder)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        root.addLayout(buttons)
        self.result_label = QLabel()
        self.result_label.setObjectName("export_result")
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        root.addWidget(self.result_label)
        self.error_label = error_label("export_error")
        root.addWidget(self.error_label)
        root.addStretch(1)

    def _what_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("What to export")))
        self.kind_group = QButtonGroup(self)
        texts = (self.tr("Visits"), self.tr("Requests"), self.tr("Coverage"))
        self.kind_buttons: dict[str, QRadioButton] = {}
        for i, (kind, text) in enumerate(zip(KINDS, texts, strict=True)):
            button = QRadioButton(text)
            button.setObjectName(f"export_kind_{kind}")
            self.kind_group.addButton(button, i)
            self.kind_buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        self.kind_buttons["visits"].setChecked(True)
        self.kind_group.idToggled.connect(self._on_kind_toggled)
        return row

    def _filter_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Which rows"))
        form = QFormLayout(box)
        self.community = QComboBox()
        self.grid = QComboBox()
        self.worker = QComboBox()
        for combo, everything in (
            (self.community, self.tr("All communities")),
            (self.grid, self.tr("All grids")),
            (self.worker, self.tr("All grid workers")),
        ):
            combo.addItem(everything, None)
            combo.setMinimumContentsLength(12)
        self.community.currentIndexChanged.connect(self._fill_grids)
        area = QHBoxLayout()
        area.addWidget(self.community, 1)
        area.addWidget(self.grid, 1)
        form.addRow(self.tr("Area"), area)
        form.addRow(self.tr("Grid worker"), self.worker)
        self.dated = QCheckBox(self.tr("From"))
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        today = QDate.currentDate()
        self.date_from.setDate(today.addDays(1 - today.day()))
        self.date_to.setDate(today)
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
        self.dated.toggled.connect(self.date_from.setEnabled)
        self.dated.toggled.connect(self.date_to.setEnabled)
        dates = QHBoxLayout()
        dates.addWidget(self.dated)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        form.addRow(self.tr("Dates"), dates)
        self.outcome = QComboBox()
        self.outcome.addItem(self.tr("Any outcome"), "")
        for o in OUTCOMES:
            self.outcome.addItem(labels.outcome(o.code), o.code)
        self.state = QComboBox()
        self.state.addItem(self.tr("Any review state"), "")
        for code, text in STATE_LABELS.items():
            self.state.addItem(self.tr(text), code)  # marked above in this class's context
        visit = QHBoxLayout()
        visit.addWidget(self.outcome, 1)
        visit.addWidget(self.state, 1)
        self.visit_row_label = QLabel(self.tr("Outcome, review"))
        form.addRow(self.visit_row_label, visit)
        self.flag_label = QLabel()
        self.flag_label.setObjectName("export_flag")
        self.flag_label.hide()
        form.addRow(self.flag_label)
        return box

    def _file_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("File"))
        form = QFormLayout(box)
        formats = QHBoxLayout()
        self.xlsx = QRadioButton(self.tr("Excel workbook (.xlsx)"))
        self.xlsx.setObjectName("export_xlsx")
        self.csv = QRadioButton(self.tr("CSV (.csv, UTF-8)"))
        self.csv.setObjectName("export_csv")
        self.xlsx.setChecked(True)
        self.xlsx.toggled.connect(lambda _on: self._retarget())
        formats.addWidget(self.xlsx)
        formats.addWidget(self.csv)
        formats.addStretch(1)
        form.addRow(self.tr("Format"), formats)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("export_path")
        choose = QPushButton(self.tr("C&hoose…"))
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(choose)
        form.addRow(self.tr("Save as"), where)
        # a supervisor (or admin) may put residents' phones in full into the file; masked otherwise
        self.personal = QCheckBox(self.tr("Include personal data (phone numbers in full)"))
        self.personal.setObjectName("export_personal")
        self.personal.setToolTip(
            self.tr("The file then holds residents' phone numbers: keep it safe. The export is recorded either way.")
        )
        self.personal.setVisible(may_export_personal(self._ctx.identity.role))
        form.addRow("", self.personal)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        self.path_edit.setText(str(Path(folder or Path.home()) / self._file_name()))
        return box

    # --- the filter -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Coming to the page: the queue's filter as it is now (what the reviewer just looked at)."""
        super().showEvent(event)
        if self._queue_filter is not None and not self._running:
            self.set_filter(self._queue_filter())

    def set_filter(self, flt: ReviewFilter) -> None:
        """Take the review queue's filter: its fields are shown here (and may be changed)."""
        self._filter = flt
        self._select(self.community, flt.community_id)
        self._fill_grids()
        self._select(self.grid, flt.grid_id)
        self._select(self.worker, flt.worker_id)
        self.dated.setChecked(flt.date_from is not None or flt.date_to is not None)
        # an open end stays open while its field shows the date put there in its place
        self._open_ends = (
            None if flt.date_from is not None else self.date_from.date(),
            None if flt.date_to is not None else self.date_to.date(),
        )
        if flt.date_from is not None:
            self.date_from.setDate(QDate(flt.date_from.year, flt.date_from.month, flt.date_from.day))
        if flt.date_to is not None:
            self.date_to.setDate(QDate(flt.date_to.year, flt.date_to.month, flt.date_to.day))
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(flt.outcome)))
        self.state.setCurrentIndex(max(0, self.state.findData(flt.state)))
        self.flag_label.setText(self.tr("Flag: %1").replace("%1", FLAGS_ZH.get(flt.flag, flt.flag)))
        self.flag_label.setVisible(bool(flt.flag))

    def current_filter(self) -> ReviewFilter:
        """The filter as the fields show it (the queue's flag, which has no field here, kept)."""
        return ReviewFilter(
            community_id=_id(self.community),
            grid_id=_id(self.grid),
            worker_id=_id(self.worker),
            date_from=self._bound(self.date_from, self._open_ends[0]),
            date_to=self._bound(self.date_to, self._open_ends[1]),
            outcome=str(self.outcome.currentData() or ""),
            state=str(self.state.currentData() or ""),
            flag=self._filter.flag,
        )

    def _bound(self, edit: QDateEdit, open_end: QDate | None) -> dt.date | None:
        if not self.dated.isChecked() or (open_end is not None and edit.date() == open_end):
            return None
        return _day(edit.date())

    def set_coverage_source(self, source: CoverageSource | None) -> None:
        """Where coverage rows come from (the dashboard's reads); without one, coverage is not offered."""
        self._coverage = source
        self.kind_buttons["coverage"].setEnabled(source is not None)
        if source is None and self.kind() == "coverage":
            self.kind_buttons["visits"].setChecked(True)

    def kind(self) -> str:
        return KINDS[max(0, self.kind_group.checkedId())]

    def _on_areas(self, found: list[Area]) -> None:
        self._areas = found
        for area in found:
            if area.kind == "community":
                self.community.addItem(area.name, area.id.hex)
            elif area.kind == "worker":
                self.worker.addItem(area.name, area.id.hex)
        self.set_filter(self._filter)

    def _fill_grids(self) -> None:
        community = _id(self.community)
        current = _id(self.grid)
        self.grid.blockSignals(True)
        while self.grid.count() > 1:
            self.grid.removeItem(1)
        for area in self._areas:
            if area.kind == "grid" and (community is None or area.parent_id == community):
                self.grid.addItem(area.name, area.id.hex)
        self.grid.blockSignals(False)
        self._select(self.grid, current)

    @staticmethod
    def _select(combo: QComboBox, value: uuid.UUID | None) -> None:
        index = combo.findData(value.hex) if value is not None else 0
        combo.setCurrentIndex(max(0, index))

    def _on_kind_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update_kind()

    def includes_personal(self) -> bool:
        """The export will hold full phone numbers: chosen, allowed for the role, and a requests export."""
        return self.personal.isChecked() and may_export_personal(self._ctx.identity.role) and self.kind() == "requests"

    def _update_kind(self) -> None:
        visits = self.kind() == "visits"
        for widget in (self.worker, self.outcome, self.state, self.visit_row_label):
            widget.setEnabled(visits)
        self.personal.setEnabled(self.kind() == "requests")  # only the requests hold residents' phones
        self._retarget()

    # --- the file ---------------------------------------------------------------------------------

    def fmt(self) -> str:
        return "xlsx" if self.xlsx.isChecked() else "csv"

    def _file_name(self) -> str:
        return f"{FILE_STEMS[self.kind()]}-{dt.date.today().isoformat()}.{self.fmt()}"

    def _retarget(self) -> None:
        """The path follows the kind and the format while it is still a default name."""
        text = self.path_edit.text().strip()
        if not text:
            return
        path = Path(text)
        if any(path.name.startswith(stem + "-") for stem in FILE_STEMS.values()):
            path = path.with_name(self._file_name())
        self.path_edit.setText(str(path.with_suffix("." + self.fmt())))

    def _choose(self) -> None:
        filters = self.tr("Excel workbook (*.xlsx)") if self.fmt() == "xlsx" else self.tr("CSV file (*.csv)")
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path_edit.text(), filters)
        if chosen:
            self.path_edit.setText(str(Path(chosen).with_suffix("." + self.fmt())))

    # --- running ----------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the export as the page is filled in; False when it cannot start (the reason shown)."""
        if self._running:
            return False
        self.error_label.hide()
        self.result_label.hide()
        self.open_button.hide()
        text = self.path_edit.text().strip()
        if not text:
            self._show_error(self.tr("Choose where to save the file."))
            return False
        target = Path(text).with_suffix("." + self.fmt())
        if target.is_dir():
            self._show_error(self.tr("%1 is a folder; give a file name.").replace("%1", str(target)))
            return False
        if target.exists() and not self._confirm_replace(target):
            return False
        job = self._job(target)
        self._stop.clear()
        self._set_running(True)
        self._tasks.submit(job, self._on_done, self._on_error)
        return True

    def _job(self, target: Path) -> Callable[[], ExportResult]:
        """What the export thread runs: nothing of Qt's but the relay's signal."""
        kind, fmt, flt, path = self.kind(), self.fmt(), self.current_filter(), self._ctx.path
        info = ExportInfo(
            self._ctx.identity.name or self._ctx.identity.username, dt.datetime.now(), personal=self.includes_personal()
        )
        relay, stop, coverage, what = self._relay, self._stop, self._coverage, self._what
        what.clear()

        def progress(done: int, total: int) -> None:
            relay.progress.emit(done, total)

        def run() -> ExportResult:
            if kind in ("visits", "requests"):
                with snapshot(path) as con:
                    described = replace(info, description=describe(con, flt, visits=kind == "visits"))
                # the trail's words: the file's title and filter, never a resident's data
                title = "走访记录" if kind == "visits" else "诉求"
                marker = "，含个人信息" if info.personal else ""
                what.append(f"{title}（{fmt}{marker}）{described.description}")
                export = export_visits if kind == "visits" else export_requests
                return export(path, target, fmt, flt, described, progress=progress, cancelled=stop.is_set)
            assert coverage is not None
            t = coverage(flt)
            return export_rows(
                target, fmt, t.title, t.headers, t.rows, info, total=t.total, progress=progress, cancelled=stop.is_set
            )

        return run

    def _confirm_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Replace the file?"),
            self.tr("%1 exists already. Replace it?").replace("%1", str(target)),
        )
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        """Stop the running export at its next page; it leaves no file."""
        if self._running:
            self._stop.set()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat(self.tr("Cancelling…"))

    def is_running(self) -> bool:
        return self._running

    def shutdown(self, timeout: float = 2.0) -> bool:
        """The window closes: cancel a running export and wait up to ``timeout`` seconds for it."""
        self._stop.set()
        return self._tasks.shutdown(timeout)

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.export_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the first page's count
            self.progress.setFormat(self.tr("%v of %m rows"))

    def _on_progress(self, done: int, total: int) -> None:
        if self._running and not self._stop.is_set():
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _on_done(self, result: ExportResult) -> None:
        self._set_running(False)
        self.progress.setRange(0, max(result.rows, 1))
        self.progress.setValue(result.rows)
        text = self.tr("Saved %n row(s) to %1.", "", result.rows).replace("%1", str(result.path))
        if result.sheets > 1:
            text += " " + self.tr("The rows fill %n sheet(s).", "", result.sheets)
        self.result_label.setText(text)
        self.result_label.show()
        self._last = result.path
        self.open_button.show()
        if self._what:  # residents' data left the laptop in a file: on the access trail
            record_access(self._ctx, "export", what=self._what[0], rows=result.rows)
        self.finished.emit(result)

    def _open_folder(self) -> None:
        if self._last is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last.parent)))

    def _on_error(self, exc: Exception) -> None:
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if isinstance(exc, ExportCancelled):
            self.progress.setFormat(self.tr("Cancelled"))
            self.result_label.setText(self.tr("The export was cancelled; no file was written."))
            self.result_label.show()
            self.cancelled.emit()
            return
        if isinstance(exc, ExportError):
            message = QCoreApplication.translate("exports", exc.template).format(**exc.params)
        elif isinstance(exc, StoreError):
            message = error_text(exc)
        else:
            log.error("export failed", exc_info=exc)
            message = self.tr("The export failed; no file was written. Details were written to the log.")
        self._show_error(message)
        self.failed.emit(message)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()


def export_page(ctx: AppContext, queue_filter: Callable[[], ReviewFilter] | None = None) -> ExportPage:
    """The page as the review workspace builds it (``register_page("export", export_page)``)."""
    return ExportPage(ctx, queue_filter)
