"""Editing household facts and members. Each save is one action with its outbox entry; a bad value
is shown at its field and nothing is saved."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.rows import HouseholdDetail, MemberRow
from gridworker.ui import labels
from gridworker.ui.context import AppContext
from gridworker.ui.forms import ERROR_STYLE, FieldErrors
from gridworker.ui.household_panel import make_table
from gridworker.ui.i18n import error_text
from gridworker.ui.models import RECORD_ROLE, MembersModel
from gridworker.ui.reveal import record_access
from gridworker_shared.domain.codes import CARE_TAGS, QT_TRANSLATE_NOOP, RELATIONS, SEXES, visit_interval_for
from gridworker_shared.domain.households import PersonInput
from gridworker_shared.domain.validation import ValidationError

MSG_DATE_FORMAT = QT_TRANSLATE_NOOP("validation", "Write the date as YYYY-MM-DD, for example 1956-03-18.")


class MemberDialog(QDialog):
    """Add or edit one member. The ID number is shown in full only here, while editing (recorded on the
    access trail when the form opens on a member who has one)."""

    saved = Signal(object)

    def __init__(
        self, ctx: AppContext, household_id: uuid.UUID, member: MemberRow | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = household_id
        self.member = member
        self.result_id: uuid.UUID | None = None
        if member is not None:  # the form shows the member's numbers in full: a look on the access trail
            for field, value in (("id_number", member.id_number), ("phone", member.phone)):
                if value:
                    record_access(
                        ctx, "reveal", household_id=household_id, person_id=member.id, field=field, what="编辑成员"
                    )
        self.setWindowTitle(self.tr("Edit member") if member else self.tr("Add member"))
        root = QVBoxLayout(self)
        general = QLabel()
        root.addWidget(general)
        self.errors = FieldErrors(general)
        form = QFormLayout()
        root.addLayout(form)
        self.name = QLineEdit(member.name if member else "")
        self.name.setObjectName("name")
        self.relation = QComboBox()
        self.relation.setObjectName("relation")
        for r in RELATIONS:
            self.relation.addItem(labels.relation(r.code), r.code)
        self.relation.setCurrentIndex(max(0, self.relation.findData(member.relation if member else "other")))
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        self.sex.addItem(self.tr("(from the ID number)"), "")
        for s in SEXES:
            self.sex.addItem(labels.sex(s.code), s.code)
        self.sex.setCurrentIndex(max(0, self.sex.findData(member.sex if member else "")))
        self.id_number = QLineEdit(member.id_number if member else "")
        self.id_number.setObjectName("id_number")
        self.id_number.setPlaceholderText(self.tr("18 characters; birth date and sex are read from it"))
        self.birth = QLineEdit(member.birth_date.isoformat() if member and member.birth_date else "")
        self.birth.setObjectName("birth_date")
        self.birth.setPlaceholderText("YYYY-MM-DD")
        self.phone = QLineEdit(member.phone if member else "")
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(self.tr("Mobile or landline, e.g. 13812345678 or 0527-84361234"))
        for label, widget, field in (
            (self.tr("&Name"), self.name, "name"),
            (self.tr("&Relation"), self.relation, "relation"),
            (self.tr("&ID number"), self.id_number, "id_number"),
            (self.tr("&Sex"), self.sex, "sex"),
            (self.tr("&Birth date"), self.birth, "birth_date"),
            (self.tr("&Phone"), self.phone, "phone"),
        ):
            form.addRow(label, widget)
            form.addRow("", self.errors.add(field, widget))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def person_input(self) -> PersonInput:
        text = self.birth.text().strip()
        birth: dt.date | None = None
        if text:
            try:
                birth = dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
            except ValueError:
                raise ValidationError("birth_date", MSG_DATE_FORMAT) from None
        return PersonInput(
            name=self.name.text(),
            relation=self.relation.currentData(),
            sex=self.sex.currentData(),
            birth_date=birth,
            phone=self.phone.text(),
            id_number=self.id_number.text(),
        )

    def save(self) -> None:
        self.errors.clear()
        try:
            person = self.person_input()
        except ValidationError as e:
            self.errors.show(e)
            return
        ctx, hid, member = self.ctx, self.household_id, self.member

        def write() -> uuid.UUID:
            if member is None:
                return ctx.store.add_person(hid, person)
            ctx.store.update_person(member.id, person)
            return member.id

        self.buttons.setEnabled(False)
        self.ctx.tasks.write(write, self._on_saved, self._on_invalid)

    def _on_saved(self, person_id: uuid.UUID) -> None:
        self.result_id = person_id
        self.saved.emit(person_id)
        self.accept()

    def _on_invalid(self, error: Exception) -> None:
        self.buttons.setEnabled(True)  # try again; other errors were reported by the task manager
        if isinstance(error, ValidationError):
            self.errors.show(error)


class HouseholdEditDialog(QDialog):
    """Phone, care tags, visit interval and notes; members are added, edited and moved out here too."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, detail: HouseholdDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.changed_anything = False
        if detail.phone:  # the form shows the household's phone in full: a look on the access trail
            record_access(ctx, "reveal", household_id=detail.id, field="phone", what="编辑住户")
        self.setWindowTitle(self.tr("Edit household"))
        self.setObjectName("household_edit")
        root = QVBoxLayout(self)
        title = QLabel(f"<b>{labels.long_address(detail.compound, detail.building, detail.unit, detail.room)}</b>")
        root.addWidget(title)
        general = QLabel()
        root.addWidget(general)
        self.errors = FieldErrors(general)

        form = QFormLayout()
        root.addLayout(form)
        self.phone = QLineEdit(detail.phone)
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(self.tr("Mobile or landline, e.g. 13812345678 or 0527-84361234"))
        form.addRow(self.tr("&Phone"), self.phone)
        form.addRow("", self.errors.add("phone", self.phone))

        tags_box = QWidget()
        grid = QGridLayout(tags_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.tag_boxes: dict[str, QCheckBox] = {}
        for i, t in enumerate(CARE_TAGS):
            box = QCheckBox(labels.tag(t.code))
            box.setObjectName(f"tag_{t.code}")
            box.setChecked(t.code in detail.tags)
            box.toggled.connect(self._update_interval_hint)
            grid.addWidget(box, i // 3, i % 3)
            self.tag_boxes[t.code] = box
        form.addRow(self.tr("Care tags"), tags_box)
        form.addRow("", self.errors.add("tags", tags_box))

        interval_row = QWidget()
        il = QHBoxLayout(interval_row)
        il.setContentsMargins(0, 0, 0, 0)
        self.follow_tags = QCheckBox()
        self.follow_tags.setObjectName("follow_tags")
        self.follow_tags.setChecked(not detail.interval_fixed)
        self.interval = QSpinBox()
        self.interval.setObjectName("interval")
        self.interval.setRange(1, 365)
        self.interval.setSuffix(self.tr(" days"))
        self.interval.setValue(detail.visit_interval_days)
        self.follow_tags.toggled.connect(self._update_interval_hint)
        il.addWidget(self.follow_tags)
        il.addWidget(self.interval)
        il.addStretch()
        form.addRow(self.tr("Visit &interval"), interval_row)
        form.addRow("", self.errors.add("visit_interval_days", self.interval))

        self.notes = QPlainTextEdit(detail.notes)
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 12)
        form.addRow(self.tr("&Notes"), self.notes)
        form.addRow("", self.errors.add("notes", self.notes))

        root.addWidget(self._members_box(detail), 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        self._update_interval_hint()
        self._saving = False
        self._initial = self._values()
        em = self.fontMetrics().horizontalAdvance("M")
        screen = self.screen().availableGeometry()
        self.resize(
            min(max(980, em * 56), int(screen.width() * 0.95)), min(max(700, em * 40), int(screen.height() * 0.95))
        )

    def _members_box(self, detail: HouseholdDetail) -> QGroupBox:
        """The household's members, with add, edit and moved-out buttons."""
        members = QGroupBox(self.tr("Members"))
        ml = QVBoxLayout(members)
        self.members_model = MembersModel(self, self.ctx.today)
        self.members_model.set_rows(list(detail.members))
        self.members_view = make_table(self.members_model)
        self.members_view.setObjectName("members")
        self.members_view.doubleClicked.connect(self.edit_member)
        ml.addWidget(self.members_view)
        mb = QHBoxLayout()
        add = QPushButton(self.tr("&Add member"))
        add.setObjectName("add_member")
        add.clicked.connect(self.add_member)
        edit = QPushButton(self.tr("Edi&t member"))
        edit.setObjectName("edit_member")
        edit.clicked.connect(self.edit_member)
        remove = QPushButton(self.tr("Mark as &moved out"))
        remove.setObjectName("remove_member")
        remove.setToolTip(self.tr("The member moved out; the visit history keeps them"))
        remove.clicked.connect(self.remove_member)
        for b in (add, edit, remove):
            mb.addWidget(b)
        mb.addStretch()
        ml.addLayout(mb)
        self.member_error = QLabel()
        self.member_error.setStyleSheet(ERROR_STYLE)
        self.member_error.hide()
        ml.addWidget(self.member_error)
        return members

    def _update_interval_hint(self) -> None:
        tags = [code for code, box in self.tag_boxes.items() if box.isChecked()]
        automatic = visit_interval_for(tags)
        self.follow_tags.setText(self.tr("Follow the care tags (%1 days)").replace("%1", str(automatic)))
        if self.follow_tags.isChecked():
            self.interval.setValue(automatic)
        self.interval.setEnabled(not self.follow_tags.isChecked())

    def _values(self) -> dict[str, Any]:
        return {
            "phone": self.phone.text(),
            "notes": self.notes.toPlainText(),
            "tags": sorted(code for code, box in self.tag_boxes.items() if box.isChecked()),
            "visit_interval_days": None if self.follow_tags.isChecked() else self.interval.value(),
        }

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed in this dialog: a field left alone is not written back
        (it may have changed underneath since the dialog opened)."""
        return {k: v for k, v in self._values().items() if v != self._initial[k]}

    def save(self) -> None:
        self.errors.clear()
        ctx, hid, changes = self.ctx, self.detail.id, self.changes()
        self.buttons.setEnabled(False)
        self._saving = True
        self.ctx.tasks.write(lambda: ctx.store.update_household(hid, changes), self._on_saved, self._on_invalid)

    def reject(self) -> None:
        if self._saving:
            return  # closes when the save lands, or stays open to fix what was refused
        super().reject()

    def _on_saved(self, changed: bool) -> None:
        self._saving = False
        self.changed_anything = self.changed_anything or changed
        self._notify()
        self.saved.emit(self.detail.id)
        self.accept()

    def _on_invalid(self, error: Exception) -> None:
        self._saving = False
        self.buttons.setEnabled(True)  # try again; other errors were reported by the task manager
        if isinstance(error, ValidationError):
            self.errors.show(error)

    def _notify(self) -> None:
        self.ctx.events.household_changed.emit(self.detail.id)
        self.ctx.events.outbox_changed.emit()

    # -- members ---------------------------------------------------------------------------------

    def _selected_member(self) -> MemberRow | None:
        index = self.members_view.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, MemberRow) else None

    def add_member(self) -> MemberDialog:
        return self._member_dialog(None)

    def edit_member(self) -> None:
        member = self._selected_member()
        if member is not None:
            self._member_dialog(member)

    def _member_dialog(self, member: MemberRow | None) -> MemberDialog:
        dialog = MemberDialog(self.ctx, self.detail.id, member, self)
        dialog.saved.connect(self._on_member_saved)
        dialog.open()
        return dialog

    def _on_member_saved(self, _person_id: object) -> None:
        self._reload_members()

    def remove_member(self) -> None:
        member = self._selected_member()
        if member is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Member moved out"),
            self.tr("Mark %1 as moved out? The visit history keeps them.").replace("%1", member.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx = self.ctx
        self.ctx.tasks.write(
            lambda: ctx.store.remove_person(member.id),
            lambda _: self._reload_members(),
            self._member_invalid,
            owner=self,
        )

    def _member_invalid(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.member_error.setText(error_text(error))
            self.member_error.show()

    def _reload_members(self) -> None:
        self.member_error.hide()
        self.changed_anything = True
        self._notify()
        reader, hid = self.ctx.reader, self.detail.id
        self.ctx.tasks.read(lambda: reader.household_detail(hid), self._on_members)

    def _on_members(self, detail: HouseholdDetail | None) -> None:
        if detail is not None:
            self.detail = detail
            self.members_model.set_rows(list(detail.members))
