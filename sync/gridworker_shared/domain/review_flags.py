"""The flags the server raises on a visit at push (issue 12), each explained in one sentence.

Pure rules over plain values and a street's settings (``StreetSettings``): the server gathers the
facts (the worker's visits around the time, the street's notes, the household's last outcomes) and
asks these functions; the laptops show the code's sentence. A flag is a hint for the reviewer, never
a refusal: the visit is kept whatever it raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from typing import Generic, NamedTuple, TypeVar

from gridworker_shared.domain.review import StreetSettings


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a sentence for lupdate (context "flags"); the app translates it where it shows it."""
    return text


K = TypeVar("K", bound=Hashable)

SHORT_FORM = "short_form"
RAPID_SEQUENCE = "rapid_sequence"
LATE_ENTRY = "late_entry"
OFF_HOURS = "off_hours"
SAME_NOTES = "same_notes"
NOT_HOME_STREAK = "not_home_streak"
CARE_OVERDUE = "care_overdue"  # a household's fact, computed by the app from its tags and dates

# code -> the one English sentence that explains it (translated in the app, context "flags")
FLAG_TEXTS: dict[str, str] = {
    SHORT_FORM: QT_TRANSLATE_NOOP("flags", "The visit form was open for less than {min_form_seconds} seconds."),
    RAPID_SEQUENCE: QT_TRANSLATE_NOOP(
        "flags",
        "The worker recorded {rapid_households} or more households in different buildings within"
        " {rapid_minutes} minutes.",
    ),
    LATE_ENTRY: QT_TRANSLATE_NOOP("flags", "Recorded more than {late_entry_hours} hours after the time it claims."),
    OFF_HOURS: QT_TRANSLATE_NOOP(
        "flags", "Visited outside {day_start_hour}:00–{day_end_hour}:00 (local time of the visit)."
    ),
    SAME_NOTES: QT_TRANSLATE_NOOP(
        "flags", "The notes are identical to those of another household's visit within {same_notes_days} days."
    ),
    NOT_HOME_STREAK: QT_TRANSLATE_NOOP(
        "flags", "Not at home {not_home_streak} times running: the household needs another way to reach it."
    ),
    CARE_OVERDUE: QT_TRANSLATE_NOOP(
        "flags", "A care-tag household not visited for more than {care_interval_days} days."
    ),
}
FLAG_CODES: tuple[str, ...] = tuple(FLAG_TEXTS)


def short_form(form_seconds: int | None, st: StreetSettings) -> bool:
    """The form was open for less than ``min_form_seconds`` (unknown before protocol 4: no flag)."""
    return form_seconds is not None and form_seconds < st.min_form_seconds


def late_entry(visited_at: dt.datetime, received_at: dt.datetime, st: StreetSettings) -> bool:
    """Received more than ``late_entry_hours`` after the time the visit claims (exactly that: no flag)."""
    return received_at - visited_at > dt.timedelta(hours=st.late_entry_hours)


def off_hours(visited_at: dt.datetime, st: StreetSettings) -> bool:
    """Outside ``day_start_hour``:00 .. ``day_end_hour``:00 local time (the street's UTC offset); both
    ends belong to the day (07:00:00 and 21:00:00 are not flagged, 21:00:01 is)."""
    local = visited_at.astimezone(dt.UTC) + dt.timedelta(minutes=st.utc_offset_minutes)
    second = local.hour * 3600 + local.minute * 60 + local.second
    return second < st.day_start_hour * 3600 or second > st.day_end_hour * 3600


class Timed(NamedTuple, Generic[K]):
    """One visit of a worker as the rapid-sequence rule sees it."""

    key: K  # what the caller names the visit by
    at: dt.datetime
    household: Hashable
    building: Hashable  # (compound, building): households of one building are next door


def rapid_sequence(visits: Sequence[Timed[K]], st: StreetSettings) -> set[K]:
    """The visits of one worker that belong to a rapid cluster: ``rapid_households`` or more
    households, in at least two different buildings, within ``rapid_minutes`` (first to last, that
    span included). Every visit of such a cluster is flagged."""
    ordered = sorted(visits, key=lambda v: v.at)
    span = dt.timedelta(minutes=st.rapid_minutes)
    flagged: set[K] = set()
    end = 0
    for start, first in enumerate(ordered):
        end = max(end, start)
        while end + 1 < len(ordered) and ordered[end + 1].at - first.at <= span:
            end += 1
        window = ordered[start : end + 1]
        if len({v.household for v in window}) >= st.rapid_households and len({v.building for v in window}) >= 2:
            flagged.update(v.key for v in window)
    return flagged


def comparable_notes(notes: str, st: StreetSettings) -> str | None:
    """The notes as compared (whitespace collapsed), or None when they are too short to compare
    (fewer than ``same_notes_min_chars`` characters: "正常" says nothing)."""
    text = " ".join(notes.split())
    return text if len(text) >= st.same_notes_min_chars else None


class Noted(NamedTuple, Generic[K]):
    key: K
    at: dt.datetime
    household: Hashable
    notes: str


def same_notes(visit: Noted[K], others: Iterable[Noted[K]], st: StreetSettings) -> set[K]:
    """The other visits whose notes are identical to ``visit``'s, of another household, within
    ``same_notes_days`` of it (that many days exactly still counts); with ``visit`` itself when any.
    Both sides of a match are flagged."""
    mine = comparable_notes(visit.notes, st)
    if mine is None:
        return set()
    span = dt.timedelta(days=st.same_notes_days)
    found = {
        o.key
        for o in others
        if o.household != visit.household and abs(o.at - visit.at) <= span and comparable_notes(o.notes, st) == mine
    }
    return found | {visit.key} if found else set()


def not_home_streak(outcomes: Sequence[str], st: StreetSettings) -> bool:
    """The household's outcomes, oldest first, ending with the visit judged: its last
    ``not_home_streak`` are all 不在家 (the visit that completes a streak, and each that prolongs it)."""
    n = st.not_home_streak
    return n > 0 and len(outcomes) >= n and all(o == "not_home" for o in outcomes[-n:])


def care_overdue(tags: Iterable[str], last_visit: dt.date | None, today: dt.date, st: StreetSettings) -> bool:
    """A household of the street's care tag (独居老人 by default) not visited for more than
    ``care_interval_days`` (never visited: overdue). The app computes it from the household's tags and
    dates; the server raises no flag for it (it is a fact of today, not of a visit)."""
    if st.care_tag not in set(tags):
        return False
    return last_visit is None or (today - last_visit).days > st.care_interval_days


def explain(code: str, st: StreetSettings) -> str:
    """The code's English sentence with the street's thresholds filled in (the code itself if unknown)."""
    text = FLAG_TEXTS.get(code)
    return code if text is None else text.format(**st.to_dict())
