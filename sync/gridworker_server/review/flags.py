"""The flags the server raises on visits at push (gridworker_shared.domain.review_flags): the facts
each rule needs are read once per batch of new visits (a push is one worker's), the rules decide, and
the flags are written on the new visits and on the earlier ones a rule implicates (a rapid cluster,
notes identical to an earlier visit's). Every household whose visits got a flag has its review row
sent again, so the reviewers' laptops learn a flag raised on an earlier visit too."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet
from gridworker_server.models import Household, Visit
from gridworker_server.review.settings import Streets
from gridworker_shared.domain import review_flags as rules
from gridworker_shared.protocol import review_scope


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


_COLUMNS = (
    Visit.id,
    Visit.household_id,
    Visit.worker_id,
    Visit.visited_at,
    Visit.received_at,
    Visit.outcome,
    Visit.notes,
    Visit.form_seconds,
    Visit.flags,
    Visit.review_state,
    Household.grid_id,
    Household.compound,
    Household.building,
)


def _read(s: Session, condition: Any) -> list[Any]:
    return list(s.execute(select(*_COLUMNS).join(Household, Household.id == Visit.household_id).where(condition)))


class _Found:
    """Flags found per visit, and each visit's household and grid (to touch their review rows)."""

    def __init__(self) -> None:
        self.codes: dict[uuid.UUID, set[str]] = {}
        self.rows: dict[uuid.UUID, Any] = {}

    def add(self, row: Any, code: str) -> None:
        self.codes.setdefault(row.id, set()).add(code)
        self.rows[row.id] = row


def raise_flags(
    s: Session,
    cs: ChangeSet,
    visit_ids: Sequence[uuid.UUID],
    streets: Streets | None = None,
    *,
    amendment: bool = False,
) -> None:
    """Run the rules for the visits just inserted (``visit_ids``) and write what they raise. An
    ``amendment`` keeps the time of the visit it corrects and arrives later by nature: no late entry."""
    if not visit_ids:
        return
    streets = streets or Streets(s)
    new = _read(s, Visit.id.in_(list(visit_ids)))
    found = _Found()
    for v in new:
        st = streets.settings(v.grid_id)
        at = _aware(v.visited_at)
        if rules.short_form(v.form_seconds, st):
            found.add(v, rules.SHORT_FORM)
        if not amendment and rules.late_entry(at, _aware(v.received_at), st):
            found.add(v, rules.LATE_ENTRY)
        if rules.off_hours(at, st):
            found.add(v, rules.OFF_HOURS)
    _rapid(s, new, streets, found)
    _same_notes(s, new, streets, found)
    _not_home(s, new, streets, found)
    _write(s, cs, found)


def _rapid(s: Session, new: list[Any], streets: Streets, found: _Found) -> None:
    by_worker: dict[uuid.UUID, list[Any]] = {}
    for v in new:
        by_worker.setdefault(v.worker_id, []).append(v)
    for worker, mine in by_worker.items():
        st = streets.settings(mine[0].grid_id)
        span = dt.timedelta(minutes=st.rapid_minutes)
        first = min(_aware(v.visited_at) for v in mine) - span
        last = max(_aware(v.visited_at) for v in mine) + span
        around = _read(s, (Visit.worker_id == worker) & Visit.visited_at.between(first, last))
        standing = {v.id: v for v in around if v.review_state != "amended"}
        timed = [
            rules.Timed(v.id, _aware(v.visited_at), v.household_id, (v.compound, v.building)) for v in standing.values()
        ]
        for vid in rules.rapid_sequence(timed, st):
            found.add(standing[vid], rules.RAPID_SEQUENCE)


def _same_notes(s: Session, new: list[Any], streets: Streets, found: _Found) -> None:
    noted = [v for v in new if rules.comparable_notes(v.notes, streets.settings(v.grid_id)) is not None]
    if not noted:
        return
    days = max(streets.settings(v.grid_id).same_notes_days for v in noted)
    first = min(_aware(v.visited_at) for v in noted) - dt.timedelta(days=days)
    last = max(_aware(v.visited_at) for v in noted) + dt.timedelta(days=days)
    candidates = _read(s, Visit.notes.in_(sorted({v.notes for v in noted})) & Visit.visited_at.between(first, last))
    for v in noted:
        st = streets.settings(v.grid_id)
        street = streets.street_id(v.grid_id)
        others = {o.id: o for o in candidates if o.id != v.id and streets.street_id(o.grid_id) == street}
        me = rules.Noted(v.id, _aware(v.visited_at), v.household_id, v.notes)
        rivals = (rules.Noted(o.id, _aware(o.visited_at), o.household_id, o.notes) for o in others.values())
        for vid in rules.same_notes(me, rivals, st):
            found.add(v if vid == v.id else others[vid], rules.SAME_NOTES)


def _not_home(s: Session, new: list[Any], streets: Streets, found: _Found) -> None:
    households = sorted({v.household_id for v in new})
    history: dict[uuid.UUID, list[Any]] = {}
    rows = s.execute(
        select(Visit.id, Visit.household_id, Visit.visited_at, Visit.outcome, Visit.review_state)
        .where(Visit.household_id.in_(households))
        .order_by(Visit.visited_at, Visit.no)
    )
    for r in rows:
        if r.review_state != "amended":  # a corrected visit no longer stands
            history.setdefault(r.household_id, []).append(r)
    for v in new:
        st = streets.settings(v.grid_id)
        standing = history.get(v.household_id, [])
        upto = [r.outcome for r in standing if (_aware(r.visited_at), r.id) <= (_aware(v.visited_at), v.id)]
        if rules.not_home_streak(upto, st):
            found.add(v, rules.NOT_HOME_STREAK)


def _write(s: Session, cs: ChangeSet, found: _Found) -> None:
    for vid, codes in found.codes.items():
        row = found.rows[vid]
        before = list(row.flags or [])
        after = before + sorted(c for c in codes if c not in before)
        if after != before:
            s.execute(update(Visit).where(Visit.id == vid).values(flags=after))
            cs.upsert(review_scope(row.grid_id), "review", row.household_id)
