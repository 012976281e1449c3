"""The org tree and users imported from spreadsheets (gridworker_server.orgs), on SQLite in process:
per-row reports, all or nothing, idempotent, renames and moves by code, removals refused with the
reason, what the change log gives the laptops; and the first sign-in's password change through a real
server (API rules: admin only, old apps' sign-in answer unchanged)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from gridworker_server.cli import OPERATOR
from gridworker_server.db import Database
from gridworker_server.models import ChangeLog, GridAssignment, OrgUnit, User
from gridworker_server.orgs import import_orgs, import_users
from gridworker_server.orgs.report import ImportReport
from gridworker_shared.protocol import grid_scope
from tests.helpers.rosters import csv_bytes, xlsx_bytes
from tests.helpers.server import HEADERS, ServerProcess

HEAD = ["类型", "代码", "名称", "上级代码", "楼栋长", "楼栋长电话"]
TREE = [
    ["区", "321302000000", "宿城区", "", "", ""],
    ["街道", "321302001000", "幸福街道", "321302000000", "", ""],
    ["社区", "321302001001", "古城社区", "321302001000", "", ""],
    ["社区", "321302001002", "新苑社区", "321302001000", "", ""],
    ["网格", "32130200100101", "古城第1网格", "321302001001", "", ""],
    ["微网格", "3213020010010101", "7栋", "32130200100101", "王楼长", "13812340000"],
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'street.db'}", pool_size=1)
    database.migrate()
    yield database
    database.dispose()


def orgs(db: Database, rows: list[list[str]], *, dry_run: bool = False, head: list[str] = HEAD) -> ImportReport:
    with db.write() as s:
        return import_orgs(s, OPERATOR, csv_bytes([head, *rows], "utf-8-sig"), "orgs.csv", dry_run=dry_run)


def units(db: Database) -> dict[str, OrgUnit]:
    with db.read() as s:
        return {u.code: u for u in s.scalars(select(OrgUnit))}


def log(db: Database, scope: str) -> dict[uuid.UUID, str]:
    with db.read() as s:
        return {r.entity_id: r.op for r in s.scalars(select(ChangeLog).where(ChangeLog.scope == scope))}


def test_the_tree_is_imported_once_and_a_dry_run_writes_nothing(db: Database) -> None:
    report = orgs(db, TREE, dry_run=True)
    assert report.ok and report.counts()["create"] == 6 and not units(db)
    assert orgs(db, TREE).applied
    tree = units(db)
    assert tree["3213020010010101"].liaison_name == "王楼长"
    assert tree["32130200100101"].parent_id == tree["321302001001"].id
    grid = grid_scope(tree["32130200100101"].id)
    # the grid's scope carries its ancestors and its micro-grid, not the other community
    assert set(log(db, grid)) == {
        tree[c].id for c in ("321302000000", "321302001000", "321302001001", "32130200100101", "3213020010010101")
    }
    again = orgs(db, TREE)
    assert again.ok and not again.applied and again.counts()["unchanged"] == 6
    # a list without the liaison columns leaves the liaisons as they are
    short = orgs(db, [r[:4] for r in TREE], head=HEAD[:4])
    assert short.counts()["unchanged"] == 6 and units(db)["3213020010010101"].liaison_phone == "13812340000"


def test_one_bad_row_and_nothing_is_written_with_a_report_per_row(db: Database) -> None:
    bad = [
        *TREE,
        ["网格", "32130200100102", "", "321302001001", "", ""],
        ["微网格", "3213020010010102", "8栋", "321302001001", "", "123"],
    ]
    report = orgs(db, bad)
    assert not report.applied and not units(db)
    errors = {r.row: [e["code"] for e in r.errors] for r in report.rows if r.errors}
    # rows as Excel numbers them: the header is row 1
    assert errors == {8: ["name_missing"], 9: ["phone_invalid"]}
    wrong_level = orgs(db, [*TREE, ["微网格", "3213020010010102", "8栋", "321302001001", "", ""]])
    assert [e["code"] for e in wrong_level.rows[-1].errors] == ["parent_level"] and not units(db)


def test_renames_and_moves_by_code_reach_the_grid_scopes(db: Database) -> None:
    orgs(db, TREE)
    before = units(db)
    moved = [r[:] for r in TREE]
    moved[4][3] = "321302001002"  # the grid moves to the other community
    moved[5][2] = "7栋（东）"
    report = orgs(db, moved)
    assert report.applied and {r.key: r.changes for r in report.rows if r.action == "update"} == {
        "32130200100101": ["parent"],
        "3213020010010101": ["name"],
    }
    after = units(db)
    assert after["32130200100101"].parent_id == before["321302001002"].id
    assert after["32130200100101"].id == before["32130200100101"].id
    scope = log(db, grid_scope(before["32130200100101"].id))
    assert scope[before["321302001001"].id] == "r" and scope[before["321302001002"].id] == "u"


def test_a_unit_in_use_is_not_removed_and_the_report_says_why(db: Database) -> None:
    orgs(db, TREE)
    with db.write() as s:
        import_users(
            s,
            OPERATOR,
            xlsx_bytes(
                [
                    ["账号", "姓名", "角色", "单位代码", "网格"],
                    ["w1", "网格员一", "网格员", "32130200100101", "32130200100101"],
                ]
            ),
            "u.xlsx",
            dry_run=False,
        )
    report = orgs(db, [["网格", "32130200100101", "古城第1网格", "321302001001", "", "", "是"]], head=[*HEAD, "删除"])
    assert not report.applied
    message = report.rows[0].errors[0]["message"]
    assert "3213020010010101" in message and "用户" in message and "已分配网格员" in message
    gone = orgs(db, [["微网格", "3213020010010101", "", "", "", "", "是"]], head=[*HEAD, "删除"])
    assert gone.applied and "3213020010010101" not in units(db)
    assert log(db, grid_scope(units(db)["32130200100101"].id))[gone_id(db, report)] == "r"


def gone_id(db: Database, report: ImportReport) -> uuid.UUID:
    with db.read() as s:
        removed = {
            r.entity_id for r in s.scalars(select(ChangeLog).where(ChangeLog.op == "r", ChangeLog.entity == "org_unit"))
        }
    assert len(removed) == 1
    return removed.pop()


def test_users_in_bulk_all_or_nothing_with_initial_passwords(db: Database) -> None:
    orgs(db, TREE)
    head = ["用户名", "姓名", "角色", "所属单位代码", "手机号码", "负责网格"]
    rows = [
        ["ＷＯＲＫＥＲ１ ", "网格员一", "网格员", "32130200100101", "13900001111", "32130200100101"],
        ["station", "工作站", "工作站", "321302001001", "", ""],
    ]
    with db.write() as s:
        bad = import_users(
            s,
            OPERATOR,
            xlsx_bytes([head, *rows, ["worker1", "重名", "网格员", "321302001001", "", ""]]),
            "u.xlsx",
            dry_run=False,
        )
    assert not bad.applied and bad.rows[2].errors[0]["code"] == "duplicate_username"
    with db.write() as s:
        done = import_users(s, OPERATOR, xlsx_bytes([head, *rows]), "u.xlsx", dry_run=False)
    assert done.applied and set(done.passwords) == {"worker1", "station"}
    with db.read() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        assert all(u.must_change_password for u in users.values())
        held = s.scalars(select(GridAssignment.user_id).where(GridAssignment.until.is_(None))).all()
        assert held == [users["worker1"].id]
    with db.write() as s:
        again = import_users(s, OPERATOR, xlsx_bytes([head, *rows]), "u.xlsx", dry_run=False)
    assert again.counts()["unchanged"] == 2 and not again.passwords and not again.applied


def test_the_first_sign_in_asks_for_a_new_password_and_only_admins_import(tmp_path: Path, db: Database) -> None:
    orgs(db, TREE)
    with db.write() as s:
        report = import_users(
            s,
            OPERATOR,
            xlsx_bytes([["用户名", "姓名", "角色", "单位代码"], ["w1", "网格员一", "网格员", "32130200100101"]]),
            "u.xlsx",
            dry_run=False,
        )
        s.add(User(username="old", name="老用户", role="worker", password_hash=report_hash(), org_unit_id=None))
    url = f"sqlite:///{tmp_path / 'street.db'}"
    with ServerProcess(url) as server:

        def login(username: str, password: str) -> requests.Response:
            return requests.post(
                f"{server.base}/v1/auth/login",
                json={"username": username, "password": password},
                headers=HEADERS,
                timeout=30,
            )

        first = login("w1", report.passwords["w1"]).json()
        assert first["must_change_password"] is True
        auth = {**HEADERS, "Authorization": f"Bearer {first['token']}"}
        pulled = requests.post(f"{server.base}/v1/sync/pull", json={}, headers=auth, timeout=30)
        assert pulled.status_code == 403 and pulled.json()["error"] == "password_change_required"
        imported = requests.post(
            f"{server.base}/v1/admin/orgs/import?filename=o.csv", data=b"x", headers=auth, timeout=30
        )
        assert imported.status_code == 403
        weak = requests.post(
            f"{server.base}/v1/auth/password",
            json={"old_password": report.passwords["w1"], "new_password": "short"},
            headers=auth,
            timeout=30,
        )
        assert weak.status_code == 422 and weak.json()["error"] == "weak_password"
        changed = requests.post(
            f"{server.base}/v1/auth/password",
            json={"old_password": report.passwords["w1"], "new_password": "a-long-one-2026"},
            headers=auth,
            timeout=30,
        )
        assert changed.status_code == 200
        assert requests.get(f"{server.base}/v1/me", headers=auth, timeout=30).status_code == 200
        # a user without an initial password: the answer has no new field (old apps parse it strictly)
        assert "must_change_password" not in login("old", "old-password-1").json()


def report_hash() -> str:
    from gridworker_server.auth import hash_password

    return hash_password("old-password-1")


def test_an_admin_imports_over_the_api_a_dry_run_unless_asked(tmp_path: Path, db: Database) -> None:
    from gridworker_server.admin import create_user

    with db.write() as s:
        create_user(s, "boss", "管理员", "admin", None, "admin-password-1")
    body = csv_bytes([HEAD, *TREE], "gb18030")
    with ServerProcess(f"sqlite:///{tmp_path / 'street.db'}") as server:
        token = requests.post(
            f"{server.base}/v1/auth/login",
            json={"username": "boss", "password": "admin-password-1"},
            headers=HEADERS,
            timeout=30,
        ).json()["token"]
        auth = {**HEADERS, "Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"}
        dry = requests.post(
            f"{server.base}/v1/admin/orgs/import?filename=组织.csv", data=body, headers=auth, timeout=60
        )
        assert dry.status_code == 200 and dry.json()["dry_run"] and dry.json()["counts"]["create"] == 6
        assert not units(db)
        done = requests.post(
            f"{server.base}/v1/admin/orgs/import?filename=组织.csv&dry_run=false", data=body, headers=auth, timeout=60
        ).json()
        assert done["applied"] and len(units(db)) == 6
        users = csv_bytes(
            [["用户名", "姓名", "角色", "单位代码"], ["w9", "九号", "网格员", "321302001001"]], "utf-8-sig"
        )
        made = requests.post(
            f"{server.base}/v1/admin/users/import?filename=u.csv&dry_run=false", data=users, headers=auth, timeout=60
        ).json()
        assert made["applied"] and set(made["passwords"]) == {"w9"}
