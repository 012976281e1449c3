"""The worker's local database: typed SQLAlchemy 2.0 models.

Every id a worker can create is a UUID, so records made offline on several laptops never collide.
Timestamps are stored in UTC without a zone; dates (due dates, birth dates) are calendar dates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints: Alembic needs the names to alter SQLite tables in batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, uuid.UUID: Uuid}


class Meta(Base):
    """Small facts about this database: whose it is, the device id, the demo flag."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OrgUnit(Base):
    """District > street > community > grid > micro-grid. A micro-grid has a liaison (楼栋长)."""

    __tablename__ = "org_unit"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_unit.id"))
    liaison_name: Mapped[str] = mapped_column(String(50), default="")
    liaison_phone: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    # a street's settings as the server sent them (gridworker_shared.domain.review.StreetSettings)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")


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
    # compound, building, unit, floor, room with numbers padded: sorts in walking order
    walk_key: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    visit_interval_days: Mapped[int] = mapped_column(Integer, default=30)
    # set when a person chose the interval; otherwise it follows the care tags
    interval_fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    last_met_on: Mapped[dt.date | None] = mapped_column(Date)
    last_attempt_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # the server's version of this row; an edit sends it as the version it was based on
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    members: Mapped[list[Person]] = relationship(
        back_populates="household", order_by="Person.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list[HouseholdTag]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (Index("ix_household_walk", "walk_key", "id"),)


class HouseholdTag(Base):
    __tablename__ = "household_tag"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class Person(Base):
    __tablename__ = "person"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(16), default="other")
    sex: Mapped[str] = mapped_column(String(8), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(32), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    # a member who moved out stays for the visit history, no longer counted or listed
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=0)

    household: Mapped[Household] = relationship(back_populates="members")


class SearchKey(Base):
    """What a household is found by (see gridworker_shared.domain.search); rebuilt with every edit."""

    __tablename__ = "search_key"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as declared


class Visit(Base):
    """A visit, append-only. A correction is a new row whose ``amends_id`` points at the visit it corrects."""

    __tablename__ = "visit"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    visited_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # business time, UTC
    outcome: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    amends_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # the server's number and review, as the last pull brought them (a returned visit is the worker's
    # to correct: reason, comment and the fields the reviewer pinned)
    no: Mapped[int | None] = mapped_column(Integer)
    review_state: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    review_reason: Mapped[str] = mapped_column(String(32), default="", server_default="")
    review_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_pins: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    seen: Mapped[list[VisitPerson]] = relationship(cascade="all, delete-orphan")


class VisitPerson(Base):
    __tablename__ = "visit_person"
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


# the rates' covering index (gridworker.store.request_rates): the household first, as the rates by
# area join each household's requests
RATES_INDEX_COLUMNS = (
    "household_id",
    "status",
    "created_at",
    "deadline_at",
    "on_spot",
    "callback_at",
    "closed_at",
    "dispatched_at",
    "bounces",
    "resolved",
    "satisfaction",
    "category",
    "department_id",
)


class ResidentRequest(Base):
    """A resident's request (诉求). The worker creates it; its status belongs to the server."""

    __tablename__ = "resident_request"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    # the server's note with its last status change (status belongs to the server)
    status_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # the flow as the server sent it (gridworker_shared.domain.request_flow); times UTC
    department_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deadline_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    on_spot: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    bounces: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reopens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_callbacks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    satisfaction: Mapped[str] = mapped_column(String(16), default="", server_default="")
    merged_into: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # this laptop's step still in the outbox ("" when none)
    pending_step: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # the last call-back's time (UTC), kept by triggers on request_event (app migration 0012)
    callback_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    # the requests board's filters and orders, and the rates (app migration 0012)
    __table_args__ = (
        Index("ix_resident_request_created", "created_at", "id"),
        Index("ix_resident_request_status_created", "status", "created_at"),
        Index("ix_resident_request_department_created", "department_id", "created_at"),
        Index("ix_resident_request_category_created", "category", "created_at"),
        Index("ix_resident_request_deadline", "deadline_at", "id"),
        Index("ix_resident_request_status_deadline", "status", "deadline_at"),
        Index("ix_resident_request_bounces", "bounces"),
        # every column the rates read, by household: the rates scan it instead of the rows (app
        # migration 0013)
        Index("ix_resident_request_rates", *RATES_INDEX_COLUMNS),
    )


class Outbox(Base):
    """One row per user action, written in the same transaction as the rows it describes.

    ``seq`` is the per-device client_seq: AUTOINCREMENT, so a number is never reused even after rows
    are pruned. ``state``: pending, applied, rejected or conflict (SYNC.md, Client).
    """

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    household_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    # when the worker read a rejected or conflicting change and set it aside for good (kept, never deleted)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_outbox_household_state", "household_id", "state"),
        Index("ix_outbox_state_seq", "state", "seq"),
        {"sqlite_autoincrement": True},
    )


class Draft(Base):
    """A form in progress, saved as the user types, so a crash or power loss loses nothing."""

    __tablename__ = "draft"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    household_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PullStage(Base):
    """Pull pages downloaded but not yet applied: a scope's pages and its cursor are applied together in
    one transaction once the last page is in, so a crash never leaves a cursor ahead of the data and an
    interrupted download resumes from the staged cursors."""

    __tablename__ = "pull_stage"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (SQLAlchemy's declarative attribute)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    page: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- policy guide ---


class Article(Base):
    """A policy guide article (惠民政策宣传指南) as the server published it, in the global sync scope.

    ``category`` is one of the codes in gridworker.guide (policy, procedure, phone, tip); ``body`` is
    Markdown. ``read_version`` is the version the user last opened: below ``version`` the article is
    new (0) or updated. The search index (``article_fts``, below) is kept in step by
    gridworker.guide.store, the only writer of both.
    """

    __tablename__ = "article"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the server's id
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # when this version arrived
    read_version: Mapped[int] = mapped_column(Integer, default=0)


class VisitArticle(Base):
    """An article explained or handed out on a visit, at the version shown then. No foreign key to
    ``article``: a withdrawn article leaves the laptop, the visit keeps its record and the title.
    ``action`` is part of the key: an article can be both explained and handed out on one visit."""

    __tablename__ = "visit_article"
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
    action: Mapped[str] = mapped_column(String(16), primary_key=True)  # explained | handed_out
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))


# The guide's full-text index: an SQLite FTS5 virtual table made by migration 0004 (see
# gridworker.guide.search for its design), with the shadow tables SQLite keeps for it. SQLAlchemy cannot
# create a virtual table; they are declared here only so that comparing the migrated schema with these
# models knows them. Never create them from the metadata.
ARTICLE_FTS = "article_fts"
ARTICLE_FTS_COLUMNS = ("title", "body", "phones", "pinyin", "category", "article_id", "plain", "title_pinyin")


def _fts5_tables(name: str, columns: tuple[str, ...]) -> tuple[Any, ...]:
    from sqlalchemy import Column, LargeBinary, Table
    from sqlalchemy.types import NullType

    return (
        Table(name, Base.metadata, *(Column(c, NullType) for c in columns), info={"fts5": True}),
        Table(
            f"{name}_data",
            Base.metadata,
            Column("id", Integer, primary_key=True, nullable=True),
            Column("block", LargeBinary),
            info={"fts5": True},
        ),
        Table(
            f"{name}_idx",
            Base.metadata,
            Column("segid", NullType, primary_key=True),
            Column("term", NullType, primary_key=True),
            Column("pgno", NullType),
            sqlite_with_rowid=False,
            info={"fts5": True},
        ),
        Table(
            f"{name}_content",
            Base.metadata,
            Column("id", Integer, primary_key=True, nullable=True),
            *(Column(f"c{i}", NullType) for i in range(len(columns))),
            info={"fts5": True},
        ),
        Table(
            f"{name}_docsize",
            Base.metadata,
            Column("id", Integer, primary_key=True, nullable=True),
            Column("sz", LargeBinary),
            info={"fts5": True},
        ),
        Table(
            f"{name}_config",
            Base.metadata,
            Column("k", NullType, primary_key=True),
            Column("v", NullType),
            sqlite_with_rowid=False,
            info={"fts5": True},
        ),
    )


ARTICLE_FTS_TABLES = _fts5_tables(ARTICLE_FTS, ARTICLE_FTS_COLUMNS)


# --- contact cards ---


class CardIssue(Base):
    """A contact card handed to a household: whose card (``card_user_id``), when, in which layout, and
    whether it was a reprint (an earlier card of that worker had reached that household). No foreign
    key to ``household``: the record is the server's history and a household may leave the laptop
    before its card issue is sent. A pull replaces a household's rows with the server's."""

    __tablename__ = "card_issue"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    card_user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    layout: Mapped[str] = mapped_column(String(16))  # single | sheet | poster
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    printed_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class WorkerCard(Base):
    """What a worker's contact card shows: the signed-in user's own (edited in Settings, sent as
    ``profile.update``) and, from the grid scopes, the workers of the grids this laptop holds (a
    station prints for any of them). ``grids``: the ids (hex strings) of every grid the worker holds."""

    __tablename__ = "worker_card"
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    service_hours: Mapped[str] = mapped_column(String(60), default="")
    card_line: Mapped[str] = mapped_column(String(80), default="")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    grids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # the code printed under the card's QR code, as the server assigned it ("" until it has)
    card_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


# --- review (a station's or supervisor's laptop: the review scopes "r:<grid>") ---


class ReviewVisit(Base):
    """A visit of the reviewer's area as the server sent it (gridworker_shared.codec.review), named by
    the server's number. ``state`` is the server's; ``pending_action`` is this laptop's review of it
    that is still in the outbox (shown as waiting to sync; the next pull replaces the row)."""

    __tablename__ = "review_visit"
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    grid_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    visited_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    outcome: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    amends_no: Mapped[int | None] = mapped_column(Integer, index=True)
    seen: Mapped[list[int]] = mapped_column(JSON, default=list)  # member positions
    articles: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[article id hex, action]]
    form_seconds: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    pending_action: Mapped[str] = mapped_column(String(16), default="")

    __table_args__ = (
        Index("ix_review_visit_visited", "visited_at"),
        Index("ix_review_visit_grid_visited", "grid_id", "visited_at"),
        Index("ix_review_visit_worker_visited", "worker_id", "visited_at"),
        Index("ix_review_visit_state_visited", "state", "visited_at"),
        # a worker's latest upload, for the coverage dashboard (migration 0009)
        Index("ix_review_visit_worker_received", "worker_id", "received_at"),
        # a grid's or a worker's visits in one state, newest first (migration 0010)
        Index("ix_review_visit_grid_state_visited", "grid_id", "state", "visited_at"),
        Index("ix_review_visit_worker_state_visited", "worker_id", "state", "visited_at"),
    )


class ReviewFlag(Base):
    """A visit's flags one per row, for the queue's flag filter."""

    __tablename__ = "review_flag"
    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    visit_no: Mapped[int] = mapped_column(ForeignKey("review_visit.no", ondelete="CASCADE"), primary_key=True)
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as declared


class ReviewEvent(Base):
    """A review of a visit, or the worker's amendment of it, as the server kept it: the visit's activity."""

    __tablename__ = "review_event"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    visit_no: Mapped[int] = mapped_column(Integer, index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    action: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    reason: Mapped[str] = mapped_column(String(32), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    pins: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16))
    effective: Mapped[bool] = mapped_column(Boolean, default=True)


class Backcheck(Base):
    """A visit the server drew for a call-back (电话回访), and its result once someone has called."""

    __tablename__ = "backcheck"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    visit_no: Mapped[int] = mapped_column(Integer, index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    grid_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    week: Mapped[dt.date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # this laptop's result still in the outbox ("" when none)
    pending_result: Mapped[str] = mapped_column(String(16), default="")


# --- resident requests' flow (issue 13) ---


class RequestEvent(Base):
    """A step of a request's flow as the server kept it (who, when, the status after, the extras)."""

    __tablename__ = "request_event"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    request_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    step: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # call-backs and bounces by step, for the rates (app migration 0012)
    __table_args__ = (Index("ix_request_event_step", "step", "request_id", "at"),)


class WorkOrder(Base):
    """A request dispatched to a department, on the department's laptop ("d:<department>" scopes)."""

    __tablename__ = "work_order"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the request
    department_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16))
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deadline_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    bounces: Mapped[int] = mapped_column(Integer, default=0)
    reopens: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[list[Any]] = mapped_column(JSON, default=list)  # the codec's event rows
    pending_step: Mapped[str] = mapped_column(String(16), default="")
