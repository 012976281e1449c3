"""Table models (Qt model/view). Lists of households are paged: rows arrive a page at a time from the
reader thread (keyset pages, ``fetchMore``), so a 50,000-household list opens as fast as a 50-row one."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from gridworker.store.rows import (
    PAGE_SIZE,
    After,
    CardIssueRow,
    HouseholdRow,
    MemberRow,
    OutboxRow,
    Page,
    RequestRow,
    VisitArticleRow,
    VisitRow,
)
from gridworker.ui import changes, labels, review_words
from gridworker.ui.tasks import TaskManager
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.masking import mask_id_number, mask_phone

Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE = QColor("#b3261e")
UNSENT = QColor("#8a5a00")
# a visit's review in its history: returned red, questioned amber, approved green (the rest as text)
REVIEW_COLOURS = {"returned": "#c01c28", "questioned": "#8a5a00", "approved": "#26734d"}

# one page of a list: (position after which to start, how many rows) -> the page
PageLoader = Callable[[After | None, int], Page]


class _TableModel(QAbstractTableModel):
    """Rows of records and a header; subclasses say how a cell reads."""

    HEADERS: ClassVar[Sequence[str]] = ()
    CONTEXT = "models"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return QCoreApplication.translate(self.CONTEXT, self.HEADERS[section])
        return None

    def record(self, row: int) -> Any:
        return self._rows[row]

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == RECORD_ROLE:
            return row
        return self.cell(row, index.column(), role)

    def cell(self, row: Any, column: int, role: int) -> Any:
        raise NotImplementedError


class HouseholdTableModel(_TableModel):
    """Households in walking order, loaded a page at a time.

    ``show_due`` adds the due column (Today); a search shows the same columns otherwise.
    """

    COL_DUE, COL_ADDRESS, COL_HEAD, COL_PHONE, COL_TAGS, COL_LAST_MET, COL_SYNC = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "Due"),
        QT_TRANSLATE_NOOP("models", "Address"),
        QT_TRANSLATE_NOOP("models", "Head"),
        QT_TRANSLATE_NOOP("models", "Phone"),
        QT_TRANSLATE_NOOP("models", "Care tags"),
        QT_TRANSLATE_NOOP("models", "Last met"),
        QT_TRANSLATE_NOOP("models", "Sync"),
    )
    # the first page of a new query is shown (argument: the generation)
    loaded = Signal(int)

    def __init__(self, tasks: TaskManager, today: Callable[[], dt.date], parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._today = today
        self._loader: PageLoader | None = None
        self._more = False
        self._loading = False
        self._after: tuple[int, str, uuid.UUID] | None = None
        self.generation = 0

    def load(self, loader: PageLoader, rows: int = PAGE_SIZE) -> int:
        """Show a new query; the old rows stay until its first page arrives. Stale answers are dropped.
        ``rows``: how many to read first (a reload reads as many as were on screen)."""
        self.generation += 1
        generation = self.generation
        self._loader = loader
        self._loading = True

        def run() -> Page | None:
            if generation != self.generation:  # a newer keystroke already replaced this query
                return None
            return loader(None, rows)

        self._tasks.read(run, lambda page: self._on_first_page(generation, page), owner=self)
        return generation

    def _on_first_page(self, generation: int, page: Page | None) -> None:
        if generation != self.generation or page is None:
            return
        self._loading = False
        self._more = page.more
        self._after = page.after
        self.set_rows(page.rows)
        self.loaded.emit(generation)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._loading or self._loader is None:
            return
        self._loading = True
        generation, loader, after = self.generation, self._loader, self._after
        self._tasks.read(
            lambda: loader(after, PAGE_SIZE), lambda page: self._on_next_page(generation, page), owner=self
        )

    def _on_next_page(self, generation: int, page: Page) -> None:
        if generation != self.generation:
            return
        self._loading = False
        self._more = page.more
        self._after = page.after or self._after
        if page.rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()

    def has_more(self) -> bool:
        return self._more

    def set_matches(self, generation: int, rows: list[HouseholdRow]) -> None:
        """What matched, for rows already shown (a search's first page shows before its reasons)."""
        if generation != self.generation:
            return
        by_id = {r.id: r for r in rows}
        changed = [i for i, r in enumerate(self._rows) if r.id in by_id and by_id[r.id].match != r.match]
        for i in changed:
            self._rows[i] = replace(self._rows[i], match=by_id[self._rows[i].id].match)
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), self.columnCount() - 1))

    def cell(self, row: HouseholdRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_DUE:
                return labels.due_text(row.due_on, self._today(), row.last_met_on)
            if column == self.COL_ADDRESS:
                return labels.address(row.compound, row.building, row.unit, row.room)
            if column == self.COL_HEAD:
                return row.head_name
            if column == self.COL_PHONE:
                return mask_phone(row.phone)
            if column == self.COL_TAGS:
                return " · ".join(t for t in (match_text(row.match), labels.tags(row.tags)) if t)
            if column == self.COL_LAST_MET:
                return labels.date(row.last_met_on) or "—"
            if column == self.COL_SYNC:  # only what is not yet on the server, so it stands out
                return "" if row.sync_state == "applied" else labels.sync_state(row.sync_state)
        elif role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_DUE and row.due_on < self._today():
                return QBrush(OVERDUE)
            if column == self.COL_SYNC and row.sync_state != "applied":
                return QBrush(OVERDUE if row.sync_state in ("rejected", "conflict") else UNSENT)
        elif role == SORT_ROLE:
            return row.walk_key
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_ADDRESS:
            return labels.long_address(row.compound, row.building, row.unit, row.room)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_TAGS and (row.tags or row.match):
            return "\n".join(t for t in (match_text(row.match), labels.tags(row.tags)) if t)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_HEAD and row.match:
            return match_text(row.match)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_SYNC:
            return labels.sync_state(row.sync_state)
        return None


class MembersModel(_TableModel):
    COL_NAME, COL_RELATION, COL_SEX_AGE, COL_PHONE, COL_ID, COL_SYNC = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "Name"),
        QT_TRANSLATE_NOOP("models", "Relation"),
        QT_TRANSLATE_NOOP("models", "Sex, age"),
        QT_TRANSLATE_NOOP("models", "Phone"),
        QT_TRANSLATE_NOOP("models", "ID number"),
        QT_TRANSLATE_NOOP("models", "Sync"),
    )

    def __init__(self, parent: Any = None, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self._today = today
        # (person id, field) shown in full for now (the household panel's Show; recorded)
        self._revealed: set[tuple[uuid.UUID, str]] = set()

    def set_revealed(self, revealed: set[tuple[uuid.UUID, str]]) -> None:
        if revealed != self._revealed:
            self._revealed = set(revealed)
            if self.rowCount():
                self.dataChanged.emit(self.index(0, self.COL_PHONE), self.index(self.rowCount() - 1, self.COL_ID))

    def shown(self, m: MemberRow, field: str) -> str:
        """The member's phone or ID number as the table shows it: masked unless revealed."""
        value = m.phone if field == "phone" else m.id_number
        if (m.id, field) in self._revealed:
            return value
        return mask_phone(value) if field == "phone" else mask_id_number(value)

    def cell(self, m: MemberRow, column: int, role: int) -> Any:
        if role == SORT_ROLE and column == self.COL_SEX_AGE:
            return m.birth_date.isoformat() if m.birth_date else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_SEX_AGE:
            return labels.date(m.birth_date) or None
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return (
                m.name,
                labels.relation(m.relation),
                labels.sex_age(m.sex, m.birth_date, self._today()),
                self.shown(m, "phone"),
                self.shown(m, "id_number"),  # masked unless revealed (and recorded)
                labels.sync_state(m.sync_state),
            )[column]
        return None


def visit_articles(articles: Sequence[VisitArticleRow], separator: str = " · ") -> str:
    """'Explained: 低保怎么申请、医保缴费 · Handed out: 低保怎么申请' (a withdrawn article by its title then)."""
    parts = []
    for action, caption in (
        ("explained", QT_TRANSLATE_NOOP("models", "Explained: %1")),
        ("handed_out", QT_TRANSLATE_NOOP("models", "Handed out: %1")),
    ):
        titles = [a.title or "?" for a in articles if a.action == action]
        if titles:
            parts.append(QCoreApplication.translate("models", caption).replace("%1", "、".join(titles)))
    return separator.join(parts)


class VisitsModel(_TableModel):
    # the review beside the outcome: the visits' table is the narrower half of the screen
    COL_WHEN, COL_OUTCOME, COL_REVIEW, COL_SEEN, COL_GUIDE, COL_NOTES, COL_REQUESTS, COL_SYNC = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "When"),
        QT_TRANSLATE_NOOP("models", "Outcome"),
        QT_TRANSLATE_NOOP("models", "Review"),
        QT_TRANSLATE_NOOP("models", "Seen"),
        QT_TRANSLATE_NOOP("models", "Policy guide"),
        QT_TRANSLATE_NOOP("models", "Notes"),
        QT_TRANSLATE_NOOP("models", "Requests"),
        QT_TRANSLATE_NOOP("models", "Sync"),
    )

    def cell(self, v: VisitRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_WHEN:
                text = labels.local_datetime(v.visited_at)
                if v.amends_id:
                    text += " " + QCoreApplication.translate("models", "(correction)")
                return text
            if column == self.COL_OUTCOME:
                text = labels.outcome(v.outcome)
                if v.amended_by:
                    text += " " + QCoreApplication.translate("models", "(corrected later)")
                return text
            if column == self.COL_SEEN:
                return "、".join(v.seen)
            if column == self.COL_NOTES:
                return v.notes
            if column == self.COL_REQUESTS:
                return "、".join(labels.category(r.category) for r in v.requests)
            if column == self.COL_GUIDE:
                return visit_articles(v.articles)
            if column == self.COL_REVIEW:
                return review_words.state(v.review_state)
            if column == self.COL_SYNC:
                return labels.sync_state(v.sync_state)
        elif role == SORT_ROLE:
            return (
                v.visited_at.isoformat()
                if column == self.COL_WHEN
                else self.cell(v, column, Qt.ItemDataRole.DisplayRole)
            )
        elif role == Qt.ItemDataRole.ForegroundRole:
            if v.amended_by and column in (self.COL_WHEN, self.COL_OUTCOME):
                return QBrush(QColor("#777777"))
            if column == self.COL_SYNC and v.sync_state != "applied":
                return QBrush(UNSENT)
            if column == self.COL_REVIEW and v.review_state in REVIEW_COLOURS:
                return QBrush(QColor(REVIEW_COLOURS[v.review_state]))
        elif role == Qt.ItemDataRole.FontRole and column == self.COL_REVIEW and v.review_state == "returned":
            font = QFont()
            font.setBold(True)
            return font
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_REVIEW and v.review_state == "returned":
            return review_words.returned_text(v.review_reason, v.review_comment)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_NOTES:
            return v.notes or None
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.COL_GUIDE:
            return visit_articles(v.articles, "\n") or None
        return None


class RequestsModel(_TableModel):
    COL_CATEGORY, COL_DESCRIPTION, COL_URGENCY, COL_STATUS, COL_DUE, COL_SYNC = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "Category"),
        QT_TRANSLATE_NOOP("models", "Description"),
        QT_TRANSLATE_NOOP("models", "Urgency"),
        QT_TRANSLATE_NOOP("models", "Status"),
        QT_TRANSLATE_NOOP("models", "Due"),
        QT_TRANSLATE_NOOP("models", "Sync"),
    )

    def cell(self, r: RequestRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return (
                labels.category(r.category),
                r.description,
                labels.urgency(r.urgency),
                labels.status(r.status),
                labels.date(r.due_on),
                labels.sync_state(r.sync_state),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_DESCRIPTION and r.description:
            return r.description
        return None


class NewRequestsModel(_TableModel):
    """The requests being added in the visit form (not yet saved): category, urgency, description."""

    COL_CATEGORY, COL_URGENCY, COL_DESCRIPTION = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "Category"),
        QT_TRANSLATE_NOOP("models", "Urgency"),
        QT_TRANSLATE_NOOP("models", "Description"),
    )

    def cell(self, r: Any, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return (labels.category(r.category), labels.urgency(r.urgency), r.description)[column]
        return None

    def append(self, request: Any) -> None:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(request)
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def requests(self) -> list[Any]:
        return list(self._rows)


def match_text(match: tuple[str, ...]) -> str:
    """Why a search found a household its row does not explain: 成员 张思琪, 张思琪的电话 138…"""
    if len(match) != 3:
        return ""
    field, member, value = match
    shown = {"id_number": mask_id_number, "phone": mask_phone}.get(field, str)(value)
    if field == "name":
        template = QCoreApplication.translate("models", "Member %1")
    elif field == "phone" and member:
        template = QCoreApplication.translate("models", "Phone of %2: %1")
    elif field == "phone":
        template = QCoreApplication.translate("models", "Phone %1")
    else:
        template = QCoreApplication.translate("models", "ID number of %2: %1")
    return template.replace("%1", shown).replace("%2", member)


class OutboxModel(_TableModel):
    """Changes not yet accepted: what changed (not just its kind), where, when, and the server's
    answer in the user's language. The server's code is for support: the page's detail line shows it."""

    COL_SEQ, COL_KIND, COL_HOUSEHOLD, COL_CREATED, COL_STATE, COL_REASON = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "No."),
        QT_TRANSLATE_NOOP("models", "Change"),
        QT_TRANSLATE_NOOP("models", "Household"),
        QT_TRANSLATE_NOOP("models", "Created"),
        QT_TRANSLATE_NOOP("models", "State"),
        QT_TRANSLATE_NOOP("models", "Reason"),
    )
    STATE_COLOURS: ClassVar[dict[str, QColor]] = {"rejected": OVERDUE, "conflict": UNSENT}

    def cell(self, r: OutboxRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(r.seq),
                changes.summary(r),
                r.household or QCoreApplication.translate("models", "(no longer on this laptop)"),
                labels.local_datetime(r.created_at),
                labels.sync_state(r.state),
                changes.reason(r) if r.state != "pending" else "",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_KIND:
            return changes.summary(r, full=True)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_REASON and r.state != "pending":
            return changes.reason(r)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_STATE and r.state in self.STATE_COLOURS:
            return QBrush(self.STATE_COLOURS[r.state])
        if role == SORT_ROLE:
            return r.seq if column == self.COL_SEQ else self.cell(r, column, Qt.ItemDataRole.DisplayRole)
        return None


class CardIssuesModel(_TableModel):
    """The contact cards a household received, oldest first."""

    COL_WHEN, COL_WHOSE, COL_LAYOUT, COL_SYNC = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("models", "Given"),
        QT_TRANSLATE_NOOP("models", "Whose card"),
        QT_TRANSLATE_NOOP("models", "Printed as"),
        QT_TRANSLATE_NOOP("models", "Sync"),
    )
    LAYOUTS: ClassVar[dict[str, str]] = {
        "single": QT_TRANSLATE_NOOP("models", "Single card"),
        "sheet": QT_TRANSLATE_NOOP("models", "A4 sheet"),
        "poster": QT_TRANSLATE_NOOP("models", "A3 poster"),
    }

    def cell(self, c: CardIssueRow, column: int, role: int) -> Any:
        if role == SORT_ROLE and column == self.COL_WHEN:
            return c.issued_at.isoformat()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            layout = QCoreApplication.translate("models", self.LAYOUTS.get(c.layout, c.layout))
            if c.reprint:
                layout = QCoreApplication.translate("models", "%1, reprint").replace("%1", layout)
            return (
                labels.local_datetime(c.issued_at),
                c.card_user_name or "—",
                layout,
                labels.sync_state(c.sync_state),
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_SYNC and c.sync_state != "applied":
            return QBrush(UNSENT)
        return None
