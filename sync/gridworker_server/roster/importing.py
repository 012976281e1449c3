"""Importing a parsed household roster (:mod:`gridworker_server.roster`) into one grid.

A dry run reports per row what would be imported and what is wrong, and changes nothing. By default
nothing is imported while any row is invalid. A household is matched by its roster key within the
grid, a member by ID number (else by name), so importing the same roster again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server.admin import org_by_code
from gridworker_server.auth import Principal, grids_of
from gridworker_server.changes import ChangeSet, ensure_scopes
from gridworker_server.errors import ApiError
from gridworker_server.models import Household, Person
from gridworker_server.roster.parse import parse_roster
from gridworker_server.roster.report import RosterHousehold
from gridworker_shared.protocol import grid_scope, member_id

IMPORTERS = ("station", "supervisor", "admin")


def import_roster(
    s: Session,
    p: Principal,
    grid_code: str,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    allow_partial: bool = False,
) -> dict[str, Any]:
    if p.role not in IMPORTERS:
        raise ApiError(403, "forbidden", "Your role may not import rosters.")
    grid = org_by_code(s, grid_code)
    if grid.kind != "grid" or (p.user_id.int != 0 and grid.id not in grids_of(s, p)):
        raise ApiError(404, "grid_unknown", "No such grid in your area.")
    report = parse_roster(data, filename)
    result: dict[str, Any] = report.to_dict()
    result.update(grid=grid.code, dry_run=dry_run, created=0, updated=0, unchanged=0, imported=False)
    households = [h for h in report.households if not h.grid or h.grid in (grid.code, grid.name)]
    mismatched = [h.key for h in report.households if h not in households]
    if mismatched:
        result["grid_mismatch"] = mismatched
    blocked = not report.ok or bool(mismatched)
    if dry_run or (blocked and not allow_partial) or not households:
        return result
    ensure_scopes(s, [grid_scope(grid.id)])
    cs = ChangeSet(s)
    existing = {
        h.roster_key: h
        for h in s.scalars(select(Household).where(Household.grid_id == grid.id, Household.roster_key.is_not(None)))
    }
    for rh in households:
        h = existing.get(rh.key)
        if h is None:
            h = _create(s, grid.id, rh)
            result["created"] += 1
        elif _update(s, h, rh):
            result["updated"] += 1
        else:
            result["unchanged"] += 1
            continue
        cs.household(h)
    cs.flush()
    result["imported"] = True
    return result


def _create(s: Session, grid_id: Any, rh: RosterHousehold) -> Household:
    h = Household(
        grid_id=grid_id,
        compound=rh.compound,
        building=rh.building,
        unit=rh.unit,
        floor=rh.floor,
        room=rh.room,
        head_name=rh.head_name,
        phone=rh.phone,
        notes=rh.notes,
        tags=list(rh.tags),
        visit_interval_days=None,
        registered_on=dt.date.today(),
        roster_key=rh.key,
        version=1,
        field_versions={},
    )
    s.add(h)
    s.flush()
    for index, m in enumerate(rh.members):
        s.add(
            Person(
                id=member_id(h.id, index),
                household_id=h.id,
                position=index,
                name=m.name,
                relation=m.relation,
                sex=m.sex,
                birth_date=m.birth_date,
                phone=m.phone,
                id_number=m.id_number,
                version=1,
                field_versions={},
            )
        )
    s.flush()
    return h


def _update(s: Session, h: Household, rh: RosterHousehold) -> bool:
    """Bring the household and its members to the roster's values; False when nothing differed."""
    changed = False
    for name, value in (
        ("compound", rh.compound),
        ("building", rh.building),
        ("unit", rh.unit),
        ("floor", rh.floor),
        ("room", rh.room),
        ("head_name", rh.head_name),
        ("phone", rh.phone),
        ("tags", list(rh.tags)),
    ):
        if getattr(h, name) != value:
            setattr(h, name, value)
            changed = True
    people = list(s.scalars(select(Person).where(Person.household_id == h.id).order_by(Person.position)))
    by_number = {p.id_number: p for p in people if p.id_number}
    by_name = {p.name: p for p in people}
    for m in rh.members:
        person = by_number.get(m.id_number) if m.id_number else by_name.get(m.name)
        if person is None:
            index = len(people)
            person = Person(
                id=member_id(h.id, index),
                household_id=h.id,
                position=index,
                name=m.name,
                version=1,
                field_versions={},
            )
            s.add(person)
            people.append(person)
            changed = True
        fields: tuple[tuple[str, Any], ...] = (
            ("name", m.name),
            ("relation", m.relation),
            ("sex", m.sex),
            ("birth_date", m.birth_date),
            ("phone", m.phone),
            ("id_number", m.id_number),
        )
        for name, value in fields:
            if getattr(person, name) != value:
                setattr(person, name, value)
                person.version = (person.version or 0) + 1
                changed = True
    if changed:
        h.version += 1
        s.flush()
    return changed


def describe(result: dict[str, Any]) -> str:
    """The report for a terminal: the summary, then each problem with its row and column."""
    lines = []
    summary = result.get("summary", {})
    if summary:
        lines.append("，".join(f"{k} {v}" for k, v in summary.items()))
    for issue in result.get("issues", []):
        where = f"第{issue['row']}行 " if issue.get("row") else ""
        column = f"{issue['column']}：" if issue.get("column") else ""
        lines.append(f"[{issue['severity']}] {where}{column}{issue['message']} ({issue['code']})")
    if result.get("grid_mismatch"):
        lines.append("这些户的网格与目标网格不符：" + "、".join(result["grid_mismatch"]))
    if result.get("dry_run"):
        lines.append("试运行：未作任何修改。")
    elif result.get("imported"):
        lines.append(
            f"已导入：新增 {result['created']} 户，更新 {result['updated']} 户，未变 {result['unchanged']} 户。"
        )
    else:
        lines.append("有错误，未导入任何数据（可用 --allow-partial 只导入无误的户）。")
    return "\n".join(lines)
