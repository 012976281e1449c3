"""The policy guide screen (惠民政策宣传指南) and the article picker of the visit form.

Everything is read on the reader thread (``ctx.tasks.read``) from the local database through
gridworker.guide.search; a newer keystroke makes older answers stale, and they are dropped. Opening an
article marks it read on the writer thread. Nothing here imports SQLAlchemy or pypinyin at start-up:
the writes load gridworker.guide.store on the writer thread.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QDesktopServices,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.guide import CATEGORIES, QT_TRANSLATE_NOOP
from gridworker.guide.search import ArticleView, Hit, article, articles, list_articles, new_count, search, whats_new
from gridworker.ui.context import AppContext
from gridworker.ui.models import RECORD_ROLE, SORT_ROLE
from gridworker_shared.domain.households import ARTICLE_ACTIONS

Index = QModelIndex | QPersistentModelIndex
HTML_ROLE = Qt.ItemDataRole.UserRole + 10
RESULT_LIMIT = 200  # results of one query shown (the best ones; a guide has a few hundred articles)
MARK_COLOURS = {"new": "#c0392b", "updated": "#d35400"}
MATCH_COLOUR = "#b3261e"


def guide_text(text: str) -> str:
    return QCoreApplication.translate("guide", text)


def category_label(code: str) -> str:
    for c in CATEGORIES:
        if c.code == code:
            return guide_text(c.label)
    return code


def mark_text(hit: Hit) -> str:
    if not hit.is_new:
        return ""
    return (
        QCoreApplication.translate("guide", "Updated") if hit.is_updated else QCoreApplication.translate("guide", "New")
    )


def _mark_read(ctx: AppContext, article_id: uuid.UUID, version: int) -> None:
    """On the writer thread."""
    from gridworker.guide.store import mark_read

    with ctx.db.engine.begin() as conn:
        mark_read(conn, article_id, version)


# --- the results list ----------------------------------------------------------------------------


class GuideResultsModel(QAbstractListModel):
    """Search results (or the whole guide, or what is new), in the order given: best first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Hit] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = mark_text(hit)
            return f"{hit.title} [{mark}]" if mark else hit.title
        if role == RECORD_ROLE:
            return hit
        if role == SORT_ROLE:
            return index.row()
        if role == HTML_ROLE:
            return self.html(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.title}\n{category_label(hit.category)} · " + QCoreApplication.translate(
                "guide", "Version %1"
            ).replace("%1", str(hit.version))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None

    @staticmethod
    def html(hit: Hit) -> str:
        mark = mark_text(hit)
        badge = ""
        if mark:
            badge = f'<span class="{"updated" if hit.is_updated else "new"}">[{mark}]</span>&nbsp;'
        category = f'<span class="meta">&nbsp;&nbsp;{category_label(hit.category)}</span>'
        title = f'{badge}<span class="title">{hit.title_html}</span>{category}'
        snippet = f'<div class="snippet">{hit.snippet_html}</div>' if hit.snippet_html else ""
        return f"<div>{title}</div>{snippet}"

    def set_rows(self, rows: list[Hit]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Hit:
        return self._rows[row]

    def row_of(self, article_id: uuid.UUID) -> int:
        return next((i for i, h in enumerate(self._rows) if h.id == article_id), -1)

    def set_read(self, article_id: uuid.UUID, version: int) -> None:
        row = self.row_of(article_id)
        if row < 0:
            return
        hit = self._rows[row]
        read = max(hit.read_version, version)
        self._rows[row] = dataclasses.replace(hit, read_version=read, is_new=read < hit.version)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)


class HitDelegate(QStyledItemDelegate):
    """A result as rich text: the title with its matches highlighted, the category, a marker for a
    version not read yet, and the snippet below."""

    PADDING = 6

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _document(self, option: QStyleOptionViewItem, html: str, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text).name()
        match = text if selected else MATCH_COLOUR
        meta = text if selected else "#666666"
        new = text if selected else MARK_COLOURS["new"]
        updated = text if selected else MARK_COLOURS["updated"]
        doc.setDefaultStyleSheet(
            f"div {{ color: {text}; }} b {{ color: {match}; }} .meta {{ color: {meta}; }} "
            f".snippet {{ color: {meta}; }} .title {{ font-size: large; }} "
            f".new {{ color: {new}; font-weight: 600; }} .updated {{ color: {updated}; font-weight: 600; }}"
        )
        doc.setHtml(html)
        doc.setTextWidth(max(width, 10.0))
        return doc

    def _width(self, option: QStyleOptionViewItem) -> float:
        rect = option.rect
        width = rect.width() if rect.width() > 0 else self._view.viewport().width()
        return float(width - 2 * self.PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, str(index.data(HTML_ROLE) or ""), self._width(option))
        painter.save()
        rect = option.rect
        painter.translate(rect.left() + self.PADDING, rect.top() + self.PADDING)
        painter.setClipRect(0, 0, rect.width() - self.PADDING, rect.height() - self.PADDING)
        doc.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(option, str(index.data(HTML_ROLE) or ""), self._width(option))
        return QSize(int(doc.idealWidth()) + 2 * self.PADDING, int(doc.size().height()) + 2 * self.PADDING)


# --- the guide screen ----------------------------------------------------------------------------


class GuidePage(QWidget):
    """Find an article as you type (医保, 低保, yb, 12345), read it, see what is new since the last
    sync, print a handout of one or several articles."""

    searched = Signal(int)  # generation of the query whose results are now shown
    article_shown = Signal(object)  # uuid.UUID of the article now in the viewer
    article_read = Signal(object)  # uuid.UUID of an article marked read
    articles_changed = Signal()  # a sync changed the articles; the list has been read again
    new_count_changed = Signal(int)
    handout_saved = Signal(str, int)  # path, pages
    handout_failed = Signal(str)  # a message for the user
    preview_opened = Signal(object)  # the print preview dialog, on screen (tests close it)

    def __init__(
        self, ctx: AppContext, contact_line: Callable[[], str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._contact_line = contact_line
        self.generation = 0
        self._loaded = False
        self._announce = False
        self._new_count = 0
        self._count_stale = True  # the count of new articles changes with a sync, not with a keystroke
        self._shown: ArticleView | None = None
        self._pending_show: uuid.UUID | None = None
        self._mark_when_shown = False
        self._automatic = False
        self.preview_dialog: Any = None

        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("guide_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Search the guide: 医保, 低保, a phone number, or pinyin initials (yb for 医保)")
        )
        self.category = QComboBox()
        self.category.setObjectName("guide_category")
        self.category.addItem(self.tr("All categories"), None)
        for c in CATEGORIES:
            self.category.addItem(category_label(c.code), c.code)
        self.whats_new = QToolButton()
        self.whats_new.setObjectName("whats_new")
        self.whats_new.setCheckable(True)
        self.whats_new.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.whats_new.setToolTip(self.tr("Only the articles that are new or changed since you last opened them"))
        self.print_button = QToolButton()
        self.print_button.setObjectName("print_handout")
        self.print_button.setText(self.tr("Print handout…"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.print_button)
        self.print_action = menu.addAction(self.tr("Print…"))
        self.pdf_action = menu.addAction(self.tr("Save as PDF…"))
        self.print_button.setMenu(menu)
        self.print_button.clicked.connect(self.print_handout)
        self.print_action.triggered.connect(self.print_handout)
        self.pdf_action.triggered.connect(lambda: self.save_handout_pdf())
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.print_action)  # Ctrl+P anywhere on the page
        bar.addWidget(self.search, 1)
        bar.addWidget(self.category)
        bar.addWidget(self.whats_new)
        bar.addWidget(self.print_button)
        root.addLayout(bar)

        self.count_label = QLabel()
        self.count_label.setObjectName("guide_count")
        self.count_label.setStyleSheet("color: #555;")
        root.addWidget(self.count_label)

        self.model = GuideResultsModel(self)
        self.view = QListView()
        self.view.setObjectName("guide_results")
        self.view.setModel(self.model)
        self.view.setItemDelegate(HitDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setMinimumWidth(self.view.fontMetrics().horizontalAdvance("M") * 22)

        self.viewer = QTextBrowser()
        self.viewer.setObjectName("article_viewer")
        self.viewer.setOpenLinks(False)  # links are opened here, and only web, mail and phone ones
        self.viewer.anchorClicked.connect(self._on_link)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([2000, 3000])
        self.splitter.setChildrenCollapsible(False)
        root.addWidget(self.splitter, 1)

        self.search.textChanged.connect(self._on_query_changed)
        self.search.returnPressed.connect(self.view.setFocus)
        self.category.currentIndexChanged.connect(self._on_query_changed)
        self.whats_new.toggled.connect(self._on_query_changed)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.view.clicked.connect(self._on_picked)
        self.view.activated.connect(self._on_picked)
        ctx.events.data_changed.connect(self._on_data_changed)
        self._set_new_count(0)
        self._update_actions()
        self._show_empty()

    # -- reading ---------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    def refresh(self) -> int:
        """Read the list again for the current query, category and filter."""
        self._loaded = True
        self._count_stale = True
        return self.run_search()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_query_changed(self, *_: object) -> None:
        self.run_search()

    def run_search(self) -> int:
        self.generation += 1
        generation = self.generation
        text = self.search.text()
        category = self.category.currentData()
        new_only = self.whats_new.isChecked()
        counting = self._count_stale
        reader = self.ctx.reader

        def read() -> tuple[list[Hit], int | None] | None:
            if generation != self.generation:  # a newer keystroke already replaced this query
                return None
            con = reader.connection()
            if text.strip():
                hits = search(con, text, category=category, limit=RESULT_LIMIT)
                if new_only:
                    hits = [h for h in hits if h.is_new]
            elif new_only:
                hits = [r.hit() for r in whats_new(con, category)]
            else:
                hits = [r.hit() for r in list_articles(con, category)]
            return hits, new_count(con) if counting else None

        self.ctx.tasks.read(read, lambda result: self._on_results(generation, result), owner=self)
        return generation

    def _on_results(self, generation: int, result: tuple[list[Hit], int | None] | None) -> None:
        if generation != self.generation or result is None:
            return
        hits, count = result
        keep = self.current_hit()
        self.model.set_rows(hits)
        if count is not None:
            self._count_stale = False
            self._set_new_count(count)
        self._update_count(hits)
        row = self.model.row_of(keep.id) if keep else -1
        if row < 0 and hits:
            row = 0
        if row >= 0:  # shown, not opened: it stays new until the user picks it
            self._automatic = True
            self.view.setCurrentIndex(self.model.index(row, 0))
            self._automatic = False
        elif self._shown is None:
            self._show_empty()
        self._update_actions()
        self.searched.emit(generation)
        if self._announce:
            self._announce = False
            if self._shown is not None:
                self.show_article(self._shown.id, opened=False)  # a sync may have brought a new version
            self.articles_changed.emit()

    def _update_count(self, hits: list[Hit]) -> None:
        n = len(hits)
        if n:
            text = self.tr("%n article(s)", "", n)
            if len(hits) >= RESULT_LIMIT and self.search.text().strip():
                text = self.tr("The best %n articles", "", n)
        elif self.search.text().strip():
            text = self.tr("No article matches. Try fewer characters, or pinyin initials (yb for 医保).")
        elif self.whats_new.isChecked():
            text = self.tr("Nothing new since you last read the guide.")
        else:
            text = self.tr("No articles yet: the guide arrives with the next sync.")
        self.count_label.setText(text)

    def _set_new_count(self, count: int) -> None:
        self._new_count = count
        self.whats_new.setText(self.tr("What's new (%1)").replace("%1", str(count)))
        self.whats_new.setStyleSheet("QToolButton { color: #c0392b; font-weight: 600; }" if count else "")
        self.new_count_changed.emit(count)

    def new_count(self) -> int:
        return self._new_count

    def _on_data_changed(self) -> None:
        self._announce = True
        self._count_stale = True
        self.run_search()

    # -- the viewer ------------------------------------------------------------------------------

    def shown_article(self) -> ArticleView | None:
        """The article in the viewer."""
        return self._shown

    def current_hit(self) -> Hit | None:
        index = self.view.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, Hit) else None

    def selected_ids(self) -> list[uuid.UUID]:
        """The selected articles in list order (the handout's order)."""
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.record(r).id for r in rows]

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = current.data(RECORD_ROLE) if current.isValid() else None
        if isinstance(record, Hit) and (self._shown is None or self._shown.id != record.id):
            self.show_article(record.id, opened=not self._automatic)

    def _on_picked(self, index: QModelIndex) -> None:
        """A click or Enter on the article already shown (the first result is shown unasked)."""
        record = index.data(RECORD_ROLE)
        if isinstance(record, Hit) and self._shown is not None and self._shown.id == record.id:
            self._mark_if_new(self._shown)

    def show_article(self, article_id: uuid.UUID, opened: bool = True) -> None:
        """Read one article and show it. ``opened``: the user chose it, so a version not read yet is
        marked read (the first result of a search is shown without being opened)."""
        self._pending_show = article_id
        self._mark_when_shown = opened
        reader = self.ctx.reader
        self.ctx.tasks.read(lambda: article(reader.connection(), article_id), self._on_article, owner=self)

    def _on_article(self, view: ArticleView | None) -> None:
        if view is None or view.id != self._pending_show:
            if view is None and self._shown is not None and self._shown.id == self._pending_show:
                self._shown = None
                self._show_empty()  # withdrawn meanwhile
            return
        self._shown = view
        from gridworker.guide.handout import article_document

        doc = article_document(view, self.viewer.font())
        doc.setParent(self.viewer)
        doc.setDocumentMargin(12)
        self.viewer.setDocument(doc)
        self.article_shown.emit(view.id)
        if self._mark_when_shown:
            self._mark_if_new(view)

    def _mark_if_new(self, view: ArticleView) -> None:
        if view.is_new:
            article_id, version = view.id, view.version
            ctx = self.ctx
            self.ctx.tasks.write(
                lambda: _mark_read(ctx, article_id, version), lambda _: self._on_read(article_id, version)
            )

    def _on_read(self, article_id: uuid.UUID, version: int) -> None:
        self.model.set_read(article_id, version)
        if self._shown is not None and self._shown.id == article_id:
            self._shown = dataclasses.replace(self._shown, read_version=max(self._shown.read_version, version))
        reader = self.ctx.reader
        self.ctx.tasks.read(lambda: new_count(reader.connection()), self._set_new_count, owner=self)
        self.article_read.emit(article_id)

    def _show_empty(self) -> None:
        self.viewer.setHtml(
            "<p style='color:#666'>"
            + self.tr("Choose an article on the left to read it here. Select several to print them together.")
            + "</p>"
        )

    def _on_link(self, url: QUrl) -> None:
        if url.scheme().lower() in ("http", "https", "mailto", "tel"):
            QDesktopServices.openUrl(url)

    # -- handouts --------------------------------------------------------------------------------

    def _update_actions(self, *_: object) -> None:
        has = bool(self.view.selectionModel().selectedRows())
        for widget in (self.print_button, self.print_action, self.pdf_action):
            widget.setEnabled(has)
        n = len(self.view.selectionModel().selectedRows())
        self.print_button.setText(
            self.tr("Print handout (%1)…").replace("%1", str(n)) if n > 1 else self.tr("Print handout…")
        )

    def contact_line(self) -> str:
        if self._contact_line is not None:
            return self._contact_line()
        who = self.ctx.identity
        parts = [self.tr("Grid worker %1").replace("%1", who.name) if who.name else "", who.grid_name]
        return " · ".join(p for p in parts if p)

    def _with_articles(self, then: Callable[[list[ArticleView]], None]) -> None:
        """Read the selected articles, then call ``then`` with them from the event loop (a dialog it
        opens does not run inside the delivery of a database read)."""
        ids = self.selected_ids()
        if not ids:
            return
        reader = self.ctx.reader

        def deliver(views: list[ArticleView]) -> None:
            if views:
                QTimer.singleShot(0, self, lambda: then(views))

        self.ctx.tasks.read(lambda: articles(reader.connection(), ids), deliver, owner=self)

    def _default_pdf_path(self) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        titles = [self.model.record(i.row()).title for i in self.view.selectionModel().selectedRows()]
        name = titles[0] if len(titles) == 1 else self.tr("Policy guide handout")
        name = re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_")[:60] or "handout"
        return str(Path(folder) / f"{name}.pdf")

    def save_handout_pdf(self, path: str | None = None) -> None:
        """Save the selected articles as an A4 PDF: at ``path``, or where the user chooses."""
        if not self.selected_ids():
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save handout as PDF"), self._default_pdf_path(), self.tr("PDF files (*.pdf)")
            )
            if not path:
                return
        target = path if path.lower().endswith(".pdf") else path + ".pdf"

        def write(views: list[ArticleView]) -> None:
            from gridworker.guide.handout import HandoutError, write_handout_pdf

            try:
                pages = write_handout_pdf(views, self.contact_line(), target)
            except HandoutError as e:
                self._report(str(e))
                return
            except OSError as e:
                self._report(self.tr("The PDF could not be saved (%1). Choose another folder.").replace("%1", str(e)))
                return
            self.handout_saved.emit(target, pages)

        self._with_articles(write)

    def print_handout(self) -> None:
        """Print the selected articles, through the print preview."""
        self._with_articles(self._preview)

    def _preview(self, views: list[ArticleView]) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from gridworker.guide.handout import HandoutError, a4_layout, render_handout

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(a4_layout())
        printer.setDocName(self.tr("Policy guide handout"))
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print handout"))
        contact = self.contact_line()
        errors: list[str] = []

        def paint(device: QPrinter) -> None:
            try:
                render_handout(views, contact, device)
            except HandoutError as e:
                errors.append(str(e))

        dialog.paintRequested.connect(paint)
        self.preview_dialog = dialog
        self.preview_opened.emit(dialog)
        dialog.exec()
        self.preview_dialog = None
        dialog.deleteLater()
        if errors:
            self._report(errors[0])

    def _report(self, message: str) -> None:
        self.handout_failed.emit(message)
        QMessageBox.warning(self, self.tr("Handout"), message)


# --- the visit form's article picker ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PickRow:
    id: uuid.UUID
    title: str
    version: int
    category: str
    withdrawn: bool = False


class PickerModel(QAbstractTableModel):
    """Articles with two check boxes each: explained, handed out. Checked articles stay at the top
    whatever the search shows (a withdrawn one too, with the title it had)."""

    COL_TITLE, COL_EXPLAINED, COL_HANDED_OUT = range(3)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("guide", "Article"),
        QT_TRANSLATE_NOOP("guide", "Explained"),
        QT_TRANSLATE_NOOP("guide", "Handed out"),
    )
    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._found: list[PickRow] = []
        self._rows: list[PickRow] = []
        # (article id, action) -> the version and title recorded, in the order checked
        self._checked: dict[tuple[uuid.UUID, str], tuple[int, str]] = {}
        self._known: dict[uuid.UUID, PickRow] = {}
        self._present: set[uuid.UUID] | None = None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return guide_text(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != self.COL_TITLE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def _action(self, column: int) -> str | None:
        return {self.COL_EXPLAINED: "explained", self.COL_HANDED_OUT: "handed_out"}.get(column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        action = self._action(index.column())
        if role == RECORD_ROLE:
            return row
        if action is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.title + (" " + QCoreApplication.translate("guide", "(withdrawn)") if row.withdrawn else "")
            if role == SORT_ROLE:
                return row.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{row.title}\n{category_label(row.category)}" if row.category else row.title
            return None
        checked = (row.id, action) in self._checked
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return int(checked)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.headerData(index.column(), Qt.Orientation.Horizontal)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        action = self._action(index.column()) if index.isValid() else None
        if action is None or role != Qt.ItemDataRole.CheckStateRole or not 0 <= index.row() < len(self._rows):
            return False
        row = self._rows[index.row()]
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        key = (row.id, action)
        if state == Qt.CheckState.Checked:
            self._checked.setdefault(key, (row.version, row.title))
        else:
            self._checked.pop(key, None)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.changed.emit()
        return True

    def set_found(self, rows: list[PickRow], present: set[uuid.UUID] | None = None) -> None:
        """The articles the search shows, and (when known) the ids of every article on the laptop:
        a checked article not among them was withdrawn."""
        self._found = rows
        for r in rows:
            self._known[r.id] = r
        if present is not None:
            self._present = present
        self._rebuild()

    def _rebuild(self) -> None:
        picked: dict[uuid.UUID, PickRow] = {}
        for (aid, _action), (version, title) in self._checked.items():
            if aid in picked:
                continue
            withdrawn = self._present is not None and aid not in self._present
            known = self._known.get(aid)
            if known is not None:
                picked[aid] = dataclasses.replace(known, withdrawn=withdrawn)
            else:
                picked[aid] = PickRow(aid, title, version, "", withdrawn=withdrawn)
        rows = list(picked.values()) + [r for r in self._found if r.id not in picked]
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def selection(self) -> list[dict[str, Any]]:
        return [
            {"id": aid, "version": version, "action": action, "title": title}
            for (aid, action), (version, title) in self._checked.items()
        ]

    def set_selection(self, items: list[dict[str, Any]]) -> None:
        self._checked = {}
        for item in items:
            aid = item["id"] if isinstance(item["id"], uuid.UUID) else uuid.UUID(str(item["id"]))
            action = str(item["action"])
            if action in ARTICLE_ACTIONS:
                self._checked[(aid, action)] = (int(item["version"]), str(item["title"]))
        self._rebuild()

    def record(self, row: int) -> PickRow:
        return self._rows[row]


class ArticlePicker(QWidget):
    """For the visit form: find articles and tick what was explained (已讲解) or handed out (已发放).
    ``selection()`` gives ``[{"id", "version", "action", "title"}]``, the version being the one on
    this laptop when it was ticked; ``set_selection`` restores a draft (without ``changed``)."""

    changed = Signal()
    searched = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.generation = 0
        self._present_stale = True  # which articles the laptop has changes with a sync, not with a keystroke
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("picker_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Find an article: 医保, 低保, yb…"))
        root.addWidget(self.search)
        self.model = PickerModel(self)
        self.view = QTableView()
        self.view.setObjectName("picker_articles")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(PickerModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (PickerModel.COL_EXPLAINED, PickerModel.COL_HANDED_OUT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(self.view.fontMetrics().height() * 8)
        root.addWidget(self.view, 1)
        self.summary = QLabel()
        self.summary.setObjectName("picker_summary")
        root.addWidget(self.summary)
        self.search.textChanged.connect(self.run_search)
        self.model.changed.connect(self._on_changed)
        ctx.events.data_changed.connect(self._on_data_changed)
        self._update_summary()
        self.run_search()

    def _on_data_changed(self) -> None:
        self._present_stale = True
        self.run_search()

    def run_search(self, *_: object) -> int:
        self.generation += 1
        generation = self.generation
        text = self.search.text()
        with_present = self._present_stale
        reader = self.ctx.reader

        def read() -> tuple[list[PickRow], set[uuid.UUID] | None] | None:
            if generation != self.generation:
                return None
            con = reader.connection()
            if text.strip():
                found = [PickRow(h.id, h.title, h.version, h.category) for h in search(con, text, limit=100)]
            else:
                found = [PickRow(r.id, r.title, r.version, r.category) for r in list_articles(con)]
            if not with_present:
                return found, None
            return found, {uuid.UUID(hex=r[0]) for r in con.execute("SELECT id FROM article")}

        self.ctx.tasks.read(read, lambda result: self._on_found(generation, result), owner=self)
        return generation

    def _on_found(self, generation: int, result: tuple[list[PickRow], set[uuid.UUID] | None] | None) -> None:
        if generation != self.generation or result is None:
            return
        found, present = result
        if present is not None:
            self._present_stale = False
        self.model.set_found(found, present)
        self.searched.emit(generation)

    def _on_changed(self) -> None:
        self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        chosen = self.model.selection()
        explained = sum(1 for c in chosen if c["action"] == "explained")
        handed = sum(1 for c in chosen if c["action"] == "handed_out")
        self.summary.setText(
            self.tr("Explained: %1 · Handed out: %2").replace("%1", str(explained)).replace("%2", str(handed))
        )

    def selection(self) -> list[dict[str, Any]]:
        return self.model.selection()

    def set_selection(self, items: list[dict[str, Any]]) -> None:
        self.model.set_selection(items)
        self._update_summary()
