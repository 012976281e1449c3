"""The coverage charts, painted with QPainter (Qt GUI, no widgets): bars per grid against the street's
goal, a twelve-month trend and the month's visits per day.

Why painted here rather than with a chart library: QtCharts is in PySide6-Addons, which the app does
not install (PySide6-Essentials only: the Addons wheel is several times its size for one chart type);
pyqtgraph would bring numpy and draws through a QGraphicsScene meant for interactive plots, which
prints to a PDF page through an exporter with its own fonts and sizes. Three simple chart types
painted by one function each draw the same way on the screen (the dashboard's widgets) and into the
monthly report's PDF (vector, the CJK font embedded), sized by the caller's font, at any resolution.

Every function paints into ``rect`` in the painter's current units, with ``font`` (its pixel size is in
those units too): text is laid out by its metrics, never clipped; long grid names turn slanted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

BLUE = QColor("#3b7dd8")
RED = QColor("#d64541")
GREEN = QColor("#2e9d5b")
GOAL = QColor("#e08a00")
AXIS = QColor("#555555")
GRID_LINE = QColor("#dddddd")
TEXT = QColor("#222222")


@dataclass(frozen=True)
class Series:
    """A named line of a trend chart: one value a point (None where there is no figure)."""

    name: str
    values: Sequence[float | None]
    color: QColor


def count_step(value: float, steps: int = 4) -> int:
    """The smallest whole 1, 2 or 5 times a power of ten whose ``steps`` multiples reach ``value``:
    the axis of a count goes 0, step, 2 step ... in whole numbers."""
    need = max(value, 1) / steps
    power = 10 ** max(0, math.floor(math.log10(need)))
    for m in (1, 2, 5, 10):
        if m * power >= need:
            return int(m * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def percent(value: float | None) -> str:
    """A share as a whole percent, rounded down: 31 of 60 (51.7 %) shows 51 %, not the 52 % of a goal
    it falls short of."""
    return "–" if value is None else f"{math.floor(value * 100 + 1e-9)}%"


def _pen(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color, width, style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


class _Frame:
    """The plotting area inside ``rect``: room for the axis labels on the left and below."""

    def __init__(
        self, painter: QPainter, rect: QRectF, font: QFont, top_label: str, y_labels: Sequence[str], below: float
    ) -> None:
        self.painter = painter
        self.font = font
        self.fm = QFontMetricsF(font)
        self.line = self.fm.height()
        left = max((self.fm.horizontalAdvance(t) for t in y_labels), default=0.0) + self.line * 0.5
        top = self.line * (1.6 if top_label else 0.6)
        self.plot = QRectF(
            rect.left() + left, rect.top() + top, rect.width() - left - self.line * 0.5, rect.height() - top - below
        )
        self.rect = rect
        if top_label:
            painter.setPen(TEXT)
            painter.setFont(font)
            painter.drawText(QPointF(rect.left(), rect.top() + self.fm.ascent()), top_label)

    def y_axis(self, labels: Sequence[str]) -> None:
        """Horizontal lines at len(labels) - 1 equal steps, bottom (labels[0]) to top, labelled."""
        p, fm, plot = self.painter, self.fm, self.plot
        p.setFont(self.font)
        steps = len(labels) - 1
        for i, text in enumerate(labels):
            y = plot.bottom() - plot.height() * i / steps
            p.setPen(_pen(GRID_LINE if i else AXIS, self.line * 0.05))
            p.drawLine(QLineF(plot.left(), y, plot.right(), y))
            p.setPen(TEXT)
            p.drawText(
                QPointF(
                    plot.left() - fm.horizontalAdvance(text) - self.line * 0.25, y + fm.ascent() / 2 - fm.descent() / 2
                ),
                text,
            )

    def y_of(self, value: float, top: float) -> float:
        return self.plot.bottom() - self.plot.height() * min(max(value / top, 0.0), 1.0)

    def x_labels(self, labels: Sequence[str], slot: float, every: int = 1, slant: bool = True) -> None:
        """Category labels centred under their slots; slanted when the widest does not fit a slot
        (``slant``), else only every ``every``-th."""
        p, fm = self.painter, self.fm
        p.setPen(TEXT)
        p.setFont(self.font)
        widest = max((fm.horizontalAdvance(t) for t in labels), default=0.0)
        slanted = slant and widest > slot * every * 0.95
        for i, text in enumerate(labels):
            if i % every:
                continue
            cx = self.plot.left() + slot * (i + 0.5)
            y = self.plot.bottom() + self.line * 0.3
            if slanted:
                p.save()
                p.translate(cx, y + fm.ascent() * 0.3)
                p.rotate(-40)
                p.drawText(QPointF(-fm.horizontalAdvance(text), fm.ascent() / 2), text)
                p.restore()
            else:
                p.drawText(QPointF(cx - fm.horizontalAdvance(text) / 2, y + fm.ascent()), text)


def label_room(font: QFont, labels: Sequence[str], slot: float) -> float:
    """The height the category labels under a chart need (slanted ones more)."""
    fm = QFontMetricsF(font)
    widest = max((fm.horizontalAdvance(t) for t in labels), default=0.0)
    if widest <= slot * 0.95:
        return fm.height() * 1.4
    return widest * math.sin(math.radians(40)) + fm.height() * 1.2


def paint_coverage_bars(
    painter: QPainter,
    rect: QRectF,
    font: QFont,
    title: str,
    names: Sequence[str],
    values: Sequence[float | None],
    goal: float,
    goal_label: str,
) -> None:
    """One bar a grid (a share, 0..1), red below ``goal``, the goal a dashed line labelled at its end;
    the share is written above each bar when there is room."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    n = max(len(names), 1)
    slot = (rect.width() - QFontMetricsF(font).horizontalAdvance("100%") - QFontMetricsF(font).height()) / n
    frame = _Frame(painter, rect, font, title, ["100%"], label_room(font, names, slot))
    plot = frame.plot
    slot = plot.width() / n
    frame.y_axis(["0%", "25%", "50%", "75%", "100%"])
    fm = frame.fm
    small = QFont(font)
    small.setPixelSize(max(1, round(font.pixelSize() * 0.85)))
    sfm = QFontMetricsF(small)
    for i, value in enumerate(values):
        if value is None:
            continue
        x = plot.left() + slot * i + slot * 0.18
        y = frame.y_of(value, 1.0)
        painter.fillRect(QRectF(x, y, slot * 0.64, plot.bottom() - y), RED if value < goal else BLUE)
        text = percent(value)
        if sfm.horizontalAdvance(text) <= slot * 0.98:
            painter.setFont(small)
            painter.setPen(RED if value < goal else TEXT)
            painter.drawText(
                QPointF(plot.left() + slot * (i + 0.5) - sfm.horizontalAdvance(text) / 2, y - sfm.descent() - 1), text
            )
    gy = frame.y_of(goal, 1.0)
    painter.setPen(_pen(GOAL, frame.line * 0.12, Qt.PenStyle.DashLine))
    painter.drawLine(QLineF(plot.left(), gy, plot.right(), gy))
    # the goal's key on the title's line, at the right: a short dashed line and the goal
    painter.setFont(font)
    label = f"{goal_label} {percent(goal)}"
    x = rect.right() - fm.horizontalAdvance(label)
    key_y = rect.top() + fm.ascent() * 0.6
    painter.drawLine(QLineF(x - frame.line * 1.6, key_y, x - frame.line * 0.3, key_y))
    painter.setPen(GOAL)
    painter.drawText(QPointF(x, rect.top() + fm.ascent()), label)
    frame.x_labels(names, slot)
    painter.restore()


def paint_trend(
    painter: QPainter,
    rect: QRectF,
    font: QFont,
    title: str,
    months: Sequence[str],
    series: Sequence[Series],
    goal: float | None = None,
) -> None:
    """Lines of shares (0..1) over the months, a dot a month, the legend under the title."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fm = QFontMetricsF(font)
    n = max(len(months), 1)
    # the legend after the title, or under it when the line is too short for both
    keys = [fm.height() * 1.2 + fm.horizontalAdvance(s.name) + fm.height() for s in series]
    beside = fm.horizontalAdvance(title) + fm.height() + sum(keys) <= rect.width()
    legend_h = fm.height() * (1.2 if beside else 2.3)
    inner = QRectF(rect.left(), rect.top() + legend_h, rect.width(), rect.height() - legend_h)
    frame = _Frame(painter, inner, font, "", ["100%"], fm.height() * 1.4)
    plot = frame.plot
    slot = plot.width() / n
    painter.setFont(font)
    painter.setPen(TEXT)
    painter.drawText(QPointF(rect.left(), rect.top() + fm.ascent()), title)
    x = rect.left() + fm.horizontalAdvance(title) + fm.height() if beside else rect.left()
    top = rect.top() if beside else rect.top() + fm.height() * 1.1
    for s in series:
        painter.fillRect(QRectF(x, top + fm.ascent() * 0.35, fm.height() * 0.9, fm.ascent() * 0.5), s.color)
        x += fm.height() * 1.2
        painter.setPen(TEXT)
        painter.drawText(QPointF(x, top + fm.ascent()), s.name)
        x += fm.horizontalAdvance(s.name) + fm.height()
    frame.y_axis(["0%", "25%", "50%", "75%", "100%"])
    if goal is not None:
        gy = frame.y_of(goal, 1.0)
        painter.setPen(_pen(GOAL, frame.line * 0.1, Qt.PenStyle.DashLine))
        painter.drawLine(QLineF(plot.left(), gy, plot.right(), gy))
    radius = frame.line * 0.16
    for s in series:
        path = QPainterPath()
        started = False
        points = []
        for i, value in enumerate(s.values):
            if value is None:
                started = False
                continue
            pt = QPointF(plot.left() + slot * (i + 0.5), frame.y_of(value, 1.0))
            points.append(pt)
            if started:
                path.lineTo(pt)
            else:
                path.moveTo(pt)
                started = True
        painter.setPen(_pen(s.color, frame.line * 0.12))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(s.color)
        painter.setPen(Qt.PenStyle.NoPen)
        for pt in points:
            painter.drawEllipse(pt, radius, radius)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    frame.x_labels(months, slot, _every(frame.fm, months, slot), slant=False)
    painter.restore()


def paint_daily(
    painter: QPainter, rect: QRectF, font: QFont, title: str, days: Sequence[int], counts: Sequence[int]
) -> None:
    """The visits of each day of the month as bars, the day numbers under every few."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    step = count_step(max(counts, default=0))
    top = step * 4
    ticks = [str(step * i) for i in range(5)]
    frame = _Frame(painter, rect, font, title, ticks, QFontMetricsF(font).height() * 1.4)
    plot = frame.plot
    n = max(len(days), 1)
    slot = plot.width() / n
    frame.y_axis(ticks)
    for i, count in enumerate(counts):
        y = frame.y_of(count, top)
        painter.fillRect(QRectF(plot.left() + slot * i + slot * 0.15, y, slot * 0.7, plot.bottom() - y), BLUE)
    labels = [str(d) for d in days]
    frame.x_labels(labels, slot, _every(frame.fm, labels, slot, (1, 2, 5, 7, 10, 15)), slant=False)
    painter.restore()


def _every(fm: QFontMetricsF, labels: Sequence[str], slot: float, steps: Sequence[int] = (1, 2, 3, 4, 6, 12)) -> int:
    """Label every n-th slot, n the first of ``steps`` that leaves room between the labels."""
    widest = max((fm.horizontalAdvance(t) for t in labels), default=1.0)
    need = max(1, math.ceil(widest * 1.5 / slot)) if slot > 0 else len(labels)
    return next((e for e in steps if e >= need), need)
