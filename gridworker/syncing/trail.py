"""The access trail read from the server (``GET /v1/access-trail``, issue 14) for a supervisor's or an
admin's screen: the events of their area, newest first, a page at a time. Online only: the laptop keeps
no copy of the trail (it only sends its own events, through the outbox). No Qt, no database."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from gridworker.store.schema import head_revision
from gridworker.syncing.transport import NotOurServerError, SignInNeededError, Transport

PAGE = 100


@dataclass(frozen=True)
class TrailEntry:
    id: uuid.UUID
    at: dt.datetime  # aware (UTC); shown in local time
    username: str
    user_name: str
    role: str
    action: str  # reveal, export, print
    household_id: uuid.UUID | None
    address: str
    grid: str
    field: str  # a reveal's: id_number or phone
    what: str
    rows: int | None


@dataclass(frozen=True)
class TrailPage:
    entries: list[TrailEntry]
    next: str | None  # the cursor of the next page; None at the end


def _entry(raw: dict[str, Any]) -> TrailEntry:
    at = dt.datetime.fromisoformat(str(raw["at"]))
    household = raw.get("household_id")
    rows = raw.get("rows")
    return TrailEntry(
        id=uuid.UUID(str(raw["id"])),
        at=at if at.tzinfo else at.replace(tzinfo=dt.UTC),
        username=str(raw.get("username") or ""),
        user_name=str(raw.get("user_name") or ""),
        role=str(raw.get("role") or ""),
        action=str(raw.get("action") or ""),
        household_id=uuid.UUID(str(household)) if household else None,
        address=str(raw.get("address") or ""),
        grid=str(raw.get("grid") or ""),
        field=str(raw.get("field") or ""),
        what=str(raw.get("what") or ""),
        rows=int(rows) if isinstance(rows, int) else None,
    )


def read_trail(
    server_url: str,
    token: str | None,
    *,
    user: str = "",
    action: str = "",
    after: str = "",
    limit: int = PAGE,
    transport: Transport | None = None,
) -> TrailPage:
    """One page of the trail the signed-in user may read. Raises the transport's SyncError kinds
    (OfflineError when the server cannot be reached, SignInNeededError without a token, RefusedError
    403 ``forbidden`` for a role that may not read it)."""
    if not server_url:
        raise NotOurServerError("not_signed_in", "This laptop has not signed in to a server.")
    if not token:
        raise SignInNeededError("not_signed_in", "Sign in again to read the access trail.")
    http = transport or Transport(server_url, head_revision(), token)
    answer = http.get("/v1/access-trail", {"user": user.strip(), "action": action, "after": after, "limit": str(limit)})
    try:
        entries = [_entry(e) for e in answer.get("events") or []]
    except (KeyError, TypeError, ValueError) as exc:
        raise NotOurServerError("not_our_server", "The server's answer is not an access trail.") from exc
    cursor = answer.get("next")
    return TrailPage(entries, str(cursor) if cursor else None)
