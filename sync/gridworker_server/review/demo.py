"""The demo city's review (and the benchmarks' street): form times, a few late entries and copied
notes, the flags the server's rules raise over them (run in memory over bulk rows, the same rules as
at push), and a handful of review events, so a supervisor signing into the demo sees a real queue."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from gridworker_server.models import Visit, VisitReview
from gridworker_shared.domain import review_flags as rules
from gridworker_shared.domain.review import StreetSettings

Row = dict[str, Any]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def flag_rows(rows: Sequence[Row], buildings: Mapping[uuid.UUID, tuple[str, str]], st: StreetSettings) -> None:
    """Every rule over bulk visit rows (dicts as inserted), in memory; each row's ``flags`` set."""
    found: dict[uuid.UUID, set[str]] = {row["id"]: set() for row in rows}
    by_worker: dict[uuid.UUID, list[Row]] = {}
    by_notes: dict[str, list[Row]] = {}
    by_household: dict[uuid.UUID, list[Row]] = {}
    for row in rows:
        at = _aware(row["visited_at"])
        if rules.short_form(row.get("form_seconds"), st):
            found[row["id"]].add(rules.SHORT_FORM)
        if rules.late_entry(at, _aware(row["received_at"]), st):
            found[row["id"]].add(rules.LATE_ENTRY)
        if rules.off_hours(at, st):
            found[row["id"]].add(rules.OFF_HOURS)
        by_worker.setdefault(row["worker_id"], []).append(row)
        key = rules.comparable_notes(row["notes"], st)
        if key is not None:
            by_notes.setdefault(key, []).append(row)
        by_household.setdefault(row["household_id"], []).append(row)
    for mine in by_worker.values():
        timed = [
            rules.Timed(r["id"], _aware(r["visited_at"]), r["household_id"], buildings.get(r["household_id"], ("", "")))
            for r in mine
        ]
        for vid in rules.rapid_sequence(timed, st):
            found[vid].add(rules.RAPID_SEQUENCE)
    span = dt.timedelta(days=st.same_notes_days)
    for group in by_notes.values():
        group.sort(key=lambda r: _aware(r["visited_at"]))
        for i, row in enumerate(group):
            at = _aware(row["visited_at"])
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(group) and abs(_aware(group[j]["visited_at"]) - at) <= span:
                    if group[j]["household_id"] != row["household_id"]:
                        found[row["id"]].add(rules.SAME_NOTES)
                        break
                    j += step
    for visits in by_household.values():
        visits.sort(key=lambda r: (_aware(r["visited_at"]), r["no"]))
        outcomes: list[str] = []
        for row in visits:
            outcomes.append(row["outcome"])
            if rules.not_home_streak(outcomes, st):
                found[row["id"]].add(rules.NOT_HOME_STREAK)
    for row in rows:
        row["flags"] = sorted(found[row["id"]])


def annotate(rows: Sequence[Row], rng: random.Random, copied_note: str, now: dt.datetime) -> None:
    """What a season of real use leaves on visits: the form's time (a few far too short), a few
    entries made days late, one worker's notes copied from one household to the next."""
    for row in rows:
        row["form_seconds"] = rng.randint(12, 25) if rng.random() < 0.03 else rng.randint(45, 420)
        late = _aware(row["visited_at"]) + dt.timedelta(hours=rng.randint(50, 120))
        if rng.random() < 0.02 and late < now:
            row["received_at"] = late
    met = [r for r in rows if r["outcome"] == "met"]
    if len(met) >= 3:
        worker = rng.choice(met)["worker_id"]
        theirs = sorted((r for r in met if r["worker_id"] == worker), key=lambda r: r["visited_at"])[-3:]
        for row in theirs:
            row["notes"] = copied_note


def review_events(
    s: Session,
    rows: Sequence[Row],
    reviewer_id: uuid.UUID,
    rng: random.Random,
    comments: Mapping[str, Sequence[str]],
    *,
    now: dt.datetime,
) -> int:
    """Approvals of most visits older than three weeks, and per worker two returns with a comment
    and a question: VisitReview rows and the visits' states, in bulk. The number of events."""
    events: list[Row] = []
    states: list[Row] = []
    by_worker: dict[uuid.UUID, list[Row]] = {}
    for row in rows:
        by_worker.setdefault(row["worker_id"], []).append(row)
    old = now - dt.timedelta(days=21)
    for visits in by_worker.values():
        recent = [r for r in visits if _aware(r["visited_at"]) >= old]
        rng.shuffle(recent)
        picks = {r["id"]: ("return", "returned") for r in recent[:2]}
        picks.update({r["id"]: ("question", "questioned") for r in recent[2:3]})
        for row in visits:
            action = picks.get(row["id"])
            if action is None and _aware(row["visited_at"]) < old and rng.random() < 0.8:
                action = ("approve", "approved")
            if action is None:
                continue
            verb, state = action
            comment = rng.choice(list(comments[verb])) if verb in comments else ""
            at = max(_aware(row["received_at"]), _aware(row["visited_at"])) + dt.timedelta(hours=rng.randint(2, 70))
            events.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "visit_id": row["id"],
                    "action": verb,
                    "from_state": "pending",
                    "to_state": state,
                    "reason": "incomplete" if verb == "return" else "",
                    "comment": comment,
                    "pins": ["seen"] if verb == "return" else [],
                    "effective": True,
                    "actor_id": reviewer_id,
                    "mutation_id": None,
                    "at": min(at, now),
                }
            )
            states.append({"b_id": row["id"], "b_state": state})
    for start in range(0, len(events), 5000):
        s.execute(insert(VisitReview), events[start : start + 5000])
    if states:
        vt = Visit.__table__.c
        stmt = update(Visit).where(vt.id == bindparam("b_id")).values(review_state=bindparam("b_state"))
        s.connection().execute(stmt, states)
    return len(events)
