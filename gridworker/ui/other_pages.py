"""Unsent changes and Settings."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
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


class UnsentPage(QWidget):
    """Every change not yet accepted by the server, oldest first, with its state and any reason."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)
        self.model = OutboxModel(self)
        self.view = make_table(self.model, stretch=OutboxModel.COL_HOUSEHOLD)
        self.view.setObjectName("outbox")
        root.addWidget(self.view, 1)
        ctx.events.outbox_changed.connect(self.refresh)

    def refresh(self) -> None:
        self.ctx.tasks.read(self.ctx.reader.outbox_rows, self._on_rows)

    def _on_rows(self, rows: list[OutboxRow]) -> None:
        self.model.set_rows(rows)
        pending = sum(1 for r in rows if r.state == "pending")
        attention = len(rows) - pending
        if not rows:
            self.summary.setText(self.tr("Everything you recorded has been sent."))
            return
        text = self.tr(
            "%n change(s) kept safely on this laptop, waiting to be sent to the server. "
            "Nothing here is lost if the laptop is switched off.",
            "",
            pending,
        )
        if attention:
            text += " " + self.tr(
                "%n change(s) need your attention: the server set them aside; the reason is in the list.",
                "",
                attention,
            )
        self.summary.setText(text)


class SettingsPage(QWidget):
    """Text size and language apply at once; where the data lives, with a way to open it."""

    text_size_changed = Signal(int)
    language_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        root = QVBoxLayout(self)
        body = QWidget()
        body.setMaximumWidth(body.fontMetrics().horizontalAdvance("M") * 60)
        root.addWidget(body)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)

        size_row = QWidget()
        sl = QHBoxLayout(size_row)
        sl.setContentsMargins(0, 0, 0, 0)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setObjectName("text_size")
        self.size_slider.setRange(0, len(TEXT_SIZES) - 1)
        self.size_slider.setPageStep(1)
        self.size_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        current = ctx.settings.get(TEXT_SIZE)
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
        form.addRow(self.tr("Text &size"), size_row)
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
        form.addRow(self.tr("Signed in as"), QLabel(f"{ctx.identity.name}（{ctx.identity.username}）"))
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
        root.addStretch()

    def _on_size(self, index: int) -> None:
        self.size_name.setText(self._size_names[index])
        self.text_size_changed.emit(TEXT_SIZES[index])
