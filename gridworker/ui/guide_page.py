"""The policy guide screen (惠民政策宣传指南).

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
from typing import Any

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.guide import CATEGORIES
from gridworker.guide.search import ArticleView, Hit, article, articles, list_articles, new_count, search, whats_new
from gridworker.ui.context import AppContext
from gridworker.ui.guide_results import RESULT_LIMIT, GuideResultsModel, HitDelegate, category_label
from gridworker.ui.models import RECORD_ROLE


def _mark_read(ctx: AppContext, article_id: uuid.UUID, version: int) -> None:
    """On the writer thread."""
    from gridworker.guide.store import mark_read

    with ctx.db.engine.begin() as conn:
        mark_read(conn, article_id, version)


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
        from gridworker.ui.cards_dialog import fit_preview

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(a4_layout())
        printer.setDocName(self.tr("Policy guide handout"))
        dialog = QPrintPreviewDialog(printer, self)
        fit_preview(dialog)
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
