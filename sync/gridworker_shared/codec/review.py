"""A review scope's rows ("r:<grid>", a station's or supervisor's laptop): a household's visits for
review with their review events, and the back-checks drawn from them.

A street's copy holds up to 10,000 households and two years of visits (200,000), and its first sync
must stay under 4 MB of gzip: a visit travels by its server number (``no``, ascending within the
row, sent as the difference from the one before) rather than its 22-character id, which only visits
that still need something (not approved, or of the last REVIEW_ID_DAYS) carry; its worker as an index
into the row's list of workers; its time as seconds after the visit before; the members it saw by
their position in the household. The household's other data (members, requests, cards) travels in
its grid scope ("g:<grid>") as before.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
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
    readable,
    seconds,
    trim,
)
from gridworker_shared.domain.review import STATE_CODES, STATES_BY_CODE

# visits younger than this carry their UUID in a review row (older ones only when not yet approved)
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


def encode_review_household(h: ReviewHouseholdRecord) -> Row:
    """[household id, workers, visits, events]; a visit is [no - previous no, id, worker index,
    visited_at - previous visited_at, received_at - visited_at, outcome, notes, amends_no, seen,
    articles, form_seconds, state code, flags]."""
    workers: list[uuid.UUID] = []
    index: dict[uuid.UUID, int] = {}
    rows: list[Row] = []
    last_no, last_at = 0, 0
    for v in h.visits:
        if v.worker_id not in index:
            index[v.worker_id] = len(workers)
            workers.append(v.worker_id)
        at = seconds(v.visited_at)
        rows.append(
            trim(
                [
                    v.no - last_no,
                    pack_id(v.id),
                    index[v.worker_id],
                    at - last_at,
                    seconds(v.received_at) - at,
                    v.outcome,
                    v.notes,
                    v.amends_no,
                    v.seen,
                    [[pack_id(a), ACTION_CODES[action]] for a, action in v.articles],
                    v.form_seconds,
                    STATE_CODES[v.state],
                    v.flags,
                ]
            )
        )
        last_no, last_at = v.no, at
    events = [
        trim(
            [
                pack_id(e.id),
                e.visit_no,
                e.action,
                pack_id(e.actor_id),
                seconds(e.at),
                e.reason,
                e.comment,
                e.pins,
                STATE_CODES[e.state],
                not e.effective,
            ]
        )
        for e in h.events
    ]
    return trim([pack_id(h.id), [pack_id(w) for w in workers], rows, events])


def decode_review_household(row: Sequence[Any]) -> ReviewHouseholdRecord:
    hid, workers_raw, visit_rows, event_rows = pad(row, 4)
    workers = [need_id(w, "worker") for w in workers_raw or []]
    visits: list[ReviewVisitRecord] = []
    last_no, last_at = 0, 0
    for raw in visit_rows or []:
        (dno, vid, worker, dat, late, outcome, notes, amends, seen, articles, form, state, flags) = pad(raw, 13)
        if not isinstance(dno, int) or not isinstance(worker, int) or not 0 <= worker < len(workers):
            raise WireError("a review visit without its number or worker")
        no, at = last_no + dno, last_at + (dat or 0)
        last_no, last_at = no, at
        visits.append(
            ReviewVisitRecord(
                no,
                read_id(vid),
                workers[worker],
                instant(at),
                instant(at + (late or 0)),
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
    return ReviewHouseholdRecord(need_id(hid, "id"), visits, readable(decode_review_event, event_rows))


def decode_review_event(row: Sequence[Any]) -> ReviewEventRecord:
    eid, no, action, actor, at, reason, comment, pins, state, ineffective = pad(row, 10)
    if not isinstance(no, int) or not action or at is None:
        raise WireError("a review event without its visit, action or time")
    return ReviewEventRecord(
        need_id(eid, "id"),
        no,
        action,
        read_id(actor),
        instant(at),
        reason or "",
        comment or "",
        list(pins or []),
        _state(state),
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
    bid, no, hid, worker, week, reason, result, note, by, at = pad(row, 10)
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
