"""One household: who lives there, its care tags, the micro-grid liaison, visits and requests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.rows import (
    CardIssueRow,
    HouseholdDetail,
    MemberRow,
    OutboxRow,
    RequestRow,
    ReturnedVisitRow,
    VisitRow,
)
from gridworker.ui import changes, labels, review_words
from gridworker.ui.context import AppContext
from gridworker.ui.forms import ERROR_STYLE
from gridworker.ui.models import (
    RECORD_ROLE,
    SORT_ROLE,
    CardIssuesModel,
    MembersModel,
    RequestsModel,
    VisitsModel,
    _TableModel,
    visit_articles,
)
from gridworker.ui.request_history import RequestHistory
from gridworker.ui.reveal import REVEAL_SECONDS, Revealer
from gridworker.ui.widgets import FlowLayout, HeadingLabel
from gridworker_shared.domain.masking import mask_phone


def make_table(model: _TableModel, stretch: int | None = None, sortable: bool = True) -> QTableView:
    view = QTableView()
    if sortable:
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return view


class HouseholdPanel(QWidget):
    """Shows one household; asks the window to record a visit or edit through signals."""

    visit_requested = Signal(object)  # HouseholdDetail
    amend_requested = Signal(object, object)  # HouseholdDetail, VisitRow
    edit_requested = Signal(object)  # HouseholdDetail
    card_requested = Signal(object)  # HouseholdDetail: print its contact card
    loaded = Signal(object)  # uuid.UUID

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: HouseholdDetail | None = None
        self._wanted: uuid.UUID | None = None
        # ID numbers and phones masked; Show records the look, then shows the value for a while
        self.revealer = Revealer(ctx, self)
        self._scroll_to: tuple[uuid.UUID, str] | None = None
        self.revealer.changed.connect(self._show_revealed)
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 0, 0, 0)

        self.title = HeadingLabel(factor=1.3)
        self.title.setObjectName("household_title")
        self.title.setWordWrap(True)
        root.addWidget(self.title)

        root.addLayout(self._facts_grid())
        self.fact_labels["attention"].setStyleSheet(ERROR_STYLE)
        self._show_attention([])

        root.addLayout(self._action_buttons())

        self.tabs = QTabWidget()
        self.members_model = MembersModel(self, ctx.today)
        self.visits_model = VisitsModel(self)
        self.requests_model = RequestsModel(self)
        self.members_view = make_table(self.members_model)
        self.visits_view = make_table(self.visits_model, stretch=VisitsModel.COL_NOTES)
        self.visits_view.doubleClicked.connect(self._ask_amend)
        # the guide's articles of a visit can be many: a fixed width, elided, the whole list in the tooltip
        header = self.visits_view.horizontalHeader()
        header.setSectionResizeMode(VisitsModel.COL_GUIDE, QHeaderView.ResizeMode.Interactive)
        self.visits_view.setColumnWidth(VisitsModel.COL_GUIDE, self.fontMetrics().horizontalAdvance("M") * 14)
        self.requests_view = make_table(self.requests_model, stretch=RequestsModel.COL_DESCRIPTION)
        self.requests_view.setObjectName("requests")
        # urgency and due date are in the detail below: the description keeps the room
        for col in (RequestsModel.COL_URGENCY, RequestsModel.COL_DUE):
            self.requests_view.setColumnHidden(col, True)
        self.cards_model = CardIssuesModel(self)
        self.cards_view = make_table(self.cards_model, stretch=CardIssuesModel.COL_LAYOUT)
        self.cards_view.setObjectName("card_history")
        self.tabs.addTab(self._members_tab(), self.tr("Members"))
        visits_tab = QWidget()
        vlay = QVBoxLayout(visits_tab)
        vlay.setContentsMargins(0, 0, 0, 0)
        vlay.addWidget(self.visits_view, 1)
        # the chosen visit (else the latest) in full: its notes and the guide articles, wrapped
        self.visit_detail = QLabel()
        self.visit_detail.setObjectName("visit_detail")
        self.visit_detail.setWordWrap(True)
        self.visit_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.visit_detail.setStyleSheet("color: #333; padding: 2px;")
        vlay.addWidget(self.visit_detail)
        self.visits_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_visit_detail())
        self.tabs.addTab(visits_tab, self.tr("Visits"))
        requests_tab = QWidget()
        rlay = QVBoxLayout(requests_tab)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.requests_view, 1)
        # the chosen request (else the first) in full: what the worker typed, wrapped
        self.request_detail = QLabel()
        self.request_detail.setObjectName("request_detail")
        self.request_detail.setWordWrap(True)
        self.request_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_detail.setStyleSheet("color: #333; padding: 2px;")
        rlay.addWidget(self.request_detail)
        # its flow: status, department, deadline (red when overdue) and every step
        self.request_history = RequestHistory(ctx)
        rlay.addWidget(self.request_history)
        self.requests_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_request_detail())
        self.tabs.addTab(requests_tab, self.tr("Requests"))
        self.tabs.addTab(self.cards_view, self.tr("Cards"))
        root.addWidget(self.tabs, 1)
        self.ctx.events.household_changed.connect(self.on_household_changed)
        self._set_enabled(False)
        self.title.setText(self.tr("Choose a household from the list."))

    def _facts_grid(self) -> QGridLayout:
        """The household's facts, one a row (phones masked, Show beside them)."""
        # one fact a row: the panel is the narrower half of the screen, and values wrap less
        facts = QGridLayout()
        facts.setVerticalSpacing(2)
        self.fact_labels: dict[str, QLabel] = {}
        names = (
            ("phone", self.tr("Phone")),
            ("tags", self.tr("Care tags")),
            ("due", self.tr("Next visit")),
            ("liaison", self.tr("Building liaison")),
            ("grid", self.tr("Grid")),
            ("card", self.tr("Contact card")),
            ("notes", self.tr("Notes")),
            ("attention", self.tr("Needs attention")),
        )
        for i, (key, text) in enumerate(names):
            caption = QLabel(text + "：" if self._chinese() else text + ":")
            caption.setStyleSheet("color: #555;")
            value = QLabel()
            value.setObjectName(f"fact_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addWidget(caption, i, 0, Qt.AlignmentFlag.AlignTop)
            if key in ("phone", "liaison"):
                facts.addLayout(self._phone_row(value, key), i, 1)
            else:
                facts.addWidget(value, i, 1)
            self.fact_labels[key] = value
        facts.setColumnStretch(1, 1)
        caption_item = facts.itemAtPosition(len(names) - 1, 0)
        self._attention_caption = caption_item.widget() if caption_item is not None else None
        return facts

    def _phone_row(self, value: QLabel, key: str) -> QHBoxLayout:
        """The household's (or its building liaison's) phone, masked, and Show beside it."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(value, 1)  # the Show buttons in a column at the right, the value wraps beside them
        button = self._reveal_button(f"reveal_{key}_phone", self.tr("Show"))
        button.setToolTip(
            self.tr("Show the full phone number for %n second(s); the look is recorded", "", REVEAL_SECONDS)
        )
        if key == "phone":
            self.reveal_phone_button = button
            button.clicked.connect(lambda: self._reveal(None, "phone"))
        else:
            self.reveal_liaison_button = button
            # the liaison is recorded as a look at the household's building liaison (no personal data)
            button.clicked.connect(lambda: self._reveal(None, "phone", what="楼栋长电话", key="liaison"))
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _reveal_button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setVisible(self.revealer.allowed)
        return button

    def _members_tab(self) -> QWidget:
        """The members, their phones and ID numbers masked; Show for the chosen member's."""
        tab = QWidget()
        lay = QVBoxLayout(tab)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.members_view, 1)
        row = QHBoxLayout()
        self.reveal_member_phone = self._reveal_button("reveal_member_phone", self.tr("Show phone"))
        self.reveal_member_id = self._reveal_button("reveal_member_id", self.tr("Show ID number"))
        for button, field in ((self.reveal_member_phone, "phone"), (self.reveal_member_id, "id_number")):
            button.setToolTip(
                self.tr(
                    "Show the chosen member's value in full for %n second(s); the look is recorded", "", REVEAL_SECONDS
                )
            )
            button.clicked.connect(lambda _=False, f=field: self._reveal_member(f))
            row.addWidget(button)
        row.addStretch(1)
        lay.addLayout(row)
        self.members_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_reveal_buttons())
        return tab

    def selected_member(self) -> MemberRow | None:
        index = self.members_view.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, MemberRow) else None

    def _reveal_member(self, field: str) -> None:
        member = self.selected_member()
        if member is None and self.detail is not None and len(self.detail.members) == 1:
            member = self.detail.members[0]
        if member is not None:
            self._scroll_to = (member.id, field)
            self._reveal(member.id, field)

    def _reveal(self, person_id: uuid.UUID | None, field: str, what: str = "", key: str = "") -> None:
        if (detail := self.current()) is not None:
            self.revealer.reveal(detail.id, person_id, field, what=what, key=key)

    def _show_revealed(self) -> None:
        """Show what is revealed now, mask the rest."""
        d = self.detail
        self.members_model.set_revealed(self.revealer.shown)
        self._scroll_to_revealed()
        if d is not None:
            full = self.revealer.is_shown(d.id, "phone")
            self.fact_labels["phone"].setText((d.phone if full else mask_phone(d.phone)) or "—")
            self.fact_labels["liaison"].setText(self._liaison_text(d, self.revealer.is_shown(d.id, "liaison")))
        self._update_reveal_buttons()

    def _scroll_to_revealed(self) -> None:
        """The value just revealed in sight (the ID number's column is often beyond the panel's edge)."""
        wanted, self._scroll_to = self._scroll_to, None
        if wanted is None or not self.revealer.is_shown(*wanted) or self.detail is None:
            return
        rows = [i for i, m in enumerate(self.detail.members) if m.id == wanted[0]]
        if rows:
            column = MembersModel.COL_ID if wanted[1] == "id_number" else MembersModel.COL_PHONE
            view_model = self.members_view.model()
            source = self.members_model.index(rows[0], column)
            index = view_model.mapFromSource(source) if hasattr(view_model, "mapFromSource") else source
            self.members_view.scrollTo(index)

    def _update_reveal_buttons(self) -> None:
        d = self.current()
        self.reveal_phone_button.setEnabled(
            d is not None and bool(d.phone) and not self.revealer.is_shown(d.id, "phone")
        )
        self.reveal_liaison_button.setEnabled(
            d is not None and bool(d.liaison_phone) and not self.revealer.is_shown(d.id, "liaison")
        )
        member = self.selected_member()
        if member is None and d is not None and len(d.members) == 1:
            member = d.members[0]
        for button, field, value in (
            (self.reveal_member_phone, "phone", member.phone if member else ""),
            (self.reveal_member_id, "id_number", member.id_number if member else ""),
        ):
            button.setEnabled(bool(value) and member is not None and not self.revealer.is_shown(member.id, field))

    def _action_buttons(self) -> FlowLayout:
        """Record a visit, edit, correct a visit, print the card: buttons and their shortcuts."""
        buttons = FlowLayout()  # wraps in a narrow panel or at a large text size
        self.visit_button = QPushButton(self.tr("Record &visit"))
        self.visit_button.setObjectName("record_visit")
        self.visit_button.setToolTip(self.tr("Record a visit to this household (Ctrl+N)"))
        self.visit_button.clicked.connect(self._ask_visit)
        self.edit_button = QPushButton(self.tr("&Edit"))
        self.edit_button.setObjectName("edit_household")
        self.edit_button.setToolTip(self.tr("Edit the household: phone, members, care tags, notes (Ctrl+E)"))
        self.edit_button.clicked.connect(self._ask_edit)
        self.amend_button = QPushButton(self.tr("Correct visi&t"))
        self.amend_button.setToolTip(self.tr("Correct the visit selected in the Visits tab (the original is kept)"))
        self.amend_button.setObjectName("amend_visit")
        self.amend_button.clicked.connect(self._ask_amend)
        self.card_button = QPushButton(self.tr("&Print contact card…"))
        self.card_button.setObjectName("print_card")
        self.card_button.setToolTip(self.tr("Print this household's contact card, with its address (Ctrl+P)"))
        self.card_button.clicked.connect(self._ask_card)
        for b in (self.visit_button, self.edit_button, self.amend_button, self.card_button):
            buttons.addWidget(b)
        QShortcut(
            QKeySequence("Ctrl+N"),
            self,
            self._ask_visit,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence("Ctrl+E"),
            self,
            self._ask_edit,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence.StandardKey.Print,
            self,
            self._ask_card,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        return buttons

    @staticmethod
    def _chinese() -> bool:
        from PySide6.QtCore import QLocale

        return QLocale().language() == QLocale.Language.Chinese

    def _set_enabled(self, on: bool) -> None:
        for w in (self.visit_button, self.edit_button, self.amend_button, self.card_button, self.tabs):
            w.setEnabled(on)
        self._update_reveal_buttons()

    def show_household(self, household_id: uuid.UUID) -> None:
        self._wanted = household_id
        if self.detail is None or self.detail.id != household_id:
            self.revealer.forget()  # what was shown of the previous household is masked again
            self._set_enabled(False)  # no action on the previous household while this one loads
        reader = self.ctx.reader
        self.ctx.tasks.read(lambda: reader.household_detail(household_id), self._on_loaded)

    def on_household_changed(self, household_id: uuid.UUID) -> None:
        if self.detail is not None and self.detail.id == household_id:
            self.show_household(household_id)

    def _on_loaded(self, detail: HouseholdDetail | None) -> None:
        if detail is None or detail.id != self._wanted:
            return
        self.detail = detail
        d = detail
        self.title.setText(f"{labels.long_address(d.compound, d.building, d.unit, d.room)}　{d.head_name}")
        self.fact_labels["phone"].setText(mask_phone(d.phone) or "—")
        self.fact_labels["tags"].setText(labels.tags(d.tags) or "—")
        every = self.tr("every %n day(s)", "", d.visit_interval_days)
        self.fact_labels["due"].setText(f"{labels.due_text(d.due_on, self.ctx.today(), d.last_met_on)}（{every}）")
        self.fact_labels["liaison"].setText(self._liaison_text(d, False))
        self.fact_labels["grid"].setText(d.grid_name)
        self.fact_labels["card"].setText(self.card_text(d.cards))
        self.fact_labels["notes"].setText(d.notes or "—")
        self.members_model.set_rows(list(d.members))
        self._show_revealed()
        self.visits_model.set_rows(list(d.visits))
        self.requests_model.set_rows(list(d.requests))
        self.cards_model.set_rows(list(d.cards))
        self._show_visit_detail()
        self._show_request_detail()
        self.tabs.setTabText(0, self.tr("Members (%1)").replace("%1", str(len(d.members))))
        self.tabs.setTabText(1, self.tr("Visits (%1)").replace("%1", str(len(d.visits))))
        self.tabs.setTabText(2, self.tr("Requests (%1)").replace("%1", str(len(d.requests))))
        self.tabs.setTabText(3, self.tr("Cards (%1)").replace("%1", str(len(d.cards))))
        self._set_enabled(True)
        reader, hid = self.ctx.reader, d.id
        self.ctx.tasks.read(
            lambda: (
                [r for r in reader.outbox_rows() if r.household_id == hid and r.state != "pending"],
                reader.returned_visits(hid),
            ),
            lambda rows: self._show_attention(*rows) if self.detail is not None and self.detail.id == hid else None,
            owner=self,
        )
        self.loaded.emit(d.id)

    def _show_attention(self, rows: list[OutboxRow], returned: Sequence[ReturnedVisitRow] = ()) -> None:
        """This household's visits the reviewer returned, and its changes the server set aside, with
        both values of a conflict: the worker sees here what the Unsent page explains in full."""
        lines = [
            self.tr("Visit of %1: %2")
            .replace("%1", labels.local_datetime(v.visited_at))
            .replace("%2", review_words.returned_text(v.reason, v.comment))
            for v in returned
        ]
        for r in rows:
            pairs = changes.conflicts(r)
            if pairs:
                lines += [
                    self.tr("%1: kept %2; other value %3 (for review)")
                    .replace("%1", field)
                    .replace("%2", kept)
                    .replace("%3", other)
                    for field, kept, other in pairs
                ]
            else:
                lines.append(f"{changes.summary(r)} — {changes.reason(r)}")
        if returned:
            lines.append(self.tr("Choose the visit in the Visits tab and correct it."))
        if rows:
            lines.append(self.tr("See Unsent to acknowledge."))
        label = self.fact_labels["attention"]
        label.setText("\n".join(lines))
        label.setVisible(bool(lines))
        if self._attention_caption is not None:
            self._attention_caption.setVisible(bool(lines))

    def _show_visit_detail(self) -> None:
        visit = self.selected_visit()
        if visit is None and self.detail is not None and self.detail.visits:
            visit = self.detail.visits[0]  # the latest
        if visit is None:
            self.visit_detail.clear()
            self.visit_detail.hide()
            return
        lines = [labels.local_datetime(visit.visited_at) + "　" + labels.outcome(visit.outcome)]
        lines[0] += "　" + self.tr("Review: %1").replace("%1", review_words.state(visit.review_state))
        if visit.review_state == "returned":
            lines.append(review_words.returned_text(visit.review_reason, visit.review_comment))
            if visit.review_pins:
                lines.append(self.tr("To correct: %1").replace("%1", review_words.pins(visit.review_pins)))
        if visit.notes:
            lines.append(visit.notes)
        guide = visit_articles(visit.articles, "\n")
        lines.append(self.tr("Policy guide: %1").replace("%1", guide) if guide else self.tr("Policy guide: none"))
        self.visit_detail.setText("\n".join(lines))
        self.visit_detail.show()

    def _show_request_detail(self) -> None:
        index = self.requests_view.currentIndex()
        request = index.data(RECORD_ROLE) if index.isValid() else None
        if not isinstance(request, RequestRow) and self.detail is not None and self.detail.requests:
            request = self.detail.requests[0]
        self.request_history.show_request(self.detail.id if self.detail else None, getattr(request, "id", None))
        if not isinstance(request, RequestRow):
            self.request_detail.clear()
            self.request_detail.hide()
            return
        r = request
        head = "　".join(
            (
                labels.category(r.category),
                labels.urgency(r.urgency),
                labels.status(r.status),
                self.tr("due %1").replace("%1", labels.date(r.due_on)),
                labels.sync_state(r.sync_state),
            )
        )
        self.request_detail.setText(f"{head}\n{r.description}" if r.description else head)
        self.request_detail.show()

    @staticmethod
    def _liaison_text(d: HouseholdDetail, full: bool) -> str:
        phone = d.liaison_phone if full else mask_phone(d.liaison_phone)
        liaison = f"{d.liaison_name} {phone}".strip()
        return f"{liaison}（{d.micro_grid_name}）" if liaison else "—"

    def card_text(self, cards: tuple[CardIssueRow, ...]) -> str:
        """'Given 2026-11-20 · reprinted 1 time(s)' (当面发放的联系卡), or that none was given yet."""
        if not cards:
            return self.tr("Not given yet")
        first = labels.local_datetime(cards[0].issued_at)[:10]
        text = self.tr("Given %1").replace("%1", first)
        reprints = sum(1 for c in cards if c.reprint)
        if reprints:
            text += " · " + self.tr("reprinted %n time(s)", "", reprints)
        if any(c.sync_state == "pending" for c in cards):
            text += " · " + labels.sync_state("pending")
        return text

    def current(self) -> HouseholdDetail | None:
        """The household on screen, if it is the one asked for (not one still being replaced)."""
        if self.detail is not None and self.detail.id == self._wanted:
            return self.detail
        return None

    def _ask_edit(self) -> None:
        if (detail := self.current()) is not None:
            self.edit_requested.emit(detail)

    def _ask_card(self) -> None:
        if (detail := self.current()) is not None:
            self.card_requested.emit(detail)

    def _ask_visit(self) -> None:
        if (detail := self.current()) is not None:
            self.visit_requested.emit(detail)

    def selected_visit(self) -> VisitRow | None:
        index = self.visits_view.currentIndex()
        if not index.isValid():
            return None
        record = index.data(RECORD_ROLE)
        return record if isinstance(record, VisitRow) else None

    def _ask_amend(self) -> None:
        detail, visit = self.current(), self.selected_visit()
        if detail is not None and visit is not None:
            # a corrected visit is corrected again through its latest correction
            by_id = {v.id: v for v in detail.visits}
            while visit.amended_by is not None and visit.amended_by in by_id:
                visit = by_id[visit.amended_by]
            self.amend_requested.emit(detail, visit)
        elif detail is not None:
            self.tabs.setCurrentIndex(1)
            self.visits_view.setFocus()
