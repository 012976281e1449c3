"""The contact-card print dialog: whose cards and how many, the layout, the household's address on each
card, a preview of the first page as it will print, and print preview, print, save as PDF.

Usage (the caller records which household got which card)::

    dialog = CardsDialog(job, parent)
    dialog.printed.connect(on_cards_printed)  # with the CardJob as printed: layout and address choice
    dialog.open()

Painting happens on the GUI thread (a QPrinter must be painted there). A long batch shows a modal
progress dialog: the paint loop lets events through every few cards, so the window stays live and
Cancel is honoured there; a cancelled print is aborted, a cancelled PDF leaves no file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QPaintEngine, QPixmap
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.cards.render import (
    CardJob,
    Layout,
    NoCjkFontError,
    Progress,
    cjk_font_family,
    document_title,
    page_count,
    page_layout,
    render,
    render_preview,
    write_pdf,
)
from gridworker.cards.vcard import CardTarget
from gridworker.ui.forms import ERROR_STYLE

PROGRESS_FROM: Final = 20  # more cards than this: a progress dialog with Cancel
PROGRESS_EVERY: Final = 5  # cards painted between two looks at the event queue
PREVIEW_WIDTH: Final = 360
PREVIEW_HEIGHT: Final = 300
LAYOUTS: Final = (Layout.SINGLE, Layout.SHEET, Layout.POSTER)


def default_pdf_name(job: CardJob, today: dt.date | None = None) -> str:
    """``便民联系卡-<name>-<yyyy-mm-dd>.pdf``, with characters no file system takes left out."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", job.person.name).strip() or "card"
    return f"便民联系卡-{name}-{(today or dt.date.today()).isoformat()}.pdf"


def fit_preview(dialog: QPrintPreviewDialog) -> None:
    """A print preview as big as the screen allows, its page fitted to the width (Qt opens it small,
    the whole page in view: 38 % on a 1366×768 screen, too small to read)."""
    screen = dialog.screen().availableGeometry()
    dialog.resize(int(screen.width() * 0.9), int(screen.height() * 0.9))
    fit_width = dialog.findChild(QAction, "fitWidthAction")
    if fit_width is not None:
        fit_width.trigger()  # the toolbar shows the choice too
    preview = dialog.findChild(QPrintPreviewWidget)
    if preview is not None:
        preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)


class CardsDialog(QDialog):
    printed = Signal(object)  # the CardJob, after a print or a PDF save that completed (never on cancel)

    def __init__(self, job: CardJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the cards as asked for (their households and addresses): a poster leaves them aside and
        # switching back to a card layout brings them back
        self.cards = dataclasses.replace(job, targets=list(job.targets))
        self.job = self._job_for(job.layout)
        self.progress: QProgressDialog | None = None  # while a long job runs
        self.setObjectName("cards_dialog")
        self.setWindowTitle(self.tr("Contact cards"))
        self._build()
        self._sync_from_job()
        self._update()

    # -- layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        person = self.job.person
        root = QHBoxLayout(self)
        left = QVBoxLayout()
        root.addLayout(left, 1)

        title = QLabel()
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setText(f"{person.name} · {person.grid_name}")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        left.addWidget(title)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        left.addWidget(self.count_label)

        left.addSpacing(8)
        left.addWidget(QLabel(self.tr("Layout")))
        self.layout_buttons = QButtonGroup(self)
        texts = {
            Layout.SINGLE: self.tr("&Single card, 90 × 54 mm"),
            Layout.SHEET: self.tr("A&4 sheet, 10 cards a page, with crop marks"),
            Layout.POSTER: self.tr("A&3 poster for the compound entrance"),
        }
        for i, layout in enumerate(LAYOUTS):
            button = QRadioButton(texts[layout])
            button.setObjectName(f"layout_{layout.value}")
            self.layout_buttons.addButton(button, i)
            left.addWidget(button)
        self.layout_buttons.idToggled.connect(self._on_layout_toggled)

        left.addSpacing(8)
        self.address_box = QCheckBox(self.tr("Print the household's &address on each card"))
        self.address_box.setObjectName("with_address")
        if not any(t.address.strip() for t in self.job.targets):
            self.address_box.setEnabled(False)
            self.address_box.setToolTip(self.tr("None of these cards is for a household with an address."))
        self.address_box.toggled.connect(self._on_address_toggled)
        left.addWidget(self.address_box)

        self.font_warning = QLabel(
            self.tr(
                "No Chinese font is installed: cards cannot be printed. Install one (for example "
                "fonts-wqy-microhei or Noto Sans CJK SC) and open this dialog again."
            )
        )
        self.font_warning.setWordWrap(True)
        self.font_warning.setStyleSheet(ERROR_STYLE)
        self.font_warning.setVisible(cjk_font_family() is None)
        left.addWidget(self.font_warning)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.status)
        left.addStretch()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = QPushButton(self.tr("Print pre&view…"))
        self.print_button = QPushButton(self.tr("&Print…"))
        self.pdf_button = QPushButton(self.tr("Save as P&DF…"))
        for name, action in (("preview", self.preview_button), ("print", self.print_button), ("pdf", self.pdf_button)):
            action.setObjectName(name)
            action.setAutoDefault(False)
            self.buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button.clicked.connect(self.print_preview)
        self.print_button.clicked.connect(self.print_cards)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.buttons.rejected.connect(self.reject)
        left.addWidget(self.buttons)

        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setFixedSize(PREVIEW_WIDTH + 16, PREVIEW_HEIGHT + 16)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("QLabel#preview { background: #e8e8e8; }")
        root.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)

    def _sync_from_job(self) -> None:
        self.layout_buttons.button(LAYOUTS.index(self.job.layout)).setChecked(True)
        self.address_box.setChecked(self.cards.with_address and self.address_box.isEnabled())

    # -- state --------------------------------------------------------------------------------------

    def _job_for(self, layout: Layout) -> CardJob:
        """What prints in ``layout``: the cards (one per household, each with its address when asked),
        or for a poster the worker's card once, for the compound entrance: no household, no address."""
        if layout is Layout.POSTER:
            return CardJob(self.cards.person, [CardTarget(None)], Layout.POSTER, with_address=False)
        return dataclasses.replace(self.cards, layout=layout)

    def _on_layout_toggled(self, index: int, checked: bool) -> None:
        if checked and self.job.layout is not LAYOUTS[index]:
            self.job = self._job_for(LAYOUTS[index])
            self._update()

    def _on_address_toggled(self, checked: bool) -> None:
        if checked != self.cards.with_address:
            self.cards = dataclasses.replace(self.cards, with_address=checked)
            self.job = self._job_for(self.job.layout)
            self._update()

    def _update(self) -> None:
        cards = len(self.job.targets)
        pages = page_count(self.job.layout, cards)
        poster = self.job.layout is Layout.POSTER
        if self.job.layout is Layout.SHEET:
            text = self.tr("%n card(s)", "", cards) + self.tr(", on %n A4 page(s)", "", pages)
        elif poster:
            text = self.tr("One A3 poster of the worker's card, without an address")
        else:
            text = self.tr("%n card(s)", "", cards)
        self.count_label.setText(text)
        self.address_box.setEnabled(not poster and any(t.address.strip() for t in self.cards.targets))
        enabled = cards > 0
        for button in (self.preview_button, self.print_button, self.pdf_button):
            button.setEnabled(enabled)
        self._update_preview()

    def _update_preview(self) -> None:
        try:
            image = render_preview(self.job, PREVIEW_WIDTH, PREVIEW_HEIGHT, self.devicePixelRatioF())
        except NoCjkFontError:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("No Chinese font is installed: no preview."))
            return
        self.preview.setPixmap(QPixmap.fromImage(image))

    # -- actions ------------------------------------------------------------------------------------

    def _font_ok(self) -> bool:
        """Says so (and nothing is printed) when no installed font draws Chinese."""
        if cjk_font_family() is not None:
            return True
        self._no_font_message()
        return False

    def _no_font_message(self) -> None:
        self.font_warning.show()
        QMessageBox.warning(
            self,
            self.tr("No Chinese font"),
            self.tr(
                "No font for Chinese is installed on this computer, so the cards would print boxes instead "
                "of Chinese. Nothing was printed.\n\nInstall a Chinese font (for example fonts-wqy-microhei "
                "or Noto Sans CJK SC) and try again."
            ),
        )

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(document_title(self.job.person))
        printer.setCreator("Gridworker")
        printer.setFullPage(True)
        printer.setPageLayout(page_layout(self.job.layout))
        return printer

    def print_preview(self) -> None:
        if not self._font_ok():
            return
        printer = self._printer()
        dialog = QPrintPreviewDialog(printer, self)
        fit_preview(dialog)
        dialog.setWindowTitle(self.tr("Print preview: contact cards"))
        dialog.paintRequested.connect(self._on_paint_requested)
        dialog.exec()
        dialog.deleteLater()

    def _on_paint_requested(self, printer: QPrinter) -> None:
        """The preview's pages, or, when its Print button was used, the real print."""
        engine = printer.paintEngine()
        if engine is not None and engine.type() == QPaintEngine.Type.Picture:  # the preview's own pages
            self._paint(lambda progress: render(self.job, printer, None), show_progress=False)
        elif self._paint(lambda progress: render(self.job, printer, progress)):
            self._done(self.tr("%n card(s) sent to the printer.", "", len(self.job.targets)))

    def print_cards(self) -> None:
        if not self._font_ok():
            return
        printer = self._printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print contact cards"))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and self._paint(lambda progress: render(self.job, printer, progress)):
            self._done(self.tr("%n card(s) sent to the printer.", "", len(self.job.targets)))

    def save_pdf(self) -> None:
        if not self._font_ok():
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save contact cards as PDF"),
            str(Path(folder) / default_pdf_name(self.job)),
            self.tr("PDF files (*.pdf)"),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        if self._paint(lambda progress: write_pdf(self.job, path, progress), saving=True):
            self._done(self.tr("Saved to %1").replace("%1", str(path)))

    def _done(self, message: str) -> None:
        self.status.setText(message)
        self.printed.emit(self.job)

    def _paint(self, paint: Callable[[Progress | None], int], saving: bool = False, show_progress: bool = True) -> bool:
        """Runs ``paint`` (with a progress dialog for a long job); True if every card was painted.
        Errors are shown here; a cancelled job is not an error."""
        total = len(self.job.targets)
        try:
            if total <= PROGRESS_FROM or not show_progress:
                return paint(None) == total
            return self._with_progress(paint, total)
        except NoCjkFontError:
            self._no_font_message()
        except OSError as error:
            QMessageBox.critical(
                self,
                self.tr("Contact cards"),
                (self.tr("The PDF was not saved.") if saving else self.tr("The cards were not printed."))
                + "\n\n"
                + str(error),
            )
        return False

    def _with_progress(self, paint: Callable[[Progress | None], int], total: int) -> bool:
        progress = QProgressDialog(self.tr("Preparing %n card(s)…", "", total), self.tr("Cancel"), 0, total, self)
        progress.setObjectName("cards_progress")
        progress.setWindowTitle(self.windowTitle())
        # application-modal: while events are let through, nothing else (a preview's page setup) can
        # start another paint
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(0)
        self.progress = progress
        progress.show()
        QApplication.processEvents()

        def step(done: int, total: int) -> bool:
            if done % PROGRESS_EVERY == 0 or done == total:
                progress.setValue(done)
                QApplication.processEvents()  # paint the bar, take a click on Cancel
            return not progress.wasCanceled()

        try:
            painted = paint(step)
            return painted == total and not progress.wasCanceled()
        finally:
            self.progress = None
            progress.close()
            progress.deleteLater()
