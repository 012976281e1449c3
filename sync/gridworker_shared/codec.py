"""The pull's rows: one encoder (the server) and one decoder (the app) per wire entity, side by side.

A pull page is positional and compact: the first sync of a 500-household grid must fit in 100 KB of
gzip on the wire. A row lists its entity's :data:`COLUMNS` in order and leaves out trailing empty
values (the decoder pads them back). Ids are base64url without padding (22 characters), dates ISO,
instants Unix seconds (UTC). A household travels as one aggregate with its members, its recent visits,
its requests and its contact cards; a member whose id is derived from its household (roster and demo
rows: :func:`member_id`) travels without one; a visit names the members it saw by their index in the
aggregate and its guide articles' actions by one letter; sex and birth date are left out when the ID
number gives them.

Records are plain NamedTuples whose fields are the columns: the server builds them from its rows and
encodes them; the app decodes rows into them and writes its tables. Datetimes are UTC: an encoder takes
naive as UTC, a decoder gives aware UTC. A decoder reads what its encoder writes, and is lenient where
older pages or hand-built rows differ (an ISO instant, an action spelled out, a photo that is not
base64); a child row it cannot read (no id) is left out of its aggregate. Defaults for values the
server never leaves empty (a relation, a layout, a version) are the reader's business.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from gridworker_shared.domain.validation import id_birth_date, id_sex

Row = list[Any]
_R = TypeVar("_R")

COLUMNS: dict[str, tuple[str, ...]] = {
    "org_unit": ("id", "code", "name", "kind", "parent_id", "liaison_name", "liaison_phone"),
    "household": (
        "id",
        "grid_id",
        "micro_grid_id",
        "compound",
        "building",
        "unit",
        "floor",
        "room",
        "phone",
        "notes",
        "tags",
        "visit_interval_days",
        "registered_on",
        "last_met_on",
        "last_attempt_on",
        "version",
        "members",
        "visits",
        "requests",
        "cards",
    ),
    "member": ("id", "name", "relation", "phone", "id_number", "sex", "birth_date", "inactive", "version"),
    # visited_at: Unix seconds (UTC); seen: indexes into the aggregate's members; articles: rows of
    # COLUMNS["visit_article"]
    "visit": ("id", "worker_id", "visited_at", "outcome", "notes", "amends_id", "seen", "articles"),
    # action: "e" explained, "h" handed out
    "visit_article": ("id", "version", "action", "title"),
    "request": ("id", "visit_id", "category", "description", "urgency", "due_on", "status", "status_note", "version"),
    # contact cards the household received, oldest first; issued_at: Unix seconds (UTC)
    "card": ("id", "card_user_id", "issued_at", "layout", "reprint", "printed_by"),
    # the global scope: the policy guide (a withdrawn article is a remove of entity "article")
    "article": (
        "id",
        "slug",
        "category",
        "title",
        "summary",
        "body",
        "phones",
        "effective_from",
        "effective_to",
        "version",
        "published_at",
    ),
    # a grid's scope: the worker who looks after it, with what their contact card shows (photo: base64)
    # and every grid they hold (the same row in each of those scopes; a remove in a grid's scope takes
    # that grid off the row, and the row goes with its last grid)
    "worker": ("id", "username", "name", "phone", "service_hours", "card_line", "photo", "grids"),
}

# a visit's article actions on the wire, and back (a spelled-out action is read as itself)
ACTION_CODES = {"explained": "e", "handed_out": "h"}
ACTIONS = {code: action for action, code in ACTION_CODES.items()} | {a: a for a in ACTION_CODES}

MEMBER_NAMESPACE = uuid.UUID("5f0b8d36-2f0e-4c1f-9a53-6f1f3c1d2b7a")


class WireError(ValueError):
    """A row the decoder cannot read: a required value is missing."""


# --- values ----------------------------------------------------------------------------------------


def pack_id(value: uuid.UUID | None) -> str | None:
    return None if value is None else base64.urlsafe_b64encode(value.bytes).decode().rstrip("=")


def unpack_id(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(bytes=base64.urlsafe_b64decode(value + "=="))


def member_id(household_id: uuid.UUID, index: int) -> uuid.UUID:
    """The id of a member the server created (roster, demo): derived, so the wire need not carry it."""
    return uuid.uuid5(MEMBER_NAMESPACE, f"{household_id}/{index}")


def _trim(row: Row) -> Row:
    """Trailing empty values are left out: the decoder pads a row to its columns."""
    while row and row[-1] in (None, "", [], False, 0):
        row.pop()
    return row


def _pad(row: Sequence[Any], size: int) -> Row:
    return [*row, *([None] * (size - len(row)))]


def _id(value: Any) -> uuid.UUID | None:
    return unpack_id(value) if value else None


def _required(value: Any, name: str) -> uuid.UUID:
    if not value:
        raise WireError(f"no {name}")
    return uuid.UUID(bytes=base64.urlsafe_b64decode(value + "=="))


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _read_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _seconds(when: dt.datetime) -> int:
    return int((when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp())


def _instant(value: Any) -> dt.datetime:
    """Unix seconds, or an ISO string (naive means UTC), as aware UTC."""
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# --- org units (a grid scope's tree and the global one) ------------------------------------------------


class OrgUnitRecord(NamedTuple):
    id: uuid.UUID
    code: str
    name: str
    kind: str
    parent_id: uuid.UUID | None
    liaison_name: str
    liaison_phone: str


def encode_org_unit(u: OrgUnitRecord) -> Row:
    return _trim([pack_id(u.id), u.code, u.name, u.kind, pack_id(u.parent_id), u.liaison_name, u.liaison_phone])


def decode_org_unit(row: Sequence[Any]) -> OrgUnitRecord:
    uid, code, name, kind, parent, liaison_name, liaison_phone = _pad(row, 7)
    return OrgUnitRecord(
        _required(uid, "id"), code or "", name or "", kind or "", _id(parent), liaison_name or "", liaison_phone or ""
    )


# --- the household aggregate: members, visits (with their articles), requests, cards ---------------------


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


def encode_member(m: MemberRecord, household_id: uuid.UUID, index: int) -> Row:
    """A member at ``index`` of its household; the id, sex and birth date only when the wire needs them."""
    sex, birth = m.sex, m.birth_date
    if len(m.id_number) == 18:
        try:
            if id_sex(m.id_number) == sex:
                sex = ""
            if id_birth_date(m.id_number) == birth:
                birth = None
        except ValueError:
            pass
    return _trim(
        [
            None if m.id == member_id(household_id, index) else pack_id(m.id),
            m.name,
            m.relation,
            m.phone,
            m.id_number,
            sex,
            _date(birth),
            m.inactive,
            m.version,
        ]
    )


def decode_member(row: Sequence[Any], household_id: uuid.UUID, index: int) -> MemberRecord:
    pid, name, relation, phone, number, sex, birth, inactive, version = _pad(row, 9)
    number, sex, birth = number or "", sex or "", _read_date(birth)
    if len(number) == 18:
        try:
            sex = sex or id_sex(number)
            birth = birth or id_birth_date(number)
        except ValueError:
            pass
    return MemberRecord(
        _id(pid) or member_id(household_id, index),
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
    return _trim([pack_id(a.id), a.version, ACTION_CODES[a.action], a.title])


def decode_visit_article(row: Sequence[Any]) -> VisitArticleRecord:
    aid, version, code, title = _pad(row, 4)
    action = ACTIONS.get(code or "")
    if action is None:
        raise WireError(f"unknown action {code!r}")
    return VisitArticleRecord(_required(aid, "id"), version or 0, action, title or "")


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


def encode_visit(v: VisitRecord, index: Mapping[uuid.UUID, int]) -> Row:
    """A visit; ``index``: the position of each of the household's members."""
    return _trim(
        [
            pack_id(v.id),
            pack_id(v.worker_id),
            _seconds(v.visited_at),
            v.outcome,
            v.notes,
            pack_id(v.amends_id),
            [index[s] for s in v.seen if s in index],
            [encode_visit_article(a) for a in v.articles],
        ]
    )


def decode_visit(row: Sequence[Any], member_ids: Sequence[uuid.UUID]) -> VisitRecord:
    vid, worker, when, outcome, notes, amends, seen, articles = _pad(row, 8)
    if when is None:
        raise WireError("no visited_at")
    count = len(member_ids)
    return VisitRecord(
        _required(vid, "id"),
        _id(worker),
        _instant(when),
        outcome or "",
        notes or "",
        _id(amends),
        [member_ids[i] for i in seen or [] if isinstance(i, int) and 0 <= i < count],
        _readable(decode_visit_article, articles),
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


def encode_request(r: RequestRecord) -> Row:
    return _trim(
        [
            pack_id(r.id),
            pack_id(r.visit_id),
            r.category,
            r.description,
            r.urgency,
            _date(r.due_on),
            r.status,
            r.status_note,
            r.version,
        ]
    )


def decode_request(row: Sequence[Any]) -> RequestRecord:
    rid, visit, category, description, urgency, due, status, note, version = _pad(row, 9)
    return RequestRecord(
        _required(rid, "id"),
        _id(visit),
        category or "",
        description or "",
        urgency or "",
        _read_date(due),
        status or "",
        note or "",
        version or 0,
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
    return _trim(
        [pack_id(c.id), pack_id(c.card_user_id), _seconds(c.issued_at), c.layout, c.reprint, pack_id(c.printed_by)]
    )


def decode_card(row: Sequence[Any]) -> CardRecord:
    cid, user, issued, layout, reprint, printed_by = _pad(row, 6)
    if issued is None:
        raise WireError("no issued_at")
    return CardRecord(
        _required(cid, "id"),
        _required(user, "card_user_id"),
        _instant(issued),
        layout or "",
        bool(reprint),
        _id(printed_by),
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
    return _trim(
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
            _date(h.registered_on),
            _date(h.last_met_on),
            _date(h.last_attempt_on),
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
    ) = _pad(row, 20)
    household_id = _required(hid, "id")
    people = [decode_member(m, household_id, i) for i, m in enumerate(members or [])]
    return HouseholdRecord(
        household_id,
        _id(grid),
        _id(micro),
        compound or "",
        building or "",
        unit or "",
        floor,
        room or "",
        phone or "",
        notes or "",
        list(tags or []),
        interval,
        _read_date(registered),
        _read_date(met),
        _read_date(attempt),
        version or 0,
        people,
        _readable(decode_visit, visits, [m.id for m in people]),
        _readable(decode_request, requests),
        _readable(decode_card, cards),
    )


def _readable(decode: Callable[..., _R], rows: Sequence[Any] | None, *context: Any) -> list[_R]:
    """The child rows ``decode`` can read: one without its id (or with an unknown article action) is
    left out of its aggregate."""
    out = []
    for row in rows or []:
        try:
            out.append(decode(row, *context))
        except WireError:
            continue
    return out


# --- the guide's articles (the global scope) ---------------------------------------------------------


class ArticleRecord(NamedTuple):
    id: uuid.UUID
    slug: str
    category: str
    title: str
    summary: str
    body: str
    phones: list[str]
    effective_from: dt.date | None
    effective_to: dt.date | None
    version: int
    published_at: dt.datetime | None


def encode_article(a: ArticleRecord) -> Row:
    return _trim(
        [
            pack_id(a.id),
            a.slug,
            a.category,
            a.title,
            a.summary,
            a.body,
            a.phones,
            _date(a.effective_from),
            _date(a.effective_to),
            a.version,
            None if a.published_at is None else _seconds(a.published_at),
        ]
    )


def decode_article(row: Sequence[Any]) -> ArticleRecord:
    aid, slug, category, title, summary, body, phones, start, end, version, published = _pad(row, 11)
    return ArticleRecord(
        _required(aid, "id"),
        slug or "",
        category or "",
        title or "",
        summary or "",
        body or "",
        list(phones or []),
        _read_date(start),
        _read_date(end),
        version or 0,
        None if published is None else _instant(published),
    )


# --- workers' contact cards (grid scopes) ----------------------------------------------------------------


class WorkerRecord(NamedTuple):
    id: uuid.UUID
    username: str
    name: str
    phone: str
    service_hours: str
    card_line: str
    photo: bytes | None
    grids: list[uuid.UUID]  # every grid the worker holds (the wire sorts them by their packed ids)


def encode_worker(w: WorkerRecord) -> Row:
    return _trim(
        [
            pack_id(w.id),
            w.username,
            w.name,
            w.phone,
            w.service_hours,
            w.card_line,
            base64.b64encode(w.photo).decode() if w.photo else "",
            sorted(pack_id(g) or "" for g in w.grids),
        ]
    )


def decode_worker(row: Sequence[Any]) -> WorkerRecord:
    wid, username, name, phone, hours, card_line, photo, grids = _pad(row, 8)
    return WorkerRecord(
        _required(wid, "id"),
        username or "",
        name or "",
        phone or "",
        hours or "",
        card_line or "",
        _photo(photo),
        [g for g in (_id(x) for x in grids or []) if g is not None],
    )


def _photo(value: Any) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return None
