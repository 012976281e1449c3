"""What every store action shares: the database, the signed-in worker and the clock, the outbox
entry written in the same transaction as the rows (SYNC.md, Client), and the local calendar."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session, selectinload

from gridworker.store.db import Database
from gridworker.store.models import Household, Outbox, SearchKey
from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.households import due_on
from gridworker_shared.domain.search import AddressParts, household_search_keys
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import AnyMutation

MSG_NO_HOUSEHOLD = QT_TRANSLATE_NOOP("validation", "This household is no longer in your list.")


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def to_utc_naive(value: dt.datetime) -> dt.datetime:
    """Aware (or naive local) time to the naive UTC the database stores."""
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def local_date(utc_naive: dt.datetime) -> dt.date:
    """The local calendar date of a stored (naive UTC) timestamp."""
    return utc_naive.replace(tzinfo=dt.UTC).astimezone().date()


def index_household(session: Session, household: Household) -> None:
    """Rebuild the search keys of one household from its current rows."""
    session.execute(delete(SearchKey).where(SearchKey.household_id == household.id))
    keys = household_search_keys(
        AddressParts(household.compound, household.building, household.unit, household.room),
        household.head_name,
        household.phone,
        ((m.name, m.phone, m.id_number) for m in household.members if m.active),
    )
    if keys:
        session.execute(insert(SearchKey), [{"key": k, "household_id": household.id} for k in keys])


class StoreBase:
    """The worker's store: each action one transaction with its outbox entry. No Qt."""

    def __init__(self, db: Database, worker_id: uuid.UUID, clock: Callable[[], dt.datetime] = local_now) -> None:
        self.db = db
        self.worker_id = worker_id
        self.clock = clock

    @staticmethod
    def _enqueue(session: Session, mutation: AnyMutation, entity_id: uuid.UUID, household_id: uuid.UUID | None) -> None:
        session.add(
            Outbox(
                kind=mutation.kind,
                entity_id=entity_id,
                household_id=household_id,
                payload=mutation.model_dump(mode="json"),
            )
        )

    @staticmethod
    def _household(session: Session, household_id: uuid.UUID) -> Household:
        household = session.get(
            Household, household_id, options=[selectinload(Household.members), selectinload(Household.tags)]
        )
        if household is None:
            raise ValidationError("household", MSG_NO_HOUSEHOLD)
        return household

    @staticmethod
    def _refresh_due(household: Household) -> None:
        registered = local_date(household.created_at)
        household.due_on = due_on(household.last_met_on, household.visit_interval_days, registered)
