"""A reviewer's laptop for the review UI's tests: the demo city in the app database as a supervisor's
copy of their street: the workers' cards, the last weeks' visits as the server sends them for review
(numbered, with states, flags and activity), a correction of a returned visit, and back-checks.

Written straight into the tables (as a pull would leave them), never into the outbox."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert

from gridworker.demo.seed import load_city
from gridworker.store.db import Database
from gridworker.store.meta import set_meta
from gridworker.store.models import Article, Backcheck, ReviewEvent, ReviewFlag, ReviewVisit, WorkerCard
from gridworker_server.demo_city import DemoCity, DemoHousehold, DemoVisit

SUPERVISOR_ID = uuid.UUID("5e000000-0000-4000-8000-000000000001")
ARTICLE_ID = uuid.UUID("a1000000-0000-4000-8000-000000000001")
ARTICLE_TITLE = "城乡居民基本医疗保险缴费"
# flags given in turn to every third visit
FLAG_CYCLE = (
    "short_form",
    "off_hours",
    "same_notes",
    "late_entry",
    "rapid_sequence",
    "not_home_streak",
    "care_overdue",
)


@dataclass
class ReviewData:
    """What the factory wrote, for the tests' expectations."""

    nos: list[int] = field(default_factory=list)  # every review visit, newest first
    states: dict[int, str] = field(default_factory=dict)
    flags: dict[int, list[str]] = field(default_factory=dict)
    grid_of: dict[int, uuid.UUID] = field(default_factory=dict)
    worker_of: dict[int, uuid.UUID] = field(default_factory=dict)
    outcome_of: dict[int, str] = field(default_factory=dict)
    amendment: int = 0  # a correction (pending) of ``returned_no``
    returned_no: int = 0
    backchecks: list[uuid.UUID] = field(default_factory=list)
    open_backcheck: uuid.UUID | None = None


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def fill_review(db: Database, city: DemoCity, today: dt.date, days: int = 21, role: str = "supervisor") -> ReviewData:
    """The visits of the last ``days`` days before ``today`` as review rows; the city must be loaded."""
    rng = random.Random(1207)
    homes = {h.id: h for h in city.households}
    start = dt.datetime.combine(today - dt.timedelta(days=days), dt.time()).astimezone()
    recent = sorted(
        (v for v in city.visits if v.visited_at >= start and v.visited_at.date() <= today), key=lambda v: v.visited_at
    )
    data = ReviewData()
    visits, flags, events = [], [], []
    for no, v in enumerate(recent, start=1):
        state = rng.choice(("pending", "pending", "pending", "approved", "returned", "questioned"))
        codes = [FLAG_CYCLE[(no // 3) % len(FLAG_CYCLE)]] if no % 3 == 0 else []
        visits.append(_visit_row(no, v, homes[v.household_id], state, codes))
        flags += [{"code": c, "visit_no": no} for c in codes]
        events += _events(no, v, state)
        data.states[no], data.flags[no] = state, codes
        data.grid_of[no], data.worker_of[no], data.outcome_of[no] = (
            homes[v.household_id].grid_id,
            v.worker_id,
            v.outcome,
        )
    # the newest returned visit corrected by its worker: the correction is pending, the visit amended
    returned = max(n for n, s in data.states.items() if s == "returned")
    old = visits[returned - 1]
    old["state"] = data.states[returned] = "amended"
    amendment = len(visits) + 1
    visits.append(
        {
            **old,
            "no": amendment,
            "id": uuid.uuid4(),
            "visited_at": old["visited_at"] + dt.timedelta(minutes=30),
            "received_at": old["received_at"] + dt.timedelta(days=1),
            "outcome": "met",
            "notes": (old["notes"] + " 已补充：住户反映楼道灯坏了。").strip(),
            "amends_no": returned,
            "seen": [0, 1],
            "articles": [[ARTICLE_ID.hex, "explained"]],
            "state": "pending",
            "flags": [],
        }
    )
    events.append(_event(amendment - 1, visits[returned - 1], "amend", "amended", visits[returned - 1]["worker_id"]))
    data.states[amendment] = "pending"
    data.flags[amendment] = []
    data.grid_of[amendment], data.worker_of[amendment] = old["grid_id"], old["worker_id"]
    data.outcome_of[amendment] = "met"
    data.amendment, data.returned_no = amendment, returned
    data.nos = [r["no"] for r in sorted(visits, key=lambda r: (r["visited_at"], r["no"]), reverse=True)]
    with db.transaction() as s:
        s.execute(insert(ReviewVisit), visits)
        if flags:
            s.execute(insert(ReviewFlag), flags)
        s.execute(insert(ReviewEvent), events)
        s.execute(insert(WorkerCard), _cards(city))
        s.execute(insert(Article), [_article(today)])
        s.execute(insert(Backcheck), _backchecks(visits, today, data))
        set_meta(
            s,
            worker_id=str(SUPERVISOR_ID),
            username="supervisor",
            worker_name="街道主管",
            grid_name=next(u.name for u in city.org_units if u.kind == "street"),
            role=role,
            device_id=str(uuid.uuid4()),
        )
    return data


def _visit_row(no: int, v: DemoVisit, h: DemoHousehold, state: str, codes: list[str]) -> dict[str, object]:
    positions = {m.id: i for i, m in enumerate(h.members)}
    return {
        "no": no,
        "id": v.id,
        "household_id": v.household_id,
        "grid_id": h.grid_id,
        "worker_id": v.worker_id,
        "visited_at": _utc(v.visited_at),
        "received_at": _utc(v.visited_at) + dt.timedelta(hours=2),
        "outcome": v.outcome,
        "notes": v.notes,
        "amends_no": None,
        "seen": sorted(positions[p] for p in v.seen if p in positions),
        "articles": [],
        "form_seconds": 20 if "short_form" in codes else 95,
        "state": state,
        "flags": codes,
        "pending_action": "",
    }


def _event(
    i: int, visit: dict[str, object], action: str, state: str, actor: object, **extra: object
) -> dict[str, object]:
    at = visit["received_at"]
    assert isinstance(at, dt.datetime)
    return {
        "id": uuid.uuid5(uuid.NAMESPACE_OID, f"review-event-{i}-{action}"),
        "visit_no": visit["no"],
        "household_id": visit["household_id"],
        "action": action,
        "actor_id": actor,
        "at": at + dt.timedelta(hours=20),
        "reason": "",
        "comment": "",
        "pins": [],
        "state": state,
        "effective": True,
        **extra,
    }


def _events(no: int, v: DemoVisit, state: str) -> list[dict[str, object]]:
    visit = {"no": no, "household_id": v.household_id, "received_at": _utc(v.visited_at)}
    if state == "approved":
        return [_event(no, visit, "approve", "approved", SUPERVISOR_ID)]
    if state == "returned":
        return [
            _event(
                no,
                visit,
                "return",
                "returned",
                SUPERVISOR_ID,
                reason="wrong_people",
                comment="见到的人与户籍不符，请核实。",
                pins=["seen", "notes"],
            )
        ]
    if state == "questioned":
        return [_event(no, visit, "question", "questioned", SUPERVISOR_ID, comment="走访时间偏晚，请说明。")]
    return []


def _cards(city: DemoCity) -> list[dict[str, object]]:
    cards: list[dict[str, object]] = [
        {"user_id": w.id, "username": w.username, "name": w.name, "phone": w.phone, "grids": [w.grid_id.hex]}
        for w in city.workers
    ]
    cards.append({"user_id": SUPERVISOR_ID, "username": "supervisor", "name": "街道主管", "phone": "", "grids": []})
    return cards


def _article(today: dt.date) -> dict[str, object]:
    return {
        "id": ARTICLE_ID,
        "slug": "medical-insurance",
        "category": "insurance",
        "title": ARTICLE_TITLE,
        "summary": "",
        "body": "",
        "phones": [],
        "effective_from": today - dt.timedelta(days=365),
        "version": 1,
        "published_at": dt.datetime(2026, 1, 1),
    }


def _backchecks(visits: list[dict[str, object]], today: dt.date, data: ReviewData) -> list[dict[str, object]]:
    """Two weeks of draws: last week's all called (one denied), this week's open but one unreachable."""
    monday = today - dt.timedelta(days=today.weekday())
    rows: list[dict[str, object]] = []
    picks = [v for v in visits if v["amends_no"] is None][:: max(1, len(visits) // 10)][:8]
    for i, v in enumerate(picks):
        week = monday - dt.timedelta(weeks=1) if i < 4 else monday
        result = ("confirmed", "denied", "confirmed", "unreachable")[i] if i < 4 else ("unreachable" if i == 7 else "")
        row = {
            "id": uuid.uuid5(uuid.NAMESPACE_OID, f"backcheck-{i}"),
            "visit_no": v["no"],
            "household_id": v["household_id"],
            "grid_id": v["grid_id"],
            "worker_id": v["worker_id"],
            "week": week,
            "reason": ("sample", "flagged", "new_worker")[i % 3],
            "result": result,
            "note": "",
            "checked_by": SUPERVISOR_ID if result else None,
            "checked_at": dt.datetime.combine(week, dt.time(10)) if result else None,
            "pending_result": "",
        }
        rows.append(row)
        data.backchecks.append(row["id"])  # type: ignore[arg-type]
    data.open_backcheck = next(r["id"] for r in rows if not r["result"])  # type: ignore[misc]
    return rows


def make_review_db(path: Path, city: DemoCity, today: dt.date, role: str = "supervisor") -> tuple[Database, ReviewData]:
    """A fresh app database at ``path`` (migrated) holding ``city`` and its review rows."""
    db = Database(path)
    load_city(db, city)
    return db, fill_review(db, city, today, role=role)
