"""The demo city written straight into a worker's database, as the server's truth (never into the outbox):
the offline demo (``gridworker --demo --no-sync``), and the seeded databases of the tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from gridworker.store.db import Database
from gridworker.store.meta import set_meta
from gridworker.store.models import (
    Household,
    HouseholdTag,
    OrgUnit,
    Person,
    ResidentRequest,
    SearchKey,
    Visit,
    VisitPerson,
)
from gridworker_server.demo_city import (
    DemoCity,
    DemoHousehold,
    batched,
    generate_city,
    last_visits,
    member_rows,
    org_unit_rows,
)
from gridworker_shared.domain.codes import visit_interval_for
from gridworker_shared.domain.households import due_on, request_due, walk_key
from gridworker_shared.domain.search import AddressParts, household_search_keys


def load_city(db: Database, city: DemoCity) -> None:
    """Write the city's org units, households, members, visits and requests in one transaction."""
    last_met, last_attempt = last_visits(city)
    with db.transaction() as s:
        s.execute(insert(OrgUnit), [{**row, "version": 1} for row in org_unit_rows(city)])
        for batch in batched(_household_rows(city.households, last_met, last_attempt)):
            s.execute(insert(Household), batch)
        for batch in batched({"household_id": h.id, "tag": t} for h in city.households for t in h.tags):
            s.execute(insert(HouseholdTag), batch)
        for batch in batched(member_rows(city)):
            s.execute(insert(Person), batch)
        for batch in batched({"key": k, "household_id": h.id} for h in city.households for k in _keys(h)):
            s.execute(insert(SearchKey), batch)
        for batch in batched(
            {
                "id": v.id,
                "household_id": v.household_id,
                "worker_id": v.worker_id,
                "visited_at": v.visited_at.astimezone(dt.UTC).replace(tzinfo=None),
                "outcome": v.outcome,
                "notes": v.notes,
                "amends_id": None,
                "created_at": v.visited_at.astimezone(dt.UTC).replace(tzinfo=None),
            }
            for v in city.visits
        ):
            s.execute(insert(Visit), batch)
        for batch in batched({"visit_id": v.id, "person_id": p} for v in city.visits for p in v.seen):
            s.execute(insert(VisitPerson), batch)
        for batch in batched(
            {
                "id": r.id,
                "household_id": v.household_id,
                "visit_id": v.id,
                "category": r.category,
                "description": r.description,
                "urgency": r.urgency,
                "due_on": request_due(r.urgency, v.visited_at.date()),
                "status": r.status,
                "version": 1,
                "created_at": v.visited_at.astimezone(dt.UTC).replace(tzinfo=None),
            }
            for v in city.visits
            for r in v.requests
        ):
            s.execute(insert(ResidentRequest), batch)


def _keys(h: DemoHousehold) -> set[str]:
    return household_search_keys(
        AddressParts(h.compound, h.building, h.unit, h.room),
        h.head_name,
        h.phone,
        ((m.name, m.phone, m.id_number) for m in h.members),
    )


def _household_rows(
    households: list[DemoHousehold],
    last_met: dict[uuid.UUID, dt.date],
    last_attempt: dict[uuid.UUID, dt.date],
) -> Iterable[dict[str, Any]]:
    for h in households:
        interval = visit_interval_for(h.tags)
        met = last_met.get(h.id)
        created = dt.datetime.combine(h.registered_on, dt.time(9)).astimezone().astimezone(dt.UTC).replace(tzinfo=None)
        yield {
            "id": h.id,
            "grid_id": h.grid_id,
            "micro_grid_id": h.micro_grid_id,
            "compound": h.compound,
            "building": h.building,
            "unit": h.unit,
            "floor": h.floor,
            "room": h.room,
            "walk_key": walk_key(h.compound, h.building, h.unit, h.floor, h.room),
            "head_name": h.head_name,
            "phone": h.phone,
            "notes": h.notes,
            "visit_interval_days": interval,
            "interval_fixed": False,
            "last_met_on": met,
            "last_attempt_on": last_attempt.get(h.id),
            "due_on": due_on(met, interval, h.registered_on),
            "version": 1,
            "created_at": created,
            "updated_at": created,
        }


def is_empty(db: Database) -> bool:
    with db.reading() as s:
        return s.scalar(select(Household.id).limit(1)) is None


def seed_demo(path: Path, username: str) -> None:
    """The demo worker's grid from the demo city, on the laptop alone (no server)."""
    db = Database(path)
    try:
        if not is_empty(db):
            return
        city = generate_city()
        worker = next(w for w in city.workers if w.username == username)
        part = city.grid(worker.grid_id)
        load_city(db, part)
        grid = next(u for u in part.org_units if u.id == worker.grid_id)
        with db.transaction() as s:
            set_meta(
                s,
                worker_id=str(worker.id),
                username=worker.username,
                worker_name=worker.name,
                grid_name=grid.name,
                device_id=str(uuid.uuid4()),
                demo="1",
            )
    finally:
        db.close()
