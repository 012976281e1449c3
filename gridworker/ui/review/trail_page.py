"""The supervisor's access trail (访问记录, issue 14): who revealed a resident's ID number or phone,
who exported or printed residents' data, newest first. Read from the server (the laptop keeps no copy
of anyone's trail), a page at a time, filtered by user and action; offline, a clear message instead.

Usage (the review workspace builds it for a supervisor or an admin)::

    register_page("trail", trail_page)   # trail_page(ctx, queue_filter) builds it
    page.refresh()                       # read the first page again (also when first shown)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.review_filter import ReviewFilter
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.trail import TrailEntry, TrailPage, read_trail
from gridworker.syncing.transport import OfflineError, SyncError
from gridworker.ui.context import AppContext
from gridworker.ui.forms import error_label
from gridworker.ui.i18n import server_message
from gridworker.ui.models import _TableModel
from gridworker.ui.tasks import BackgroundTasks
from gridworker.ui.widgets import HeadingLabel
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

ACTIONS = {
    "reveal": QT_TRANSLATE_NOOP("TrailPage", "Revealed"),
    "export": QT_TRANSLATE_NOOP("TrailPage", "Exported"),
    "print": QT_TRANSLATE_NOOP("TrailPage", "Printed"),
}
FIELDS = {
    "id_number": QT_TRANSLATE_NOOP("TrailPage", "ID number"),
    "phone": QT_TRANSLATE_NOOP("TrailPage", "phone"),
}
ROWS = QT_TRANSLATE_NOOP("TrailPage", "%1 row(s)")
ROLES = {
    "worker": QT_TRANSLATE_NOOP("TrailPage", "grid worker"),
    "station": QT_TRANSLATE_NOOP("TrailPage", "work station"),
    "supervisor": QT_TRANSLATE_NOOP("TrailPage", "supervisor"),
    "admin": QT_TRANSLATE_NOOP("TrailPage", "administrator"),
    "department": QT_TRANSLATE_NOOP("TrailPage", "department"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrailPage", text)


def describe(e: TrailEntry) -> str:
    """What was looked at: 'ID number · 宿迁印象 6-1-601' or the export's own words and its rows."""
    if e.action == "reveal":
        parts = [_tr(FIELDS.get(e.field, e.field)), e.what, e.address]
        return " · ".join(p for p in parts if p)
    text = e.what or "—"
    if e.rows is not None:
        text += " · " + _tr(ROWS).replace("%1", str(e.rows))
    if e.address:
        text += " · " + e.address
    return text


class TrailModel(_TableModel):
    COL_AT, COL_USER, COL_ACTION, COL_WHAT, COL_GRID = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("TrailPage", "When"),
        QT_TRANSLATE_NOOP("TrailPage", "Who"),
        QT_TRANSLATE_NOOP("TrailPage", "Action"),
        QT_TRANSLATE_NOOP("TrailPage", "What"),
        QT_TRANSLATE_NOOP("TrailPage", "Grid"),
    )
    CONTEXT = "TrailPage"

    def cell(self, e: TrailEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_AT:
                return e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")  # the laptop's local time
            if column == self.COL_USER:
                who = e.user_name or e.username
                return f"{who}（{_tr(ROLES.get(e.role, e.role))}）" if e.role else who
            if column == self.COL_ACTION:
                return _tr(ACTIONS.get(e.action, e.action))
            if column == self.COL_WHAT:
                return describe(e)
            if column == self.COL_GRID:
                return e.grid
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_USER:
            return e.username
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_WHAT:
            return describe(e)
        return None

    def add(self, entries: list[TrailEntry]) -> None:
        if entries:
            start = self.rowCount()
            self.beginInsertRows(QModelIndex(), start, start + len(entries) - 1)
            self._rows.extend(entries)
            self.endInsertRows()


class TrailPageWidget(QWidget):
    """The page: filters, the table, "More", and what went wrong."""

    def __init__(
        self,
        ctx: AppContext,
        tokens: Callable[[], TokenStore] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trail_page")
        self._ctx = ctx
        self._tokens = tokens or (lambda: TokenStore(ctx.path.parent.parent))
        self._tasks = BackgroundTasks("gw-trail", self)
        self._next: str | None = None
        self._generation = 0
        self._loaded_once = False
        self.loading = False
        root = QVBoxLayout(self)
        title = HeadingLabel(self.tr("Access trail"))
        root.addWidget(title)
        intro = QLabel(
            self.tr(
                "Who saw a resident's ID number or phone in full, and who exported or printed residents' "
                "data, in your area. Read from the server."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        root.addWidget(intro)
        root.addLayout(self._filters())
        self.model = TrailModel(self)
        self.view = QTableView()
        self.view.setObjectName("trail_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TrailModel.COL_WHAT, QHeaderView.ResizeMode.Stretch)
        root.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("trail_status")
        self.more_button = QPushButton(self.tr("&More"))
        self.more_button.setObjectName("trail_more")
        self.more_button.setEnabled(False)
        self.more_button.clicked.connect(lambda: self._load(reset=False))
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)
        root.addLayout(bottom)
        self.error = error_label("trail_error")
        self.error.setWordWrap(True)
        root.addWidget(self.error)

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("trail_user")
        self.user_edit.setPlaceholderText(self.tr("Username (all users when empty)"))
        self.user_edit.setClearButtonEnabled(True)
        self.user_edit.returnPressed.connect(self.refresh)
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("trail_action")
        self.action_combo.addItem(self.tr("All actions"), "")
        for code, text in ACTIONS.items():
            self.action_combo.addItem(_tr(text), code)
        self.action_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("trail_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        user_label = QLabel(self.tr("&User"))
        user_label.setBuddy(self.user_edit)
        action_label = QLabel(self.tr("Ac&tion"))
        action_label.setBuddy(self.action_combo)
        row.addWidget(user_label)
        row.addWidget(self.user_edit, 1)
        row.addWidget(action_label)
        row.addWidget(self.action_combo)
        row.addWidget(self.refresh_button)
        return row

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self.refresh()

    def refresh(self) -> None:
        """The first page again, with the filters as they are now."""
        self._load(reset=True)

    def _load(self, reset: bool) -> None:
        self._generation += 1
        generation = self._generation
        user, action = self.user_edit.text().strip(), str(self.action_combo.currentData() or "")
        after = "" if reset else (self._next or "")
        if not reset and not after:
            return
        path, tokens = self._ctx.path, self._tokens

        def fetch() -> TrailPage:
            from gridworker.store.reads import Reader

            reader = Reader(path)
            try:
                meta = reader.meta()
            finally:
                reader.close()
            server, username = meta.get("server_url", ""), meta.get("username", "")
            token = tokens().get(server, username) if server and username else None
            return read_trail(server, token, user=user, action=action, after=after)

        self.loading = True
        self.refresh_button.setEnabled(False)
        self.more_button.setEnabled(False)
        self.status.setText(self.tr("Reading the access trail from the server…"))
        self._tasks.submit(
            fetch,
            lambda page: self._on_page(generation, reset, page),
            lambda exc: self._on_error(generation, exc),
        )

    def _on_page(self, generation: int, reset: bool, page: TrailPage) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.error.hide()
        self.refresh_button.setEnabled(True)
        if reset:
            self.model.set_rows(list(page.entries))
        else:
            self.model.add(list(page.entries))
        self._next = page.next
        self.more_button.setEnabled(page.next is not None)
        n = self.model.rowCount()
        if n == 0:
            self.status.setText(self.tr("Nothing on the trail for this choice."))
        elif page.next is not None:
            self.status.setText(self.tr("The newest %n event(s); More reads older ones.", "", n))
        else:
            self.status.setText(self.tr("%n event(s), newest first.", "", n))

    def _on_error(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.refresh_button.setEnabled(True)
        self.more_button.setEnabled(self._next is not None)
        self.status.clear()
        if isinstance(exc, OfflineError):
            message = self.tr(
                "The access trail is kept on the server, and the server cannot be reached now. "
                "Connect to the network and press Refresh."
            )
        elif isinstance(exc, SyncError):
            message = server_message(exc.code, exc.detail, exc.message)
        else:
            log.error("reading the access trail failed: %s", type(exc).__name__)
            message = self.tr("The access trail could not be read. Details were written to the log.")
        self.error.setText(message)
        self.error.show()

    def shutdown(self, timeout: float = 2.0) -> bool:
        return self._tasks.shutdown(timeout)


def trail_page(ctx: AppContext, _queue_filter: Callable[[], ReviewFilter] | None = None) -> TrailPageWidget:
    """The page as the review workspace builds it (``register_page("trail", trail_page)``)."""
    return TrailPageWidget(ctx)
