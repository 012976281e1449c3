"""Household rosters built the way communities make them: .xlsx workbooks (title rows, merged cells,
numbers where text belongs) and CSV files in the encodings Excel saves."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import openpyxl

from tests.helpers.build import id_number

Cell = str | int | float | dt.date | dt.datetime | None

HEADER = (
    "序号",
    "姓名",
    "与户主关系",
    "性别",
    "身份证号",
    "联系电话",
    "小区",
    "楼栋",
    "单元",
    "房号",
    "人员类别",
    "备注",
)


def resident_id(born: dt.date, sex: str, seq: int = 1, area: str = "321302") -> str:
    """A valid 18-character ID number (GB 11643 check character from validation.id_check_char)."""
    return id_number(area, born, seq, sex)


def xlsx_bytes(
    rows: Sequence[Sequence[Cell]],
    merges: Sequence[str] = (),
    sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]] = (),
    hidden: Sequence[str] = (),
) -> bytes:
    """A workbook whose first sheet holds ``rows`` from A1 (None: an empty cell), with the given ranges
    (``"A1:L1"``) merged the way Excel merges them (only the top-left cell keeps a value); further
    ``sheets`` follow, ``hidden`` names sheets to hide."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "花名册"
    _fill(first, rows, merges)
    for title, sheet_rows in sheets:
        sheet = workbook.create_sheet(title)
        _fill(sheet, sheet_rows, ())
        if title in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fill(sheet: object, rows: Sequence[Sequence[Cell]], merges: Sequence[str]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)  # type: ignore[attr-defined]
    for cells in merges:
        sheet.merge_cells(cells)  # type: ignore[attr-defined]


def replace_in_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with bytes of its first sheet's XML replaced: to write what openpyxl never writes
    (an 18-digit integer ``<v>`` such as another tool may save)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in content, (old, content[-400:])
                content = content.replace(old, new)
            target.writestr(info, content)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """CSV as Excel saves it: CRLF line ends, in the given encoding (``utf-8-sig`` has the BOM)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return text.getvalue().encode(encoding)
