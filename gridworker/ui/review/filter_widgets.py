"""The filter bars' parts the review queue and the requests board share: a choice whose first item
means "any", and a day that may be left open ("Any day")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QComboBox, QDateEdit

# the day that stands for "no day chosen" (shown as "Any day")
ANY_DATE = QDate(2000, 1, 1)


def filter_combo(name: str, any_text: str, changed: Callable[[], None]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(any_text, None)
    combo.currentIndexChanged.connect(lambda _index: changed())
    return combo


def filter_date(name: str, changed: Callable[[], None]) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(ANY_DATE)
    edit.setSpecialValueText(QCoreApplication.translate("review", "Any day"))
    edit.setDate(ANY_DATE)
    edit.dateChanged.connect(lambda _date: changed())
    return edit
