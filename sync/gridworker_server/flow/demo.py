"""The demo city's requests through the flow: the street's departments with a user each (dept-cgzf ...,
password demo1234), and every seeded request taken through steps by the roles that take them, so the
screens show every status with its history: some overdue, some bounced twice, some called back
unsatisfied and reopened, some archived. The steps go through the same state machine as a push."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from gridworker_server.changes import ChangeSet
from gridworker_server.demo_city import DEPARTMENTS, DISPATCH_TO, FLOW_NOTES, SEED, DemoCity
from gridworker_server.flow.state import FLOW_COLUMNS, Step, advance, check
from gridworker_server.models import OrgUnit, RequestEvent, ResidentRequest, User, utcnow
from gridworker_shared.protocol import department_scope, feed_scope, grid_scope

# the demo's stories: (share, steps); "dispatch2" is a dispatch to the category's other department
STORIES: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.45, ()),  # many stay new: the tests and the screens take fresh ones
    (0.08, ("accept",)),
    (0.10, ("accept", "dispatch")),
    (0.10, ("accept", "dispatch", "sign", "progress")),
    (0.12, ("accept", "dispatch", "sign", "close")),
    (0.18, ("accept", "dispatch", "sign", "progress", "close", "callback")),
    (0.04, ("on_spot", "callback")),
    (0.04, ("accept", "dispatch", "bounce", "dispatch2", "bounce")),
    (0.04, ("accept", "dispatch", "sign", "close", "callback_bad")),
    (0.03, ("accept", "dispatch", "sign", "extend")),
    (0.02, ("accept", "dispatch", "sign", "close", "callback_failed", "callback_failed", "callback_failed")),
    (0.03, ("cancel",)),
)
ACTORS = {
    "accept": "station",
    "dispatch": "station",
    "dispatch2": "supervisor",
    "on_spot": "worker",
    "sign": "department",
    "bounce": "department",
    "progress": "department",
    "close": "department",
    "callback": "worker",
    "callback_bad": "station",
    "callback_failed": "station",
    "extend": "supervisor",
    "cancel": "worker",
}


def seed_requests(s: Session, city: DemoCity, password_hash: str) -> None:
    street = next(u for u in city.org_units if u.kind == "street")
    departments = {suffix: uuid.uuid4() for _kind, _name, suffix in DEPARTMENTS}
    s.execute(
        insert(OrgUnit),
        [
            {"id": departments[suffix], "code": f"{street.code}-{suffix}", "name": name, "kind": "department",
             "parent_id": street.id, "liaison_name": "", "liaison_phone": "", "settings": {}}
            for _kind, name, suffix in DEPARTMENTS
        ],
    )  # fmt: skip
    dept_users = {departments[suffix]: uuid.uuid4() for suffix in departments}
    s.execute(
        insert(User),
        [
            {"id": dept_users[departments[suffix]], "username": f"dept-{suffix}", "name": name, "phone": "",
             "role": "department", "service_hours": "", "card_line": "", "org_unit_id": departments[suffix],
             "password_hash": password_hash, "active": True}
            for _kind, name, suffix in DEPARTMENTS
        ],
    )  # fmt: skip
    people = _people(s, city)
    rng = random.Random(SEED + 13)
    now = utcnow()
    grid_of = {h.id: h.grid_id for h in city.households}
    updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    changes = ChangeSet(s)
    for grid in (u.id for u in city.org_units if u.kind == "grid"):  # every laptop of the street names them
        for department in departments.values():
            changes.upsert(grid_scope(grid), "org_unit", department)
    stories = [steps for _share, steps in STORIES]
    weights = [share for share, _steps in STORIES]
    for v in sorted(city.visits, key=lambda v: (v.visited_at, v.id)):
        grid = grid_of[v.household_id]
        for r in v.requests:
            created = v.visited_at.astimezone(dt.UTC)
            events.append(_event(r.id, people[("worker", grid)], "create", "", "submitted", "", {}, created))
            story = _Story(rng, r.id, r.category, created, now, events)
            story.who = {role: people.get((role, grid)) for role in ("worker", "station", "supervisor")}
            story.departments, story.dept_users = departments, dept_users
            row = story.run(rng.choices(stories, weights)[0])
            updates.append({"b_id": r.id, "b_created_at": created, **{f"b_{k}": row[k] for k in FLOW_COLUMNS}})
            if row["department_id"] is not None:
                changes.upsert(department_scope(row["department_id"]), "work_order", r.id)
            changes.upsert(feed_scope(street.id), "request", r.id)
    rt = ResidentRequest.__table__
    if updates:
        s.connection().execute(
            update(ResidentRequest)
            .where(rt.c.id == bindparam("b_id"))
            .values({k: bindparam(f"b_{k}") for k in ("created_at", *FLOW_COLUMNS)}),
            updates,
        )
    for start in range(0, len(events), 2000):
        s.execute(insert(RequestEvent), events[start : start + 2000])
    changes.flush()


def _people(s: Session, city: DemoCity) -> dict[tuple[str, uuid.UUID], uuid.UUID]:
    """Who acts for a grid: its worker, its community's station, the street's supervisor."""
    units = {u.id: u for u in city.org_units}
    by_unit = {(u.role, u.org_unit_id): u.id for u in s.execute(select(User.id, User.role, User.org_unit_id))}
    out: dict[tuple[str, uuid.UUID], uuid.UUID] = {}
    for w in city.workers:
        out[("worker", w.grid_id)] = w.id
    for grid in (u for u in city.org_units if u.kind == "grid"):
        community = units[grid.id].parent_id
        street = units[community].parent_id if community else None
        for role, unit in (("station", community), ("supervisor", street)):
            if (role, unit) in by_unit:
                out[(role, grid.id)] = by_unit[(role, unit)]
    return out


def _event(
    rid: uuid.UUID,
    actor: uuid.UUID | None,
    step: str,
    before: str,
    after: str,
    note: str,
    data: dict[str, Any],
    at: dt.datetime,
) -> dict[str, Any]:
    return {
        "request_id": rid,
        "actor_id": actor,
        "command": step,
        "from_status": before,
        "to_status": after,
        "note": note,
        "mutation_id": None,
        "event_id": uuid.uuid4() if step != "create" else None,
        "data": data,
        "via": "app",
        "external_event_id": None,
        "at": at,
    }


class _Story:
    """One request's steps, spread between its creation and now."""

    def __init__(
        self,
        rng: random.Random,
        rid: uuid.UUID,
        category: str,
        created: dt.datetime,
        now: dt.datetime,
        events: list[dict[str, Any]],
    ) -> None:
        self.rng, self.rid, self.category, self.created, self.now, self.events = (
            rng,
            rid,
            category,
            created,
            now,
            events,
        )
        self.who: dict[str, uuid.UUID | None] = {}
        self.departments: dict[str, uuid.UUID] = {}
        self.dept_users: dict[uuid.UUID, uuid.UUID] = {}

    def run(self, steps: tuple[str, ...]) -> dict[str, Any]:
        row: dict[str, Any] = {k: None for k in FLOW_COLUMNS}
        row.update(status="submitted", status_note="", on_spot=False, bounces=0, reopens=0, failed_callbacks=0)
        row["satisfaction"] = ""
        span = (self.now - self.created).total_seconds()
        at = self.created
        first, second = DISPATCH_TO.get(self.category, DISPATCH_TO["other"])
        for n, name in enumerate(steps):
            left = len(steps) - n
            at += dt.timedelta(seconds=max(60.0, self.rng.uniform(0.05, 0.8) * (self.now - at).total_seconds() / left))
            at = min(at, self.created + dt.timedelta(seconds=span * (n + 1) / (len(steps) + 1)) + dt.timedelta(hours=1))
            at = min(at, self.now)
            step = self._step(name, first, second)
            role = ACTORS[name]
            check(step, row["status"], role)
            actor = self.dept_users.get(row["department_id"]) if role == "department" else self.who.get(role)
            before = row["status"]
            row.update(advance(row, self.category, step, at))
            note = step.note.strip()
            self.events.append(_event(self.rid, actor, step.step, before, row["status"], note, step.extras(), at))
        return row

    def _step(self, name: str, first: str, second: str) -> Step:
        if name in ("dispatch", "dispatch2"):
            return Step("dispatch", department_id=self.departments[first if name == "dispatch" else second])
        if name == "bounce":
            return Step("bounce", reason="not_ours", whose=FLOW_NOTES["whose"])
        if name == "callback":
            return Step("callback", resolved=True, satisfaction=self.rng.choice(("satisfied", "satisfied", "basic")))
        if name == "callback_bad":
            return Step("callback", resolved=self.rng.random() < 0.3, satisfaction="dissatisfied")
        if name == "extend":
            return Step("extend", note=FLOW_NOTES["extend"], days=self.rng.choice((3, 7)))
        return Step(name, note=FLOW_NOTES.get(name, ""))
