"""A review scope's rows ("r:<grid>", a station's or supervisor's laptop): a household's visits for
review with their review events, and the back-checks drawn from them.

A street's copy holds up to 10,000 households and two years of visits (200,000), and its first sync
must stay under 4 MB of gzip: a visit travels by its server number (``no``, ascending within the
row, sent as the difference from the one before) rather than its 22-character id, which only visits
with requests carry (the grid scope's requests name their visit by its id); its form time only while
it is recent (REVIEW_ID_DAYS; its short_form flag stays); its worker as an index
into the row's list of workers; its time as seconds after the visit before; the members it saw by
their position in the household. The household's other data (members, requests, cards) travels in
its grid scope ("g:<grid>") as before.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from gridworker_shared.codec.wire import (
    ACTION_CODES,
    ACTIONS,
    Row,
    WireError,
    instant,
    iso,
    need_id,
    pack_id,
    pad,
    read_id,
    read_iso,
    seconds,
    trim,
)
from gridworker_shared.domain.review import STATE_CODES, STATES_BY_CODE

# review events younger than this carry their id, and visits this recent their form time
REVIEW_ID_DAYS = 60


def _state(code: Any) -> str:
    state = STATES_BY_CODE.get(code or "")
    if state is None:
        raise WireError(f"unknown review state {code!r}")
    return state


class ReviewVisitRecord(NamedTuple):
    no: int
    id: uuid.UUID | None  # only on visits that still need something (see the module)
    worker_id: uuid.UUID
    visited_at: dt.datetime
    received_at: dt.datetime
    outcome: str
    notes: str
    amends_no: int | None
    seen: list[int]  # positions of the household's members
    articles: list[tuple[uuid.UUID, str]]  # (article id, action)
    form_seconds: int | None
    state: str
    flags: list[str]


class ReviewEventRecord(NamedTuple):
    """One review of a visit, or the worker's amendment of it (action "amend"), as the server kept it."""

    id: uuid.UUID
    visit_no: int
    action: str  # approve, return, question, reopen, comment, amend
    actor_id: uuid.UUID | None
    at: dt.datetime
    reason: str
    comment: str
    pins: list[str]
    state: str  # the visit's state after it
    effective: bool  # False: kept, but it changed nothing (it crossed an amendment)


class ReviewHouseholdRecord(NamedTuple):
    id: uuid.UUID  # the household
    visits: list[ReviewVisitRecord]  # ascending by number
    events: list[ReviewEventRecord]


# the namespace of the ids a decoder gives the events sent without theirs (see encode_review_household)
EVENT_NAMESPACE = uuid.UUID("6f1d9a52-3c1e-4a55-9a7e-0b6c2f7d41e3")


def derived_event_id(household_id: uuid.UUID, visit_no: int, ordinal: int) -> uuid.UUID:
    """The id of a visit's ``ordinal``-th event (0 first, in the row's order) sent without its own."""
    return uuid.uuid5(EVENT_NAMESPACE, f"{household_id}:{visit_no}:{ordinal}")


def _foldable(h: ReviewHouseholdRecord, ids_since: dt.datetime | None) -> dict[int, ReviewEventRecord]:
    """Visits whose one event is a plain approval older than ``ids_since``: most of two years' visits.
    Their row carries it as [approver, day] rather than an event of its own."""
    if ids_since is None:
        return {}
    by_visit: dict[int, list[ReviewEventRecord]] = {}
    for e in h.events:
        by_visit.setdefault(e.visit_no, []).append(e)
    return {
        no: e
        for no, (e, *more) in by_visit.items()
        if not more
        and e.action == "approve"
        and e.state == "approved"
        and e.effective
        and e.at < ids_since
        and not (e.reason or e.comment or e.pins)
    }


def _folded(e: ReviewEventRecord | None, v: ReviewVisitRecord, person: Callable[[uuid.UUID], int]) -> Row | None:
    if e is None:
        return None
    days = (seconds(e.at) - seconds(v.received_at) // 60 * 60) // 86400
    return [None if e.actor_id is None else person(e.actor_id), days]


def encode_review_household(h: ReviewHouseholdRecord, ids_since: dt.datetime | None = None) -> Row:
    """[household id, people, visits, events], the household's whole review data (a client replaces
    what it held of the household with it).

    ``people``: the visits' workers, then the events' actors not among them, each once. A visit is
    [no - previous no, id, worker (index into people), visited_at - previous visited_at (minutes),
    received_at - visited_at (minutes), outcome, notes, amends_no, seen (a bit per member position),
    articles, form_seconds, state code, flags]; times are to the minute. An event is [id, visit (index
    into the row's visits), action, actor (index into people, None for none), its time after its
    visit's received_at (minutes), state code, ineffective, reason, comment, pins]; an event older than
    ``ids_since`` (the server passes REVIEW_ID_DAYS ago: no laptop still waits for its own review's
    answer) is sent without its id and its time in whole days, and the decoder gives it
    :func:`derived_event_id`; a visit whose one event is such an old plain approval carries it in its
    row instead, as a 14th column [approver (index into people), day] (the lean copy is what keeps a
    street's two years of visits and their approvals under 4 MB)."""
    people: list[uuid.UUID] = []
    index: dict[uuid.UUID, int] = {}

    def person(who: uuid.UUID) -> int:
        if who not in index:
            index[who] = len(people)
            people.append(who)
        return index[who]

    rows: list[Row] = []
    position: dict[int, tuple[int, ReviewVisitRecord]] = {}
    folded = _foldable(h, ids_since)
    last_no, last_at = 0, 0
    for n, v in enumerate(h.visits):
        at = seconds(v.visited_at) // 60
        position[v.no] = (n, v)
        rows.append(
            trim(
                [
                    v.no - last_no,
                    pack_id(v.id),
                    person(v.worker_id),
                    at - last_at,
                    seconds(v.received_at) // 60 - at,
                    v.outcome,
                    v.notes,
                    v.amends_no,
                    sum(1 << i for i in set(v.seen)),
                    [[pack_id(a), ACTION_CODES[action]] for a, action in v.articles],
                    v.form_seconds,
                    STATE_CODES[v.state],
                    v.flags,
                    _folded(folded.get(v.no), v, person),
                ]
            )
        )
        last_no, last_at = v.no, at
    events: list[Row] = []
    for e in h.events:
        if e.visit_no not in position or folded.get(e.visit_no) is e:
            continue  # its visit left the window, or the visit's row carries it
        n, v = position[e.visit_no]
        settled = ids_since is not None and e.at < ids_since
        after = seconds(e.at) - seconds(v.received_at) // 60 * 60
        events.append(
            trim(
                [
                    None if settled else pack_id(e.id),
                    n,
                    e.action,
                    None if e.actor_id is None else person(e.actor_id),
                    after // 86400 if settled else after // 60,
                    STATE_CODES[e.state],
                    not e.effective,
                    e.reason,
                    e.comment,
                    e.pins,
                ]
            )
        )
    return trim([pack_id(h.id), [pack_id(w) for w in people], rows, events])


def decode_review_household(row: Sequence[Any]) -> ReviewHouseholdRecord:
    hid_raw, people_raw, visit_rows, event_rows = pad(row, 4)
    hid = need_id(hid_raw, "id")
    people = [need_id(w, "worker") for w in people_raw or []]
    visits: list[ReviewVisitRecord] = []
    approvals: list[tuple[ReviewVisitRecord, list[Any]]] = []
    last_no, last_at = 0, 0
    for raw in visit_rows or []:
        (dno, vid, worker, dat, late, outcome, notes, amends, seen, articles, form, state, flags, approval) = pad(
            raw, 14
        )[:14]
        if not isinstance(dno, int) or not isinstance(worker, int) or not 0 <= worker < len(people):
            raise WireError("a review visit without its number or worker")
        no, at = last_no + dno, last_at + (dat or 0)
        last_no, last_at = no, at
        if isinstance(seen, int):
            seen = [i for i in range(seen.bit_length()) if seen >> i & 1]
        visits.append(
            ReviewVisitRecord(
                no,
                read_id(vid),
                people[worker],
                instant(at * 60),
                instant((at + (late or 0)) * 60),
                outcome or "",
                notes or "",
                amends or None,
                [i for i in seen or [] if isinstance(i, int)],
                [(need_id(a, "article"), ACTIONS[c]) for a, c in (articles or []) if c in ACTIONS],
                form,
                _state(state),
                list(flags or []),
            )
        )
        if isinstance(approval, list) and len(approval) == 2:
            approvals.append((visits[-1], approval))
    events = [_unfolded(hid, v, people, approval) for v, approval in approvals]
    ordinals: dict[int, int] = {v.no: 1 for v, _ in approvals}
    for raw in event_rows or []:
        event = _decode_event(hid, raw, visits, people, ordinals)
        if event is not None:
            events.append(event)
    return ReviewHouseholdRecord(hid, visits, events)


def _unfolded(
    hid: uuid.UUID, v: ReviewVisitRecord, people: Sequence[uuid.UUID], approval: list[Any]
) -> ReviewEventRecord:
    """The old plain approval a visit's row carries, as the event it is."""
    actor, days = approval
    who = people[actor] if isinstance(actor, int) and 0 <= actor < len(people) else None
    at = seconds(v.received_at) + (days if isinstance(days, int) else 0) * 86400
    return ReviewEventRecord(
        derived_event_id(hid, v.no, 0), v.no, "approve", who, instant(at), "", "", [], "approved", True
    )


def _decode_event(
    hid: uuid.UUID,
    row: Sequence[Any],
    visits: Sequence[ReviewVisitRecord],
    people: Sequence[uuid.UUID],
    ordinals: dict[int, int],
) -> ReviewEventRecord | None:
    """One event; None for a row that names no visit of the household or no action (skipped, as a
    reader skips an unreadable row)."""
    eid, n, action, actor, dat, state, ineffective, reason, comment, pins = pad(row, 10)[:10]
    if not isinstance(n, int) or not 0 <= n < len(visits) or not action:
        return None
    visit = visits[n]
    ordinal = ordinals.get(visit.no, 0)
    ordinals[visit.no] = ordinal + 1
    who = people[actor] if isinstance(actor, int) and 0 <= actor < len(people) else None
    try:
        state_name = _state(state)
    except WireError:
        return None
    return ReviewEventRecord(
        read_id(eid) or derived_event_id(hid, visit.no, ordinal),
        visit.no,
        str(action),
        who,
        instant(seconds(visit.received_at) + (dat if isinstance(dat, int) else 0) * (60 if eid else 86400)),
        reason or "",
        comment or "",
        [p for p in pins or [] if isinstance(p, str)],
        state_name,
        not ineffective,
    )


class BackcheckRecord(NamedTuple):
    """A visit drawn for a call-back (电话回访) in a week's draw; result "" until someone has called."""

    id: uuid.UUID
    visit_no: int
    household_id: uuid.UUID
    worker_id: uuid.UUID
    week: dt.date  # the Monday of the week whose visits were drawn from
    reason: str  # sample, flagged, new_worker
    result: str  # "", confirmed, denied, unreachable
    note: str
    checked_by: uuid.UUID | None
    checked_at: dt.datetime | None


def encode_backcheck(b: BackcheckRecord) -> Row:
    return trim(
        [
            pack_id(b.id),
            b.visit_no,
            pack_id(b.household_id),
            pack_id(b.worker_id),
            iso(b.week),
            b.reason,
            b.result,
            b.note,
            pack_id(b.checked_by),
            None if b.checked_at is None else seconds(b.checked_at),
        ]
    )


def decode_backcheck(row: Sequence[Any]) -> BackcheckRecord:
    bid, no, hid, worker, week, reason, result, note, by, at = pad(row, 10)[:10]
    day = read_iso(week)
    if not isinstance(no, int) or day is None:
        raise WireError("a back-check without its visit or week")
    return BackcheckRecord(
        need_id(bid, "id"),
        no,
        need_id(hid, "household"),
        need_id(worker, "worker"),
        day,
        reason or "",
        result or "",
        note or "",
        read_id(by),
        None if at is None else instant(at),
    )
