"""Display text for codes, dates and sync states, in the user's language."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QLocale

from gridworker_shared.domain.codes import (
    CARE_TAG_BY_CODE,
    OUTCOME_BY_CODE,
    QT_TRANSLATE_NOOP,
    RELATION_BY_CODE,
    REQUEST_CATEGORY_BY_CODE,
    REQUEST_STATUS_BY_CODE,
    SEX_BY_CODE,
    URGENCY_BY_CODE,
    Code,
)

SYNC_STATES = {
    "pending": QT_TRANSLATE_NOOP("labels", "Not sent"),
    "applied": QT_TRANSLATE_NOOP("labels", "Synced"),
    "rejected": QT_TRANSLATE_NOOP("labels", "Rejected"),
    "conflict": QT_TRANSLATE_NOOP("labels", "Conflict"),
}

MUTATION_KINDS = {
    "visit.create": QT_TRANSLATE_NOOP("labels", "Visit recorded"),
    "visit.amend": QT_TRANSLATE_NOOP("labels", "Visit corrected"),
    "household.update": QT_TRANSLATE_NOOP("labels", "Household edited"),
    "person.create": QT_TRANSLATE_NOOP("labels", "Member added"),
    "person.update": QT_TRANSLATE_NOOP("labels", "Member edited"),
    "person.remove": QT_TRANSLATE_NOOP("labels", "Member moved out"),
    "card.issue": QT_TRANSLATE_NOOP("labels", "Contact card given"),
    "profile.update": QT_TRANSLATE_NOOP("labels", "My contact card changed"),
    "visit.review": QT_TRANSLATE_NOOP("labels", "Visit reviewed"),
    "backcheck.result": QT_TRANSLATE_NOOP("labels", "Back-check result"),
    "access.log": QT_TRANSLATE_NOOP("labels", "Personal data seen or exported"),
}


def _label(table: dict[str, Code], code: str) -> str:
    item = table.get(code)
    return QCoreApplication.translate("codes", item.label) if item else code


def tag(code: str) -> str:
    return _label(dict(CARE_TAG_BY_CODE), code)


def tags(codes: tuple[str, ...] | list[str]) -> str:
    return "、".join(tag(c) for c in codes) if _chinese() else ", ".join(tag(c) for c in codes)


def outcome(code: str) -> str:
    return _label(OUTCOME_BY_CODE, code)


def category(code: str) -> str:
    return _label(REQUEST_CATEGORY_BY_CODE, code)


def urgency(code: str) -> str:
    return _label(dict(URGENCY_BY_CODE), code)


def status(code: str) -> str:
    return _label(REQUEST_STATUS_BY_CODE, code)


def relation(code: str) -> str:
    return _label(RELATION_BY_CODE, code)


def sex(code: str) -> str:
    return _label(SEX_BY_CODE, code) if code else ""


def sex_age(code: str, born: dt.date | None, today: dt.date) -> str:
    """男 · 43岁 / Male, 43"""
    parts = [sex(code)] if code else []
    if born is not None:
        years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        parts.append(QCoreApplication.translate("labels", "%1 yrs").replace("%1", str(years)))
    return " · ".join(parts)


def sync_state(state: str) -> str:
    return QCoreApplication.translate("labels", SYNC_STATES.get(state, state))


def mutation_kind(kind: str) -> str:
    return QCoreApplication.translate("labels", MUTATION_KINDS.get(kind, kind))


def _chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


def date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return value.isoformat()


def local_datetime(utc_naive: dt.datetime) -> str:
    local = utc_naive.replace(tzinfo=dt.UTC).astimezone()
    return local.strftime("%Y-%m-%d %H:%M")


def due_text(due: dt.date, today: dt.date, last_met: dt.date | None = dt.date.min) -> str:
    """'3 days overdue', 'Due today', 'Not met yet' (a household nobody has met yet)."""
    if last_met is None:
        return QCoreApplication.translate("labels", "Not met yet")
    days = (today - due).days
    if days > 0:
        return QCoreApplication.translate("labels", "%n day(s) overdue", "", days)
    if days == 0:
        return QCoreApplication.translate("labels", "Due today")
    return QCoreApplication.translate("labels", "Due in %n day(s)", "", -days)


def address(compound: str, building: str, unit: str, room: str) -> str:
    """幸福里 3-2-501, the short form workers write."""
    short = "-".join(p for p in (building, unit, room) if p)
    return f"{compound} {short}".strip()


def chinese_address(compound: str, building: str, unit: str, room: str) -> str:
    """幸福里 3栋2单元501室: the address as a card for the residents prints it, whatever the app's language."""
    parts = (f"{building}栋" if building else "") + (f"{unit}单元" if unit else "") + (f"{room}室" if room else "")
    return f"{compound.strip()} {parts}".strip()


def long_address(compound: str, building: str, unit: str, room: str) -> str:
    if _chinese():
        return chinese_address(compound, building, unit, room)
    pieces = [compound]
    if building:
        pieces.append(QCoreApplication.translate("labels", "Building %1").replace("%1", building))
    if unit:
        pieces.append(QCoreApplication.translate("labels", "Unit %1").replace("%1", unit))
    if room:
        pieces.append(QCoreApplication.translate("labels", "Room %1").replace("%1", room))
    return ", ".join(p for p in pieces if p)
