"""Recording a visit, from the keyboard alone. The form is saved as a draft as the user types, so a
crash or a power cut loses nothing; saving writes the visit, its requests and the outbox entry in one
transaction and drops the draft in the same one."""

from __future__ import annotations

import datetime as dt
import uuid
from time import monotonic
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.rows import HouseholdDetail, VisitRow, draft_key
from gridworker.ui import labels
from gridworker.ui.article_picker import ArticlePicker
from gridworker.ui.context import AppContext
from gridworker.ui.forms import FieldErrors
from gridworker.ui.models import NewRequestsModel
from gridworker.ui.request_callback import callback_box
from gridworker.ui.visit_parts import fit_form_area, form_area, mark_pinned, requests_box, review_banner
from gridworker.ui.widgets import PinyinComboBox
from gridworker_shared.domain.codes import OUTCOMES
from gridworker_shared.domain.households import ArticleInput, RequestInput, VisitInput
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.domain.visits import MSG_CATEGORY

DRAFT_DELAY_MS = 300
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


class VisitDialog(QDialog):
    visit_saved = Signal(object)  # uuid.UUID of the new visit
    draft_saved = Signal()
    # the request row (gridworker.ui.visit_parts.requests_box)
    category: PinyinComboBox
    urgency: QComboBox
    description: QLineEdit
    add_request_button: QPushButton
    requests_model: NewRequestsModel
    requests_view: QTableView

    def __init__(
        self,
        ctx: AppContext,
        household: HouseholdDetail,
        amends: VisitRow | None = None,
        draft: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # how long the form is open, opening to saving, on a clock a changed system time does not move
        # (a restored draft counts from when the form was opened this time)
        self.opened_at = monotonic()
        self.ctx = ctx
        self.household = household
        self.amends = amends
        self.key = draft_key(household.id, amends.id if amends else None)
        self.saved_id: uuid.UUID | None = None
        # a restored draft is work to keep: closing it asks first, like any edited form
        self._dirty = draft is not None
        self._saving = False
        # the visit's id is fixed when the form opens and kept in the draft, so saving twice (a
        # double press, a draft resurrected after a crash) records it once
        self.visit_id = uuid.UUID(draft["visit_id"]) if draft and draft.get("visit_id") else uuid.uuid4()
        self._loading = True
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self._save_draft)
        self.setWindowTitle(self.tr("Correct visit") if amends else self.tr("Record visit"))
        self.setObjectName("visit_dialog")
        self._build()
        self._fill(draft or self._from_amended(amends))
        self._loading = False
        self.outcome_buttons.buttons()[0].setFocus()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        h = self.household
        # the form on the left; the policy guide's picker opens beside it (the form keeps its height,
        # so it still fits a 1366 x 768 screen, and the picker gets the whole height for its list)
        outer = self._outer = QHBoxLayout(self)
        column = QVBoxLayout()
        outer.addLayout(column, 1)
        # the fields scroll where the screen is too short for them (22 pt, a correction's banner); the
        # Save and Cancel buttons stay below them
        self.form_area, content = form_area()
        column.addWidget(self.form_area, 1)
        root = QVBoxLayout(content)
        root.setContentsMargins(0, 0, 0, 0)
        title = QLabel(f"<b>{labels.long_address(h.compound, h.building, h.unit, h.room)}</b>　{h.head_name}")
        title.setTextFormat(Qt.TextFormat.RichText)
        root.addWidget(title)
        if self.amends:
            correcting = self.tr("Correcting the visit of %1. The original is kept; this correction points at it.")
            correcting = correcting.replace("%1", labels.local_datetime(self.amends.visited_at))
            # a returned visit: the reviewer's words above it, in one red-framed box (the form's height)
            root.addWidget(review_banner(self) or QLabel(correcting, wordWrap=True))
        self.restored_label = QLabel()
        self.restored_label.setStyleSheet("color: #1a5fb4;")
        self.restored_label.hide()
        root.addWidget(self.restored_label)
        self.general_error = QLabel()
        root.addWidget(self.general_error)
        self.errors = FieldErrors(self.general_error)

        form = QFormLayout()
        root.addLayout(form)

        self._add_outcome_row(form)
        self._add_members_row(form)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("What happened, what the household said"))
        # four lines, down to two where the screen is short (a correction's banner at 22 pt): a fixed
        # height made the rows below overlap it when the form got less than it asked for
        line = self.notes.fontMetrics().lineSpacing()
        self.notes.setMinimumHeight(line * 2 + 12)
        self.notes.setMaximumHeight(line * 4 + 12)
        self.notes.textChanged.connect(self._changed)
        self.notes.textChanged.connect(lambda: self.errors.clear_field("notes"))
        form.addRow(self.tr("&Notes"), self.notes)
        form.addRow("", self.errors.add("notes", self.notes))

        self._add_guide(form, outer)

        requests = requests_box(self)
        root.addWidget(requests)
        self.callbacks = callback_box(self.ctx, h.id, outer, ask=self.amends is None)  # 回访, beside the form

        when_row = QFormLayout()
        self.visited_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.visited_at.setObjectName("visited_at")
        self.visited_at.setCalendarPopup(True)
        self.visited_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.visited_at.dateTimeChanged.connect(self._changed)
        self.visited_at.dateTimeChanged.connect(lambda: self.errors.clear_field("visited_at"))
        when_row.addRow(self.tr("&Time of visit"), self.visited_at)
        when_row.addRow("", self.errors.add("visited_at", self.visited_at))
        root.addLayout(when_row)
        self.pinned = mark_pinned(self, form, when_row, requests)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setObjectName("save")
        save.setToolTip(self.tr("Save (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        # Enter in a field never submits the whole visit (it adds a request in the request row);
        # Ctrl+Enter saves
        self._no_default_button()
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(keys), self, self.save)
        # wider with a larger text size, never wider than the screen
        em = self.fontMetrics().horizontalAdvance("M")
        screen = self.screen().availableGeometry()
        width = min(max(860, em * 48), int(screen.width() * 0.95))
        self.resize(width, min(fit_form_area(self, content, root, width), int(screen.height() * 0.95)))

    def _no_default_button(self) -> None:
        for push in self.findChildren(QPushButton):
            push.setAutoDefault(False)
            push.setDefault(False)

    def showEvent(self, event: QShowEvent) -> None:
        # QDialogButtonBox makes its Save the dialog's default button when it is shown: undo that
        super().showEvent(event)
        self._no_default_button()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter that a field left unused (the request's text field adds its request, then passes Enter on)
        stops here: QDialog would press a default button, and the whole visit would be saved and closed."""
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not ctrl:
            event.accept()
            return
        super().keyPressEvent(event)

    def _add_outcome_row(self, form: QFormLayout) -> None:
        """The outcome: Alt+1/2/3 (mnemonics), arrow keys inside the group."""
        self.outcome_row = outcome_row = QWidget()
        row = QHBoxLayout(outcome_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.outcome_buttons = QButtonGroup(self)
        texts = {
            "met": self.tr("&1 Met"),
            "not_home": self.tr("&2 Not at home"),
            "refused": self.tr("&3 Refused"),
        }
        for i, o in enumerate(OUTCOMES):
            button = QRadioButton(texts[o.code])
            button.setObjectName(f"outcome_{o.code}")
            self.outcome_buttons.addButton(button, i)
            row.addWidget(button)
        row.addStretch()
        self.outcome_buttons.idToggled.connect(self._on_outcome_toggled)
        form.addRow(self.tr("Outcome"), outcome_row)
        form.addRow("", self.errors.add("outcome", outcome_row))

    def _add_members_row(self, form: QFormLayout) -> None:
        """The household's members to tick as seen, and a button that ticks them all."""
        h = self.household
        self.members_box = members_box = QWidget()
        mlay = QHBoxLayout(members_box)
        mlay.setContentsMargins(0, 0, 0, 0)
        self.members_model = QStandardItemModel(self)
        for m in h.members:
            item = QStandardItem(f"{m.name}（{labels.relation(m.relation)}）")
            item.setCheckable(True)
            item.setEditable(False)
            item.setData(m.id, PERSON_ROLE)
            self.members_model.appendRow(item)
        self.members_view = QListView()
        self.members_view.setObjectName("members_seen")
        self.members_view.setModel(self.members_model)
        self.members_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = max(1, min(len(h.members), 6))
        self.members_view.setMaximumHeight(self.members_view.sizeHintForRow(0) * rows + 8 if h.members else 40)
        self.members_model.itemChanged.connect(self._changed)
        self.members_model.itemChanged.connect(self._clear_fixed)
        self.everyone_button = QPushButton(self.tr("&Everyone"))
        self.everyone_button.setObjectName("everyone")
        self.everyone_button.clicked.connect(self._tick_everyone)
        mlay.addWidget(self.members_view, 1)
        mlay.addWidget(self.everyone_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(self.tr("Members seen"), members_box)
        form.addRow("", self.errors.add("seen", self.members_view))

    def _add_guide(self, form: QFormLayout, outer: QHBoxLayout) -> None:
        """The policy guide: what was explained or handed out; the toggle opens the picker beside the form."""
        self.guide_toggle = QToolButton()
        self.guide_toggle.setObjectName("guide_toggle")
        self.guide_toggle.setCheckable(True)
        self.guide_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.guide_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.guide_toggle.toggled.connect(self._on_guide_toggled)
        form.addRow(self.tr("Policy guide"), self.guide_toggle)
        form.addRow("", self.errors.add("articles", self.guide_toggle))
        self.guide_panel = QWidget()
        self.guide_panel.setObjectName("guide_panel")
        panel = QVBoxLayout(self.guide_panel)
        panel.setContentsMargins(6, 0, 0, 0)
        heading = QLabel(self.tr("Policy guide: tick what you explained or handed out"))
        heading.setWordWrap(True)
        panel.addWidget(heading)
        self.picker = ArticlePicker(self.ctx)
        self.picker.setObjectName("article_picker")
        self.picker.changed.connect(self._on_articles_changed)
        panel.addWidget(self.picker, 1)
        self.guide_panel.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 30)
        self.guide_panel.hide()
        outer.addWidget(self.guide_panel)
        self._update_guide_toggle()

    # -- state ----------------------------------------------------------------------------------

    def _from_amended(self, visit: VisitRow | None) -> dict[str, Any] | None:
        if visit is None:
            return None
        local = visit.visited_at.replace(tzinfo=dt.UTC).astimezone()
        return {
            "outcome": visit.outcome,
            "seen": [str(p) for p in visit.seen_ids],
            "notes": visit.notes,
            "requests": [],
            "articles": [
                {"id": str(a.id), "version": a.version, "action": a.action, "title": a.title} for a in visit.articles
            ],
            "visited_at": local.isoformat(),
            "restored": False,
        }

    def _fill(self, payload: dict[str, Any] | None) -> None:
        if not payload:
            return
        codes = [o.code for o in OUTCOMES]
        if payload.get("outcome") in codes:
            self.outcome_buttons.button(codes.index(payload["outcome"])).setChecked(True)
        seen = set(payload.get("seen", []))
        for row in range(self.members_model.rowCount()):
            item = self.members_model.item(row)
            item.setCheckState(
                Qt.CheckState.Checked if str(item.data(PERSON_ROLE)) in seen else Qt.CheckState.Unchecked
            )
        self.notes.setPlainText(payload.get("notes", ""))
        articles = payload.get("articles") or []
        if articles:
            self.picker.set_selection(articles)
            self._update_guide_toggle()
            self.guide_toggle.setChecked(True)
        for r in payload.get("requests", []):
            self.requests_model.append(
                RequestInput(r["category"], r.get("urgency", "normal"), r.get("description", ""), uuid.UUID(r["id"]))
            )
        pending = payload.get("pending_request") or {}
        if pending:
            self.category.setCurrentIndex(max(0, self.category.findData(pending.get("category"))))
            self.urgency.setCurrentIndex(max(0, self.urgency.findData(pending.get("urgency", "normal"))))
            self.description.setText(pending.get("description", ""))
        if payload.get("visited_at"):
            when = dt.datetime.fromisoformat(payload["visited_at"])
            self.visited_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))
        if payload.get("restored", True) and payload.get("saved_at"):
            saved = dt.datetime.fromisoformat(payload["saved_at"]).astimezone()
            self.restored_label.setText(
                self.tr("Restored the unfinished visit you were recording at %1.").replace(
                    "%1", saved.strftime("%Y-%m-%d %H:%M")
                )
            )
            self.restored_label.show()

    def outcome(self) -> str | None:
        checked = self.outcome_buttons.checkedId()
        return OUTCOMES[checked].code if checked >= 0 else None

    def seen(self) -> list[uuid.UUID]:
        out = []
        for row in range(self.members_model.rowCount()):
            item = self.members_model.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(PERSON_ROLE))
        return out

    def payload(self) -> dict[str, Any]:
        """The form as a draft."""
        return {
            "outcome": self.outcome(),
            "seen": [str(p) for p in self.seen()],
            "notes": self.notes.toPlainText(),
            "requests": [
                {"id": str(r.id), "category": r.category, "urgency": r.urgency, "description": r.description}
                for r in self.requests_model.requests()
            ],
            "articles": [{**a, "id": str(a["id"])} for a in self.picker.selection()],
            "pending_request": {
                "category": self.category.currentData(),
                "urgency": self.urgency.currentData(),
                "description": self.description.text(),
            },
            "visited_at": self._visited_at().isoformat(),
            "amends": str(self.amends.id) if self.amends else None,
            "visit_id": str(self.visit_id),
            "household": self._household_label(),
            "saved_at": dt.datetime.now().astimezone().isoformat(),
        }

    def _household_label(self) -> str:
        """Address and head, for the banner that offers the draft back."""
        h = self.household
        return f"{labels.long_address(h.compound, h.building, h.unit, h.room)}　{h.head_name}"

    def _visited_at(self) -> dt.datetime:
        secs = self.visited_at.dateTime().toSecsSinceEpoch()
        return dt.datetime.fromtimestamp(secs).astimezone()

    # -- slots ----------------------------------------------------------------------------------

    def _changed(self, *_: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self._draft_timer.start()

    def _on_outcome_toggled(self, button_id: int, checked: bool) -> None:
        if not checked:
            return
        met = OUTCOMES[button_id].code == "met"
        self.errors.clear_field("outcome")
        self.members_view.setEnabled(met)
        self.everyone_button.setEnabled(met)
        if not met:
            for row in range(self.members_model.rowCount()):
                self.members_model.item(row).setCheckState(Qt.CheckState.Unchecked)
        self._clear_fixed()
        self._changed()

    def _clear_fixed(self, *_: object) -> None:
        """An error goes as soon as what it asked for is there."""
        if self.outcome() != "met" or self.seen():
            self.errors.clear_field("seen")
        if self.category.currentData() is not None or not self.description.text().strip():
            self.errors.clear_field("requests")

    def _on_guide_toggled(self, shown: bool) -> None:
        if shown == self.guide_panel.isVisible():
            return
        self.guide_toggle.setArrowType(Qt.ArrowType.LeftArrow if shown else Qt.ArrowType.RightArrow)
        if shown:
            self.guide_panel.setFixedWidth(self._picker_width())
        extra = self.guide_panel.width() + self._outer.spacing()
        self.guide_panel.setVisible(shown)
        screen = self.screen().availableGeometry()
        width = self.width() + extra if shown else self.width() - extra
        self.resize(min(width, int(screen.width() * 0.98)), self.height())
        self.keep_on_screen()
        if shown:
            self.picker.search.setFocus()

    def keep_on_screen(self) -> None:
        """A form that grew past the screen's right or bottom edge moves back onto the screen it is on."""
        screen = self.screen().availableGeometry()
        frame = self.frameGeometry()
        dx = min(0, screen.right() - frame.right()) or max(0, screen.left() - frame.left())
        dy = min(0, screen.bottom() - frame.bottom()) or max(0, screen.top() - frame.top())
        if dx or dy:
            self.move(max(screen.left(), self.x() + dx), max(screen.top(), self.y() + dy))

    def _picker_width(self) -> int:
        """30 ems where the screen has the room beside the form, down to 16 (a large text size on a
        1366 px screen): the titles elide, the dialog stays on the screen. Never more than 45 % of the screen:
        at 22 pt the picker took 740 px and left the form its minimum (the member list scrolled sideways)."""
        em = self.fontMetrics().horizontalAdvance("M")
        screen = self.screen().availableGeometry().width()
        room = int(screen * 0.98) - self.minimumSizeHint().width()
        return max(em * 16, min(em * 30, room - self._outer.spacing(), int(screen * 0.45)))

    def _on_articles_changed(self) -> None:
        self.errors.clear_field("articles")
        self._update_guide_toggle()
        self._changed()

    def _update_guide_toggle(self) -> None:
        chosen = self.picker.selection()
        explained = sum(1 for c in chosen if c["action"] == "explained")
        handed = sum(1 for c in chosen if c["action"] == "handed_out")
        if chosen:
            text = self.tr("&Guide articles: explained %1, handed out %2")
            text = text.replace("%1", str(explained)).replace("%2", str(handed))
        else:
            text = self.tr("&Guide articles explained or handed out…")
        self.guide_toggle.setText(text)

    def articles(self) -> list[ArticleInput]:
        return [
            ArticleInput(
                a["id"] if isinstance(a["id"], uuid.UUID) else uuid.UUID(str(a["id"])),
                int(a["version"]),
                str(a["action"]),
                str(a["title"]),
            )
            for a in self.picker.selection()
        ]

    def _tick_everyone(self) -> None:
        for row in range(self.members_model.rowCount()):
            self.members_model.item(row).setCheckState(Qt.CheckState.Checked)

    def _add_request(self) -> bool:
        """Move the request typed in the add row into the list. False if there was nothing to add."""
        category = self.category.currentData()
        if category is None:
            if self.description.text().strip():
                self.errors.show(self._choose_category())
            return False
        self.requests_model.append(RequestInput(category, self.urgency.currentData(), self.description.text().strip()))
        self.category.setCurrentIndex(0)
        self.urgency.setCurrentIndex(0)
        self.description.clear()
        self.category.setFocus()
        self._changed()
        return True

    def _choose_category(self) -> ValidationError:
        return ValidationError("requests", MSG_CATEGORY, number=len(self.requests_model.requests()) + 1)

    def _remove_request(self) -> None:
        index = self.requests_view.currentIndex()
        if index.isValid():
            self.requests_model.remove(index.row())
            self._changed()

    def _save_draft(self) -> None:
        if self.saved_id is not None or self._saving:
            return
        ctx, key, hid, payload = self.ctx, self.key, self.household.id, self.payload()
        if self.is_blank():  # nothing entered (or all of it removed again): no draft, and none left behind
            self.ctx.tasks.write(lambda: ctx.store.discard_draft(key), lambda _: ctx.events.drafts_changed.emit())
            return
        self.ctx.tasks.write(lambda: ctx.store.save_draft(key, "visit", hid, payload), self._on_draft_saved, owner=self)

    def is_blank(self) -> bool:
        """Nothing entered in a new visit's form (the time of the visit is filled in by itself)."""
        return self.amends is None and not (
            self.outcome()
            or self.seen()
            or self.notes.toPlainText().strip()
            or self.requests_model.requests()
            or self.picker.selection()
            or self.category.currentData() is not None
            or self.description.text().strip()
        )

    def _on_draft_saved(self, kept: bool) -> None:
        self.ctx.events.drafts_changed.emit()
        if kept:
            self.draft_saved.emit()

    # -- save / cancel ----------------------------------------------------------------------------

    def visit_input(self) -> VisitInput:
        return VisitInput(
            household_id=self.household.id,
            outcome=self.outcome() or "",
            seen=self.seen(),
            notes=self.notes.toPlainText(),
            requests=self.requests_model.requests(),
            visited_at=self._visited_at(),
            id=self.visit_id,
            articles=self.articles(),
        )

    def save(self) -> None:
        if self.saved_id is not None or self._saving:
            return
        self.errors.clear()
        if self.category.currentData() is not None and not self._add_request():
            return
        if self.category.currentData() is None and self.description.text().strip():
            self.errors.show(self._choose_category())
            return
        visit = self.visit_input()
        ctx, key, amends, answers = self.ctx, self.key, self.amends, self.callbacks.answers()
        self._draft_timer.stop()
        self._set_form_enabled(False)
        self._saving = True

        seconds = monotonic() - self.opened_at

        def write() -> uuid.UUID:
            if amends is not None:
                return ctx.store.amend_visit(amends.id, visit, draft_key=key, form_seconds=seconds)
            return answers.record(ctx.store, lambda: ctx.store.record_visit(visit, draft_key=key, form_seconds=seconds))

        self.ctx.tasks.write(write, self._on_saved, self._on_invalid)

    def _set_form_enabled(self, on: bool) -> None:
        content = self.form_area.widget()
        for child in self.findChildren(QWidget):
            if child.parent() in (self, content) and child not in (self.general_error, self.form_area):
                child.setEnabled(on)

    def _on_saved(self, visit_id: uuid.UUID) -> None:
        self.saved_id = visit_id
        self.ctx.events.drafts_changed.emit()
        self.ctx.events.household_changed.emit(self.household.id)
        self.ctx.events.outbox_changed.emit()
        self.visit_saved.emit(visit_id)
        self.accept()

    def _on_invalid(self, error: Exception) -> None:
        self._saving = False
        self._set_form_enabled(True)  # try again; other errors were reported by the task manager
        if self._dirty:
            self._draft_timer.start()  # what was typed just before Save is kept as a draft too
        if isinstance(error, ValidationError):
            field = error.field.split(".")[0]
            self.errors.show(ValidationError(field, error.template, **error.params))

    def reject(self) -> None:
        if self._saving:
            return  # the save decides: it closes the form when it lands, or reopens it for a fix
        if self.saved_id is None and self._dirty:
            answer = QMessageBox.question(
                self,
                self.tr("Discard this visit?"),
                self.tr("The visit has not been saved. Discard what you entered?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        self._draft_timer.stop()
        if self.saved_id is None:
            ctx, key = self.ctx, self.key
            self.ctx.tasks.write(lambda: ctx.store.discard_draft(key), lambda _: ctx.events.drafts_changed.emit())
        super().reject()
