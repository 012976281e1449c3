"""Reading a roster file into sheets of cell values: an Excel workbook (.xlsx, merged ranges filled in)
or a CSV file in the encodings Excel saves one in (UTF-8 with or without BOM, UTF-16, GBK as GB18030),
with a comma, tab or semicolon between cells. A file that cannot be read is a file-level issue."""

from __future__ import annotations

import csv
import io
import logging
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any, Final

from gridworker_server.roster.report import RosterIssue, file_issue

__all__ = ["MAX_FILE_BYTES", "Rows", "Sheet", "read"]

_log = logging.getLogger(__name__)

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
_MAX_UNZIPPED_BYTES: Final = 200 * 1024 * 1024  # a zip bomb is refused before openpyxl inflates it
_MAX_COLUMNS: Final = 200  # formatting can stretch a sheet to column XFD; rosters have ~20 columns


Rows = list[tuple[int, list[object]]]  # (row number as the user sees it, cell values)


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: Rows
    copied: dict[int, frozenset[int]] = field(default_factory=dict)  # row -> columns holding a merged value


def read(data: bytes, filename: str) -> list[Sheet] | RosterIssue:
    """The file's sheets (a CSV has one), or the file-level reason it cannot be read."""
    if not data or not data.strip():
        return file_issue("empty_file", "文件是空的。")
    if len(data) > MAX_FILE_BYTES:
        return file_issue(
            "file_too_large", f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请按网格或小区拆分后分别上传。"
        )
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    # The content decides before the name: an .xlsx renamed .csv is still a workbook.
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or extension in ("xls", "et"):
        return file_issue(
            "unsupported_file_type", "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 后再上传。"
        )
    if extension in ("xlsx", "xlsm"):
        return file_issue("corrupt_file", "文件已损坏或不是有效的 Excel 工作簿（.xlsx），请用 Excel 打开后重新保存。")
    if extension == "csv":
        return _read_csv(data)
    shown = f".{extension}" if extension else "无扩展名"
    return file_issue(
        "unsupported_file_type", f"不支持的文件类型（{shown}），请上传 Excel 工作簿（.xlsx）或 CSV 文件。"
    )


def _read_xlsx(data: bytes) -> list[Sheet] | RosterIssue:
    corrupt = file_issue("corrupt_file", "文件已损坏或不是有效的 Excel 工作簿（.xlsx），请用 Excel 打开后重新保存。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED_BYTES:
                return file_issue("file_too_large", "文件解压后过大，请按网格或小区拆分后分别上传。")
        import openpyxl  # the app never reads rosters; only the server pays for the import

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and friends: nothing for the user
            # Not read-only: merged ranges are only known to a fully loaded sheet. data_only: a formula's
            # cached value, not its text.
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        return [_sheet_rows(ws) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    except Exception:  # openpyxl raises anything (KeyError, TypeError, ParseError...) on a broken file
        _log.info("unreadable workbook", exc_info=True)
        return corrupt


def _sheet_rows(ws: Any) -> Sheet:
    """A worksheet's values, with every cell of a merged range holding the range's value.

    Excel shows a merged range's value in all its cells, so that is what the user means: a compound
    merged down over a building's rows is every row's compound. Which cells are copies is kept, so
    that a row with nothing of its own still counts as blank.
    """
    max_row = int(ws.max_row or 0)
    max_col = min(int(ws.max_column or 0), _MAX_COLUMNS)
    grid = [list(r) for r in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)]
    copied: dict[int, set[int]] = {}
    for merged in ws.merged_cells.ranges:
        if merged.min_row > len(grid) or merged.min_col > max_col:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for c in range(merged.min_col, min(merged.max_col, max_col) + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    grid[r - 1][c - 1] = value
                    copied.setdefault(r, set()).add(c - 1)
    rows: Rows = [(n, cells) for n, cells in enumerate(grid, start=1)]
    return Sheet(str(ws.title), rows, {r: frozenset(cols) for r, cols in copied.items()})


def _decode(data: bytes) -> str | None:
    """CSV text: UTF-16 (Excel's "Unicode text") by its BOM, else UTF-8 (with or without BOM), else
    GB18030, the superset of the GBK that Chinese Windows' Excel saves CSV in."""
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(data: bytes) -> list[Sheet] | RosterIssue:
    text = _decode(data)
    if text is None:
        return file_issue("encoding_unknown", "无法识别 CSV 文件的编码，请在 Excel 中另存为“CSV UTF-8”后再上传。")
    if "\x00" in text:
        return file_issue("corrupt_file", "文件中有非文本内容，不是 CSV 文件。")
    sample = text[:4096]
    delimiter = max(",\t;", key=lambda d: (sample.count(d), d == ","))
    try:
        rows: Rows = [
            (n, list(cells))
            for n, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
        ]
    except csv.Error:
        return file_issue("corrupt_file", "CSV 文件格式有误，无法读取，请在 Excel 中重新另存为 CSV。")
    return [Sheet("", rows)]
