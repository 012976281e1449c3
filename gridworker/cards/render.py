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
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import qrcode  # type: ignore[import-untyped]
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSaveFile, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageReader,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextOption,
)

from gridworker.cards.vcard import TITLE, CardPerson, CardTarget, fallback_code, vcard
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

U: Final = 100.0  # painting units per millimetre
PDF_DPI: Final = 300
CARD_W: Final = 90.0
CARD_H: Final = 54.0
A4: Final = (210.0, 297.0)
A3: Final = (297.0, 420.0)
SHEET_COLS: Final = 2
SHEET_ROWS: Final = 5
QUIET_MODULES: Final = 4
CROP_OFFSET: Final = 2.0  # mm between a card's edge and its crop mark
CROP_LENGTH: Final = 5.0
CROP_WIDTH: Final = 0.1
POSTER_QR_MIN_MM: Final = 120.0  # the symbol's side: scannable from 2 m

# Fonts that cover Simplified Chinese well, in order of preference (Linux, then Windows, then macOS).

RED: Final = QColor(0xB3, 0x26, 0x1E)
INK: Final = QColor(0x1D, 0x1D, 0x1F)
GREY: Final = QColor(0x5F, 0x63, 0x68)
RULE: Final = QColor(0xD9, 0xC4, 0xC2)
WHITE: Final = QColor(Qt.GlobalColor.white)
QR_DARK: Final = QColor(Qt.GlobalColor.black)

CARD_TITLE: Final = "便民联系卡"
SCAN_HINT: Final = "手机扫码，一键保存联系方式"

Progress = Callable[[int, int], bool]
_Op = Callable[[QPainter], None]


class NoCjkFontError(Exception):
    """No installed font covers Simplified Chinese: the cards would print boxes."""

    def __init__(self) -> None:
        super().__init__(
            "No font for Simplified Chinese is installed, so the cards would print boxes instead of Chinese. "
            "Install one (for example fonts-wqy-microhei or fonts-noto-cjk) and try again."
        )


class Layout(enum.Enum):
    SINGLE = "single"  # one 90 x 54 mm card a page
    SHEET = "sheet"  # A4 portrait, 2 x 5 cards with crop marks
    POSTER = "poster"  # A3 portrait, one big card for the compound entrance

    @property
    def cards_per_page(self) -> int:
        return SHEET_COLS * SHEET_ROWS if self is Layout.SHEET else 1


@dataclass
class CardJob:
    """Cards of one person: one card per target, laid out as ``layout``; with ``with_address`` each
    card carries its target's address."""

    person: CardPerson
    targets: list[CardTarget]
    layout: Layout
    with_address: bool = False


def page_size_mm(layout: Layout) -> tuple[float, float]:
    if layout is Layout.SINGLE:
        return CARD_W, CARD_H
    return A4 if layout is Layout.SHEET else A3


def page_layout(layout: Layout) -> QPageLayout:
    """The page of a layout, portrait as given, no margins: the cards are placed from the paper's corner."""
    if layout is Layout.SINGLE:
        size = QPageSize(
            QSizeF(CARD_W, CARD_H), QPageSize.Unit.Millimeter, "90 × 54 mm", QPageSize.SizeMatchPolicy.ExactMatch
        )
    else:
        size = QPageSize(QPageSize.PageSizeId.A4 if layout is Layout.SHEET else QPageSize.PageSizeId.A3)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def page_count(layout: Layout, cards: int) -> int:
    per = layout.cards_per_page
    return (cards + per - 1) // per


def card_rects_mm(layout: Layout, count: int) -> list[QRectF]:
    """Where the first ``count`` cards of a page go, in millimetres from the page's top-left corner.
    On a sheet the cards abut (one guillotine cut between two) and the block is centred."""
    if layout is Layout.SINGLE:
        return [QRectF(0, 0, CARD_W, CARD_H)][:count]
    if layout is Layout.POSTER:
        return [QRectF(0, 0, *A3)][:count]
    left = (A4[0] - SHEET_COLS * CARD_W) / 2
    top = (A4[1] - SHEET_ROWS * CARD_H) / 2
    return [
        QRectF(left + (i % SHEET_COLS) * CARD_W, top + (i // SHEET_COLS) * CARD_H, CARD_W, CARD_H)
        for i in range(min(count, SHEET_COLS * SHEET_ROWS))
    ]


def crop_marks_mm(cards: Sequence[QRectF]) -> list[tuple[QPointF, QPointF]]:
    """Short lines continuing each card's edges beyond its corners, outside every card on the page
    (a mark that would touch another card is left out: between abutting cards the cut is marked in
    the margin)."""
    half = CROP_WIDTH / 2
    marks: list[tuple[QPointF, QPointF]] = []
    seen: set[tuple[float, ...]] = set()
    for card in cards:
        for x, y, dx, dy in (
            (card.left(), card.top(), -1, -1),
            (card.right(), card.top(), 1, -1),
            (card.left(), card.bottom(), -1, 1),
            (card.right(), card.bottom(), 1, 1),
        ):
            for a, b in (
                (QPointF(x + dx * CROP_OFFSET, y), QPointF(x + dx * (CROP_OFFSET + CROP_LENGTH), y)),
                (QPointF(x, y + dy * CROP_OFFSET), QPointF(x, y + dy * (CROP_OFFSET + CROP_LENGTH))),
            ):
                key = tuple(round(v, 3) for v in (a.x(), a.y(), b.x(), b.y()))
                if key in seen:
                    continue
                area = QRectF(a, b).normalized().adjusted(-half, -half, half, half)
                if any(area.intersects(other) for other in cards):
                    continue
                seen.add(key)
                marks.append((a, b))
    return marks


@functools.lru_cache(maxsize=SHEET_COLS * SHEET_ROWS)
def _sheet_crop_marks(count: int) -> tuple[tuple[QPointF, QPointF], ...]:
    """The crop marks of a sheet page holding ``count`` cards (the same on every full page)."""
    return tuple(crop_marks_mm(card_rects_mm(Layout.SHEET, count)))


# --- text -----------------------------------------------------------------------------------------


def _font(family: str, em_mm: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPixelSize(max(1, round(em_mm * U)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(True)
    return font


def _advance(font: QFont, text: str) -> float:
    return QFontMetricsF(font).horizontalAdvance(text) / U


def _line_height(font: QFont) -> float:
    metrics = QFontMetricsF(font)
    return (metrics.ascent() + metrics.descent()) / U


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class _Run:
    """One run of text of one font and colour, drawn at a baseline (millimetres)."""

    text: str
    font: QFont
    color: QColor
    x: float
    baseline: float

    def width(self) -> float:
        return _advance(self.font, self.text)

    def paint(self, painter: QPainter) -> None:
        painter.setFont(self.font)
        painter.setPen(self.color)
        painter.drawText(QPointF(self.x * U, self.baseline * U), self.text)


def _fitted(
    text: str, family: str, width: float, max_em: float, min_em: float, bold: bool = False
) -> tuple[QFont, str]:
    """The font (``max_em`` at most) and text that fit ``width`` mm: shrunk as needed, and elided
    with '…' only when even ``min_em`` is too wide."""
    font = _font(family, max_em, bold)
    advance = _advance(font, text)
    if advance <= width:
        return font, text
    em = max(min_em, max_em * width / advance)
    while True:
        font = _font(family, em, bold)
        advance = _advance(font, text)
        if advance <= width or em <= min_em:
            break
        em = max(min_em, em * 0.97)
    if advance > width:
        text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width * U)
    return font, text


def _baseline(box: QRectF, font: QFont) -> float:
    """The baseline that centres the font's ascent and descent in ``box``."""
    metrics = QFontMetricsF(font)
    ascent, descent = metrics.ascent() / U, metrics.descent() / U
    return box.top() + (box.height() - ascent - descent) / 2 + ascent


def _aligned_x(box: QRectF, width: float, align: Qt.AlignmentFlag) -> float:
    if align == Qt.AlignmentFlag.AlignRight:
        return box.right() - width
    if align == Qt.AlignmentFlag.AlignHCenter:
        return box.left() + (box.width() - width) / 2
    return box.left()


def _text(
    text: str,
    family: str,
    box: QRectF,
    max_em: float,
    min_em: float,
    color: QColor,
    bold: bool = False,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> list[_Run]:
    """One line of text fitted into ``box`` (millimetres)."""
    text = _clean(text)
    if not text:
        return []
    font, shown = _fitted(text, family, box.width(), max_em, min_em, bold)
    return [_Run(shown, font, color, _aligned_x(box, _advance(font, shown), align), _baseline(box, font))]


def _labelled(
    label: str,
    value: str,
    family: str,
    box: QRectF,
    label_em: float,
    max_em: float,
    min_em: float,
    bold: bool = False,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> list[_Run]:
    """A grey label and its value on one baseline (the value shrinks or elides, the label does not)."""
    value = _clean(value)
    if not value:
        return []
    label_font = _font(family, label_em)
    gap = label_em * 0.6
    label_width = _advance(label_font, label)
    value_font, shown = _fitted(value, family, box.width() - label_width - gap, max_em, min_em, bold)
    total = label_width + gap + _advance(value_font, shown)
    x = _aligned_x(box, total, align)
    baseline = _baseline(box, value_font)
    return [
        _Run(label, label_font, GREY, x, baseline),
        _Run(shown, value_font, INK, x + label_width + gap, baseline),
    ]


def _wrap(text: str, font: QFont, width: float) -> list[tuple[int, int]]:
    """(start, end) of the lines of ``text`` no wider than ``width`` mm (Unicode line breaking:
    Chinese breaks between characters, Latin words stay whole where they can)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width * U)
        spans.append((line.textStart(), line.textStart() + line.textLength()))
    layout.endLayout()
    return spans


def _paragraph(
    text: str,
    family: str,
    box: QRectF,
    max_em: float,
    min_em: float,
    max_lines: int,
    color: QColor,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    spacing: float = 1.25,
    bold: bool = False,
) -> list[_Run]:
    """Up to ``max_lines`` lines of text from the top of ``box``: the largest size at which all of
    it fits, else the smallest with the last line elided."""
    text = _clean(text)
    if not text:
        return []
    em = max_em
    while True:
        font = _font(family, em, bold)
        spans = _wrap(text, font, box.width())
        height = _line_height(font) + (len(spans) - 1) * em * spacing
        if (len(spans) <= max_lines and height <= box.height()) or em <= min_em:
            break
        em = max(min_em, em * 0.95)
    if len(spans) > max_lines:  # the last line holds the rest, elided
        spans = [*spans[: max_lines - 1], (spans[max_lines - 1][0], len(text))]
    metrics = QFontMetricsF(font)
    runs = []
    baseline = box.top() + metrics.ascent() / U
    for start, end in spans:
        line = text[start:end].strip()
        if _advance(font, line) > box.width():
            line = metrics.elidedText(line, Qt.TextElideMode.ElideRight, box.width() * U)
        runs.append(_Run(line, font, color, _aligned_x(box, _advance(font, line), align), baseline))
        baseline += em * spacing
    return runs


def _name(
    name: str,
    family: str,
    box: QRectF,
    max_em: float,
    min_em: float,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> list[_Run]:
    """A name on one line, shrunk down to ``min_em``; a name still too long goes on two lines rather
    than losing characters (elided only past that: nobody's name should be cut short on their card)."""
    runs = _text(name, family, box, max_em, min_em, INK, bold=True, align=align)
    if not runs or not runs[0].text.endswith("…") or _clean(name).endswith("…"):
        return runs
    return _paragraph(name, family, box, min_em, min_em * 0.6, 2, INK, align=align, spacing=1.15, bold=True)


def format_phone(phone: str) -> str:
    """A mainland mobile number in the 3-4-4 groups people read it in; anything else as given."""
    digits = re.sub(r"[\s-]", "", phone)
    if re.fullmatch(r"1[0-9]{10}", digits):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return phone.strip()


# --- the parts every card of a job shares ----------------------------------------------------------


class _Qr:
    """The job's QR code: rectangles of dark modules (one per horizontal run), in module units."""

    def __init__(self, payload: str) -> None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(payload)
        code.make(fit=True)
        matrix: list[list[bool]] = code.get_matrix()
        self.version: int = code.version
        self.modules = len(matrix)
        self.rects: list[QRectF] = []
        for y, row in enumerate(matrix):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    self.rects.append(QRectF(start, y, x - start, 1))
                else:
                    x += 1

    def symbol_rect(self, box: QRectF) -> QRectF:
        """The symbol inside ``box``, which includes the quiet zone (square, centred)."""
        side = min(box.width(), box.height())
        module = side / (self.modules + 2 * QUIET_MODULES)
        inner = module * self.modules
        return QRectF(box.center().x() - inner / 2, box.center().y() - inner / 2, inner, inner)

    def op(self, box: QRectF) -> _Op:
        symbol = self.symbol_rect(box)

        def paint(painter: QPainter) -> None:
            painter.save()
            # no antialiasing: on a raster preview, runs that meet would show seams; vector output
            # (PDF, printer) is unaffected
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QR_DARK)
            painter.translate(symbol.left() * U, symbol.top() * U)
            scale = symbol.width() * U / self.modules
            painter.scale(scale, scale)
            painter.drawRects(self.rects)
            painter.restore()

        return paint


def _load_photo(data: bytes, box: QRectF) -> QImage | None:
    """The photo cropped to the box's shape (centred across, kept from the top, where faces are) and
    scaled to the box at the PDF's resolution; None if the bytes are not an image Qt reads."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone's photo stands the way it was taken (EXIF orientation)
    image = reader.read()
    buffer.close()
    if image.isNull():
        return None
    aspect = box.width() / box.height()
    w, h = image.width(), image.height()
    if w / h > aspect:
        crop_w = round(h * aspect)
        image = image.copy((w - crop_w) // 2, 0, crop_w, h)
    else:
        crop_h = round(w / aspect)
        image = image.copy(0, min((h - crop_h) // 4, h - crop_h), w, crop_h)
    px_w = max(1, round(box.width() / 25.4 * PDF_DPI))
    px_h = max(1, round(box.height() / 25.4 * PDF_DPI))
    if image.width() > px_w:
        image = image.scaled(
            px_w, px_h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _rounded(rect: QRectF, radius: float, color: QColor, outline: QColor | None = None) -> _Op:
    def paint(painter: QPainter) -> None:
        painter.save()
        if outline is None:
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setPen(QPen(outline, 0.2 * U))
        painter.setBrush(color)
        painter.drawRoundedRect(
            QRectF(rect.left() * U, rect.top() * U, rect.width() * U, rect.height() * U), radius * U, radius * U
        )
        painter.restore()

    return paint


def _line(a: QPointF, b: QPointF, color: QColor, width: float) -> _Op:
    def paint(painter: QPainter) -> None:
        painter.setPen(QPen(color, width * U, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawLine(QPointF(a.x() * U, a.y() * U), QPointF(b.x() * U, b.y() * U))

    return paint


def _image(image: QImage, rect: QRectF) -> _Op:
    target = QRectF(rect.left() * U, rect.top() * U, rect.width() * U, rect.height() * U)

    def paint(painter: QPainter) -> None:
        painter.drawImage(target, image)

    return paint


def _runs(runs: list[_Run]) -> list[_Op]:
    return [run.paint for run in runs]


@dataclass(frozen=True)
class _Frame:
    """Where things go on one layout's card, in card-local millimetres."""

    address: QRectF
    address_label_em: float
    address_em: tuple[float, float]


CARD_FRAME: Final = _Frame(QRectF(4.5, 48.6, 81.0, 3.6), 2.2, (2.4, 1.8))
POSTER_FRAME: Final = _Frame(QRectF(25.0, 392.0, 247.0, 12.0), 7.0, (8.0, 5.0))


class _Art:
    """Everything a job's cards share, laid out once: every card differs only by its address."""

    def __init__(self, job: CardJob, family: str) -> None:
        self.job = job
        self.family = family
        self.qr = _Qr(vcard(job.person))
        self.code = fallback_code(job.person.worker_id)
        poster = job.layout is Layout.POSTER
        self.frame = POSTER_FRAME if poster else CARD_FRAME
        self.ops: list[_Op] = self._poster() if poster else self._card()

    # 90 x 54 mm: header band, name and details on the left, QR on the right
    def _card(self) -> list[_Op]:
        p, f = self.job.person, self.family
        ops: list[_Op] = []
        margin = 3.0
        header = QRectF(margin, margin, CARD_W - 2 * margin, 10.4)
        ops.append(_rounded(header, 1.4, RED))
        title = _text(CARD_TITLE, f, QRectF(5.4, header.top(), 40, header.height()), 4.8, 4.8, WHITE, bold=True)
        ops += _runs(title)
        title_end = title[0].x + title[0].width()
        community = QRectF(title_end + 3.0, header.top(), header.right() - 2.4 - title_end - 3.0, header.height())
        ops += _runs(_text(p.community_name, f, community, 3.0, 2.0, WHITE, align=Qt.AlignmentFlag.AlignRight))

        qr_box = QRectF(CARD_W - 1.6 - 31.4, header.bottom() + 0.3, 31.4, 31.4)
        ops.append(self.qr.op(qr_box))
        symbol = self.qr.symbol_rect(qr_box)
        code_box = QRectF(symbol.left() - 1.0, qr_box.bottom() - 0.2, symbol.width() + 2.0, 3.4)
        ops += _runs(
            _labelled("识别码", self.code, f, code_box, 2.1, 2.6, 2.0, bold=True, align=Qt.AlignmentFlag.AlignHCenter)
        )

        left = margin + 1.5
        right = qr_box.left() + 0.4  # the quiet zone is white: text may come up to the symbol's margin
        text_left = left
        photo = self._photo_op(QRectF(left, 15.2, 15.0, 20.0), ops)
        if photo:
            text_left = left + 15.0 + 2.2
        width = right - text_left
        ops += _runs(_name(p.name, f, QRectF(text_left, 14.4, width, 8.6), 7.0, 3.8))
        ops += _runs(_text(f"{TITLE} · {p.grid_name}", f, QRectF(text_left, 23.0, width, 4.0), 2.8, 2.0, GREY))
        ops += _runs(
            _labelled("手机", format_phone(p.phone), f, QRectF(text_left, 27.7, width, 5.6), 2.5, 4.3, 3.0, True)
        )
        ops += _runs(_labelled("服务时间", p.service_hours, f, QRectF(text_left, 33.4, width, 4.0), 2.5, 2.6, 1.8))
        line_left = left if not photo or 15.2 + 20.0 <= 37.6 else text_left
        ops += _runs(_paragraph(p.line, f, QRectF(line_left, 38.0, right - line_left, 7.4), 2.7, 2.0, 2, RED))
        return ops

    # A3 poster: title band, name, huge phone, big QR, hours and the line
    def _poster(self) -> list[_Op]:
        p, f = self.job.person, self.family
        width, margin = A3[0], 14.0
        ops: list[_Op] = []
        header = QRectF(margin, margin, width - 2 * margin, 60.0)
        ops.append(_rounded(header, 5.0, RED))
        ops += _runs(
            _text(CARD_TITLE, f, QRectF(header.left() + 10, header.top() + 5, header.width() - 20, 31), 27, 20, WHITE,
                  bold=True, align=Qt.AlignmentFlag.AlignHCenter)
        )  # fmt: skip
        community = QRectF(header.left() + 10, header.top() + 38, header.width() - 20, 16)
        ops += _runs(_text(p.community_name, f, community, 11, 6, WHITE, align=Qt.AlignmentFlag.AlignHCenter))

        top = header.bottom() + 8
        photo = self._photo_op(QRectF(margin + 10, top, 54.0, 72.0), ops)
        if photo:
            box_left, align = margin + 10 + 54 + 10, Qt.AlignmentFlag.AlignLeft
        else:
            box_left, align = margin + 8, Qt.AlignmentFlag.AlignHCenter
        box_w = width - margin - 8 - box_left
        ops += _runs(_name(p.name, f, QRectF(box_left, top, box_w, 30), 26, 12, align=align))
        ops += _runs(
            _text(f"{TITLE} · {p.grid_name}", f, QRectF(box_left, top + 31, box_w, 13), 10, 6, GREY, align=align)
        )
        phone = QRectF(box_left, top + 46, box_w, 27)
        ops += _runs(_labelled("手机", format_phone(p.phone), f, phone, 9, 24, 12, bold=True, align=align))

        # the lower block is laid out from the bottom up (above the address, when the job has one), and
        # the QR code takes the height left between it and the phone, centred
        centre = Qt.AlignmentFlag.AlignHCenter
        full_left, full_w = margin + 8, width - 2 * margin - 16
        bottom = POSTER_FRAME.address.top() - 6 if self.job.with_address else A3[1] - margin - 2
        line = _paragraph(p.line, f, QRectF(full_left, 0, full_w, 24), 10, 6, 2, RED, align=centre)
        if line:
            last = line[-1]
            shift = bottom - (last.baseline + QFontMetricsF(last.font).descent() / U)
            line = [dataclasses.replace(run, baseline=run.baseline + shift) for run in line]
            bottom = line[0].baseline - QFontMetricsF(line[0].font).ascent() / U - 1
        ops += _runs(line)
        hours = QRectF(full_left, bottom - 13, full_w, 13)
        ops += _runs(_labelled("服务时间", p.service_hours, f, hours, 8, 10, 6, align=centre))
        rule_y = hours.top() - 3
        ops.append(_line(QPointF(margin + 30, rule_y), QPointF(width - margin - 30, rule_y), RULE, 0.4))
        code = QRectF(full_left, rule_y - 4 - 11, full_w, 11)
        ops += _runs(_labelled("识别码", self.code, f, code, 6.5, 8.5, 6, bold=True, align=centre))
        hint = QRectF(full_left, code.top() - 0.5 - 9, full_w, 9)
        ops += _runs(_text(SCAN_HINT, f, hint, 6.5, 5, GREY, align=centre))

        space_top = top + 76
        side = min(hint.top() - space_top, 200.0)
        qr_box = QRectF((width - side) / 2, space_top + (hint.top() - space_top - side) / 2, side, side)
        ops.append(self.qr.op(qr_box))
        assert self.qr.symbol_rect(qr_box).width() >= POSTER_QR_MIN_MM, qr_box
        return ops

    def _photo_op(self, box: QRectF, ops: list[_Op]) -> bool:
        """The photo in ``box`` (appended to ``ops``); False if the person has none (or it is not an image)."""
        photo = self.job.person.photo
        image = _load_photo(photo, box) if photo else None
        if image is None:
            return False
        ops.append(_image(image, box))
        ops.append(_rounded(box, 0.0, QColor(Qt.GlobalColor.transparent), RULE))
        return True

    def address_ops(self, target: CardTarget) -> list[_Op]:
        if not self.job.with_address or not _clean(target.address):
            return []
        frame = self.frame
        box = frame.address
        rule = box.top() - (0.5 if frame is CARD_FRAME else 2.0)
        ops: list[_Op] = [
            _line(QPointF(box.left(), rule), QPointF(box.right(), rule), RULE, 0.15 if frame is CARD_FRAME else 0.4)
        ]
        align = Qt.AlignmentFlag.AlignLeft if frame is CARD_FRAME else Qt.AlignmentFlag.AlignHCenter
        ops += _runs(
            _labelled("地址", target.address, self.family, box, frame.address_label_em, *frame.address_em, align=align)
        )
        return ops


# --- pages -----------------------------------------------------------------------------------------


def _paint_card(painter: QPainter, art: _Art, target: CardTarget, origin: QPointF) -> None:
    painter.save()
    painter.translate(origin.x() * U, origin.y() * U)
    for op in art.ops:
        op(painter)
    for op in art.address_ops(target):
        op(painter)
    painter.restore()


def _paint_page(
    painter: QPainter,
    art: _Art,
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
            for a, b in _sheet_crop_marks(len(rects)):
                _line(a, b, QR_DARK, CROP_WIDTH)(painter)
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
    art = _Art(job, family)
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
        _paint_page(painter, _Art(job, family), targets, px_per_mm)
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
