"""A review scope's back-check rows (gridworker_shared.codec.review), read for the pull and for a
reviewer's week: apart from the draw so the pull's encoder reads them without the draw's imports."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from gridworker_server.models import Backcheck, BackcheckDraw, Household, Visit
from gridworker_shared.codec.review import BackcheckRecord, encode_backcheck

_CHUNK = 500


def backcheck_rows(s: Session, ids: Sequence[uuid.UUID]) -> list[list[Any]]:
    """Back-checks as the review scope sends them (``gridworker_shared.codec.review``)."""
    bc = Backcheck.__table__.c
    out: list[list[Any]] = []
    for chunk in chunks(list(ids)):
        out.extend(encode_backcheck(r) for r in _records(s, bc.id.in_(chunk)))
    return out


def area_week(s: Session, grids: Iterable[uuid.UUID], week: dt.date) -> list[BackcheckRecord]:
    """The back-checks drawn in ``week`` whose households are in the grids (a reviewer's area)."""
    held = sorted(set(grids))
    if not held:
        return []
    return _records(s, and_(BackcheckDraw.week == week, Household.grid_id.in_(held)))


def _records(s: Session, where: Any) -> list[BackcheckRecord]:
    bc = Backcheck.__table__.c
    stmt = (
        select(
            bc.id,
            Visit.no,
            Visit.household_id,
            bc.worker_id,
            BackcheckDraw.week,
            bc.reason,
            bc.result,
            bc.note,
            bc.checked_by,
            bc.checked_at,
        )
        .join(Visit, Visit.id == bc.visit_id)
        .join(BackcheckDraw, BackcheckDraw.id == bc.draw_id)
        .join(Household, Household.id == Visit.household_id)
        .where(where)
        .order_by(Visit.no)
    )
    return [
        BackcheckRecord(
            r.id,
            r.no,
            r.household_id,
            r.worker_id,
            r.week,
            r.reason,
            r.result,
            r.note,
            r.checked_by,
            None if r.checked_at is None else aware(r.checked_at),
        )
        for r in s.execute(stmt)
    ]


def chunks(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
