"""Household rosters as communities keep them: every mess a real roster has, and the exact report it gets."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridworker.domain import validation
from sync import roster
from sync.roster import RosterIssue, RosterReport, parse_roster
from tests.helpers.rosters import HEADER, Cell, csv_bytes, replace_in_sheet, resident_id, xlsx_bytes

TODAY = dt.date(2026, 11, 27)
TITLE = "幸福街道古城社区住户花名册"

ZHANG_WEI = resident_id(dt.date(1965, 3, 18), "male", 1)
LI_XIUYING = resident_id(dt.date(1967, 7, 2), "female", 2)
ZHANG_HAORAN = resident_id(dt.date(1992, 11, 30), "male", 3)
WANG_FANG = resident_id(dt.date(1958, 1, 9), "female", 4)
CHEN_JIANGUO = resident_id(dt.date(1950, 5, 1), "male", 5)
ZHOU_MIN = resident_id(dt.date(1988, 8, 8), "female", 6)
# Someone whose check character is X, to be written with a lower-case x.
WITH_X = next(n for seq in range(1, 200) if (n := resident_id(dt.date(1979, 4, 12), "female", seq)).endswith("X"))


def parse(data: bytes, filename: str) -> RosterReport:
    return parse_roster(data, filename, today=TODAY)


def person(
    no: int | None,
    name: str,
    relation: str,
    sex: str | None,
    id_number: Cell,
    phone: Cell,
    address: tuple[Cell, Cell, Cell, Cell],
    tags: str = "",
    notes: str = "",
) -> list[Cell]:
    """One row in HEADER's order."""
    return [no, name, relation, sex, id_number, phone, *address, tags or None, notes or None]


A502 = ("幸福小区", "3栋", "2单元", "502室")
A301 = ("幸福小区", "3栋", "1单元", "301")


def two_households() -> list[list[Cell]]:
    return [
        person(1, "张伟", "户主", "男", ZHANG_WEI, "13812345678", A502, notes="白天上班"),
        person(2, "李秀英", "妻", "女", LI_XIUYING, None, A502),
        person(3, "张浩然", "儿子", "男", ZHANG_HAORAN, None, A502),
        person(4, "王芳", "户主", "女", WANG_FANG, "0527-84361234", A301, tags="独居老人、低保"),
    ]


def issues(report: RosterReport) -> list[tuple[int | None, str, str, str]]:
    return [(i.row, i.column, i.code, i.severity) for i in report.issues]


def statuses(report: RosterReport) -> list[tuple[int, str]]:
    return [(r.row, r.status) for r in report.rows]


# --- A clean roster, and the report's shape -------------------------------------------------------


def test_a_clean_workbook_with_a_merged_title_gives_its_households() -> None:
    data = xlsx_bytes([[TITLE], list(HEADER), *two_households()], merges=["A1:L1"])

    report = parse(data, "花名册.xlsx")

    assert report.ok and report.issues == () and report.header_row == 2
    assert statuses(report) == [(3, "ok"), (4, "ok"), (5, "ok"), (6, "ok")]
    zhang, wang = report.households
    assert zhang == roster.RosterHousehold(
        key="幸福小区/3/2/502",
        grid="",
        compound="幸福小区",
        building="3",
        unit="2",
        floor=5,
        room="502",
        phone="13812345678",
        tags=(),
        notes="白天上班",
        members=(
            roster.RosterMember("张伟", "head", "male", dt.date(1965, 3, 18), ZHANG_WEI, "13812345678", 3),
            roster.RosterMember("李秀英", "spouse", "female", dt.date(1967, 7, 2), LI_XIUYING, "", 4),
            roster.RosterMember("张浩然", "child", "male", dt.date(1992, 11, 30), ZHANG_HAORAN, "", 5),
        ),
        rows=(3, 4, 5),
    )
    assert zhang.head_name == "张伟"
    assert (wang.key, wang.floor, wang.phone, wang.tags) == ("幸福小区/3/1/301", 3, "0527-84361234", ("elderly_alone", "low_income"))
    assert [r.household_key for r in report.rows] == ["幸福小区/3/2/502"] * 3 + ["幸福小区/3/1/301"]


def test_to_dict_is_json_ready_with_ids_masked_and_a_summary() -> None:
    rows = [list(HEADER), *two_households(), person(5, "周敏", "户主", "女", "321302", None, A301)]
    report = parse(csv_bytes(rows), "roster.csv")

    answer = report.to_dict()

    assert json.loads(json.dumps(answer, ensure_ascii=False)) == answer
    assert answer["ok"] is False and answer["header_row"] == 1
    assert answer["summary"] == {
        "households": 1,
        "members": 3,
        "rows_ok": 3,
        "rows_invalid": 2,
        "rows_duplicate": 0,
        "rows_skipped": 0,
        "errors": 3,
        "warnings": 0,
    }
    household = answer["households"][0]  # type: ignore[index]
    assert household["head_name"] == "张伟"
    assert household["members"][0]["id_number"] == validation.mask_id_number(ZHANG_WEI)
    assert household["members"][0]["birth_date"] == "1965-03-18"
    assert ZHANG_WEI not in json.dumps(answer)
    assert report.to_dict(mask_ids=False)["households"][0]["members"][0]["id_number"] == ZHANG_WEI  # type: ignore[index]


def test_an_issue_reads_as_a_sentence_with_row_and_column() -> None:
    assert RosterIssue(5, "身份证号", "id_invalid", "校验码不符，应为 X。", "error").describe() == (
        "第5行 身份证号：校验码不符，应为 X。"
    )
    assert RosterIssue(7, "", "totals_row", "合计行，已跳过。", "warning").describe() == "第7行：合计行，已跳过。"
    assert RosterIssue(None, "", "empty_file", "文件是空的。", "error").describe() == "文件是空的。"
