"""A street's weekly back-checks (电话回访抽查) on the server: the draw stored, sent, audited.

A week's draw (``BackcheckDraw``, one per street and week) is made once the week is over (Monday to
Sunday, China time), by ``gridworker-server backchecks draw`` or by the first pull of one of the
street's reviewers in the week after it (:func:`due`, one indexed read once it exists). It draws, by
the shared rule (``gridworker_shared.domain.backchecks``), from the street's visits the server has
received by then: the week's own, and the late ones of the ``LATE_WEEKS`` before it (visits of an
earlier week that reached the server after that week's draw, so a worker who syncs on Monday evening
is not left out of every draw). Amendments are not drawn: a call is about the visit that happened, and
its correction shows with it. The seed is secret and kept with the draw, with the parameters and the
workers' first days: :func:`audit` draws again from them and compares.

Each back-check travels in the review scope (``r:<grid>``) of its household's grid as entity
``backcheck``; its result comes back as the mutation ``backcheck.result`` (``push/backchecks.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, func, insert, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gridworker_server.auth import Principal, descendants
from gridworker_server.changes import ChangeSet
from gridworker_server.errors import ApiError
from gridworker_server.models import (
    Backcheck,
    BackcheckDraw,
    GridAssignment,
    Household,
    OrgUnit,
    User,
    Visit,
)
from gridworker_server.review.backcheck_rows import aware, chunks
from gridworker_shared.domain.backchecks import (
    Candidate,
    Pick,
    as_flagged_then,
    candidates_digest,
    draw,
    draw_params,
    failure_rate,
    new_seed,
    settings_of,
    week_of,
)
from gridworker_shared.domain.review import StreetSettings
from gridworker_shared.protocol import review_scope

CHINA = dt.timezone(dt.timedelta(hours=8))
LATE_WEEKS = 8  # late visits of this many weeks before are drawn with a week
REVIEWERS = ("station", "supervisor")


def zone(settings: StreetSettings) -> dt.timezone:
    """The street's local time (its weeks run Monday to Sunday in it)."""
    return dt.timezone(dt.timedelta(minutes=settings.utc_offset_minutes))


def week_start(week: dt.date, tz: dt.tzinfo = CHINA) -> dt.datetime:
    """The first instant of the week beginning ``week`` (a Monday), in local time ``tz``."""
    return dt.datetime.combine(week, dt.time(), tz)


def last_week(now: dt.datetime) -> dt.date:
    """The Monday of the last week that is over at ``now`` (China time)."""
    return week_of(aware(now).astimezone(CHINA).date()) - dt.timedelta(days=7)


def street_of(s: Session, unit_id: uuid.UUID | None) -> OrgUnit | None:
    """The street an org unit is in (itself for a street); None above or outside one."""
    seen: set[uuid.UUID] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        unit = s.get(OrgUnit, unit_id)
        if unit is None:
            return None
        if unit.kind == "street":
            return unit
        unit_id = unit.parent_id
    return None


def street_grids(s: Session, street_id: uuid.UUID) -> list[uuid.UUID]:
    under = descendants(s, street_id)
    return sorted(s.scalars(select(OrgUnit.id).where(OrgUnit.kind == "grid", OrgUnit.id.in_(under))))


def find_draw(s: Session, street_id: uuid.UUID, week: dt.date) -> BackcheckDraw | None:
    return s.scalar(select(BackcheckDraw).where(BackcheckDraw.street_id == street_id, BackcheckDraw.week == week))


# --- what a draw draws from --------------------------------------------------------------------------


class Pool(NamedTuple):
    candidates: list[Candidate]
    grids: dict[uuid.UUID, uuid.UUID]  # visit -> its household's grid (the review scope it goes to)


def pool(s: Session, street_id: uuid.UUID, week: dt.date, cutoff: dt.datetime, tz: dt.tzinfo = CHINA) -> Pool:
    """The visits a street's draw of ``week`` at ``cutoff`` draws from: its grids' original visits of
    the week, and those of the ``LATE_WEEKS`` before that arrived after their own week's draw; all
    received by ``cutoff``."""
    grids = street_grids(s, street_id)
    earlier = s.execute(
        select(BackcheckDraw.week, BackcheckDraw.drawn_at).where(
            BackcheckDraw.street_id == street_id,
            BackcheckDraw.week >= week - dt.timedelta(weeks=LATE_WEEKS),
            BackcheckDraw.week < week,
            BackcheckDraw.drawn_at < cutoff,
        )
    ).all()
    windows = [_window(week, None, tz), *(_window(w, aware(at), tz) for w, at in earlier)]
    rows = s.execute(
        select(Visit.id, Visit.no, Visit.worker_id, Visit.received_at, Visit.flags, Household.grid_id)
        .join(Household, Household.id == Visit.household_id)
        .where(
            Household.grid_id.in_(grids),
            Visit.amends_id.is_(None),
            Visit.received_at <= cutoff,
            or_(*windows),
        )
    ).all()
    return Pool(
        [Candidate(r.id, r.no, r.worker_id, aware(r.received_at), bool(r.flags)) for r in rows],
        {r.id: r.grid_id for r in rows},
    )


def _window(week: dt.date, received_after: dt.datetime | None, tz: dt.tzinfo) -> Any:
    start = week_start(week, tz)
    late = true() if received_after is None else Visit.received_at > received_after
    return and_(Visit.visited_at >= start, Visit.visited_at < start + dt.timedelta(days=7), late)


def worker_starts(s: Session, workers: Iterable[uuid.UUID], tz: dt.tzinfo = CHINA) -> dict[uuid.UUID, dt.date]:
    """Each worker's first day: their first grid assignment, else the day their account was made."""
    ids = sorted(set(workers))
    out: dict[uuid.UUID, dt.date] = {}
    for chunk in chunks(ids):
        for user_id, created in s.execute(select(User.id, User.created_at).where(User.id.in_(chunk))):
            out[user_id] = aware(created).astimezone(tz).date()
        first = (
            select(GridAssignment.user_id, func.min(GridAssignment.since))
            .where(GridAssignment.user_id.in_(chunk))
            .group_by(GridAssignment.user_id)
        )
        for user_id, since in s.execute(first):
            if since is not None:
                out[user_id] = aware(since).astimezone(tz).date()
    return out


def _drawn_before(s: Session, visit_ids: Sequence[uuid.UUID], *, until: dt.datetime | None = None) -> set[uuid.UUID]:
    """Which of the visits a draw has picked (a draw made before ``until``, when given)."""
    out: set[uuid.UUID] = set()
    for chunk in chunks(list(visit_ids)):
        stmt = select(Backcheck.visit_id).where(Backcheck.visit_id.in_(chunk))
        if until is not None:
            stmt = stmt.join(BackcheckDraw, BackcheckDraw.id == Backcheck.draw_id).where(BackcheckDraw.drawn_at < until)
        out.update(s.scalars(stmt))
    return out


# --- the draw ----------------------------------------------------------------------------------------


def draw_week(
    s: Session, street_id: uuid.UUID, week: dt.date, now: dt.datetime, seed: str | None = None
) -> BackcheckDraw:
    """The street's draw of the week beginning ``week``: made now, or the one made before (a second
    call, or another server process that made it first, returns that one). The week must be over."""
    week = week_of(week)
    existing = find_draw(s, street_id, week)
    if existing is not None:
        return existing
    street = s.get(OrgUnit, street_id)
    if street is None or street.kind != "street":
        raise ApiError(404, "street_unknown", "No such street.")
    settings = StreetSettings.from_dict(street.settings)
    tz = zone(settings)
    if aware(now) < week_start(week + dt.timedelta(days=7), tz):
        raise ApiError(
            409, "backcheck_week_not_over", "A week's back-checks are drawn once it is over.", week=week.isoformat()
        )
    found = pool(s, street_id, week, now, tz)
    starts = worker_starts(s, (c.worker_id for c in found.candidates), tz)
    before = _drawn_before(s, [c.visit_id for c in found.candidates])
    seed = seed or new_seed()
    picks = draw(seed, found.candidates, starts, before, settings, week=week, cutoff=now)
    params = {
        **draw_params(settings, now, found.candidates),
        "late_weeks": LATE_WEEKS,
        "utc_offset_minutes": settings.utc_offset_minutes,
        "starts": {w.hex: day.isoformat() for w, day in sorted(starts.items())},
    }
    row = BackcheckDraw(id=uuid.uuid4(), street_id=street_id, week=week, seed=seed, params=params, drawn_at=now)
    savepoint = s.begin_nested()
    try:
        s.add(row)
        s.flush()
    except IntegrityError:
        # another process drew the week meanwhile (the unique street and week): theirs stands
        savepoint.rollback()
        theirs = find_draw(s, street_id, week)
        if theirs is None:
            raise
        return theirs
    savepoint.commit()
    _store(s, row, picks, found.grids)
    return row


def _store(s: Session, row: BackcheckDraw, picks: list[Pick], grids: dict[uuid.UUID, uuid.UUID]) -> None:
    """The draw's back-checks, and each in its household's review scope."""
    ids = [uuid.uuid4() for _ in picks]
    rows = [
        {
            "id": bid,
            "draw_id": row.id,
            "visit_id": p.visit_id,
            "worker_id": p.worker_id,
            "reason": p.reason,
            "result": "",
            "note": "",
        }
        for bid, p in zip(ids, picks, strict=True)
    ]
    changes = ChangeSet(s)
    for chunk in range(0, len(rows), 1000):
        s.connection().execute(insert(Backcheck), rows[chunk : chunk + 1000])
    for bid, p in zip(ids, picks, strict=True):
        changes.upsert(review_scope(grids[p.visit_id]), "backcheck", bid)
    changes.flush()


def due(s: Session, p: Principal, now: dt.datetime) -> tuple[uuid.UUID, dt.date] | None:
    """For a reviewer's pull: the street and last week when that week's draw is still to be made; None
    otherwise. One indexed read when the draw exists (the street found from the reviewer's unit)."""
    if p.role not in REVIEWERS or p.org_unit_id is None:
        return None
    week = last_week(now)
    found = s.execute(_due_statement(), {"unit": p.org_unit_id, "week": week}).one()
    if found.street is None or found.draw is not None:
        return None
    return found.street, week


@functools.cache
def _due_statement() -> Any:
    """Built once (every reviewer's pull runs it): the reviewer's street (their unit, or its parent for
    a station's community) and that street's draw of the week, if any."""
    ou, bd = OrgUnit.__table__.c, BackcheckDraw.__table__.c
    unit = bindparam("unit", type_=OrgUnit.__table__.c.id.type)
    parent = select(ou.parent_id).where(ou.id == unit).scalar_subquery()
    street = select(ou.id).where(ou.kind == "street", or_(ou.id == unit, ou.id == parent)).scalar_subquery()
    drawn = select(bd.id).where(bd.street_id == street, bd.week == bindparam("week", type_=bd.week.type))
    return select(street.label("street"), drawn.scalar_subquery().label("draw"))


# --- the pull's rows ---------------------------------------------------------------------------------


# --- audit and figures -------------------------------------------------------------------------------


class Audit(NamedTuple):
    draw_id: uuid.UUID
    street_id: uuid.UUID
    week: dt.date
    same: bool  # the seed and parameters draw exactly the stored back-checks
    inputs_same: bool  # the visits found now are those the draw saw (numbers, workers, flags)
    stored: list[tuple[int, str]]  # (visit number, reason)
    expected: list[tuple[int, str]]


def audit(s: Session, row: BackcheckDraw) -> Audit:
    """Draw again from the stored seed, parameters and first days, over the visits there were at the
    draw's cutoff, and compare with what was stored."""
    params = row.params
    cutoff = dt.datetime.fromisoformat(params["cutoff"])
    tz = dt.timezone(dt.timedelta(minutes=int(params.get("utc_offset_minutes", 480))))
    candidates = as_flagged_then(pool(s, row.street_id, row.week, cutoff, tz).candidates, params)
    before = _drawn_before(s, [c.visit_id for c in candidates], until=aware(row.drawn_at))
    starts = {uuid.UUID(w): dt.date.fromisoformat(day) for w, day in (params.get("starts") or {}).items()}
    picks = draw(row.seed, candidates, starts, before, settings_of(params), week=row.week, cutoff=cutoff)
    stored = s.execute(
        select(Visit.no, Backcheck.reason)
        .join(Visit, Visit.id == Backcheck.visit_id)
        .where(Backcheck.draw_id == row.id)
    ).all()
    mine = sorted((int(no), str(reason)) for no, reason in stored)
    again = sorted((p.visit_no, str(p.reason)) for p in picks)
    return Audit(
        row.id,
        row.street_id,
        row.week,
        mine == again,
        candidates_digest(candidates) == params["digest"],
        mine,
        again,
    )


class WorkerChecks(NamedTuple):
    worker_id: uuid.UUID
    drawn: int
    confirmed: int
    denied: int
    unreachable: int
    failure_rate: float | None  # denied / (confirmed + denied)


def worker_checks(s: Session, grids: Iterable[uuid.UUID], since: dt.date | None = None) -> list[WorkerChecks]:
    """Each worker's back-checks in the grids (of the draws from ``since`` on) and their failure rate."""
    stmt = (
        select(Backcheck.worker_id, Backcheck.result)
        .join(Visit, Visit.id == Backcheck.visit_id)
        .join(Household, Household.id == Visit.household_id)
        .where(Household.grid_id.in_(list(grids)))
    )
    if since is not None:
        stmt = stmt.join(BackcheckDraw, BackcheckDraw.id == Backcheck.draw_id).where(BackcheckDraw.week >= since)
    results: dict[uuid.UUID, list[str]] = {}
    for worker, result in s.execute(stmt):
        results.setdefault(worker, []).append(result)
    return [
        WorkerChecks(
            worker,
            len(rs),
            rs.count("confirmed"),
            rs.count("denied"),
            rs.count("unreachable"),
            failure_rate(rs),
        )
        for worker, rs in sorted(results.items())
    ]
