"""Settings → My contact card: what the signed-in worker's card (便民联系卡) shows: mobile phone, service
hours, a short line, a photo; with a small preview painted by the code that prints the cards. Saving
writes the local card and a ``profile.update`` for the server in one transaction.

A chosen photo is scaled down and saved as JPEG here (Qt's image code), small enough for the wire
(``MAX_PHOTO_BYTES``); the store checks it again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QImage, QImageReader, QImageWriter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridworker.cards.vcard import CardPerson
from gridworker.store.rows import GridRow, WorkerCardRow
from gridworker.ui.context import AppContext
from gridworker.ui.forms import FieldErrors
from gridworker_shared.domain.households import MAX_CARD_LINE, MAX_SERVICE_HOURS
from gridworker_shared.domain.validation import QT_TRANSLATE_NOOP, ValidationError

PHOTO_MAX_SIDE = 480  # pixels of the longer side: a card prints the photo about 2 cm wide
PHOTO_QUALITIES = (88, 80, 70, 60, 50, 40)
PREVIEW_SIZE = QSize(300, 180)
PREVIEW_DELAY_MS = 250
MAX_PHONE = 32
MSG_NOT_A_PICTURE = QT_TRANSLATE_NOOP(
    "validation", "This file is not a picture that can be used; choose a JPEG or PNG."
)


class PhotoError(Exception):
    """The chosen file is not a picture Qt can read."""


def fit_photo(data: bytes, limit: int | None = None) -> bytes:
    """A picture (any format Qt reads) as a JPEG of at most ``limit`` bytes (the protocol's
    MAX_PHOTO_BYTES by default): scaled so its longer side is at most PHOTO_MAX_SIDE pixels, then
    compressed harder, then made smaller, until it fits. The picture's EXIF orientation is applied
    first (a phone photo stands upright)."""
    if limit is None:
        from gridworker_shared.protocol import MAX_PHOTO_BYTES  # pydantic: not at start-up

        limit = MAX_PHOTO_BYTES
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise PhotoError(reader.errorString())
    image = image.convertToFormat(QImage.Format.Format_RGB32)  # JPEG has no transparency: white, not black
    side = PHOTO_MAX_SIDE
    while side >= 60:
        scaled = image
        if max(image.width(), image.height()) > side:
            scaled = image.scaled(
                side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        for quality in PHOTO_QUALITIES:
            out = QByteArray()
            target = QBuffer(out)
            target.open(QIODevice.OpenModeFlag.WriteOnly)
            writer = QImageWriter(target, QByteArray(b"jpeg"))
            writer.setQuality(quality)
            written = writer.write(scaled)
            target.close()
            if not written:
                raise PhotoError(writer.errorString())
            if out.size() <= limit:
                return bytes(out.data())
        side = int(side * 0.75)
    raise PhotoError("the picture cannot be made small enough")


class MyCardSection(QGroupBox):
    """The signed-in user's card details, a live preview and Save."""

    loaded = Signal()
    saved = Signal(bool)  # True when something changed
    preview_updated = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("My contact card"), parent)
        self.setObjectName("my_card")
        self.ctx = ctx
        self.card: WorkerCardRow | None = None
        self.grid: GridRow | None = None
        self.photo: bytes | None = None
        self.photo_changed = False
        self._loading = False
        root = QHBoxLayout(self)
        column = QVBoxLayout()
        root.addLayout(column, 1)
        form = QFormLayout()
        column.addLayout(form)
        self.general_error = QLabel()
        self.errors = FieldErrors(self.general_error)

        self.phone = QLineEdit()
        self.phone.setObjectName("card_phone")
        self.phone.setMaxLength(MAX_PHONE)
        self.phone.setPlaceholderText("13812345678")
        form.addRow(self.tr("Mobile &phone"), self.phone)
        form.addRow("", self.errors.add("phone", self.phone))
        self.hours = QLineEdit()
        self.hours.setObjectName("card_hours")
        self.hours.setMaxLength(MAX_SERVICE_HOURS)
        self.hours.setPlaceholderText("工作日 8:30–17:30")
        form.addRow(self.tr("Service &hours"), self.hours)
        form.addRow("", self.errors.add("service_hours", self.hours))
        self.line = QLineEdit()
        self.line.setObjectName("card_line")
        self.line.setMaxLength(MAX_CARD_LINE)
        self.line.setPlaceholderText("有事找网格，服务零距离")
        form.addRow(self.tr("A short li&ne"), self.line)
        form.addRow("", self.errors.add("card_line", self.line))

        photo_row = QWidget()
        prow = QHBoxLayout(photo_row)
        prow.setContentsMargins(0, 0, 0, 0)
        self.photo_label = QLabel()
        self.photo_label.setObjectName("card_photo")
        self.photo_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setStyleSheet("QLabel#card_photo { color: #777; }")
        self._size_photo()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._on_font)
        self.choose_button = QPushButton(self.tr("Choose pho&to…"))
        self.choose_button.setObjectName("choose_photo")
        self.choose_button.clicked.connect(self.choose_photo)
        self.remove_button = QPushButton(self.tr("Re&move photo"))
        self.remove_button.setObjectName("remove_photo")
        self.remove_button.clicked.connect(self.remove_photo)
        prow.addWidget(self.photo_label)
        prow.addWidget(self.choose_button)
        prow.addWidget(self.remove_button)
        prow.addStretch()
        form.addRow(self.tr("Photo"), photo_row)
        form.addRow("", self.errors.add("photo", photo_row))
        column.addWidget(self.general_error)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save my car&d"))
        self.save_button.setObjectName("save_card")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setObjectName("card_status")
        self.status.setStyleSheet("color: #555;")
        self.status.setWordWrap(True)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        column.addLayout(buttons)
        column.addStretch()

        self.preview = QLabel()
        self.preview.setObjectName("card_preview")
        self.preview.setFixedSize(PREVIEW_SIZE + QSize(8, 8))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("QLabel#card_preview { background: #e8e8e8; }")
        self.preview.setWordWrap(True)
        root.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)

        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        for edit in (self.phone, self.hours, self.line):
            edit.textChanged.connect(self._changed)
        self._update_photo()

    # -- loading ------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the user's card (and the grid it names) on the reader thread."""
        reader, me = self.ctx.reader, self.ctx.identity.worker_id

        def read() -> tuple[WorkerCardRow | None, GridRow | None]:
            with reader.snapshot():
                card = reader.worker_card(me)
                grids = reader.grids()
            held = [g for g in grids if card is not None and g.id in card.grids]
            return card, next(iter(held or grids), None)

        self.ctx.tasks.read(read, self._on_loaded, owner=self)

    def _on_loaded(self, result: tuple[WorkerCardRow | None, GridRow | None]) -> None:
        self.card, self.grid = result
        self._loading = True
        card = self.card
        self.phone.setText(card.phone if card else "")
        self.hours.setText(card.service_hours if card else "")
        self.line.setText(card.card_line if card else "")
        self.photo = card.photo if card else None
        self.photo_changed = False
        self._loading = False
        self._update_photo()
        self.update_preview()
        self.loaded.emit()

    # -- editing ------------------------------------------------------------------------------------

    def has_edits(self) -> bool:
        """Whether the form differs from the card as loaded (unsaved edits)."""
        card = self.card
        saved = (card.phone, card.service_hours, card.card_line) if card else ("", "", "")
        return self.photo_changed or (self.phone.text(), self.hours.text(), self.line.text()) != saved

    def _changed(self, *_: object) -> None:
        if not self._loading:
            self.status.clear()
            self._preview_timer.start()

    def choose_photo(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation) or str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a photo for your card"), folder, self.tr("Pictures (*.jpg *.jpeg *.png *.bmp)")
        )
        if chosen:
            self.set_photo_file(Path(chosen))

    def set_photo_file(self, path: Path) -> bool:
        """Take the picture at ``path``, scaled and compressed for the card. False (with the reason shown)
        if it cannot be read."""
        self.errors.clear()
        try:
            self.photo = fit_photo(path.read_bytes())
        except (OSError, PhotoError):
            self.errors.show(ValidationError("photo", MSG_NOT_A_PICTURE))
            return False
        self.photo_changed = True
        self._update_photo()
        self._changed()
        return True

    def remove_photo(self) -> None:
        self.photo = None
        self.photo_changed = True
        self._update_photo()
        self._changed()

    def _on_font(self, _font: QFont) -> None:
        self._size_photo()

    def _size_photo(self) -> None:
        """A passport photo's shape (3:4), wide enough for "No photo" on one line at any text size."""
        metrics = self.photo_label.fontMetrics()
        width = max(48, metrics.horizontalAdvance(self.tr("No photo")) + metrics.horizontalAdvance("M"))
        self.photo_label.setFixedSize(width, max(64, width * 4 // 3))
        if getattr(self, "photo", None):  # a photo shown: scaled to the new size
            self._update_photo()

    def _update_photo(self) -> None:
        pixmap = QPixmap()
        if self.photo:
            pixmap.loadFromData(self.photo)
        if pixmap.isNull():
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(self.tr("No photo"))
        else:
            self.photo_label.setPixmap(
                pixmap.scaled(
                    self.photo_label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.remove_button.setEnabled(bool(self.photo))

    def person_preview(self) -> CardPerson:
        """The card as it would print now."""
        who = self.ctx.identity
        return CardPerson(
            worker_id=who.worker_id,
            name=(self.card.name if self.card and self.card.name else who.name),
            phone=self.phone.text().strip(),
            grid_name=self.grid.name if self.grid else who.grid_name,
            community_name=self.grid.community_name if self.grid else "",
            service_hours=self.hours.text().strip(),
            line=self.line.text().strip(),
            photo=self.photo,
            card_code=self.card.card_code if self.card else "",
        )

    def update_preview(self) -> None:
        from gridworker.cards.render import CardJob, Layout, NoCjkFontError, render_preview
        from gridworker.cards.vcard import CardTarget

        job = CardJob(self.person_preview(), [CardTarget(None)], Layout.SINGLE)
        try:
            image = render_preview(job, PREVIEW_SIZE.width(), PREVIEW_SIZE.height(), self.devicePixelRatioF())
        except NoCjkFontError:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("No Chinese font is installed: no preview."))
        else:
            self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview_updated.emit()

    # -- saving -------------------------------------------------------------------------------------

    def save(self) -> None:
        self.errors.clear()
        self.status.clear()
        from gridworker.store.services import KEEP

        phone, hours, line = self.phone.text(), self.hours.text(), self.line.text()
        photo = self.photo if self.photo_changed else KEEP
        ctx = self.ctx
        self.save_button.setEnabled(False)
        self.ctx.tasks.write(
            lambda: ctx.store.update_profile(phone, hours, line, photo), self._on_saved, self._on_invalid
        )

    def _on_saved(self, changed: bool) -> None:
        self.save_button.setEnabled(True)
        self.photo_changed = False
        self.status.setText(
            self.tr("Saved. Your card is sent to the server with the next sync.")
            if changed
            else self.tr("Nothing changed.")
        )
        if changed:
            self.ctx.events.profile_changed.emit()
            self.ctx.events.outbox_changed.emit()
            self.load()
        self.saved.emit(changed)

    def _on_invalid(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.errors.show(error)
