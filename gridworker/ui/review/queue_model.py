"""The review queue's table: the area's visits newest first, a page at a time from the reader thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from gridworker.store.review_reads import QUEUE_PAGE, QueueAfter, QueuePage, QueueRow
from gridworker.ui import labels as common
from gridworker.ui.review import labels
from gridworker.ui.tasks import TaskManager
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.review import StreetSettings

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
QueueLoader = Callable[[QueueAfter | None, int], QueuePage]

STATE_COLOURS = {
    "approved": QColor("#1b6e2a"),
    "returned": QColor("#b3261e"),
    "questioned": QColor("#a15c00"),
    "amended": QColor("#555555"),
}
WAITING_COLOUR = QColor("#8a5a00")
FLAG_COLOUR = QColor("#b3261e")


class QueueModel(QAbstractTableModel):
    COL_TIME, COL_GRID, COL_WORKER, COL_ADDRESS, COL_OUTCOME, COL_STATE, COL_FLAGS = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("review", "Time"),
        QT_TRANSLATE_NOOP("review", "Community / grid"),
        QT_TRANSLATE_NOOP("review", "Worker"),
        QT_TRANSLATE_NOOP("review", "Household"),
        QT_TRANSLATE_NOOP("review", "Outcome"),
        QT_TRANSLATE_NOOP("review", "State"),
        QT_TRANSLATE_NOOP("review", "Flags"),
    )
    # the first page of a new filter is shown (argument: the generation)
    loaded = Signal(int)

    def __init__(self, tasks: TaskManager, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._rows: list[QueueRow] = []
        self._loader: QueueLoader | None = None
        self._more = False
        self._loading = False
        self._after: QueueAfter | None = None
        self.generation = 0
        self.settings = StreetSettings()

    # -- loading ------------------------------------------------------------------------------------

    def load(self, loader: QueueLoader) -> int:
        """Show a new filter's visits; the old rows stay until its first page arrives."""
        self.generation += 1
        generation = self.generation
        self._loader = loader
        self._loading = True

        def run() -> QueuePage | None:
            return None if generation != self.generation else loader(None, QUEUE_PAGE)

        self._tasks.read(run, lambda page: self._on_first(generation, page), owner=self)
        return generation

    def _on_first(self, generation: int, page: QueuePage | None) -> None:
        if generation != self.generation or page is None:
            return
        self._loading = False
        self._more, self._after = page.more, page.after
        self.beginResetModel()
        self._rows = list(page.rows)
        self.endResetModel()
        self.loaded.emit(generation)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._loading or self._loader is None:
            return
        self._loading = True
        generation, loader, after = self.generation, self._loader, self._after
        self._tasks.read(lambda: loader(after, QUEUE_PAGE), lambda page: self._on_next(generation, page), owner=self)

    def _on_next(self, generation: int, page: QueuePage) -> None:
        if generation != self.generation:
            return
        self._loading = False
        self._more, self._after = page.more, page.after or self._after
        if page.rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()

    def has_more(self) -> bool:
        return self._more

    def replace(self, rows: list[QueueRow]) -> None:
        """These visits as they are now (a review queued for them), in place."""
        by_no = {r.no: r for r in rows}
        for i, old in enumerate(self._rows):
            new = by_no.get(old.no)
            if new is not None:
                self._rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))

    # -- reading -------------------------------------------------------------------------------------

    def record(self, row: int) -> QueueRow:
        return self._rows[row]

    def row_of(self, no: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.no == no), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("review", self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_FLAGS and r.flags:
                return "\n".join(labels.flag_sentence(c, self.settings) for c in r.flags)
            if column == self.COL_ADDRESS:
                return common.long_address(r.compound, r.building, r.unit, r.room)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_STATE:
                colour = WAITING_COLOUR if r.pending_action else STATE_COLOURS.get(r.state)
                return QBrush(colour) if colour is not None else None
            if column == self.COL_FLAGS and r.flags:
                return QBrush(FLAG_COLOUR)
        return None

    def _text(self, r: QueueRow, column: int) -> str:
        if column == self.COL_TIME:
            return common.local_datetime(r.visited_at)
        if column == self.COL_GRID:
            if r.community and r.grid.startswith(r.community):  # 古城社区第1网格 names its community
                return r.grid
            return " / ".join(p for p in (r.community, r.grid) if p)
        if column == self.COL_WORKER:
            return r.worker
        if column == self.COL_ADDRESS:
            return common.address(r.compound, r.building, r.unit, r.room)
        if column == self.COL_OUTCOME:
            return common.outcome(r.outcome)
        if column == self.COL_STATE:
            text = labels.state(r.state, r.pending_action)
            if r.amends_no is not None and not r.pending_action:
                text += " · " + QCoreApplication.translate("review", "correction")
            return text
        return labels.flags(r.flags)
