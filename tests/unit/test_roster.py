"""Household rosters as communities keep them: every mess a real roster has, and the exact report it gets."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridworker_server import i18n, roster
from gridworker_server.roster import RosterIssue, RosterReport, parse_roster
from gridworker_server.roster import header as roster_header
from gridworker_server.roster import parse as roster_parse
from gridworker_shared.domain import validation
from gridworker_shared.domain.validation import id_check_char
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
CJK = re.compile(r"[\u4e00-\u9fff]")


def with_check(first17: str) -> str:
    """An ID number with the right check character, whatever else is wrong with it."""
    return first17 + id_check_char(first17)


WITH_X = next(n for seq in range(1, 200) if (n := resident_id(dt.date(1979, 4, 12), "female", seq)).endswith("X"))


def header() -> list[Cell]:
    return list(HEADER)


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
    data = xlsx_bytes([[TITLE], header(), *two_households()], merges=["A1:L1"])

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
    assert (wang.key, wang.floor, wang.phone, wang.tags) == (
        "幸福小区/3/1/301",
        3,
        "0527-84361234",
        ("elderly_alone", "low_income"),
    )
    assert [r.household_key for r in report.rows] == ["幸福小区/3/2/502"] * 3 + ["幸福小区/3/1/301"]


def test_to_dict_is_json_ready_with_ids_masked_and_a_summary() -> None:
    rows = [header(), *two_households(), person(5, "周敏", "户主", "女", "321302", None, A301)]
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


# --- Headers: titles, two rows, variants ------------------------------------------------------------


def test_a_two_row_header_under_several_title_rows_is_read_as_one() -> None:
    """Row 3 names 地址 (merged over four columns) and the columns merged down; row 4 splits the address."""
    rows: list[list[Cell]] = [
        [TITLE],
        ["填报单位：古城社区居委会", None, None, None, "填报日期：2026年11月"],
        ["姓名", "与户主关系", "地址", None, None, None, "公民身份号码", "联系方式"],
        [None, None, "小区名称", "楼号", "单元", "门牌号", None, None],
        ["张伟", "户主", "幸福小区", "3号楼", "2", "502", ZHANG_WEI, "138 1234 5678"],
        ["李秀英", "配偶", "幸福小区", "3号楼", "2", "502", LI_XIUYING, None],
    ]
    merges = ["A1:H1", "A3:A4", "B3:B4", "C3:F3", "G3:G4", "H3:H4"]

    report = parse(xlsx_bytes(rows, merges), "roster.xlsx")

    assert report.header_row == 4 and report.ok, issues(report)
    (household,) = report.households
    assert (household.key, household.phone, [m.name for m in household.members]) == (
        "幸福小区/3/2/502",
        "13812345678",
        ["张伟", "李秀英"],
    )


def test_header_names_match_after_stars_spaces_newlines_and_hints() -> None:
    header = ["* 姓　名", "与户主\n关系", "性别", "身份证号\n（18位）", "手机号", "详细地址", "备注 "]
    rows = [header, ["张伟", "户主", "男", ZHANG_WEI, "13812345678", "幸福小区3栋2单元502室", ""]]

    report = parse(csv_bytes(rows), "r.csv")

    assert report.ok and report.households[0].key == "幸福小区/3/2/502"


SPELLINGS = {
    "head_name": ["户主", "户主姓名", "户主名", "户 主", "户主：", "★户主（必填）"],
    "name": ["姓名", "居民姓名", "家庭成员姓名", "姓　名"],
    "relation": ["与户主关系", "关系", "与户主关系(称谓)", "与户主关系（称谓）", "户主或与户主关系", "称谓"],
    "id_number": ["公民身份号码", "身份证号", "身份证号码", "证件号码", "公民身份证号码", "身份证号码【18位】"],
    "phone": ["手机号码", "联系电话", "电话", "手机", "联系方式", "手机/电话", "联系电话:", "联系电话（手机"],
    "sex": ["性别", "性 别", "性别(男/女)"],
    "birth_date": ["出生日期", "出生年月", "出生日期（yyyy-mm-dd）"],
    "compound": ["小区", "小区名称", "所在小区", "住宅小区"],
    "building": ["楼栋", "楼号", "栋", "幢", "楼栋号"],
    "unit": ["单元", "单元号"],
    "floor": ["楼层", "所在楼层"],
    "room": ["门牌号", "房号", "室", "门牌", "房屋号"],
    "address": ["地址", "现住址", "房屋地址"],
    "notes": ["备注", "备注：", "说明"],
    "tags": ["标签", "人员类别", "人员属性", "特殊人群"],
    "household_no": ["户号", "家庭编号"],
}


@pytest.mark.parametrize(
    ("field", "spelling"), [(field, spelling) for field, spellings in SPELLINGS.items() for spelling in spellings]
)
def test_each_usual_spelling_of_a_column_is_recognised(field: str, spelling: str) -> None:
    """Full-width letters and spaces, brackets (closed or not), a star and a trailing colon aside."""
    assert roster_header.row_fields(["序号", spelling, "", "户型"]) == {1: field}


def test_a_list_of_households_headed_hu_zhu_is_read_not_refused() -> None:
    """A street's real roster: one row per household, the head under ``户主``. It was refused whole
    (``缺少“姓名”列``), with no row report."""
    rows = [
        ["户主", "公民身份号码", "手机号码", "小区名称", "楼号", "单元", "门牌号"],
        ["张伟", ZHANG_WEI, "13812345678", "幸福小区", "3", "2", "502"],
        ["王芳", WANG_FANG, "", "幸福小区", "3", "1", "301"],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert report.ok, issues(report)
    assert [(h.key, h.head_name, h.phone, [m.relation for m in h.members]) for h in report.households] == [
        ("幸福小区/3/2/502", "张伟", "13812345678", ["head"]),
        ("幸福小区/3/1/301", "王芳", "", ["head"]),
    ]


def test_a_hu_zhu_column_beside_the_name_column_leaves_each_row_its_person() -> None:
    """One row per resident, the head's name repeated in ``户主``: ``姓名`` is the person on the row, and
    ``与户主关系`` (not the ``户主`` column) says who heads the household."""
    rows = [
        ["户主", "姓名", "与户主关系", "身份证号", "地址"],
        ["张伟", "张伟", "本人", ZHANG_WEI, "幸福小区3栋2单元502室"],
        ["张伟", "李秀英", "妻", LI_XIUYING, "幸福小区3栋2单元502室"],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert report.ok, issues(report)
    (household,) = report.households
    assert [(m.name, m.relation) for m in household.members] == [("张伟", "head"), ("李秀英", "spouse")]


def test_a_file_without_a_header_in_its_first_ten_rows_is_refused() -> None:
    blank: list[Cell] = [None]
    rows: list[list[Cell]] = [[TITLE], *([blank] * 10), header(), *two_households()]

    report = parse(xlsx_bytes(rows), "roster.xlsx")

    assert issues(report) == [(None, "", "header_not_found", "error")]
    assert report.rows == () and report.header_row is None


@pytest.mark.parametrize(
    ("header", "missing", "expected", "message"),
    [
        (
            ["序号", "户 名", "与户主关系", "身份证号", "地址"],
            "name",
            ["name", "head_name"],
            "缺少姓名列：每行一人时需要“姓名”（也可写作“居民姓名”、“人员姓名”、“成员姓名”、“家庭成员姓名”等）列，"
            "每行一户时需要“户主姓名”（也可写作“户主”、“户主名”、“户主名字”、“户主名称”）列。"
            "表头中现有的列：“序号”、“户 名”、“与户主关系”、“身份证号”、“地址”。",
        ),
        (
            ["姓名", "与户主关系", "身份证号", "小区", "单元", "户 型"],
            "address",
            ["address", "building", "room"],
            "缺少地址列：请提供“地址”（也可写作“住址”、“详细地址”、“现住址”、“居住地址”等）列，"
            "或“小区”“楼栋”“房号”三列，现在缺少“楼栋”（也可写作“楼号”、“幢”、“栋”、“楼栋号”等）、"
            "“房号”（也可写作“门牌号”、“室”、“房间号”、“房间”等）。"
            "表头中现有的列：“姓名”、“与户主关系”、“身份证号”、“小区”、“单元”、“户 型”。",
        ),
        (
            ["姓名", "身份证号", "地址"],
            "relation",
            ["relation"],
            "缺少与户主关系列：每行一人时需要“与户主关系”（也可写作“关系”、“与户主的关系”、“家庭关系”、"
            "“户主或与户主关系”等）列，才能确定每户的户主；若每行是一户，请把“姓名”列改名为“户主姓名”或“户主”。"
            "表头中现有的列：“姓名”、“身份证号”、“地址”。",
        ),
    ],
)
def test_a_missing_required_column_names_the_columns_found_and_the_ones_expected(
    header: list[str], missing: str, expected: list[str], message: str
) -> None:
    """The columns found as written (``户 名`` with its space, ``户 型`` that is no known column), the
    ones expected with every accepted spelling, in the message and in the issue's params."""
    report = parse(csv_bytes([header, ["张伟"] * len(header)]), "r.csv")

    assert [(i.row, i.column, i.code, i.message) for i in report.issues] == [(None, "", "missing_column", message)]
    assert report.issues[0].params == {
        "missing": missing,
        "expected": {name: list(roster_header.SPELLINGS[name]) for name in expected},
        "found": header,
    }
    assert report.rows == () and report.header_row == 1 and not report.ok
    assert report.to_dict()["issues"] == [report.issues[0].to_dict()]
    assert report.issues[0].to_dict()["params"] == report.issues[0].params


def test_the_columns_found_are_those_of_a_two_row_header_as_written() -> None:
    rows: list[list[Cell]] = [
        ["姓名", "与户主关系", "地址", None, None, "身份证号"],
        [None, None, "小区名称", "单元", "门牌号", None],
        ["张伟", "户主", "幸福小区", "2", "502", ZHANG_WEI],
    ]

    report = parse(xlsx_bytes(rows, ["A1:A2", "B1:B2", "C1:E1", "F1:F2"]), "roster.xlsx")

    assert [(i.code, i.params["missing"], i.params["found"]) for i in report.issues] == [
        ("missing_column", "address", ["姓名", "与户主关系", "地址", "小区名称", "单元", "门牌号", "身份证号"])
    ]
    assert report.header_row == 2


def test_a_list_of_heads_needs_no_relation_column() -> None:
    rows = [
        ["户主姓名", "身份证号", "住址"],
        ["张伟", ZHANG_WEI, "幸福小区3栋2单元502室"],
        ["王芳", WANG_FANG, "幸福小区3栋1单元301室"],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert report.ok and [(h.head_name, h.members[0].relation) for h in report.households] == [
        ("张伟", "head"),
        ("王芳", "head"),
    ]


def test_two_phone_columns_give_the_first_filled_and_a_warning() -> None:
    rows = [
        ["姓名", "与户主关系", "联系电话", "手机号", "地址"],
        ["张伟", "户主", "", "13812345678", "幸福小区3栋2单元502室"],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert issues(report) == [(None, "", "duplicate_column", "warning")]
    assert report.issues[0].message == "“联系电话”、“手机号”都是联系电话列，每行取第一个非空的值。"
    assert report.households[0].phone == "13812345678"


# --- Merged cells and addresses written once per household ------------------------------------------


def test_a_compound_merged_down_and_rooms_written_on_the_heads_row_only() -> None:
    rows: list[list[Cell]] = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, "13812345678", ("幸福小区", "3", "2", "502")),
        person(2, "李秀英", "配偶", "女", LI_XIUYING, None, (None, "3", "2", None)),
        person(3, "张浩然", "子", None, ZHANG_HAORAN, None, (None, None, None, None)),
        person(4, "王芳", "户主", "女", WANG_FANG, None, (None, "3", "1", "301")),
        [None] * 12,  # blank rows at the end of a template: merged compound reaches them, nothing else
        [None] * 12,
    ]

    report = parse(xlsx_bytes(rows, merges=["G2:G7", "H2:H3"]), "roster.xlsx")

    assert report.ok, issues(report)
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok"), (5, "ok")]
    assert [(h.key, h.rows) for h in report.households] == [("幸福小区/3/2/502", (2, 3, 4)), ("幸福小区/3/1/301", (5,))]


def test_a_household_merged_over_its_rows_counts_each_merged_value_once() -> None:
    rows: list[list[Cell]] = [
        ["户号", "姓名", "与户主关系", "身份证号", "地址", "联系电话", "人员类别", "备注"],
        ["H001", "张伟", "户主", ZHANG_WEI, "幸福小区3栋2单元502室", "13812345678", "低保", "腿脚不便"],
        [None, "李秀英", "妻子", LI_XIUYING, None, None, None, None],
    ]

    report = parse(xlsx_bytes(rows, merges=["A2:A3", "E2:E3", "F2:F3", "G2:G3", "H2:H3"]), "roster.xlsx")

    assert report.ok
    (household,) = report.households
    assert (household.key, household.phone, household.tags, household.notes) == (
        "H001",
        "13812345678",
        ("low_income",),
        "腿脚不便",
    )
    assert [m.phone for m in household.members] == ["13812345678", "13812345678"]


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("幸福小区3栋2单元502室", ("幸福小区", "3", "2", "502", 5)),
        ("幸福小区3幢2单元502", ("幸福小区", "3", "2", "502", 5)),
        ("幸福小区 3号楼 1203", ("幸福小区", "3", "", "1203", 12)),
        ("幸福里3-2-501", ("幸福里", "3", "2", "501", 5)),
        ("幸福里12－1201", ("幸福里", "12", "", "1201", 12)),
        ("宿迁市宿城区幸福街道古城社区翠苑小区12栋1单元1203室", ("翠苑小区", "12", "1", "1203", 12)),
        ("阳光100小区二号楼三单元0502室", ("阳光100小区", "2", "3", "502", 5)),
        ("幸福二村第5幢101号", ("幸福二村", "5", "", "101", 1)),
        ("ＳＯＨＯ公寓A座1808", ("SOHO公寓", "A", "", "1808", 18)),
    ],
)
def test_an_address_column_is_split_into_compound_building_unit_room_and_floor(
    address: str, parts: tuple[str, str, str, str, int]
) -> None:
    rows = [["姓名", "与户主关系", "现住址"], ["张伟", "户主", address]]

    report = parse(csv_bytes(rows), "r.csv")

    assert report.ok, issues(report)
    (h,) = report.households
    assert (h.compound, h.building, h.unit, h.room, h.floor) == parts


def test_an_address_that_cannot_be_split_makes_its_row_invalid() -> None:
    rows = [["姓名", "与户主关系", "地址"], ["张伟", "户主", "幸福小区东门平房"]]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code) for i in report.issues] == [(2, "地址", "address_unparsed")]
    assert report.issues[0].message.startswith("无法从地址“幸福小区东门平房”中分出小区、楼栋、单元和房号")
    assert statuses(report) == [(2, "invalid")] and report.households == ()


def test_a_floor_column_wins_over_the_room_number() -> None:
    rows = [
        ["姓名", "与户主关系", "小区", "楼栋", "楼层", "房号"],
        ["张伟", "户主", "幸福小区", "3", "5层", "B"],
        ["王芳", "户主", "幸福小区", "3", "地下", "1203"],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [h.floor for h in report.households] == [5, 12]
    assert issues(report) == [(3, "楼层", "floor_invalid", "warning")]


def test_missing_address_parts_name_the_empty_columns() -> None:
    rows = [header(), person(1, "张伟", "户主", "男", ZHANG_WEI, None, ("幸福小区", None, "2", None))]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code, i.message) for i in report.issues] == [
        (2, "楼栋", "address_incomplete", "地址不完整：未填写楼栋、房号。")
    ]


# --- Households: 户号, heads, conflicts -------------------------------------------------------------


def test_household_numbers_group_rows_and_blank_addresses_take_their_households() -> None:
    rows = [
        ["户号", "姓名", "与户主关系", "地址"],
        ["001", "张伟", "户主", "幸福小区3栋2单元502室"],
        ["002", "王芳", "户主", "幸福小区3栋1单元301室"],
        ["001", "李秀英", "妻", ""],
        ["002", "陈建国", "配偶", "幸福小区3栋1单元302室"],
        ["003", "周敏", "户主", ""],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(h.key, h.rows, h.room) for h in report.households] == [("001", (2, 4), "502")]
    assert issues(report) == [
        (3, "", "household_invalid", "error"),
        (5, "地址", "household_conflict", "error"),
        (6, "地址", "address_missing", "error"),
    ]
    assert report.issues[1].message == "与同户第3行的地址不一致（“幸福小区/3/1/302”与“幸福小区/3/1/301”）。"
    assert report.issues[0].message == "同户第5行有错误，整户暂不能导入。"


def test_a_household_needs_exactly_one_head() -> None:
    rows = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502),
        person(2, "李秀英", "户主", "女", LI_XIUYING, None, A502),
        person(3, "张浩然", "子", "男", ZHANG_HAORAN, None, A502),
        person(4, "王芳", "母亲", "女", WANG_FANG, None, A301),
        person(5, "陈建国", "父亲", "男", CHEN_JIANGUO, None, A301),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert report.households == ()
    assert issues(report) == [
        (2, "与户主关系", "multiple_heads", "error"),
        (3, "与户主关系", "multiple_heads", "error"),
        (4, "", "household_invalid", "error"),
        (5, "与户主关系", "missing_head", "error"),
        (6, "与户主关系", "missing_head", "error"),
    ]
    assert report.issues[0].message == "本户有 2 位户主（第2、3行），每户只能有一位户主。"
    assert report.issues[2].message == "同户第2、3行有错误，整户暂不能导入。"
    assert report.issues[3].message == "本户没有户主：请在“与户主关系”中把一人填为“户主”。"


def test_an_invalid_row_keeps_its_whole_household_out_and_says_which_row() -> None:
    rows = [header(), *two_households()]
    rows[2][4] = ZHANG_WEI[:17] + ("1" if ZHANG_WEI[17] != "1" else "2")  # 李秀英's ID: a typo in the check

    report = parse(csv_bytes(rows), "r.csv")

    assert [h.key for h in report.households] == ["幸福小区/3/1/301"]
    assert issues(report) == [
        (2, "", "household_invalid", "error"),
        (3, "身份证号", "id_invalid", "error"),
        (4, "", "household_invalid", "error"),
    ]
    assert statuses(report) == [(2, "invalid"), (3, "invalid"), (4, "invalid"), (5, "ok")]
    assert report.issues[0].message == "同户第3行有错误，整户暂不能导入。"


# --- ID numbers Excel turned into numbers, and other ID messes --------------------------------------


def test_an_18_digit_id_stored_as_a_number_has_lost_its_last_digits() -> None:
    rows = [header(), *two_households()]
    rows[1][4] = float(ZHANG_WEI)  # what Excel keeps of it: 15 significant digits
    rows[4][4] = 321302580109000  # an old 15-digit number typed into a number cell: Excel keeps it whole

    report = parse(xlsx_bytes(rows), "roster.xlsx")

    assert issues(report) == [
        (2, "身份证号", "id_lost_digits", "error"),
        (3, "", "household_invalid", "error"),
        (4, "", "household_invalid", "error"),
        (5, "身份证号", "id_old_15", "error"),
    ]
    assert report.issues[0].message == "身份证号被Excel存为数字，末尾数字已丢失，请将该列设为文本后重新录入。"
    assert report.issues[3].message == "这是旧的 15 位身份证号，请输入 18 位身份证号。"
    assert report.households == ()


def test_an_integer_id_cell_ending_in_000_is_refused_and_an_exact_one_is_kept_with_a_warning() -> None:
    """openpyxl writes big numbers as floats; another tool may write the integer, exact or cut."""
    rows = [header(), *two_households()]
    rows[1][4] = 1.0  # placeholders, replaced in the XML below
    rows[2][4] = 2.0
    cut = ZHANG_WEI[:15] + "000"
    data = xlsx_bytes(rows)
    data = replace_in_sheet(data, b'<c r="E2" t="n"><v>1</v>', f'<c r="E2" t="n"><v>{cut}</v>'.encode())
    data = replace_in_sheet(data, b'<c r="E3" t="n"><v>2</v>', f'<c r="E3" t="n"><v>{LI_XIUYING}</v>'.encode())

    report = parse(data, "roster.xlsx")

    assert issues(report) == [
        (2, "身份证号", "id_lost_digits", "error"),
        (3, "身份证号", "id_numeric_cell", "warning"),
        (3, "", "household_invalid", "error"),
        (4, "", "household_invalid", "error"),
    ]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("3.21302E+17", "id_lost_digits"),  # a number cell exported to CSV in General format
        (ZHANG_WEI[:15] + "000", "id_lost_digits"),  # the same with the "0" format: the check fails
        ('="' + ZHANG_WEI + '"', None),  # the ="..." trick that keeps digits as text
        ("'" + ZHANG_WEI, None),  # a text-prefix apostrophe
        ("\t" + ZHANG_WEI, None),  # a tab in front, another trick
        (" 3213 0219 6503 18" + ZHANG_WEI[14:] + "\u00a0", None),  # stray, inner and non-breaking spaces
        ("".join(chr(ord(c) + 0xFEE0) for c in ZHANG_WEI), None),  # full-width digits
        (ZHANG_WEI[:15], "id_old_15"),
        (ZHANG_WEI[:17], "id_invalid"),
    ],
)
def test_id_cells_as_csv_files_carry_them(cell: str, code: str | None) -> None:
    rows = [header(), person(1, "张伟", "户主", "男", cell, None, A502)]

    report = parse(csv_bytes(rows), "r.csv")

    assert [i.code for i in report.issues] == ([code] if code else [])
    if code is None:
        assert report.households[0].members[0].id_number == ZHANG_WEI


def test_a_lower_case_or_full_width_x_is_accepted_as_x() -> None:
    rows = [
        header(),
        person(1, "周敏", "户主", "女", WITH_X.lower(), None, A502),
        person(2, "王芳", "户主", "女", WITH_X[:17] + "ｘ", None, A301),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert issues(report) == [(2, "身份证号", "duplicate_id", "error"), (3, "身份证号", "duplicate_id", "error")]
    assert report.issues[0].message == "身份证号与第3行相同，但其他信息不一致，请核对是否重复登记。"
    rows[2][4] = CHEN_JIANGUO
    rows[2][3] = "男"
    report = parse(csv_bytes(rows), "r.csv")
    assert report.ok and report.households[0].members[0].id_number == WITH_X


def test_full_width_digits_and_stray_spaces_are_normalised_everywhere() -> None:
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    rows = [
        header(),
        person(
            1,
            " 张　伟 ",
            " 户 主 ",
            "男 ",
            ZHANG_WEI.translate(wide),
            "１３８\u00a01234 5678",
            (" 幸福小区", "３栋", "２单元", "５０２室 "),
        ),
    ]

    report = parse(xlsx_bytes(rows), "roster.xlsx")

    assert report.ok, issues(report)
    (h,) = report.households
    assert (h.key, h.phone, h.members[0].name, h.members[0].id_number) == (
        "幸福小区/3/2/502",
        "13812345678",
        "张伟",
        ZHANG_WEI,
    )


def test_a_person_without_an_id_number_is_imported_with_a_warning() -> None:
    rows = [header(), person(1, "张伟", "户主", "男", None, None, A502)]

    report = parse(csv_bytes(rows), "r.csv")

    assert issues(report) == [(2, "身份证号", "id_missing", "warning")] and report.ok
    member = report.households[0].members[0]
    assert (member.id_number, member.sex, member.birth_date) == ("", "male", None)


@pytest.mark.parametrize(
    ("written", "read"),
    [(w, w) for w in ("无", "暂无", "/", "—", "-", "未办理", "不详", "无身份证")] + [("／", "/"), (" 暂 无 ", "暂无")],
)
def test_an_id_cell_saying_there_is_none_imports_the_row_with_a_warning(written: str, read: str) -> None:
    """People without an ID at hand exist (a newborn not yet registered, a lost card): the cell says so
    in words, and the row imports as with a blank cell; the sex comes from its own column."""
    rows = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502),
        person(2, "李秀英", "妻", "女", written, None, A502),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert issues(report) == [(3, "身份证号", "id_missing", "warning")] and report.ok
    assert report.issues[0].params == {"written": read}
    assert "按未填写导入" in report.issues[0].message
    member = report.households[0].members[1]
    assert (member.name, member.id_number, member.sex, member.birth_date) == ("李秀英", "", "female", None)


def test_a_person_without_an_id_whose_name_another_row_of_the_household_has_is_refused() -> None:
    """Without an ID number the name is who a resident is (an import again finds them by it): two rows of
    one household by that name cannot be told apart, so the row without a number waits for one."""
    rows = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502),
        person(2, "张伟", "子", "男", "暂无", None, A502),
        person(3, "王芳", "户主", "女", None, None, A301),
        person(4, "张伟", "其他", "男", None, None, A301),  # another household: a different 张伟
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert issues(report) == [
        (2, "", "household_invalid", "error"),
        (3, "身份证号", "id_missing", "warning"),
        (3, "姓名", "same_name_without_id", "error"),
        (4, "身份证号", "id_missing", "warning"),
        (5, "身份证号", "id_missing", "warning"),
    ]
    same = [i for i in report.issues if i.code == "same_name_without_id"]
    assert [(i.row, i.params, i.message) for i in same] == [
        (3, {"rows": [2]}, "与同户第2行同名，又没有身份证号，无法区分是否同一人，请补填身份证号或删去重复行。")
    ]
    assert statuses(report) == [(2, "invalid"), (3, "invalid"), (4, "ok"), (5, "ok")]
    assert [h.head_name for h in report.households] == ["王芳"]


# --- Duplicates, blank rows, totals and notes -------------------------------------------------------


def test_an_exact_duplicate_row_is_counted_once_and_one_id_with_different_data_is_refused() -> None:
    rows = [
        header(),
        *two_households(),
        person(3, "张浩然", "儿子", "男", ZHANG_HAORAN, None, A502),  # row 6: row 4 again (序号 too)
        person(8, "王芳", "户主", "女", WANG_FANG, "13900001111", A301, tags="独居老人、低保"),  # row 7: other phone
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok"), (5, "invalid"), (6, "duplicate"), (7, "invalid")]
    assert issues(report) == [
        (5, "身份证号", "duplicate_id", "error"),
        (5, "与户主关系", "multiple_heads", "error"),
        (6, "", "duplicate_row", "warning"),
        (7, "身份证号", "duplicate_id", "error"),
        (7, "与户主关系", "multiple_heads", "error"),
    ]
    assert report.issues[2].message == "与第4行完全相同，只计一次。"
    assert [m.row for m in report.households[0].members] == [2, 3, 4]
    assert report.rows[4].household_key == "幸福小区/3/2/502"


def test_duplicates_compare_normalised_values() -> None:
    rows = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, "13812345678", A502),
        person(1, "张 伟", "户主", "男", ZHANG_WEI.replace("", " ").strip(), "138-1234-5678", A502),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    # The phone is written differently, so this is not the same row: the ID number decides.
    assert [i.code for i in report.issues] == ["duplicate_id", "multiple_heads", "duplicate_id", "multiple_heads"]
    rows[2][5] = "１３８１２３４５６７８"
    assert statuses(parse(csv_bytes(rows), "r.csv")) == [(2, "ok"), (3, "duplicate")]


def test_blank_rows_are_skipped_silently_and_totals_and_notes_are_skipped_with_a_warning() -> None:
    rows: list[list[Cell]] = [
        [TITLE],
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502),
        [None] * 12,
        ["  ", "\u3000", None, None, "\u00a0"],
        person(2, "王芳", "户主", "女", WANG_FANG, None, A301),
        ["合 计", None, "2户", None, None, "2人"],
        [None, None, None, None, None, None, None, None, None, None, 2, 2],  # counts only
        ["总计：2户2人"],
        ["填表人：王静　　审核人：周建国", None, None, None, None, None, None, None, None, None, None, None],
        ["填表人：王静"],  # merged across the row below
        [3],  # a template's running number and nothing else
        [4],
    ]

    report = parse(xlsx_bytes(rows, merges=["A1:L1", "A11:L11"]), "roster.xlsx")

    assert statuses(report) == [
        (3, "ok"),
        (6, "ok"),
        (7, "skipped"),
        (8, "skipped"),
        (9, "skipped"),
        (10, "skipped"),
        (11, "skipped"),
    ]
    assert issues(report) == [
        (7, "", "totals_row", "warning"),
        (8, "", "totals_row", "warning"),
        (9, "", "totals_row", "warning"),
        (10, "", "note_row", "warning"),
        (11, "", "note_row", "warning"),
    ]
    assert report.ok and len(report.households) == 2
    assert report.issues[0].message == "合计行，已跳过。"


def test_a_header_repeated_below_is_skipped() -> None:
    rows = [header(), *two_households()[:1], header(), *two_households()[3:]]

    report = parse(csv_bytes(rows), "r.csv")

    assert issues(report) == [(3, "", "repeated_header", "warning")]
    assert len(report.households) == 2


def test_a_header_with_nothing_below_is_an_error() -> None:
    report = parse(csv_bytes([header(), [None] * 12]), "r.csv")

    assert issues(report) == [(None, "", "no_data", "error")]


# --- Relations, sexes, birth dates, phones and care tags --------------------------------------------


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("户主", "head"),
        ("本人", "head"),
        ("02", "head"),
        ("配偶", "spouse"),
        ("妻", "spouse"),
        ("夫", "spouse"),
        ("丈夫", "spouse"),
        ("子", "child"),
        ("女", "child"),
        ("儿子", "child"),
        ("女儿", "child"),
        ("子女", "child"),
        ("长女", "child"),
        ("儿媳", "child"),
        ("20", "child"),
        ("父亲", "parent"),
        ("母亲", "parent"),
        ("父母", "parent"),
        ("孙子", "grandchild"),
        ("孙女", "grandchild"),
        ("祖父母", "grandparent"),
        ("奶奶", "grandparent"),
        ("兄弟姐妹", "sibling"),
        ("姐姐", "sibling"),
        ("租户", "tenant"),
        ("其他", "other"),
        ("非亲属", "other"),
        ("tenant", "tenant"),
    ],
)
def test_relations_are_read_into_the_domain_codes(word: str, code: str) -> None:
    """The word is the second member's relation; for a head's word, the first member is the spouse."""
    first, second = ("配偶", word) if code == "head" else ("户主", word)
    address = "幸福小区3栋2单元502室"
    rows = [["姓名", "与户主关系", "地址"], ["张伟", first, address], ["李秀英", second, address]]

    report = parse(csv_bytes(rows), "r.csv")

    assert report.ok, issues(report)
    assert report.households[0].members[1].relation == code


def test_an_unknown_relation_is_other_with_a_warning_and_a_missing_one_is_an_error() -> None:
    rows = [header(), person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502)]
    rows.append(person(2, "李秀英", "室友", "女", LI_XIUYING, None, A502))
    rows.append(person(3, "王芳", "", "女", WANG_FANG, None, A301))

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code, i.severity, i.message) for i in report.issues] == [
        (3, "与户主关系", "relation_unknown", "warning", "无法识别的关系“室友”，按“其他”导入。"),
        (4, "与户主关系", "relation_missing", "error", "未填写与户主关系。"),
        (4, "与户主关系", "missing_head", "error", "本户没有户主：请在“与户主关系”中把一人填为“户主”。"),
    ]
    assert report.households[0].members[1].relation == "other"


def test_sex_is_taken_from_the_id_when_missing_and_must_agree_with_it() -> None:
    rows = [
        header(),
        person(1, "张伟", "户主", None, ZHANG_WEI, None, A502),
        person(2, "李秀英", "配偶", "男", LI_XIUYING, None, A502),
        person(3, "王芳", "户主", "未知", WANG_FANG, None, A301),
        person(4, "周敏", "户主", "F", ZHOU_MIN, None, ("幸福小区", "3", "1", "302")),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code, i.message) for i in report.issues if i.code != "household_invalid"] == [
        (3, "性别", "sex_mismatch", "身份证号显示为女性，请核对性别或号码。"),
        (4, "性别", "sex_invalid", "性别应填“男”或“女”，现在是“未知”。"),
    ]
    assert [(h.head_name, h.members[0].sex) for h in report.households] == [("周敏", "female")]


@pytest.mark.parametrize(
    ("written", "id_number", "said", "id_said"),
    [
        ("男", LI_XIUYING, "male", "female"),
        ("男性", LI_XIUYING, "male", "female"),
        ("M", LI_XIUYING, "male", "female"),
        ("1", LI_XIUYING, "male", "female"),
        ("女", ZHANG_HAORAN, "female", "male"),
        ("２", ZHANG_HAORAN, "female", "male"),
    ],
)
def test_an_id_whose_sex_digit_contradicts_the_sex_column_is_an_error_on_its_row(
    written: str, id_number: str, said: str, id_said: str
) -> None:
    """The 17th digit is odd for a man and even for a woman. One of the two cells is wrong and only a
    person can say which, so the row (and its household) waits; the issue says both sides."""
    rows = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502),
        person(2, "张浩然", "子", written, id_number, None, A502),
        person(3, "王芳", "户主", "女", WANG_FANG, None, A301),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert issues(report) == [(2, "", "household_invalid", "error"), (3, "性别", "sex_mismatch", "error")]
    mismatch = report.issues[1]
    assert mismatch.params == {"sex": said, "id_sex": id_said}
    assert mismatch.message == f"身份证号显示为{'男' if id_said == 'male' else '女'}性，请核对性别或号码。"
    assert statuses(report) == [(2, "invalid"), (3, "invalid"), (4, "ok")]


def test_a_birth_date_column_must_agree_with_the_id_and_stands_alone_without_one() -> None:
    rows: list[list[Cell]] = [
        ["姓名", "与户主关系", "身份证号", "出生日期", "地址"],
        ["张伟", "户主", ZHANG_WEI, dt.datetime(1965, 3, 18), "幸福小区3栋2单元502室"],
        ["李秀英", "妻", LI_XIUYING, "1967年7月", "幸福小区3栋2单元502室"],
        ["张浩然", "子", ZHANG_HAORAN, "1992.11.03", "幸福小区3栋2单元502室"],
        ["王芳", "户主", None, "1958/1/9", "幸福小区3栋1单元301室"],
        ["陈建国", "户主", None, "明年", "幸福小区3栋1单元302室"],
        ["周敏", "户主", None, "2030-01-01", "幸福小区3栋1单元303室"],
        ["吴刚", "户主", None, 32874, "幸福小区3栋1单元304室"],  # a date cell formatted as a number
    ]

    report = parse(xlsx_bytes(rows), "roster.xlsx")

    assert [(i.row, i.code, i.message) for i in report.issues if i.code not in ("id_missing", "household_invalid")] == [
        (4, "birth_date_mismatch", "按身份证号，此人出生于 1992-11-30，请核对出生日期或身份证号。"),
        (6, "birth_date_invalid", "无法识别出生日期“明年”，请按 1990-01-31 的格式填写。"),
        (7, "birth_date_invalid", "出生日期 2030-01-01 晚于今天。"),
    ]
    assert [(h.head_name, [m.birth_date for m in h.members]) for h in report.households] == [
        ("王芳", [dt.date(1958, 1, 9)]),
        ("吴刚", [dt.date(1990, 1, 1)]),
    ]


@pytest.mark.parametrize(
    ("phone", "code", "message", "kept"),
    [
        ("13812345678", None, None, "13812345678"),
        ("+86 138-1234-5678", None, None, "13812345678"),
        ("(0527)84361234", None, None, "0527-84361234"),
        (13812345678, None, None, "13812345678"),  # a number cell
        ("1381234567", "phone_invalid", "手机号应为 11 位，当前为 10 位。", None),
        (
            "0527-0436123",
            "phone_invalid",
            "固定电话号码（区号之后）应以 2～9 开头；以 0 或 1 开头的是区号、手机号或服务号码。",
            None,
        ),
        (
            "138123456７8/0527-84361234",
            "phone_multiple",
            "填写了 2 个号码，只导入第一个（13812345678）。",
            "13812345678",
        ),
    ],
)
def test_phones_are_checked_by_the_apps_validation(
    phone: str | int, code: str | None, message: str | None, kept: str | None
) -> None:
    rows = [header(), person(1, "张伟", "户主", "男", ZHANG_WEI, phone, A502)]

    report = parse(xlsx_bytes(rows), "roster.xlsx")

    assert [(i.column, i.code, i.message) for i in report.issues] == ([("联系电话", code, message)] if code else [])
    assert [h.phone for h in report.households] == ([kept] if kept else [])


def test_care_tags_map_to_codes_and_unknown_ones_warn_without_invalidating() -> None:
    rows = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502, tags="党员；低保户"),
        person(2, "李秀英", "妻", "女", LI_XIUYING, None, A502, tags="残疾人 独居老人", notes="每周透析"),
        person(3, "王芳", "户主", "女", WANG_FANG, None, A301, tags="无"),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code, i.message) for i in report.issues] == [
        (2, "人员类别", "tag_unknown", "无法识别的人员类别“党员”，已忽略。")
    ]
    zhang, wang = report.households
    assert zhang.tags == ("elderly_alone", "low_income", "disabled") and wang.tags == ()
    assert zhang.notes == "李秀英：每周透析"


# --- Files: encodings, types, sheets, broken bytes ---------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_files_are_read_in_every_encoding_excel_saves(encoding: str) -> None:
    rows: list[list[Cell]] = [[TITLE], header(), *two_households()]
    expected = parse(xlsx_bytes(rows), "roster.xlsx")

    report = parse(csv_bytes(rows, encoding, delimiter="\t" if encoding == "utf-16" else ","), "花名册.csv")

    assert report.ok and report.header_row == 2
    assert report.households == expected.households and report.rows == expected.rows


def test_a_workbook_renamed_csv_is_still_read_as_a_workbook() -> None:
    report = parse(xlsx_bytes([header(), *two_households()]), "roster.csv")

    assert report.ok and len(report.households) == 2


@pytest.mark.parametrize(
    ("data", "filename", "code", "message"),
    [
        (b"", "roster.xlsx", "empty_file", "文件是空的。"),
        (b" \r\n", "roster.csv", "empty_file", "文件是空的。"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "roster.xls", "unsupported_file_type", None),
        (
            b"%PDF-1.7",
            "roster.pdf",
            "unsupported_file_type",
            "不支持的文件类型（.pdf），请上传 Excel 工作簿（.xlsx）或 CSV 文件。",
        ),
        (
            b"name",
            "roster",
            "unsupported_file_type",
            "不支持的文件类型（无扩展名），请上传 Excel 工作簿（.xlsx）或 CSV 文件。",
        ),
        (b"PK\x03\x04 truncated", "roster.xlsx", "corrupt_file", None),
        (b"just text", "roster.xlsx", "corrupt_file", None),
        (b"\xff\xfe\x00", "roster.csv", "encoding_unknown", None),
        (b"\x81\x20\xfe\xff", "roster.csv", "encoding_unknown", None),
        (b"a,b\x00c", "roster.csv", "corrupt_file", None),
        (b'"unclosed,\n"a""b', "roster.csv", "header_not_found", None),
    ],
)
def test_unreadable_files_get_a_file_level_error(data: bytes, filename: str, code: str, message: str | None) -> None:
    report = parse(data, filename)

    assert issues(report) == [(None, "", code, "error")]
    assert message is None or report.issues[0].message == message
    assert report.rows == () and report.households == () and not report.ok


def test_a_zip_that_is_not_a_workbook_is_corrupt() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")

    assert issues(parse(out.getvalue(), "roster.xlsx")) == [(None, "", "corrupt_file", "error")]


def test_the_first_sheet_with_a_header_is_read_and_other_filled_sheets_are_named() -> None:
    data = xlsx_bytes(
        [["填表说明：身份证号请设为文本格式。"]],
        sheets=[
            ("1栋", [header(), *two_households()[:3]]),
            ("2栋", [header(), *two_households()[3:]]),
            ("空表", [header()]),
            ("旧数据", [header(), *two_households()]),
        ],
        hidden=["旧数据"],
    )

    report = parse(data, "roster.xlsx")

    assert issues(report) == [(None, "", "other_sheets_ignored", "warning")]
    assert report.issues[0].message == (
        "只导入了工作表“1栋”；工作表“2栋”也有住户数据，未导入。请合并到一个工作表，或分别上传。"
    )
    assert [h.key for h in report.households] == ["幸福小区/3/2/502"]


def test_a_roster_over_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_parse, "MAX_DATA_ROWS", 3)

    report = parse(csv_bytes([header(), *two_households()]), "r.csv")

    assert issues(report) == [(None, "", "too_many_rows", "error")]


@pytest.mark.expect_log("gridworker_server.roster", "ERROR", match="could not be parsed")
def test_an_unexpected_failure_is_a_file_level_error_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(roster_parse, "group_households", broken)

    report = parse(csv_bytes([header(), *two_households()]), "r.csv")

    assert issues(report) == [(None, "", "internal_error", "error")]


# --- Never raises ------------------------------------------------------------------------------------

VOCABULARY = [*HEADER, "地址", "户号", "出生日期", "合计", "户主", "妻", "子", "男", "女", "幸福小区3栋2单元502室",
              ZHANG_WEI, WITH_X.lower(), "3.21302E+17", "13812345678", "0527-84361234", "独居老人、低保", "", " ",
              "幸福小区", "3栋", "2单元", "502", "1990-01-01", "=\"1\"", "\u3000", "１２"]  # fmt: skip


def check_invariants(report: RosterReport) -> None:
    """Whatever the input: one outcome per row, households only from ok rows, ok means no error."""
    assert report.ok == (not any(i.severity == "error" for i in report.issues))
    rows = [r.row for r in report.rows]
    assert rows == sorted(set(rows))
    ok_rows = {r.row for r in report.rows if r.status == "ok"}
    assert {row for h in report.households for row in h.rows} == ok_rows
    for outcome in report.rows:
        assert outcome.status in ("ok", "invalid", "duplicate", "skipped")
        assert (outcome.status == "invalid") == any(i.severity == "error" for i in outcome.issues)
    for household in report.households:
        assert [m.relation for m in household.members].count("head") == 1
    assert all(i.code != "internal_error" for i in report.issues)
    json.dumps(report.to_dict())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.sampled_from(["r.csv", "r.xlsx", "r.xls", "r"]))
def test_arbitrary_bytes_never_raise(data: bytes, filename: str) -> None:
    check_invariants(parse(data, filename))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_csv_text_never_raises(text: str) -> None:
    check_invariants(parse(text.encode("utf-8"), "r.csv"))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=5), max_size=12), max_size=12))
def test_arbitrary_rosters_of_roster_words_never_raise(rows: list[list[str]]) -> None:
    check_invariants(parse(csv_bytes([header(), *rows]), "r.csv"))


# --- The Chinese messages are the app's --------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_validation_message_reads_in_chinese_through_the_apps_translations() -> None:
    """The roster reports validation.py's errors (names, ID numbers, birth dates, phone numbers) in the
    Chinese the app shows: the server reads the app's .ts file, so a template without a translation there
    would reach users in English."""
    templates = sorted(getattr(validation, n) for n in validation.__all__ if n.startswith("MSG_"))
    chinese = {t: i18n.catalogue().get((validation.CONTEXT, t)) for t in templates}

    assert [t for t, text in chinese.items() if not text or not CJK.search(text)] == []
    assert {t: set(PLACEHOLDER.findall(text or "")) for t, text in chinese.items()} == {
        t: set(PLACEHOLDER.findall(t)) for t in templates
    }
    error = validation.ValidationError("phone", validation.MSG_MOBILE_LENGTH, length=10)
    assert i18n.validation_message(error) == "手机号应为 11 位，当前为 10 位。"


def test_a_message_without_a_translation_stays_in_english_as_in_the_app() -> None:
    assert i18n.translate(validation.CONTEXT, "No such message {n}.", n=3) == "No such message 3."


def test_bad_id_numbers_read_in_chinese_as_before() -> None:
    """The server once kept its own copy of these sentences; the app's translations say the same."""
    cases = [
        ZHANG_WEI[:17] + ("1" if ZHANG_WEI[17] != "1" else "2"),
        ZHANG_WEI[:16],
        with_check("991302" + ZHANG_WEI[6:17]),
        with_check("32130219650230001"),
        with_check("32130218990101001"),
        with_check("32130220270101001"),
        "32130219650318AB12",
    ]
    rows = [header()] + [
        person(n, "张伟", "户主", None, cell, None, ("幸福小区", "3栋", "2单元", f"{n}01室"))
        for n, cell in enumerate(cases, start=1)
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code, i.message) for i in report.issues] == [
        (2, "身份证号", "id_invalid", f"校验码不符，应为 {ZHANG_WEI[17]}。请检查号码是否输错。"),
        (3, "身份证号", "id_invalid", "身份证号应为 18 位，当前为 16 位。"),
        (4, "身份证号", "id_invalid", "身份证号不能以 99 开头，前两位应为省份代码。"),
        (5, "身份证号", "id_invalid", "身份证号中的出生日期（1965-02-30）不是有效日期。"),
        (6, "身份证号", "id_invalid", "身份证号中的出生日期（1899-01-01）早于 1900 年。"),
        (7, "身份证号", "id_invalid", "身份证号中的出生日期（2027-01-01）晚于今天。"),
        (8, "身份证号", "id_invalid", "身份证号应为 17 位数字，最后一位为数字或 X。"),
    ]
    assert report.issues[0].describe() == f"第2行 身份证号：校验码不符，应为 {ZHANG_WEI[17]}。请检查号码是否输错。"


def test_names_are_required_and_checked() -> None:
    rows = [
        header(),
        person(1, "张伟", "户主", "男", ZHANG_WEI, None, A502),
        person(2, "", "妻", "女", LI_XIUYING, None, A502),
        person(3, "张浩然2", "子", "男", ZHANG_HAORAN, None, A502),
        person(4, "阿卜杜•热合曼", "户主", "男", CHEN_JIANGUO, None, A301),
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code, i.message) for i in report.issues if i.code != "household_invalid"] == [
        (3, "姓名", "name_missing", "未填写姓名。"),
        (4, "姓名", "name_invalid", "姓名只能包含汉字、英文字母和间隔号（·），不能包含“2”。"),
    ]
    assert [h.head_name for h in report.households] == ["阿卜杜·热合曼"]


def test_household_numbers_written_on_the_heads_row_only_carry_down() -> None:
    rows = [
        ["户号", "网格", "姓名", "与户主关系", "地址"],
        ["H001", "古城社区第1网格", "张伟", "户主", "幸福小区3栋2单元502室"],
        ["", "", "李秀英", "妻", ""],
        ["", "", "", "", ""],
        ["", "", "王芳", "户主", ""],  # after a blank row nothing carries down
        ["H002", "3213020002", "陈建国", "户主", "幸福小区3栋1单元301室"],
        ["H002", "古城社区第1网格", "周敏", "妻", ""],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(h.key, h.grid, h.rows) for h in report.households] == [("H001", "古城社区第1网格", (2, 3))]
    assert issues(report) == [
        (5, "地址", "address_missing", "error"),
        (6, "", "household_invalid", "error"),
        (7, "网格", "household_conflict", "error"),
    ]
    assert report.issues[2].message == "与同户第6行的网格不一致（“古城社区第1网格”与“3213020002”）。"


def test_values_longer_than_the_servers_columns_are_refused() -> None:
    rows = [
        ["户号", "姓名", "与户主关系", "地址"],
        ["H" * 51, "张伟", "户主", "幸福小区3栋2单元502室"],
        ["H2", "王芳", "户主", "幸" * 101 + "小区3栋2单元502室"],
    ]

    report = parse(csv_bytes(rows), "r.csv")

    assert [(i.row, i.column, i.code, i.message) for i in report.issues] == [
        (2, "户号", "value_too_long", "户号过长（51 个字），最多 50 个字。"),
        (3, "地址", "value_too_long", "小区过长（103 个字），最多 100 个字。"),
    ]
