"""The department user's window: their work orders (gridworker.ui.work_orders), the unsent changes
and the settings, with the sync state below, as the worker's window has them."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from gridworker.ui.context import AppContext
from gridworker.ui.other_pages import SettingsPage, UnsentPage
from gridworker.ui.sync import SyncController, SyncStatusWidget
from gridworker.ui.work_orders import WorkOrdersPage


class WorkOrdersWindow(QMainWindow):
    PAGE_ORDERS, PAGE_UNSENT, PAGE_SETTINGS = range(3)
    # the work-order list is on screen with its orders (the smoke test waits for it)
    workspace_shown = Signal()

    def __init__(self, ctx: AppContext, sync: SyncController | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sync = sync
        unit = ctx.identity.grid_name  # the department's name
        self.setWindowTitle(
            self.tr("Gridworker work orders — %1").replace("%1", unit) if unit else self.tr("Gridworker work orders")
        )
        self.setObjectName("work_orders_window")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.stack = QStackedWidget()
        self.orders = WorkOrdersPage(ctx)
        self.unsent = UnsentPage(ctx)
        self.settings_page = SettingsPage(ctx)
        for text, page in (
            (self.tr("Work orders"), self.orders),
            (self.tr("Unsent"), self.unsent),
            (self.tr("Settings"), self.settings_page),
        ):
            self.nav.addItem(QListWidgetItem(text))
            self.stack.addWidget(page)
        self._fit_nav(QApplication.font())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._fit_nav)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.unsent_label = QLabel()
        self.unsent_label.setObjectName("unsent_count")
        who = QLabel(" · ".join(p for p in (ctx.identity.name, ctx.identity.grid_name) if p))
        self.statusBar().addWidget(who)
        if sync is not None:
            status = SyncStatusWidget(sync)
            status.sign_in_requested.connect(self.sign_in_again)
            self.statusBar().addPermanentWidget(status)
            self.settings_page.sign_out_button.show()
            self.settings_page.sign_out_requested.connect(sync.sign_out)
            QShortcut(QKeySequence.StandardKey.Refresh, self, sync.sync_now)
        self.statusBar().addPermanentWidget(QLabel("|"))
        self.statusBar().addPermanentWidget(self.unsent_label)
        ctx.events.outbox_changed.connect(self.refresh_unsent)
        ctx.events.data_changed.connect(self._on_data_changed)
        ctx.tasks.failed.connect(self.show_error)
        self.orders.loaded.connect(self._on_loaded)
        self._announced = False
        for i in range(self.nav.count()):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, lambda i=i: self.go(i))
        self.nav.setCurrentRow(self.PAGE_ORDERS)
        self.resize(1366, 768)

    def _fit_nav(self, font: QFont) -> None:
        metrics = QFontMetrics(font)
        widest = max(metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count()))
        self.nav.setFixedWidth(widest + metrics.horizontalAdvance("M") * 2 + 8)
        for i in range(self.nav.count()):
            self.nav.item(i).setSizeHint(QSize(0, metrics.height() * 2 + 8))

    def sign_in_again(self) -> None:
        """The token expired or the laptop was revoked: sign in again; the orders' steps are kept."""
        if self.sync is None:
            return
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

    def go(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def start(self) -> None:
        self.orders.refresh()
        self.unsent.refresh()
        self.refresh_unsent()

    def _on_loaded(self) -> None:
        if not self._announced:
            self._announced = True
            self.orders.view.setFocus()
            self.workspace_shown.emit()

    def _on_data_changed(self) -> None:
        self.unsent.refresh()
        self.refresh_unsent()

    def refresh_unsent(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.unsent_count, self._on_unsent, owner=self)

    def _on_unsent(self, count: int) -> None:
        self.unsent_label.setText(self.tr("Unsent: %1").replace("%1", str(count)))
        self.unsent_label.setStyleSheet("color: #8a5a00; font-weight: bold;" if count else "")

    def show_error(self, message: str, detail: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Gridworker"), message, QMessageBox.StandardButton.Ok, self)
        if detail:
            box.setDetailedText(detail)
        box.open()
