"""The header: which row names the columns, and which field each column holds.

Communities name the same column many ways (``身份证号``, ``公民身份号码``, ``* 身份证号码（18位）``), put
title rows above the header or split it over two rows, and some workbooks hold more than one sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from gridworker_server.roster.cells import cell_text
from gridworker_server.roster.read import Sheet
from gridworker_server.roster.report import WARNING, RosterIssue, file_issue
from gridworker_shared.domain import validation as v

__all__ = [
    "HEADER_SEARCH_ROWS",
    "LABELS",
    "PLACE_FIELDS",
    "SPELLINGS",
    "Column",
    "Header",
    "choose_sheet",
    "column_issues",
    "find_header",
    "row_fields",
]

HEADER_SEARCH_ROWS: Final = 10  # title rows above the header are common; a header lower than this is not


# Field names, and the header texts communities use for them (matched after _header_key); the first is
# the field's label in messages. ``姓名`` is the person on the row, as in a register's one row per
# resident: a list with one row per household names its column ``户主``/``户主姓名`` (then no
# ``与户主关系`` is needed), and a ``户主`` column beside ``姓名`` repeats the head's name on each row.
SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    "grid": ("网格", "所属网格", "网格名称", "网格编码", "网格编号", "网格号"),
    "compound": (
        "小区",
        "小区名称",
        "小区名",
        "所在小区",
        "所属小区",
        "住宅小区",
        "居住小区",
        "小区院落",
        "院落",
        "自然村/小区",
        "小区/自然村",
        "自然村",
    ),
    "building": (
        "楼栋",
        "楼号",
        "幢",
        "栋",
        "楼栋号",
        "幢号",
        "栋号",
        "楼幢",
        "楼幢号",
        "楼宇",
        "所在楼栋",
        "楼栋名称",
    ),
    "unit": ("单元", "单元号", "所在单元"),
    "floor": ("楼层", "层", "层数", "所在楼层"),
    "room": ("房号", "门牌号", "室", "房间号", "房间", "室号", "户室号", "门牌", "门牌号码", "房屋号", "房号/门牌号"),
    "address": (
        "地址",
        "住址",
        "详细地址",
        "现住址",
        "居住地址",
        "家庭住址",
        "现居住地址",
        "现居地址",
        "居住地",
        "房屋地址",
        "门牌地址",
    ),
    "household_no": ("户号", "户编号", "户编码", "家庭编号"),
    "name": ("姓名", "居民姓名", "人员姓名", "成员姓名", "家庭成员姓名", "名字"),
    "head_name": ("户主姓名", "户主", "户主名", "户主名字", "户主名称"),
    "relation": (
        "与户主关系",
        "关系",
        "与户主的关系",
        "家庭关系",
        "户主或与户主关系",
        "与户主关系称谓",
        "关系称谓",
        "称谓",
        "成员关系",
    ),
    "sex": ("性别",),
    "id_number": (
        "身份证号",
        "公民身份号码",
        "身份证号码",
        "证件号码",
        "身份证",
        "证件号",
        "公民身份证号",
        "公民身份证号码",
        "居民身份证号码",
        "身份证件号码",
        "身份号码",
    ),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "生日"),
    "phone": (
        "联系电话",
        "手机号",
        "电话",
        "联系方式",
        "手机",
        "手机号码",
        "电话号码",
        "联系号码",
        "移动电话",
        "手机/电话",
        "电话/手机",
        "本人电话",
        "本人联系电话",
    ),
    "tags": ("标签", "人员类别", "人员类型", "人员属性", "人员标签", "特殊人群", "重点人群", "人群类别", "特殊群体"),
    "notes": ("备注", "备注说明", "备注信息", "说明"),
}
LABELS: Final[dict[str, str]] = {name: aliases[0] for name, aliases in SPELLINGS.items()}
PLACE_FIELDS: Final = ("household_no", "grid", "compound", "building", "unit", "floor", "room", "address")

# A hint in brackets (closed or not: ``身份证号（18位``), of any kind templates use.
_HINT_RE: Final = re.compile(r"\([^)]*\)?|\[[^\]]*\]?|【[^】]*】?|〔[^〕]*〕?|「[^」]*」?|《[^》]*》?|<[^>]*>?")
_MARKS_RE: Final = re.compile(r"[\s*:：★☆※#＃·•.。]")


def _header_key(text: str) -> str:
    """Header text reduced to what identifies it: ``* 身份证号\\n(18位)`` → ``身份证号``.

    Templates mark required columns with ``*`` or ``★``, add hints in brackets, end a label with a
    colon and break long headers over two lines; people type full-width letters and spaces to align
    them, and copying from a web page brings zero-width spaces.
    """
    key = v.normalize_text(text)  # NFKC (full width to ASCII), zero-width characters gone
    key = _HINT_RE.sub("", key)
    key = _MARKS_RE.sub("", key)
    return key.casefold()


_FIELD_BY_ALIAS: Final[dict[str, str]] = {
    _header_key(alias): name for name, aliases in SPELLINGS.items() for alias in aliases
}


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as in the file, whitespace collapsed


@dataclass(frozen=True)
class Header:
    row: int  # the header's last row
    columns: dict[str, tuple[Column, ...]]  # field -> its columns, left to right
    found: tuple[str, ...] = ()  # every header text in the file, known or not, left to right

    def header(self, name: str) -> str:
        columns = self.columns.get(name)
        return columns[0].header if columns else ""

    def has(self, name: str) -> bool:
        return name in self.columns


def _field_of(value: object) -> str | None:
    return _FIELD_BY_ALIAS.get(_header_key(value)) if isinstance(value, str) else None


def _header_text(value: object) -> str:
    return " ".join(str(value).split())


def row_fields(cells: Sequence[object]) -> dict[int, str]:
    return {i: name for i, cell in enumerate(cells) if (name := _field_of(cell)) is not None}


def find_header(rows: Sequence[tuple[int, list[object]]]) -> Header | None:
    """The header among the first rows: the row (or pair of rows) naming the most distinct fields.

    A two-row header (``地址`` merged over ``小区 楼栋 单元 房号`` below it) is read as one: the lower
    row's names win, the upper row's fill its gaps. Ties go to a single row, then the earlier one.
    """
    window = [(n, cells) for n, cells in rows if n <= HEADER_SEARCH_ROWS]
    # (score, last row, index -> (field, text), the header's rows)
    best: tuple[int, int, dict[int, tuple[str, str]], tuple[list[object], ...]] | None = None
    for position, (number, cells) in enumerate(window):
        upper = {i: (name, _header_text(cells[i])) for i, name in row_fields(cells).items()}
        candidates: list[tuple[dict[int, tuple[str, str]], tuple[list[object], ...]]] = [(upper, (cells,))]
        if position + 1 < len(window) and window[position + 1][0] == number + 1:
            lower_cells = window[position + 1][1]
            lower = {i: (name, _header_text(lower_cells[i])) for i, name in row_fields(lower_cells).items()}
            if len(lower) >= 2:
                candidates.append(({**upper, **lower}, (cells, lower_cells)))
        for offset, (mapping, header_rows) in enumerate(candidates):
            score = len({name for name, _ in mapping.values()})
            if score >= 2 and (best is None or score > best[0]):
                best = (score, number + offset, mapping, header_rows)
    if best is None:
        return None
    columns: dict[str, list[Column]] = {}
    for index in sorted(best[2]):
        name, text = best[2][index]
        columns.setdefault(name, []).append(Column(index, text))
    return Header(best[1], {name: tuple(cols) for name, cols in columns.items()}, _found(best[3]))


def _found(header_rows: Sequence[Sequence[object]]) -> tuple[str, ...]:
    """The header's texts as written, column by column (a two-row header's upper text first)."""
    found: list[str] = []
    for index in range(max(len(cells) for cells in header_rows)):
        for cells in header_rows:
            text = _header_text(cells[index]) if index < len(cells) and cell_text(cells[index]) else ""
            if text and text not in found:
                found.append(text)
    return tuple(found)


_SPELLINGS_SHOWN: Final = 4  # in a message; the issue's params carry them all


def _quoted(texts: Sequence[str]) -> str:
    return "、".join(f"“{t}”" for t in texts)


def _spelled(name: str) -> str:
    """``“户主姓名”（也可写作“户主”、“户主名”……）``: a field's label and its other accepted spellings."""
    others = SPELLINGS[name][1:]
    if not others:
        return f"“{LABELS[name]}”"
    more = "等" if len(others) > _SPELLINGS_SHOWN else ""
    return f"“{LABELS[name]}”（也可写作{_quoted(others[:_SPELLINGS_SHOWN])}{more}）"


def _missing(header: Header, requirement: str, what: str, expected: Sequence[str], hint: str) -> RosterIssue:
    """A missing column: what is missing, the columns that would do (with their spellings), what the
    file has. ``params``: ``missing`` (the requirement: ``name``, ``address`` or ``relation``),
    ``expected`` (field -> accepted spellings, the label first) and ``found`` (the header's texts as
    written), for a client that words it its own way."""
    found = _quoted(header.found) if header.found else "（无）"
    message = f"缺少{what}：{hint}。表头中现有的列：{found}。"
    params: dict[str, object] = {
        "missing": requirement,
        "expected": {name: list(SPELLINGS[name]) for name in expected},
        "found": list(header.found),
    }
    return file_issue("missing_column", message, params=params)


def column_issues(header: Header) -> list[RosterIssue]:
    """Missing required columns (errors) and fields named by two columns (a warning)."""
    issues: list[RosterIssue] = []
    if not header.has("name") and not header.has("head_name"):
        hint = f"每行一人时需要{_spelled('name')}列，每行一户时需要{_spelled('head_name')}列"
        issues.append(_missing(header, "name", "姓名列", ("name", "head_name"), hint))
    if not header.has("address"):
        missing = [f for f in ("compound", "building", "room") if not header.has(f)]
        if missing:
            parts = "".join(f"“{LABELS[f]}”" for f in ("compound", "building", "room"))
            lacking = "、".join(_spelled(f) for f in missing)
            hint = f"请提供{_spelled('address')}列，或{parts}三列，现在缺少{lacking}"
            issues.append(_missing(header, "address", "地址列", ("address", *missing), hint))
    if header.has("name") and not header.has("relation"):
        hint = (
            f"每行一人时需要{_spelled('relation')}列，才能确定每户的户主；"
            f"若每行是一户，请把“{header.header('name')}”列改名为“户主姓名”或“户主”"
        )
        issues.append(_missing(header, "relation", "与户主关系列", ("relation",), hint))
    for name, columns in header.columns.items():
        if len(columns) > 1:
            texts = "、".join(f"“{c.header}”" for c in columns)
            issues.append(
                file_issue(
                    "duplicate_column",
                    f"{texts}都是{LABELS[name]}列，每行取第一个非空的值。",
                    WARNING,
                )
            )
    return issues


def choose_sheet(sheets: Sequence[Sheet]) -> tuple[Sheet, Header, list[RosterIssue]] | None:
    """The first visible sheet with a header; the others with one are named in a warning."""
    found = [(sheet, header) for sheet in sheets if (header := find_header(sheet.rows)) is not None]
    if not found:
        return None
    sheet, header = found[0]
    issues: list[RosterIssue] = []
    others = [s.title for s, h in found[1:] if any(cell_text(c) for n, cells in s.rows if n > h.row for c in cells)]
    if others:
        names = "、".join(f"“{t}”" for t in others)
        message = f"只导入了工作表“{sheet.title}”；工作表{names}也有住户数据，未导入。请合并到一个工作表，或分别上传。"
        issues.append(file_issue("other_sheets_ignored", message, WARNING))
    return sheet, header, issues
