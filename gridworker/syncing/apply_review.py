"""Applying the review scopes ("r:<grid>", a station's or supervisor's laptop) and the review columns
of a worker's own visits (gridworker_shared.codec.review, codec.households).

A review row is a household's visits for review with their events: it replaces what the laptop held of
that household (visits, their flags, their events). A back-check row replaces the back-check. The grid
of a row is its household's (the reviewer's grid scopes bring the households; the pull reads the scopes
in order, "g:" before "r:"); a row whose household is not here yet takes the grid its rows had, and
:func:`settle_review_grids` gives it its household's grid once the whole pull is applied.

Review state is the server's. This laptop's own review still in the outbox (``pending_action``,
``pending_result``) stays marked until the outbox has sent it: the row shows it waiting.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from gridworker.store.models import Backcheck, Household, Outbox, ReviewEvent, ReviewFlag, ReviewVisit, Visit
from gridworker_shared.codec import (
    ReviewHouseholdRecord,
    ReviewVisitRecord,
    VisitRecord,
    WireError,
    decode_backcheck,
    decode_review_household,
    pack_id,
    unpack_id,
)

# a review row whose household has not arrived yet (settled at the end of the pull)
UNKNOWN_GRID = uuid.UUID(int=0)


def _naive(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.UTC).replace(tzinfo=None)


def _ids(values: Iterable[str]) -> list[uuid.UUID]:
    return [i for i in (unpack_id(x) for x in values if x) if i is not None]


def _pending_reviews(s: Session) -> dict[int, str]:
    """Visit number -> the action of this laptop's review of it still waiting in the outbox."""
    out: dict[int, str] = {}
    for payload in s.scalars(select(Outbox.payload).where(Outbox.state == "pending", Outbox.kind == "visit.review")):
        no = payload.get("visit_no") if isinstance(payload, dict) else None
        if isinstance(no, int):
            out[no] = str(payload.get("action") or "")
    return out


def _pending_results(s: Session) -> dict[uuid.UUID, str]:
    """Back-check id -> the result this laptop recorded that is still waiting in the outbox."""
    out: dict[uuid.UUID, str] = {}
    for entity, payload in s.execute(
        select(Outbox.entity_id, Outbox.payload).where(Outbox.state == "pending", Outbox.kind == "backcheck.result")
    ):
        out[entity] = str(payload.get("result") or "") if isinstance(payload, dict) else ""
    return out


def drop_review_households(s: Session, households: Iterable[uuid.UUID], grid: uuid.UUID | None = None) -> None:
    """A household's review rows (of ``grid`` only, when given): its visits, their flags, its events."""
    ids = list(households)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(ReviewVisit.household_id).where(ReviewVisit.household_id.in_(chunk))
        if grid is not None:
            chunk = list(set(s.scalars(query.where(ReviewVisit.grid_id == grid))))
            if not chunk:
                continue
        nos = select(ReviewVisit.no).where(ReviewVisit.household_id.in_(chunk))
        s.execute(delete(ReviewFlag).where(ReviewFlag.visit_no.in_(nos)))
        s.execute(delete(ReviewEvent).where(ReviewEvent.household_id.in_(chunk)))
        s.execute(delete(ReviewVisit).where(ReviewVisit.household_id.in_(chunk)))


def drop_review_scope(s: Session, grid: uuid.UUID) -> None:
    """A review scope reset or left: every review row and back-check of its grid."""
    drop_review_households(s, set(s.scalars(select(ReviewVisit.household_id).where(ReviewVisit.grid_id == grid))))
    s.execute(delete(Backcheck).where(Backcheck.grid_id == grid))


def remove_review_rows(s: Session, grid: uuid.UUID, entities: dict[str, list[str]]) -> None:
    """Rows that left a review scope: households' reviews, back-checks."""
    households = _ids(entities.get("review", []))
    if households:
        drop_review_households(s, households, grid)
    backchecks = _ids(entities.get("backcheck", []))
    if backchecks:
        s.execute(delete(Backcheck).where(Backcheck.id.in_(backchecks), Backcheck.grid_id == grid))


def _grids(s: Session, households: list[uuid.UUID], model: Any) -> dict[uuid.UUID, uuid.UUID]:
    """Each household's grid: its own (the grid scopes bring it), else the one its rows had."""
    out: dict[uuid.UUID, uuid.UUID] = {}
    for start in range(0, len(households), 500):
        chunk = households[start : start + 500]
        for hid, grid in s.execute(select(Household.id, Household.grid_id).where(Household.id.in_(chunk))):
            out[hid] = grid
        missing = [h for h in chunk if h not in out]
        if missing:
            rows = select(model.household_id, model.grid_id).where(model.household_id.in_(missing)).distinct()
            for hid, grid in s.execute(rows):
                out.setdefault(hid, grid)
    return out


def apply_reviews(s: Session, raw_rows: list[list[Any]]) -> int:
    """Review rows: each replaces its household's review visits, flags and events (a street's first
    sync brings 10,000 of them: one statement per table and page). Returns how many households."""
    if not raw_rows:
        return 0
    decoded: dict[uuid.UUID, ReviewHouseholdRecord] = {}
    for raw in raw_rows:
        try:
            h = decode_review_household(raw)
        except (WireError, ValueError, TypeError):
            continue
        decoded[h.id] = h  # the same household twice in a page: the later row is the newer
    if not decoded:
        return 0
    waiting = _pending_reviews(s)
    households = list(decoded)
    grids = _grids(s, households, ReviewVisit)
    drop_review_households(s, households)
    visits: dict[int, dict[str, Any]] = {}
    events: dict[uuid.UUID, dict[str, Any]] = {}
    for h in decoded.values():
        for v in h.visits:
            visits[v.no] = _visit_row(h.id, grids.get(h.id, UNKNOWN_GRID), v, waiting.get(v.no, ""))
        for e in h.events:
            events[e.id] = {
                "id": e.id,
                "visit_no": e.visit_no,
                "household_id": h.id,
                "action": e.action,
                "actor_id": e.actor_id,
                "at": _naive(e.at),
                "reason": e.reason,
                "comment": e.comment,
                "pins": list(e.pins),
                "state": e.state,
                "effective": e.effective,
            }
    if visits:
        s.execute(insert(ReviewVisit), list(visits.values()))
        flags = sorted({(str(code), no) for no, v in visits.items() for code in v["flags"] if code})
        if flags:
            s.execute(insert(ReviewFlag), [{"code": c, "visit_no": no} for c, no in flags])
    if events:
        s.execute(insert(ReviewEvent), list(events.values()))
    return len(decoded)


def _visit_row(household: uuid.UUID, grid: uuid.UUID, v: ReviewVisitRecord, pending: str) -> dict[str, Any]:
    return {
        "no": v.no,
        "id": v.id,
        "household_id": household,
        "grid_id": grid,
        "worker_id": v.worker_id,
        "visited_at": _naive(v.visited_at),
        "received_at": _naive(v.received_at),
        "outcome": v.outcome or "met",
        "notes": v.notes,
        "amends_no": v.amends_no,
        "seen": list(v.seen),
        "articles": [[pack_id(a), action] for a, action in v.articles],
        "form_seconds": v.form_seconds if isinstance(v.form_seconds, int) else None,
        "state": v.state,
        "flags": list(v.flags),
        "pending_action": pending,
    }


def apply_backchecks(s: Session, raw_rows: list[list[Any]]) -> None:
    """Back-check rows: each replaces the back-check (its result as the server has it)."""
    if not raw_rows:
        return
    waiting = _pending_results(s)
    rows = []
    for raw in raw_rows:
        try:
            rows.append(decode_backcheck(raw))
        except (WireError, ValueError, TypeError):
            continue
    grids = _grids(s, list({b.household_id for b in rows}), Backcheck)
    for b in rows:
        values = {
            "visit_no": b.visit_no,
            "household_id": b.household_id,
            "grid_id": grids.get(b.household_id, UNKNOWN_GRID),
            "worker_id": b.worker_id,
            "week": b.week,
            "reason": b.reason,
            "result": b.result,
            "note": b.note,
            "checked_by": b.checked_by,
            "checked_at": None if b.checked_at is None else _naive(b.checked_at),
            "pending_result": waiting.get(b.id, ""),
        }
        s.execute(delete(Backcheck).where(Backcheck.id == b.id))
        s.execute(insert(Backcheck), [{"id": b.id, **values}])


def settle_review_grids(s: Session) -> None:
    """Rows that arrived before their household: the household's grid, now that the pull is applied."""
    for model in (ReviewVisit, Backcheck):
        household = select(Household.grid_id).where(Household.id == model.household_id)
        s.execute(
            update(model)
            .where(model.grid_id == UNKNOWN_GRID, household.exists())
            .values(grid_id=household.scalar_subquery())
        )


def update_visit_reviews(s: Session, visits: list[VisitRecord]) -> None:
    """The server's number and review of visits this laptop already holds (a worker's copy): a
    returned visit carries the reviewer's reason, comment and pinned fields. One statement, many rows."""
    if not visits:
        return
    s.execute(
        update(Visit),
        [
            {
                "id": v.id,
                "no": v.no,
                "review_state": v.review_state,
                "review_reason": v.review_reason,
                "review_comment": v.review_comment,
                "review_pins": list(v.review_pins),
            }
            for v in visits
        ],
    )
