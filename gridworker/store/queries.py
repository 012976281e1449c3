"""What the screens read: pages of households in walking order, a household's detail, the month's
coverage, the unsent changes. Plain rows and dataclasses out, no ORM objects kept by the caller.

List queries are keyset-paged on (walk_key, id): a page is one indexed range read however deep the
user scrolls, and the Today list and search both use the same row shape.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from gridworker.domain.search import parse_query
from gridworker.store.models import (
    Household,
    HouseholdTag,
    Meta,
    OrgUnit,
    Outbox,
    Person,
    ResidentRequest,
    SearchKey,
    Visit,
    VisitPerson,
)

PAGE_SIZE = 200


@dataclass(frozen=True)
class HouseholdRow:
    id: uuid.UUID
    walk_key: str
    bucket: int  # 0 overdue, 1 due (Today); 0 elsewhere
    compound: str
    building: str
    unit: str
    room: str
    head_name: str
    phone: str
    tags: tuple[str, ...]
    due_on: dt.date
    last_met_on: dt.date | None
    unsent: bool


@dataclass(frozen=True)
class Page:
    rows: list[HouseholdRow]
    more: bool  # another page follows

    @property
    def after(self) -> tuple[int, str, uuid.UUID] | None:
        if not self.rows:
            return None
        last = self.rows[-1]
        return (last.bucket, last.walk_key, last.id)


@dataclass(frozen=True)
class Filters:
    text: str = ""
    tag: str | None = None
    compound: str | None = None
    building: str | None = None
    overdue_only: bool = False


def _tags_column() -> Any:
    return (
        select(func.group_concat(HouseholdTag.tag, ","))
        .where(HouseholdTag.household_id == Household.id)
        .correlate(Household)
        .scalar_subquery()
    )


def _unsent_column() -> Any:
    return exists().where(and_(Outbox.household_id == Household.id, Outbox.state == "pending"))


def _row_select(bucket: Any) -> Select[Any]:
    return select(
        Household.id,
        Household.walk_key,
        bucket.label("bucket"),
        Household.compound,
        Household.building,
        Household.unit,
        Household.room,
        Household.head_name,
        Household.phone,
        _tags_column().label("tags"),
        Household.due_on,
        Household.last_met_on,
        _unsent_column().label("unsent"),
    )


def _to_page(result: list[Any], limit: int) -> Page:
    rows = [
        HouseholdRow(
            r.id,
            r.walk_key,
            int(r.bucket),
            r.compound,
            r.building,
            r.unit,
            r.room,
            r.head_name,
            r.phone,
            tuple(sorted(r.tags.split(","))) if r.tags else (),
            r.due_on,
            r.last_met_on,
            bool(r.unsent),
        )
        for r in result[:limit]
    ]
    return Page(rows, len(result) > limit)


def search_statement(
    filters: Filters, today: dt.date, after: tuple[int, str, uuid.UUID] | None = None, limit: int = PAGE_SIZE
) -> Select[Any]:
    """Households matching the filters, in walking order. Each query token is an OR of key ranges
    on the search_key primary key; tokens are ANDed."""
    stmt = _row_select(literal(0))
    for ranges in parse_query(filters.text):
        keys = select(SearchKey.household_id).where(
            or_(*(and_(SearchKey.key >= lo, SearchKey.key < hi) for lo, hi in ranges))
        )
        stmt = stmt.where(Household.id.in_(keys))
    if filters.tag:
        stmt = stmt.where(
            exists().where(and_(HouseholdTag.household_id == Household.id, HouseholdTag.tag == filters.tag))
        )
    if filters.compound is not None:
        stmt = stmt.where(Household.compound == filters.compound)
    if filters.building is not None:
        stmt = stmt.where(Household.building == filters.building)
    if filters.overdue_only:
        stmt = stmt.where(Household.due_on < today)
    if after is not None:
        stmt = stmt.where(tuple_(Household.walk_key, Household.id) > tuple_(literal(after[1]), literal(after[2])))
    return stmt.order_by(Household.walk_key, Household.id).limit(limit + 1)


def search(
    s: Session,
    filters: Filters,
    today: dt.date,
    after: tuple[int, str, uuid.UUID] | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    return _to_page(list(s.execute(search_statement(filters, today, after, limit))), limit)


def due_statement(
    today: dt.date, after: tuple[int, str, uuid.UUID] | None = None, limit: int = PAGE_SIZE
) -> Select[Any]:
    """Today: households due or overdue, overdue first, each group in walking order."""
    bucket = case((Household.due_on < today, 0), else_=1)
    stmt = _row_select(bucket).where(Household.due_on <= today)
    if after is not None:
        stmt = stmt.where(
            tuple_(bucket, Household.walk_key, Household.id)
            > tuple_(literal(after[0]), literal(after[1]), literal(after[2]))
        )
    return stmt.order_by(bucket, Household.walk_key, Household.id).limit(limit + 1)


def due(s: Session, today: dt.date, after: tuple[int, str, uuid.UUID] | None = None, limit: int = PAGE_SIZE) -> Page:
    return _to_page(list(s.execute(due_statement(today, after, limit))), limit)


# -- coverage ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """This month: households met of all (户户到) and persons seen of all (人人见)."""

    households_visited: int
    households_total: int
    persons_seen: int
    persons_total: int
    due_today: int
    overdue: int


def month_start_utc(today: dt.date) -> dt.datetime:
    local = dt.datetime(today.year, today.month, 1).astimezone()
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _effective_met_visits(since: dt.datetime) -> Any:
    """Visits this month that met the household and were not corrected by a later amendment."""
    amendment = aliased(Visit)
    return and_(
        Visit.visited_at >= since,
        Visit.outcome == "met",
        ~exists().where(amendment.amends_id == Visit.id),
    )


def coverage(s: Session, today: dt.date) -> Coverage:
    since = month_start_utc(today)
    visited = s.scalar(select(func.count(func.distinct(Visit.household_id))).where(_effective_met_visits(since)))
    seen = s.scalar(
        select(func.count(func.distinct(VisitPerson.person_id)))
        .join(Visit, Visit.id == VisitPerson.visit_id)
        .join(Person, and_(Person.id == VisitPerson.person_id, Person.active))
        .where(_effective_met_visits(since))
    )
    households = s.scalar(select(func.count()).select_from(Household))
    persons = s.scalar(select(func.count()).select_from(Person).where(Person.active))
    overdue = s.scalar(select(func.count()).select_from(Household).where(Household.due_on < today))
    due_today = s.scalar(select(func.count()).select_from(Household).where(Household.due_on == today))
    return Coverage(visited or 0, households or 0, seen or 0, persons or 0, due_today or 0, overdue or 0)


# -- one household --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    name: str
    relation: str
    sex: str
    birth_date: dt.date | None
    phone: str
    id_number: str
    unsent: bool


@dataclass(frozen=True)
class RequestRow:
    id: uuid.UUID
    category: str
    description: str
    urgency: str
    status: str
    due_on: dt.date
    created_at: dt.datetime
    sync_state: str


@dataclass(frozen=True)
class VisitRow:
    id: uuid.UUID
    visited_at: dt.datetime  # UTC
    outcome: str
    notes: str
    seen: tuple[str, ...]
    seen_ids: tuple[uuid.UUID, ...]
    amends_id: uuid.UUID | None
    amended_by: uuid.UUID | None
    requests: tuple[RequestRow, ...]
    sync_state: str  # pending, applied, rejected, conflict


@dataclass(frozen=True)
class HouseholdDetail:
    id: uuid.UUID
    compound: str
    building: str
    unit: str
    floor: int | None
    room: str
    head_name: str
    phone: str
    notes: str
    tags: tuple[str, ...]
    visit_interval_days: int
    interval_fixed: bool
    last_met_on: dt.date | None
    last_attempt_on: dt.date | None
    due_on: dt.date
    grid_name: str
    micro_grid_name: str
    liaison_name: str
    liaison_phone: str
    members: tuple[MemberRow, ...]
    visits: tuple[VisitRow, ...]
    requests: tuple[RequestRow, ...]
    unsent: int
    version: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _states(s: Session, entity_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each entity's sync state: the state of its latest outbox entry, 'applied' when it has none."""
    if not entity_ids:
        return {}
    rows = s.execute(
        select(Outbox.entity_id, Outbox.state).where(Outbox.entity_id.in_(entity_ids)).order_by(Outbox.seq)
    )
    return {r.entity_id: r.state for r in rows}


def household_detail(s: Session, household_id: uuid.UUID) -> HouseholdDetail | None:
    h = s.get(Household, household_id)
    if h is None:
        return None
    grid = s.get(OrgUnit, h.grid_id)
    micro = s.get(OrgUnit, h.micro_grid_id) if h.micro_grid_id else None
    members = list(
        s.scalars(select(Person).where(Person.household_id == h.id, Person.active).order_by(Person.position))
    )
    visits = list(s.scalars(select(Visit).where(Visit.household_id == h.id).order_by(Visit.visited_at.desc())))
    requests = list(
        s.scalars(
            select(ResidentRequest)
            .where(ResidentRequest.household_id == h.id)
            .order_by(ResidentRequest.created_at.desc())
        )
    )
    names = {r.id: r.name for r in s.execute(select(Person.id, Person.name).where(Person.household_id == h.id))}
    seen: dict[uuid.UUID, list[uuid.UUID]] = {}
    if visits:
        for vp in s.scalars(select(VisitPerson).where(VisitPerson.visit_id.in_([v.id for v in visits]))):
            seen.setdefault(vp.visit_id, []).append(vp.person_id)
    states = _states(s, [h.id] + [m.id for m in members] + [v.id for v in visits] + [r.id for r in requests])
    amended_by = {v.amends_id: v.id for v in visits if v.amends_id}

    def request_row(r: ResidentRequest) -> RequestRow:
        state = states.get(r.id) or (states.get(r.visit_id, "applied") if r.visit_id else "applied")
        return RequestRow(r.id, r.category, r.description, r.urgency, r.status, r.due_on, r.created_at, state)

    request_rows = tuple(request_row(r) for r in requests)
    by_visit: dict[uuid.UUID, list[RequestRow]] = {}
    for r, row in zip(requests, request_rows, strict=True):
        if r.visit_id:
            by_visit.setdefault(r.visit_id, []).append(row)
    unsent = s.scalar(
        select(func.count()).select_from(Outbox).where(Outbox.household_id == h.id, Outbox.state == "pending")
    )
    return HouseholdDetail(
        id=h.id,
        compound=h.compound,
        building=h.building,
        unit=h.unit,
        floor=h.floor,
        room=h.room,
        head_name=h.head_name,
        phone=h.phone,
        notes=h.notes,
        tags=tuple(sorted(s.scalars(select(HouseholdTag.tag).where(HouseholdTag.household_id == h.id)))),
        visit_interval_days=h.visit_interval_days,
        interval_fixed=h.interval_fixed,
        last_met_on=h.last_met_on,
        last_attempt_on=h.last_attempt_on,
        due_on=h.due_on,
        grid_name=grid.name if grid else "",
        micro_grid_name=micro.name if micro else "",
        liaison_name=micro.liaison_name if micro else "",
        liaison_phone=micro.liaison_phone if micro else "",
        members=tuple(
            MemberRow(
                m.id,
                m.name,
                m.relation,
                m.sex,
                m.birth_date,
                m.phone,
                m.id_number,
                states.get(m.id) == "pending",
            )
            for m in members
        ),
        visits=tuple(
            VisitRow(
                v.id,
                v.visited_at,
                v.outcome,
                v.notes,
                tuple(names.get(p, "?") for p in seen.get(v.id, [])),
                tuple(seen.get(v.id, [])),
                v.amends_id,
                amended_by.get(v.id),
                tuple(by_visit.get(v.id, [])),
                states.get(v.id, "applied"),
            )
            for v in visits
        ),
        requests=request_rows,
        unsent=unsent or 0,
        version=h.version,
    )


# -- filters, unsent ----------------------------------------------------------------------------


def buildings(s: Session) -> list[tuple[str, str]]:
    """(compound, building) pairs in walking order, for the building filter."""
    rows = s.execute(
        select(Household.compound, Household.building, func.min(Household.walk_key).label("k"))
        .group_by(Household.compound, Household.building)
        .order_by("k")
    )
    return [(r.compound, r.building) for r in rows]


def tags_in_use(s: Session) -> list[str]:
    return list(s.scalars(select(HouseholdTag.tag).distinct().order_by(HouseholdTag.tag)))


def unsent_count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(Outbox).where(Outbox.state == "pending")) or 0


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    kind: str
    household: str
    created_at: dt.datetime
    state: str
    error: str


def outbox_rows(s: Session, limit: int = 1000) -> list[OutboxRow]:
    """Changes not yet accepted by the server: pending, rejected and conflicting, oldest first."""
    rows = s.execute(
        select(
            Outbox.seq,
            Outbox.kind,
            Outbox.created_at,
            Outbox.state,
            Outbox.error,
            Household.compound,
            Household.building,
            Household.unit,
            Household.room,
            Household.head_name,
        )
        .outerjoin(Household, Household.id == Outbox.household_id)
        .where(Outbox.state != "applied")
        .order_by(Outbox.seq)
        .limit(limit)
    )
    out = []
    for r in rows:
        where = "-".join(p for p in (r.building, r.unit, r.room) if p)
        label = f"{r.compound} {where} {r.head_name}".strip() if r.compound is not None else ""
        out.append(OutboxRow(r.seq, r.kind, label, r.created_at, r.state, r.error))
    return out


def meta(s: Session, key: str) -> str | None:
    row = s.get(Meta, key)
    return row.value if row else None
