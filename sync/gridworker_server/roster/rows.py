"""The rows: each data row below the header read and checked into a :class:`Line`, a resident with
the household-level cells of their row; or recognised as a row that is no resident (totals, notes,
a repeated header). ID numbers, phone numbers, names and birth dates are checked by
:mod:`gridworker_shared.domain.validation`, the app's own rules, and their messages read as the app shows
them (:mod:`gridworker_server.i18n`); relation and care-tag codes are those of
:mod:`gridworker_shared.domain.codes`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from gridworker_server.i18n import validation_message
from gridworker_server.roster.address import (
    BUILDING_SUFFIX,
    FLOOR_RE,
    ROOM_SUFFIX,
    UNIT_SUFFIX,
    Address,
    address_part,
    floor_from_room,
    split_address,
)
from gridworker_server.roster.cells import cell_text, compact_text, id_text, name_like, parse_date
from gridworker_server.roster.header import LABELS, PLACE_FIELDS, Header, row_fields
from gridworker_server.roster.report import ERROR, WARNING, RosterIssue
from gridworker_shared.domain import validation as v
from gridworker_shared.domain.codes import CARE_TAGS, RELATIONS

__all__ = ["MSG_ID_LOST_DIGITS", "MSG_ID_NUMERIC_CELL", "Line", "RowReader"]

# The server's column sizes (models.py): a longer value is refused here, not by PostgreSQL.
_MAX_LENGTHS: Final = {"household_no": 50, "grid": 100, "compound": 100, "building": 16, "unit": 16, "room": 16}

MSG_ID_LOST_DIGITS: Final = "身份证号被Excel存为数字，末尾数字已丢失，请将该列设为文本后重新录入。"
MSG_ID_NUMERIC_CELL: Final = "身份证号存成了数字格式，再用 Excel 编辑保存会丢失末尾数字，建议将该列设为文本。"


# --- Relations, sexes, tags --------------------------------------------------------------------------

_RELATION_WORDS: Final[dict[str, str]] = {
    # Groups follow GB/T 4761 (家庭关系代码), as household registers use it: in-laws are counted with
    # the relative they married (儿媳 with 子女, 公婆 with 父母, 嫂 with 兄弟姐妹).
    "head": "户主 本人 户主本人",
    "spouse": "配偶 妻 妻子 夫 丈夫 夫妻 之妻 之夫 爱人 老伴",
    "child": "子 女 儿子 女儿 子女 长子 次子 三子 四子 五子 长女 次女 三女 四女 五女 独生子 独生女 养子 养女 "
    "继子 继女 养子或继子 养女或继女 其他儿子 其他女儿 女婿 儿媳 儿媳妇 孩子",
    "parent": "父 母 父亲 母亲 父母 爸爸 妈妈 公公 婆婆 岳父 岳母 继父 继母 养父 养母 继父或养父 继母或养母",
    "grandchild": "孙子 孙女 孙子女 外孙 外孙子 外孙女 孙媳妇 孙女婿 曾孙子 曾孙女 外曾孙子 外曾孙女",
    "grandparent": "祖父 祖母 祖父母 外祖父 外祖母 外祖父母 爷爷 奶奶 姥爷 姥姥 外公 外婆 曾祖父 曾祖母",
    "sibling": "兄 弟 姐 妹 哥哥 弟弟 姐姐 妹妹 兄弟 姐妹 兄弟姐妹 嫂 嫂子 弟媳 姐夫 妹夫",
    "tenant": "租户 租客 承租人 房客",
    "other": "其他 其它 其他亲属 非亲属 亲属 保姆 伯父 伯母 叔父 叔叔 婶母 舅父 舅舅 舅母 姨父 姨母 姑父 姑母 "
    "侄子 侄女 外甥 外甥女 堂兄弟 堂姐妹 表兄弟 表姐妹",
}
_RELATION_BY_WORD: Final[dict[str, str]] = {
    **{word.casefold(): code for code, words in _RELATION_WORDS.items() for word in words.split()},
    **{r.code: r.code for r in RELATIONS},
    **{r.zh: r.code for r in RELATIONS},
}
# GB/T 4761 two-digit codes, as exported by household-register systems: the tens digit is the group.
_RELATION_BY_TENS: Final = {
    0: "head",
    1: "spouse",
    2: "child",
    3: "child",
    4: "grandchild",
    5: "parent",
    6: "grandparent",
    7: "sibling",
}

# 1 and 2 are GB/T 2261.1's codes, as register systems export them.
_SEX_BY_WORD: Final = dict.fromkeys(("男", "男性", "m", "male", "1"), v.SEX_MALE) | dict.fromkeys(
    ("女", "女性", "f", "female", "2"), v.SEX_FEMALE
)

_TAG_WORDS: Final[dict[str, str]] = {
    "elderly_alone": "独居 独居老人 孤寡老人",
    "special_hardship": "特困 特困人员 特困户 特困供养人员 五保 五保户 五保对象",
    "empty_nest": "空巢 空巢老人",
    "low_income": "低保户 低保对象 低保家庭 最低生活保障",
    "disabled": "残疾 残疾人员 持证残疾人 残障",
    "left_behind_child": "留守",
    "serious_illness": "大病 重病患者 大病患者 重症",
    "veteran": "退伍军人 复员军人 转业军人",
    "rental": "出租房 出租屋 租户",
}
_TAG_BY_WORD: Final[dict[str, str]] = {
    **{word: code for code, words in _TAG_WORDS.items() for word in words.split()},
    **{t.code: t.code for t in CARE_TAGS},
    **{t.zh: t.code for t in CARE_TAGS},
}
# What communities write in the ID cell of someone who has no ID number at hand (a child not yet
# registered, an elder whose card is lost, a tenant who has not shown one).
_NO_ID: Final = frozenset(
    {"无", "暂无", "没有", "无证", "无身份证", "未办", "未办理", "未办证", "待办", "待补", "待补录", "不详", "空"}
    | {"/", "\\", "-", "--", "—", "——", "无此项", "未提供", "null", "none", "n/a"}
)
_NO_TAG: Final = frozenset({"无", "暂无", "否", "/", "-", "—", "正常"})
_TAG_SPLIT_RE: Final = re.compile(r"[、,，;；/|\s]+")
_PHONE_SPLIT_RE: Final = re.compile(r"[、,，;；/|]+")


def _relation(word: str) -> str | None:
    key = word.casefold()
    if key in _RELATION_BY_WORD:
        return _RELATION_BY_WORD[key]
    if key.isascii() and key.isdigit() and len(key) <= 2:
        number = int(key)
        return _RELATION_BY_TENS.get(number // 10, "other") if number else None
    return None


# --- Rows ------------------------------------------------------------------------------------------

_TOTALS_WORDS: Final = ("合计", "总计", "小计", "共计", "总数", "汇总")
_COUNT_RE: Final = re.compile(r"\d{1,6}(?:人|户|个|名|套)?")  # not an ID or phone number


@dataclass
class Line:
    """A data row while it is being checked."""

    row: int
    place: dict[str, str]
    signature: tuple[str, ...]
    issues: list[RosterIssue] = field(default_factory=list)
    address: Address | None = None
    address_blank: bool = False  # nothing written: may come from its household (same 户号)
    name: str = ""
    relation: str | None = None
    sex: str = ""
    birth_date: date | None = None
    id_number: str = ""
    phone: str = ""
    tags: tuple[str, ...] = ()
    notes: str = ""
    key: str = ""
    duplicate_of: int | None = None

    @property
    def has_error(self) -> bool:
        return any(i.severity == ERROR for i in self.issues)


class RowReader:
    """Reads one sheet's rows below the header into lines and skipped-row outcomes."""

    def __init__(self, header: Header, today: date) -> None:
        self.header = header
        self.today = today
        self.fields = tuple(header.columns)
        self.mapped = frozenset(c.index for cols in header.columns.values() for c in cols)

    # -- cells

    def cell(self, cells: Sequence[object], name: str) -> object:
        """The field's value: from its first column with a value (two phone columns: the first filled)."""
        for column in self.header.columns.get(name, ()):
            if column.index < len(cells) and cell_text(cells[column.index]):
                return cells[column.index]
        return None

    def column(self, cells: Sequence[object], name: str) -> str:
        """The header text of the column the field's value came from (its first column if none)."""
        for column in self.header.columns.get(name, ()):
            if column.index < len(cells) and cell_text(cells[column.index]):
                return column.header
        return self.header.header(name)

    def issue(
        self,
        line: Line,
        cells: Sequence[object],
        name: str,
        code: str,
        message: str,
        severity: str = ERROR,
        **params: object,
    ) -> None:
        column = self.column(cells, name) if name else ""
        line.issues.append(RosterIssue(line.row, column, code, message, severity, params))

    # -- classification

    def skip_reason(self, cells: Sequence[object]) -> tuple[str, str] | None:
        """Why a non-blank row is not a resident: a totals, title, signature or repeated header row."""
        values = [cell_text(c) for c in cells]
        filled = [(i, t) for i, t in enumerate(values) if t]
        firsts = ["".join(t.split()) for _, t in filled[:3]]
        if any(t.startswith(_TOTALS_WORDS) for t in firsts):
            return "totals_row", "合计行，已跳过。"
        if len(row_fields(cells)) >= 3:
            return "repeated_header", "重复的表头行，已跳过。"
        if len(filled) >= 3 and len({t for _, t in filled}) == 1:  # one value merged across the row
            return "note_row", "这一行不是住户数据（标题、说明或签名等），已跳过。"
        name = cell_text(self.cell(cells, "name") or self.cell(cells, "head_name"))
        if not name and all(_COUNT_RE.fullmatch(t) for _, t in filled):
            return "totals_row", "合计行，已跳过。"
        if not any(i in self.mapped for i, _ in filled):
            return "note_row", "这一行不是住户数据（标题、说明或签名等），已跳过。"
        return None

    def is_silent_blank(self, cells: Sequence[object], copied: frozenset[int]) -> bool:
        """Blank, or only a running number in an unmapped column (序号 pre-filled in a template), or only
        the values of ranges merged down from the rows above."""
        filled = [(i, cell_text(c)) for i, c in enumerate(cells) if cell_text(c) and i not in copied]
        return all(i not in self.mapped and t.isdigit() for i, t in filled)

    # -- a data row

    def place(self, cells: Sequence[object], previous: Line | None) -> dict[str, str]:
        """The household-level cells; a row that writes no room or 户号 continues the row above it.

        Rosters often write the address (or 户号) on the head's row only and leave it blank on the
        members' rows below, or merge only some of the columns.
        """
        place = {
            name: (
                name_like(self.cell(cells, name))
                if name in ("grid", "compound")
                else compact_text(self.cell(cells, name))
            )
            for name in PLACE_FIELDS
        }
        if (
            previous is not None
            and not place["household_no"]
            and not place["room"]
            and not place["address"]
            and all(place[f] in ("", previous.place[f]) for f in ("grid", "compound", "building", "unit", "floor"))
        ):
            return dict(previous.place)
        return place

    def read(self, number: int, cells: Sequence[object], previous: Line | None) -> Line:
        place = self.place(cells, previous)
        member = tuple(compact_text(self.cell(cells, f)) for f in self.fields if f not in PLACE_FIELDS)
        line = Line(number, place, tuple(place.values()) + member)
        self.read_address(line, cells)
        self.check_lengths(line, cells)
        self.read_person(line, cells)
        self.read_extras(line, cells)
        return line

    def read_address(self, line: Line, cells: Sequence[object]) -> None:
        place = line.place
        parts = ("compound", "building", "room")
        if all(place[p] for p in parts):
            room = address_part(place["room"], ROOM_SUFFIX)
            line.address = Address(
                compound=place["compound"],
                building=address_part(place["building"], BUILDING_SUFFIX),
                unit=address_part(place["unit"], UNIT_SUFFIX),
                room=room,
                floor=floor_from_room(room),
            )
        elif place["address"]:
            line.address = split_address(place["address"])
            if line.address is None:
                self.issue(
                    line,
                    cells,
                    "address",
                    "address_unparsed",
                    f"无法从地址“{place['address']}”中分出小区、楼栋、单元和房号，"
                    "请按“幸福小区3栋2单元502室”的格式填写，或分列填写小区、楼栋、单元、房号。",
                )
        elif any(place[p] for p in (*parts, "unit")):
            missing = [p for p in parts if not place[p]]
            names = "、".join(self.header.header(p) or LABELS[p] for p in missing)
            self.issue(line, cells, missing[0], "address_incomplete", f"地址不完整：未填写{names}。")
        else:
            line.address_blank = True
            if not place["household_no"]:
                self.issue(
                    line, cells, "address" if self.header.has("address") else "room", "address_missing", "未填写地址。"
                )
        if line.address is not None and place["floor"]:
            self.read_floor(line, cells)

    def check_lengths(self, line: Line, cells: Sequence[object]) -> None:
        values = {"household_no": line.place["household_no"], "grid": line.place["grid"]}
        if line.address is not None:
            a = line.address
            values |= {"compound": a.compound, "building": a.building, "unit": a.unit, "room": a.room}
        for name, value in values.items():
            limit = _MAX_LENGTHS[name]
            if len(value) > limit:
                message = f"{LABELS[name]}过长（{len(value)} 个字），最多 {limit} 个字。"
                self.issue(line, cells, name if self.header.has(name) else "address", "value_too_long", message)

    def read_floor(self, line: Line, cells: Sequence[object]) -> None:
        assert line.address is not None
        match = FLOOR_RE.fullmatch(line.place["floor"])
        if match is None:
            message = f"无法识别楼层“{line.place['floor']}”，已按房号推算。"
            self.issue(line, cells, "floor", "floor_invalid", message, WARNING)
            return
        floor = int(match.group(1))
        line.address = Address(
            line.address.compound, line.address.building, line.address.unit, line.address.room, floor
        )

    def read_person(self, line: Line, cells: Sequence[object]) -> None:
        self.read_name(line, cells)
        self.read_id(line, cells)
        self.read_sex(line, cells)
        self.read_birth_date(line, cells)

    def read_name(self, line: Line, cells: Sequence[object]) -> None:
        name_field = "name" if self.header.has("name") else "head_name"
        raw = cell_text(self.cell(cells, name_field))
        if not raw:
            self.issue(line, cells, name_field, "name_missing", "未填写姓名。")
        else:
            try:
                line.name = v.validate_person_name(raw)
            except v.ValidationError as error:
                self.issue(line, cells, name_field, "name_invalid", validation_message(error))
        if name_field == "head_name":  # a list of heads only (户主姓名, no 与户主关系)
            line.relation = "head"
            return
        word = compact_text(self.cell(cells, "relation"))
        if not word:
            self.issue(line, cells, "relation", "relation_missing", "未填写与户主关系。")
            return
        line.relation = _relation(word)
        if line.relation is None:
            line.relation = "other"
            self.issue(line, cells, "relation", "relation_unknown", f"无法识别的关系“{word}”，按“其他”导入。", WARNING)

    def read_id(self, line: Line, cells: Sequence[object]) -> None:
        if not self.header.has("id_number"):
            return
        value = self.cell(cells, "id_number")
        if value is None:
            self.issue(line, cells, "id_number", "id_missing", "未填写身份证号，仍导入，请走访时补录。", WARNING)
            return
        written = compact_text(value)
        if written.casefold() in _NO_ID:  # someone without an ID at hand: the name is who they are
            message = f"没有身份证号（填的是“{written}”），按未填写导入，请走访时补录。"
            self.issue(line, cells, "id_number", "id_missing", message, WARNING, written=written)
            return
        text, numeric = id_text(value)
        if text is None:
            self.issue(line, cells, "id_number", "id_lost_digits", MSG_ID_LOST_DIGITS)
            return
        try:
            line.id_number = v.validate_id_number(text, today=self.today)
        except v.ValidationError as error:
            code = "id_old_15" if error.template == v.MSG_ID_OLD_15 else "id_invalid"
            self.issue(line, cells, "id_number", code, validation_message(error))
            return
        if numeric:
            self.issue(line, cells, "id_number", "id_numeric_cell", MSG_ID_NUMERIC_CELL, WARNING)

    def read_sex(self, line: Line, cells: Sequence[object]) -> None:
        word = compact_text(self.cell(cells, "sex")).casefold()
        from_id = v.id_sex(line.id_number) if line.id_number else ""
        if not word:
            line.sex = from_id
            return
        sex = _SEX_BY_WORD.get(word)
        if sex is None:
            self.issue(
                line, cells, "sex", "sex_invalid", f"性别应填“男”或“女”，现在是“{cell_text(self.cell(cells, 'sex'))}”。"
            )
            line.sex = from_id
        elif from_id and sex != from_id:
            # The 17th digit is odd for a man, even for a woman: one of the two cells is wrong, and which
            # one is for a person to say, so the row waits (an error) rather than import either.
            said = "男" if from_id == v.SEX_MALE else "女"
            message = f"身份证号显示为{said}性，请核对性别或号码。"
            self.issue(line, cells, "sex", "sex_mismatch", message, sex=sex, id_sex=from_id)
        else:
            line.sex = sex

    def read_birth_date(self, line: Line, cells: Sequence[object]) -> None:
        value = self.cell(cells, "birth_date")
        from_id = v.id_birth_date(line.id_number) if line.id_number else None
        line.birth_date = from_id
        if value is None:
            return
        parsed = parse_date(value)
        if parsed is None:
            message = f"无法识别出生日期“{cell_text(value)}”，请按 1990-01-31 的格式填写。"
            self.issue(line, cells, "birth_date", "birth_date_invalid", message)
            return
        year, month, day = parsed
        if from_id is not None:
            if (year, month) != (from_id.year, from_id.month) or day not in (None, from_id.day):
                message = f"按身份证号，此人出生于 {from_id.isoformat()}，请核对出生日期或身份证号。"
                self.issue(line, cells, "birth_date", "birth_date_mismatch", message)
            return
        if day is None:
            message = "出生日期只有年月，又没有身份证号可以补全，未导入出生日期。"
            self.issue(line, cells, "birth_date", "birth_date_partial", message, WARNING)
            return
        try:
            line.birth_date = v.validate_birth_date(date(year, month, day), today=self.today)
        except v.ValidationError as error:
            self.issue(line, cells, "birth_date", "birth_date_invalid", validation_message(error))
        except ValueError:
            message = f"出生日期“{cell_text(value)}”不是有效日期。"
            self.issue(line, cells, "birth_date", "birth_date_invalid", message)

    def read_extras(self, line: Line, cells: Sequence[object]) -> None:
        self.read_phone(line, cells)
        self.read_tags(line, cells)
        line.notes = cell_text(self.cell(cells, "notes"))

    def read_phone(self, line: Line, cells: Sequence[object]) -> None:
        raw = cell_text(self.cell(cells, "phone"))
        numbers = [p for p in _PHONE_SPLIT_RE.split(raw) if p.strip()]
        phones: list[str] = []
        for number in numbers:
            try:
                phones.append(v.validate_phone(number.removeprefix("'")))
            except v.ValidationError as error:
                self.issue(line, cells, "phone", "phone_invalid", validation_message(error))
                return
        if phones:
            line.phone = phones[0]
        if len(phones) > 1:
            message = f"填写了 {len(phones)} 个号码，只导入第一个（{phones[0]}）。"
            self.issue(line, cells, "phone", "phone_multiple", message, WARNING)

    def read_tags(self, line: Line, cells: Sequence[object]) -> None:
        tags: list[str] = []
        for word in _TAG_SPLIT_RE.split(cell_text(self.cell(cells, "tags"))):
            if not word or word in _NO_TAG:
                continue
            code = _TAG_BY_WORD.get(word) or _TAG_BY_WORD.get(word.casefold())
            if code is None:
                self.issue(line, cells, "tags", "tag_unknown", f"无法识别的人员类别“{word}”，已忽略。", WARNING)
            elif code not in tags:
                tags.append(code)
        line.tags = tuple(tags)
