"""Household rules with no storage: walking order, due dates, edits of a household and its members,
visit input and the form's validation of it (the rules the server shares are in ``visits``)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from gridworker_shared.domain.codes import (
    CARE_TAG_BY_CODE,
    QT_TRANSLATE_NOOP,
    RELATION_BY_CODE,
    SEX_BY_CODE,
    URGENCY_BY_CODE,
    visit_interval_for,
)
from gridworker_shared.domain.validation import ValidationError, normalize_text, validate_optional_phone
from gridworker_shared.domain.visits import (
    MAX_NOTES,
    check_described,
    check_description,
    check_form_time,
    check_length,
    check_notes,
    check_outcome,
    check_request_codes,
)

MSG_NOBODY_SEEN = QT_TRANSLATE_NOOP(
    "validation", "You met the household: tick at least one member you saw (Space ticks the current one)."
)
MSG_SEEN_NOT_MEMBER = QT_TRANSLATE_NOOP("validation", "Someone ticked as seen is not a member of this household.")
MSG_SEEN_NOT_MET = QT_TRANSLATE_NOOP("validation", "Nobody can be marked as seen when you did not meet the household.")
MSG_INTERVAL = QT_TRANSLATE_NOOP("validation", "The visit interval is from 1 to 365 days.")
MSG_UNKNOWN_TAG = QT_TRANSLATE_NOOP("validation", "Unknown tag: {tag}.")
MSG_RELATION = QT_TRANSLATE_NOOP("validation", "Choose the member's relation to the head of household.")
MSG_SEX = QT_TRANSLATE_NOOP("validation", "Choose male or female, or leave it empty.")
MSG_TOO_MANY_ARTICLES = QT_TRANSLATE_NOOP(
    "validation", "A visit records at most {limit} guide articles (now {count}); untick some."
)
MSG_ARTICLE = QT_TRANSLATE_NOOP("validation", "A guide article of this visit is not valid; tick it again.")
MAX_ARTICLES = 50
MAX_ARTICLE_TITLE = 200
ARTICLE_ACTIONS = ("explained", "handed_out")
# contact cards: how they print, and the limits of what the worker writes on theirs (ProfileUpdate's)
CARD_LAYOUTS = ("single", "sheet", "poster")
MAX_SERVICE_HOURS = 60
MAX_CARD_LINE = 80
# what of a household a worker edits (the form's update_household and the push's household.update)
HOUSEHOLD_FIELDS = ("phone", "notes", "tags", "visit_interval_days")

_NUM = re.compile(r"(\d+)|(\D+)")


def _sortable(part: str) -> str:
    """'3' -> '000003', '12A' -> '000012A': numbers sort as numbers, the rest as text."""
    return "".join(f"{int(d):06d}" if d else t for d, t in _NUM.findall(part.strip()))


def walk_key(compound: str, building: str, unit: str, floor: int | None, room: str) -> str:
    """Walking order: compound, building, unit, floor, room."""
    floor_part = f"{floor:03d}" if floor is not None else "999"
    return "\x1f".join((compound.strip(), _sortable(building), _sortable(unit), floor_part, _sortable(room)))


def due_on(last_met: dt.date | None, interval_days: int, created: dt.date) -> dt.date:
    """A household never met is due from the day it was registered."""
    if last_met is None:
        return created
    return last_met + dt.timedelta(days=interval_days)


def interval_for(tags: list[str] | set[str], fixed: int | None) -> int:
    return fixed if fixed is not None else visit_interval_for(tags)


@dataclass
class PersonInput:
    name: str
    relation: str
    sex: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    id_number: str = ""


@dataclass
class RequestInput:
    category: str
    urgency: str = "normal"
    description: str = ""
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class ArticleInput:
    """A guide article explained or handed out on the visit, at the version shown then."""

    id: uuid.UUID
    version: int
    action: str  # explained | handed_out
    title: str = ""


@dataclass
class VisitInput:
    household_id: uuid.UUID
    outcome: str
    seen: list[uuid.UUID] = field(default_factory=list)
    notes: str = ""
    requests: list[RequestInput] = field(default_factory=list)
    visited_at: dt.datetime | None = None  # aware; None means now
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    articles: list[ArticleInput] = field(default_factory=list)


def validate_visit(visit: VisitInput, members: set[uuid.UUID], now: dt.datetime) -> VisitInput:
    """Check a visit before anything is written; returns it with text normalised. The rules the
    server applies too are those of ``visits``; the seen members and the "other" description are
    the form's own."""
    check_outcome(visit.outcome)
    seen = list(dict.fromkeys(visit.seen))
    if any(p not in members for p in seen):
        raise ValidationError("seen", MSG_SEEN_NOT_MEMBER)
    if visit.outcome == "met" and not seen and members:
        raise ValidationError("seen", MSG_NOBODY_SEEN)
    if visit.outcome != "met" and seen:
        raise ValidationError("seen", MSG_SEEN_NOT_MET)
    notes = visit.notes.strip()
    check_notes(notes)
    when = (visit.visited_at or now).astimezone()  # a naive time is the laptop's local time
    check_form_time(when, now)
    requests = []
    for number, req in enumerate(visit.requests, start=1):
        check_request_codes(number, req.category, req.urgency)
        description = normalize_text(req.description)
        check_described(number, req.category, description)
        check_description(number, description)
        requests.append(RequestInput(req.category, req.urgency, description, req.id))
    return VisitInput(
        visit.household_id, visit.outcome, seen, notes, requests, when, visit.id, validate_articles(visit.articles)
    )


def validate_articles(articles: list[ArticleInput]) -> list[ArticleInput]:
    """Each (article, action) once, in the order ticked; titles trimmed to what the wire carries."""
    out: dict[tuple[uuid.UUID, str], ArticleInput] = {}
    for a in articles:
        if a.action not in ARTICLE_ACTIONS or a.version < 1:
            raise ValidationError("articles", MSG_ARTICLE)
        title = a.title.strip()[:MAX_ARTICLE_TITLE]
        out.setdefault((a.id, a.action), ArticleInput(a.id, a.version, a.action, title))
    if len(out) > MAX_ARTICLES:
        raise ValidationError("articles", MSG_TOO_MANY_ARTICLES, limit=MAX_ARTICLES, count=len(out))
    return list(out.values())


def request_due(urgency: str, raised: dt.date) -> dt.date:
    return raised + dt.timedelta(days=URGENCY_BY_CODE[urgency].due_days)


def validate_interval(days: int | None) -> int | None:
    if days is not None and not 1 <= days <= 365:
        raise ValidationError("visit_interval_days", MSG_INTERVAL)
    return days


def clean_household_change(name: str, value: Any) -> Any:
    """One edited household field (``HOUSEHOLD_FIELDS``), checked and normalised: the laptop's edit
    and the server's ``household.update`` alike. KeyError for a field that is not edited this way."""
    if name == "phone":
        return validate_optional_phone(value)
    if name == "notes":
        text = str(value or "").strip()
        check_length(text, MAX_NOTES, "notes")
        return text
    if name == "tags":
        if not isinstance(value, list | tuple | set | frozenset):
            raise ValidationError("tags", MSG_UNKNOWN_TAG, tag=str(value))
        for tag in value:
            if not isinstance(tag, str) or tag not in CARE_TAG_BY_CODE:
                raise ValidationError("tags", MSG_UNKNOWN_TAG, tag=str(tag))
        return sorted(set(value))
    if name == "visit_interval_days":
        if value is not None and not isinstance(value, int):
            raise ValidationError("visit_interval_days", MSG_INTERVAL)
        return validate_interval(value)
    raise KeyError(name)


def check_relation(relation: Any) -> str:
    """A member's relation to the head of household, by its code."""
    if not isinstance(relation, str) or relation not in RELATION_BY_CODE:
        raise ValidationError("relation", MSG_RELATION)
    return relation


def check_sex(sex: Any) -> str:
    """A member's sex by its code, or empty."""
    if not isinstance(sex, str) or (sex and sex not in SEX_BY_CODE):
        raise ValidationError("sex", MSG_SEX)
    return sex
