"""A review scope's rows ("r:<grid>", a station's or supervisor's laptop): per household, its visits
of the last REVIEW_WINDOW_DAYS by server number with their review state and flags, and their review
events (gridworker_shared.codec.review). The household itself (members, requests) comes in its grid
scope; ``seen`` names members by their position in that aggregate (position, then id)."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from gridworker_server.models import Person, ResidentRequest, Visit, VisitReview, utcnow
from gridworker_shared.codec import (
    ReviewEventRecord,
    ReviewHouseholdRecord,
    ReviewVisitRecord,
    encode_review_household,
)
from gridworker_shared.codec.review import REVIEW_ID_DAYS
from gridworker_shared.protocol import REVIEW_WINDOW_DAYS

CHUNK = 500


class _Reads(NamedTuple):
    members: Any
    visits: Any
    events: Any
    older: Any
    requested: Any


@functools.cache
def _reads() -> _Reads:
    pt, vt, rt = Person.__table__.c, Visit.__table__.c, VisitReview.__table__.c
    qt = ResidentRequest.__table__.c
    ids: Any = bindparam("ids", expanding=True)
    return _Reads(
        select(pt.id, pt.household_id).where(pt.household_id.in_(ids)).order_by(pt.household_id, pt.position, pt.id),
        select(
            vt.id,
            vt.no,
            vt.household_id,
            vt.worker_id,
            vt.visited_at,
            vt.received_at,
            vt.outcome,
            vt.notes,
            vt.amends_id,
            vt.seen,
            vt.articles,
            vt.form_seconds,
            vt.review_state,
            vt.flags,
        )
        .where(vt.household_id.in_(ids), vt.visited_at >= bindparam("since"))
        .order_by(vt.no),
        select(
            rt.id, rt.visit_id, rt.action, rt.actor_id, rt.at, rt.reason, rt.comment, rt.pins, rt.to_state, rt.effective
        )
        .where(rt.visit_id.in_(ids))
        .order_by(rt.at, rt.id),
        select(vt.id, vt.no).where(vt.id.in_(ids)),
        select(qt.visit_id).where(qt.household_id.in_(ids)).distinct(),
    )


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def review_rows(session: Session, ids: Sequence[uuid.UUID], now: dt.datetime | None = None) -> list[list[Any]]:
    """The review rows of the households ``ids`` (a household without visits in the window: its id)."""
    now = now or utcnow()
    since = now - dt.timedelta(days=REVIEW_WINDOW_DAYS)
    fresh = now - dt.timedelta(days=REVIEW_ID_DAYS)
    q = _reads()
    conn = session.connection()
    out: list[list[Any]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        position: dict[uuid.UUID, dict[str, int]] = {}
        for pid, hid in conn.execute(q.members, {"ids": chunk}):
            places = position.setdefault(hid, {})
            places[str(pid)] = len(places)
        visits = conn.execute(q.visits, {"ids": chunk, "since": since}).all()
        numbers = {v.id: v.no for v in visits}
        missing = list({v.amends_id for v in visits if v.amends_id and v.amends_id not in numbers})
        if missing:  # an amendment of a visit older than the window still names it
            numbers.update({vid: no for vid, no in conn.execute(q.older, {"ids": missing})})
        # a visit's id goes with it when its requests (in the grid scope) name it
        requested = set(conn.scalars(q.requested, {"ids": chunk}))
        by_household: dict[uuid.UUID, list[ReviewVisitRecord]] = {}
        for v in visits:
            at = _aware(v.visited_at)
            places = position.get(v.household_id, {})
            recent = at >= fresh  # its form time still matters (the flag short_form stays either way)
            by_household.setdefault(v.household_id, []).append(
                ReviewVisitRecord(
                    v.no,
                    v.id if v.id in requested else None,
                    v.worker_id,
                    at,
                    _aware(v.received_at),
                    v.outcome,
                    v.notes,
                    numbers.get(v.amends_id) if v.amends_id else None,
                    [places[s] for s in v.seen or [] if s in places],
                    [(uuid.UUID(a["id"]), a["action"]) for a in v.articles or []],
                    v.form_seconds if recent else None,
                    v.review_state,
                    list(v.flags or []),
                )
            )
        household_of = {v.id: v.household_id for v in visits}
        events: dict[uuid.UUID, list[ReviewEventRecord]] = {}
        visit_ids = list(household_of)
        for part in range(0, len(visit_ids), 2000):
            for e in conn.execute(q.events, {"ids": visit_ids[part : part + 2000]}):
                events.setdefault(household_of[e.visit_id], []).append(
                    ReviewEventRecord(
                        e.id,
                        numbers[e.visit_id],
                        e.action,
                        e.actor_id,
                        _aware(e.at),
                        e.reason,
                        e.comment,
                        list(e.pins or []),
                        e.to_state,
                        e.effective,
                    )
                )
        for hid in chunk:
            record = ReviewHouseholdRecord(hid, by_household.get(hid, []), events.get(hid, []))
            out.append(encode_review_household(record, ids_since=fresh))
    return out
