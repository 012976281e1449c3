"""Household rules with no storage: walking order, due dates, visit input and its validation."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from gridworker_shared.domain.codes import (
    OUTCOME_BY_CODE,
    QT_TRANSLATE_NOOP,
    REQUEST_CATEGORY_BY_CODE,
    URGENCY_BY_CODE,
    visit_interval_for,
)
from gridworker_shared.domain.validation import ValidationError, normalize_text

MAX_NOTES = 2000
MAX_DESCRIPTION = 500

MSG_OUTCOME = QT_TRANSLATE_NOOP("validation", "Choose what happened: met, not at home or refused.")
MSG_NOBODY_SEEN = QT_TRANSLATE_NOOP(
    "validation", "You met the household: tick at least one member you saw (Space ticks the current one)."
)
MSG_SEEN_NOT_MEMBER = QT_TRANSLATE_NOOP("validation", "Someone ticked as seen is not a member of this household.")
MSG_SEEN_NOT_MET = QT_TRANSLATE_NOOP("validation", "Nobody can be marked as seen when you did not meet the household.")
MSG_TOO_LONG = QT_TRANSLATE_NOOP("validation", "Keep this to {limit} characters or fewer (now {length}).")
MSG_VISIT_FUTURE = QT_TRANSLATE_NOOP("validation", "The visit time is in the future; check the date and time.")
MSG_VISIT_OLD = QT_TRANSLATE_NOOP("validation", "The visit time is more than a year ago; check the year.")
MAX_VISIT_AGE_DAYS = 366
MSG_CATEGORY = QT_TRANSLATE_NOOP("validation", "Choose a category for request {number}.")
MSG_URGENCY = QT_TRANSLATE_NOOP("validation", "Choose how urgent request {number} is.")
MSG_DESCRIPTION_NEEDED = QT_TRANSLATE_NOOP(
    "validation", "Request {number} is \u201cother\u201d: describe it in a few words."
)
MSG_INTERVAL = QT_TRANSLATE_NOOP("validation", "The visit interval is from 1 to 365 days.")
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


def _check_length(value: str, limit: int, field_name: str) -> None:
    if len(value) > limit:
        raise ValidationError(field_name, MSG_TOO_LONG, limit=limit, length=len(value))


def validate_visit(visit: VisitInput, members: set[uuid.UUID], now: dt.datetime) -> VisitInput:
    """Check a visit before anything is written; returns it with text normalised."""
    if visit.outcome not in OUTCOME_BY_CODE:
        raise ValidationError("outcome", MSG_OUTCOME)
    seen = list(dict.fromkeys(visit.seen))
    if any(p not in members for p in seen):
        raise ValidationError("seen", MSG_SEEN_NOT_MEMBER)
    if visit.outcome == "met" and not seen and members:
        raise ValidationError("seen", MSG_NOBODY_SEEN)
    if visit.outcome != "met" and seen:
        raise ValidationError("seen", MSG_SEEN_NOT_MET)
    notes = visit.notes.strip()
    _check_length(notes, MAX_NOTES, "notes")
    when = (visit.visited_at or now).astimezone()  # a naive time is the laptop's local time
    if when > now + dt.timedelta(minutes=10):
        raise ValidationError("visited_at", MSG_VISIT_FUTURE)
    if when < now - dt.timedelta(days=MAX_VISIT_AGE_DAYS):
        raise ValidationError("visited_at", MSG_VISIT_OLD)
    requests = []
    for number, req in enumerate(visit.requests, start=1):
        if req.category not in REQUEST_CATEGORY_BY_CODE:
            raise ValidationError(f"requests.{number - 1}.category", MSG_CATEGORY, number=number)
        if req.urgency not in URGENCY_BY_CODE:
            raise ValidationError(f"requests.{number - 1}.urgency", MSG_URGENCY, number=number)
        description = normalize_text(req.description)
        if req.category == "other" and not description:
            raise ValidationError(f"requests.{number - 1}.description", MSG_DESCRIPTION_NEEDED, number=number)
        _check_length(description, MAX_DESCRIPTION, f"requests.{number - 1}.description")
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
