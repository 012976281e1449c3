"""The access trail on the laptop: LocalStore.record_access writes one ``access.log`` outbox row the
protocol accepts, in its own transaction; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from gridworker.store.db import Database
from gridworker.store.models import Outbox
from gridworker.store.services import LocalStore
from gridworker_server.demo_city import DemoCity
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import AccessLog

NOW = dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def fixed_store(seeded_db: Database, grid: DemoCity) -> LocalStore:
    return LocalStore(seeded_db, grid.workers[0].id, clock=lambda: NOW)


def outbox(db: Database) -> list[Outbox]:
    with db.reading() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.seq)))


def test_a_reveal_is_one_outbox_row(fixed_store: LocalStore, seeded_db: Database, grid: DemoCity) -> None:
    h = next(h for h in grid.households if h.members)
    person = h.members[0].id
    event = fixed_store.record_access("reveal", household_id=h.id, person_id=person, field="id_number")
    rows = outbox(seeded_db)
    assert len(rows) == 1
    row = rows[0]
    assert (row.kind, row.entity_id, row.state) == ("access.log", event, "pending")
    # not the household's own change: its list does not show it as unsent
    assert row.household_id is None
    message = AccessLog.model_validate({"kind": row.kind, **row.payload})
    assert message.id == event
    assert (message.action, message.household_id, message.person_id, message.field) == (
        "reveal",
        h.id,
        person,
        "id_number",
    )
    assert message.at == NOW


def test_an_export_keeps_its_description_and_count(fixed_store: LocalStore, seeded_db: Database) -> None:
    first = fixed_store.record_access("export", what="走访记录  2026-11\n全部社区 (xlsx)", rows=120)
    second = fixed_store.record_access("print", what="联系卡 3 张（含住址）", rows=3)
    assert first != second
    payloads = [r.payload for r in outbox(seeded_db)]
    assert [(p["action"], p["what"], p["rows"]) for p in payloads] == [
        ("export", "走访记录 2026-11 全部社区 (xlsx)", 120),
        ("print", "联系卡 3 张（含住址）", 3),
    ]
    assert payloads[0]["household_id"] is None and payloads[0]["field"] == ""


def test_a_long_description_is_cut_to_what_the_protocol_takes(fixed_store: LocalStore, seeded_db: Database) -> None:
    fixed_store.record_access("export", what="字" * 800, rows=0)
    (row,) = outbox(seeded_db)
    assert len(AccessLog.model_validate({"kind": row.kind, **row.payload}).what) == 500


@pytest.mark.parametrize(
    "kwargs",
    [
        {"action": "reveal", "field": "id_number"},  # no household
        {"action": "reveal", "household_id": "h", "field": "name"},
        {"action": "reveal", "household_id": "h", "field": ""},
        {"action": "export", "field": "notes"},
    ],
)
def test_bad_input_writes_nothing(
    fixed_store: LocalStore, seeded_db: Database, grid: DemoCity, kwargs: dict[str, object]
) -> None:
    if kwargs.get("household_id") == "h":
        kwargs["household_id"] = grid.households[0].id
    action = str(kwargs.pop("action"))
    with pytest.raises(ValidationError):
        fixed_store.record_access(action, **kwargs)  # type: ignore[arg-type]
    assert outbox(seeded_db) == []


def test_an_unknown_household_or_action_writes_nothing(fixed_store: LocalStore, seeded_db: Database) -> None:
    with pytest.raises(ValidationError):
        fixed_store.record_access("reveal", household_id=uuid.uuid4(), field="phone")
    with pytest.raises(ValueError):
        fixed_store.record_access("look")
    with pytest.raises(ValueError):
        fixed_store.record_access("export", rows=-1)
    assert outbox(seeded_db) == []
