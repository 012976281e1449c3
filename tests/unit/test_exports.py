"""A reviewer's exports: visits as the queue filters them, requests and tables of figures, to xlsx and
CSV, read back as Excel would (openpyxl, read-only) and as a CSV reader would."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import inspect
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from gridworker.exports import (
    EXCEL_MAX_ROWS,
    REQUEST_HEADERS,
    VISIT_HEADERS,
    ExportCancelled,
    ExportError,
    ExportInfo,
    export_requests,
    export_rows,
    export_visits,
    write_table,
)
from gridworker.exports.writers import MSG_DISK_FULL, MSG_NO_FOLDER, MSG_NO_PERMISSION
from gridworker.store.review_filter import ReviewFilter
from tests.helpers.review_export_data import T0, Area, add_visit, fill, make_db

INFO = ExportInfo("张三", dt.datetime(2026, 12, 4, 20, 5))
VISITS = 600


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Area:
    path = make_db(tmp_path_factory.mktemp("export") / "area.db")
    return fill(path, visits=VISITS, requests=40)


@pytest.fixture
def area(template: Area, tmp_path: Path) -> Area:
    """A copy of the generated area for one test (closed, rollback-journal file: a plain copy is whole)."""
    path = tmp_path / "area.db"
    shutil.copyfile(template.path, path)
    return Area(path, template.street, template.communities, template.grids, template.grid_community, template.workers)


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def xlsx_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def folder_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("area.db"))


def test_visits_of_a_grid_in_a_state_read_back_from_xlsx_newest_first(area: Area, tmp_path: Path) -> None:
    grid = area.grids[1]
    flt = ReviewFilter(grid_id=grid, state="returned")
    expected = [
        r[0]
        for r in query(
            area.path,
            "SELECT no FROM review_visit WHERE grid_id = ? AND state = 'returned' ORDER BY visited_at DESC",
            grid.hex,
        )
    ]
    assert len(expected) >= 5
    result = export_visits(area.path, tmp_path / "走访.xlsx", "xlsx", flt, INFO)
    sheets = xlsx_rows(result.path)
    assert list(sheets) == ["走访记录"]
    rows = sheets["走访记录"]
    assert str(rows[0][0]).startswith("导出人：张三　导出时间：2026-12-04 20:05")
    assert "网格 东门第2网格" in str(rows[0][0]) and "审核状态 退回修改" in str(rows[0][0])
    assert rows[1] == VISIT_HEADERS
    data = rows[2:]
    assert [r[0] for r in data] == expected and result.rows == len(expected)
    by_header = dict(zip(VISIT_HEADERS, data[0], strict=True))
    assert by_header["社区"] == "东门社区" and by_header["网格"] == "东门第2网格"
    assert by_header["审核状态"] == "退回修改" and by_header["最近审核意见"] == "信息不全：请补充见到的人员"
    assert by_header["结果"] in ("已见面", "不在家", "拒绝")
    assert str(by_header["地址"]).startswith("幸福里 ") and str(by_header["地址"]).endswith("室")
    worker = query(area.path, "SELECT name FROM worker_card WHERE grids LIKE ?", f"%{grid.hex}%")[0][0]
    assert {r[4] for r in data} == {worker}
    wb = load_workbook(result.path, read_only=True)
    assert wb.properties.creator == "张三"
    wb.close()


def test_local_time_flags_and_amendments_are_written_as_a_reader_expects(area: Area, tmp_path: Path) -> None:
    flagged = query(area.path, "SELECT no, visited_at, flags FROM review_visit WHERE flags != '[]' LIMIT 1")[0]
    amend = query(area.path, "SELECT no, amends_no FROM review_visit WHERE amends_no IS NOT NULL LIMIT 1")[0]
    result = export_visits(area.path, tmp_path / "v.xlsx", "xlsx", ReviewFilter(), INFO)
    data = {r[0]: dict(zip(VISIT_HEADERS, r, strict=True)) for r in xlsx_rows(result.path)["走访记录"][2:]}
    assert len(data) == VISITS
    utc = dt.datetime.fromisoformat(str(flagged[1]))
    assert data[flagged[0]]["走访时间"] == f"{utc + dt.timedelta(hours=8):%Y-%m-%d %H:%M}"
    assert data[flagged[0]]["标记"] in ("填写过快", "补录过晚", "非工作时段")
    assert data[amend[0]]["修改自"] == amend[1]


def test_date_range_and_community_select_what_the_queue_would(area: Area, tmp_path: Path) -> None:
    community = area.communities[0]
    first, last = dt.date(2026, 11, 1), dt.date(2026, 11, 1)
    grids = [g.hex for g, c in area.grid_community.items() if c == community]
    # the local day 11-01 is 10-31 16:00 .. 11-01 16:00 UTC
    expected = query(
        area.path,
        f"SELECT count(*) FROM review_visit WHERE grid_id IN ({','.join('?' * len(grids))})"
        " AND visited_at >= '2026-10-31 16:00' AND visited_at < '2026-11-01 16:00'",
        *grids,
    )[0][0]
    assert 0 < int(str(expected)) < VISITS
    flt = ReviewFilter(community_id=community, date_from=first, date_to=last)
    result = export_visits(area.path, tmp_path / "v.csv", "csv", flt, INFO)
    rows = csv_rows(result.path)
    assert result.rows == expected == len(rows) - 2
    assert {r[2] for r in rows[2:]} == {"东门社区"}
    assert all(r[1] < "2026-11-02" for r in rows[2:])


def test_csv_has_a_bom_quotes_notes_and_reads_back(area: Area, tmp_path: Path) -> None:
    tricky = '他说：“楼道灯坏了”, 还有"引号"\n第二行，逗号,结束'
    add_visit(area.path, VISITS + 1, area.grids[0], area.workers[0], tricky, T0 + dt.timedelta(days=60))
    result = export_visits(area.path, tmp_path / "v.csv", "csv", ReviewFilter(), INFO)
    assert result.path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = csv_rows(result.path)
    assert rows[0][0].startswith("导出人：张三")
    assert rows[1] == list(VISIT_HEADERS)
    assert len(rows) == VISITS + 1 + 2
    newest = dict(zip(VISIT_HEADERS, rows[2], strict=True))
    assert newest["编号"] == str(VISITS + 1) and newest["备注"] == tricky
    assert newest["网格"] == "东门第1网格" and newest["结果"] == "已见面" and newest["审核状态"] == "待审"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_note_that_looks_like_a_formula_stays_text(area: Area, tmp_path: Path, fmt: str) -> None:
    notes = ['=HYPERLINK("http://x","点我")', "+86 138", "-1+1", "@SUM(A1)", "\t=1", "正常 =1"]
    for i, note in enumerate(notes):
        add_visit(area.path, VISITS + 1 + i, area.grids[0], area.workers[0], note, T0 + dt.timedelta(days=60 + i))
    flt = ReviewFilter(date_from=dt.date(2026, 12, 30))
    result = export_visits(area.path, tmp_path / f"v.{fmt}", fmt, flt, INFO)
    if fmt == "xlsx":
        wb = load_workbook(result.path, read_only=True)
        cells = [row[9] for row in wb["走访记录"].iter_rows(min_row=3)]
        written = {c.value: c.data_type for c in cells}
        wb.close()
    else:
        written = {r[9]: "s" for r in csv_rows(result.path)[2:]}
    expected = {"'" + n for n in notes[:-1]} | {notes[-1]}
    assert set(written) == expected
    assert set(written.values()) == {"s"}  # text, never a formula ("f")


def test_sheets_split_at_the_limit_with_the_header_again(area: Area, tmp_path: Path) -> None:
    flt = ReviewFilter(grid_id=area.grids[0])
    total = len(query(area.path, "SELECT no FROM review_visit WHERE grid_id = ?", area.grids[0].hex))
    limit = 30
    result = export_visits(area.path, tmp_path / "v.xlsx", "xlsx", flt, INFO, sheet_rows=limit, page_rows=7)
    sheets = xlsx_rows(result.path)
    assert result.sheets == len(sheets) > 2
    names = list(sheets)
    assert names[0] == "走访记录" and names[1] == "走访记录2"
    assert all(len(rows) <= limit for rows in sheets.values())
    assert all(len(rows) == limit for rows in list(sheets.values())[:-1])
    data: list[tuple[object, ...]] = []
    for rows in sheets.values():
        header_at = 1  # every sheet says who made it and when, above its header
        assert str(rows[0][0]).startswith("导出人：张三　导出时间：")
        assert rows[header_at] == VISIT_HEADERS
        data.extend(rows[header_at + 1 :])
    nos = [r[0] for r in data]
    assert len(nos) == total == result.rows and len(set(nos)) == total
    assert nos == sorted(nos, key=lambda no: [r[0] for r in data].index(no))


def test_the_sheet_limit_is_excels_by_default() -> None:
    assert EXCEL_MAX_ROWS == 2**20 == 1_048_576
    assert inspect.signature(write_table).parameters["sheet_rows"].default == EXCEL_MAX_ROWS
    assert inspect.signature(export_visits).parameters["sheet_rows"].default == EXCEL_MAX_ROWS


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_cancel_leaves_no_file_and_keeps_the_earlier_one(area: Area, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"v.{fmt}"
    target.write_bytes(b"an earlier export")
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))

    with pytest.raises(ExportCancelled):
        export_visits(
            area.path,
            target,
            fmt,
            ReviewFilter(),
            INFO,
            progress=progress,
            cancelled=lambda: len(seen) >= 2,
            page_rows=50,
        )
    assert seen == [(50, VISITS), (100, VISITS)]  # stopped at the first look after the cancel
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    assert target.read_bytes() == b"an earlier export"
    assert ALL_TEMP_FILES == []  # openpyxl's rows of the unfinished sheet are not left in the temp folder


def test_progress_reaches_the_total(area: Area, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    target = tmp_path / "v.xlsx"
    flt = ReviewFilter()
    export_visits(area.path, target, "xlsx", flt, INFO, progress=lambda d, t: seen.append((d, t)), page_rows=64)
    assert seen[-1] == (VISITS, VISITS)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) == -(-VISITS // 64)


def test_a_missing_folder_is_a_clear_error(area: Area, tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        export_visits(area.path, tmp_path / "gone" / "v.xlsx", "xlsx", ReviewFilter(), INFO)
    assert caught.value.template == MSG_NO_FOLDER


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), MSG_DISK_FULL),
        (PermissionError(errno.EACCES, "Permission denied"), MSG_NO_PERMISSION),
    ],
)
def test_disk_full_or_no_permission_at_the_end_leaves_nothing(
    area: Area, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
) -> None:
    """The last step fails as a full disk or a file held open in Excel (Windows refuses the rename)."""
    out = tmp_path / "out"
    out.mkdir()

    def refuse(_src: object, _dst: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError) as caught:
        export_visits(area.path, out / "v.xlsx", "xlsx", ReviewFilter(), INFO)
    assert caught.value.template == message
    assert list(out.iterdir()) == []


def test_control_characters_do_not_break_the_xlsx(area: Area, tmp_path: Path) -> None:
    add_visit(area.path, VISITS + 1, area.grids[0], area.workers[0], "门牌\x07看不清\x00", T0 + dt.timedelta(days=60))
    result = export_visits(area.path, tmp_path / "v.xlsx", "xlsx", ReviewFilter(), INFO)
    assert xlsx_rows(result.path)["走访记录"][2][9] == "门牌看不清"


def test_a_review_waiting_to_sync_is_shown_beside_the_servers_state(area: Area, tmp_path: Path) -> None:
    no = query(area.path, "SELECT no FROM review_visit WHERE state = 'pending' LIMIT 1")[0][0]
    con = sqlite3.connect(area.path)
    with con:
        con.execute("UPDATE review_visit SET pending_action = 'approve' WHERE no = ?", (no,))
    con.close()
    result = export_visits(area.path, tmp_path / "v.csv", "csv", ReviewFilter(), INFO)
    states = {r[0]: r[10] for r in csv_rows(result.path)[2:]}
    assert states[str(no)] == "待审（本机已通过，待同步）"


def test_requests_of_a_community(area: Area, tmp_path: Path) -> None:
    community = area.communities[1]
    expected = query(
        area.path,
        "SELECT count(*) FROM resident_request r JOIN household h ON h.id = r.household_id"
        " JOIN org_unit g ON g.id = h.grid_id WHERE g.parent_id = ?",
        community.hex,
    )[0][0]
    assert 0 < int(str(expected)) < 40
    result = export_requests(area.path, tmp_path / "r.xlsx", "xlsx", ReviewFilter(community_id=community), INFO)
    rows = xlsx_rows(result.path)["诉求"]
    assert rows[1] == REQUEST_HEADERS and len(rows) - 2 == expected == result.rows
    assert {r[1] for r in rows[2:]} == {"西门社区"}
    assert {r[10] for r in rows[2:]} <= {"已提交", "已办结"}
    assert {r[6] for r in rows[2:]} <= {"消防通道堵塞", "政策咨询"}


def test_figures_from_any_iterable_of_rows(tmp_path: Path) -> None:
    headers = ("网格", "户数", "已走访", "户户到")

    def rows() -> Iterator[tuple[str, int, int, str]]:
        for i in range(2500):
            yield (f"第{i + 1}网格", 100, i % 100, f"{i % 100}%")

    seen: list[int] = []
    result = export_rows(
        tmp_path / "c.xlsx", "xlsx", "覆盖情况", headers, rows(), INFO, progress=lambda d, _t: seen.append(d)
    )
    back = xlsx_rows(result.path)["覆盖情况"]
    assert back[1] == headers and len(back) == 2502 and back[2] == ("第1网格", 100, 0, "0%")
    assert seen == [1000, 2000, 2500]
    csv_result = export_rows(tmp_path / "c.csv", "csv", "覆盖情况", headers, rows(), INFO)
    assert len(csv_rows(csv_result.path)) == 2502


def test_visits_at_the_same_minute_across_pages_are_each_written_once(area: Area, tmp_path: Path) -> None:
    """The keyset is (time, number): a page boundary inside visits of the same instant loses none."""
    same = T0 + dt.timedelta(days=90)
    added = [VISITS + 1 + i for i in range(25)]
    for no in added:
        add_visit(area.path, no, area.grids[no % len(area.grids)], area.workers[0], "同一时刻", same)
    flt = ReviewFilter(date_from=dt.date(2027, 1, 1))
    result = export_visits(area.path, tmp_path / "v.csv", "csv", flt, INFO, page_rows=7)
    assert [int(r[0]) for r in csv_rows(result.path)[2:]] == sorted(added, reverse=True)


@pytest.fixture
def china_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The laptop's clock in China (UTC+8), as the users' are; this machine runs in UTC."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_workbooks_creation_time_is_stored_in_utc(area: Area, tmp_path: Path, china_time: None) -> None:
    """xlsx keeps its properties' times in UTC (with a Z): 20:05 in Beijing is 12:05 UTC, not 20:05."""
    result = export_visits(area.path, tmp_path / "v.xlsx", "xlsx", ReviewFilter(), INFO)
    wb = load_workbook(result.path, read_only=True)
    try:
        assert wb.properties.created == dt.datetime(2026, 12, 4, 12, 5)
    finally:
        wb.close()


def test_times_and_days_follow_the_streets_utc_offset(tmp_path: Path) -> None:
    """A street whose settings say UTC+6 (utc_offset_minutes) gets its visits' local times in it."""
    path = make_db(tmp_path / "west.db")
    fill(path, visits=50, street_settings='{"utc_offset_minutes": 360}')
    first = query(path, "SELECT no, visited_at FROM review_visit ORDER BY visited_at DESC LIMIT 1")[0]
    result = export_visits(path, tmp_path / "v.csv", "csv", ReviewFilter(), INFO)
    newest = csv_rows(result.path)[2]
    assert newest[0] == str(first[0])
    assert newest[1] == f"{dt.datetime.fromisoformat(str(first[1])) + dt.timedelta(hours=6):%Y-%m-%d %H:%M}"


def test_requests_mask_the_phone_unless_personal_data_is_included(area: Area, tmp_path: Path) -> None:
    """The household's phone is masked (138****5678) unless the supervisor chose to include personal
    data; then every sheet's first line says the file holds personal data, with who made it and when."""
    con = sqlite3.connect(area.path)
    with con:
        con.execute("UPDATE household SET phone = '138' || printf('%08d', rowid)")
    con.close()
    phones = {str(p) for (p,) in query(area.path, "SELECT phone FROM household")}
    column = REQUEST_HEADERS.index("联系电话")
    masked = export_requests(area.path, tmp_path / "m.csv", "csv", ReviewFilter(), INFO)
    rows = csv_rows(masked.path)
    assert rows[0][0].startswith("导出人：张三") and "个人信息" not in rows[0][0]
    written = [r[column] for r in rows[2:]]
    assert written and all(w.startswith("138****") and len(w) == 11 for w in written)
    text = masked.path.read_text("utf-8-sig")
    assert not any(p in text for p in phones)
    full = export_requests(
        area.path, tmp_path / "f.xlsx", "xlsx", ReviewFilter(), replace(INFO, personal=True), sheet_rows=5
    )
    sheets = xlsx_rows(full.path)
    assert len(sheets) > 1
    for sheet in sheets.values():
        assert str(sheet[0][0]).startswith("导出人：张三　导出时间：2026-12-04 20:05　含个人信息")
        assert sheet[1] == REQUEST_HEADERS
    data = [r for sheet in sheets.values() for r in sheet[2:]]
    assert len(data) == full.rows == len(written)
    assert {str(r[column]) for r in data} <= phones
