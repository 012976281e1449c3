"""A street office's first day, as the README's runbook has it, on PostgreSQL from an empty database:
migrate, import the org tree, import users, assign grids, import a grid's roster, publish the guide,
and a laptop's first sign-in and sync with the app's own engine. No demo code: every step is the
``gridworker-server`` command a person types, run as a process."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from gridworker.store.db import Database
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker.syncing.transport import RefusedError
from gridworker_server import models as sm
from gridworker_shared.protocol import PasswordChangeRequest
from tests.helpers.rosters import HEADER, csv_bytes, resident_id, xlsx_bytes
from tests.helpers.server import ROOT, ServerProcess, run_cli

pytestmark = pytest.mark.slow

STREET, COMMUNITY, GRID, GRID2, MICRO = (
    "321302001000",
    "321302001001",
    "32130200100101",
    "32130200100102",
    "3213020010010101",
)
ORG_HEADER = ["层级", "统计代码（12位）", "名称", "上级代码", "楼栋长", "楼栋长电话"]


def org_rows(liaison: str = "王楼长") -> list[list[str]]:
    return [
        ["市", "321300000000", "宿迁市", "", "", ""],
        ["区", "321302000000", "宿城区", "321300000000", "", ""],
        ["街道", STREET, "幸福街道", "321302000000", "", ""],
        ["社区", COMMUNITY, "古城社区", STREET, "", ""],
        ["网格", GRID, "古城社区第1网格", COMMUNITY, "", ""],
        ["网格", GRID2, "古城社区第2网格", COMMUNITY, "", ""],
        ["微网格", MICRO, "新苑小区7栋", GRID, liaison, "13812340000"],
    ]


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A command whose failure is part of the test."""
    return subprocess.run(
        [sys.executable, "-m", "gridworker_server", "--database", url, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def roster() -> bytes:
    head = resident_id(dt.date(1962, 3, 5), "male", 11)
    rows = [
        list(HEADER),
        [1, "周建国", "户主", "男", head, "13812345678", "新苑小区", "7", "1", "101", "", ""],
        [
            2,
            "钱丽",
            "户主",
            "女",
            resident_id(dt.date(1950, 1, 9), "female", 13),
            "",
            "新苑小区",
            "7",
            "1",
            "102",
            "",
            "",
        ],
    ]
    return xlsx_bytes(rows)


def test_a_street_from_an_empty_database_to_a_laptops_first_sync(pg_url: str, tmp_path: Path) -> None:
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        _first_day(pg_url, tmp_path, engine)
    finally:
        engine.dispose()


def _first_day(url: str, tmp: Path, engine: Engine) -> None:
    passwords = _office(url, tmp, engine)
    _laptop(url, tmp, passwords["zhang.san"])
    with engine.connect() as c:
        assert not c.scalar(select(sm.User.must_change_password).where(sm.User.username == "zhang.san"))


def _office(url: str, tmp: Path, engine: Engine) -> dict[str, str]:
    """The runbook's steps at the street office; the new users' initial passwords."""
    run_cli(url, "migrate")

    # 1. the org tree: a CSV saved by Chinese Excel (GB18030); the dry run writes nothing
    orgs = tmp / "组织架构.csv"
    orgs.write_bytes(csv_bytes([ORG_HEADER, *org_rows()], encoding="gb18030"))
    out = run_cli(url, "import-orgs", str(orgs), "--dry-run")
    assert "dry run: 7 create" in out
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(sm.OrgUnit)) == 0
    assert "imported: 7 create" in run_cli(url, "import-orgs", str(orgs))
    assert "0 create, 0 update, 7 unchanged" in run_cli(url, "import-orgs", str(orgs), "--dry-run")

    # 2. users: a workbook; a row in error and nothing is created
    users_rows = [
        ["用户名", "姓名", "角色", "所属单位代码", "手机号", "负责网格"],
        ["Ｚhang.San", "张三", "网格员", GRID, "13900001111", GRID],
        ["lisi", "李四", "网格员", GRID, "13900002222", ""],
        ["gucheng", "古城社区工作站", "工作站", COMMUNITY, "", ""],
    ]
    users = tmp / "users.xlsx"
    users.write_bytes(xlsx_bytes([*users_rows, ["wang", "王五", "网格员", "999", "", ""]]))
    failed = cli(url, "import-users", str(users))
    assert failed.returncode == 1 and "999" in failed.stdout and "nothing was imported" in failed.stdout
    users.write_bytes(xlsx_bytes(users_rows))
    assert "dry run: 3 create" in run_cli(url, "import-users", str(users), "--dry-run")
    secrets_file = tmp / "passwords.csv"
    run_cli(url, "import-users", str(users), "--passwords-out", str(secrets_file))
    assert stat.S_IMODE(os.stat(secrets_file).st_mode) == 0o600
    passwords = dict(line.split(",") for line in secrets_file.read_text().splitlines()[1:])
    assert set(passwords) == {"zhang.san", "lisi", "gucheng"}
    assert "0 create, 0 update, 3 unchanged" in run_cli(url, "import-users", str(users), "--dry-run")

    # 3. grids: the users file gave zhang.san the first grid; assign-grid gives lisi the second
    run_cli(url, "assign-grid", GRID2, "lisi")

    # 4. the first grid's roster; 5. the guide
    roster_file = tmp / "roster.xlsx"
    roster_file.write_bytes(roster())
    imported = json.loads(run_cli(url, "import-roster", str(roster_file), "--grid", GRID, "--json"))
    assert imported["imported"] and imported["created"] == 2
    run_cli(url, "publish-guide")

    # a unit with households is not removed, and says why
    refused = tmp / "remove.csv"
    refused.write_bytes(
        csv_bytes([[*ORG_HEADER, "删除"], ["网格", GRID, "古城社区第1网格", COMMUNITY, "", "", "是"]], "utf-8-sig")
    )
    answer = cli(url, "import-orgs", str(refused))
    assert answer.returncode == 1 and "2 户" in answer.stdout

    return passwords


def _laptop(url: str, tmp: Path, initial: str) -> None:
    """6. A laptop signs in with the initial password, must set its own, then syncs."""
    orgs = tmp / "组织架构.csv"
    with ServerProcess(url) as server:
        folder = tmp / "laptop"
        folder.mkdir()
        db = Database(folder / "worker.db")
        laptop = SyncEngine(db, TokenStore(folder, use_keyring=False))
        try:
            signed = laptop.sign_in(server.base, "zhang.san", initial)
            assert signed.must_change_password
            with pytest.raises(RefusedError) as refused_sync:
                laptop.sync()
            assert refused_sync.value.code == "password_change_required"
            laptop.transport.post(
                "/v1/auth/password",
                PasswordChangeRequest(old_password=initial, new_password="街道第一天-2026"),
            )
            laptop.sync()
            with sqlite3.connect(folder / "worker.db") as c:
                assert c.execute("SELECT count(*) FROM household").fetchone()[0] == 2
                units = {r[0]: r[1:] for r in c.execute("SELECT code, name, liaison_name FROM org_unit")}
                assert units[MICRO] == ("新苑小区7栋", "王楼长")
                assert {STREET, COMMUNITY, GRID} <= set(units) and GRID2 not in units
                assert c.execute("SELECT count(*) FROM article").fetchone()[0] > 0

            # a new liaison and a renamed community reach the laptop on its next sync
            changed = org_rows("赵楼长")
            changed[3][2] = "古城新社区"
            orgs.write_bytes(csv_bytes([ORG_HEADER, *changed], encoding="utf-8-sig"))
            assert "imported: 0 create, 2 update" in run_cli(url, "import-orgs", str(orgs))
            laptop.sync()
            with sqlite3.connect(folder / "worker.db") as c:
                units = {r[0]: r[1:] for r in c.execute("SELECT code, name, liaison_name FROM org_unit")}
            assert units[MICRO][1] == "赵楼长" and units[COMMUNITY][0] == "古城新社区"
        finally:
            db.close()
