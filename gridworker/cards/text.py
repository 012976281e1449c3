"""Text on a card: the card's palette and words, fonts sized in painting units, and lines of text
fitted into boxes (shrunk down to a minimum size, then elided with '…'; never clipped). The painted
pieces are ``Run``s drawn at a computed baseline."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QTextLayout, QTextOption

from gridworker.cards.layout import U

RED: Final = QColor(0xB3, 0x26, 0x1E)
INK: Final = QColor(0x1D, 0x1D, 0x1F)
GREY: Final = QColor(0x5F, 0x63, 0x68)
RULE: Final = QColor(0xD9, 0xC4, 0xC2)
WHITE: Final = QColor(Qt.GlobalColor.white)
QR_DARK: Final = QColor(Qt.GlobalColor.black)

CARD_TITLE: Final = "便民联系卡"
SCAN_HINT: Final = "手机扫码，一键保存联系方式"

Op = Callable[[QPainter], None]


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


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Run:
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


def text_line(
    text: str,
    family: str,
    box: QRectF,
    max_em: float,
    min_em: float,
    color: QColor,
    bold: bool = False,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> list[Run]:
    """One line of text fitted into ``box`` (millimetres)."""
    text = clean(text)
    if not text:
        return []
    font, shown = _fitted(text, family, box.width(), max_em, min_em, bold)
    return [Run(shown, font, color, _aligned_x(box, _advance(font, shown), align), _baseline(box, font))]


def labelled_line(
    label: str,
    value: str,
    family: str,
    box: QRectF,
    label_em: float,
    max_em: float,
    min_em: float,
    bold: bool = False,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> list[Run]:
    """A grey label and its value on one baseline (the value shrinks or elides, the label does not)."""
    value = clean(value)
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
        Run(label, label_font, GREY, x, baseline),
        Run(shown, value_font, INK, x + label_width + gap, baseline),
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


def paragraph(
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
) -> list[Run]:
    """Up to ``max_lines`` lines of text from the top of ``box``: the largest size at which all of
    it fits, else the smallest with the last line elided."""
    text = clean(text)
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
        runs.append(Run(line, font, color, _aligned_x(box, _advance(font, line), align), baseline))
        baseline += em * spacing
    return runs


def name_line(
    name: str,
    family: str,
    box: QRectF,
    max_em: float,
    min_em: float,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> list[Run]:
    """A name on one line, shrunk down to ``min_em``; a name still too long goes on two lines rather
    than losing characters (elided only past that: nobody's name should be cut short on their card)."""
    runs = text_line(name, family, box, max_em, min_em, INK, bold=True, align=align)
    if not runs or not runs[0].text.endswith("…") or clean(name).endswith("…"):
        return runs
    return paragraph(name, family, box, min_em, min_em * 0.6, 2, INK, align=align, spacing=1.15, bold=True)


def format_phone(phone: str) -> str:
    """A mainland mobile number in the 3-4-4 groups people read it in; anything else as given."""
    digits = re.sub(r"[\s-]", "", phone)
    if re.fullmatch(r"1[0-9]{10}", digits):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return phone.strip()
