"""The visit rules the laptop and the server both apply, in one place.

What a visit may say (its outcome, the length of its notes, each request's category, urgency and
description), when it may have happened (the form's window on the laptop; the wider window of a
plausible business time on the server, whose clock is not the device's) and what the visits make of
a household's "last met" and "last attempt". The laptop's form (``households.validate_visit``) and
the server's push (``gridworker_server.push.visits``) call these functions; each side words its own
refusal from the ``ValidationError`` raised here (the laptop translates the template, the server
answers with a code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from typing import NamedTuple

from gridworker_shared.domain.codes import OUTCOME_BY_CODE, QT_TRANSLATE_NOOP, REQUEST_CATEGORY_BY_CODE, URGENCY_BY_CODE
from gridworker_shared.domain.validation import ValidationError

# text limits of what a worker writes (a household's notes share the visit notes' limit)
MAX_NOTES = 2000
MAX_DESCRIPTION = 500

MSG_OUTCOME = QT_TRANSLATE_NOOP("validation", "Choose what happened: met, not at home or refused.")
MSG_TOO_LONG = QT_TRANSLATE_NOOP("validation", "Keep this to {limit} characters or fewer (now {length}).")
MSG_VISIT_FUTURE = QT_TRANSLATE_NOOP("validation", "The visit time is in the future; check the date and time.")
MSG_VISIT_OLD = QT_TRANSLATE_NOOP("validation", "The visit time is more than a year ago; check the year.")
MSG_CATEGORY = QT_TRANSLATE_NOOP("validation", "Choose a category for request {number}.")
MSG_URGENCY = QT_TRANSLATE_NOOP("validation", "Choose how urgent request {number} is.")
MSG_DESCRIPTION_NEEDED = QT_TRANSLATE_NOOP(
    "validation", "Request {number} is \u201cother\u201d: describe it in a few words."
)

# the form's window: a visit is recorded as it happens or soon after, on the laptop's own clock
MAX_VISIT_AGE_DAYS = 366
FORM_AHEAD = dt.timedelta(minutes=10)
# a business time the server takes: a device's clock may be wrong, but not by years; outside this
# window a time is a corrupt value (and one the databases or the laptops could not read back)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
AHEAD = dt.timedelta(days=2)


def check_length(value: str, limit: int, field_name: str) -> None:
    if len(value) > limit:
        raise ValidationError(field_name, MSG_TOO_LONG, limit=limit, length=len(value))


def check_outcome(outcome: str) -> None:
    if outcome not in OUTCOME_BY_CODE:
        raise ValidationError("outcome", MSG_OUTCOME)


def check_notes(notes: str) -> None:
    check_length(notes, MAX_NOTES, "notes")


def check_request_codes(number: int, category: str, urgency: str) -> None:
    """Request ``number`` (from 1) names a known category and urgency."""
    if category not in REQUEST_CATEGORY_BY_CODE:
        raise ValidationError(f"requests.{number - 1}.category", MSG_CATEGORY, number=number)
    if urgency not in URGENCY_BY_CODE:
        raise ValidationError(f"requests.{number - 1}.urgency", MSG_URGENCY, number=number)


def check_description(number: int, description: str) -> None:
    check_length(description, MAX_DESCRIPTION, f"requests.{number - 1}.description")


def check_described(number: int, category: str, description: str) -> None:
    """The form asks the worker to say what an "other" request is."""
    if category == "other" and not description:
        raise ValidationError(f"requests.{number - 1}.description", MSG_DESCRIPTION_NEEDED, number=number)


def check_form_time(when: dt.datetime, now: dt.datetime) -> None:
    """The visit form's window on the laptop's clock: not ahead of now, not over a year back."""
    if when > now + FORM_AHEAD:
        raise ValidationError("visited_at", MSG_VISIT_FUTURE)
    if when < now - dt.timedelta(days=MAX_VISIT_AGE_DAYS):
        raise ValidationError("visited_at", MSG_VISIT_OLD)


def is_business_time(when: dt.datetime, now: dt.datetime) -> bool:
    """A plausible time for a visit or a card handed out (``when`` aware), whatever the device's clock."""
    return EARLIEST <= when <= now + AHEAD


class VisitDates(NamedTuple):
    """A household's last visit that met someone and its last visit at all (dates, or None)."""

    met: dt.date | None = None
    attempt: dt.date | None = None


NO_VISITS = VisitDates()


class VisitFact(NamedTuple):
    """What last met / last attempt need of a visit: its id, its day (each side's calendar), its
    outcome and the visit it corrects."""

    id: Hashable
    day: dt.date
    outcome: str
    amends: Hashable | None = None


def after_visit(dates: VisitDates, day: dt.date, outcome: str) -> VisitDates:
    """The dates once one more (standing) visit counts: they only move forward."""
    attempt = max(dates.attempt, day) if dates.attempt else day
    met = dates.met
    if outcome == "met":
        met = max(met, day) if met else day
    return VisitDates(met, attempt)


def last_visits(visits: Iterable[VisitFact]) -> VisitDates:
    """Last met and last attempt from a household's visits. A corrected visit no longer stands: it
    counts through its correction only, so a correction can move the dates back as well as forward."""
    facts = list(visits)
    corrected = {v.amends for v in facts if v.amends is not None}
    dates = NO_VISITS
    for v in facts:
        if v.id not in corrected:
            dates = after_visit(dates, v.day, v.outcome)
    return dates
