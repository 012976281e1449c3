"""Importing a household roster into a grid, through the real server: the API that stations and
supervisors call and the CLI. A dry run reports per row and changes nothing; an invalid row blocks the
import unless partial import is asked for; importing the same roster again changes nothing; the grid's
worker receives the households on the next pull.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from gridworker_server import models as sm
from gridworker_shared.protocol import COLUMNS
from tests.helpers.rosters import HEADER, resident_id, xlsx_bytes
from tests.helpers.server import ServerProcess, auth_headers, login, run_cli

pytestmark = pytest.mark.slow

GRID = "321302000101"  # the demo street's first community's first grid


def roster(bad_id: bool = False, wife_id: str | None = None) -> bytes:
    """A title row, the header, two households (one of them with a merged compound cell)."""
    head = resident_id(dt.date(1962, 3, 5), "male", 11)
    wife = resident_id(dt.date(1965, 8, 1), "female", 12) if wife_id is None else wife_id
    other = resident_id(dt.date(1980, 1, 9), "female", 13)
    if bad_id:
        other = other[:-1] + ("0" if other[-1] != "0" else "1")
    rows: list[list[Any]] = [
        ["幸福街道古城社区第1网格住户花名册", *[None] * (len(HEADER) - 1)],
        list(HEADER),
        [1, "周建国", "户主", "男", head, "13812345678", "新苑小区", "7", "1", "101", "", ""],
        [2, "孙秀英", "配偶", "女", wife, "", None, "7", "1", "101", "", ""],
        [3, "钱丽", "户主", "女", other, "13912345678", "新苑小区", "7", "1", "102", "独居老人", "行动不便"],
    ]
    return xlsx_bytes(rows, merges=["A1:L1", "G3:G4"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Engine, str]]:
    folder = tmp_path_factory.mktemp("roster")
    url = f"sqlite:///{folder / 'server.db'}"
    run_cli(url, "seed-demo", "--today", "2026-11-27", "--grids-per-community", "1", "--households", "10")
    server = ServerProcess(url).start()
    engine = create_engine(url)
    yield server, engine, url
    server.stop()
    engine.dispose()


def _households(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(sm.Household)) or 0)


def _import(server: ServerProcess, user: str, data: bytes, **params: Any) -> requests.Response:
    headers = {**auth_headers(login(server.base, user)["token"]), "Content-Type": "application/octet-stream"}
    query = {"grid": GRID, "filename": "花名册.xlsx", **{k: str(v).lower() for k, v in params.items()}}
    return requests.post(f"{server.base}/v1/roster/import", params=query, data=data, headers=headers, timeout=60)


def test_dry_run_reports_and_changes_nothing(site: tuple[ServerProcess, Engine, str]) -> None:
    server, engine, _ = site
    before = _households(engine)
    r = _import(server, "station01", roster(), dry_run=True)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["ok"] and report["dry_run"] and not report["imported"]
    assert report["summary"]["households"] == 2 and report["summary"]["members"] == 3
    assert _households(engine) == before


def test_a_dry_run_shows_a_person_without_an_id_number_as_a_warning(site: tuple[ServerProcess, Engine, str]) -> None:
    server, _, _ = site
    report = _import(server, "station01", roster(wife_id="暂无"), dry_run=True).json()
    assert report["ok"] and report["summary"]["members"] == 3 and report["summary"]["warnings"] == 1
    (issue,) = report["issues"]
    assert (issue["row"], issue["column"], issue["code"], issue["severity"]) == (4, "身份证号", "id_missing", "warning")
    assert issue["params"] == {"written": "暂无"}
    assert next(r for r in report["rows"] if r["row"] == 4)["status"] == "ok"


def test_an_invalid_row_blocks_the_import_with_its_reason(site: tuple[ServerProcess, Engine, str]) -> None:
    server, engine, _ = site
    before = _households(engine)
    report = _import(server, "station01", roster(bad_id=True), dry_run=False).json()
    assert not report["imported"]
    problem = next(i for i in report["issues"] if i["severity"] == "error")
    assert (problem["row"], problem["column"], problem["code"]) == (5, "身份证号", "id_invalid")
    assert _households(engine) == before
    partial = _import(server, "station01", roster(bad_id=True), dry_run=False, allow_partial=True).json()
    assert partial["imported"] and partial["created"] == 1
    assert _households(engine) == before + 1


def test_import_again_changes_nothing_and_the_worker_receives_it(site: tuple[ServerProcess, Engine, str]) -> None:
    server, engine, url = site
    first = _import(server, "supervisor", roster(), dry_run=False).json()
    assert first["imported"]
    count = _households(engine)
    again = _import(server, "supervisor", roster(), dry_run=False).json()
    assert (again["created"], again["updated"]) == (0, 0) and again["unchanged"] == 2
    assert _households(engine) == count
    token = login(server.base, "demo")
    page = requests.post(
        f"{server.base}/v1/sync/pull", json={"epoch": token["epoch"]}, headers=auth_headers(token["token"]), timeout=60
    ).json()
    rooms = {
        tuple(row[COLUMNS["household"].index(k)] for k in ("compound", "room")) for row in page["upserts"]["household"]
    }
    assert {("新苑小区", "101"), ("新苑小区", "102")} <= rooms
    # the CLI says the same, and a worker may not import
    out = run_cli(url, "import-roster", str(_file(roster(), engine)), "--grid", GRID, "--json")
    assert json.loads(out)["unchanged"] == 2
    assert _import(server, "demo", roster(), dry_run=True).status_code == 403


def test_another_communitys_station_cannot_import_here(site: tuple[ServerProcess, Engine, str]) -> None:
    server, _, _ = site
    r = _import(server, "station02", roster(), dry_run=True)
    assert r.status_code == 404
    assert r.json()["error"] == "grid_unknown"


def _file(data: bytes, engine: Engine) -> Path:
    folder = Path(str(engine.url.database)).parent
    path = folder / f"{uuid.uuid4().hex[:6]}花名册.xlsx"
    path.write_bytes(data)
    return path
