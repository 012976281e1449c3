"""Users in bulk: user name, name, role, org unit (its code), mobile, and a worker's grids (codes).

A user already in the database is matched by the normalised user name and updated (name, role, org
unit, mobile; the grids column, when the file has it, is the worker's grids: grids not listed end). A
new user gets a random initial password, given out once in the report (the CLI prints it or writes it
to a file only its owner can read) and never stored in clear; the user must change it at the first
sign-in (``must_change_password``). A grid held by another worker passes to the row's worker, as
``assign-grid`` does, and the report says from whom.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridworker_server import admin
from gridworker_server.auth import ROLES, Principal, hash_password
from gridworker_server.changes import ChangeSet
from gridworker_server.errors import ApiError
from gridworker_server.models import GridAssignment, OrgUnit, User, utcnow
from gridworker_server.orgs.report import ImportReport, RowReport
from gridworker_server.orgs.sheet import Row, read_rows
from gridworker_shared.domain import validation as v
from gridworker_shared.domain.usernames import normalize_username, validate_username
from gridworker_shared.protocol import grid_scope

__all__ = ["SPELLINGS", "import_users", "initial_password"]

SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    "username": ("用户名", "账号", "帐号", "登录名", "登录账号", "username", "user"),
    "name": ("姓名", "名字", "name"),
    "role": ("角色", "岗位", "身份", "role"),
    "org": ("所属单位代码", "单位代码", "组织代码", "所属单位", "所属组织", "单位", "org", "org_code"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "mobile", "phone"),
    "grids": ("负责网格", "网格代码", "网格", "所管网格", "grids", "grid"),
}
_ROLE_WORDS: Final = {
    **{r: r for r in ROLES},
    "网格员": "worker",
    "专职网格员": "worker",
    "工作站": "station",
    "社区工作站": "station",
    "站点": "station",
    "主管": "supervisor",
    "街道主管": "supervisor",
    "督导": "supervisor",
    "管理员": "admin",
    "系统管理员": "admin",
}
_SPLIT_RE: Final = re.compile(r"[\s,，;；、/]+")
_PASSWORD_ALPHABET: Final = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out over a phone


def initial_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))


_Checked = tuple[str, str, str, str, str, list[str]]  # username, name, role, org code, mobile, grid codes


def _check(row: Row, r: RowReport, units: dict[str, OrgUnit]) -> _Checked | None:
    vals, col = row.values, row.columns
    try:  # the one rule for a new name (sign-in, the limiter, the CLI and the API apply the same)
        username = validate_username(vals["username"])
    except v.ValidationError:
        username = ""
    if not username or any(c.isspace() for c in username):
        r.error("username_invalid", "用户名不能为空、不能含空格或不可见字符，最多 64 个字符。", col.get("username", ""))
    name = vals["name"].strip()
    if not name or len(name) > 50:
        r.error("name_missing", "姓名不能为空，最多 50 个字。", col.get("name", ""))
    role = _ROLE_WORDS.get(vals["role"].strip().casefold(), "")
    if not role:
        r.error("role_invalid", "角色须为 网格员、工作站、主管 或 管理员。", col.get("role", ""))
    org = "".join(vals["org"].split())
    if org and org not in units:
        r.error("org_unknown", f"单位代码 {org} 不在系统中，请先导入组织架构。", col.get("org", ""))
    elif not org and role and role != "admin":
        r.error("org_required", "除管理员外须填写所属单位代码。", col.get("org", ""))
    try:
        phone = v.validate_mobile(vals["phone"]) if vals["phone"].strip() else ""
    except v.ValidationError:
        phone = ""
        r.error("phone_invalid", "手机号码无效（11 位，以 1 开头）。", col.get("phone", ""))
    grids = [g for g in _SPLIT_RE.split(vals["grids"]) if g]
    for g in grids:
        if g not in units or units[g].kind != "grid":
            r.error("grid_unknown", f"{g} 不是系统中的网格。", col.get("grids", ""))
    if grids and role and role != "worker":
        r.error("grids_not_worker", "只有网格员可以负责网格。", col.get("grids", ""))
    return None if r.errors else (username, name, role, org, phone, grids)


def import_users(s: Session, p: Principal, data: bytes, filename: str, *, dry_run: bool = True) -> ImportReport:
    """Check the file against the database and, unless ``dry_run`` or any row is in error, apply it."""
    if p.role != "admin":
        raise ApiError(403, "forbidden", "Your role may not do this.")
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(data, filename, SPELLINGS, ("username", "name", "role"), report)
    has_grids = bool(rows) and "grids" in rows[0].columns
    units = {u.code: u for u in s.scalars(select(OrgUnit))}
    by_id = {u.id: u for u in units.values()}
    users = {normalize_username(u.username): u for u in s.scalars(select(User))}
    holder: dict[uuid.UUID, uuid.UUID] = {
        a.grid_id: a.user_id for a in s.scalars(select(GridAssignment).where(GridAssignment.until.is_(None)))
    }
    names = {u.id: u.username for u in users.values()}
    seen: dict[str, int] = {}
    grid_rows: dict[str, int] = {}
    plan: list[tuple[RowReport, _Checked]] = []
    for row in rows:
        r = RowReport(row.number, normalize_username(row.values["username"]))
        report.rows.append(r)
        checked = _check(row, r, units)
        if checked is None:
            continue
        username, name, role, org, phone, grids = checked
        old = users.get(username)
        if old is not None and "phone" not in row.columns:  # a file without the column keeps the phone
            phone = old.phone
            checked = (username, name, role, org, phone, grids)
        if username in seen:
            r.error("duplicate_username", f"用户名与第{seen[username]}行重复。", row.columns.get("username", ""))
            continue
        seen[username] = row.number
        for g in grids:
            if g in grid_rows:
                r.error("duplicate_grid", f"网格 {g} 已由第{grid_rows[g]}行负责，一个网格只能有一名网格员。")
            grid_rows[g] = row.number
        if r.errors:
            continue
        org_id = units[org].id if org else None
        if old is None:
            r.action = "create"
        else:
            current = sorted(by_id[g].code for g, u in holder.items() if u == old.id)
            r.changes = [
                f
                for f, same in (
                    ("name", old.name == name),
                    ("role", old.role == role),
                    ("org", old.org_unit_id == org_id),
                    ("phone", old.phone == phone),
                    ("grids", not has_grids or current == sorted(grids)),
                )
                if not same
            ]
            r.action = "update" if r.changes else "unchanged"
        for g in grids:
            other = holder.get(units[g].id)
            if other is not None and (old is None or other != old.id):
                r.changes.append(f"grid {g} from {names.get(other, other)}")
        plan.append((r, checked))
    if report.ok and not dry_run and any(r.action != "unchanged" for r, _ in plan):
        for r, (username, name, role, org, phone, grids) in plan:
            if r.action != "unchanged":
                _apply_row(s, report, users.get(username), (username, name, role, org, phone), grids, has_grids, units)
        report.applied = True
    return report


def _apply_row(
    s: Session,
    report: ImportReport,
    user: User | None,
    fields: tuple[str, str, str, str, str],
    grids: list[str],
    has_grids: bool,
    units: dict[str, OrgUnit],
) -> None:
    username, name, role, org, phone = fields
    org_id = units[org].id if org else None
    if user is None:
        password = initial_password()
        user = User(
            username=username,
            name=name,
            role=role,
            org_unit_id=org_id,
            phone=phone,
            password_hash=hash_password(password),
            must_change_password=True,
        )
        s.add(user)
        s.flush()
        report.passwords[username] = password
    else:
        user.name, user.role, user.org_unit_id, user.phone = name, role, org_id, phone
        s.flush()
    if not has_grids:
        return
    wanted = {units[g].id for g in grids}
    held = list(
        s.scalars(select(GridAssignment).where(GridAssignment.user_id == user.id, GridAssignment.until.is_(None)))
    )
    ended = [a for a in held if a.grid_id not in wanted]
    if ended:
        cs = ChangeSet(s)
        for a in ended:
            a.until = utcnow()
            cs.remove(grid_scope(a.grid_id), "worker", user.id)
        for a in held:
            if a.grid_id in wanted:
                cs.upsert(grid_scope(a.grid_id), "worker", user.id)
        cs.flush()
    for g in grids:
        admin.assign_grid(s, g, user.username)
