"""The monthly coverage report (网格走访考核月报) of a community or a street as an A4 PDF: its totals, the
three charts of the dashboard (gridworker.reports.charts, the same painting), the table per grid, per
community and per worker, and the silent workers; a header naming the area and the month on every
page, made-by and made-at, and page numbers "第 n 页 / 共 m 页".

Like the contact cards (gridworker.cards.render) the report's own words are Chinese whatever the app's
language: it is handed to the street's office. The page is laid out in hundredths of a millimetre
(``U``), the painter scaled to the device's dots; it is laid out once into blocks of known height, the
blocks are put on pages (a table continuing on a new page repeats its header), then painted, so the
page count is known before the first page is. A cell too wide for its column is drawn smaller, never
cut. The file is written under a temporary name and takes its place only when complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QIODevice, QMarginsF, QPointF, QRectF, QSaveFile
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from gridworker.fonts import cjk_font_family
from gridworker.reports.charts import (
    GREEN,
    RED,
    TEXT,
    Series,
    paint_coverage_bars,
    paint_daily,
    paint_trend,
    percent,
)
from gridworker.store.coverage_rows import MonthFigures, Tally, Trend

U = 100  # painting units a millimetre
PAGE_W, PAGE_H = 210 * U, 297 * U
MARGIN = 15 * U
WIDTH = PAGE_W - 2 * MARGIN
HEADER_H = 9 * U  # the running header and its rule
FOOTER_H = 8 * U
BODY_TOP = MARGIN + HEADER_H
BODY_BOTTOM = PAGE_H - MARGIN - FOOTER_H
PDF_DPI = 300
GREY = QColor("#f0f0f0")
RULE = QColor("#999999")

Paint = Callable[[QPainter, float], None]  # (painter, top y) paints a block


class NoCjkFontError(Exception):
    """No installed font covers Simplified Chinese: the report would print boxes."""

    def __init__(self) -> None:
        super().__init__(
            "No font for Simplified Chinese is installed, so the report would print boxes instead of Chinese. "
            "Install one (for example fonts-wqy-microhei or fonts-noto-cjk) and try again."
        )


@dataclass(frozen=True)
class ReportInfo:
    made_by: str
    made_at: dt.datetime  # local time


@dataclass
class _Block:
    height: float
    paint: Paint
    header: _Block | None = None  # a table row's header, repeated at the top of a new page
    gap_before: float = 0.0
    keep: bool = False  # kept on the page of the block after it (a heading, a table's header)


@dataclass
class _Page:
    blocks: list[tuple[float, _Block]] = field(default_factory=list)


def month_title(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def _font(family: str, mm: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPixelSize(round(mm * U))
    font.setBold(bold)
    return font


def _text(painter: QPainter, font: QFont, x: float, y: float, text: str, color: QColor = TEXT) -> None:
    """``text`` with its top at ``y``."""
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(QPointF(x, y + QFontMetricsF(font).ascent()), text)


def _wrap(font: QFont, text: str, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``, broken between any two characters (Chinese has no
    spaces to break at)."""
    fm = QFontMetricsF(font)
    lines, line = [], ""
    for ch in text:
        if line and fm.horizontalAdvance(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


# --- tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    weight: float
    left: bool = False


def _fit(font: QFont, text: str, width: float) -> QFont:
    """``font``, smaller (down to 60 %) when ``text`` is wider than ``width``."""
    advance = QFontMetricsF(font).horizontalAdvance(text)
    if advance <= width:
        return font
    smaller = QFont(font)
    smaller.setPixelSize(max(1, int(font.pixelSize() * max(0.6, width / advance))))
    return smaller


def _table(
    family: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    red: Sequence[Sequence[bool]],
    bold_last: bool = False,
) -> list[_Block]:
    """A header block and a block a row; ``red[r][c]`` marks a cell below the goal."""
    font = _font(family, 2.6)
    head_font = _font(family, 2.6, bold=True)
    line = QFontMetricsF(font).height()
    row_h = line * 1.45
    total = sum(c.weight for c in columns)
    widths = [WIDTH * c.weight / total for c in columns]
    pad = 0.8 * U

    def cells(painter: QPainter, top: float, texts: Sequence[str], f: QFont, marks: Sequence[bool]) -> None:
        x = float(MARGIN)
        for col, w, text, mark in zip(columns, widths, texts, marks, strict=True):
            fitted = _fit(f, text, w - 2 * pad)
            fm = QFontMetricsF(fitted)
            tx = x + pad if col.left else x + w - pad - fm.horizontalAdvance(text)
            painter.setFont(fitted)
            painter.setPen(RED if mark else TEXT)
            painter.drawText(QPointF(tx, top + (row_h + fm.ascent() - fm.descent()) / 2), text)
            x += w

    def head(painter: QPainter, top: float) -> None:
        painter.fillRect(QRectF(MARGIN, top, WIDTH, row_h), GREY)
        cells(painter, top, [c.title for c in columns], head_font, [False] * len(columns))

    header = _Block(row_h, head, keep=True)
    blocks = [header]
    for i, (texts, marks) in enumerate(zip(rows, red, strict=True)):
        f = head_font if bold_last and i == len(rows) - 1 else font

        def paint(
            painter: QPainter, top: float, texts: Sequence[str] = texts, marks: Sequence[bool] = marks, f: QFont = f
        ) -> None:
            cells(painter, top, texts, f, marks)
            painter.setPen(RULE)
            painter.drawLine(QPointF(MARGIN, top + row_h), QPointF(MARGIN + WIDTH, top + row_h))

        blocks.append(_Block(row_h, paint, header))
    return blocks


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} {percent(part / whole if whole else None)}"


GRID_COLUMNS = (
    Column("网格", 2.2, left=True),
    Column("户户到", 2.4),
    Column("人人见", 2.4),
    Column("逾期户", 1.2),
    Column("关爱逾期", 1.4),
    Column("走访", 1.1),
    Column("通过", 1.0),
    Column("退回", 1.0),
    Column("存疑", 1.0),
    Column("回访/不属实", 1.7),
)


def _tally_cells(name: str, t: Tally, goal: float) -> tuple[list[str], list[bool]]:
    cov = t.coverage
    texts = [
        name,
        _share(t.households_visited, t.households),
        _share(t.residents_seen, t.residents),
        str(t.overdue),
        f"{t.care_overdue}/{t.care_households}",
        str(t.visits),
        str(t.approved),
        str(t.returned),
        str(t.questioned),
        f"{t.checks_done}/{t.checks_denied}",
    ]
    marks = [False] * len(texts)
    marks[1] = cov is not None and cov < goal
    marks[4] = t.care_overdue > 0
    marks[9] = t.checks_denied > 0
    return texts, marks


WORKER_COLUMNS = (
    Column("网格员", 1.8, left=True),
    Column("网格", 2.0, left=True),
    Column("走访", 1.0),
    Column("日均", 1.0),
    Column("户户到", 2.3),
    Column("人人见", 2.3),
    Column("通过", 1.0),
    Column("退回", 1.0),
    Column("存疑", 1.0),
    Column("回访/不属实", 1.5),
    Column("最近上传", 2.1),
)


def _local(value: dt.datetime | None, offset: dt.timedelta) -> str:
    return "从未上传" if value is None else (value + offset).strftime("%m-%d %H:%M")


def _worker_rows(f: MonthFigures, offset: dt.timedelta) -> tuple[list[list[str]], list[list[bool]]]:
    rows, red = [], []
    for w in f.workers:
        t = w.tally
        rows.append(
            [
                w.name or "(未知)",
                "、".join(w.grids),
                str(t.visits),
                f"{w.per_day(f.days):.1f}",
                _share(t.households_visited, t.households),
                _share(t.residents_seen, t.residents),
                str(t.approved),
                str(t.returned),
                str(t.questioned),
                f"{t.checks_done}/{t.checks_denied}",
                _local(w.last_upload, offset),
            ]
        )
        cov = t.coverage
        marks = [False] * 11
        marks[4] = cov is not None and cov < f.settings.coverage_goal
        marks[9] = t.checks_denied > 0
        marks[10] = w.silent
        red.append(marks)
    return rows, red


# --- the blocks of the report --------------------------------------------------------------------


def _heading(family: str, text: str) -> _Block:
    font = _font(family, 3.6, bold=True)
    h = QFontMetricsF(font).height() * 1.3
    return _Block(h, lambda p, top: _text(p, font, MARGIN, top, text), gap_before=3 * U, keep=True)


def _summary(family: str, f: MonthFigures) -> list[_Block]:
    t = f.total
    title_font = _font(family, 6.0, bold=True)
    body = _font(family, 3.2)
    title = f"{f.area.name} {month_title(f.month)} 网格走访考核月报"
    lines = [
        f"统计截至 {f.as_of.month}月{f.as_of.day}日（共 {f.days} 天）；"
        f"户户到目标 {percent(f.settings.coverage_goal)}。",
        f"户户到 {_share(t.households_visited, t.households)}；人人见 {_share(t.residents_seen, t.residents)}；"
        f"走访 {t.visits} 次，日均 {t.visits / f.days if f.days else 0:.1f} 次。",
        f"逾期未走访 {t.overdue} 户；关爱对象（每 {f.settings.care_interval_days} 天）逾期 "
        f"{t.care_overdue}/{t.care_households} 户。",
        f"审核：通过 {t.approved}，退回 {t.returned}，存疑 {t.questioned}，待审 {t.pending}；"
        f"电话回访 {t.checks_done}/{t.checks_drawn} 次，不属实 {t.checks_denied} 次。",
    ]
    below = [g for g in f.grids if g.tally.coverage is not None and g.tally.coverage < f.settings.coverage_goal]
    if below:
        lines += _wrap(body, "低于目标的网格：" + "、".join(g.name for g in below) + "。", WIDTH)
    title_h = QFontMetricsF(title_font).height() * 1.5
    line_h = QFontMetricsF(body).height() * 1.35

    def paint(p: QPainter, top: float) -> None:
        _text(p, title_font, MARGIN, top, title)
        for i, line in enumerate(lines):
            _text(p, body, MARGIN, top + title_h + i * line_h, line, RED if i >= 4 else TEXT)

    return [_Block(title_h + line_h * len(lines), paint)]


def _charts(family: str, f: MonthFigures, trend: Trend | None) -> list[_Block]:
    font = _font(family, 2.8)
    rect = QRectF(MARGIN, 0, WIDTH, 0)

    def at(top: float, height: float) -> QRectF:
        return QRectF(rect.left(), top, rect.width(), height)

    names = [g.name for g in f.grids]
    values = [g.tally.coverage for g in f.grids]
    goal = f.settings.coverage_goal
    blocks = [
        _Block(
            72 * U,
            lambda p, top: paint_coverage_bars(p, at(top, 70 * U), font, "各网格户户到", names, values, goal, "目标"),
            gap_before=3 * U,
        )
    ]
    if trend is not None:
        months = [f"{m.month}月" for m in trend.months]
        series = [
            Series("户户到", [pt.coverage for pt in trend.area], QColor("#3b7dd8")),
            Series("人人见", [pt.seen_share for pt in trend.area], GREEN),
        ]
        blocks.append(
            _Block(
                62 * U,
                lambda p, top: paint_trend(p, at(top, 60 * U), font, "近十二个月趋势", months, series, goal),
                gap_before=3 * U,
            )
        )
    days = [d.day for d, _ in f.daily]
    counts = [n for _, n in f.daily]
    blocks.append(
        _Block(
            52 * U,
            lambda p, top: paint_daily(p, at(top, 50 * U), font, "每日走访次数", days, counts),
            gap_before=3 * U,
        )
    )
    return blocks


def _tables(family: str, f: MonthFigures, offset: dt.timedelta) -> list[_Block]:
    goal = f.settings.coverage_goal
    blocks = [_heading(family, "各网格")]
    rows, red = [], []
    for g in f.grids:
        texts, marks = _tally_cells(g.name, g.tally, goal)
        rows.append(texts)
        red.append(marks)
    texts, marks = _tally_cells("合计", f.total, goal)
    blocks += _table(family, GRID_COLUMNS, [*rows, texts], [*red, marks], bold_last=True)
    if f.area.kind == "street" and len(f.communities) > 1:
        blocks.append(_heading(family, "各社区"))
        cells = [_tally_cells(c.name, c.tally, goal) for c in f.communities]
        blocks += _table(
            family, (Column("社区", 2.2, left=True), *GRID_COLUMNS[1:]), [c[0] for c in cells], [c[1] for c in cells]
        )
    blocks.append(_heading(family, "各网格员"))
    rows, red = _worker_rows(f, offset)
    blocks += _table(family, WORKER_COLUMNS, rows, red)
    silent = f.silent
    blocks.append(_heading(family, f"超过 {f.settings.silent_days} 天未上传的网格员"))
    text = "、".join(f"{w.name or '(未知)'}（{_local(w.last_upload, offset)}）" for w in silent) or "无"
    font = _font(family, 3.2)
    color = RED if silent else TEXT
    height = QFontMetricsF(font).height() * 1.4
    for line in _wrap(font, text, WIDTH):
        blocks.append(_Block(height, _line_painter(font, line, color)))
    return blocks


def _line_painter(font: QFont, line: str, color: QColor) -> Paint:
    def paint(p: QPainter, top: float) -> None:
        _text(p, font, MARGIN, top, line, color)

    return paint


def _paginate(blocks: Sequence[_Block]) -> list[_Page]:
    """Blocks onto pages: a block that does not fit starts a new page (with its table's header); a
    heading or a table's header goes with the blocks it keeps with."""
    pages = [_Page()]
    y = float(BODY_TOP)
    for i, block in enumerate(blocks):
        gap = block.gap_before if pages[-1].blocks else 0.0
        need = block.height
        j = i
        while blocks[j].keep and j + 1 < len(blocks):
            j += 1
            need += blocks[j].height
        if y + gap + need > BODY_BOTTOM and pages[-1].blocks:
            pages.append(_Page())
            y = float(BODY_TOP)
            gap = 0.0
            if block.header is not None:
                pages[-1].blocks.append((y, block.header))
                y += block.header.height
        y += gap
        pages[-1].blocks.append((y, block))
        y += block.height
    return pages


def _frame(painter: QPainter, family: str, f: MonthFigures, info: ReportInfo, page: int, pages: int) -> None:
    small = _font(family, 2.6)
    fm = QFontMetricsF(small)
    header = f"{f.area.name} · {month_title(f.month)} · 网格走访考核月报"
    _text(painter, small, MARGIN, MARGIN, header)
    made = f"制表：{info.made_by}　制表时间：{info.made_at:%Y-%m-%d %H:%M}"
    _text(painter, small, MARGIN + WIDTH - fm.horizontalAdvance(made), MARGIN, made)
    painter.setPen(RULE)
    rule_y = MARGIN + fm.height() + 1.5 * U
    painter.drawLine(QPointF(MARGIN, rule_y), QPointF(MARGIN + WIDTH, rule_y))
    number = f"第 {page} 页 / 共 {pages} 页"
    _text(painter, small, (PAGE_W - fm.horizontalAdvance(number)) / 2, PAGE_H - MARGIN - fm.height(), number)


def _trend_table(family: str, trend: Trend, goal: float) -> list[_Block]:
    """户户到 of each grid and of the area in each of the twelve months, red below the goal."""
    columns = (Column("网格", 2.2, left=True), *(Column(f"{m.month}月", 1.0) for m in trend.months))
    rows, red = [], []
    for gid, points in trend.grids.items():
        rows.append([trend.names.get(gid, ""), *(percent(p.coverage) for p in points)])
        red.append([False, *(p.coverage is not None and p.coverage < goal for p in points)])
    rows.append(["合计", *(percent(p.coverage) for p in trend.area)])
    red.append([False, *(p.coverage is not None and p.coverage < goal for p in trend.area)])
    first, last = trend.months[0], trend.months[-1]
    heading = f"各网格近十二个月户户到（{first.year}年{first.month}月至{last.year}年{last.month}月）"
    return [_heading(family, heading), *_table(family, columns, rows, red, bold_last=True)]


def report_blocks(family: str, figures: MonthFigures, trend: Trend | None, offset: dt.timedelta) -> list[_Block]:
    blocks = [*_summary(family, figures), *_charts(family, figures, trend), *_tables(family, figures, offset)]
    if trend is not None and trend.months:
        blocks += _trend_table(family, trend, figures.settings.coverage_goal)
    return blocks


def write_monthly_pdf(
    figures: MonthFigures, trend: Trend | None, info: ReportInfo, path: Path, utc_offset: dt.timedelta
) -> int:
    """Writes the report to ``path`` and returns its page count. Raises NoCjkFontError before writing
    anything when no font draws Chinese, OSError when the file cannot be written (an older file at
    ``path`` is then left as it was)."""
    family = cjk_font_family()
    if family is None:
        raise NoCjkFontError()
    pages = _paginate(report_blocks(family, figures, trend, utc_offset))
    out = QSaveFile(str(path))
    if not out.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"cannot write {path}: {out.errorString()}")
    try:
        writer = QPdfWriter(out)
        writer.setResolution(PDF_DPI)
        writer.setTitle(f"{figures.area.name} {month_title(figures.month)} 网格走访考核月报")
        writer.setCreator("Gridworker")
        writer.setPageLayout(
            QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        )
        _paint(writer, pages, family, figures, info)
        del writer
    except BaseException:
        out.cancelWriting()
        out.commit()
        raise
    if not out.commit():
        raise OSError(f"cannot write {path}: {out.errorString()}")
    return len(pages)


def _paint(writer: QPdfWriter, pages: list[_Page], family: str, figures: MonthFigures, info: ReportInfo) -> None:
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("could not start painting the report")
    try:
        scale = writer.logicalDpiX() / 25.4 / U
        for number, page in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            _frame(painter, family, figures, info, number, len(pages))
            for top, block in page.blocks:
                block.paint(painter, top)
            painter.restore()
    finally:
        painter.end()
