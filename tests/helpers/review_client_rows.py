"""A worker's household as the server sends it after a review (review-client's tests): the household
and its visits encoded with the codec, each visit with the review the test gives it, applied through
the app's real pull path (gridworker.syncing.apply)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from gridworker.store.db import Database
from gridworker.store.models import Household, HouseholdTag, Person, Visit, VisitPerson
from gridworker.syncing.apply import apply_page, defer_foreign_keys
from gridworker_shared.codec import HouseholdRecord, MemberRecord, VisitRecord, encode_household
from gridworker_shared.protocol import PullResponse


def reviewed_household(db: Database, hid: uuid.UUID, reviews: dict[uuid.UUID, dict[str, Any]]) -> list[Any]:
    """The household row with all its local visits; ``reviews``: visit id -> VisitRecord fields
    (review_state, review_reason, review_comment, review_pins, no)."""
    with db.reading() as s:
        h = s.get(Household, hid)
        assert h is not None
        members = [
            MemberRecord(p.id, p.name, p.relation, p.phone, p.id_number, p.sex, p.birth_date, not p.active, p.version)
            for p in s.scalars(select(Person).where(Person.household_id == hid).order_by(Person.position))
        ]
        visits = []
        for v in s.scalars(select(Visit).where(Visit.household_id == hid).order_by(Visit.visited_at)):
            seen = list(s.scalars(select(VisitPerson.person_id).where(VisitPerson.visit_id == v.id)))
            record = VisitRecord(
                v.id, v.worker_id, v.visited_at.replace(tzinfo=dt.UTC), v.outcome, v.notes, v.amends_id, seen, []
            )
            visits.append(record._replace(**reviews.get(v.id, {})))
        record = HouseholdRecord(
            h.id,
            h.grid_id,
            h.micro_grid_id,
            h.compound,
            h.building,
            h.unit,
            h.floor,
            h.room,
            h.phone,
            h.notes,
            list(s.scalars(select(HouseholdTag.tag).where(HouseholdTag.household_id == hid))),
            h.visit_interval_days if h.interval_fixed else None,
            h.created_at.date(),
            h.last_met_on,
            h.last_attempt_on,
            h.version + 1,
            members,
            visits,
            [],
            [],
        )
    return encode_household(record)


def pull_reviews(db: Database, hid: uuid.UUID, reviews: dict[uuid.UUID, dict[str, Any]]) -> None:
    """A pull bringing the household with these reviews, applied as the sync engine applies it."""
    row = reviewed_household(db, hid, reviews)
    with db.transaction() as s:
        defer_foreign_keys(s)
        apply_page(s, PullResponse(epoch=uuid.uuid4(), upserts={"household": [row]}), set())


def visits_of(db: Database, hid: uuid.UUID) -> list[uuid.UUID]:
    """The household's visits, newest first."""
    with db.reading() as s:
        return list(s.scalars(select(Visit.id).where(Visit.household_id == hid).order_by(Visit.visited_at.desc())))
