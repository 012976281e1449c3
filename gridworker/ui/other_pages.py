"""Unsent changes and Settings."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

import gridworker
from gridworker.store.rows import OutboxRow
from gridworker.ui import changes, labels
from gridworker.ui.context import AppContext
from gridworker.ui.forms import ERROR_STYLE
from gridworker.ui.household_panel import make_table
from gridworker.ui.models import RECORD_ROLE, OutboxModel
from gridworker.ui.returned import ReturnedBox
from gridworker.ui.settings import LANGUAGE, LANGUAGES, LOCK_MINUTES, LOCK_RANGE, TEXT_SIZE, TEXT_SIZES
from gridworker.ui.widgets import HeadingLabel

if TYPE_CHECKING:
    from gridworker.ui.my_card import MyCardSection


class UnsentPage(QWidget):
    """Every change not yet accepted by the server, oldest first: what needs the worker's attention (the
    server rejected it, or it met someone else's change) above, each with what was sent, what the server
    kept and what to do, until the worker acknowledges it; what waits to be sent below."""

    open_household = Signal(object)  # uuid.UUID: show the household
    redo_requested = Signal(object)  # OutboxRow: open the household's form to make the change again
    correct_requested = Signal(object)  # ReturnedVisitRow: correct a visit the reviewer returned

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)
        # what the reviewer returned for correction comes first: it is the worker's to act on
        self.returned = ReturnedBox()
        self.returned.correct_requested.connect(self.correct_requested)
        self.returned.open_household.connect(self.open_household)
        root.addWidget(self.returned, 2)

        self.attention = QWidget()
        self.attention.setObjectName("attention")
        column = QVBoxLayout(self.attention)
        column.setContentsMargins(0, 0, 0, 0)
        self.attention_heading = HeadingLabel(factor=1.15)
        self.attention_heading.setStyleSheet(ERROR_STYLE)
        column.addWidget(self.attention_heading)
        note = QLabel(
            self.tr(
                "The server did not take these changes as they are. Each stays on this laptop until you "
                "acknowledge it, and its record is never deleted. Choose one to see what was sent, what "
                "the server kept and what to do."
            )
        )
        note.setWordWrap(True)
        column.addWidget(note)
        self.attention_model = OutboxModel(self)
        self.attention_view = make_table(self.attention_model, stretch=OutboxModel.COL_REASON)
        self.attention_view.setObjectName("outbox_attention")
        for col in (OutboxModel.COL_SEQ, OutboxModel.COL_CREATED):
            self.attention_view.setColumnHidden(col, True)
        self.attention_view.selectionModel().currentRowChanged.connect(self._show_item)
        column.addWidget(self.attention_view, 1)
        column.addWidget(self._item_box())
        self.attention.hide()
        root.addWidget(self.attention, 2)

        self.pending_heading = HeadingLabel(factor=1.15)
        root.addWidget(self.pending_heading)
        self.model = OutboxModel(self)
        self.view = make_table(self.model, stretch=OutboxModel.COL_KIND)
        self.view.setObjectName("outbox")
        self.view.setColumnHidden(OutboxModel.COL_REASON, True)
        root.addWidget(self.view, 2)
        ctx.events.outbox_changed.connect(self.refresh)

    def _item_box(self) -> QWidget:
        """The chosen item in full: what was sent, what the server kept, what to do; its actions."""
        box = QFrame()
        box.setObjectName("attention_item")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        self.item_text = QLabel()
        self.item_text.setObjectName("attention_text")
        self.item_text.setWordWrap(True)
        self.item_text.setTextFormat(Qt.TextFormat.RichText)
        self.item_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.item_text)
        self.item_details = QLabel()
        self.item_details.setObjectName("attention_details")
        self.item_details.setWordWrap(True)
        self.item_details.setStyleSheet("color: #555;")
        self.item_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.item_details)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open the &household"))
        self.open_button.setObjectName("attention_open")
        self.open_button.clicked.connect(self._open)
        self.redo_button = QPushButton(self.tr("&Redo the change…"))
        self.redo_button.setObjectName("attention_redo")
        self.redo_button.clicked.connect(self._redo)
        self.ack_button = QPushButton(self.tr("&Acknowledge"))
        self.ack_button.setObjectName("attention_acknowledge")
        self.ack_button.setToolTip(self.tr("I have read this; it no longer needs my attention (its record is kept)."))
        self.ack_button.clicked.connect(self._acknowledge)
        for b in (self.open_button, self.redo_button, self.ack_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout.addLayout(buttons)
        return box

    def current_item(self) -> OutboxRow | None:
        index = self.attention_view.currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, OutboxRow) else None

    def _show_item(self, *_: object) -> None:
        row = self.current_item()
        for b in (self.open_button, self.redo_button, self.ack_button):
            b.setEnabled(row is not None)
        if row is None:
            self.item_text.clear()
            self.item_details.clear()
            return
        present = row.household_id is not None and bool(row.household)
        self.open_button.setEnabled(present)
        self.redo_button.setEnabled(present and row.kind in REDO_KINDS)
        self.item_text.setText(attention_html(row))
        self.item_details.setText(
            self.tr("For support: change no. %1, %2, code %3")
            .replace("%1", str(row.seq))
            .replace("%2", labels.local_datetime(row.created_at))
            .replace("%3", row.code or "—")
        )

    def _open(self) -> None:
        row = self.current_item()
        if row is not None and row.household_id is not None:
            self.open_household.emit(row.household_id)

    def _redo(self) -> None:
        row = self.current_item()
        if row is not None and row.household_id is not None:
            self.redo_requested.emit(row)

    def _acknowledge(self) -> None:
        row = self.current_item()
        if row is None:
            return
        seq = row.seq
        self.ctx.tasks.write(
            lambda: self.ctx.store.acknowledge(seq), lambda _: self.ctx.events.outbox_changed.emit(), owner=self
        )

    def refresh(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.outbox_rows, self._on_rows)
        self.ctx.tasks.read(self.ctx.reader.returned_visits, self.returned.set_rows, owner=self)

    def _on_rows(self, rows: list[OutboxRow]) -> None:
        waiting = [r for r in rows if r.state == "pending"]
        set_aside = [r for r in rows if r.state != "pending"]
        self.model.set_rows(waiting)
        kept = self.current_item()
        self.attention_model.set_rows(set_aside)
        view_model = self.attention_view.model()
        rows_shown = [view_model.index(i, OutboxModel.COL_KIND) for i in range(view_model.rowCount())]
        if rows_shown:
            keep = [i for i in rows_shown if kept and i.data(RECORD_ROLE).seq == kept.seq]
            self.attention_view.setCurrentIndex((keep or rows_shown)[0])
        self._show_item()
        self.attention.setVisible(bool(set_aside))
        self.attention_heading.setText(self.tr("Needs your attention (%1)").replace("%1", str(len(set_aside))))
        self.pending_heading.setText(self.tr("Waiting to be sent (%1)").replace("%1", str(len(waiting))))
        self.pending_heading.setVisible(bool(waiting))
        self.view.setVisible(bool(waiting))
        if not rows:
            self.summary.setText(self.tr("Everything you recorded has been sent."))
            return
        parts = []
        if waiting:
            parts.append(
                self.tr(
                    "%n change(s) kept safely on this laptop, waiting to be sent to the server. "
                    "Nothing here is lost if the laptop is switched off.",
                    "",
                    len(waiting),
                )
            )
        if set_aside:
            parts.append(
                self.tr(
                    "%n change(s) need your attention: the server set them aside; choose one below.",
                    "",
                    len(set_aside),
                )
            )
        self.summary.setText(" ".join(parts))


#: the changes the worker can make again from a form: the household's own facts and its members
REDO_KINDS = ("household.update", "person.create", "person.update", "person.remove")


def attention_html(row: OutboxRow) -> str:
    """One set-aside change in full, as rich text: sent, kept (both values of a conflict), what to do."""
    gone = QCoreApplication.translate("UnsentPage", "(no longer on this laptop)")
    sent = QCoreApplication.translate("UnsentPage", "You sent: %1")
    server = QCoreApplication.translate("UnsentPage", "The server: %1")
    todo = QCoreApplication.translate("UnsentPage", "What to do: %1")
    titles = (
        QCoreApplication.translate("UnsentPage", "Field"),
        QCoreApplication.translate("UnsentPage", "Kept (yours)"),
        QCoreApplication.translate("UnsentPage", "Other value (for review)"),
    )
    lines = [
        f"<b>{escape(row.household or gone)}</b>",
        escape(sent.replace("%1", changes.summary(row, full=True))),
        escape(server.replace("%1", changes.reason(row))),
    ]
    pairs = changes.conflicts(row)
    if pairs:
        head = "".join(f"<th align='left'>{escape(t)}&nbsp;&nbsp;</th>" for t in titles)
        body = "".join("<tr>" + "".join(f"<td>{escape(v)}&nbsp;&nbsp;</td>" for v in pair) + "</tr>" for pair in pairs)
        lines.append(f"<table><tr>{head}</tr>{body}</table>")
    lines.append(escape(todo.replace("%1", changes.advice(row))))
    return "<br>".join(lines)


class SettingsPage(QWidget):
    """Text size and language apply at once; where the data lives, with a way to open it; what the
    user's own contact card shows."""

    text_size_changed = Signal(int)
    language_changed = Signal(str)
    sign_out_requested = Signal()  # confirmed by the user where unsent changes exist
    lock_minutes_changed = Signal(int)  # saved already
    lock_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        # the page scrolls rather than widen the window past the screen (a large text size)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        root.addWidget(self.scroll_area)
        content = QWidget()
        self.scroll_area.setWidget(content)
        self._outer = outer = QVBoxLayout(content)
        # My contact card stands beside the settings where the screen has the room, else below them
        self._top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self._top)
        outer.addStretch()
        self._body = body = QWidget()
        body.setMaximumWidth(body.fontMetrics().horizontalAdvance("M") * 60)
        self._top.addWidget(body, 1, Qt.AlignmentFlag.AlignTop)
        self._card_column = QVBoxLayout()
        self._top.addLayout(self._card_column, 1)
        content.installEventFilter(self)
        self.scroll_area.viewport().installEventFilter(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)

        form.addRow(self.tr("Text &size"), self._text_size_row())
        self.preview = QLabel(self.tr("Preview:") + " 幸福里 3栋2单元501室　张三　13812345678")
        self.preview.setStyleSheet("color: #555;")
        self.preview.setWordWrap(True)  # whole at the largest size too
        form.addRow("", self.preview)

        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.settings.get(LANGUAGE))))
        self.language.currentIndexChanged.connect(lambda _: self.language_changed.emit(self.language.currentData()))
        form.addRow(self.tr("&Language"), self.language)
        form.addRow(self.tr("Loc&k after"), self._lock_row())

        folder = str(ctx.path.parent.parent)
        self.folder = QLineEdit(folder)
        self.folder.setReadOnly(True)
        self.folder.setObjectName("data_folder")
        open_button = QPushButton(self.tr("&Open folder"))
        open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
        copy_button = QPushButton(self.tr("&Copy path"))
        copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(folder))
        frow = QWidget()
        fl = QHBoxLayout(frow)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.folder, 1)
        fl.addWidget(open_button)
        fl.addWidget(copy_button)
        form.addRow(self.tr("Data folder"), frow)
        db_file = QLineEdit(str(ctx.path))
        db_file.setReadOnly(True)
        form.addRow(self.tr("Your database"), db_file)
        backups = QLineEdit(str(ctx.path.parent / "backups"))
        backups.setReadOnly(True)
        form.addRow(self.tr("Backups before upgrades"), backups)
        account = QWidget()
        al = QHBoxLayout(account)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(QLabel(f"{ctx.identity.name}（{ctx.identity.username}）"))
        self.sign_out_button = QPushButton(self.tr("Sign o&ut…"))
        self.sign_out_button.setObjectName("sign_out")
        self.sign_out_button.clicked.connect(self.ask_sign_out)
        self.sign_out_button.hide()  # the window shows it when the app syncs
        al.addWidget(self.sign_out_button)
        al.addStretch()
        form.addRow(self.tr("Signed in as"), account)
        form.addRow(self.tr("Grid"), QLabel(ctx.identity.grid_name))
        form.addRow(self.tr("Version"), QLabel(gridworker.__version__))
        note = QLabel(
            self.tr(
                "Each worker on a shared laptop has a separate database file. The file is written safely "
                "(every save survives a power cut); do not copy it while the app is open."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        column.addWidget(note)
        # My contact card is built when Settings is first shown: its preview loads the card painting
        # code, which start-up does not need
        self._my_card: MyCardSection | None = None
        ctx.events.data_changed.connect(self._reload_card)  # a sync may bring the card from the server

    def _lock_row(self) -> QWidget:
        """Idle minutes before the app locks itself (1 to 60: never is not offered), and Lock now."""
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lock_minutes")
        self.lock_minutes.setRange(*LOCK_RANGE)
        self.lock_minutes.setValue(max(LOCK_RANGE[0], min(LOCK_RANGE[1], self.ctx.settings.get(LOCK_MINUTES))))
        self.lock_minutes.valueChanged.connect(self._on_lock_minutes)
        rl.addWidget(self.lock_minutes)
        rl.addWidget(QLabel(self.tr("minutes without use")))
        self.lock_button = QPushButton(self.tr("Lock no&w"))
        self.lock_button.setObjectName("lock_now_button")
        self.lock_button.setToolTip("Ctrl+L")
        self.lock_button.clicked.connect(self.lock_requested)
        self.lock_button.hide()  # the app shows it where a PIN locks the data
        rl.addWidget(self.lock_button)
        rl.addStretch()
        return row

    def _on_lock_minutes(self, minutes: int) -> None:
        self.ctx.settings.set(LOCK_MINUTES, minutes)
        self.lock_minutes_changed.emit(minutes)

    def _text_size_row(self) -> QWidget:
        """A slider from small to largest between a small and a big A, and the chosen size's name."""
        size_row = QWidget()
        sl = QHBoxLayout(size_row)
        sl.setContentsMargins(0, 0, 0, 0)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setObjectName("text_size")
        self.size_slider.setRange(0, len(TEXT_SIZES) - 1)
        self.size_slider.setPageStep(1)
        self.size_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        current = self.ctx.settings.get(TEXT_SIZE)
        self.size_slider.setValue(min(range(len(TEXT_SIZES)), key=lambda i: abs(TEXT_SIZES[i] - current)))
        self.size_name = QLabel()
        sl.addWidget(QLabel("A"))
        sl.addWidget(self.size_slider, 1)
        sl.addWidget(HeadingLabel("A", factor=1.6))  # follows the text size
        sl.addWidget(self.size_name)
        self._size_names = (
            self.tr("Small"),
            self.tr("Standard"),
            self.tr("Large"),
            self.tr("Larger"),
            self.tr("Largest"),
        )
        self.size_name.setText(self._size_names[self.size_slider.value()])
        self.size_slider.valueChanged.connect(self._on_size)
        return size_row

    @property
    def my_card(self) -> MyCardSection:
        if self._my_card is None:
            from gridworker.ui.my_card import MyCardSection

            self._my_card = MyCardSection(self.ctx)
            self._card_column.addWidget(self._my_card, 0, Qt.AlignmentFlag.AlignTop)
            self._card_column.addStretch()
            self._my_card.load()
            self._arrange()
        return self._my_card

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the room changed (a resize) or what the sections need did (a text size): side by side or stacked
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._arrange()
        return super().eventFilter(watched, event)

    def _arrange(self) -> None:
        if self._my_card is None:
            return
        margins = self._outer.contentsMargins()
        needed = (
            self._body.minimumSizeHint().width()
            + self._my_card.minimumSizeHint().width()
            + self._top.spacing()
            + margins.left()
            + margins.right()
        )
        wide = needed <= self.scroll_area.viewport().width()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._top.direction() != direction:
            self._top.setDirection(direction)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.my_card  # noqa: B018 - built on first show

    def _reload_card(self) -> None:
        if self._my_card is not None and not self._my_card.has_edits():
            self._my_card.load()

    def focus_card_phone(self) -> None:
        """Settings → My contact card → phone (a card cannot be printed without it)."""
        self.my_card.phone.setFocus()

    def ask_sign_out(self) -> None:
        """Signing out forgets this laptop's token, never data; unsent changes are named first."""
        self.ctx.tasks.read(self.ctx.reader.pending_count, self._confirm_sign_out)

    def _confirm_sign_out(self, pending: int) -> None:
        if not pending:
            self.sign_out_requested.emit()
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Sign out"),
            self.tr("%n change(s) have not been sent yet.", "", pending),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("sign_out_confirm")
        box.setInformativeText(
            self.tr(
                "They stay on this laptop and are sent the next time you sign in on it. Nothing is deleted. "
                "Sign out anyway?"
            )
        )
        confirm = box.addButton(self.tr("Sign out"), QMessageBox.ButtonRole.AcceptRole)
        confirm.setObjectName("confirm_sign_out")
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.clickedButton() is confirm:
                self.sign_out_requested.emit()

        box.finished.connect(answered)
        self.sign_out_box = box
        box.open()

    def _on_size(self, index: int) -> None:
        self.size_name.setText(self._size_names[index])
        self.text_size_changed.emit(TEXT_SIZES[index])
