"""The resident's verdict on a closed request (回访), asked by the worker on the next visit.

Today lists the households with a call-back due (CallbackList, above the visits due); the visit form of
such a household asks the two questions, one keystroke each (CallbackQuestions): resolved? Y 是 /
N 否; satisfied? 1 满意 / 2 基本满意 / 3 不满意; or 0 couldn't ask. Saving the visit records the
answers as the request's ``callback`` step (``callback_failed`` for couldn't ask), right after the
visit; a question left unasked records nothing, and the call-back stays due."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.store.request_reads import CallbackHousehold, CallbackRequest, callbacks_due, callbacks_of
from gridworker.ui import labels
from gridworker.ui.context import AppContext
from gridworker.ui.request_history import SATISFACTION_LABELS, local_time
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.validation import ValidationError

if TYPE_CHECKING:
    from gridworker.store.services import LocalStore

MSG_HALF_ANSWERED = QT_TRANSLATE_NOOP(
    "validation", "Call-back: answer both questions (resolved, and satisfied), or mark that you couldn't ask."
)
HOUSEHOLD_ROLE = Qt.ItemDataRole.UserRole + 1
SATISFACTION_KEYS = {Qt.Key.Key_1: "satisfied", Qt.Key.Key_2: "basic", Qt.Key.Key_3: "dissatisfied"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


@dataclass(frozen=True)
class CallbackAnswer:
    request_id: uuid.UUID
    asked: bool  # False: the resident could not be asked (callback_failed)
    resolved: bool | None = None
    satisfaction: str = ""


@dataclass(frozen=True)
class Answers:
    """The form's call-back answers, read on the GUI thread when Save is pressed."""

    given: list[CallbackAnswer]
    error: ValidationError | None = None  # one half answered: nothing may be saved

    def record(self, store: LocalStore, save_visit: Callable[[], uuid.UUID]) -> uuid.UUID:
        """On the writer thread: refused when half answered (nothing saved, the form says why), else the
        visit, then each answer as its request's step. A step refused after the visit is saved: saving
        again keeps the one visit (its id is the form's) and records the answers then."""
        if self.error is not None:
            raise self.error
        visit = save_visit()
        for a in self.given:
            if a.asked:
                assert a.resolved is not None
                store.record_callback(a.request_id, a.resolved, a.satisfaction)
            else:
                store.callback_failed(a.request_id)
        return visit


class CallbackQuestions(QFrame):
    """One request's two questions. Keys while it has the focus: Y / N, 1 / 2 / 3, 0 couldn't ask."""

    changed = Signal()

    def __init__(self, request: CallbackRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setObjectName("callback_questions")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lay = QVBoxLayout(self)
        done = local_time(request.closed_at) if request.closed_at else ""
        what = (
            QCoreApplication.translate("requests", "Call-back: %1, done %2")
            .replace("%1", labels.category(request.category))
            .replace("%2", done)
        )
        heading = QLabel(f"<b>{html.escape(what)}</b>")
        heading.setWordWrap(True)
        lay.addWidget(heading)
        said = request.last_note or request.description
        if said:
            note = QLabel(said)
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            lay.addWidget(note)
        self.resolved = QButtonGroup(self)
        self.satisfaction = QButtonGroup(self)
        lay.addWidget(QLabel(QCoreApplication.translate("requests", "Resolved?")))
        row = QHBoxLayout()
        for i, text in enumerate(
            (QCoreApplication.translate("requests", "Y Yes"), QCoreApplication.translate("requests", "N No"))
        ):
            button = QRadioButton(text)
            self.resolved.addButton(button, i)
            row.addWidget(button)
        row.addStretch()
        lay.addLayout(row)
        lay.addWidget(QLabel(QCoreApplication.translate("requests", "Satisfied?")))
        for i, code in enumerate(SATISFACTION_LABELS):
            button = QRadioButton(f"{i + 1} {_tr(SATISFACTION_LABELS[code])}")
            self.satisfaction.addButton(button, i)
            lay.addWidget(button)
        self.not_asked = QRadioButton(QCoreApplication.translate("requests", "0 Couldn't ask"))
        self.not_asked.setObjectName("callback_not_asked")
        self.not_asked.setAutoExclusive(False)
        self.not_asked.toggled.connect(self._on_not_asked)
        lay.addWidget(self.not_asked)
        for group in (self.resolved, self.satisfaction):
            group.idToggled.connect(self._on_answered)
        for button in self.findChildren(QRadioButton):
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Y, Qt.Key.Key_N):
            self.resolved.button(0 if key == Qt.Key.Key_Y else 1).setChecked(True)
        elif key in SATISFACTION_KEYS:
            self.satisfaction.button(list(SATISFACTION_KEYS).index(Qt.Key(key))).setChecked(True)
        elif key == Qt.Key.Key_0:
            self.not_asked.setChecked(not self.not_asked.isChecked())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _on_answered(self, _id: int, checked: bool) -> None:
        if checked and self.not_asked.isChecked():
            self.not_asked.setChecked(False)
        self.changed.emit()

    def _on_not_asked(self, on: bool) -> None:
        if on:
            for group in (self.resolved, self.satisfaction):
                group.setExclusive(False)
                for button in group.buttons():
                    button.setChecked(False)
                group.setExclusive(True)
        self.changed.emit()

    def answer(self) -> CallbackAnswer | None:
        """The answer to record; None when nothing was asked. ValidationError when half answered."""
        if self.not_asked.isChecked():
            return CallbackAnswer(self.request.id, False)
        resolved, satisfied = self.resolved.checkedId(), self.satisfaction.checkedId()
        if resolved < 0 and satisfied < 0:
            return None
        if resolved < 0 or satisfied < 0:
            raise ValidationError("callback", MSG_HALF_ANSWERED)
        return CallbackAnswer(self.request.id, True, resolved == 0, list(SATISFACTION_LABELS)[satisfied])


class CallbackBox(QWidget):
    """The visit form's call-back questions, one block per request awaiting its call-back; hidden when
    the household has none."""

    loaded = Signal()

    def __init__(
        self, ctx: AppContext, household_id: uuid.UUID, ask: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callback_box")
        self.questions: list[CallbackQuestions] = []
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self.hide()
        reader = ctx.reader
        if ask:
            ctx.tasks.read(lambda: callbacks_of(reader.connection(), household_id), self._on_loaded, owner=self)

    def _on_loaded(self, requests: list[CallbackRequest]) -> None:
        for r in requests:
            q = CallbackQuestions(r, self)
            self.questions.append(q)
            self._lay.addWidget(q)
        self._lay.addStretch()
        window = self.window()
        if requests and window is not self:
            # a column beside the form (its height is the screen's already at the largest text size):
            # the form grows wider by it, within the screen
            self.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 16)
            screen = window.screen().availableGeometry()
            extra = self.width() + 12
            window.resize(min(window.width() + extra, int(screen.width() * 0.98)), window.height())
            keep = getattr(window, "keep_on_screen", None)
            if callable(keep):
                keep()
        self.setVisible(bool(requests))
        self.loaded.emit()

    def answers(self) -> Answers:
        """Every answer given, or the error of a half-answered one."""
        try:
            return Answers([a for a in (q.answer() for q in self.questions) if a is not None])
        except ValidationError as e:
            return Answers([], e)


def callback_box(ctx: AppContext, household_id: uuid.UUID, beside: QBoxLayout, ask: bool) -> CallbackBox:
    """The visit form's call-back questions in a column beside the form (``beside``: the form's row);
    none are asked when ``ask`` is false (a correction of a visit)."""
    box = CallbackBox(ctx, household_id, ask)
    beside.addWidget(box)
    return box


class CallbackList(QFrame):
    """Today: the households with a call-back due. Enter or a double click shows the household."""

    chosen = Signal(object)  # uuid.UUID of the household
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("callback_list")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("callback_heading")
        lay.addWidget(self.heading)
        self.list = QListWidget()
        self.list.setObjectName("callbacks")
        self.heading.setBuddy(self.list)
        lay.addWidget(self.list)
        self.rows: list[CallbackHousehold] = []
        self.list.itemActivated.connect(lambda item: self.chosen.emit(item.data(HOUSEHOLD_ROLE)))
        ctx.events.household_changed.connect(lambda _id: self.refresh())
        ctx.events.data_changed.connect(self.refresh)
        self.hide()

    def refresh(self) -> None:
        reader = self.ctx.reader
        self.ctx.tasks.read(lambda: callbacks_due(reader.connection()), self._on_loaded, owner=self)

    def _on_loaded(self, rows: list[CallbackHousehold]) -> None:
        self.rows = rows
        self.list.clear()
        for r in rows:
            address = labels.long_address(r.compound, r.building, r.unit, r.room)
            text = "　".join(p for p in (address, r.head_name, labels.category(r.category)) if p)
            if r.requests > 1:
                text += "　" + QCoreApplication.translate("requests", "(%1 requests)").replace("%1", str(r.requests))
            item = QListWidgetItem(text)
            item.setData(HOUSEHOLD_ROLE, r.household_id)
            self.list.addItem(item)
        self.heading.setText(
            QCoreApplication.translate("requests", "&Call-backs due: %1 (ask the resident on the visit)").replace(
                "%1", str(len(rows))
            )
        )
        shown = min(len(rows), 3)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * shown + 2 * self.list.frameWidth() + 2 if rows else 0)
        self.setVisible(bool(rows))
        self.loaded.emit()
