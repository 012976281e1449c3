"""The server's tables (SQLAlchemy 2.0 typed ORM). The same models run on SQLite and PostgreSQL.

Three groups:
- the city: org units, users and their grids, households, persons, visits, requests, conflicts;
- devices and the mutations each pushed (exactly-once: a mutation's stored result is replayed);
- the change log: one version counter per scope and one row per (scope, entity, id) with the version
  of its last change, so a pull reads ``version > cursor`` in commit order (SYNC.md, Pull).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    null,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A point in time, stored as UTC. PostgreSQL's timestamptz does that itself; SQLite keeps text
    without an offset, so an aware value is turned to UTC before it is written (else 09:00+08:00 would
    be kept as 09:00 and read back as 09:00 UTC), and what is read back is UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(dt.UTC)
        return value  # naive: already UTC (utcnow() and the rows of earlier versions)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


# Every constraint and index has a predictable name (the app's store has the same convention; Polar's
# kit/db/models/base.py): a migration drops or alters one by name, on SQLite (batch mode) as on PostgreSQL.
# Revision 0004 renamed the constraints of databases made before it.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class ServerMeta(Base):
    """``epoch``: a UUID made when the database is created, and made anew after a restore."""

    __tablename__ = "server_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OrgUnit(Base):
    """District > street > community > grid > micro-grid."""

    __tablename__ = "org_unit"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    liaison_name: Mapped[str] = mapped_column(String(50), default="")
    liaison_phone: Mapped[str] = mapped_column(String(32), default="")
    # a street's settings (gridworker_shared.domain.review.StreetSettings; {} for defaults)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(32), default="")
    role: Mapped[str] = mapped_column(String(16))  # worker, station, supervisor, admin
    # what the user's contact card shows besides name and phone (the user sets them: profile.update)
    service_hours: Mapped[str] = mapped_column(String(60), default="")
    card_line: Mapped[str] = mapped_column(String(80), default="")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    # the code printed under the QR code of the user's contact card: seven digits and a Luhn check
    # digit, unique city-wide and never reused (users are deactivated, never deleted); assigned at
    # creation (admin.new_card_code), by migration 0005 for users made before
    card_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    org_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_unit.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # an initial password handed out by a bulk import: sync is refused until the user sets their own
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class GridAssignment(Base):
    """Which worker looks after a grid: one worker per grid, a worker may hold several. ``until`` set
    means the assignment ended (kept: a visit made while it held is still a fact)."""

    __tablename__ = "grid_assignment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_unit.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    since: Mapped[dt.datetime] = mapped_column(default=utcnow)
    until: Mapped[dt.datetime | None] = mapped_column()


class Device(Base):
    """A signed-in laptop: the token is bound to it (only its SHA-256 kept), and the sequence of the
    mutations it pushed continues here."""

    __tablename__ = "device"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    # seconds the device's clock was ahead of the server's at its last push (audit only)
    clock_offset_s: Mapped[int | None] = mapped_column(Integer)
    # what a revoked device must do (protocol.WipeMode): "" sign in again, "lost" wipe at once,
    # "handover" push what is unsent, then wipe; and when it said it had (server migration 0011)
    wipe: Mapped[str] = mapped_column(String(16), default="", server_default="")
    wipe_confirmed_at: Mapped[dt.datetime | None] = mapped_column()
    # the laptop's recovery secret for its data key (gridworker.store.keys): given back only to this
    # device, unrevoked, on a password sign-in
    recovery_key: Mapped[bytes | None] = mapped_column(LargeBinary)


class AccessEvent(Base):
    """The access trail (issue 14): a user revealed a resident's masked ID number or phone, exported
    or printed personal data. Pushed by the laptop (access.log), kept once by its id; read by
    supervisors and admins."""

    __tablename__ = "access_event"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    action: Mapped[str] = mapped_column(String(16))  # reveal, export, print
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column()
    field: Mapped[str] = mapped_column(String(16), default="")
    what: Mapped[str] = mapped_column(Text, default="")
    rows: Mapped[int | None] = mapped_column(Integer)
    # the org unit the user acted for (their grid, community, street) when it happened: the trail's scope
    org_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column()  # the laptop's clock
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class MutationLog(Base):
    """Each (device, seq) a device pushed and the result the server gave, replayed on a resend."""

    __tablename__ = "mutation"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # applied, rejected, conflict
    code: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    client_created_at: Mapped[dt.datetime | None] = mapped_column()
    # sha256 of the canonical kind and payload: a mutation id sent again with other content is a conflict
    content_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class Household(Base):
    __tablename__ = "household"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_unit.id"), index=True)
    micro_grid_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_unit.id"))
    compound: Mapped[str] = mapped_column(String(100), default="")
    building: Mapped[str] = mapped_column(String(16), default="")
    unit: Mapped[str] = mapped_column(String(16), default="")
    floor: Mapped[int | None] = mapped_column(Integer)
    room: Mapped[str] = mapped_column(String(16), default="")
    head_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    # None: the interval follows the care tags; a number: fixed by the worker
    visit_interval_days: Mapped[int | None] = mapped_column(Integer)
    registered_on: Mapped[dt.date] = mapped_column(Date)
    last_met_on: Mapped[dt.date | None] = mapped_column(Date)
    last_attempt_on: Mapped[dt.date | None] = mapped_column(Date)
    # the roster's grouping key, so importing the same roster again changes nothing
    roster_key: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # the version at which each editable field last changed: the field-by-field merge reads it
    field_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deleted_at: Mapped[dt.datetime | None] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("grid_id", "roster_key", name="uq_household_roster_key"),)


class Person(Base):
    __tablename__ = "person"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(16), default="other")
    sex: Mapped[str] = mapped_column(String(8), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(32), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    field_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Visit(Base):
    __tablename__ = "visit"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # a household's visits by time (the pull's recent-visits read): see __table_args__
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    # a worker's visits by time (ix_visit_worker_visited, which serves a worker's visits too)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    visited_at: Mapped[dt.datetime] = mapped_column(index=True)  # business time, as the device said
    outcome: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    # the visit a correction amends (ix_visit_amends_id: corrections only)
    amends_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"))
    seen: Mapped[list[Any]] = mapped_column(default=list)
    # accepted but needs a look: the household had left the worker's grid when it arrived
    flag: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # guide articles explained or handed out: [{"id", "version", "action", "title"}]
    articles: Mapped[list[Any]] = mapped_column(default=list)
    # the server's number (gridworker_server.review.numbers): what a street's copy names a visit by
    no: Mapped[int] = mapped_column(BigInteger, unique=True)
    # how long the form was open (protocol 4; None before)
    form_seconds: Mapped[int | None] = mapped_column(Integer)
    # the review (gridworker_shared.domain.review): its state and the server's flags (codes)
    review_state: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    flags: Mapped[list[Any]] = mapped_column(default=list)
    # the version of its household's change in its grid's scope when the visit last changed
    # (gridworker_server.changes: ChangeSet.flush stamps it): a pull sends a laptop only the visits
    # changed since the cursors it holds whole. NULL: changed and not yet stamped (a new visit, any
    # UPDATE of the row clears it), so always sent.
    sv: Mapped[int | None] = mapped_column(BigInteger, onupdate=null())

    __table_args__ = (
        Index("ix_visit_household_visited", "household_id", "visited_at"),
        Index("ix_visit_worker_visited", "worker_id", "visited_at"),
        # a visit's correction, if any: a partial index, so the visits that correct nothing (nearly
        # all) cost no entry at their insert
        Index(
            "ix_visit_amends_id",
            "amends_id",
            postgresql_where=text("amends_id IS NOT NULL"),
            sqlite_where=text("amends_id IS NOT NULL"),
        ),
        # the visits waiting for their stamp: few, found by household at every flush
        Index(
            "ix_visit_unstamped",
            "household_id",
            postgresql_where=text("sv IS NULL"),
            sqlite_where=text("sv IS NULL"),
        ),
    )


class VisitReview(Base):
    """Every review of a visit and every amendment of it, kept for good (its activity). ``effective``
    is False for a review the state machine kept but that changed nothing (it crossed an amendment)."""

    __tablename__ = "visit_review"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the event id (the mutation's ``id``)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # approve, return, question, reopen, comment, amend
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    pins: Mapped[list[Any]] = mapped_column(default=list)
    effective: Mapped[bool] = mapped_column(Boolean, default=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    mutation_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BackcheckDraw(Base):
    """A week's draw of back-checks for a street: reproducible from its seed (gridworker_shared.domain.
    backchecks) over the visits the server had received by ``drawn_at``."""

    __tablename__ = "backcheck_draw"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    street_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_unit.id"))
    week: Mapped[dt.date] = mapped_column(Date)  # the Monday of the week drawn from
    seed: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    drawn_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("street_id", "week"),)


class Backcheck(Base):
    """A visit drawn for a call-back; a visit is drawn at most once, ever (unique ``visit_id``)."""

    __tablename__ = "backcheck"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    draw_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("backcheck_draw.id"), index=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), unique=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # sample, flagged, new_worker
    result: Mapped[str] = mapped_column(String(16), default="")  # confirmed, denied, unreachable
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    checked_at: Mapped[dt.datetime | None] = mapped_column()
    mutation_id: Mapped[uuid.UUID | None] = mapped_column()


class ResidentRequest(Base):
    __tablename__ = "resident_request"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    status_note: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[str] = mapped_column(String(16), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # the flow (gridworker_shared.domain.request_flow): where it is dispatched, the clock (it starts at
    # 派单), the counts, the resident's verdict, a duplicate's original, the city platform's id
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column()
    deadline_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    archived_at: Mapped[dt.datetime | None] = mapped_column()
    on_spot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    bounces: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reopens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_callbacks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resident_request.id"))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class RequestEvent(Base):
    """The request's history: every transition and every note, by whom."""

    __tablename__ = "request_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident_request.id"), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    command: Mapped[str] = mapped_column(String(24))  # transition, cancel, follow_up, satisfaction
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    mutation_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # request.step (issue 13): the event's id as the client made it, the step's extras (department,
    # reason, whose, resolved, satisfaction, days, merge_into), and where it came from ("app", or
    # "platform" with the city platform's event id, which makes its updates idempotent)
    event_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    via: Mapped[str] = mapped_column(String(16), default="app", server_default="app")
    external_event_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class ApiKey(Base):
    """An external system's credentials (the city platform: 12345 / 一网统管): it reads one street's
    request feed and posts status updates back; only the hash of the key is kept."""

    __tablename__ = "api_key"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    street_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_unit.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()


class Conflict(Base):
    """A field changed on both sides: the last arrival won, both values are kept for a person to see."""

    __tablename__ = "conflict"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    household_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(String(32))
    kept: Mapped[Any] = mapped_column(JSON)  # the value now on the server
    overwritten: Mapped[Any] = mapped_column(JSON)  # the value it replaced
    code: Mapped[str] = mapped_column(String(40), default="field_conflict")
    mutation_id: Mapped[uuid.UUID | None] = mapped_column()
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column()


class ScopeVersion(Base):
    """A scope's counter. Every write transaction touching the scope takes this row's lock (UPDATE)
    and holds it to commit, so versions are handed out in commit order. ``floor``: removals at or
    below it were purged (tombstone window); a cursor below it gets a reset."""

    __tablename__ = "scope_version"
    scope: Mapped[str] = mapped_column(String(48), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    floor: Mapped[int] = mapped_column(BigInteger, default=0)
    # the grid of a grid scope: a worker's counters are one indexed read joined to its assignments
    grid_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class FeedPending(Base):
    """A request changed since its street's feed last took it in (flow/feed.py drain): a push inserts
    here, never bumping the street-wide feed scope itself, so pushes across a street do not queue on
    that one counter row; the feed's next read moves these into the "q:<street>" scope, each once."""

    __tablename__ = "feed_pending"
    street_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    request_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


class ChangeLog(Base):
    """The last change of each entity in each scope; a pull reads ``version > cursor``."""

    __tablename__ = "change_log"
    scope: Mapped[str] = mapped_column(String(48), primary_key=True)
    entity: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(1))  # u: upsert, r: remove
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_change_log_scope_version", "scope", "version", unique=True),
        # the removals, purged after TOMBSTONE_DAYS: only they are indexed (not every upsert of the log)
        Index(
            "ix_change_log_removed",
            "changed_at",
            postgresql_where=text("op = 'r'"),
            sqlite_where=text("op = 'r'"),
        ),
    )


class LoginAttempt(Base):
    """The sign-in limiter's counts, shared by all server processes through the database: per user name
    (``u:<normal form>``) the attempts begun in the window, counted before the password is verified;
    per client address (``a:<address>``) the failures in the window and the time its next attempt may
    start (the address is slowed down, never refused). Times are POSIX seconds, so one atomic
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` computes them alike on SQLite and PostgreSQL."""

    __tablename__ = "login_attempt"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[float] = mapped_column(Float)
    next_at: Mapped[float] = mapped_column(Float, default=0.0)


class HouseholdMove(Base):
    """A household reassigned from one grid to another (by a supervisor or a roster)."""

    __tablename__ = "household_move"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    from_grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_unit.id"))
    to_grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_unit.id"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Article(Base):
    """A policy-guide article (惠民政策宣传指南), in the global scope. The id is derived from the slug
    (gridworker_server.guide_files.article_id), so publishing the same folder on any server gives the same ids. A new
    version replaces the text; a withdrawn article leaves the clients and stays here for the record
    (visits name the versions they explained)."""

    __tablename__ = "article"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    phones: Mapped[list[Any]] = mapped_column(default=list)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    # what the text hashes to: publishing an unchanged article again changes nothing
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column()


class CardIssue(Base):
    """A contact card handed to a household: whose card, who printed it, when (the device's clock,
    for the record), and whether the household had a card of that worker before."""

    __tablename__ = "card_issue"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    card_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    printed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    issued_at: Mapped[dt.datetime] = mapped_column()
    layout: Mapped[str] = mapped_column(String(16))
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
