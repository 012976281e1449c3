"""The requests board's table model (the area's requests a page at a time from the reader thread;
overdue rows red, bounced-twice ones marked), the labels of the flow's statuses and steps, and a
request's history as the detail pane shows it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from gridworker.store import board_reads as rq
from gridworker.ui import labels as common
from gridworker.ui.tasks import TaskManager
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.masking import mask_phone
from gridworker_shared.domain.request_flow import FROM, WHO, status_of

OVERDUE_COLOUR = QColor("#b3261e")
OVERDUE_BACKGROUND = QColor("#fdecea")
WAITING_COLOUR = QColor("#8a5a00")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
Loader = Callable[[rq.BoardAfter | None, int], rq.BoardPage]

STATUS_LABELS = {
    "submitted": QT_TRANSLATE_NOOP("requests", "Registered"),
    "accepted": QT_TRANSLATE_NOOP("requests", "Accepted"),
    "dispatched": QT_TRANSLATE_NOOP("requests", "Dispatched"),
    "signed": QT_TRANSLATE_NOOP("requests", "Signed for"),
    "closed": QT_TRANSLATE_NOOP("requests", "Closed"),
    "archived": QT_TRANSLATE_NOOP("requests", "Archived"),
    "merged": QT_TRANSLATE_NOOP("requests", "Merged"),
    "cancelled": QT_TRANSLATE_NOOP("requests", "Cancelled"),
}
STEP_LABELS = {
    "create": QT_TRANSLATE_NOOP("requests", "Registered"),
    "accept": QT_TRANSLATE_NOOP("requests", "Accepted"),
    "on_spot": QT_TRANSLATE_NOOP("requests", "Resolved on the spot"),
    "merge": QT_TRANSLATE_NOOP("requests", "Merged"),
    "dispatch": QT_TRANSLATE_NOOP("requests", "Dispatched"),
    "sign": QT_TRANSLATE_NOOP("requests", "Signed for"),
    "bounce": QT_TRANSLATE_NOOP("requests", "Sent back"),
    "progress": QT_TRANSLATE_NOOP("requests", "Progress"),
    "close": QT_TRANSLATE_NOOP("requests", "Closed"),
    "callback": QT_TRANSLATE_NOOP("requests", "Called back"),
    "callback_failed": QT_TRANSLATE_NOOP("requests", "Call-back not reached"),
    "extend": QT_TRANSLATE_NOOP("requests", "Deadline extended"),
    "reassign": QT_TRANSLATE_NOOP("requests", "Reassigned"),
    "cancel": QT_TRANSLATE_NOOP("requests", "Cancelled"),
}
SATISFACTION_LABELS = {
    "satisfied": QT_TRANSLATE_NOOP("requests", "Satisfied"),
    "basic": QT_TRANSLATE_NOOP("requests", "Basically satisfied"),
    "dissatisfied": QT_TRANSLATE_NOOP("requests", "Dissatisfied"),
}
BOUNCE_LABELS = {
    "not_ours": QT_TRANSLATE_NOOP("requests", "Not this department's"),
    "outside_area": QT_TRANSLATE_NOOP("requests", "Outside its area"),
}
# the board's steps: (step, button text, key)
ACTIONS = (
    ("accept", QT_TRANSLATE_NOOP("requests", "Accept (受理)"), "A"),
    ("on_spot", QT_TRANSLATE_NOOP("requests", "On the spot… (即办)"), "J"),
    ("dispatch", QT_TRANSLATE_NOOP("requests", "Dispatch… (派单)"), "D"),
    ("extend", QT_TRANSLATE_NOOP("requests", "Extend… (延期)"), "E"),
    ("reassign", QT_TRANSLATE_NOOP("requests", "Reassign… (改派)"), "G"),
    ("merge", QT_TRANSLATE_NOOP("requests", "Merge… (合并)"), "M"),
    ("callback", QT_TRANSLATE_NOOP("requests", "Call-back… (回访)"), "H"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


def status_label(code: str, pending_step: str = "") -> str:
    text = _tr(STATUS_LABELS.get(status_of(code), code))
    if pending_step:
        text += " · " + QCoreApplication.translate("requests", "step waiting: %1").replace(
            "%1", _tr(STEP_LABELS.get(pending_step, pending_step))
        )
    return text


def allowed_steps(row: rq.BoardRow, role: str) -> set[str]:
    """The board's steps this role may take on the request now (none while a step waits)."""
    if row.pending_step:
        return set()
    current = status_of(row.status)
    return {step for step, _, _ in ACTIONS if current in FROM[step] and role in WHO[step]}


class BoardModel(QAbstractTableModel):
    # the household last: at 1366 px it is the one elided (the detail beside the table gives it whole)
    COL_TIME, COL_AREA, COL_CATEGORY, COL_STATUS, COL_DEPARTMENT, COL_DEADLINE, COL_BOUNCES, COL_HOME = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("requests", "Registered on"),
        QT_TRANSLATE_NOOP("requests", "Community / grid"),
        QT_TRANSLATE_NOOP("requests", "Category"),
        QT_TRANSLATE_NOOP("requests", "Status"),
        QT_TRANSLATE_NOOP("requests", "Department"),
        QT_TRANSLATE_NOOP("requests", "Deadline"),
        QT_TRANSLATE_NOOP("requests", "Sent back"),
        QT_TRANSLATE_NOOP("requests", "Household"),
    )
    loaded = Signal(int)

    def __init__(self, tasks: TaskManager, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._rows: list[rq.BoardRow] = []
        self._loader: Loader | None = None
        self._more = False
        self._loading = False
        self._after: rq.BoardAfter | None = None
        self.generation = 0

    def load(self, loader: Loader) -> int:
        self.generation += 1
        generation = self.generation
        self._loader, self._loading = loader, True

        def run() -> rq.BoardPage | None:
            return None if generation != self.generation else loader(None, rq.BOARD_PAGE)

        self._tasks.read(run, lambda page: self._on_first(generation, page), owner=self)
        return generation

    def _on_first(self, generation: int, page: rq.BoardPage | None) -> None:
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
        self._tasks.read(lambda: loader(after, rq.BOARD_PAGE), lambda page: self._on_next(generation, page), owner=self)

    def _on_next(self, generation: int, page: rq.BoardPage) -> None:
        if generation != self.generation:
            return
        self._loading = False
        self._more, self._after = page.more, page.after or self._after
        if page.rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()

    def replace(self, rows: list[rq.BoardRow]) -> None:
        by_id = {r.id: r for r in rows}
        for i, old in enumerate(self._rows):
            new = by_id.get(old.id)
            if new is not None:
                self._rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))

    def record(self, row: int) -> rq.BoardRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.overdue:
                return QBrush(OVERDUE_COLOUR)
            if column == self.COL_STATUS and r.pending_step:
                return QBrush(WAITING_COLOUR)
            if column == self.COL_BOUNCES and r.flagged:
                return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.BackgroundRole and r.overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and (
            (r.overdue and column == self.COL_DEADLINE) or (r.flagged and column == self.COL_BOUNCES)
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if r.overdue:
                return QCoreApplication.translate("requests", "Overdue: past its deadline and not closed")
            if r.flagged:
                return QCoreApplication.translate("requests", "Sent back twice or more: the supervisor decides")
        return None

    def _text(self, r: rq.BoardRow, column: int) -> str:
        if column == self.COL_TIME:
            return common.local_datetime(r.created_at)
        if column == self.COL_AREA:
            if r.community and r.grid.startswith(r.community):
                return r.grid
            return " / ".join(p for p in (r.community, r.grid) if p)
        if column == self.COL_CATEGORY:
            return common.category(r.category)
        if column == self.COL_STATUS:
            text = status_label(r.status, r.pending_step)
            return text + (" · " + QCoreApplication.translate("requests", "on the spot") if r.on_spot else "")
        if column == self.COL_DEPARTMENT:
            return r.department
        if column == self.COL_DEADLINE:
            if r.deadline_at is None:
                return ""
            text = common.local_datetime(r.deadline_at)[5:]  # the month and day: deadlines are weeks away at most
            return text + " " + QCoreApplication.translate("requests", "overdue") if r.overdue else text
        if column == self.COL_HOME:
            return " ".join(p for p in (common.address(r.compound, r.building, r.unit, r.room), r.head) if p)
        if not r.bounces:
            return ""
        return ("⚑ " if r.flagged else "") + str(r.bounces)


def history_html(detail: rq.RequestDetail, *, full_phone: bool = False) -> str:
    """The request and every step of its history, for the detail pane; the resident's phone masked
    unless it was revealed (``full_phone``: the board's Show, recorded on the access trail)."""
    r = detail.row
    phone = r.phone if full_phone else mask_phone(r.phone)
    lines = [
        f"<h3 style='margin-bottom:2px'>{escape(common.category(r.category))} · "
        f"{escape(status_label(r.status, r.pending_step))}</h3>",
        f"<p>{escape(r.description)}</p>",
        "<p>"
        + escape(
            " · ".join(p for p in (common.long_address(r.compound, r.building, r.unit, r.room), r.head, phone) if p)
        )
        + "</p>",
    ]
    facts = []
    if r.department:
        facts.append(QCoreApplication.translate("requests", "Department: %1").replace("%1", r.department))
    if r.deadline_at is not None:
        facts.append(
            QCoreApplication.translate("requests", "Deadline: %1").replace("%1", common.local_datetime(r.deadline_at))
        )
    if r.overdue:
        overdue = QCoreApplication.translate("requests", "Overdue")
        facts.append(f"<span style='color:#b3261e; font-weight:bold'>{escape(overdue)}</span>")
    if r.flagged:
        sent_back = QCoreApplication.translate("requests", "Sent back %1 times").replace("%1", str(r.bounces))
        facts.append(f"<span style='color:#b3261e; font-weight:bold'>⚑ {escape(sent_back)}</span>")
    if r.resolved is not None:
        facts.append(
            QCoreApplication.translate("requests", "Resident: %1, %2")
            .replace(
                "%1",
                QCoreApplication.translate("requests", "resolved")
                if r.resolved
                else QCoreApplication.translate("requests", "not resolved"),
            )
            .replace("%2", _tr(SATISFACTION_LABELS.get(r.satisfaction, r.satisfaction)))
        )
    if detail.merged_into is not None:
        m = detail.merged_into
        facts.append(
            QCoreApplication.translate("requests", "Merged into the request of %1").replace(
                "%1", common.local_datetime(m.created_at)
            )
        )
    lines.append("<p>" + " · ".join(f if f.startswith("<span") else escape(f) for f in facts) + "</p>")
    history = QCoreApplication.translate("requests", "History")
    lines.append(f"<h3 style='margin-bottom:2px'>{escape(history)}</h3>")
    for e in detail.events:
        lines.append("<p style='margin:2px 0'>" + _event_line(e, detail.departments) + "</p>")
    return "".join(lines)


def _event_line(e: rq.HistoryEvent, departments: dict[uuid.UUID, str]) -> str:
    parts = [
        f"<b>{escape(common.local_datetime(e.at))}</b>",
        escape(e.actor or "—"),
        escape(_tr(STEP_LABELS.get(e.step, e.step))),
    ]
    extra: list[str] = []
    dept = e.data.get("department_id")
    if isinstance(dept, str):
        with contextlib.suppress(ValueError):
            extra.append(departments.get(uuid.UUID(dept), ""))
    if e.data.get("reason") in BOUNCE_LABELS:
        extra.append(_tr(BOUNCE_LABELS[str(e.data["reason"])]))
    if e.data.get("whose"):
        extra.append(QCoreApplication.translate("requests", "whose: %1").replace("%1", str(e.data["whose"])))
    if isinstance(e.data.get("days"), int):
        extra.append(QCoreApplication.translate("requests", "+%1 days").replace("%1", str(e.data["days"])))
    if "resolved" in e.data:
        extra.append(
            QCoreApplication.translate("requests", "resolved")
            if e.data["resolved"]
            else QCoreApplication.translate("requests", "not resolved")
        )
    if e.data.get("satisfaction") in SATISFACTION_LABELS:
        extra.append(_tr(SATISFACTION_LABELS[str(e.data["satisfaction"])]))
    text = " · ".join(parts + [escape(x) for x in extra if x])
    if e.note:
        text += f"：{escape(e.note)}"
    return text
