"""The reviewer's words for the review's codes: states, actions, a return's reasons, the fields a return
pins, the server's flags (a short label and one sentence each), back-check reasons and results."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
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

# flag code -> (short label, one sentence; %1 and %2 are the street's thresholds)
FLAGS = {
    "short_form": (
        QT_TRANSLATE_NOOP("review", "Form too quick"),
        QT_TRANSLATE_NOOP("review", "The visit form was open for under %1 seconds."),
    ),
    "rapid_sequence": (
        QT_TRANSLATE_NOOP("review", "Rapid visits"),
        QT_TRANSLATE_NOOP("review", "%2 or more households in different buildings were visited within %1 minutes."),
    ),
    "late_entry": (
        QT_TRANSLATE_NOOP("review", "Entered late"),
        QT_TRANSLATE_NOOP("review", "Recorded more than %1 hours after the time it claims."),
    ),
    "off_hours": (
        QT_TRANSLATE_NOOP("review", "Off hours"),
        QT_TRANSLATE_NOOP("review", "The visit's time is outside %1:00–%2:00."),
    ),
    "same_notes": (
        QT_TRANSLATE_NOOP("review", "Same notes"),
        QT_TRANSLATE_NOOP("review", "The notes are identical to another household's within %1 days."),
    ),
    "not_home_streak": (
        QT_TRANSLATE_NOOP("review", "Not home again"),
        QT_TRANSLATE_NOOP("review", "Nobody was at home %1 times running: reach this household another way."),
    ),
    "care_overdue": (
        QT_TRANSLATE_NOOP("review", "Care visit overdue"),
        QT_TRANSLATE_NOOP("review", "A care-tag household was not visited within %1 days."),
    ),
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
    return _tr(FLAGS[code][0]) if code in FLAGS else code


def flag_sentence(code: str, settings: StreetSettings | None = None) -> str:
    if code not in FLAGS:
        return code
    s = settings or StreetSettings()
    values = {
        "short_form": (s.min_form_seconds, 0),
        "rapid_sequence": (s.rapid_minutes, s.rapid_households),
        "late_entry": (s.late_entry_hours, 0),
        "off_hours": (s.day_start_hour, s.day_end_hour),
        "same_notes": (s.same_notes_days, 0),
        "not_home_streak": (s.not_home_streak, 0),
        "care_overdue": (s.care_interval_days, 0),
    }[code]
    return _tr(FLAGS[code][1]).replace("%1", str(values[0])).replace("%2", str(values[1]))


def flags(codes: tuple[str, ...] | list[str]) -> str:
    return "、".join(flag(c) for c in codes)


def backcheck_reason(code: str) -> str:
    return _tr(BACKCHECK_REASONS[code]) if code in BACKCHECK_REASONS else code


def backcheck_result(code: str) -> str:
    return _tr(BACKCHECK_RESULTS[code]) if code in BACKCHECK_RESULTS else code
