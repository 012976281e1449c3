"""Where contact cards go on paper: the three layouts, their page sizes, where each card sits on a page
and the crop marks between cards, all in millimetres. No painting here."""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize

from gridworker.cards.vcard import CardPerson, CardTarget

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
def sheet_crop_marks(count: int) -> tuple[tuple[QPointF, QPointF], ...]:
    """The crop marks of a sheet page holding ``count`` cards (the same on every full page)."""
    return tuple(crop_marks_mm(card_rects_mm(Layout.SHEET, count)))
