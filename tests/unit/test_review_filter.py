"""The queue's filter on a reviewer's copy: the care-tag overdue flag is a household's fact (its tags
and its last visit against the street's settings), found without a flag row."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path

from gridworker.store.db import Database
from gridworker.store.models import Household, HouseholdTag, OrgUnit, ReviewVisit
from gridworker.store.review_filter import ReviewFilter
from gridworker.store.schema import upgrade

TODAY = dt.date(2026, 6, 15)
CST = dt.timedelta(hours=8)


def _copy(path: Path, settings: dict[str, object]) -> dict[str, uuid.UUID]:
    upgrade(path)
    db = Database(path)
    street, community, grid, worker = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    homes = {name: uuid.uuid4() for name in ("late", "recent", "untagged", "never")}
    last = {"late": TODAY - dt.timedelta(days=8), "recent": TODAY - dt.timedelta(days=6), "untagged": None}
    with db.transaction() as s:
        s.add(OrgUnit(id=street, code="s", name="幸福街道", kind="street", settings=settings))
        s.add(OrgUnit(id=community, code="c", name="社区", kind="community", parent_id=street))
        s.add(OrgUnit(id=grid, code="g", name="网格", kind="grid", parent_id=community))
        s.flush()
        for no, (name, hid) in enumerate(homes.items(), start=1):
            s.add(Household(id=hid, grid_id=grid, walk_key=name, due_on=TODAY, last_met_on=last.get(name)))
            s.flush()
            if name != "untagged":
                s.add(HouseholdTag(household_id=hid, tag="elderly_alone"))
            if name != "never":
                at = dt.datetime.combine(last.get(name) or TODAY, dt.time(10))
                s.add(
                    ReviewVisit(
                        no=no, household_id=hid, grid_id=grid, worker_id=worker, visited_at=at, received_at=at,
                        outcome="met", notes="", seen=[], articles=[], state="pending", flags=[],
                    )
                )  # fmt: skip
    db.close()
    return homes


def _found(path: Path, f: ReviewFilter) -> set[uuid.UUID]:
    where, params = f.where(CST)
    with sqlite3.connect(path) as con:
        rows = con.execute(f"SELECT household_id FROM review_visit AS v WHERE {where}", params).fetchall()
    return {uuid.UUID(hex=r[0]) for r in rows}


def test_care_overdue_finds_the_visits_of_care_households_past_the_streets_interval(tmp_path: Path) -> None:
    homes = _copy(tmp_path / "copy.db", {})
    # default: 独居老人 every 7 days; 8 days ago is overdue, 6 days ago is not, untagged never
    assert _found(tmp_path / "copy.db", ReviewFilter(flag="care_overdue", today=TODAY)) == {homes["late"]}


def test_care_overdue_follows_the_streets_settings(tmp_path: Path) -> None:
    homes = _copy(tmp_path / "copy.db", {"care_interval_days": 5})
    found = _found(tmp_path / "copy.db", ReviewFilter(flag="care_overdue", today=TODAY))
    assert found == {homes["late"], homes["recent"]}
    assert _found(tmp_path / "copy.db", ReviewFilter(flag="care_overdue", today=TODAY - dt.timedelta(days=2))) == {
        homes["late"]
    }
