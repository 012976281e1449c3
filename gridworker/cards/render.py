"""Painting contact cards (便民联系卡) on a paged paint device: a PDF file (``QPdfWriter``), a printer
or the print preview (``QPrinter``), and the dialog's small preview (a ``QImage``), all through the
same code (``_paint_page``), so what the preview shows is what prints.

Everything is laid out in card-local millimetres and painted in hundredths of a millimetre (``U``):
the painter is scaled from those units to the device's dots, so the layout does not depend on the
resolution, and fonts get pixel sizes in those units (precise to 0.01 mm, unhinted). Text is always
drawn at a computed baseline, never into a clipping rectangle: a value that does not fit its box is
shrunk down to a minimum size and only then elided with '…', so nothing is ever cut off.

The QR code is the ``qrcode`` module matrix painted as filled rectangles (one per horizontal run of
dark modules) in module units: vector, crisp at any printer resolution, and a few bytes a card in the
PDF (Qt writes ``x y w h re`` under one matrix). Qt's PDF engine embeds the fonts it uses; where no
font covers Simplified Chinese, ``render`` raises ``NoCjkFontError`` before painting anything.

The card's own words (便民联系卡, 手机, 识别码 …) are Chinese whatever the app's language: the card is
for the residents, not for the worker's screen.

Here: the pages and the writers (``render``, ``render_preview``, ``write_pdf``). Where cards go on paper is
``gridworker.cards.layout``, text fitting ``gridworker.cards.text``, what a card shows (and the QR code)
``gridworker.cards.art``; this module keeps their public names (``__all__``) for its callers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QIODevice, QPointF, QSaveFile
from PySide6.QtGui import QImage, QPagedPaintDevice, QPainter, QPdfWriter

from gridworker.cards.art import CardArt, line_op
from gridworker.cards.layout import (
    CROP_WIDTH,
    PDF_DPI,
    CardJob,
    Layout,
    U,
    card_rects_mm,
    crop_marks_mm,
    page_count,
    page_layout,
    page_size_mm,
    sheet_crop_marks,
)
from gridworker.cards.text import CARD_TITLE, QR_DARK, WHITE, format_phone
from gridworker.cards.vcard import CardPerson, CardTarget
from gridworker.fonts import cjk_font_family

log = logging.getLogger(__name__)

__all__ = [
    "CardJob",
    "Layout",
    "NoCjkFontError",
    "Progress",
    "card_rects_mm",
    "cjk_font_family",
    "crop_marks_mm",
    "document_title",
    "format_phone",
    "page_count",
    "page_layout",
    "page_size_mm",
    "render",
    "render_preview",
    "write_pdf",
]

Progress = Callable[[int, int], bool]


class NoCjkFontError(Exception):
    """No installed font covers Simplified Chinese: the cards would print boxes."""

    def __init__(self) -> None:
        super().__init__(
            "No font for Simplified Chinese is installed, so the cards would print boxes instead of Chinese. "
            "Install one (for example fonts-wqy-microhei or fonts-noto-cjk) and try again."
        )


# --- pages -----------------------------------------------------------------------------------------


def _paint_card(painter: QPainter, art: CardArt, target: CardTarget, origin: QPointF) -> None:
    painter.save()
    painter.translate(origin.x() * U, origin.y() * U)
    for op in art.ops:
        op(painter)
    for op in art.address_ops(target):
        op(painter)
    painter.restore()


def _paint_page(
    painter: QPainter,
    art: CardArt,
    targets: Sequence[CardTarget],
    px_per_mm: float,
    each: Callable[[], bool] | None = None,
) -> int:
    """One page: its cards (and crop marks on a sheet), painter scaled from millimetres at
    ``px_per_mm``. ``each`` is called after every card; False stops. Returns the cards painted."""
    painter.save()
    painter.scale(px_per_mm / U, px_per_mm / U)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    rects = card_rects_mm(art.job.layout, len(targets))
    painted = 0
    try:
        if art.job.layout is Layout.SHEET:
            for a, b in sheet_crop_marks(len(rects)):
                line_op(a, b, QR_DARK, CROP_WIDTH)(painter)
        for rect, target in zip(rects, targets, strict=True):
            _paint_card(painter, art, target, rect.topLeft())
            painted += 1
            if each is not None and not each():
                break
    finally:
        painter.restore()
    return painted


def _require_font() -> str:
    family = cjk_font_family()
    if family is None:
        raise NoCjkFontError()
    return family


def render(job: CardJob, device: QPagedPaintDevice, progress: Progress | None = None) -> int:
    """Paints the job's cards on ``device`` (one card per target), setting its page to the layout's;
    returns the number of cards painted. ``progress(done, total)`` is called before the first card
    and after each; when it returns False painting stops (a printer's job is aborted) and the count
    so far is returned: the caller discards the output. Raises NoCjkFontError before painting
    anything if no installed font draws Chinese."""
    family = _require_font()
    total = len(job.targets)
    if total == 0:
        raise ValueError("a card job needs at least one target")
    if progress is not None and not progress(0, total):
        return 0
    art = CardArt(job, family)
    set_full_page = getattr(device, "setFullPage", None)  # a QPrinter: coordinates from the paper's corner
    if callable(set_full_page):
        set_full_page(True)
    device.setPageLayout(page_layout(job.layout))
    px_per_mm = device.logicalDpiX() / 25.4
    per_page = job.layout.cards_per_page
    painted = 0
    cancelled = False

    def each() -> bool:
        nonlocal painted, cancelled
        painted += 1
        cancelled = progress is not None and not progress(painted, total)
        return not cancelled

    painter = QPainter()
    if not painter.begin(device):
        raise OSError("could not start painting the cards (the printer or file refused)")
    try:
        for start in range(0, total, per_page):
            if start:
                device.newPage()
            _paint_page(painter, art, job.targets[start : start + per_page], px_per_mm, each)
            if cancelled:
                abort = getattr(device, "abort", None)  # a QPrinter: nothing reaches the printer
                if callable(abort):
                    abort()
                break
    finally:
        painter.end()
    return painted


def render_preview(job: CardJob, width: int, height: int, device_pixel_ratio: float = 1.0) -> QImage:
    """The job's first page as it will print (``_paint_page``, the code that prints it), fitted into
    ``width`` x ``height`` logical pixels. Raises NoCjkFontError if no font draws Chinese."""
    family = _require_font()
    page_w, page_h = page_size_mm(job.layout)
    px_per_mm = min(width / page_w, height / page_h) * device_pixel_ratio
    image = QImage(round(page_w * px_per_mm), round(page_h * px_per_mm), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(round(px_per_mm * 1000))
    image.setDotsPerMeterY(round(px_per_mm * 1000))
    image.fill(WHITE)
    targets = job.targets[: job.layout.cards_per_page] or [CardTarget(None)]
    painter = QPainter(image)
    try:
        _paint_page(painter, CardArt(job, family), targets, px_per_mm)
    finally:
        painter.end()
    image.setDevicePixelRatio(device_pixel_ratio)
    return image


def document_title(person: CardPerson) -> str:
    return f"{CARD_TITLE} – {person.name}"


def write_pdf(job: CardJob, path: Path, progress: Progress | None = None) -> int:
    """Writes the job's cards to a PDF at ``path`` (the layout's page size, 300 dpi, fonts embedded)
    and returns the number of cards written. The file is written beside ``path`` under a temporary
    name and takes its place only when complete: a cancelled job (fewer cards than targets are
    returned) or a failed one (an exception) leaves no file, and an older file at ``path`` untouched."""
    _require_font()
    out = QSaveFile(str(path))
    if not out.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"cannot write {path}: {out.errorString()}")
    try:
        writer = QPdfWriter(out)
        writer.setResolution(PDF_DPI)
        writer.setTitle(document_title(job.person))
        writer.setCreator("Gridworker")
        painted = render(job, writer, progress)
        del writer
    except BaseException:
        out.cancelWriting()
        out.commit()  # discards the temporary file
        raise
    if painted < len(job.targets):  # cancelled
        out.cancelWriting()
        out.commit()
        return painted
    if not out.commit():
        raise OSError(f"cannot write {path}: {out.errorString()}")
    return painted
