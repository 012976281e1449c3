"""The reviewer's workspace (a station's or supervisor's laptop): the review queue, the back-check
calls, the coverage dashboard and the export, beside the policy guide, the unsent changes and the
settings the worker's window has too.

The coverage and export pages are built by their modules' factories (:data:`_PAGES`); the export's
coverage is the dashboard's grid table. :func:`register_page` puts in another page for a place
(tests); a place without a page shows a placeholder."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.review_filter import ReviewFilter
from gridworker.ui.context import AppContext
from gridworker.ui.other_pages import SettingsPage, UnsentPage
from gridworker.ui.review.backcheck_page import BackcheckPage
from gridworker.ui.review.coverage_page import CoveragePage, coverage_page, coverage_table
from gridworker.ui.review.export_page import ExportPage, export_page
from gridworker.ui.review.queue_page import ReviewQueuePage
from gridworker.ui.sync import SyncController, SyncState, SyncStatus, SyncStatusWidget
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from gridworker.ui.guide_page import GuidePage
    from gridworker.ui.sign_in import SignInDialog

# a page another module builds: (the app's context, the queue's current filter) -> the page
PageFactory = Callable[[AppContext, Callable[[], ReviewFilter]], QWidget]
_PAGES: dict[str, PageFactory] = {"coverage": coverage_page, "export": export_page}
PLACEHOLDERS = {
    "requests": QT_TRANSLATE_NOOP("review", "The requests board is not part of this version yet."),
    "rates": QT_TRANSLATE_NOOP("review", "The requests' rates are not part of this version yet."),
    "coverage": QT_TRANSLATE_NOOP("review", "The coverage dashboard is not part of this version yet."),
    "export": QT_TRANSLATE_NOOP("review", "Export is not part of this version yet."),
    "trail": QT_TRANSLATE_NOOP("review", "The access trail is not part of this version yet."),
}
# who reads the access trail (the server says the same: GET /v1/access-trail)
TRAIL_ROLES = ("supervisor", "admin")


def register_page(key: str, factory: PageFactory) -> None:
    """Put the ``"requests"``, ``"rates"``, ``"coverage"``, ``"export"`` or ``"trail"`` page into every
    workspace built from now on."""
    if key not in PLACEHOLDERS:
        raise ValueError(f"no place for a page {key!r} in the review workspace")
    _PAGES[key] = factory


class ReviewWindow(QMainWindow):
    (
        PAGE_QUEUE,
        PAGE_BACKCHECKS,
        PAGE_REQUESTS,
        PAGE_RATES,
        PAGE_COVERAGE,
        PAGE_EXPORT,
        PAGE_GUIDE,
        PAGE_UNSENT,
        PAGE_SETTINGS,
        PAGE_TRAIL,
    ) = range(10)
    # the queue's first page is on screen
    workspace_shown = Signal()

    def __init__(self, ctx: AppContext, sync: SyncController | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sync = sync
        area = ctx.identity.grid_name
        self.setWindowTitle(
            self.tr("Gridworker review — %1").replace("%1", area) if area else self.tr("Gridworker review")
        )
        self.setObjectName("review_window")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.stack = QStackedWidget()
        self.queue = ReviewQueuePage(ctx)
        self.backchecks = BackcheckPage(ctx)
        self.extra: dict[str, QWidget] = {key: self._extra_page(key) for key in PLACEHOLDERS}
        coverage, export = self.extra["coverage"], self.extra["export"]
        if isinstance(coverage, CoveragePage) and isinstance(export, ExportPage):
            # the export's coverage is the dashboard's grid table, as the dashboard shows it
            export.set_coverage_source(lambda _filter: coverage_table(coverage))
        self._guide: GuidePage | None = None
        self._guide_slot = QWidget()
        self.unsent = UnsentPage(ctx)
        self.settings_page = SettingsPage(ctx)
        for text, page in (
            (self.tr("Review queue"), self.queue),
            (self.tr("Back-checks"), self.backchecks),
            (self.tr("Requests"), self.extra["requests"]),
            (self.tr("Request rates"), self.extra["rates"]),
            (self.tr("Coverage"), self.extra["coverage"]),
            (self.tr("Export"), self.extra["export"]),
            (self.tr("Policy guide"), self._guide_slot),
            (self.tr("Unsent"), self.unsent),
            (self.tr("Settings"), self.settings_page),
            (self.tr("Access trail"), self.extra["trail"]),
        ):
            self.nav.addItem(QListWidgetItem(text))
            self.stack.addWidget(page)
        # the access trail: a supervisor's or an admin's (a station's laptop does not show it)
        self.nav.item(self.PAGE_TRAIL).setHidden(ctx.identity.role not in TRAIL_ROLES)
        self._fit_nav(QApplication.font())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._fit_nav)
        self.nav.currentRowChanged.connect(self._show_page)
        layout.addWidget(self.nav)
        pages = QVBoxLayout()
        pages.setContentsMargins(0, 0, 0, 0)
        pages.addWidget(self._make_sync_banner())
        pages.addWidget(self.stack, 1)
        layout.addLayout(pages, 1)
        self.setCentralWidget(central)
        self._status_bar(ctx, sync)
        ctx.events.outbox_changed.connect(self.refresh_unsent)
        ctx.events.data_changed.connect(self._on_data_changed)
        ctx.tasks.failed.connect(self.show_error)
        self.unsent.open_household.connect(lambda _id: self.go(self.PAGE_QUEUE))
        self.queue.model.loaded.connect(self._on_queue_loaded)
        self._announced = False
        for i in range(min(self.nav.count(), 9)):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, lambda i=i: self.go(i))
        self.nav.setCurrentRow(self.PAGE_QUEUE)
        self.resize(1366, 768)

    def _extra_page(self, key: str) -> QWidget:
        factory = _PAGES.get(key) or _builtin(key)
        if factory is not None:
            return factory(self.ctx, self.queue.current_filter)
        placeholder = QLabel(_placeholder(key))
        placeholder.setObjectName(f"{key}_placeholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        return placeholder

    def _status_bar(self, ctx: AppContext, sync: SyncController | None) -> None:
        self.unsent_label = QLabel()
        self.unsent_label.setObjectName("unsent_count")
        who = QLabel(" · ".join(p for p in (ctx.identity.name, ctx.identity.grid_name) if p))
        self.statusBar().addWidget(who)
        self.sync_status: SyncStatusWidget | None = None
        if sync is not None:
            self.sync_status = SyncStatusWidget(sync)
            self.sync_status.sign_in_requested.connect(self.sign_in_again)
            self.statusBar().addPermanentWidget(self.sync_status)
            sync.status_changed.connect(self._on_sync_status)
            self._on_sync_status(sync.status)
            self.settings_page.sign_out_button.show()
            self.settings_page.sign_out_requested.connect(sync.sign_out)
            QShortcut(QKeySequence.StandardKey.Refresh, self, sync.sync_now)
        else:
            self.statusBar().addPermanentWidget(QLabel(self.tr("Offline: reviews are kept on this laptop")))
        self.statusBar().addPermanentWidget(QLabel("|"))
        self.statusBar().addPermanentWidget(self.unsent_label)

    def _make_sync_banner(self) -> QFrame:
        """Above every page when only the user can get sync going again (as in the worker's window)."""
        banner = QFrame()
        banner.setObjectName("sync_banner")
        banner.setStyleSheet("#sync_banner { background: #fff4ce; border: 1px solid #e0c060; }")
        row = QHBoxLayout(banner)
        self.sync_banner_label = QLabel()
        self.sync_banner_label.setWordWrap(True)
        self.sync_banner_button = QPushButton(self.tr("Sign &in again…"))
        self.sync_banner_button.clicked.connect(self.sign_in_again)
        row.addWidget(self.sync_banner_label, 1)
        row.addWidget(self.sync_banner_button)
        banner.hide()
        self.sync_banner = banner
        return banner

    def _on_sync_status(self, status: SyncStatus) -> None:
        texts = {
            SyncState.SIGN_IN_NEEDED: self.tr(
                "Sign in again to sync. Your reviews are kept on this laptop and go out once you are signed in."
            ),
            SyncState.UPDATE_NEEDED: self.tr(
                "This version of Gridworker is too old to sync with the server. Install the update; your reviews "
                "are kept on this laptop and are sent after the update."
            ),
            SyncState.STOPPED: self.tr("Sync has stopped: %1").replace("%1", status.message),
        }
        text = texts.get(status.state)
        if text is None:
            self.sync_banner.hide()
            return
        if status.message and status.state != SyncState.STOPPED:
            text += "\n" + status.message
        self.sync_banner_label.setText(text)
        self.sync_banner_button.setVisible(status.state == SyncState.SIGN_IN_NEEDED)
        self.sync_banner.show()

    def sign_in_again(self) -> SignInDialog | None:
        if self.sync is None:
            return None
        from gridworker.ui.sign_in import SignInDialog

        meta = self.sync.meta
        dialog = SignInDialog(
            self.sync.sign_in,
            meta.get("server_url", ""),
            meta.get("username") or self.ctx.identity.username,
            again=True,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @property
    def guide(self) -> GuidePage:
        if self._guide is None:
            from gridworker.ui.guide_page import GuidePage

            window = weakref.ref(self)
            page = GuidePage(self.ctx, contact_line=lambda: w.contact_line() if (w := window()) else "")
            index = self.stack.indexOf(self._guide_slot)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(self._guide_slot)
            self._guide_slot.deleteLater()
            self._guide = page
        return self._guide

    def contact_line(self) -> str:
        who = self.ctx.identity
        return " · ".join(p for p in (who.name, who.grid_name) if p)

    def _show_page(self, row: int) -> None:
        if row == self.PAGE_GUIDE:
            self.guide  # noqa: B018 - built on first use
        self.stack.setCurrentIndex(row)

    def _fit_nav(self, font: QFont) -> None:
        metrics = QFontMetrics(font)
        widest = max(metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count()))
        self.nav.setFixedWidth(widest + metrics.horizontalAdvance("M") * 2 + 8)
        for i in range(self.nav.count()):
            self.nav.item(i).setSizeHint(QSize(0, metrics.height() * 2 + 8))

    def go(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def start(self) -> None:
        self.queue.start()
        self.backchecks.start()
        self.unsent.refresh()
        self.refresh_unsent()
        for page in self.extra.values():
            starter = getattr(page, "start", None)
            if callable(starter):
                starter()

    def _on_queue_loaded(self, _generation: int) -> None:
        if not self._announced:
            self._announced = True
            self.workspace_shown.emit()
            self.queue.view.setFocus()

    def _on_data_changed(self) -> None:
        self.unsent.refresh()
        self.refresh_unsent()

    def refresh_unsent(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.unsent_count, self._on_unsent, owner=self)

    def _on_unsent(self, count: int) -> None:
        self.unsent_count = count
        self.unsent_label.setText(self.tr("Unsent: %1").replace("%1", str(count)))
        self.unsent_label.setStyleSheet("color: #8a5a00; font-weight: bold;" if count else "")

    def show_error(self, message: str, detail: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Gridworker"), message, QMessageBox.StandardButton.Ok, self)
        if detail:
            box.setDetailedText(detail)
        box.open()


def _builtin(key: str) -> PageFactory | None:
    """The requests board and its rates (issue 13), when no other page was registered for them."""
    if key == "requests":
        from gridworker.ui.review.requests_board import requests_board_page

        return requests_board_page
    if key == "rates":
        from gridworker.ui.review.request_rates_page import request_rates_page

        return request_rates_page
    if key == "trail":
        from gridworker.ui.review.trail_page import trail_page

        return trail_page
    return None


def _placeholder(key: str) -> str:
    return QCoreApplication.translate("review", PLACEHOLDERS[key])
