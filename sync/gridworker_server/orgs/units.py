"""The org tree from the district's spreadsheet: one row per unit, by its statistical code.

Columns (usual spellings accepted, see ``SPELLINGS``): code, name, level (市 区 街道 社区 网格 微网格),
parent code, and for a micro-grid its liaison (楼栋长) and the liaison's phone; an optional "remove"
column (是) removes a unit. A unit already in the database is matched by its code: a new name is a
rename, a new parent code a move. A unit's parent is one level up (a grid's parent is a community);
only a city or a district may stand without one. A removal is refused while households, users,
grid assignments or units the file keeps are under the unit.

Laptops hold, in each grid's scope, the grid's ancestors and its micro-grids (names on screen, the
liaison in the household panel): every unit a grid's scope gains or whose row changed is logged there
as an upsert, every unit it loses as a removal.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridworker_server.auth import Principal
from gridworker_server.changes import ChangeSet
from gridworker_server.errors import ApiError
from gridworker_server.models import GridAssignment, Household, HouseholdMove, OrgUnit, User
from gridworker_server.orgs.report import ImportReport, RowReport
from gridworker_server.orgs.sheet import Row, read_rows
from gridworker_shared.domain import validation as v
from gridworker_shared.protocol import grid_scope

__all__ = ["KINDS", "SPELLINGS", "import_orgs"]

KINDS: Final = ("city", "district", "street", "community", "grid", "micro_grid")
_KIND_WORDS: Final = {
    **{k: k for k in KINDS},
    "micro-grid": "micro_grid",
    "microgrid": "micro_grid",
    "市": "city",
    "地级市": "city",
    "区": "district",
    "县": "district",
    "区县": "district",
    "县区": "district",
    "市辖区": "district",
    "街道": "street",
    "镇": "street",
    "乡": "street",
    "乡镇": "street",
    "街道办事处": "street",
    "社区": "community",
    "村": "community",
    "居委会": "community",
    "社区居委会": "community",
    "村委会": "community",
    "网格": "grid",
    "微网格": "micro_grid",
}
_KIND_LABEL: Final = dict(zip(KINDS, ("市", "区县", "街道", "社区", "网格", "微网格"), strict=True))
_YES: Final = {"是", "删除", "撤销", "y", "yes", "1", "true", "remove", "x", "√"}
SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    "code": ("统计代码", "统计用区划代码", "区划代码", "代码", "编码", "编号", "单位代码", "组织代码", "code"),
    "name": ("名称", "单位名称", "组织名称", "机构名称", "name"),
    "kind": ("层级", "级别", "类型", "类别", "单位类型", "level", "kind"),
    "parent": ("上级代码", "上级编码", "上级统计代码", "上级区划代码", "父级代码", "上级", "parent", "parent_code"),
    "liaison_name": ("楼栋长", "楼栋长姓名", "微网格长", "联系人", "liaison", "liaison_name"),
    "liaison_phone": ("楼栋长电话", "楼栋长手机", "楼栋长联系电话", "联系电话", "电话", "手机", "liaison_phone"),
    "remove": ("删除", "撤销", "remove"),
}
_CODE_RE: Final = re.compile(r"^[0-9]{2,32}$")


@dataclass
class _Unit:
    """A unit as it will be: from the database, changed or added by a row."""

    id: uuid.UUID
    code: str
    name: str
    kind: str
    parent: str | None  # parent code
    liaison_name: str
    liaison_phone: str


def _db_units(s: Session) -> dict[str, _Unit]:
    rows = s.execute(select(OrgUnit)).scalars().all()
    code_of = {u.id: u.code for u in rows}
    return {
        u.code: _Unit(
            u.id,
            u.code,
            u.name,
            u.kind,
            code_of.get(u.parent_id) if u.parent_id else None,
            u.liaison_name,
            u.liaison_phone,
        )
        for u in rows
    }


def _read_row(row: Row, r: RowReport) -> _Unit | None:
    """The row as a unit (id to be matched), or None with its errors in ``r``."""
    vals, col = row.values, row.columns
    code = "".join(vals["code"].split())
    if not _CODE_RE.match(code):
        r.error("code_invalid", "代码须为 2 到 32 位数字（统计用区划代码为 12 位）。", col.get("code", ""))
    name = vals["name"].strip()
    if not name and not _yes(vals["remove"]):
        r.error("name_missing", "名称不能为空。", col.get("name", ""))
    elif len(name) > 100:
        r.error("value_too_long", "名称不能超过 100 个字。", col.get("name", ""))
    kind = _KIND_WORDS.get(vals["kind"].strip().casefold().replace(" ", ""), "")
    if not kind and not _yes(vals["remove"]):
        r.error("kind_invalid", "层级须为 市、区县、街道、社区、网格 或 微网格。", col.get("kind", ""))
    parent = "".join(vals["parent"].split()) or None
    liaison = vals["liaison_name"].strip()
    if len(liaison) > 50:
        r.error("value_too_long", "楼栋长姓名不能超过 50 个字。", col.get("liaison_name", ""))
    try:
        phone = v.validate_optional_phone(vals["liaison_phone"])
    except v.ValidationError:
        phone = ""
        r.error("phone_invalid", "楼栋长电话不是有效的手机或固定电话号码。", col.get("liaison_phone", ""))
    if r.errors:
        return None
    return _Unit(uuid.uuid4(), code, name, kind, parent, liaison, phone)


def _yes(text: str) -> bool:
    return text.strip().casefold() in _YES


def import_orgs(s: Session, p: Principal, data: bytes, filename: str, *, dry_run: bool = True) -> ImportReport:
    """Check the file against the database and, unless ``dry_run`` or any row is in error, apply it."""
    if p.role != "admin":
        raise ApiError(403, "forbidden", "Your role may not do this.")
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(data, filename, SPELLINGS, ("code", "name", "kind", "parent"), report)
    before = _db_units(s)
    after = {code: _Unit(**vars(u)) for code, u in before.items()}
    removals: dict[str, RowReport] = {}
    seen: dict[str, int] = {}
    touched: list[tuple[RowReport, _Unit]] = []
    for row in rows:
        r = RowReport(row.number, "".join(row.values["code"].split()))
        report.rows.append(r)
        unit = _read_row(row, r)
        if unit is None:
            continue
        if unit.code in seen:
            r.error("duplicate_code", f"代码与第{seen[unit.code]}行重复。", row.columns.get("code", ""))
            continue
        seen[unit.code] = row.number
        if _yes(row.values["remove"]):
            if unit.code in after:
                removals[unit.code] = r
                r.action = "remove"
            else:
                r.action = "unchanged"
            continue
        old = after.get(unit.code)
        if old is None:
            r.action = "create"
            after[unit.code] = unit
        else:
            if old.kind != unit.kind:
                r.error("kind_changed", f"该代码已是{_KIND_LABEL[old.kind]}，层级不能改为{_KIND_LABEL[unit.kind]}。")
                continue
            for f in ("liaison_name", "liaison_phone"):  # a file without the column keeps what is known
                if f not in row.columns:
                    setattr(unit, f, getattr(old, f))
            r.changes = [
                f for f in ("name", "parent", "liaison_name", "liaison_phone") if getattr(old, f) != getattr(unit, f)
            ]
            r.action = "update" if r.changes else "unchanged"
            unit.id = old.id
            after[unit.code] = unit
        touched.append((r, unit))
    for code in removals:
        del after[code]
    _check_tree(s, before, after, touched, removals)
    if report.ok and not dry_run and any(r.action in ("create", "update", "remove") for r in report.rows):
        _apply(s, before, after)
        report.applied = True
    return report


def _check_tree(
    s: Session,
    before: dict[str, _Unit],
    after: dict[str, _Unit],
    touched: list[tuple[RowReport, _Unit]],
    removals: dict[str, RowReport],
) -> None:
    """Each row's parent exists one level up; removals and micro-grid moves leave nothing behind."""
    for r, unit in touched:
        if r.errors:
            continue
        level = KINDS.index(unit.kind)
        if unit.parent is None:
            if unit.kind not in ("city", "district"):
                r.error("parent_missing", f"{_KIND_LABEL[unit.kind]}须填写上级代码。")
            continue
        parent = after.get(unit.parent)
        if parent is None:
            why = "将被删除" if unit.parent in removals else "不在表中，也不在系统中"
            r.error("parent_unknown", f"上级代码 {unit.parent} {why}。")
        elif KINDS.index(parent.kind) != level - 1:
            want, got = _KIND_LABEL[KINDS[level - 1]], _KIND_LABEL[parent.kind]
            r.error("parent_level", f"{_KIND_LABEL[unit.kind]}的上级须是{want}，{unit.parent} 是{got}。")
        elif unit.kind == "micro_grid" and r.action == "update" and "parent" in r.changes:
            n = _households(s, before[unit.code].id, micro=True)
            if n:
                r.error("micro_grid_has_households", f"该微网格下有 {n} 户，不能移到另一网格；请先迁移住户。")
    for code, r in removals.items():
        unit = before[code]
        children = [c.code for c in after.values() if c.parent == code]
        reasons = []
        if children:
            reasons.append(f"下级单位 {'、'.join(sorted(children)[:5])} 仍在")
        n = _households(s, unit.id, micro=unit.kind == "micro_grid")
        if n:
            reasons.append(f"有 {n} 户住户")
        users = s.scalar(select(func.count()).select_from(User).where(User.org_unit_id == unit.id))
        if users:
            reasons.append(f"有 {users} 个用户属于该单位")
        held = s.scalar(
            select(func.count())
            .select_from(GridAssignment)
            .where(GridAssignment.grid_id == unit.id, GridAssignment.until.is_(None))
        )
        if held:
            reasons.append("已分配网格员")
        elif not n and _history(s, unit.id):
            reasons.append("有历史记录（已删除的住户或过往的网格分配）")
        if reasons:
            r.action = ""
            r.error("unit_in_use", "不能删除：" + "；".join(reasons) + "。")


def _households(s: Session, unit_id: uuid.UUID, *, micro: bool) -> int:
    column = Household.micro_grid_id if micro else Household.grid_id
    n = s.scalar(select(func.count()).select_from(Household).where(column == unit_id, Household.deleted_at.is_(None)))
    return int(n or 0)


def _history(s: Session, unit_id: uuid.UUID) -> bool:
    """Rows that keep pointing at the unit (a removed household, an ended assignment, a move)."""
    checks = (
        select(Household.id).where((Household.grid_id == unit_id) | (Household.micro_grid_id == unit_id)),
        select(GridAssignment.id).where(GridAssignment.grid_id == unit_id),
        select(HouseholdMove.id).where((HouseholdMove.from_grid_id == unit_id) | (HouseholdMove.to_grid_id == unit_id)),
    )
    return any(s.scalar(q.limit(1)) is not None for q in checks)


def _carried(units: dict[str, _Unit]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Each grid's scope: the grid, its ancestors and its micro-grids."""
    out: dict[uuid.UUID, set[uuid.UUID]] = {}
    for u in units.values():
        if u.kind != "grid":
            continue
        held = {m.id for m in units.values() if m.kind == "micro_grid" and m.parent == u.code}
        node: _Unit | None = u
        while node is not None and node.id not in held:
            held.add(node.id)
            node = units.get(node.parent) if node.parent else None
        out[u.id] = held
    return out


def _apply(s: Session, before: dict[str, _Unit], after: dict[str, _Unit]) -> None:
    """Write the units (parents first) and log what each grid's scope gains, changes and loses."""
    rows = {u.id: u for u in s.scalars(select(OrgUnit))}
    changed: set[uuid.UUID] = set()
    ids = {code: u.id for code, u in after.items()}
    for unit in sorted(after.values(), key=lambda u: KINDS.index(u.kind)):
        row = rows.get(unit.id)
        values = {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "parent_id": ids[unit.parent] if unit.parent else None,
            "liaison_name": unit.liaison_name,
            "liaison_phone": unit.liaison_phone,
        }
        if row is None:
            s.add(OrgUnit(id=unit.id, **values))
            changed.add(unit.id)
        elif any(getattr(row, k) != val for k, val in values.items()):
            for k, val in values.items():
                setattr(row, k, val)
            changed.add(unit.id)
        s.flush()
    old_scopes, new_scopes = _carried(before), _carried(after)
    cs = ChangeSet(s)
    for grid, held in new_scopes.items():
        had = old_scopes.get(grid, set())
        for unit_id in held:
            if unit_id in changed or unit_id not in had:
                cs.upsert(grid_scope(grid), "org_unit", unit_id)
        for unit_id in had - held:
            cs.remove(grid_scope(grid), "org_unit", unit_id)
    cs.flush()
    gone = {u.id for code, u in before.items() if code not in after}
    for unit_id in sorted(gone, key=lambda i: -KINDS.index(next(u.kind for u in before.values() if u.id == i))):
        s.delete(rows[unit_id])
        s.flush()
