"""Protocol message types shared by the app and the server (never their storage models).

A mutation is what one user action asks the server to do. The client stores it in its outbox as JSON,
in the same transaction as the rows it describes; the server validates it with these same models.
A changed meaning gets a new kind, never a silent reinterpretation of an old one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gridworker_shared.codec import COLUMNS as COLUMNS
from gridworker_shared.codec import MEMBER_NAMESPACE as MEMBER_NAMESPACE
from gridworker_shared.codec import member_id as member_id
from gridworker_shared.codec import pack_id as pack_id
from gridworker_shared.codec import unpack_id as unpack_id

# 2: the policy guide (article rows in the global scope), workers' card rows in grid scopes, a
# household's cards and a visit's articles in the aggregate; card.issue and profile.update
# 3: the worker row's card code (a trailing column: a protocol 2 client's decoder refused a row longer
# than it knew, so protocol 2 clients are asked to update, see gridworker_server.api.deps.MIN_PROTOCOL)
# 4: review (issue 12): a visit's form time (form_seconds), visit.review and backcheck.result, the
# review scopes "r:<grid>" of a station or supervisor, the worker's visit rows' review columns, a
# street's settings on its org unit row (older decoders refused the longer rows: MIN_PROTOCOL 4)
# 4 (also, issue 13): request.step, the request rows' flow columns and events, departments' scopes
# "d:<department>" and the role "department" (pad() reads longer rows: no MIN_PROTOCOL bump needed)
# 5: residents' personal data (issue 14): access.log (reveals, exports, prints of personal data, for the
# server's trail); a device revoked as lost or handed over is told so (401 device_revoked with
# detail.wipe) and confirms its wipe (POST /v1/device/wiped); the device's recovery secret
# (PUT /v1/device/recovery; LoginRequest.want_recovery, LoginResponse.recovery_key). Nothing older
# changed: MIN_PROTOCOL stays 4
# 6: a push carries the sync's pull (PushRequest.pull) and is answered with its first page
# 7: a laptop adds a household row's visits to the ones it holds (it always did: a visit is a fact), so
# a row carries only the visits changed since the cursors the laptop holds whole (PullRequest.complete,
# its cursors unless it names others) but for the households it asks for whole (PullRequest.whole). A
# pull of protocol 6 and older gets every visit of the window, as before
PROTOCOL_VERSION = 7
MERGING_VISITS = 7
MAX_INT32 = 2**31 - 1
# a pull's households asked for whole (PullRequest.whole): a laptop that skipped more asks for its grids
# whole instead (PullRequest.complete at 0)
MAX_WHOLE_HOUSEHOLDS = 2000
# a contact-card photo: 64 KB of JPEG at most, as base64
MAX_PHOTO_BYTES = 64 * 1024
MAX_PHOTO_BASE64 = (MAX_PHOTO_BYTES + 2) // 3 * 4

Outcome = Literal["met", "not_home", "refused"]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestNew(_Message):
    id: uuid.UUID
    category: str
    description: str = ""
    urgency: str = "normal"
    due_on: dt.date


class ArticleRef(_Message):
    """A guide article explained or handed out on a visit: the version the worker showed, and its title
    then (the visit keeps it after the article is withdrawn)."""

    id: uuid.UUID
    version: int = Field(ge=1, le=MAX_INT32)
    action: Literal["explained", "handed_out"]
    title: str = Field(default="", max_length=200)


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
    articles: list[ArticleRef] = Field(default_factory=list, max_length=50)
    # how long the visit form was open, from opening to saving, by the laptop's monotonic clock (a
    # changed system clock does not move it); None from an app before protocol 4
    form_seconds: int | None = Field(default=None, ge=0, le=MAX_INT32)


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
    articles: list[ArticleRef] = Field(default_factory=list, max_length=50)
    # how long the visit form was open, from opening to saving, by the laptop's monotonic clock (a
    # changed system clock does not move it); None from an app before protocol 4
    form_seconds: int | None = Field(default=None, ge=0, le=MAX_INT32)


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


class RequestCommand(_Message):
    """A worker's command on a resident request. Status belongs to the server: the worker asks, the
    server's state machine decides (cancel moves the request to cancelled; a follow-up or a
    satisfaction rating is recorded as a note and changes no status)."""

    kind: Literal["request.command"] = "request.command"
    id: uuid.UUID  # the request
    household_id: uuid.UUID
    command: Literal["cancel", "follow_up", "satisfaction"]
    note: str = ""
    satisfaction: Literal["satisfied", "neutral", "dissatisfied"] | None = None


class CardIssue(_Message):
    """Contact cards handed to a household (a batch records one per household). ``card_user_id`` is
    the worker whose card it is (a station prints for any worker of its community); a reprint is
    whatever follows the first card of that worker to that household, decided by the server."""

    kind: Literal["card.issue"] = "card.issue"
    id: uuid.UUID
    household_id: uuid.UUID
    card_user_id: uuid.UUID
    issued_at: dt.datetime
    layout: Literal["single", "sheet", "poster"]


class ProfileUpdate(_Message):
    """The signed-in user's own contact-card details (what their card shows); the name is the
    server's. ``photo``: a small JPEG or PNG as base64, "" to clear it, None to leave it."""

    kind: Literal["profile.update"] = "profile.update"
    phone: str = Field(default="", max_length=32)
    service_hours: str = Field(default="", max_length=60)
    card_line: str = Field(default="", max_length=80)
    photo: str | None = Field(default=None, max_length=MAX_PHOTO_BASE64)


class VisitReview(_Message):
    """A reviewer's decision on a visit (gridworker_shared.domain.review): the server's state machine
    applies it in arrival order. ``id`` is the review event's id; the visit is named by its server
    number (a street's copy carries numbers, not the workers' UUIDs)."""

    kind: Literal["visit.review"] = "visit.review"
    id: uuid.UUID
    visit_no: int = Field(ge=1)
    household_id: uuid.UUID
    action: Literal["approve", "return", "question", "reopen", "comment"]
    reason: str = Field(default="", max_length=32)
    comment: str = Field(default="", max_length=500)
    pins: list[str] = Field(default_factory=list, max_length=8)


class BackcheckResult(_Message):
    """The outcome of a back-check call (电话回访): did the worker visit the household as recorded?"""

    kind: Literal["backcheck.result"] = "backcheck.result"
    id: uuid.UUID  # the back-check (drawn by the server)
    household_id: uuid.UUID
    result: Literal["confirmed", "denied", "unreachable"]
    note: str = Field(default="", max_length=500)


class RequestStep(_Message):
    """A step of a resident request's flow (gridworker_shared.domain.request_flow), asked by a worker,
    station, supervisor or department; the server's state machine applies it in arrival order and keeps
    it as an event (``id``). The extras a step carries: ``department_id`` (dispatch, reassign),
    ``merge_into`` (merge), ``reason`` and ``whose`` (bounce), ``resolved`` and ``satisfaction``
    (callback), ``days`` (extend)."""

    kind: Literal["request.step"] = "request.step"
    id: uuid.UUID
    request_id: uuid.UUID
    household_id: uuid.UUID | None = None  # None from a department's laptop (it holds no households)
    step: Literal[
        "accept",
        "on_spot",
        "merge",
        "dispatch",
        "sign",
        "bounce",
        "progress",
        "close",
        "callback",
        "callback_failed",
        "extend",
        "reassign",
        "cancel",
    ]
    note: str = Field(default="", max_length=500)
    department_id: uuid.UUID | None = None
    merge_into: uuid.UUID | None = None
    reason: str = Field(default="", max_length=32)
    whose: str = Field(default="", max_length=100)
    resolved: bool | None = None
    satisfaction: Literal["satisfied", "basic", "dissatisfied"] | None = None
    days: int | None = Field(default=None, ge=1, le=365)


class AccessLog(_Message):
    """A look at residents' personal data (issue 14), for the server's access trail: a masked ID number
    or phone revealed (``household_id``, ``person_id``, ``field``), an export or a print of personal
    data (``what``: the filter or the document, described without any personal data; ``rows``: how
    many households or records it held). ``at`` is when, by the laptop's clock."""

    kind: Literal["access.log"] = "access.log"
    id: uuid.UUID  # the event (the server keeps it once)
    action: Literal["reveal", "export", "print"]
    household_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    field: Literal["", "id_number", "phone"] = ""
    what: str = Field(default="", max_length=500)
    rows: int | None = Field(default=None, ge=0, le=MAX_INT32)
    at: dt.datetime


AnyMutation = (
    Mutation | RequestCommand | CardIssue | ProfileUpdate | VisitReview | BackcheckResult | RequestStep | AccessLog
)
MUTATION_KINDS: dict[str, type[_Message]] = {
    "visit.create": VisitCreate,
    "visit.amend": VisitAmend,
    "household.update": HouseholdUpdate,
    "person.create": PersonCreate,
    "person.update": PersonUpdate,
    "person.remove": PersonRemove,
    "request.command": RequestCommand,
    "card.issue": CardIssue,
    "profile.update": ProfileUpdate,
    "visit.review": VisitReview,
    "backcheck.result": BackcheckResult,
    "request.step": RequestStep,
    "access.log": AccessLog,
}

# --- the wire: requests and answers of the sync endpoints ---------------------------------------------
#
# Every request carries these headers; the server answers 426 outside the window it supports.
HEADER_PROTOCOL = "X-Gridworker-Protocol"
HEADER_SCHEMA = "X-Gridworker-Schema"
HEADER_APP = "X-Gridworker-App"
# The answer to GET /health names the service, so a captive portal's 200 is not taken for our server.
SERVICE_NAME = "gridworker-sync"

MAX_PUSH_BATCH = 100
MAX_PULL_LIMIT = 2000


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


def pull_complete(cursors: dict[str, int], complete: dict[str, int]) -> dict[str, int]:
    """``PullRequest.complete`` as a laptop sends it: for each scope of ``cursors``, where it holds its
    households whole (``complete``, 0 for a scope it names none for), where that is not its cursor."""
    held = {scope: complete.get(scope, 0) for scope in cursors}
    return {scope: k for scope, k in held.items() if k != cursors[scope]}


def _empty(value: Any) -> bool:
    """An optional collection left out of the wire when it holds nothing (its default)."""
    return not value


class LoginRequest(_Wire):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    # the laptop's device id when it signs in again (token expired): the sequence then continues
    device_id: uuid.UUID | None = None
    device_name: str = Field(default="", max_length=100)
    # the user forgot the laptop's PIN: the server hands back this device's recovery secret (only to the
    # device it belongs to, unrevoked, and only on a password sign-in). Sent only when true (servers
    # before protocol 5 refuse an unknown field).
    want_recovery: bool = False


class UserInfo(_Wire):
    id: uuid.UUID
    username: str
    name: str
    role: Literal["worker", "station", "supervisor", "admin", "department"]
    org_unit_id: uuid.UUID | None


class LoginResponse(_Wire):
    token: str
    device_id: uuid.UUID
    # the server's sequence position for this device: 0 for a new device
    last_seq: int
    user: UserInfo
    epoch: uuid.UUID
    expires_at: dt.datetime
    # the user is on an initial password (a bulk import's): the app asks for a new one
    # (POST /v1/auth/password) before it syncs; the server refuses sync until then. Sent only when true:
    # apps before it parse this answer with extra="forbid", and a normal sign-in's answer is unchanged
    # for them (a user with an initial password cannot sync on such an app either way).
    must_change_password: bool = False
    # the device's recovery secret (base64 of 32 bytes), only when asked (want_recovery) and held
    recovery_key: str | None = None


class RecoveryKeyUpload(_Wire):
    """PUT /v1/device/recovery: the laptop gives the server its recovery secret (keys.KeyFile) once,
    after the user set a PIN; the server keeps it for the device and never sends it to another."""

    device_id: uuid.UUID
    key: str = Field(min_length=44, max_length=44)  # base64 of 32 bytes


# what a revoked device must do (401 device_revoked, ErrorBody.detail["wipe"]): "" sign in again and
# keep the data (as before protocol 5); "lost" wipe at once; "handover" push what is unsent, then wipe
WipeMode = Literal["", "lost", "handover"]


class DeviceStatus(_Wire):
    """GET /v1/device: the signed-in device as the server sees it (a revoked device gets 401
    device_revoked instead, with ``detail.wipe``)."""

    device_id: uuid.UUID
    recovery_held: bool


class WipeConfirmation(_Wire):
    """POST /v1/device/wiped, with the revoked device's token: its data is gone (the server records
    when). Accepted only from a device revoked as lost or handed over."""

    device_id: uuid.UUID
    wiped_at: dt.datetime  # by the laptop's clock


class PasswordChangeRequest(_Wire):
    """POST /v1/auth/password: the user sets their own password (the current one proves it is them)."""

    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class PushItem(_Wire):
    seq: int = Field(ge=1)
    id: uuid.UUID  # the mutation id
    kind: str = Field(max_length=40)
    payload: dict[str, Any]
    # when the device recorded it, by the device's clock: kept for audit only
    created_at: dt.datetime | None = None


class PushRequest(_Wire):
    device_id: uuid.UUID
    epoch: uuid.UUID | None = None
    mutations: list[PushItem] = Field(max_length=MAX_PUSH_BATCH)
    # protocol 6: the pull to answer once the push is committed, in the same round trip (a device's
    # last push of a sync); sent only then (servers before protocol 6 refuse an unknown field)
    pull: PullRequest | None = None


MutationStatus = Literal["applied", "rejected", "conflict"]


class PushResult(_Wire):
    seq: int
    id: uuid.UUID
    status: MutationStatus
    # a stable machine code for rejections and conflicts ("household_removed", "status_is_server_owned", ...)
    code: str = ""
    message: str = ""
    # what the server decided: the household's new version, conflict details (field, mine, theirs), ...
    data: dict[str, Any] = Field(default_factory=dict)


class PushResponse(_Wire):
    results: list[PushResult]
    last_seq: int
    server_time: dt.datetime
    # the first page of the pull the request asked for, read after the push's commit; absent when none
    # was asked or the server could not answer it then (the device then pulls on its own)
    pull: PullResponse | None = None


class PullRequest(_Wire):
    epoch: uuid.UUID | None = None
    # scope key -> version the client has applied; an unknown or new scope starts at 0 (a whole number:
    # false or "3" is refused, not read as 0 or 3)
    cursors: dict[str, Annotated[int, Field(strict=True, ge=0)]] = Field(default_factory=dict)
    limit: int = Field(default=1000, ge=1, le=MAX_PULL_LIMIT)
    # protocol 7: the cursors up to which the laptop holds its households whole (its applied cursors,
    # the ones a pull under way started from), where they differ from ``cursors``; a household's row
    # brings only the visits changed since. Left out on the wire when empty
    complete: dict[str, Annotated[int, Field(strict=True, ge=0)]] = Field(default_factory=dict, exclude_if=_empty)
    # households the laptop needs whole again (it skipped their rows for its own unsent work)
    whole: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_WHOLE_HOUSEHOLDS, exclude_if=_empty)


# A pull page is positional and compact: each entity's rows are encoded and decoded by
# gridworker_shared.codec (COLUMNS, ids packed, derived member ids; re-exported here). A household
# travels as one aggregate with its members, its visits of the last VISIT_WINDOW_DAYS, its requests and
# its contact cards.
VISIT_WINDOW_DAYS = 400
# Scope keys, the same on both sides: "global" (the policy guide), "g:<grid id hex>" per grid and, for a
# station or supervisor, "r:<grid id hex>" per grid of their area: the grid's visits for review
# (gridworker_shared.codec.review), two years of them, by server number.
GLOBAL_SCOPE = "global"
REVIEW_WINDOW_DAYS = 730


def review_scope(grid_id: uuid.UUID) -> str:
    return f"r:{grid_id.hex}"


def scope_review_grid(scope: str) -> uuid.UUID | None:
    """The grid of a review scope; None for any other scope."""
    return uuid.UUID(scope[2:]) if scope.startswith("r:") else None


def department_scope(department_id: uuid.UUID) -> str:
    """A department's scope: the work orders dispatched to it (entity "work_order")."""
    return f"d:{department_id.hex}"


def scope_department(scope: str) -> uuid.UUID | None:
    return uuid.UUID(scope[2:]) if scope.startswith("d:") else None


def feed_scope(street_id: uuid.UUID) -> str:
    """The city platform's feed of a street's requests (entity "request"): a change-log scope read by
    GET /v1/feed/requests, never pulled by a laptop."""
    return f"q:{street_id.hex}"


def grid_scope(grid_id: uuid.UUID) -> str:
    return f"g:{grid_id.hex}"


def scope_grid(scope: str) -> uuid.UUID | None:
    """The grid of a grid scope; None for any other scope."""
    return uuid.UUID(scope[2:]) if scope.startswith("g:") else None


class PullResponse(_Wire):
    epoch: uuid.UUID
    # the cursor to store per scope after applying this page (only scopes that moved or were reset)
    cursors: dict[str, int] = Field(default_factory=dict)
    # scopes to clear locally before applying this page (new epoch, tombstones expired)
    reset: list[str] = Field(default_factory=list)
    # scopes the user no longer holds: drop their rows
    removed: list[str] = Field(default_factory=list)
    # entity -> rows, each positional as COLUMNS[entity] (gridworker_shared.codec)
    upserts: dict[str, list[list[Any]]] = Field(default_factory=dict)
    # scope -> entity -> packed ids that left the scope (moved, deleted)
    removes: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    more: bool = False


# a push names the pull it carries (protocol 6), defined after it
PushRequest.model_rebuild()
PushResponse.model_rebuild()


class ErrorBody(_Wire):
    """Every 4xx/5xx answer of the API: a stable code for the client, a message for a person."""

    # ``error``: the code the app translates (gridworker.ui.i18n.server_message), with ``detail``, the
    # code's parameters (the minutes to wait, the expected sequence number ...); ``message``: the same in
    # English for logs, curl and API users, shown by the app only for a code it does not know.
    error: str
    message: str
    detail: dict[str, Any] = Field(default_factory=dict)
