"""Protocol message types shared by the app and the server (never their storage models).

A mutation is what one user action asks the server to do. The client stores it in its outbox as JSON,
in the same transaction as the rows it describes; the server validates it with these same models.
A changed meaning gets a new kind, never a silent reinterpretation of an old one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1

Outcome = Literal["met", "not_home", "refused"]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestNew(_Message):
    id: uuid.UUID
    category: str
    description: str = ""
    urgency: str = "normal"
    due_on: dt.date


class VisitCreate(_Message):
    """A visit as recorded. ``visited_at`` is the business time with the device's UTC offset; the
    server orders nothing by it (SYNC.md: never by client clocks)."""

    kind: Literal["visit.create"] = "visit.create"
    id: uuid.UUID
    household_id: uuid.UUID
    visited_at: dt.datetime
    outcome: Outcome
    notes: str = ""
    seen: list[uuid.UUID] = Field(default_factory=list)
    requests: list[RequestNew] = Field(default_factory=list)


class VisitAmend(_Message):
    """A correction: a new visit that points at the one it corrects (never an overwrite)."""

    kind: Literal["visit.amend"] = "visit.amend"
    id: uuid.UUID
    amends: uuid.UUID
    household_id: uuid.UUID
    visited_at: dt.datetime
    outcome: Outcome
    notes: str = ""
    seen: list[uuid.UUID] = Field(default_factory=list)
    requests: list[RequestNew] = Field(default_factory=list)


class HouseholdUpdate(_Message):
    """Changed household fields, with the server version the edit was based on and the values the
    worker saw before (the server merges field by field; SYNC.md, ownership table)."""

    kind: Literal["household.update"] = "household.update"
    household_id: uuid.UUID
    base_version: int
    changes: dict[str, Any]
    previous: dict[str, Any]


class PersonFields(_Message):
    name: str
    relation: str
    sex: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    id_number: str = ""


class PersonCreate(_Message):
    kind: Literal["person.create"] = "person.create"
    id: uuid.UUID
    household_id: uuid.UUID
    fields: PersonFields


class PersonUpdate(_Message):
    kind: Literal["person.update"] = "person.update"
    id: uuid.UUID
    household_id: uuid.UUID
    base_version: int
    changes: dict[str, Any]
    previous: dict[str, Any]


class PersonRemove(_Message):
    """A member moved out: kept for the visit history, no longer counted."""

    kind: Literal["person.remove"] = "person.remove"
    id: uuid.UUID
    household_id: uuid.UUID
    base_version: int


Mutation = VisitCreate | VisitAmend | HouseholdUpdate | PersonCreate | PersonUpdate | PersonRemove
