"""The worker's words for a visit's review: its state in the visit history (待审, 通过, 退回修改, 存疑,
已修改), a return's coded reason and the fields the reviewer pinned (the same source texts as the
reviewer's workspace, context "review")."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QLocale

from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

STATES = {
    "pending": QT_TRANSLATE_NOOP("review", "To review"),
    "approved": QT_TRANSLATE_NOOP("review", "Approved"),
    "returned": QT_TRANSLATE_NOOP("review", "Returned for correction"),
    "questioned": QT_TRANSLATE_NOOP("review", "Questioned"),
    "amended": QT_TRANSLATE_NOOP("review", "Corrected"),
}
REASONS = {
    "incomplete": QT_TRANSLATE_NOOP("review", "Information incomplete"),
    "wrong_people": QT_TRANSLATE_NOOP("review", "People do not match"),
    "time_place": QT_TRANSLATE_NOOP("review", "Time or place doubtful"),
    "request_missing": QT_TRANSLATE_NOOP("review", "Request not recorded"),
    "other": QT_TRANSLATE_NOOP("review", "Other"),
}
PINS = {
    "visited_at": QT_TRANSLATE_NOOP("review", "Time of the visit"),
    "outcome": QT_TRANSLATE_NOOP("review", "Outcome"),
    "seen": QT_TRANSLATE_NOOP("review", "People seen"),
    "notes": QT_TRANSLATE_NOOP("review", "Notes"),
    "requests": QT_TRANSLATE_NOOP("review", "Requests"),
    "articles": QT_TRANSLATE_NOOP("review", "Policies explained"),
}


def _word(table: dict[str, str], code: str) -> str:
    return QCoreApplication.translate("review", table[code]) if code in table else code


def state(code: str) -> str:
    return _word(STATES, code)


def reason(code: str) -> str:
    return _word(REASONS, code) if code else ""


def pins(codes: Iterable[str]) -> str:
    separator = "、" if QLocale().language() == QLocale.Language.Chinese else ", "
    return separator.join(_word(PINS, c) for c in codes)


def returned_text(reason_code: str, comment: str) -> str:
    """'Returned for correction: People do not match — 不是户主' (the reason, then the comment)."""
    text = QCoreApplication.translate("review", "Returned for correction: %1").replace("%1", reason(reason_code))
    return f"{text} — {comment}" if comment.strip() else text
