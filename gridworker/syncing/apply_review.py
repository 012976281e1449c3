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


def _grid_of(s: Session, household_id: uuid.UUID, model: Any) -> uuid.UUID:
    grid = s.scalar(select(Household.grid_id).where(Household.id == household_id))
    if grid is None:
        grid = s.scalar(select(model.grid_id).where(model.household_id == household_id).limit(1))
    return grid or UNKNOWN_GRID


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


def apply_reviews(s: Session, raw_rows: list[list[Any]]) -> int:
    """Review rows: each replaces its household's review visits, flags and events. Returns how many."""
    if not raw_rows:
        return 0
    waiting = _pending_reviews(s)
    applied = 0
    for raw in raw_rows:
        try:
            h = decode_review_household(raw)
        except (WireError, ValueError, TypeError):
            continue
        grid = _grid_of(s, h.id, ReviewVisit)
        drop_review_households(s, [h.id])
        visits = [
            {
                "no": v.no,
                "id": v.id,
                "household_id": h.id,
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
                "pending_action": waiting.get(v.no, ""),
            }
            for v in h.visits
        ]
        if visits:
            s.execute(insert(ReviewVisit), visits)
            flags = {(str(code), v.no) for v in h.visits for code in v.flags if code}
            if flags:
                s.execute(insert(ReviewFlag), [{"code": c, "visit_no": no} for c, no in sorted(flags)])
        events = [
            {
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
            for e in {e.id: e for e in h.events}.values()
        ]
        if events:
            s.execute(insert(ReviewEvent), events)
        applied += 1
    return applied


def apply_backchecks(s: Session, raw_rows: list[list[Any]]) -> None:
    """Back-check rows: each replaces the back-check (its result as the server has it)."""
    if not raw_rows:
        return
    waiting = _pending_results(s)
    for raw in raw_rows:
        try:
            b = decode_backcheck(raw)
        except (WireError, ValueError, TypeError):
            continue
        values = {
            "visit_no": b.visit_no,
            "household_id": b.household_id,
            "grid_id": _grid_of(s, b.household_id, Backcheck),
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
