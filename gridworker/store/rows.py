"""What the screens show, as plain frozen dataclasses: no SQLAlchemy, no Qt.

Start-up imports only these and the stdlib reader (gridworker.store.reads), so the Today view is on
screen before SQLAlchemy is loaded for the first write.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

PAGE_SIZE = 200

#: a keyset position: (bucket, walk_key, household id)
After = tuple[int, str, uuid.UUID]


@dataclass(frozen=True)
class HouseholdRow:
    id: uuid.UUID
    walk_key: str
    bucket: int  # 0 overdue, 1 due (Today); 0 elsewhere
    compound: str
    building: str
    unit: str
    room: str
    head_name: str
    phone: str
    tags: tuple[str, ...]
    due_on: dt.date
    last_met_on: dt.date | None
    sync_state: str  # the most pressing state of its changes: conflict, rejected, pending, applied
    # a search: why it was found when neither its address nor its head shows it. (field, member, value):
    # field "name" (a member's name), "phone" or "id_number" (of the member, or of the household when
    # member is ""); empty when the visible columns explain the match
    match: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    rows: list[HouseholdRow]
    more: bool  # another page follows

    @property
    def after(self) -> After | None:
        if not self.rows:
            return None
        last = self.rows[-1]
        return (last.bucket, last.walk_key, last.id)


@dataclass(frozen=True)
class Filters:
    text: str = ""
    tag: str | None = None
    compound: str | None = None
    building: str | None = None
    overdue_only: bool = False


@dataclass(frozen=True)
class Coverage:
    """This month: households met of all (户户到) and persons seen of all (人人见)."""

    households_visited: int
    households_total: int
    persons_seen: int
    persons_total: int
    due_today: int
    overdue: int


@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    name: str
    relation: str
    sex: str
    birth_date: dt.date | None
    phone: str
    id_number: str
    sync_state: str


@dataclass(frozen=True)
class RequestRow:
    id: uuid.UUID
    category: str
    description: str
    urgency: str
    status: str
    due_on: dt.date
    created_at: dt.datetime
    sync_state: str


@dataclass(frozen=True)
class VisitArticleRow:
    """A guide article explained or handed out on a visit, with the version and title shown then."""

    id: uuid.UUID
    version: int
    action: str  # explained | handed_out
    title: str


@dataclass(frozen=True)
class VisitRow:
    id: uuid.UUID
    visited_at: dt.datetime  # UTC
    outcome: str
    notes: str
    seen: tuple[str, ...]
    seen_ids: tuple[uuid.UUID, ...]
    amends_id: uuid.UUID | None
    amended_by: uuid.UUID | None
    requests: tuple[RequestRow, ...]
    sync_state: str  # pending, applied, rejected, conflict
    articles: tuple[VisitArticleRow, ...] = ()
    # the review as the last pull brought it (gridworker_shared.domain.review); a returned visit this
    # laptop has corrected shows "amended" until the pull brings the server's state
    review_state: str = "pending"
    review_reason: str = ""  # a return's coded reason
    review_comment: str = ""
    review_pins: tuple[str, ...] = ()  # the fields the reviewer asks to correct


@dataclass(frozen=True)
class ReturnedVisitRow:
    """A visit the reviewer returned for correction and this laptop has not corrected yet."""

    id: uuid.UUID
    household_id: uuid.UUID
    household: str  # address and head
    visited_at: dt.datetime  # UTC
    outcome: str
    reason: str
    comment: str
    pins: tuple[str, ...]


@dataclass(frozen=True)
class HouseholdDetail:
    id: uuid.UUID
    compound: str
    building: str
    unit: str
    floor: int | None
    room: str
    head_name: str
    phone: str
    notes: str
    tags: tuple[str, ...]
    visit_interval_days: int
    interval_fixed: bool
    last_met_on: dt.date | None
    last_attempt_on: dt.date | None
    due_on: dt.date
    grid_name: str
    micro_grid_name: str
    liaison_name: str
    liaison_phone: str
    members: tuple[MemberRow, ...]
    visits: tuple[VisitRow, ...]
    requests: tuple[RequestRow, ...]
    unsent: int
    version: int = 0
    grid_id: uuid.UUID | None = None
    community_name: str = ""
    cards: tuple[CardIssueRow, ...] = ()  # contact cards the household received, oldest first


@dataclass(frozen=True)
class CardIssueRow:
    """A contact card handed to a household."""

    id: uuid.UUID
    card_user_id: uuid.UUID
    card_user_name: str  # "" when the worker's card is not on this laptop
    issued_at: dt.datetime  # UTC
    layout: str
    reprint: bool
    sync_state: str


@dataclass(frozen=True)
class WorkerCardRow:
    """What a worker's contact card shows (``grids``: every grid the worker holds)."""

    user_id: uuid.UUID
    username: str
    name: str
    phone: str
    service_hours: str
    card_line: str
    photo: bytes | None
    grids: tuple[uuid.UUID, ...]
    card_code: str = ""  # as the server assigned it; "" until the laptop has it


@dataclass(frozen=True)
class GridRow:
    id: uuid.UUID
    name: str
    community_name: str


@dataclass(frozen=True)
class CardHouseholdRow:
    """A household a batch of cards is for, in walking order."""

    id: uuid.UUID
    grid_id: uuid.UUID
    compound: str
    building: str
    unit: str
    room: str
    head_name: str


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    kind: str
    household: str
    created_at: dt.datetime
    state: str
    error: str
    code: str = ""  # the server's reason code of a rejected or conflicting change
    household_id: uuid.UUID | None = None
    payload: dict[str, Any] = field(default_factory=dict)  # the change as sent
    result: dict[str, Any] = field(default_factory=dict)  # the server's answer: code and its data


@dataclass(frozen=True)
class DraftRow:
    key: str
    kind: str
    household_id: uuid.UUID | None
    payload: dict[str, Any]
    updated_at: dt.datetime


def draft_key(household_id: uuid.UUID, amends: uuid.UUID | None = None) -> str:
    """The key of a visit form's draft: one per household, or one per visit being corrected."""
    return f"amend:{amends}" if amends else f"visit:{household_id}"
