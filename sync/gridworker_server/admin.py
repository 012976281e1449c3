"""What supervisors, stations and admins do, shared by the API and the CLI; every change goes through
the change log so the workers' laptops receive it on their next pull.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gridworker_server import guide
from gridworker_server.auth import ROLES, Principal, grids_of, hash_password
from gridworker_server.changes import GLOBAL, ChangeSet, ensure_scopes
from gridworker_server.demo_city import (
    DEMO_COPIED_NOTE,
    DEMO_REVIEW_COMMENTS,
    SEED,
    DemoCity,
    batched,
    last_visits,
    member_rows,
    org_unit_rows,
)
from gridworker_server.errors import ApiError, text_field
from gridworker_server.flow import manage
from gridworker_server.flow.demo import seed_requests
from gridworker_server.flow.departments import check_department_user
from gridworker_server.guide_files import starter_guide_path
from gridworker_server.models import (
    Device,
    GridAssignment,
    Household,
    HouseholdMove,
    OrgUnit,
    Person,
    ResidentRequest,
    User,
    Visit,
    utcnow,
)
from gridworker_server.push import HOUSEHOLD_FIELDS, Rejected, _clean_household_field
from gridworker_server.review import demo as review_demo
from gridworker_server.review.numbers import number_rows
from gridworker_shared.domain import card_codes
from gridworker_shared.domain.households import request_due
from gridworker_shared.domain.review import StreetSettings
from gridworker_shared.domain.usernames import normalize_username, validate_username
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import grid_scope, review_scope

MANAGERS = ("supervisor", "admin")
DEMO_PASSWORD = "demo1234"
DEMO_SERVICE_HOURS = "工作日 8:30–17:30"
DEMO_CARD_LINE = "有事您找我，服务在身边"


def _require(p: Principal, roles: Iterable[str]) -> None:
    if p.role not in roles:
        raise ApiError(403, "forbidden", "Your role may not do this.")


def org_by_code(s: Session, code: str) -> OrgUnit:
    unit = s.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise ApiError(404, "org_unit_unknown", f"No org unit with code {code}.", code=code)
    return unit


def _user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None:
        raise ApiError(404, "user_unknown", f"No user {username}.", username=username)
    return user


def _actor(p: Principal) -> uuid.UUID | None:
    """Who did it, for the history: None for the CLI's operator, who is no user of the database."""
    return p.user_id if p.user_id.int != 0 else None


def _managed_household(s: Session, p: Principal, household_id: uuid.UUID) -> Household:
    _require(p, MANAGERS)
    h = s.get(Household, household_id, with_for_update=True)
    if h is None or h.deleted_at is not None or h.grid_id not in grids_of(s, p):
        raise ApiError(404, "household_unknown", "No such household in your area.")
    return h


# -- users, grids, devices --------------------------------------------------------------------------


def create_user(
    s: Session, username: str, name: str, role: str, org_code: str | None, password: str, phone: str = ""
) -> User:
    if role not in ROLES:
        raise ApiError(422, "invalid_role", f"Role must be one of {', '.join(ROLES)}.", roles=list(ROLES))
    username = _new_username(username)
    text_field("name", name)
    text_field("phone", phone)
    if len(password) < 8:
        raise ApiError(422, "weak_password", "The password needs at least 8 characters.", min=8)
    if s.scalar(select(User.id).where(User.username == username)) is not None:
        raise ApiError(409, "user_exists", f"User {username} exists.", username=username)
    unit = org_by_code(s, org_code) if org_code else None
    if role != "admin" and unit is None:
        raise ApiError(422, "org_required", "Give the user's org unit.")
    check_department_user(role, unit)  # a department user belongs to a department (gridworker_server.flow)
    user = User(
        username=username.strip(),
        name=name.strip() or username,
        role=role,
        org_unit_id=unit.id if unit else None,
        password_hash=hash_password(password),
        phone=phone,
    )
    try:
        with s.begin_nested():  # another request took the name since the check above
            s.add(user)
            s.flush()
    except IntegrityError:
        raise ApiError(409, "user_exists", f"User {username} exists.", username=username) from None
    assign_card_code(s, user)
    return user


CARD_CODE_ATTEMPTS = 50


def assign_card_code(s: Session, user: User) -> str:
    """Give ``user`` a card code no other user has (random; the unique constraint decides: a code
    taken meanwhile by a concurrent transaction fails its savepoint and another is drawn)."""
    for _ in range(CARD_CODE_ATTEMPTS):
        code = card_codes.random_card_code()
        if s.scalar(select(User.id).where(User.card_code == code)) is not None:
            continue
        try:
            with s.begin_nested():
                user.card_code = code
                s.flush()
        except IntegrityError:
            user.card_code = None
            continue
        return code
    raise RuntimeError(f"no free card code after {CARD_CODE_ATTEMPTS} draws")


def new_card_codes(s: Session, count: int) -> list[str]:
    """``count`` card codes, distinct and taken by no user yet (bulk loads, one transaction)."""
    taken = set(s.scalars(select(User.card_code).where(User.card_code.is_not(None))))
    out: list[str] = []
    while len(out) < count:
        code = card_codes.random_card_code()
        if code not in taken:
            taken.add(code)
            out.append(code)
    return out


def _new_username(given: str) -> str:
    """The normal form of a new user name; 422 ``invalid_username`` for one that cannot be."""
    try:
        return validate_username(given)
    except ValidationError as err:
        params: dict[str, Any] = dict(err.params)
        raise ApiError(422, "invalid_username", err.message, **params) from None


def deactivate_user(s: Session, username: str) -> None:
    """The user's next request fails; grids stay assigned until reassigned."""
    _user(s, username).active = False


def assign_grid(s: Session, grid_code: str, username: str) -> None:
    """One worker per grid: the previous worker's laptop gets the scope removed on its next pull."""
    grid = org_by_code(s, grid_code)
    if grid.kind != "grid":
        raise ApiError(422, "not_a_grid", f"{grid_code} is not a grid.", code=grid_code)
    user = _user(s, username)
    if user.role != "worker":
        raise ApiError(422, "not_a_worker", f"{username} is not a worker.", username=username)
    now = utcnow()
    current = s.scalars(
        select(GridAssignment).where(GridAssignment.grid_id == grid.id, GridAssignment.until.is_(None))
    ).all()
    if any(a.user_id == user.id for a in current):
        return
    cs = ChangeSet(s)
    for a in current:
        a.until = now
        cs.remove(grid_scope(grid.id), "worker", a.user_id)
    s.add(GridAssignment(grid_id=grid.id, user_id=user.id, since=now))
    s.flush()
    ensure_scopes(s, [grid_scope(grid.id)])
    # the worker rows (card details, grids held) of everyone whose grids changed, in all their grids
    for who in {user.id, *(a.user_id for a in current)}:
        for held in s.scalars(
            select(GridAssignment.grid_id).where(GridAssignment.user_id == who, GridAssignment.until.is_(None))
        ):
            cs.upsert(grid_scope(held), "worker", who)
    cs.flush()


# the wipe modes (protocol.WipeMode) by strength: a revoke may raise a device's mode, never lower it
WIPE_MODES = {"": 0, "handover": 1, "lost": 2}


def revoke_device(s: Session, device_id: uuid.UUID, wipe: str = "") -> Device:
    """Revoke a device: its token fails on its next request. ``wipe`` (protocol.WipeMode) says what
    the laptop then does: "" sign in again and keep its data; "lost" wipe its data at once; "handover"
    send what is unsent, then wipe. Revoking again may raise the mode (a plain revoke, or a handover,
    later reported lost), never lower it: a laptop told to wipe is not told to keep its data after all."""
    if wipe not in WIPE_MODES:
        raise ApiError(422, "wipe_mode_unknown", f"Unknown wipe mode {wipe!r}: use lost or handover.", wipe=wipe)
    device = s.get(Device, device_id, with_for_update=True)
    if device is None:
        raise ApiError(404, "device_unknown", "No such device.")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
    if WIPE_MODES[wipe] > WIPE_MODES.get(device.wipe or "", 0):
        device.wipe = wipe
    return device


def list_devices(s: Session, username: str) -> list[Device]:
    return list(s.scalars(select(Device).where(Device.user_id == _user(s, username).id).order_by(Device.created_at)))


# -- households -------------------------------------------------------------------------------------


def edit_household(s: Session, p: Principal, household_id: uuid.UUID, changes: dict[str, Any]) -> Household:
    h = _managed_household(s, p, household_id)
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in HOUSEHOLD_FIELDS:
            raise ApiError(422, "unknown_field", f"This field cannot be changed: {name}.", field=name)
        try:
            clean[name] = _clean_household_field(name, value)
        except Rejected as r:
            raise ApiError(422, r.code, r.message, **r.data) from r
    versions = dict(h.field_versions or {})
    changed = False
    for name, value in clean.items():
        if getattr(h, name) != value:
            setattr(h, name, value)
            versions[name] = h.version + 1
            changed = True
    if changed:
        h.version += 1
        h.field_versions = versions
        cs = ChangeSet(s)
        cs.household(h)
        cs.flush()
    return h


def move_household(s: Session, p: Principal, household_id: uuid.UUID, grid_id: uuid.UUID) -> Household:
    """Reassign: the old grid's laptops get a remove and the new grid's an upsert, in one transaction."""
    h = _managed_household(s, p, household_id)
    target = s.get(OrgUnit, grid_id)
    if target is None or target.kind != "grid" or grid_id not in grids_of(s, p):
        raise ApiError(404, "grid_unknown", "No such grid in your area.")
    if h.grid_id == grid_id:
        return h
    cs = ChangeSet(s)
    cs.household(h, op="r")
    s.add(HouseholdMove(household_id=h.id, from_grid_id=h.grid_id, to_grid_id=grid_id, actor_id=_actor(p)))
    h.grid_id = grid_id
    h.micro_grid_id = None
    h.version += 1
    # the new grid's laptops never had its visits: every one is sent again (stamped in the new scope)
    s.execute(update(Visit).where(Visit.household_id == h.id).values(sv=None))
    s.flush()
    cs.household(h)
    cs.review(h)
    _org_units_into(s, cs, grid_id)
    cs.flush()
    return h


def remove_household(s: Session, p: Principal, household_id: uuid.UUID) -> None:
    """A tombstone: the laptops drop the household; an offline edit to it comes back rejected."""
    h = _managed_household(s, p, household_id)
    cs = ChangeSet(s)
    cs.household(h, op="r")
    h.deleted_at = utcnow()
    h.version += 1
    cs.flush()


# -- resident requests --------------------------------------------------------------------------------


def transition_request(s: Session, p: Principal, request_id: uuid.UUID, to: str, note: str) -> ResidentRequest:
    """The older API's status change, taken as the flow's step that leads there (gridworker_server.flow)."""
    return manage.transition(s, p, request_id, to, note)


# -- the demo city --------------------------------------------------------------------------------------


def _org_units_into(s: Session, cs: ChangeSet, grid_id: uuid.UUID) -> None:
    """A grid's scope carries its ancestors and its micro-grids (names and liaisons on screen)."""
    units = {u.id: u for u in s.scalars(select(OrgUnit))}
    node: uuid.UUID | None = grid_id
    scope = grid_scope(grid_id)
    while node is not None:
        cs.upsert(scope, "org_unit", node)
        node = units[node].parent_id
    for u in units.values():
        if u.parent_id == grid_id:
            cs.upsert(scope, "org_unit", u.id)


def seed_demo(s: Session, city: DemoCity) -> dict[str, int]:
    """The demo city, with a worker per grid, a station per community, a supervisor and an admin
    (all with the password ``demo1234``). Refuses a database that already has org units."""
    if s.scalar(select(OrgUnit.id).limit(1)) is not None:
        raise ApiError(409, "not_empty", "The database already holds data.")
    s.execute(insert(OrgUnit), org_unit_rows(city))
    password = hash_password(DEMO_PASSWORD)
    street = next(u for u in city.org_units if u.kind == "street")
    users: list[dict[str, Any]] = [
        {
            "id": w.id,
            "username": w.username,
            "name": w.name,
            "phone": w.phone,
            "role": "worker",
            "org_unit_id": w.grid_id,
            "service_hours": DEMO_SERVICE_HOURS,
            "card_line": DEMO_CARD_LINE,
        }
        for w in city.workers
    ]
    users.append(
        {
            "id": uuid.uuid4(),
            "username": "supervisor",
            "name": "街道主管",
            "role": "supervisor",
            "org_unit_id": street.id,
        }
    )
    users.append({"id": uuid.uuid4(), "username": "admin", "name": "系统管理员", "role": "admin", "org_unit_id": None})
    for n, community in enumerate((u for u in city.org_units if u.kind == "community"), start=1):
        users.append(
            {
                "id": uuid.uuid4(),
                "username": f"station{n:02d}",
                "name": f"{community.name}工作站",
                "role": "station",
                "org_unit_id": community.id,
            }
        )
    codes = new_card_codes(s, len(users))
    s.execute(
        insert(User),
        [
            {
                "phone": "",
                "service_hours": "",
                "card_line": "",
                **u,
                "password_hash": password,
                "active": True,
                "card_code": code,
            }
            for u, code in zip(users, codes, strict=True)
        ],
    )
    now = utcnow()
    s.execute(insert(GridAssignment), [{"grid_id": w.grid_id, "user_id": w.id, "since": now} for w in city.workers])
    rows = load_households(s, city)
    supervisor = next(u["id"] for u in users if u["role"] == "supervisor")
    review_demo.review_events(s, rows, supervisor, random.Random(SEED + 13), DEMO_REVIEW_COMMENTS, now=utcnow())
    seed_requests(s, city, password)  # departments, their users, requests in every state of the flow
    for user in s.scalars(select(User).where(User.card_code.is_(None))):  # the departments' users
        assign_card_code(s, user)
    guide.publish_folder(s, starter_guide_path())
    return {
        "org_units": len(city.org_units),
        "users": len(users),
        "households": len(city.households),
        "visits": len(city.visits),
    }


def load_households(s: Session, city: DemoCity) -> list[dict[str, Any]]:
    """Bulk rows (demo, benchmarks): households, members, visits (numbered, with their form times and
    the flags the rules raise over them), requests and their change log. The visit rows."""
    last_met, last_attempt = last_visits(city)
    grids = {u.id for u in city.org_units if u.kind == "grid"}
    ensure_scopes(s, [GLOBAL, *(grid_scope(g) for g in grids)])
    for chunk in batched(
        [
            {
                "id": h.id,
                "grid_id": h.grid_id,
                "micro_grid_id": h.micro_grid_id,
                "compound": h.compound,
                "building": h.building,
                "unit": h.unit,
                "floor": h.floor,
                "room": h.room,
                "head_name": h.head_name,
                "phone": h.phone,
                "notes": h.notes,
                "tags": list(h.tags),
                "visit_interval_days": None,
                "registered_on": h.registered_on,
                "last_met_on": last_met.get(h.id),
                "last_attempt_on": last_attempt.get(h.id),
                "version": 1,
                "field_versions": {},
            }
            for h in city.households
        ]
    ):
        s.execute(insert(Household), chunk)
    for chunk in batched({**row, "field_versions": {}} for row in member_rows(city)):
        s.execute(insert(Person), chunk)
    visit_rows: list[dict[str, Any]] = [
        {
            "id": v.id,
            "household_id": v.household_id,
            "worker_id": v.worker_id,
            "visited_at": v.visited_at,
            "outcome": v.outcome,
            "notes": v.notes,
            "amends_id": None,
            "seen": [str(p) for p in v.seen],
            "flag": "",
            "received_at": v.visited_at,
            "content_hash": "",
        }
        for v in sorted(city.visits, key=lambda v: (v.visited_at, v.id))
    ]
    number_rows(s, visit_rows)
    review_demo.annotate(visit_rows, random.Random(SEED + 12), DEMO_COPIED_NOTE, utcnow())
    buildings = {h.id: (h.compound, h.building) for h in city.households}
    review_demo.flag_rows(visit_rows, buildings, StreetSettings())
    for chunk in batched(visit_rows):
        s.execute(insert(Visit), chunk)
    requests = [
        {
            "id": r.id,
            "household_id": v.household_id,
            "visit_id": v.id,
            "category": r.category,
            "description": r.description,
            "urgency": r.urgency,
            "due_on": request_due(r.urgency, v.visited_at.date()),
            "status": r.status,
            "status_note": "",
            "satisfaction": "",
            "version": 1,
            "created_at": v.visited_at,
        }
        for v in city.visits
        for r in v.requests
    ]
    for chunk in batched(requests):
        s.execute(insert(ResidentRequest), chunk)
    cs = ChangeSet(s)
    for g in grids:
        _org_units_into(s, cs, g)
    for w in city.workers:
        cs.upsert(grid_scope(w.grid_id), "worker", w.id)
    visited = {v.household_id for v in city.visits}
    for h in city.households:
        cs.upsert(grid_scope(h.grid_id), "household", h.id)
        if h.id in visited:
            cs.upsert(review_scope(h.grid_id), "review", h.id)
    cs.flush()
    return visit_rows
