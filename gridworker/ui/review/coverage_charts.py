"""The coverage dashboard's charts as widgets: each paints with gridworker.reports.charts, the code
that paints them into the monthly report, in the widget's font (it follows the app's text size)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QFont, QFontInfo, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from gridworker.reports.charts import GREEN, Series, paint_coverage_bars, paint_daily, paint_trend


class _Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(palette)

    def minimumSizeHint(self) -> QSize:
        line = QFontInfo(self.font()).pixelSize()
        return QSize(line * 10, line * 8)

    def sizeHint(self) -> QSize:
        line = QFontInfo(self.font()).pixelSize()
        return QSize(line * 30, line * 11)

    def chart_font(self) -> QFont:
        """The widget's font with a pixel size: the painters measure in the painter's units."""
        font = QFont(self.font())
        font.setPixelSize(max(8, round(QFontInfo(self.font()).pixelSize() * 0.85)))
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            margin = QFontInfo(self.font()).pixelSize() * 0.5
            self.paint(painter, QRectF(self.rect()).adjusted(margin, margin, -margin, -margin))
        finally:
            painter.end()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError


class CoverageBars(_Chart):
    """户户到 per grid, red below the street's goal, the goal a dashed line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.goal_label = ""
        self.names: list[str] = []
        self.values: list[float | None] = []
        self.goal = 0.9

    def set_data(
        self, title: str, names: Sequence[str], values: Sequence[float | None], goal: float, goal_label: str
    ) -> None:
        self.title, self.names, self.values, self.goal, self.goal_label = (
            title,
            list(names),
            list(values),
            goal,
            goal_label,
        )
        self.update()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        paint_coverage_bars(
            painter, rect, self.chart_font(), self.title, self.names, self.values, self.goal, self.goal_label
        )


class TrendChart(_Chart):
    """户户到 and 人人见 of the area over twelve months."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.months: list[str] = []
        self.series: list[Series] = []
        self.goal: float | None = None

    def set_data(
        self,
        title: str,
        months: Sequence[str],
        lines: Sequence[tuple[str, Sequence[float | None]]],
        goal: float | None,
    ) -> None:
        colors = (QColor("#3b7dd8"), GREEN)
        self.title, self.months, self.goal = title, list(months), goal
        self.series = [Series(name, values, colors[i % 2]) for i, (name, values) in enumerate(lines)]
        self.update()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        paint_trend(painter, rect, self.chart_font(), self.title, self.months, self.series, self.goal)


class DailyChart(_Chart):
    """The month's visits per day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.days: list[int] = []
        self.counts: list[int] = []

    def set_data(self, title: str, days: Sequence[int], counts: Sequence[int]) -> None:
        self.title, self.days, self.counts = title, list(days), list(counts)
        self.update()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        paint_daily(painter, rect, self.chart_font(), self.title, self.days, self.counts)
