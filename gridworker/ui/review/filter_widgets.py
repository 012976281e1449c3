"""The filter bars' parts the review queue and the requests board share: a choice whose first item
means "any", and a day that may be left open ("Any day")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QComboBox, QDateEdit

from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

# the day that stands for "no day chosen" (shown as "Any day")
ANY_DATE = QDate(2000, 1, 1)
ANY_DAY = QT_TRANSLATE_NOOP("review", "Any day")


def filter_combo(name: str, any_text: str, changed: Callable[..., None]) -> QComboBox:
    """``changed`` is connected itself (a slot that asks for its sender() finds the combo)."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(any_text, None)
    combo.currentIndexChanged.connect(changed)
    return combo


def filter_date(name: str, changed: Callable[..., None]) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(ANY_DATE)
    edit.setSpecialValueText(QCoreApplication.translate("review", ANY_DAY))
    edit.setDate(ANY_DATE)
    edit.dateChanged.connect(changed)
    return edit
