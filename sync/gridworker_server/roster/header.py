"""The header: which row names the columns, and which field each column holds.

Communities name the same column many ways (``身份证号``, ``公民身份号码``, ``* 身份证号码（18位）``), put
title rows above the header or split it over two rows, and some workbooks hold more than one sheet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from gridworker_server.roster.cells import cell_text
from gridworker_server.roster.read import Sheet
from gridworker_server.roster.report import WARNING, RosterIssue, file_issue

__all__ = [
    "HEADER_SEARCH_ROWS",
    "LABELS",
    "PLACE_FIELDS",
    "Column",
    "Header",
    "choose_sheet",
    "column_issues",
    "find_header",
    "row_fields",
]

HEADER_SEARCH_ROWS: Final = 10  # title rows above the header are common; a header lower than this is not


# Field names, and the header texts communities use for them (matched after _header_key).
_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "grid": ("网格", "所属网格", "网格名称", "网格编码", "网格编号", "网格号"),
    "compound": ("小区", "小区名称", "小区名", "住宅小区", "居住小区", "自然村/小区", "小区/自然村", "自然村"),
    "building": ("楼栋", "楼号", "幢", "栋", "楼栋号", "幢号", "栋号", "楼幢", "楼幢号"),
    "unit": ("单元", "单元号"),
    "floor": ("楼层", "层", "所在楼层"),
    "room": ("房号", "门牌号", "室", "房间号", "房间", "室号", "户室号"),
    "address": ("地址", "住址", "详细地址", "现住址", "居住地址", "家庭住址", "现居住地址"),
    "household_no": ("户号", "户编号", "户编码"),
    "name": ("姓名", "居民姓名", "人员姓名", "成员姓名"),
    "head_name": ("户主姓名",),
    "relation": ("与户主关系", "关系", "与户主的关系", "家庭关系"),
    "sex": ("性别",),
    "id_number": ("身份证号", "公民身份号码", "身份证号码", "证件号码", "身份证", "证件号"),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "生日"),
    "phone": ("联系电话", "手机号", "电话", "联系方式", "手机", "手机号码", "电话号码"),
    "tags": ("标签", "人员类别", "人员类型", "特殊人群", "重点人群", "人群类别"),
    "notes": ("备注", "备注说明"),
}
LABELS: Final[dict[str, str]] = {name: aliases[0] for name, aliases in _ALIASES.items()}
PLACE_FIELDS: Final = ("household_no", "grid", "compound", "building", "unit", "floor", "room", "address")


def _header_key(text: str) -> str:
    """Header text reduced to what identifies it: ``* 身份证号\\n(18位)`` → ``身份证号``.

    Templates mark required columns with ``*``, add hints in brackets and break long headers over two
    lines; people type full-width spaces to align them.
    """
    key = unicodedata.normalize("NFKC", text)
    key = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", key)
    key = re.sub(r"[\s*:：]", "", key)
    return key.casefold()


_FIELD_BY_ALIAS: Final[dict[str, str]] = {
    _header_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases
}


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as in the file, whitespace collapsed


@dataclass(frozen=True)
class Header:
    row: int  # the header's last row
    columns: dict[str, tuple[Column, ...]]  # field -> its columns, left to right

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
    best: tuple[int, int, dict[int, tuple[str, str]]] | None = None  # (score, last row, index -> field, text)
    for position, (number, cells) in enumerate(window):
        upper = {i: (name, _header_text(cells[i])) for i, name in row_fields(cells).items()}
        candidates = [upper]
        if position + 1 < len(window) and window[position + 1][0] == number + 1:
            lower_cells = window[position + 1][1]
            lower = {i: (name, _header_text(lower_cells[i])) for i, name in row_fields(lower_cells).items()}
            if len(lower) >= 2:
                candidates.append({**upper, **lower})
        for offset, mapping in enumerate(candidates):
            score = len({name for name, _ in mapping.values()})
            if score >= 2 and (best is None or score > best[0]):
                best = (score, number + offset, mapping)
    if best is None:
        return None
    columns: dict[str, list[Column]] = {}
    for index in sorted(best[2]):
        name, text = best[2][index]
        columns.setdefault(name, []).append(Column(index, text))
    return Header(best[1], {name: tuple(cols) for name, cols in columns.items()})


def column_issues(header: Header) -> list[RosterIssue]:
    """Missing required columns (errors) and fields named by two columns (a warning)."""
    issues: list[RosterIssue] = []
    if not header.has("name") and not header.has("head_name"):
        issues.append(file_issue("missing_column", "缺少“姓名”列。"))
    if not header.has("address"):
        missing = [LABELS[f] for f in ("compound", "building", "room") if not header.has(f)]
        if missing:
            names = "、".join(f"“{m}”" for m in missing)
            issues.append(
                file_issue(
                    "missing_column",
                    f"缺少地址列：请提供“地址”列，或“小区”“楼栋”“房号”三列（现在缺少{names}）。",
                )
            )
    if header.has("name") and not header.has("relation"):
        issues.append(file_issue("missing_column", "缺少“与户主关系”列，无法确定每户的户主。"))
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
