"""Form helpers: an error shown at the field it belongs to, and nothing saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from gridworker.ui.i18n import error_text
from gridworker_shared.domain.validation import ValidationError

ERROR_STYLE = "color: #b3261e;"


def error_label(name: str) -> QLabel:
    """A red, wrapping message label, hidden until there is something to say."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class FieldErrors:
    """Maps a ValidationError's ``field`` to its widget and a red message label under it."""

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)
        general.hide()

    def add(self, field: str, widget: QWidget) -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        label.setObjectName(f"error_{field}")
        self._fields[field] = (widget, label)
        return label

    def clear(self) -> None:
        self._general.hide()
        self._general.clear()
        for widget, label in self._fields.values():
            label.hide()
            label.clear()
            widget.setProperty("invalid", False)
            widget.setStyleSheet("")

    def clear_field(self, field: str) -> None:
        """The field was fixed: its message and border go (the others stay)."""
        if field not in self._fields:
            return
        widget, label = self._fields[field]
        if label.isHidden() and not widget.property("invalid"):
            return
        label.hide()
        label.clear()
        widget.setProperty("invalid", False)
        widget.setStyleSheet("")

    def show(self, error: ValidationError) -> None:
        self.clear()
        text = error_text(error)
        target = self._fields.get(error.field) or self._fields.get(error.field.split(".")[0])
        if target is None:
            self._general.setText(text)
            self._general.show()
            return
        widget, label = target
        label.setText(text)
        label.show()
        widget.setProperty("invalid", True)
        # the border on this widget only, not on every child of a row of radio buttons
        if not widget.objectName():
            widget.setObjectName(f"field_{error.field.split('.')[0]}")
        widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        widget.setStyleSheet(f"#{widget.objectName()} {{ border: 1px solid #b3261e; border-radius: 3px; }}")
        widget.setFocus()

    def message(self, field: str) -> str:
        if field in self._fields:
            return self._fields[field][1].text()
        return self._general.text()
