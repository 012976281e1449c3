"""Users, devices, tokens and scopes (SYNC.md, Auth).

Passwords are argon2id hashes. Signing in registers a device and returns a random token bound to it;
the server keeps only the token's SHA-256 (a stolen database holds no usable token). A token lapses
after ``TOKEN_DAYS`` without use; a revoked device or a deactivated user fails on the very next request.
Scopes are computed here, from the server's data, for every request.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, String, bindparam, case, cast, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from gridworker_server.driver import first_row
from gridworker_server.errors import ApiError
from gridworker_server.models import (
    Device,
    GridAssignment,
    LoginAttempt,
    OrgUnit,
    ScopeVersion,
    ServerMeta,
    User,
    utcnow,
)
from gridworker_shared.protocol import GLOBAL_SCOPE, department_scope, grid_scope, review_scope

ROLES = ("worker", "station", "supervisor", "admin", "department")
TOKEN_DAYS = 90
LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_MAX_FAILURES = 5  # attempts verified per user name in the window (a right password clears them)
ADDRESS_FREE_FAILURES = 30  # failures per client address in the window before it is slowed down
ADDRESS_STEP = 0.25  # seconds of delay added per failure beyond those
ADDRESS_MAX_DELAY = 10.0  # the longest an attempt from a slowed-down address waits
SEEN_RESOLUTION = dt.timedelta(hours=1)  # last_seen_at is written at most this often

_hasher = PasswordHasher()
# a real hash to verify against when the user does not exist, so timing does not tell
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The signed-in user behind a request, and the device it came from."""

    user_id: uuid.UUID
    username: str
    role: str
    org_unit_id: uuid.UUID | None
    device_id: uuid.UUID
    # the device was last seen over an hour ago: slide its token's expiry (a write)
    seen_stale: bool = False
    # the server's epoch, read with the token (one statement for both on the hot path)
    epoch: uuid.UUID | None = None
    # a worker's grids, read with the token too (None: compute them, for the other roles)
    grids: frozenset[uuid.UUID] | None = None
    # a worker's scope counters {scope: (version, floor)}, when a pull asked for them with the token
    counters: dict[str, tuple[int, int]] | None = None
    # the device's sequence, when a push locked the device row with the token
    last_seq: int | None = None
    # a push of a device handed over (``handover_push``): it sends what is unsent, it pulls nothing
    handed_over: bool = False


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _upsert(s: Session, key: str, now: float, since: float, *, attempts: int) -> Any:
    """One atomic statement on both databases: the row of ``key`` with ``attempts`` added (a window
    older than ``since`` starts again from them), returned as it now is. Concurrent requests queue on
    the row, so each sees the count the one before it left."""
    t = LoginAttempt.__table__
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    expired = t.c.window_start < since
    stmt = (
        insert(LoginAttempt)
        .values(key=key, attempts=attempts, window_start=now, next_at=0.0)
        .on_conflict_do_update(
            index_elements=[t.c.key],
            set_={
                "attempts": case((expired, attempts), else_=t.c.attempts + attempts),
                "window_start": case((expired, now), else_=t.c.window_start),
            },
        )
        .returning(t.c.attempts, t.c.window_start, t.c.next_at)
    )
    return s.execute(stmt).one()


def _too_many(retry_after: float) -> ApiError:
    minutes = max(1, math.ceil(retry_after / 60))
    return ApiError(
        429,
        "too_many_attempts",
        f"Too many failed sign-ins; try again in {minutes} minutes.",
        retry_after=max(1, math.ceil(retry_after)),
        minutes=minutes,
    )


def begin_attempt(s: Session, username: str) -> bool:
    """Count a sign-in attempt for the user name (its normal form) BEFORE its password is verified:
    the sixth attempt in the window is refused unverified (429), however many arrive at once. A right
    password clears the count (:func:`clear_attempts`); a wrong one leaves it counted. True when the
    attempt opened a new window (time to :func:`forget_old_attempts`)."""
    now = time.time()
    row = _upsert(s, f"u:{username}"[:300], now, now - LOGIN_WINDOW.total_seconds(), attempts=1)
    if row.attempts > LOGIN_MAX_FAILURES:
        raise _too_many(row.window_start + LOGIN_WINDOW.total_seconds() - now)
    return bool(row.attempts == 1)


def forget_old_attempts(s: Session) -> None:
    """Keep the table small: windows long over no longer count. In a transaction of its own (a sweep
    that locked rows while counting could deadlock with another sign-in's count)."""
    now = time.time()
    old = now - 4 * LOGIN_WINDOW.total_seconds()
    s.execute(delete(LoginAttempt).where(LoginAttempt.window_start < old, LoginAttempt.next_at < now))


def clear_attempts(s: Session, username: str) -> None:
    s.execute(delete(LoginAttempt).where(LoginAttempt.key == f"u:{username}"[:300]))


def address_delay(failures: int) -> float:
    """Seconds an address waits before each attempt once it has ``failures`` in the window: none up to
    ``ADDRESS_FREE_FAILURES``, then growing by ``ADDRESS_STEP`` a failure, at most ``ADDRESS_MAX_DELAY``."""
    over = failures - ADDRESS_FREE_FAILURES
    return 0.0 if over < 0 else min(ADDRESS_MAX_DELAY, ADDRESS_STEP * (over + 1))


def address_slowed(s: Session, address: str) -> float:
    """The delay of each attempt from ``address`` now (a read: 0.0 for an address with few failures)."""
    t = LoginAttempt.__table__
    now = time.time()
    row = s.execute(select(t.c.attempts, t.c.window_start).where(t.c.key == f"a:{address}"[:300])).first()
    if row is None or row.window_start < now - LOGIN_WINDOW.total_seconds():
        return 0.0
    return address_delay(row.attempts)


def address_turn(s: Session, address: str, delay: float) -> float:
    """How long an attempt from a slowed-down ``address`` waits before its password is verified. The
    address is slowed down, never refused: its attempts take turns, each ``delay`` after the one before
    (the turn taken in one atomic statement, so parallel requests queue too), and none waits longer than
    ``ADDRESS_MAX_DELAY`` (a station's office network is one address)."""
    t = LoginAttempt.__table__
    now = time.time()
    turn = case((t.c.next_at > now, t.c.next_at), else_=now) + delay
    stmt = (
        update(LoginAttempt)
        .where(t.c.key == f"a:{address}"[:300])
        .values(next_at=case((turn > now + ADDRESS_MAX_DELAY, now + ADDRESS_MAX_DELAY), else_=turn))
        .returning(t.c.next_at)
    )
    next_at = s.execute(stmt).scalar_one_or_none()
    return 0.0 if next_at is None else max(0.0, min(ADDRESS_MAX_DELAY, next_at - now))


def record_failure(s: Session, address: str) -> float:
    """A wrong password from ``address``: its failures counted; the delay its next attempt will wait."""
    now = time.time()
    row = _upsert(s, f"a:{address}"[:300], now, now - LOGIN_WINDOW.total_seconds(), attempts=1)
    return address_delay(row.attempts)


def verify_user(s: Session, username: str, password: str) -> User | None:
    """The active user of ``username`` (its normal form) if ``password`` is theirs."""
    user = s.scalar(select(User).where(User.username == username))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def register_device(s: Session, user: User, device_id: uuid.UUID | None, name: str) -> tuple[Device, str]:
    """A new token for the device; an existing, unrevoked device of the same user keeps its sequence."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    device = s.get(Device, device_id, with_for_update=True) if device_id else None
    if device is None or device.user_id != user.id or device.revoked_at is not None:
        device = Device(id=uuid.uuid4(), user_id=user.id, last_seq=0)
        s.add(device)
    device.name = name or device.name
    device.token_hash = token_hash(token)
    device.last_seen_at = now
    device.expires_at = now + dt.timedelta(days=TOKEN_DAYS)
    s.flush()
    return device, token


def principal_row(conn: Connection, digest: str, *, counters: bool = False, lock: bool = False) -> Any:
    """The device and its user for a token hash, with the server's epoch and the worker's grids: one
    statement. ``counters``: also the worker's scope counters, as ``scope:version:floor;…`` (a pull
    answers from this one read). ``lock``: the device row locked to commit, with its sequence (a push)."""
    return first_row(conn, _principal_statement(counters, lock), {"digest": digest})


def parse_counters(text: str | None) -> dict[str, tuple[int, int]]:
    """``scope:version:floor;…`` as {scope: (version, floor)}."""
    counters: dict[str, tuple[int, int]] = {}
    for part in (text or "").split(";"):
        rest, _, floor = part.rpartition(":")  # scope keys hold a colon themselves ("g:…")
        scope, _, version = rest.rpartition(":")
        if scope:
            counters[scope] = (int(version), int(floor))
    return counters


@functools.cache
def _principal_statement(counters: bool, lock: bool = False) -> Any:
    """Built once: every request runs it, and a statement object built anew each time costs more
    Python than the query costs PostgreSQL (its cache key is memoized on the object)."""
    d, u = Device.__table__.c, User.__table__.c
    epoch = select(ServerMeta.value).where(ServerMeta.key == "epoch").scalar_subquery()
    a = GridAssignment.__table__.c
    grids = (
        select(func.aggregate_strings(cast(a.grid_id, String), ","))
        .where(a.user_id == u.id, a.until.is_(None))
        .scalar_subquery()
    )
    stmt = (
        select(
            d.id,
            d.revoked_at,
            d.wipe,
            d.wipe_confirmed_at,
            d.expires_at,
            d.last_seen_at,
            u.id.label("user_id"),
            u.username,
            u.role,
            u.org_unit_id,
            u.active,
            u.must_change_password,
            epoch.label("epoch"),
            grids.label("grids"),
            *([_counters(u.id).label("counters")] if counters else []),
            *([d.last_seq] if lock else []),
        )
        .join_from(Device.__table__, User.__table__, u.id == d.user_id)
        .where(d.token_hash == bindparam("digest"))
    )
    return stmt.with_for_update(of=Device.__table__) if lock else stmt


def _counters(user_id: Any) -> Any:
    sv, a = ScopeVersion.__table__.c, GridAssignment.__table__.c
    # correlated to the outer query's user two levels up: say so, or it would cross-join every user
    held = select(a.grid_id).where(a.user_id == user_id, a.until.is_(None)).correlate_except(GridAssignment.__table__)
    text = sv.scope + ":" + cast(sv.version, String) + ":" + cast(sv.floor, String)
    return (
        select(func.aggregate_strings(text, ";"))
        .where(or_(sv.scope == GLOBAL_SCOPE, sv.grid_id.in_(held)))
        .scalar_subquery()
    )


_REVOKED = {
    "": "This device was revoked; sign in again.",
    "lost": "This device was reported lost: its local data must be removed.",
    "handover": "This device was handed over: it sends what is unsent, then removes its local data.",
}


def revoked(row: Any) -> ApiError:
    """The 401 of a revoked device: ``detail.wipe`` says what the laptop must do (protocol.WipeMode),
    ``detail.device_id`` which device it is (its wipe confirmation names it)."""
    wipe = str(row.wipe or "")
    return ApiError(401, "device_revoked", _REVOKED.get(wipe, _REVOKED[""]), wipe=wipe, device_id=str(row.id))


def authenticate(
    s: Session,
    token: str | None,
    *,
    counters: bool = False,
    lock: bool = False,
    initial_password: bool = False,
    handover_push: bool = False,
) -> Principal:
    """The principal of a token, checked. ``counters`` (a pull): a worker's scope counters come with
    it; ``lock`` (a push): the device row is locked to commit and its sequence comes with it. A user
    still on the initial password of a bulk import is refused (403 ``password_change_required``) but
    where ``initial_password`` says the request is the one that changes it. A revoked device is refused
    (401 ``device_revoked`` with its wipe mode) but where ``handover_push`` says the request is a push
    and the device was revoked as handed over and has not confirmed its wipe yet: it sends what is
    unsent before it wipes (nothing a worker recorded is lost with the laptop's handover)."""
    if not token:
        raise ApiError(401, "not_signed_in", "Sign in first.")
    row = principal_row(s.connection(), token_hash(token), counters=counters, lock=lock)
    if row is None:
        raise ApiError(401, "invalid_token", "Your sign-in is no longer valid; sign in again.")
    now = utcnow()
    if row.revoked_at is not None and not (
        handover_push
        and row.wipe == "handover"
        and row.wipe_confirmed_at is None
        and row.active
        and _aware(row.expires_at) >= now
    ):
        # (a handed-over laptop whose user was deactivated, or whose token lapsed, can send nothing more:
        # it is told to wipe, not to sign in again, which could not help it)
        raise revoked(row)
    if not row.active:
        raise ApiError(401, "user_inactive", "This account is deactivated.")
    if _aware(row.expires_at) < now:
        raise ApiError(401, "token_expired", "Your sign-in expired; sign in again.")
    if row.must_change_password and not initial_password:
        raise ApiError(403, "password_change_required", "Set your own password before syncing.")
    stale = now - _aware(row.last_seen_at) >= SEEN_RESOLUTION
    return Principal(
        row.user_id,
        row.username,
        row.role,
        row.org_unit_id,
        row.id,
        stale,
        uuid.UUID(row.epoch) if row.epoch else None,
        frozenset(uuid.UUID(g) for g in (row.grids or "").split(",") if g) if row.role == "worker" else None,
        parse_counters(row.counters) if counters and row.role == "worker" else None,
        row.last_seq if lock else None,
        row.revoked_at is not None,
    )


def touch_device(s: Session, device_id: uuid.UUID) -> None:
    """Slide the token's expiry, at most once an hour (a no-change pull stays a pure read)."""
    device = s.get(Device, device_id)
    if device is None:
        return
    now = utcnow()
    if now - _aware(device.last_seen_at) >= SEEN_RESOLUTION:
        device.last_seen_at = now
        device.expires_at = now + dt.timedelta(days=TOKEN_DAYS)


def descendants(s: Session, root: uuid.UUID) -> set[uuid.UUID]:
    """The org unit and everything under it."""
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for uid, parent in s.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent, []).append(uid)
    out: set[uuid.UUID] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.add(node)
        stack.extend(children.get(node, []))
    return out


def grids_of(s: Session, p: Principal) -> set[uuid.UUID]:
    """The grids a user may read and write, computed from the server's data on every request."""
    if p.grids is not None:
        return set(p.grids)
    if p.role == "worker":
        a = GridAssignment.__table__.c
        return set(s.connection().scalars(select(a.grid_id).where(a.user_id == p.user_id, a.until.is_(None))))
    if p.role == "admin":
        return set(s.scalars(select(OrgUnit.id).where(OrgUnit.kind == "grid")))
    if p.org_unit_id is None:
        return set()
    under = descendants(s, p.org_unit_id)
    return set(s.scalars(select(OrgUnit.id).where(OrgUnit.kind == "grid", OrgUnit.id.in_(under))))


# the roles whose laptops hold their area for review: a grid scope and a review scope per grid
REVIEWER_ROLES = ("station", "supervisor")


def scopes_of(s: Session, p: Principal) -> list[str]:
    """The scopes a user pulls: the guide, a grid scope per grid of their area and, for a station or a
    supervisor, the grid's review scope too (workers never get one)."""
    if p.role == "department":  # its work orders only: no households, no guide
        return [department_scope(p.org_unit_id)] if p.org_unit_id is not None else []
    grids = grids_of(s, p)
    review = [review_scope(g) for g in grids] if p.role in REVIEWER_ROLES else []
    return sorted([GLOBAL_SCOPE, *(grid_scope(g) for g in grids), *review])
