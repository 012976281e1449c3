"""The policy guide (惠民政策宣传指南): articles published centrally, kept on the laptop, searched offline.

- ``gridworker.guide.store``: writing articles (the sync apply, the user opening one); SQLAlchemy, no Qt.
- ``gridworker.guide.search``: reading them (search as you type, what's new, one article); stdlib sqlite3.
- ``gridworker.guide.handout``: printing one or several articles on A4; Qt GUI, no widgets.

This module holds only the categories, so importing it loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


@dataclass(frozen=True)
class Category:
    code: str  # stored and sent over the wire
    label: str  # English source string, translated in context "guide"
    zh: str  # the name the guide itself uses


CATEGORIES: tuple[Category, ...] = (
    Category("policy", QT_TRANSLATE_NOOP("guide", "Welfare policies"), "惠民政策"),
    Category("procedure", QT_TRANSLATE_NOOP("guide", "How to get things done"), "办事流程"),
    Category("phone", QT_TRANSLATE_NOOP("guide", "Service phone numbers"), "服务电话"),
    Category("tip", QT_TRANSLATE_NOOP("guide", "Grid tips"), "网格小常识"),
)
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}
_BY_NAME = {**{c.zh: c.code for c in CATEGORIES}, **{c.code: c.code for c in CATEGORIES}}


def category_code(value: str) -> str:
    """A category as a publisher may write it (the code, or its Chinese name) as the stored code.
    An unknown value is kept as it is (at most 16 characters), so a newer server's category shows."""
    value = value.strip()
    return _BY_NAME.get(value, _BY_NAME.get(value.lower(), value[:16]))
