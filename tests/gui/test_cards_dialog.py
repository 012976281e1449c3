"""The contact-card print dialog: layout and address choices reach the preview and the output, save as
PDF and print go through the real paint path, cancel leaves nothing, and without a Chinese font the
dialog says so and prints nothing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from gridworker.cards.render import CardJob, Layout
from gridworker.cards.vcard import CardTarget
from gridworker.ui import cards_dialog
from gridworker.ui.cards_dialog import CardsDialog, default_pdf_name
from tests.gui.test_cards_pdf import PERSON  # the same worker as the PDF tests


def make_job(n: int, layout: Layout = Layout.SINGLE, addresses: bool = True) -> CardJob:
    targets = [
        CardTarget(uuid.uuid4(), f"幸福小区 1栋{i % 3 + 1}单元{i + 101}室" if addresses else "") for i in range(n)
    ]
    return CardJob(PERSON, targets, layout, with_address=False)


def open_dialog(qtbot: QtBot, job: CardJob) -> tuple[CardsDialog, list[CardJob]]:
    dialog = CardsDialog(job)
    qtbot.addWidget(dialog)
    emitted: list[CardJob] = []
    dialog.printed.connect(emitted.append)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, emitted


def preview_image(dialog: CardsDialog) -> QImage:
    return dialog.preview.pixmap().toImage()


class SaveAs:
    """Stands in for QFileDialog.getSaveFileName: answers ``path`` and remembers what it was offered."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.offered: list[str] = []

    def __call__(self, parent: QWidget, caption: str, directory: str, filter: str) -> tuple[str, str]:
        self.offered.append(directory)
        return (str(self.path) if self.path else "", filter)


class Messages:
    def __init__(self) -> None:
        self.shown: list[str] = []

    def __call__(self, parent: QWidget, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        self.shown.append(text)
        return QMessageBox.StandardButton.Ok


def test_the_dialog_says_whose_cards_and_how_many(qtbot: QtBot) -> None:
    dialog, _ = open_dialog(qtbot, make_job(13, Layout.SHEET))
    assert dialog.count_label.text() == "13 card(s), on 2 A4 page(s)"
    assert dialog.layout_buttons.checkedId() == 1
    assert dialog.address_box.isEnabled() and not dialog.address_box.isChecked()
    assert not dialog.font_warning.isVisible()

    without, _ = open_dialog(qtbot, make_job(3, addresses=False))
    assert not without.address_box.isEnabled()


def test_layout_and_address_choices_update_the_preview(qtbot: QtBot) -> None:
    dialog, _ = open_dialog(qtbot, make_job(12))
    single = preview_image(dialog)
    assert single.width() > single.height()  # a 90 x 54 mm card
    dialog.findChild(QWidget, "layout_sheet").click()
    assert dialog.job.layout is Layout.SHEET
    sheet = preview_image(dialog)
    assert sheet.height() > sheet.width() and sheet != single  # an A4 page
    dialog.address_box.click()
    assert dialog.job.with_address
    assert preview_image(dialog) != sheet  # the addresses are on it now
    assert "12" in dialog.count_label.text()
    dialog.findChild(QWidget, "layout_poster").click()
    poster = preview_image(dialog)
    assert dialog.job.layout is Layout.POSTER and poster != sheet


def test_a_poster_is_the_workers_once_without_an_address(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a poster made after a card kept the household's address, and a batch of 12 households
    switched to the poster layout made 12 A3 posters."""
    job = make_job(12)
    dialog, emitted = open_dialog(qtbot, job)
    dialog.address_box.click()  # the cards carry their addresses
    dialog.findChild(QWidget, "layout_poster").click()
    assert dialog.job.targets == [CardTarget(None)] and not dialog.job.with_address
    assert not dialog.address_box.isEnabled()
    assert dialog.count_label.text() == "One A3 poster of the worker's card, without an address"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(tmp_path / "poster.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        dialog.pdf_button.click()
    reader = PdfReader(tmp_path / "poster.pdf")
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "幸福小区" not in text and "地址" not in text
    (printed,) = emitted
    assert all(t.household_id is None for t in printed.targets)  # no household was handed a card
    # back to cards: the households and their addresses are there again
    dialog.findChild(QWidget, "layout_sheet").click()
    assert dialog.job.targets == job.targets and dialog.job.with_address and dialog.address_box.isEnabled()
    assert dialog.count_label.text() == "12 card(s), on 2 A4 page(s)"


def test_save_as_pdf_writes_the_file_and_reports_the_job_once(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = make_job(13)
    dialog, emitted = open_dialog(qtbot, job)
    dialog.findChild(QWidget, "layout_sheet").click()
    dialog.address_box.click()
    save_as = SaveAs(tmp_path / "cards")  # no suffix: .pdf is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        dialog.pdf_button.click()
    path = tmp_path / "cards.pdf"
    assert path.exists() and len(PdfReader(path).pages) == 2
    assert Path(save_as.offered[0]).name == default_pdf_name(job)
    assert Path(save_as.offered[0]).name.startswith("便民联系卡-张伟-")
    assert len(emitted) == 1
    (printed,) = emitted
    assert printed.layout is Layout.SHEET and printed.with_address and printed.targets == job.targets
    assert job.layout is Layout.SINGLE and not job.with_address  # the caller's job is not changed
    assert str(path) in dialog.status.text()


def test_a_long_save_shows_progress_and_completes(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, emitted = open_dialog(qtbot, make_job(45, Layout.SHEET))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(tmp_path / "many.pdf"))
    seen: list[int] = []
    watcher = QTimer(interval=0)
    watcher.timeout.connect(lambda: dialog.progress is not None and seen.append(dialog.progress.value()))
    watcher.start()
    try:
        dialog.pdf_button.click()
    finally:
        watcher.stop()
    assert seen and max(seen) >= 40  # the bar moved while painting, and events were let through
    assert dialog.progress is None
    assert len(PdfReader(tmp_path / "many.pdf").pages) == 5
    assert len(emitted) == 1


def test_cancel_emits_nothing_and_leaves_no_file(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, emitted = open_dialog(qtbot, make_job(60, Layout.SHEET))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(tmp_path / "cancelled.pdf"))
    cancelled_at: list[int] = []

    def press_cancel() -> None:
        progress = dialog.progress
        if progress is not None and progress.value() >= 10 and not cancelled_at:
            cancelled_at.append(progress.value())
            progress.cancel()  # what its Cancel button does

    watcher = QTimer(interval=0)
    watcher.timeout.connect(press_cancel)
    watcher.start()
    try:
        dialog.pdf_button.click()
    finally:
        watcher.stop()
    assert cancelled_at == [10]
    assert emitted == []
    assert list(tmp_path.iterdir()) == []
    assert dialog.status.text() == ""


def test_print_goes_through_the_printer_and_reports_the_job(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, emitted = open_dialog(qtbot, make_job(3))
    dialog.findChild(QWidget, "layout_sheet").click()
    out = tmp_path / "printed.pdf"

    def accept(self: QPrintDialog) -> int:
        self.printer().setOutputFileName(str(out))  # the user picked "print to file"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        dialog.print_button.click()
    assert len(emitted) == 1 and emitted[0].layout is Layout.SHEET
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.width) * 25.4 / 72) == 210


def test_a_print_dialog_closed_prints_nothing(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, emitted = open_dialog(qtbot, make_job(3))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    dialog.print_button.click()
    assert emitted == []


def test_print_preview_shows_every_page_and_is_not_a_print(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, emitted = open_dialog(qtbot, make_job(25, Layout.SHEET))
    pages: list[int] = []

    def look(self: QPrintPreviewDialog) -> int:
        widget = self.findChild(QPrintPreviewWidget)
        assert widget is not None
        widget.updatePreview()
        pages.append(widget.pageCount())
        # opened to be read: the page fitted to the width, in a window near the screen's size
        assert widget.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth
        assert self.width() >= self.screen().availableGeometry().width() * 0.8
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintPreviewDialog, "exec", look)
    dialog.preview_button.click()
    assert pages == [3]
    assert emitted == []


def test_a_pdf_that_cannot_be_written_is_reported(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, emitted = open_dialog(qtbot, make_job(2))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveAs(tmp_path / "no such folder" / "cards.pdf"))
    errors = Messages()
    monkeypatch.setattr(QMessageBox, "critical", errors)
    dialog.pdf_button.click()
    assert len(errors.shown) == 1 and "not saved" in errors.shown[0]
    assert emitted == []


def test_without_a_chinese_font_it_says_so_and_prints_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cards_dialog, "cjk_font_family", lambda: None)
    warnings = Messages()
    monkeypatch.setattr(QMessageBox, "warning", warnings)
    save_as = SaveAs(tmp_path / "boxes.pdf")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: pytest.fail("the print dialog was opened"))
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: pytest.fail("the preview was opened"))
    dialog, emitted = open_dialog(qtbot, make_job(3))
    assert dialog.font_warning.isVisible()
    for button in (dialog.pdf_button, dialog.print_button, dialog.preview_button):
        button.click()
    assert len(warnings.shown) == 3
    assert all("No font for Chinese" in text and "fonts-wqy-microhei" in text for text in warnings.shown)
    assert save_as.offered == []
    assert emitted == []
    assert list(tmp_path.iterdir()) == []
