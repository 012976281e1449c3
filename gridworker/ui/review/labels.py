"""The reviewer's words for the review's codes: states, actions, a return's reasons, the fields a return
pins, the server's flags (a short label and one sentence each), back-check reasons and results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from gridworker_shared.domain.review import StreetSettings

CONTEXT = "review"

STATES = {
    "pending": QT_TRANSLATE_NOOP("review", "To review"),
    "approved": QT_TRANSLATE_NOOP("review", "Approved"),
    "returned": QT_TRANSLATE_NOOP("review", "Returned for correction"),
    "questioned": QT_TRANSLATE_NOOP("review", "Questioned"),
    "amended": QT_TRANSLATE_NOOP("review", "Corrected"),
}
WAITING = QT_TRANSLATE_NOOP("review", "Waiting to sync")

ACTIONS = {
    "approve": QT_TRANSLATE_NOOP("review", "Approve"),
    "return": QT_TRANSLATE_NOOP("review", "Return"),
    "question": QT_TRANSLATE_NOOP("review", "Question"),
    "reopen": QT_TRANSLATE_NOOP("review", "Reopen"),
    "comment": QT_TRANSLATE_NOOP("review", "Comment"),
    "amend": QT_TRANSLATE_NOOP("review", "Corrected by the worker"),
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

# flag code -> its short label (its sentence is the shared rules' own: review_flags.FLAG_TEXTS)
FLAGS = {
    "short_form": QT_TRANSLATE_NOOP("review", "Form too quick"),
    "rapid_sequence": QT_TRANSLATE_NOOP("review", "Rapid visits"),
    "late_entry": QT_TRANSLATE_NOOP("review", "Entered late"),
    "off_hours": QT_TRANSLATE_NOOP("review", "Off hours"),
    "same_notes": QT_TRANSLATE_NOOP("review", "Same notes"),
    "not_home_streak": QT_TRANSLATE_NOOP("review", "Not home again"),
    "care_overdue": QT_TRANSLATE_NOOP("review", "Care visit overdue"),
}

BACKCHECK_REASONS = {
    "sample": QT_TRANSLATE_NOOP("review", "Random sample"),
    "flagged": QT_TRANSLATE_NOOP("review", "Flagged visit"),
    "new_worker": QT_TRANSLATE_NOOP("review", "New worker"),
}

TO_CALL = QT_TRANSLATE_NOOP("review", "To call")
BACKCHECK_RESULTS = {
    "confirmed": QT_TRANSLATE_NOOP("review", "Confirmed"),
    "denied": QT_TRANSLATE_NOOP("review", "Denied"),
    "unreachable": QT_TRANSLATE_NOOP("review", "Unreachable"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def state(code: str, pending_action: str = "") -> str:
    """待审, 通过 …; with a review waiting in the outbox: '待同步' and what was done."""
    shown = _tr(STATES[code]) if code in STATES else code
    if pending_action:
        return f"{_tr(WAITING)} · {action(pending_action)}"
    return shown


def action(code: str) -> str:
    return _tr(ACTIONS[code]) if code in ACTIONS else code


def reason(code: str) -> str:
    return _tr(REASONS[code]) if code in REASONS else code


def pin(code: str) -> str:
    return _tr(PINS[code]) if code in PINS else code


def flag(code: str) -> str:
    return _tr(FLAGS[code]) if code in FLAGS else code


def flag_sentence(code: str, settings: StreetSettings | None = None) -> str:
    """The flag in one sentence with the street's thresholds, in the user's language."""
    # the rules' module on first use: the worker's start-up, which reads only the states, skips it
    from gridworker_shared.domain.review import StreetSettings
    from gridworker_shared.domain.review_flags import FLAG_TEXTS

    if code not in FLAG_TEXTS:
        return code
    values = (settings or StreetSettings()).to_dict()
    return QCoreApplication.translate("flags", FLAG_TEXTS[code]).format(**values)


def flags(codes: tuple[str, ...] | list[str]) -> str:
    return "、".join(flag(c) for c in codes)


def backcheck_reason(code: str) -> str:
    return _tr(BACKCHECK_REASONS[code]) if code in BACKCHECK_REASONS else code


def backcheck_result(code: str) -> str:
    return _tr(BACKCHECK_RESULTS[code]) if code in BACKCHECK_RESULTS else code
