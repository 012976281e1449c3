"""The household aggregate: the household with its members, its recent visits (with the guide articles
shown), its requests and its contact cards. A member whose id is derived from its household travels
without it; sex and birth date are left out when the ID number gives them; a visit names the members
it saw by their index in the aggregate and its articles' actions by one letter."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from gridworker_shared.codec.requests import (
    RequestEventRecord,
    decode_request_event,
    encode_request_event,
    maybe_instant,
    maybe_seconds,
)
from gridworker_shared.codec.wire import (
    ACTION_CODES,
    ACTIONS,
    Row,
    WireError,
    instant,
    iso,
    member_id,
    need_id,
    pack_id,
    pad,
    read_id,
    read_iso,
    readable,
    seconds,
    trim,
)
from gridworker_shared.domain.review import STATE_CODES, STATES_BY_CODE
from gridworker_shared.domain.validation import id_birth_date, id_sex


class MemberRecord(NamedTuple):
    id: uuid.UUID
    name: str
    relation: str
    phone: str
    id_number: str
    sex: str
    birth_date: dt.date | None
    inactive: bool
    version: int


@functools.lru_cache(maxsize=1 << 16)
def _id_facts(id_number: str) -> tuple[str, dt.date] | None:
    """The sex and birth date an 18-digit ID number gives, None for one that is not valid (validated
    once per number: a pull encodes the same members again and again)."""
    try:
        return id_sex(id_number), id_birth_date(id_number)
    except ValueError:
        return None


def encode_member(m: MemberRecord, household_id: uuid.UUID, index: int) -> Row:
    """A member at ``index`` of its household; the id, sex and birth date only when the wire needs them."""
    sex, birth = m.sex, m.birth_date
    facts = _id_facts(m.id_number) if len(m.id_number) == 18 else None
    if facts is not None:
        if facts[0] == sex:
            sex = ""
        if facts[1] == birth:
            birth = None
    return trim(
        [
            None if m.id == member_id(household_id, index) else pack_id(m.id),
            m.name,
            m.relation,
            m.phone,
            m.id_number,
            sex,
            iso(birth),
            m.inactive,
            m.version,
        ]
    )


def decode_member(row: Sequence[Any], household_id: uuid.UUID, index: int) -> MemberRecord:
    pid, name, relation, phone, number, sex, birth, inactive, version = pad(row, 9)
    number, sex, birth = number or "", sex or "", read_iso(birth)
    if len(number) == 18:
        try:
            sex = sex or id_sex(number)
            birth = birth or id_birth_date(number)
        except ValueError:
            pass
    return MemberRecord(
        read_id(pid) or member_id(household_id, index),
        name or "",
        relation or "",
        phone or "",
        number,
        sex,
        birth,
        bool(inactive),
        version or 0,
    )


class VisitArticleRecord(NamedTuple):
    """A guide article explained or handed out on a visit (action: "explained" or "handed_out")."""

    id: uuid.UUID
    version: int
    action: str
    title: str


def encode_visit_article(a: VisitArticleRecord) -> Row:
    return trim([pack_id(a.id), a.version, ACTION_CODES[a.action], a.title])


def decode_visit_article(row: Sequence[Any]) -> VisitArticleRecord:
    aid, version, code, title = pad(row, 4)
    action = ACTIONS.get(code or "")
    if action is None:
        raise WireError(f"unknown action {code!r}")
    return VisitArticleRecord(need_id(aid, "id"), version or 0, action, title or "")


class VisitRecord(NamedTuple):
    id: uuid.UUID
    worker_id: uuid.UUID | None
    visited_at: dt.datetime
    outcome: str
    notes: str
    amends_id: uuid.UUID | None
    # the members seen (the wire names them by their index in the aggregate; others are left out)
    seen: list[uuid.UUID]
    articles: list[VisitArticleRecord]
    # protocol 4: the server's number and the review the worker must see (gridworker_shared.domain.review)
    no: int | None = None
    review_state: str = "pending"
    review_reason: str = ""
    review_comment: str = ""
    review_pins: list[str] = []  # noqa: RUF012 - a NamedTuple default, never mutated


def encode_visit(v: VisitRecord, index: Mapping[uuid.UUID, int]) -> Row:
    """A visit; ``index``: the position of each of the household's members."""
    return trim(
        [
            pack_id(v.id),
            pack_id(v.worker_id),
            seconds(v.visited_at),
            v.outcome,
            v.notes,
            pack_id(v.amends_id),
            [index[s] for s in v.seen if s in index],
            [encode_visit_article(a) for a in v.articles],
            v.no,
            STATE_CODES[v.review_state],
            v.review_reason,
            v.review_comment,
            v.review_pins,
        ]
    )


def decode_visit(row: Sequence[Any], member_ids: Sequence[uuid.UUID]) -> VisitRecord:
    vid, worker, when, outcome, notes, amends, seen, articles, no, state, reason, comment, pins = pad(row, 13)
    if (state or "") not in STATES_BY_CODE:
        raise WireError(f"unknown review state {state!r}")
    if when is None:
        raise WireError("no visited_at")
    count = len(member_ids)
    return VisitRecord(
        need_id(vid, "id"),
        read_id(worker),
        instant(when),
        outcome or "",
        notes or "",
        read_id(amends),
        [member_ids[i] for i in seen or [] if isinstance(i, int) and 0 <= i < count],
        readable(decode_visit_article, articles),
        no if isinstance(no, int) else None,
        STATES_BY_CODE[state or ""],
        reason or "",
        comment or "",
        [p for p in pins or [] if isinstance(p, str)],
    )


class RequestRecord(NamedTuple):
    id: uuid.UUID
    visit_id: uuid.UUID | None
    category: str
    description: str
    urgency: str
    due_on: dt.date | None
    status: str
    status_note: str
    version: int
    # the flow (gridworker_shared.domain.request_flow): the department it is dispatched to, the clock,
    # the counts, the resident's verdict, the request it was merged into, and every event
    department_id: uuid.UUID | None = None
    dispatched_at: dt.datetime | None = None
    deadline_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    on_spot: bool = False
    bounces: int = 0
    reopens: int = 0
    failed_callbacks: int = 0
    resolved: bool | None = None  # the resident's answer at the call-back
    satisfaction: str = ""
    merged_into: uuid.UUID | None = None
    events: list[RequestEventRecord] = []  # noqa: RUF012 - a NamedTuple default, never mutated


def encode_request(r: RequestRecord) -> Row:
    return trim(
        [
            pack_id(r.id),
            pack_id(r.visit_id),
            r.category,
            r.description,
            r.urgency,
            iso(r.due_on),
            r.status,
            r.status_note,
            r.version,
            pack_id(r.department_id),
            maybe_seconds(r.dispatched_at),
            maybe_seconds(r.deadline_at),
            maybe_seconds(r.closed_at),
            r.on_spot,
            r.bounces,
            r.reopens,
            r.failed_callbacks,
            # 'y' / 'n', never 0: trim() drops a trailing 0 or False, and 'not resolved' came back unknown
            None if r.resolved is None else ("y" if r.resolved else "n"),
            r.satisfaction,
            pack_id(r.merged_into),
            [encode_request_event(e) for e in r.events],
        ]
    )


def decode_request(row: Sequence[Any]) -> RequestRecord:
    (
        rid,
        visit,
        category,
        description,
        urgency,
        due,
        status,
        note,
        version,
        department,
        dispatched,
        deadline,
        closed,
        on_spot,
        bounces,
        reopens,
        failed,
        resolved,
        satisfaction,
        merged_into,
        events,
    ) = pad(row, 21)
    return RequestRecord(
        need_id(rid, "id"),
        read_id(visit),
        category or "",
        description or "",
        urgency or "",
        read_iso(due),
        status or "",
        note or "",
        version or 0,
        read_id(department),
        maybe_instant(dispatched),
        maybe_instant(deadline),
        maybe_instant(closed),
        bool(on_spot),
        bounces or 0,
        reopens or 0,
        failed or 0,
        None if resolved is None else resolved in ("y", 1, True),
        satisfaction or "",
        read_id(merged_into),
        readable(decode_request_event, events),
    )


class CardRecord(NamedTuple):
    """A contact card handed to the household (``printed_by``: who printed it, if not its worker)."""

    id: uuid.UUID
    card_user_id: uuid.UUID
    issued_at: dt.datetime
    layout: str
    reprint: bool
    printed_by: uuid.UUID | None


def encode_card(c: CardRecord) -> Row:
    return trim(
        [pack_id(c.id), pack_id(c.card_user_id), seconds(c.issued_at), c.layout, c.reprint, pack_id(c.printed_by)]
    )


def decode_card(row: Sequence[Any]) -> CardRecord:
    cid, user, issued, layout, reprint, printed_by = pad(row, 6)
    if issued is None:
        raise WireError("no issued_at")
    return CardRecord(
        need_id(cid, "id"),
        need_id(user, "card_user_id"),
        instant(issued),
        layout or "",
        bool(reprint),
        read_id(printed_by),
    )


class HouseholdRecord(NamedTuple):
    id: uuid.UUID
    grid_id: uuid.UUID | None
    micro_grid_id: uuid.UUID | None
    compound: str
    building: str
    unit: str
    floor: int | None
    room: str
    phone: str
    notes: str
    tags: list[str]
    visit_interval_days: int | None  # None: the interval follows the tags
    registered_on: dt.date | None
    last_met_on: dt.date | None
    last_attempt_on: dt.date | None
    version: int
    members: list[MemberRecord]  # in their order: a member's position is its index
    visits: list[VisitRecord]
    requests: list[RequestRecord]
    cards: list[CardRecord]  # oldest first


def encode_household(h: HouseholdRecord) -> Row:
    index = {m.id: i for i, m in enumerate(h.members)}
    return trim(
        [
            pack_id(h.id),
            pack_id(h.grid_id),
            pack_id(h.micro_grid_id),
            h.compound,
            h.building,
            h.unit,
            h.floor,
            h.room,
            h.phone,
            h.notes,
            h.tags,
            h.visit_interval_days,
            iso(h.registered_on),
            iso(h.last_met_on),
            iso(h.last_attempt_on),
            h.version,
            [encode_member(m, h.id, i) for i, m in enumerate(h.members)],
            [encode_visit(v, index) for v in h.visits],
            [encode_request(r) for r in h.requests],
            [encode_card(c) for c in h.cards],
        ]
    )


def decode_household(row: Sequence[Any]) -> HouseholdRecord:
    (
        hid,
        grid,
        micro,
        compound,
        building,
        unit,
        floor,
        room,
        phone,
        notes,
        tags,
        interval,
        registered,
        met,
        attempt,
        version,
        members,
        visits,
        requests,
        cards,
    ) = pad(row, 20)
    household_id = need_id(hid, "id")
    people = [decode_member(m, household_id, i) for i, m in enumerate(members or [])]
    return HouseholdRecord(
        household_id,
        read_id(grid),
        read_id(micro),
        compound or "",
        building or "",
        unit or "",
        floor,
        room or "",
        phone or "",
        notes or "",
        list(tags or []),
        interval,
        read_iso(registered),
        read_iso(met),
        read_iso(attempt),
        version or 0,
        people,
        readable(decode_visit, visits, [m.id for m in people]),
        readable(decode_request, requests),
        readable(decode_card, cards),
    )
