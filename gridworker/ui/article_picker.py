"""The visit form's article picker: find guide articles and tick what was explained or handed out.

Searches run on the reader thread (``ctx.tasks.read``) through gridworker.guide.search; a newer keystroke
makes older answers stale, and they are dropped. Nothing here imports SQLAlchemy or pypinyin.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from gridworker.guide import QT_TRANSLATE_NOOP
from gridworker.guide.search import list_articles, search
from gridworker.ui.context import AppContext
from gridworker.ui.guide_results import category_label, guide_text
from gridworker.ui.models import RECORD_ROLE, SORT_ROLE
from gridworker_shared.domain.households import ARTICLE_ACTIONS

Index = QModelIndex | QPersistentModelIndex


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
