"""A policy handout: one or several guide articles on A4, to print or save as PDF, with the worker's
contact line and page numbers on every page. Qt GUI (fonts, text layout, painting), no widgets.

Article bodies are Markdown from the server. Qt's Markdown reader (md4c) passes raw HTML through to
the rich-text engine unless told not to, so bodies are read with ``MarkdownNoHTML`` (HTML shows as the
text it is) and the parsed document is then cleaned: links other than http(s), mailto and tel lose
their link, and images become their alt text (nothing is loaded from a path or URL a body names).
``markdown_document`` is the one way a body becomes a document, for the screen and for paper.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
)

from gridworker.fonts import cjk_font_family
from gridworker.guide import CATEGORY_BY_CODE
from gridworker.guide.search import ArticleView, is_han

MARKDOWN = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
PDF_DPI = 300
MARGINS_MM = QMarginsF(18, 16, 18, 14)
BODY_PT = 11.0  # the handout's text; titles and the small print are in proportion
TITLE_SCALE = 1.6
SMALL_SCALE = 0.85
# a block format property: the block is a heading, kept on the page of what follows it
KEEP_WITH_NEXT = QTextFormat.Property.UserProperty + 1


class HandoutError(Exception):
    """The handout cannot be made; the message is for the user, in their language."""


def category_label(code: str) -> str:
    category = CATEGORY_BY_CODE.get(code)
    return QCoreApplication.translate("guide", category.label) if category else code


def effective_text(article: ArticleView) -> str:
    start = article.effective_from.isoformat()
    if article.effective_to is None:
        return QCoreApplication.translate("handout", "In force from %1").replace("%1", start)
    return (
        QCoreApplication.translate("handout", "In force %1 to %2")
        .replace("%1", start)
        .replace("%2", article.effective_to.isoformat())
    )


# --- Markdown, safely -----------------------------------------------------------------------------


def clean(doc: QTextDocument) -> None:
    """Take out what a body must not carry: links to anything but a web page, mail or phone number
    (javascript:, file:, relative paths a viewer would open), and images (alt text instead)."""
    edits: list[tuple[int, int, str | None, QTextCharFormat]] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                alt = fmt.property(QTextFormat.Property.ImageAltText)
                edits.append((fragment.position(), fragment.length(), str(alt or ""), QTextCharFormat()))
            elif fmt.isAnchor() and QUrl(fmt.anchorHref()).scheme().lower() not in SAFE_SCHEMES:
                plain = QTextCharFormat(fmt)
                plain.setAnchor(False)
                plain.setAnchorHref("")
                plain.setAnchorNames([])
                plain.clearForeground()
                plain.setFontUnderline(False)
                edits.append((fragment.position(), fragment.length(), None, plain))
            it += 1
        block = block.next()
    cursor = QTextCursor(doc)
    for position, length, text, fmt in reversed(edits):
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        if text is None:
            cursor.setCharFormat(fmt)
        else:
            cursor.insertText(text, fmt)


def markdown_document(body: str, font: QFont | None = None) -> QTextDocument:
    """A body as a document: GitHub Markdown, raw HTML shown as text, only safe links, no images."""
    doc = QTextDocument()
    if font is not None:
        doc.setDefaultFont(font)
    doc.setMarkdown(body, MARKDOWN)
    clean(doc)
    return doc


# --- the handout ---------------------------------------------------------------------------------


def _needs_cjk(articles: Sequence[ArticleView], contact_line: str) -> bool:
    texts = [contact_line, *(a.title + a.summary + a.body for a in articles)]
    return any(is_han(c) for text in texts for c in text)


def _char(size: float, *, bold: bool = False, colour: str | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontPointSize(size)
    fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    if colour:
        fmt.setForeground(QColor(colour))
    return fmt


def article_document(article: ArticleView, font: QFont, device: QPagedPaintDevice | None = None) -> QTextDocument:
    """One article as a document, for the screen or measured for a printing ``device``: title,
    category, dates and version, summary, body, phone numbers. Sizes follow ``font``."""
    base = font.pointSizeF() if font.pointSizeF() > 0 else BODY_PT
    doc = QTextDocument()
    if device is not None:
        doc.documentLayout().setPaintDevice(device)  # measure text as the device will draw it
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    cursor = QTextCursor(doc)
    heading = QTextBlockFormat()
    heading.setBottomMargin(4)
    heading.setProperty(KEEP_WITH_NEXT, True)
    cursor.setBlockFormat(heading)
    cursor.insertText(article.title, _char(base * TITLE_SCALE, bold=True))

    meta = QTextBlockFormat()
    meta.setBottomMargin(10)
    meta.setProperty(KEEP_WITH_NEXT, True)
    meta.setProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth, 1)
    cursor.insertBlock(meta)
    parts = [
        category_label(article.category),
        effective_text(article),
        QCoreApplication.translate("handout", "Version %1").replace("%1", str(article.version)),
    ]
    cursor.insertText("  ·  ".join(parts), _char(base * SMALL_SCALE, colour="#555555"))

    if article.summary:
        summary = QTextBlockFormat()
        summary.setTopMargin(8)
        summary.setBottomMargin(6)
        cursor.insertBlock(summary)
        cursor.insertText(article.summary, _char(base, bold=True))

    cursor.insertBlock(QTextBlockFormat(), _char(base))
    cursor.insertFragment(QTextDocumentFragment(markdown_document(article.body, font)))

    if article.phones:
        label = QTextBlockFormat()
        label.setTopMargin(12)
        label.setProperty(KEEP_WITH_NEXT, True)
        cursor.insertBlock(label)
        cursor.insertText(QCoreApplication.translate("handout", "Phone numbers"), _char(base * 1.05, bold=True))
        for phone in article.phones:
            item = QTextBlockFormat()
            item.setLeftMargin(18)
            cursor.insertBlock(item)
            cursor.insertText("☎  " + phone, _char(base * 1.05))
    return doc


def _relayout(doc: QTextDocument) -> None:
    """Lay the whole document out now. After an edit Qt lays it out again lazily, and would draw (and
    measure) only as far as it got."""
    doc.markContentsDirty(0, doc.characterCount())
    doc.documentLayout().documentSize()


def split_at_pages(doc: QTextDocument) -> None:
    """Make every paragraph that runs from one page onto the next two paragraphs, one on each page.
    Qt draws a block on every page it touches and clips it, and its line culling keeps one line
    above the clip: the last line of the page before would be on the next page too, invisible but
    in the PDF's text (found by a search, copied with the page). The two halves keep their places
    (no margin between them). Lists and tables are left as they are."""
    height = doc.pageSize().height()
    if height <= 0:
        return
    layout = doc.documentLayout()
    _relayout(doc)
    for _ in range(10_000):  # one split a pass, from the top; stop at the first clean pass
        block = doc.begin()
        split = False
        while block.isValid() and not split:
            lines = block.layout()
            if lines.lineCount() > 1 and block.textList() is None and QTextCursor(block).currentTable() is None:
                top = layout.blockBoundingRect(block).top() + 0.5  # a line moved to a page starts on its edge
                for i in range(1, lines.lineCount()):
                    before, line = lines.lineAt(i - 1), lines.lineAt(i)
                    if int((top + before.y()) // height) != int((top + line.y()) // height):
                        first = block.blockFormat()
                        second = QTextBlockFormat(first)
                        first.setBottomMargin(0)
                        second.setTopMargin(0)
                        cursor = QTextCursor(block)
                        cursor.setBlockFormat(first)
                        cursor.setPosition(block.position() + line.textStart())
                        cursor.insertBlock(second)
                        split = True
                        break
            block = block.next()
        if not split:
            return
        _relayout(doc)


def _is_heading(block: QTextBlock) -> bool:
    fmt = block.blockFormat()
    return fmt.headingLevel() > 0 or bool(fmt.property(KEEP_WITH_NEXT))


def _top_level(block: QTextBlock) -> bool:
    return QTextCursor(block).currentTable() is None


def _line_pages(doc: QTextDocument, height: float) -> list[tuple[QTextBlock, int, int]]:
    """(block, line number, page) of every line of the document's top-level blocks, in order."""
    layout = doc.documentLayout()
    out: list[tuple[QTextBlock, int, int]] = []
    block = doc.begin()
    while block.isValid():
        if _top_level(block) and block.layout().lineCount():
            top = layout.blockBoundingRect(block).top() + 0.5
            lines = block.layout()
            out.extend((block, i, int((top + lines.lineAt(i).y()) // height)) for i in range(lines.lineCount()))
        block = block.next()
    return out


def _break_before(block: QTextBlock) -> bool:
    """Start ``block`` on a new page; False if it already does (nothing changes)."""
    fmt = block.blockFormat()
    if fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
        return False
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)
    return True


def _keep_one(doc: QTextDocument, height: float) -> bool:
    """One fix of the layout, the first found from the top; False when there is none: a heading at
    the foot of a page (it goes to the next page, with what follows), or a page after the first
    holding a single line (the line before it goes along: a paragraph is split before its last line
    on the page before, or the block moves whole)."""
    lines = _line_pages(doc, height)
    for (block, _, page), (after, _, next_page) in itertools.pairwise(lines):
        if after != block and next_page > page and _is_heading(block):
            start = block
            while start.previous().isValid() and _is_heading(start.previous()) and _top_level(start.previous()):
                start = start.previous()  # a run of headings (title, its line of dates) moves together
            if start != doc.begin() and _break_before(start):
                return True
    per_page: dict[int, list[int]] = {}
    for n, (_, _, page) in enumerate(lines):
        per_page.setdefault(page, []).append(n)
    for page, members in sorted(per_page.items()):
        if page == 0 or len(members) != 1 or members[0] == 0:
            continue
        block, i, _ = lines[members[0] - 1]  # the line before the lonely one, at the foot of the page before
        if i > 0 and block.layout().lineCount() > 1:
            fmt = block.blockFormat()
            second = QTextBlockFormat(fmt)
            fmt.setBottomMargin(0)
            second.setTopMargin(0)
            second.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            cursor = QTextCursor(block)
            cursor.setBlockFormat(fmt)
            cursor.setPosition(block.position() + block.layout().lineAt(i).textStart())
            cursor.insertBlock(second)
            return True
        if block != doc.begin() and _break_before(block):
            return True
    return False


def paginate(doc: QTextDocument) -> None:
    """Lay ``doc`` out on its pages: no paragraph across a page edge (``split_at_pages``), headings
    kept with what follows and no page holding a single line (``_keep_one``)."""
    height = doc.pageSize().height()
    split_at_pages(doc)
    if height <= 0:
        return
    for _ in range(1_000):
        if not _keep_one(doc, height):
            return
        _relayout(doc)
        split_at_pages(doc)


def render_handout(articles: list[ArticleView], contact_line: str, device: QPagedPaintDevice) -> int:
    """Paint ``articles`` on ``device`` (a printer or a PDF writer, its page size and margins already
    set), each from the top of a page, with ``contact_line`` and "Page n of m" at the foot of every
    page. Returns the number of pages painted."""
    if not articles:
        raise HandoutError(QCoreApplication.translate("handout", "Choose at least one article to print."))
    family = cjk_font_family()
    if family is None and _needs_cjk(articles, contact_line):
        raise HandoutError(
            QCoreApplication.translate(
                "handout",
                "No Chinese font is installed, so the handout would print empty boxes. Install a Chinese "
                "font (for example Noto Sans CJK SC or WenQuanYi Micro Hei) and try again.",
            )
        )
    font = QFont(family) if family else QFont()
    font.setPointSizeF(BODY_PT)
    footer_font = QFont(font)
    footer_font.setPointSizeF(BODY_PT * SMALL_SCALE)

    area = device.pageLayout().paintRectPixels(device.logicalDpiX()).toRectF()
    width, height = area.width(), area.height()
    footer_height = QFontMetricsF(footer_font, device).height() * 2.2
    body_height = height - footer_height

    half_line = QFontMetricsF(font, device).height() / 2
    docs = [article_document(a, font, device) for a in articles]
    for doc in docs:
        doc.setPageSize(QSizeF(width, body_height))
        paginate(doc)
    pages = sum(doc.pageCount() for doc in docs)

    painter = QPainter()
    if not painter.begin(device):
        raise HandoutError(
            QCoreApplication.translate(
                "handout", "The printer could not be started. Check it is connected, then try again."
            )
        )
    try:
        number = 0
        for doc in docs:
            for page in range(doc.pageCount()):
                if number and not device.newPage():
                    raise HandoutError(
                        QCoreApplication.translate("handout", "The printer stopped before the last page.")
                    )
                number += 1
                painter.save()
                top = page * body_height
                painter.translate(0, -top)
                visible = QRectF(0, top, width, body_height)
                painter.setClipRect(visible)
                context = QAbstractTextDocumentLayout.PaintContext()
                # the blocks of this page only (none runs across its edges: split_at_pages)
                context.clip = visible.adjusted(0, half_line, 0, -1)
                doc.documentLayout().draw(painter, context)
                painter.restore()
                footer = QRectF(0, body_height, width, footer_height)
                _footer(painter, footer_font, contact_line, number, pages, footer)
    finally:
        painter.end()
    return pages


def _footer(painter: QPainter, font: QFont, contact_line: str, page: int, pages: int, box: QRectF) -> None:
    metrics = QFontMetricsF(font, painter.device())
    line_y = box.top() + metrics.height() * 0.6
    painter.save()
    pen = QPen(Qt.GlobalColor.darkGray)
    pen.setWidthF(max(1.0, painter.device().logicalDpiX() / 300))
    painter.setPen(pen)
    painter.drawLine(QPointF(box.left(), line_y), QPointF(box.right(), line_y))
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    number = QCoreApplication.translate("handout", "Page %1 of %2").replace("%1", str(page)).replace("%2", str(pages))
    number_width = metrics.horizontalAdvance(number)
    text_box = QRectF(box.left(), line_y + metrics.height() * 0.3, box.width(), metrics.height())
    contact = metrics.elidedText(contact_line, Qt.TextElideMode.ElideRight, box.width() - number_width - 24)
    painter.drawText(text_box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), contact)
    painter.drawText(text_box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), number)
    painter.restore()


def a4_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter
    )


def write_handout_pdf(articles: list[ArticleView], contact_line: str, path: Path | str) -> int:
    """The handout as an A4 PDF at ``path``: written to a temporary file beside it and renamed into
    place when complete, so a failure never leaves half a file. Returns the number of pages."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    temporary.open("xb").close()  # a folder that is missing or not writable fails here, plainly (OSError)
    try:
        pages = _write_pdf(articles, contact_line, temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return pages


def _write_pdf(articles: list[ArticleView], contact_line: str, path: Path) -> int:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(a4_layout())
    writer.setCreator("Gridworker")
    writer.setTitle(" / ".join(a.title for a in articles))
    try:
        return render_handout(articles, contact_line, writer)
    finally:
        del writer  # closes the file before it is renamed
