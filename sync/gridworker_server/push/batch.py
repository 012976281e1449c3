"""What every push handler works with: the batch's session, user and scope, the rows it read up
front, the rows new visits leave for the batch's bulk insert, and the refusal of one mutation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from gridworker_server.auth import Principal, grids_of
from gridworker_server.changes import ChangeSet
from gridworker_server.models import GridAssignment, Household, HouseholdMove, utcnow
from gridworker_server.review.settings import Streets
from gridworker_shared.domain.visits import is_business_time

# a time a device sends without a zone is China's
CHINA = dt.timezone(dt.timedelta(hours=8))


class Rejected(Exception):  # noqa: N818 (a refusal, not an error)
    """A business rule refused one mutation: recorded with its reason, the queue goes on."""

    def __init__(self, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


@dataclass
class Outcome:
    status: str = "applied"
    code: str = ""
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=CHINA)


def local_day(when: dt.datetime) -> dt.date:
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(CHINA).date()


def check_business_time(when: dt.datetime, what: str) -> None:
    """A visit's or a card's time, as the shared rule bounds it (the device's clock may be off, not by years)."""
    if not is_business_time(aware(when), utcnow()):
        raise Rejected(
            "invalid",
            f"The {what} time is out of range: check the clock.",
            reason="time",
            what=what,
            when=when.isoformat(),
        )


@dataclass(slots=True)
class HouseholdFacts:
    """What a new visit reads and moves of its household, as the batch read it up front (locked): a
    batch of visits, the one a worker's sync sends, never loads a household into the ORM (whose load,
    and whose flush of the objects it holds, were a tenth of the server's time under a workday's syncs).
    ``write_pending`` writes the dates and versions."""

    id: uuid.UUID
    grid_id: uuid.UUID
    compound: str
    building: str
    deleted_at: dt.datetime | None
    version: int
    last_met_on: dt.date | None
    last_attempt_on: dt.date | None


# a household as a new visit sees it: the ORM's, when a handler of the batch loaded it, else its facts
Visited = Household | HouseholdFacts


class Batch:
    """One push's state, shared by its handlers (``visits``, ``households``, ``requests``, ``cards``)."""

    def __init__(self, s: Session, p: Principal) -> None:
        self.s = s
        self.p = p
        self.grids = grids_of(s, p)
        self.changes = ChangeSet(s)
        # read once for the whole batch: its households (locked, in id order), their members, the visits
        # and requests it names; new visits and their requests are inserted together at the end
        self.facts: dict[uuid.UUID, HouseholdFacts] = {}
        # the households a handler loaded into the ORM (:meth:`loaded`): from then on the batch's only copy
        self.households: dict[uuid.UUID, Household] = {}
        self.members: dict[uuid.UUID, set[uuid.UUID]] = {}
        self.known_visits: dict[uuid.UUID, tuple[str, uuid.UUID]] = {}
        self.known_requests: set[uuid.UUID] = set()
        self.new_visits: list[dict[str, Any]] = []
        self.new_requests: list[dict[str, Any]] = []
        self.new_events: list[dict[str, Any]] = []
        # households whose dates and version only new visits changed: written together by write_pending
        self.visited: dict[uuid.UUID, Visited] = {}
        # each grid's street settings (the flags' thresholds), read once per batch
        self.streets = Streets(s)

    def loaded(self, hid: uuid.UUID, *, lock: bool = True) -> Household | None:
        """The household in the ORM, for a handler that changes it or reads more than its facts. The
        batch's new visits are written first (``Applier.run``), so the row read is current, and it is
        what the object holds (``populate_existing``: a refused visit's resend may have loaded the row
        before those visits were written); its facts are dropped, and the batch's later visits move
        the ORM's object instead."""
        h = self.households.get(hid)
        if h is None:
            h = self.s.get(Household, hid, with_for_update=lock, populate_existing=True)
            if h is not None:
                self.households[hid] = h
                self.facts.pop(hid, None)
        return h

    def household(self, hid: uuid.UUID, *, facts: bool = False) -> tuple[Household, str]:
        """The household if the user may write it. ``facts``: a visit to a household that left the
        user's grid after the fact is still accepted, and flagged."""
        h = self.loaded(hid)
        if h is None:
            raise Rejected("household_unknown", "The household does not exist on the server.")
        return h, self._writable(h, facts=facts)

    def visited_household(self, hid: uuid.UUID) -> tuple[Visited, str]:
        """The household of a new visit, as :meth:`household` checks it (``facts``): its facts read up
        front, unless a handler of the batch loaded it into the ORM."""
        h = self.households.get(hid) or self.facts.get(hid)
        if h is None:
            return self.household(hid, facts=True)
        return h, self._writable(h, facts=True)

    def _writable(self, h: Visited, *, facts: bool) -> str:
        """The flag of a change to the household: none when it is in the user's grids, for a visit
        (``facts``) to one that has left them since, ``household_left_scope``; else the refusal."""
        if h.deleted_at is not None:
            raise Rejected(
                "household_removed",
                "The household was removed by a supervisor; this change was not applied.",
            )
        if h.grid_id in self.grids:
            return ""
        if facts and self._held_before(h):
            return "household_left_scope"
        if self._held_before(h):
            raise Rejected(
                "household_reassigned",
                "The household moved to another grid; this change was not applied.",
            )
        raise Rejected("out_of_scope", "This household is not in your grid.")

    def _held_before(self, h: Visited) -> bool:
        grids = {
            h.grid_id,
            *self.s.scalars(select(HouseholdMove.from_grid_id).where(HouseholdMove.household_id == h.id)),
        }
        return bool(
            self.s.scalar(
                select(exists().where(GridAssignment.user_id == self.p.user_id, GridAssignment.grid_id.in_(grids)))
            )
        )

    def bump(self, h: Visited) -> None:
        h.version += 1
        self.changes.household(h)
