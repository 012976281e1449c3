"""What a job's cards show, laid out once (``CardArt``): the header, the worker's name and details, the
QR code (the ``qrcode`` module matrix painted as one filled rectangle per horizontal run of dark modules,
vector and crisp at any resolution), the photo, and each card's address."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Final

import qrcode  # type: ignore[import-untyped]
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QImageReader, QPainter, QPen

from gridworker.cards.layout import A3, CARD_W, PDF_DPI, POSTER_QR_MIN_MM, QUIET_MODULES, CardJob, Layout, U
from gridworker.cards.text import (
    CARD_TITLE,
    GREY,
    QR_DARK,
    RED,
    RULE,
    SCAN_HINT,
    WHITE,
    Op,
    Run,
    clean,
    format_phone,
    labelled_line,
    name_line,
    paragraph,
    text_line,
)
from gridworker.cards.vcard import TITLE, CardTarget, fallback_code, vcard

CARD_QR_MAX_VERSION: Final = 11  # 61 modules: 0.455 mm each in the card's 31.4 mm box, quiet zone included
CARD_QR_MIN_MODULE_MM: Final = 0.45


def _qr_code(payload: str) -> qrcode.QRCode:
    """The smallest symbol for ``payload`` at error correction M; at L when M would need more than
    ``CARD_QR_MAX_VERSION`` (L at that version holds any vCard, see ``vcard.VCARD_MAX_BYTES``)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    if code.version > CARD_QR_MAX_VERSION:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=0)
        code.add_data(payload)
        code.make(fit=True)
    return code


class _Qr:
    """The job's QR code: rectangles of dark modules (one per horizontal run), in module units."""

    def __init__(self, payload: str) -> None:
        code = _qr_code(payload)
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

    def module_mm(self, box: QRectF) -> float:
        return min(box.width(), box.height()) / (self.modules + 2 * QUIET_MODULES)

    def symbol_rect(self, box: QRectF) -> QRectF:
        """The symbol inside ``box``, which includes the quiet zone (square, centred)."""
        side = min(box.width(), box.height())
        module = side / (self.modules + 2 * QUIET_MODULES)
        inner = module * self.modules
        return QRectF(box.center().x() - inner / 2, box.center().y() - inner / 2, inner, inner)

    def op(self, box: QRectF) -> Op:
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


def _rounded(rect: QRectF, radius: float, color: QColor, outline: QColor | None = None) -> Op:
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


def line_op(a: QPointF, b: QPointF, color: QColor, width: float) -> Op:
    def paint(painter: QPainter) -> None:
        painter.setPen(QPen(color, width * U, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawLine(QPointF(a.x() * U, a.y() * U), QPointF(b.x() * U, b.y() * U))

    return paint


def _image(image: QImage, rect: QRectF) -> Op:
    target = QRectF(rect.left() * U, rect.top() * U, rect.width() * U, rect.height() * U)

    def paint(painter: QPainter) -> None:
        painter.drawImage(target, image)

    return paint


def _runs(runs: list[Run]) -> list[Op]:
    return [run.paint for run in runs]


@dataclass(frozen=True)
class _Frame:
    """Where things go on one layout's card, in card-local millimetres."""

    address: QRectF
    address_label_em: float
    address_em: tuple[float, float]


CARD_FRAME: Final = _Frame(QRectF(4.5, 48.6, 81.0, 3.6), 2.2, (2.4, 1.8))
POSTER_FRAME: Final = _Frame(QRectF(25.0, 392.0, 247.0, 12.0), 7.0, (8.0, 5.0))


class CardArt:
    """Everything a job's cards share, laid out once: every card differs only by its address."""

    def __init__(self, job: CardJob, family: str) -> None:
        self.job = job
        self.family = family
        self.qr = _Qr(vcard(job.person))
        self.code = fallback_code(job.person.card_code)
        poster = job.layout is Layout.POSTER
        self.frame = POSTER_FRAME if poster else CARD_FRAME
        self.ops: list[Op] = self._poster() if poster else self._card()

    # 90 x 54 mm: header band, name and details on the left, QR on the right
    def _card(self) -> list[Op]:
        p, f = self.job.person, self.family
        ops: list[Op] = []
        margin = 3.0
        header = QRectF(margin, margin, CARD_W - 2 * margin, 10.4)
        ops.append(_rounded(header, 1.4, RED))
        title = text_line(CARD_TITLE, f, QRectF(5.4, header.top(), 40, header.height()), 4.8, 4.8, WHITE, bold=True)
        ops += _runs(title)
        title_end = title[0].x + title[0].width()
        community = QRectF(title_end + 3.0, header.top(), header.right() - 2.4 - title_end - 3.0, header.height())
        ops += _runs(text_line(p.community_name, f, community, 3.0, 2.0, WHITE, align=Qt.AlignmentFlag.AlignRight))

        qr_box = QRectF(CARD_W - 1.6 - 31.4, header.bottom() + 0.3, 31.4, 31.4)
        ops.append(self.qr.op(qr_box))
        assert self.qr.module_mm(qr_box) >= CARD_QR_MIN_MODULE_MM, self.qr.version
        symbol = self.qr.symbol_rect(qr_box)
        code_box = QRectF(symbol.left() - 1.0, qr_box.bottom() - 0.2, symbol.width() + 2.0, 3.4)
        if self.code:
            ops += _runs(
                labelled_line(
                    "识别码", self.code, f, code_box, 2.1, 2.6, 2.0, bold=True, align=Qt.AlignmentFlag.AlignHCenter
                )
            )

        left = margin + 1.5
        right = qr_box.left() + 0.4  # the quiet zone is white: text may come up to the symbol's margin
        text_left = left
        photo = self._photo_op(QRectF(left, 15.2, 15.0, 20.0), ops)
        if photo:
            text_left = left + 15.0 + 2.2
        width = right - text_left
        ops += _runs(name_line(p.name, f, QRectF(text_left, 14.4, width, 8.6), 7.0, 3.8))
        ops += _runs(text_line(f"{TITLE} · {p.grid_name}", f, QRectF(text_left, 23.0, width, 4.0), 2.8, 2.0, GREY))
        ops += _runs(
            labelled_line("手机", format_phone(p.phone), f, QRectF(text_left, 27.7, width, 5.6), 2.5, 4.3, 3.0, True)
        )
        ops += _runs(labelled_line("服务时间", p.service_hours, f, QRectF(text_left, 33.4, width, 4.0), 2.5, 2.6, 1.8))
        line_left = left if not photo or 15.2 + 20.0 <= 37.6 else text_left
        ops += _runs(paragraph(p.line, f, QRectF(line_left, 38.0, right - line_left, 7.4), 2.7, 2.0, 2, RED))
        return ops

    # A3 poster: title band, name, huge phone, big QR, hours and the line
    def _poster(self) -> list[Op]:
        p, f = self.job.person, self.family
        width, margin = A3[0], 14.0
        ops: list[Op] = []
        header = QRectF(margin, margin, width - 2 * margin, 60.0)
        ops.append(_rounded(header, 5.0, RED))
        title = QRectF(header.left() + 10, header.top() + 5, header.width() - 20, 31)
        ops += _runs(text_line(CARD_TITLE, f, title, 27, 20, WHITE, bold=True, align=Qt.AlignmentFlag.AlignHCenter))
        community = QRectF(header.left() + 10, header.top() + 38, header.width() - 20, 16)
        ops += _runs(text_line(p.community_name, f, community, 11, 6, WHITE, align=Qt.AlignmentFlag.AlignHCenter))

        top = header.bottom() + 8
        photo = self._photo_op(QRectF(margin + 10, top, 54.0, 72.0), ops)
        if photo:
            box_left, align = margin + 10 + 54 + 10, Qt.AlignmentFlag.AlignLeft
        else:
            box_left, align = margin + 8, Qt.AlignmentFlag.AlignHCenter
        box_w = width - margin - 8 - box_left
        ops += _runs(name_line(p.name, f, QRectF(box_left, top, box_w, 30), 26, 12, align=align))
        ops += _runs(
            text_line(f"{TITLE} · {p.grid_name}", f, QRectF(box_left, top + 31, box_w, 13), 10, 6, GREY, align=align)
        )
        phone = QRectF(box_left, top + 46, box_w, 27)
        ops += _runs(labelled_line("手机", format_phone(p.phone), f, phone, 9, 24, 12, bold=True, align=align))

        # the lower block is laid out from the bottom up (above the address, when the job has one), and
        # the QR code takes the height left between it and the phone, centred
        centre = Qt.AlignmentFlag.AlignHCenter
        full_left, full_w = margin + 8, width - 2 * margin - 16
        bottom = POSTER_FRAME.address.top() - 6 if self.job.with_address else A3[1] - margin - 2
        line = paragraph(p.line, f, QRectF(full_left, 0, full_w, 24), 10, 6, 2, RED, align=centre)
        if line:
            last = line[-1]
            shift = bottom - (last.baseline + QFontMetricsF(last.font).descent() / U)
            line = [dataclasses.replace(run, baseline=run.baseline + shift) for run in line]
            bottom = line[0].baseline - QFontMetricsF(line[0].font).ascent() / U - 1
        ops += _runs(line)
        hours = QRectF(full_left, bottom - 13, full_w, 13)
        ops += _runs(labelled_line("服务时间", p.service_hours, f, hours, 8, 10, 6, align=centre))
        rule_y = hours.top() - 3
        ops.append(line_op(QPointF(margin + 30, rule_y), QPointF(width - margin - 30, rule_y), RULE, 0.4))
        code = QRectF(full_left, rule_y - 4 - 11, full_w, 11)
        if self.code:
            ops += _runs(labelled_line("识别码", self.code, f, code, 6.5, 8.5, 6, bold=True, align=centre))
        hint = QRectF(full_left, code.top() - 0.5 - 9, full_w, 9)
        ops += _runs(text_line(SCAN_HINT, f, hint, 6.5, 5, GREY, align=centre))

        space_top = top + 76
        side = min(hint.top() - space_top, 200.0)
        qr_box = QRectF((width - side) / 2, space_top + (hint.top() - space_top - side) / 2, side, side)
        ops.append(self.qr.op(qr_box))
        assert self.qr.symbol_rect(qr_box).width() >= POSTER_QR_MIN_MM, qr_box
        return ops

    def _photo_op(self, box: QRectF, ops: list[Op]) -> bool:
        """The photo in ``box`` (appended to ``ops``); False if the person has none (or it is not an image)."""
        photo = self.job.person.photo
        image = _load_photo(photo, box) if photo else None
        if image is None:
            return False
        ops.append(_image(image, box))
        ops.append(_rounded(box, 0.0, QColor(Qt.GlobalColor.transparent), RULE))
        return True

    def address_ops(self, target: CardTarget) -> list[Op]:
        if not self.job.with_address or not clean(target.address):
            return []
        frame = self.frame
        box = frame.address
        rule = box.top() - (0.5 if frame is CARD_FRAME else 2.0)
        ops: list[Op] = [
            line_op(QPointF(box.left(), rule), QPointF(box.right(), rule), RULE, 0.15 if frame is CARD_FRAME else 0.4)
        ]
        align = Qt.AlignmentFlag.AlignLeft if frame is CARD_FRAME else Qt.AlignmentFlag.AlignHCenter
        ops += _runs(
            labelled_line(
                "地址", target.address, self.family, box, frame.address_label_em, *frame.address_em, align=align
            )
        )
        return ops
