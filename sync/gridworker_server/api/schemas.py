"""The request and response bodies of the routes that are not sync protocol messages (those are in
:mod:`gridworker_shared.protocol`), and the conversions from the server's rows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gridworker_server.errors import text_field
from gridworker_server.models import Article, Conflict, Device, User, Visit
from gridworker_shared.protocol import UserInfo


class ApiBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestBody(ApiBody):
    """What a person sends (not what the server answers)."""

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        """Every string of a request body, at any depth, without NUL or other control characters (line
        breaks and tabs aside): a 422 ``invalid_text`` naming the field, on both databases alike."""
        _check_strings(data, cls.__name__)
        return data


def _check_strings(value: Any, where: str) -> None:
    if isinstance(value, str):
        text_field(where, value, multiline=True)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, where)
            _check_strings(item, str(key))
    elif isinstance(value, list):
        for item in value:
            _check_strings(item, where)


class UserCreate(RequestBody):
    username: str = Field(min_length=1, max_length=64)
    name: str = Field(default="", max_length=50)
    role: Literal["worker", "station", "supervisor", "admin", "department"]
    org_code: str | None = Field(default=None, max_length=32)
    password: str = Field(min_length=8, max_length=256)
    phone: str = Field(default="", max_length=32)


class Assign(RequestBody):
    username: str = Field(min_length=1, max_length=64)


class HouseholdEdit(RequestBody):
    changes: dict[str, Any]


class HouseholdMoveBody(RequestBody):
    grid_id: uuid.UUID


class Transition(RequestBody):
    to: Literal["accepted", "assigned", "in_progress", "resolved", "closed", "rejected", "cancelled"]
    note: str = Field(default="", max_length=500)


class Me(ApiBody):
    user: UserInfo
    scopes: list[str]


class Health(ApiBody):
    service: str
    status: str
    epoch: uuid.UUID
    protocol: dict[str, int]


class DeviceInfo(ApiBody):
    id: uuid.UUID
    name: str
    last_seq: int
    last_seen_at: str
    revoked: bool
    # what the revoked laptop was told to do ("" sign in again, "lost", "handover"), and when it said
    # its data was gone (issue 14)
    wipe: str = ""
    wipe_confirmed_at: str | None = None


class Revoke(RequestBody):
    """POST /v1/devices/{id}/revoke: "" the laptop signs in again and keeps its data; "lost" it wipes
    its data the next time it reaches the server; "handover" it sends what is unsent, then wipes."""

    wipe: Literal["", "lost", "handover"] = ""


class ConflictInfo(ApiBody):
    id: uuid.UUID
    entity: str
    entity_id: uuid.UUID
    household_id: uuid.UUID | None
    field: str
    kept: Any
    overwritten: Any
    code: str
    created_at: str


class VisitInfo(ApiBody):
    id: uuid.UUID
    household_id: uuid.UUID
    worker_id: uuid.UUID
    visited_at: str
    received_at: str
    outcome: str
    notes: str
    amends_id: uuid.UUID | None
    flag: str


class Ok(ApiBody):
    ok: bool = True


class ArticleInfo(BaseModel):
    id: uuid.UUID
    slug: str
    category: str
    title: str
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    published_at: dt.datetime
    withdrawn_at: dt.datetime | None


class PublishBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=4, max_length=200, pattern=r"^[^/\\]+\.md$")
    markdown: str = Field(min_length=1, max_length=100_000)
    dry_run: bool = False


class PublishAnswer(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    withdrawn: list[str]
    stale: list[str]


def article_info(a: Article) -> ArticleInfo:
    return ArticleInfo(
        id=a.id,
        slug=a.slug,
        category=a.category,
        title=a.title,
        version=a.version,
        effective_from=a.effective_from,
        effective_to=a.effective_to,
        published_at=_utc(a.published_at),
        withdrawn_at=_utc(a.withdrawn_at) if a.withdrawn_at else None,
    )


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; the server stores UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        name=user.name,
        role=user.role,  # type: ignore[arg-type]
        org_unit_id=user.org_unit_id,
    )


def device_info(d: Device) -> DeviceInfo:
    return DeviceInfo(
        id=d.id,
        name=d.name,
        last_seq=d.last_seq,
        last_seen_at=d.last_seen_at.isoformat(),
        revoked=d.revoked_at is not None,
        wipe=d.wipe or "",
        wipe_confirmed_at=_utc(d.wipe_confirmed_at).isoformat() if d.wipe_confirmed_at else None,
    )


def conflict_info(c: Conflict) -> ConflictInfo:
    return ConflictInfo(
        id=c.id,
        entity=c.entity,
        entity_id=c.entity_id,
        household_id=c.household_id,
        field=c.field,
        kept=c.kept,
        overwritten=c.overwritten,
        code=c.code,
        created_at=c.created_at.isoformat(),
    )


def visit_info(v: Visit) -> VisitInfo:
    return VisitInfo(
        id=v.id,
        household_id=v.household_id,
        worker_id=v.worker_id,
        visited_at=v.visited_at.isoformat(),
        received_at=v.received_at.isoformat(),
        outcome=v.outcome,
        notes=v.notes,
        amends_id=v.amends_id,
        flag=v.flag,
    )
