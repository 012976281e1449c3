"""The wire's values and columns: ids packed base64url (22 characters), dates ISO, instants Unix
seconds (UTC), trailing empty values left out, and the helpers the entity codecs share."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Row = list[Any]
_R = TypeVar("_R")

COLUMNS: dict[str, tuple[str, ...]] = {
    # settings: a street's (gridworker_shared.domain.review.StreetSettings), protocol 4
    "org_unit": ("id", "code", "name", "kind", "parent_id", "liaison_name", "liaison_phone", "settings"),
    "household": (
        "id",
        "grid_id",
        "micro_grid_id",
        "compound",
        "building",
        "unit",
        "floor",
        "room",
        "phone",
        "notes",
        "tags",
        "visit_interval_days",
        "registered_on",
        "last_met_on",
        "last_attempt_on",
        "version",
        "members",
        "visits",
        "requests",
        "cards",
    ),
    "member": ("id", "name", "relation", "phone", "id_number", "sex", "birth_date", "inactive", "version"),
    # visited_at: Unix seconds (UTC); seen: indexes into the aggregate's members; articles: rows of
    # COLUMNS["visit_article"]
    # protocol 4: the server's number and the review (a returned visit's reason, comment, pinned fields)
    "visit": (
        "id",
        "worker_id",
        "visited_at",
        "outcome",
        "notes",
        "amends_id",
        "seen",
        "articles",
        "no",
        "review_state",
        "review_reason",
        "review_comment",
        "review_pins",
    ),
    # action: "e" explained, "h" handed out
    "visit_article": ("id", "version", "action", "title"),
    # the flow's columns after version (gridworker_shared.codec.requests); events: rows of
    # COLUMNS["request_event"]
    "request": (
        "id",
        "visit_id",
        "category",
        "description",
        "urgency",
        "due_on",
        "status",
        "status_note",
        "version",
        "department_id",
        "dispatched_at",
        "deadline_at",
        "closed_at",
        "on_spot",
        "bounces",
        "reopens",
        "failed_callbacks",
        "resolved",
        "satisfaction",
        "merged_into",
        "events",
    ),
    "request_event": ("id", "step", "actor_id", "at", "status", "note", "data"),
    # a department's scope ("d:<department>"): the orders dispatched to it
    "work_order": (
        "id",
        "department_id",
        "address",
        "contact_name",
        "contact_phone",
        "category",
        "description",
        "urgency",
        "status",
        "dispatched_at",
        "deadline_at",
        "bounces",
        "reopens",
        "events",
    ),
    # contact cards the household received, oldest first; issued_at: Unix seconds (UTC)
    "card": ("id", "card_user_id", "issued_at", "layout", "reprint", "printed_by"),
    # the global scope: the policy guide (a withdrawn article is a remove of entity "article")
    "article": (
        "id",
        "slug",
        "category",
        "title",
        "summary",
        "body",
        "phones",
        "effective_from",
        "effective_to",
        "version",
        "published_at",
    ),
    # a grid's scope: the worker who looks after it, with what their contact card shows (photo: base64)
    # and every grid they hold (the same row in each of those scopes; a remove in a grid's scope takes
    # that grid off the row, and the row goes with its last grid)
    "worker": ("id", "username", "name", "phone", "service_hours", "card_line", "photo", "grids", "card_code"),
    # a review scope (gridworker_shared.codec.review): a household's visits for review and their events;
    # "workers" lists the visits' workers, then the events' actors (the rows index into it)
    "review": ("id", "workers", "visits", "events"),
    "backcheck": (
        "id",
        "visit_no",
        "household_id",
        "worker_id",
        "week",
        "reason",
        "result",
        "note",
        "checked_by",
        "checked_at",
    ),
}

# a visit's article actions on the wire, and back (a spelled-out action is read as itself)
ACTION_CODES = {"explained": "e", "handed_out": "h"}
ACTIONS = {code: action for action, code in ACTION_CODES.items()} | {a: a for a in ACTION_CODES}

MEMBER_NAMESPACE = uuid.UUID("5f0b8d36-2f0e-4c1f-9a53-6f1f3c1d2b7a")


class WireError(ValueError):
    """A row the decoder cannot read: a required value is missing."""


# --- values, both ways ------------------------------------------------------------------------------


def pack_id(value: uuid.UUID | None) -> str | None:
    return None if value is None else base64.urlsafe_b64encode(value.bytes).decode().rstrip("=")


def unpack_id(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(bytes=base64.urlsafe_b64decode(value + "=="))


@functools.lru_cache(maxsize=1 << 16)
def member_id(household_id: uuid.UUID, index: int) -> uuid.UUID:
    """The id of a member the server created (roster, demo): derived, so the wire need not carry it.
    Kept for the households a process encodes again and again (a pull's, a sync's)."""
    return uuid.uuid5(MEMBER_NAMESPACE, f"{household_id}/{index}")


def trim(row: Row) -> Row:
    """Trailing empty values are left out: the decoder pads a row to its columns."""
    while row and row[-1] in (None, "", [], False, 0):
        row.pop()
    return row


def pad(row: Sequence[Any], size: int) -> Row:
    """A row as ``size`` values: trailing empty values the encoder left out come back as None, and
    trailing columns a newer server added are left for the newer apps that know them (an older app
    reads the columns it knows; a protocol 2 app refused the whole page over one longer row)."""
    return [*row[:size], *([None] * (size - len(row)))]


def read_id(value: Any) -> uuid.UUID | None:
    return unpack_id(value) if value else None


def need_id(value: Any, name: str) -> uuid.UUID:
    if not value:
        raise WireError(f"no {name}")
    return uuid.UUID(bytes=base64.urlsafe_b64decode(value + "=="))


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def read_iso(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def seconds(when: dt.datetime) -> int:
    return int((when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp())


def instant(value: Any) -> dt.datetime:
    """Unix seconds, or an ISO string (naive means UTC), as aware UTC."""
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def readable(decode: Callable[..., _R], rows: Sequence[Any] | None, *context: Any) -> list[_R]:
    """The child rows ``decode`` can read: one without its id (or with an unknown article action) is
    left out of its aggregate."""
    out = []
    for row in rows or []:
        try:
            out.append(decode(row, *context))
        except WireError:
            continue
    return out
