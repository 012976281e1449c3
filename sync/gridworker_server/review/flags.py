"""The flags the server raises on visits at push (gridworker_shared.domain.review_flags): the facts
each rule needs are read once per batch of new visits (a push is one worker's), the rules decide, and
the flags are written on the new visits and on the earlier ones a rule implicates (a rapid cluster,
notes identical to an earlier visit's). Every household whose earlier visits got a flag has its review
row sent again, so the reviewers' laptops learn a flag raised on an earlier visit too.

A push's new visits are judged before their bulk insert (:func:`flag_new`): their flags go in with
them, and only an earlier visit a rule implicates is updated (one statement for all of them). The rules
read only what they can use: the worker's visits around the new ones, the street's notes when a note is
long enough to compare, a household's history only when a new visit is 不在家. A correction, inserted
already, is judged by its id (:func:`raise_flags`).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet
from gridworker_server.driver import all_rows, among
from gridworker_server.models import Household, Visit
from gridworker_server.review.settings import Streets
from gridworker_shared.domain import review_flags as rules
from gridworker_shared.protocol import review_scope


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Fact(NamedTuple):
    """A visit as the rules see it, from the database or from a row about to be inserted."""

    id: uuid.UUID
    household_id: uuid.UUID
    worker_id: uuid.UUID
    visited_at: dt.datetime
    received_at: dt.datetime
    outcome: str
    notes: str
    form_seconds: int | None
    flags: list[str]
    review_state: str
    no: int
    grid_id: uuid.UUID
    compound: str
    building: str


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
    Visit.no,
    Household.grid_id,
    Household.compound,
    Household.building,
)


class _Statements:
    """Built once per dialect: a push runs them, and building a statement costs more Python than running
    it; the reads run through the driver on PostgreSQL (:func:`driver.all_rows`)."""

    def __init__(self, dialect: str) -> None:
        facts = select(*_COLUMNS).join(Household, Household.id == Visit.household_id)
        at = Visit.visited_at
        window = at.between(bindparam("first", type_=at.type), bindparam("last", type_=at.type))
        self.by_ids = facts.where(among(Visit.__table__.c.id, "ids", dialect))
        self.around = facts.where(Visit.worker_id == bindparam("worker"), window)
        self.same_notes = facts.where(among(Visit.__table__.c.notes, "notes", dialect), window)
        self.history = (
            select(Visit.id, Visit.household_id, Visit.visited_at, Visit.outcome, Visit.review_state, Visit.no)
            .where(among(Visit.__table__.c.household_id, "ids", dialect))
            .order_by(Visit.visited_at, Visit.no)
        )
        vt: Any = Visit.__table__
        self.set_flags = (
            # the flags are the reviewers' (not in the worker's visit row): the visit keeps its stamp
            update(vt)
            .where(vt.c.id == bindparam("b_id"))
            .values(flags=bindparam("b_flags", type_=vt.c.flags.type), sv=vt.c.sv)
        )


_statements = functools.cache(_Statements)


def _rows(s: Session, name: str, params: dict[str, Any]) -> list[Any]:
    conn = s.connection()
    return all_rows(conn, getattr(_statements(conn.dialect.name), name), params)


def _facts(rows: Iterable[Any]) -> list[Fact]:
    return [Fact(*row) for row in rows]


class _Found:
    """Flags found per visit, and each visit's facts (to touch their households' review rows)."""

    def __init__(self) -> None:
        self.codes: dict[uuid.UUID, set[str]] = {}
        self.facts: dict[uuid.UUID, Fact] = {}

    def add(self, fact: Fact, code: str) -> None:
        self.codes.setdefault(fact.id, set()).add(code)
        self.facts[fact.id] = fact


class Placed(Protocol):
    """Where a new visit's household is: the ORM's, or the facts a push read of it."""

    @property
    def grid_id(self) -> uuid.UUID: ...

    @property
    def compound(self) -> str: ...

    @property
    def building(self) -> str: ...


def flag_new(
    s: Session,
    cs: ChangeSet,
    rows: Sequence[dict[str, Any]],
    households: Mapping[uuid.UUID, Placed],
    streets: Streets,
) -> None:
    """Judge a push's new visits before their bulk insert: each row (a dict as inserted, numbered
    already) gets its ``flags``; earlier visits a rule implicates are updated here."""
    if not rows:
        return
    new: list[Fact] = []
    for row in rows:
        h = households[row["household_id"]]
        new.append(
            Fact(
                row["id"],
                row["household_id"],
                row["worker_id"],
                row["visited_at"],
                row["received_at"],
                row["outcome"],
                row["notes"],
                row["form_seconds"],
                [],
                "pending",
                row["no"],
                h.grid_id,
                h.compound,
                h.building,
            )
        )
    found = _judge(s, new, streets, amendment=False, inserted=False)
    for row in rows:
        row["flags"] = sorted(found.codes.get(row["id"], ()))
    pending = {row["id"] for row in rows}
    _write(s, cs, found, skip=pending)


def raise_flags(
    s: Session,
    cs: ChangeSet,
    visit_ids: Sequence[uuid.UUID],
    streets: Streets | None = None,
    *,
    amendment: bool = False,
) -> None:
    """Run the rules for visits inserted already (``visit_ids``) and write what they raise. An
    ``amendment`` keeps the time of the visit it corrects and arrives later by nature: no late entry."""
    if not visit_ids:
        return
    streets = streets or Streets(s)
    new = _facts(_rows(s, "by_ids", {"ids": list(visit_ids)}))
    _write(s, cs, _judge(s, new, streets, amendment=amendment, inserted=True), skip=set())


def _judge(s: Session, new: list[Fact], streets: Streets, *, amendment: bool, inserted: bool) -> _Found:
    """Every rule over ``new`` (in the database already when ``inserted``, else about to be)."""
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
    extra = [] if inserted else new  # what the reads cannot see yet
    _rapid(s, new, extra, streets, found)
    _same_notes(s, new, extra, streets, found)
    _not_home(s, new, extra, streets, found)
    return found


def _rapid(s: Session, new: list[Fact], extra: list[Fact], streets: Streets, found: _Found) -> None:
    by_worker: dict[uuid.UUID, list[Fact]] = {}
    for v in new:
        by_worker.setdefault(v.worker_id, []).append(v)
    for worker, mine in by_worker.items():
        st = streets.settings(mine[0].grid_id)
        span = dt.timedelta(minutes=st.rapid_minutes)
        first = min(_aware(v.visited_at) for v in mine) - span
        last = max(_aware(v.visited_at) for v in mine) + span
        around = _facts(_rows(s, "around", {"worker": worker, "first": first, "last": last}))
        standing = {v.id: v for v in [*around, *extra] if v.review_state != "amended" and v.worker_id == worker}
        if len(standing) < st.rapid_households:
            continue  # too few visits around for any cluster
        timed = [
            rules.Timed(v.id, _aware(v.visited_at), v.household_id, (v.compound, v.building)) for v in standing.values()
        ]
        for vid in rules.rapid_sequence(timed, st):
            found.add(standing[vid], rules.RAPID_SEQUENCE)


def _same_notes(s: Session, new: list[Fact], extra: list[Fact], streets: Streets, found: _Found) -> None:
    noted = [v for v in new if rules.comparable_notes(v.notes, streets.settings(v.grid_id)) is not None]
    if not noted:
        return
    days = max(streets.settings(v.grid_id).same_notes_days for v in noted)
    first = min(_aware(v.visited_at) for v in noted) - dt.timedelta(days=days)
    last = max(_aware(v.visited_at) for v in noted) + dt.timedelta(days=days)
    params = {"notes": sorted({v.notes for v in noted}), "first": first, "last": last}
    candidates = {o.id: o for o in [*_facts(_rows(s, "same_notes", params)), *extra]}
    for v in noted:
        st = streets.settings(v.grid_id)
        street = streets.street_id(v.grid_id)
        others = {o.id: o for o in candidates.values() if o.id != v.id and streets.street_id(o.grid_id) == street}
        me = rules.Noted(v.id, _aware(v.visited_at), v.household_id, v.notes)
        rivals = (rules.Noted(o.id, _aware(o.visited_at), o.household_id, o.notes) for o in others.values())
        for vid in rules.same_notes(me, rivals, st):
            found.add(v if vid == v.id else others[vid], rules.SAME_NOTES)


def _not_home(s: Session, new: list[Fact], extra: list[Fact], streets: Streets, found: _Found) -> None:
    # a streak ends with the visit judged: only a 不在家 visit can complete or prolong one
    judged = [v for v in new if v.outcome == "not_home" and streets.settings(v.grid_id).not_home_streak > 0]
    if not judged:
        return
    households = sorted({v.household_id for v in judged})
    rows: dict[uuid.UUID, Any] = {r.id: r for r in _rows(s, "history", {"ids": households})}
    for v in extra:
        if v.household_id in households:
            rows.setdefault(v.id, v)
    history: dict[uuid.UUID, list[Any]] = {}
    for r in sorted(rows.values(), key=lambda r: (_aware(r.visited_at), r.no)):
        if r.review_state != "amended":  # a corrected visit no longer stands
            history.setdefault(r.household_id, []).append(r)
    for v in judged:
        st = streets.settings(v.grid_id)
        standing = history.get(v.household_id, [])
        upto = [r.outcome for r in standing if (_aware(r.visited_at), r.id) <= (_aware(v.visited_at), v.id)]
        if rules.not_home_streak(upto, st):
            found.add(v, rules.NOT_HOME_STREAK)


def _write(s: Session, cs: ChangeSet, found: _Found, *, skip: set[uuid.UUID]) -> None:
    """The flags found on visits in the database (those in ``skip`` are written by their insert), in
    one statement; their households' review rows go out again."""
    params: list[dict[str, Any]] = []
    for vid, codes in found.codes.items():
        if vid in skip:
            continue
        fact = found.facts[vid]
        before = list(fact.flags or [])
        after = before + sorted(c for c in codes if c not in before)
        if after != before:
            params.append({"b_id": vid, "b_flags": after})
            cs.upsert(review_scope(fact.grid_id), "review", fact.household_id)
    if params:
        conn = s.connection()
        conn.execute(_statements(conn.dialect.name).set_flags, params)
