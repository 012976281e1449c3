"""Unsent changes and Settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
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
    QVBoxLayout,
    QWidget,
)

import gridworker
from gridworker.store.rows import OutboxRow
from gridworker.ui.context import AppContext
from gridworker.ui.household_panel import make_table
from gridworker.ui.models import OutboxModel
from gridworker.ui.settings import LANGUAGE, LANGUAGES, TEXT_SIZE, TEXT_SIZES
from gridworker.ui.widgets import HeadingLabel

if TYPE_CHECKING:
    from gridworker.ui.my_card import MyCardSection


class UnsentPage(QWidget):
    """Every change not yet accepted by the server, oldest first: what needs the worker's attention (the
    server rejected it, or it met someone else's change) above, with the reason; what waits to be sent below."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)

        self.attention = QWidget()
        self.attention.setObjectName("attention")
        column = QVBoxLayout(self.attention)
        column.setContentsMargins(0, 0, 0, 0)
        self.attention_heading = HeadingLabel(factor=1.15)
        self.attention_heading.setStyleSheet("color: #b3261e;")
        column.addWidget(self.attention_heading)
        note = QLabel(
            self.tr(
                "The server did not take these changes as they are. They stay on this laptop and are never "
                "deleted on their own: read the reason, then record the change again if it still applies, or "
                "ask your supervisor."
            )
        )
        note.setWordWrap(True)
        column.addWidget(note)
        self.attention_model = OutboxModel(self)
        self.attention_view = make_table(self.attention_model, stretch=OutboxModel.COL_REASON)
        self.attention_view.setObjectName("outbox_attention")
        column.addWidget(self.attention_view, 1)
        self.attention.hide()
        root.addWidget(self.attention, 1)

        self.pending_heading = HeadingLabel(factor=1.15)
        root.addWidget(self.pending_heading)
        self.model = OutboxModel(self)
        self.view = make_table(self.model, stretch=OutboxModel.COL_HOUSEHOLD)
        self.view.setObjectName("outbox")
        for col in (OutboxModel.COL_REASON, OutboxModel.COL_CODE):
            self.view.setColumnHidden(col, True)
        root.addWidget(self.view, 2)
        ctx.events.outbox_changed.connect(self.refresh)

    def refresh(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.outbox_rows, self._on_rows)

    def _on_rows(self, rows: list[OutboxRow]) -> None:
        waiting = [r for r in rows if r.state == "pending"]
        set_aside = [r for r in rows if r.state != "pending"]
        self.model.set_rows(waiting)
        self.attention_model.set_rows(set_aside)
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
                    "%n change(s) need your attention: the server set them aside; the reason is in the list.",
                    "",
                    len(set_aside),
                )
            )
        self.summary.setText(" ".join(parts))


class SettingsPage(QWidget):
    """Text size and language apply at once; where the data lives, with a way to open it; what the
    user's own contact card shows."""

    text_size_changed = Signal(int)
    language_changed = Signal(str)
    sign_out_requested = Signal()  # confirmed by the user where unsent changes exist

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
        form.addRow("", self.preview)

        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.settings.get(LANGUAGE))))
        self.language.currentIndexChanged.connect(lambda _: self.language_changed.emit(self.language.currentData()))
        form.addRow(self.tr("&Language"), self.language)

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
        self.sign_out_button = QPushButton(self.tr("Sign &out…"))
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
        big = QLabel("A")
        f = big.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        big.setFont(f)
        sl.addWidget(big)
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
