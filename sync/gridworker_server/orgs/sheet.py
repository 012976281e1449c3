"""A spreadsheet as rows of named fields: the file read by the roster's reader (xlsx, CSV in UTF-8 with
or without BOM, UTF-16 or GB18030), the header found among the first rows by the usual spellings of each
column, blank rows skipped."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from gridworker_server.orgs.report import ImportReport
from gridworker_server.roster.cells import cell_text
from gridworker_server.roster.read import Sheet, read
from gridworker_shared.domain import validation as v

__all__ = ["MAX_ROWS", "Row", "read_rows"]

MAX_ROWS: Final = 20000
_SEARCH_ROWS: Final = 10
_HINT_RE: Final = re.compile(r"[(（\[【].*?[)）\]】]")
_MARKS_RE: Final = re.compile(r"[\s*★:：_\-]")


@dataclass(frozen=True)
class Row:
    number: int  # as the user sees it
    values: dict[str, str]  # field -> cell text ("" when blank or the column is absent)
    columns: dict[str, str]  # field -> header text as written (for messages)


def header_key(text: str) -> str:
    """``* 统计代码（12位）`` → ``统计代码``: hints, marks and spaces gone, NFKC, case folded."""
    return _MARKS_RE.sub("", _HINT_RE.sub("", v.normalize_text(text))).casefold()


def _match(cells: Sequence[object], spellings: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    keys = {header_key(s): name for name, options in spellings.items() for s in options}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = keys.get(header_key(cell_text(cell)))
        if name is not None and name not in found:
            found[name] = index
    return found


def read_rows(
    data: bytes,
    filename: str,
    spellings: Mapping[str, tuple[str, ...]],
    required: Sequence[str],
    report: ImportReport,
) -> list[Row]:
    """The data rows under the header; a file-level problem goes into ``report`` (and no rows)."""
    sheets = read(data, filename)
    if not isinstance(sheets, list):
        report.file_error(sheets.code, sheets.message)
        return []
    best: tuple[Sheet, int, dict[str, int]] | None = None
    for sheet in sheets:
        for position, (_, cells) in enumerate(sheet.rows[:_SEARCH_ROWS]):
            found = _match(cells, spellings)
            if all(f in found for f in required) and (best is None or len(found) > len(best[2])):
                best = (sheet, position, found)
    if best is None:
        expected = {f: list(spellings[f]) for f in required}
        report.file_error(
            "header_not_found",
            "找不到表头：需要这些列 " + "、".join(spellings[f][0] for f in required) + "。",
            expected=expected,
        )
        return []
    sheet, position, found = best
    header_cells = sheet.rows[position][1]
    columns = {f: cell_text(header_cells[i]) for f, i in found.items()}
    rows: list[Row] = []
    for number, cells in sheet.rows[position + 1 :]:
        values = {f: (cell_text(cells[i]) if i < len(cells) else "") for f, i in found.items()}
        if not any(values.values()):
            continue
        rows.append(Row(number, {f: values.get(f, "") for f in spellings}, columns))
    if len(rows) > MAX_ROWS:
        report.file_error("too_many_rows", f"超过 {MAX_ROWS} 行，请拆分后分别导入。", max=MAX_ROWS)
        return []
    if not rows:
        report.file_error("no_data", "表头下面没有数据行。")
    return rows
