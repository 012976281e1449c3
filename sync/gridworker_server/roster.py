"""Household rosters (户籍/住户花名册) as communities really keep them: read, check, group; never store.

A community hands the server its roster as an Excel workbook (.xlsx) or a CSV file: one row per resident,
the rows of a household next to each other. Real rosters are messy, and every mess here was seen in
one: title rows above the header, a two-row header, merged cells (a compound name merged down over a
whole building, an address merged over a household's rows, or written only on the head's row), ID
numbers that Excel turned into numbers and so cut to 15 significant digits, full-width digits, stray
and non-breaking spaces, duplicated rows, totals and signature rows at the bottom, CSV files in UTF-8 or
GBK. :func:`parse_roster` turns the bytes into a :class:`RosterReport`: the households that can be
imported as they are, and for every row what was wrong with it, in Chinese, pointing at the row and the
column the user sees in Excel. It never raises: a file it cannot read is a file-level issue.

The module is pure (no database, no web framework) so that the server's dry run, its import and the tests
all see the same answer. ID numbers and phone numbers are checked by :mod:`gridworker_shared.domain.validation`,
the same rules as the app's own forms; relation and care-tag codes are those of
:mod:`gridworker_shared.domain.codes`.

Issue codes (stable; the server and its clients may switch on them):

* file level, errors: ``empty_file``, ``file_too_large``, ``unsupported_file_type``, ``corrupt_file``,
  ``encoding_unknown``, ``header_not_found``, ``missing_column``, ``too_many_rows``, ``no_data``,
  ``internal_error``; warnings: ``duplicate_column``, ``other_sheets_ignored``.
* skipped rows (warnings): ``totals_row``, ``note_row``, ``repeated_header``; ``duplicate_row`` for a row
  that repeats another exactly (status "duplicate").
* row errors: ``name_missing``, ``name_invalid``, ``relation_missing``, ``sex_invalid``, ``sex_mismatch``,
  ``id_lost_digits``, ``id_old_15``, ``id_invalid``, ``duplicate_id``, ``birth_date_invalid``,
  ``birth_date_mismatch``, ``phone_invalid``, ``address_missing``, ``address_unparsed``,
  ``address_incomplete``, ``value_too_long``, ``household_conflict``, ``missing_head``, ``multiple_heads``,
  ``household_invalid`` (the row is fine, another row of its household is not).
* row warnings: ``relation_unknown`` (imported as "other"), ``id_missing``, ``id_numeric_cell``,
  ``birth_date_partial``, ``phone_multiple``, ``floor_invalid``, ``tag_unknown``.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from gridworker_shared.domain import validation as v
from gridworker_shared.domain.codes import CARE_TAGS, RELATIONS

__all__ = [
    "ERROR",
    "HEADER_SEARCH_ROWS",
    "MAX_DATA_ROWS",
    "MAX_FILE_BYTES",
    "WARNING",
    "RosterHousehold",
    "RosterIssue",
    "RosterMember",
    "RosterReport",
    "RowOutcome",
    "parse_roster",
]

_log = logging.getLogger(__name__)

ERROR: Final = "error"
WARNING: Final = "warning"

HEADER_SEARCH_ROWS: Final = 10  # title rows above the header are common; a header lower than this is not
MAX_DATA_ROWS: Final = 50_000  # a whole street's residents; more is a mistake or an attack
MAX_FILE_BYTES: Final = 20 * 1024 * 1024
_MAX_UNZIPPED_BYTES: Final = 200 * 1024 * 1024  # a zip bomb is refused before openpyxl inflates it
_MAX_COLUMNS: Final = 200  # formatting can stretch a sheet to column XFD; rosters have ~20 columns
# The server's column sizes (sync/server/models.py): a longer value is refused here, not by PostgreSQL.
_MAX_LENGTHS: Final = {"household_no": 50, "grid": 100, "compound": 100, "building": 16, "unit": 16, "room": 16}


# --- Public types ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterIssue:
    """One problem, where the user sees it: row number and header text as in Excel or the CSV."""

    row: int | None  # 1-based row as the user sees it; None for the file as a whole
    column: str  # header text as in the file; "" for a row-level or file-level issue
    code: str  # stable machine code, e.g. "id_lost_digits"
    message: str  # a Chinese sentence without the row prefix
    severity: str  # ERROR: the row (or file) cannot be imported; WARNING: it can

    def describe(self) -> str:
        """The issue as one line for a person, e.g. ``第5行 身份证号：校验码不符……``."""
        where = " ".join(part for part in (f"第{self.row}行" if self.row is not None else "", self.column) if part)
        return f"{where}：{self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class RosterMember:
    name: str
    relation: str  # a code of codes.RELATIONS
    sex: str  # "male", "female" or "" (not given and no ID number to derive it from)
    birth_date: date | None
    id_number: str  # normalised 18 characters, or "" when the roster has none for this person
    phone: str  # normalised by validation.validate_phone, or ""
    row: int

    def to_dict(self, *, mask_ids: bool = True) -> dict[str, object]:
        return {
            "name": self.name,
            "relation": self.relation,
            "sex": self.sex,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "id_number": v.mask_id_number(self.id_number) if mask_ids else self.id_number,
            "phone": self.phone,
            "row": self.row,
        }


@dataclass(frozen=True)
class RosterHousehold:
    key: str  # 户号 when the roster has one, else the normalised address "compound/building/unit/room"
    grid: str  # raw grid code or name as written; "" when the roster has no grid column
    compound: str
    building: str  # "3" for 3栋 / 3幢 / 3号楼
    unit: str  # "2" for 2单元; "" for buildings without units
    floor: int | None
    room: str
    phone: str  # the head's phone, else the first member's
    tags: tuple[str, ...]  # codes of codes.CARE_TAGS, in that order
    notes: str
    members: tuple[RosterMember, ...]
    rows: tuple[int, ...]

    @property
    def head_name(self) -> str:
        return next((m.name for m in self.members if m.relation == "head"), "")

    def to_dict(self, *, mask_ids: bool = True) -> dict[str, object]:
        return {
            "key": self.key,
            "grid": self.grid,
            "compound": self.compound,
            "building": self.building,
            "unit": self.unit,
            "floor": self.floor,
            "room": self.room,
            "phone": self.phone,
            "tags": list(self.tags),
            "notes": self.notes,
            "head_name": self.head_name,
            "members": [m.to_dict(mask_ids=mask_ids) for m in self.members],
            "rows": list(self.rows),
        }


@dataclass(frozen=True)
class RowOutcome:
    row: int
    status: str  # "ok", "invalid", "duplicate" or "skipped"
    household_key: str  # "" when the row belongs to no household (skipped, or no address)
    issues: tuple[RosterIssue, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "status": self.status,
            "household_key": self.household_key,
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True)
class RosterReport:
    households: tuple[RosterHousehold, ...]  # only households whose every row is valid
    rows: tuple[RowOutcome, ...]  # every non-blank row below the header, in file order
    issues: tuple[RosterIssue, ...]  # file-level issues first, then row issues in row order
    header_row: int | None  # the header's last row (data starts below it); None if not found

    @property
    def ok(self) -> bool:
        """No error at all: everything in the file can be imported."""
        return not any(i.severity == ERROR for i in self.issues)

    def to_dict(self, *, mask_ids: bool = True) -> dict[str, object]:
        """JSON-ready, for the API's dry run. ID numbers are masked unless asked otherwise: the answer
        may be logged or cached, and the user who uploaded the file has the numbers already."""
        statuses = [r.status for r in self.rows]
        return {
            "ok": self.ok,
            "header_row": self.header_row,
            "summary": {
                "households": len(self.households),
                "members": sum(len(h.members) for h in self.households),
                "rows_ok": statuses.count("ok"),
                "rows_invalid": statuses.count("invalid"),
                "rows_duplicate": statuses.count("duplicate"),
                "rows_skipped": statuses.count("skipped"),
                "errors": sum(i.severity == ERROR for i in self.issues),
                "warnings": sum(i.severity == WARNING for i in self.issues),
            },
            "households": [h.to_dict(mask_ids=mask_ids) for h in self.households],
            "rows": [r.to_dict() for r in self.rows],
            "issues": [i.to_dict() for i in self.issues],
        }


def parse_roster(data: bytes, filename: str, *, today: date | None = None) -> RosterReport:
    """Read a roster (.xlsx or .csv) and check every row; never raises.

    ``today`` bounds birth dates (none in the future); tests pass a fixed day.
    """
    try:
        return _parse(data, filename, today or date.today())
    except Exception:  # the server must answer with a report, whatever the bytes; the log keeps the bug
        _log.exception("roster %r could not be parsed", filename)
        return _file_report([_file_issue("internal_error", "读取文件时出现内部错误，请联系管理员。")])


# --- Messages ------------------------------------------------------------------------------------

# validation.py's templates are English (the app translates them with Qt); the server has no Qt, so the
# Simplified Chinese the app shows is repeated here (a test keeps the two in step with the .ts file).
_VALIDATION_ZH: Final[dict[str, str]] = {
    v.MSG_ID_EMPTY: "请输入身份证号。",
    v.MSG_ID_LENGTH: "身份证号应为 18 位，当前为 {length} 位。",
    v.MSG_ID_OLD_15: "这是旧的 15 位身份证号，请输入 18 位身份证号。",
    v.MSG_ID_FORMAT: "身份证号应为 17 位数字，最后一位为数字或 X。",
    v.MSG_ID_PROVINCE: "身份证号不能以 {code} 开头，前两位应为省份代码。",
    v.MSG_ID_BIRTH_DATE_INVALID: "身份证号中的出生日期（{date}）不是有效日期。",
    v.MSG_ID_BIRTH_DATE_TOO_EARLY: "身份证号中的出生日期（{date}）早于 1900 年。",
    v.MSG_ID_BIRTH_DATE_FUTURE: "身份证号中的出生日期（{date}）晚于今天。",
    v.MSG_ID_CHECKSUM: "校验码不符，应为 {expected}。请检查号码是否输错。",
    v.MSG_PHONE_EMPTY: "请输入电话号码。",
    v.MSG_PHONE_INVALID: "请输入 11 位手机号（13x–19x）或固定电话，例如 0527-84361234。",
    v.MSG_MOBILE_LENGTH: "手机号应为 11 位，当前为 {length} 位。",
    v.MSG_MOBILE_PREFIX: "手机号应以 13 至 19 开头，当前以 {prefix} 开头。",
    v.MSG_MOBILE_NOT_DIGITS: "手机号只能填写数字，不能包含“{char}”。",
    v.MSG_LANDLINE_CHARS: "固定电话只能包含数字、空格、短横线和括号，不能包含“{char}”。",
    v.MSG_LANDLINE_AREA_CODE: "区号 {area_code} 无效；区号应为 0 后跟 2 或 3 位数字。",
    v.MSG_LANDLINE_LOCAL_LENGTH: "固定电话区号后应为 7 或 8 位数字，当前为 {length} 位。",
    v.MSG_LANDLINE_LOCAL_START: "固定电话号码（区号之后）应以 2～9 开头；以 0 或 1 开头的是区号、手机号或服务号码。",
    v.MSG_LANDLINE_EXTENSION: "分机号应为 1 至 6 位数字，例如 0527-84361234-123。",
    v.MSG_NAME_EMPTY: "请输入姓名。",
    v.MSG_NAME_TOO_LONG: "姓名最多 {max_length} 个字，当前为 {length} 个字。",
    v.MSG_NAME_CHAR: "姓名只能包含汉字、英文字母和间隔号（·），不能包含“{char}”。",
    v.MSG_NAME_DOT: "间隔号（·）只能用在姓名的两部分之间。",
    v.MSG_BIRTH_DATE_EMPTY: "请输入出生日期。",
    v.MSG_BIRTH_DATE_TOO_EARLY: "出生日期 {date} 早于 1900 年。",
    v.MSG_BIRTH_DATE_FUTURE: "出生日期 {date} 晚于今天。",
}

MSG_ID_LOST_DIGITS: Final = "身份证号被Excel存为数字，末尾数字已丢失，请将该列设为文本后重新录入。"
MSG_ID_NUMERIC_CELL: Final = "身份证号存成了数字格式，再用 Excel 编辑保存会丢失末尾数字，建议将该列设为文本。"


def _zh(error: v.ValidationError) -> str:
    """The Chinese text of a validation error (English only if a new template has no Chinese yet)."""
    template = _VALIDATION_ZH.get(error.template)
    return template.format(**error.params) if template else error.message


def _rows_text(rows: Iterable[int]) -> str:
    """``5、7、9``: rows listed the way a Chinese sentence lists them."""
    return "、".join(str(r) for r in rows)


def _file_issue(code: str, message: str, severity: str = ERROR) -> RosterIssue:
    return RosterIssue(None, "", code, message, severity)


def _file_report(issues: Sequence[RosterIssue], header_row: int | None = None) -> RosterReport:
    return RosterReport((), (), tuple(issues), header_row)


# --- Columns ---------------------------------------------------------------------------------------

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
_LABELS: Final[dict[str, str]] = {name: aliases[0] for name, aliases in _ALIASES.items()}
_PLACE_FIELDS: Final = ("household_no", "grid", "compound", "building", "unit", "floor", "room", "address")


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
class _Column:
    index: int
    header: str  # as in the file, whitespace collapsed


@dataclass(frozen=True)
class _Header:
    row: int  # the header's last row
    columns: dict[str, tuple[_Column, ...]]  # field -> its columns, left to right

    def header(self, name: str) -> str:
        columns = self.columns.get(name)
        return columns[0].header if columns else ""

    def has(self, name: str) -> bool:
        return name in self.columns


def _field_of(value: object) -> str | None:
    return _FIELD_BY_ALIAS.get(_header_key(value)) if isinstance(value, str) else None


def _header_text(value: object) -> str:
    return " ".join(str(value).split())


def _row_fields(cells: Sequence[object]) -> dict[int, str]:
    return {i: name for i, cell in enumerate(cells) if (name := _field_of(cell)) is not None}


def _find_header(rows: Sequence[tuple[int, list[object]]]) -> _Header | None:
    """The header among the first rows: the row (or pair of rows) naming the most distinct fields.

    A two-row header (``地址`` merged over ``小区 楼栋 单元 房号`` below it) is read as one: the lower
    row's names win, the upper row's fill its gaps. Ties go to a single row, then the earlier one.
    """
    window = [(n, cells) for n, cells in rows if n <= HEADER_SEARCH_ROWS]
    best: tuple[int, int, dict[int, tuple[str, str]]] | None = None  # (score, last row, index -> field, text)
    for position, (number, cells) in enumerate(window):
        upper = {i: (name, _header_text(cells[i])) for i, name in _row_fields(cells).items()}
        candidates = [upper]
        if position + 1 < len(window) and window[position + 1][0] == number + 1:
            lower_cells = window[position + 1][1]
            lower = {i: (name, _header_text(lower_cells[i])) for i, name in _row_fields(lower_cells).items()}
            if len(lower) >= 2:
                candidates.append({**upper, **lower})
        for offset, mapping in enumerate(candidates):
            score = len({name for name, _ in mapping.values()})
            if score >= 2 and (best is None or score > best[0]):
                best = (score, number + offset, mapping)
    if best is None:
        return None
    columns: dict[str, list[_Column]] = {}
    for index in sorted(best[2]):
        name, text = best[2][index]
        columns.setdefault(name, []).append(_Column(index, text))
    return _Header(best[1], {name: tuple(cols) for name, cols in columns.items()})


def _column_issues(header: _Header) -> list[RosterIssue]:
    """Missing required columns (errors) and fields named by two columns (a warning)."""
    issues: list[RosterIssue] = []
    if not header.has("name") and not header.has("head_name"):
        issues.append(_file_issue("missing_column", "缺少“姓名”列。"))
    if not header.has("address"):
        missing = [_LABELS[f] for f in ("compound", "building", "room") if not header.has(f)]
        if missing:
            names = "、".join(f"“{m}”" for m in missing)
            issues.append(
                _file_issue(
                    "missing_column",
                    f"缺少地址列：请提供“地址”列，或“小区”“楼栋”“房号”三列（现在缺少{names}）。",
                )
            )
    if header.has("name") and not header.has("relation"):
        issues.append(_file_issue("missing_column", "缺少“与户主关系”列，无法确定每户的户主。"))
    for name, columns in header.columns.items():
        if len(columns) > 1:
            texts = "、".join(f"“{c.header}”" for c in columns)
            issues.append(
                _file_issue(
                    "duplicate_column",
                    f"{texts}都是{_LABELS[name]}列，每行取第一个非空的值。",
                    WARNING,
                )
            )
    return issues


# --- Reading the file ----------------------------------------------------------------------------

_Rows = list[tuple[int, list[object]]]  # (row number as the user sees it, cell values)


@dataclass(frozen=True)
class _Sheet:
    title: str
    rows: _Rows
    copied: dict[int, frozenset[int]] = field(default_factory=dict)  # row -> columns holding a merged value


def _read(data: bytes, filename: str) -> list[_Sheet] | RosterIssue:
    """The file's sheets (a CSV has one), or the file-level reason it cannot be read."""
    if not data or not data.strip():
        return _file_issue("empty_file", "文件是空的。")
    if len(data) > MAX_FILE_BYTES:
        return _file_issue(
            "file_too_large", f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请按网格或小区拆分后分别上传。"
        )
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    # The content decides before the name: an .xlsx renamed .csv is still a workbook.
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or extension in ("xls", "et"):
        return _file_issue(
            "unsupported_file_type", "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 后再上传。"
        )
    if extension in ("xlsx", "xlsm"):
        return _file_issue("corrupt_file", "文件已损坏或不是有效的 Excel 工作簿（.xlsx），请用 Excel 打开后重新保存。")
    if extension == "csv":
        return _read_csv(data)
    shown = f".{extension}" if extension else "无扩展名"
    return _file_issue(
        "unsupported_file_type", f"不支持的文件类型（{shown}），请上传 Excel 工作簿（.xlsx）或 CSV 文件。"
    )


def _read_xlsx(data: bytes) -> list[_Sheet] | RosterIssue:
    corrupt = _file_issue("corrupt_file", "文件已损坏或不是有效的 Excel 工作簿（.xlsx），请用 Excel 打开后重新保存。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED_BYTES:
                return _file_issue("file_too_large", "文件解压后过大，请按网格或小区拆分后分别上传。")
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


def _sheet_rows(ws: Any) -> _Sheet:
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
    rows: _Rows = [(n, cells) for n, cells in enumerate(grid, start=1)]
    return _Sheet(str(ws.title), rows, {r: frozenset(cols) for r, cols in copied.items()})


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


def _read_csv(data: bytes) -> list[_Sheet] | RosterIssue:
    text = _decode(data)
    if text is None:
        return _file_issue("encoding_unknown", "无法识别 CSV 文件的编码，请在 Excel 中另存为“CSV UTF-8”后再上传。")
    if "\x00" in text:
        return _file_issue("corrupt_file", "文件中有非文本内容，不是 CSV 文件。")
    sample = text[:4096]
    delimiter = max(",\t;", key=lambda d: (sample.count(d), d == ","))
    try:
        rows: _Rows = [
            (n, list(cells))
            for n, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
        ]
    except csv.Error:
        return _file_issue("corrupt_file", "CSV 文件格式有误，无法读取，请在 Excel 中重新另存为 CSV。")
    return [_Sheet("", rows)]


# --- Cell values -----------------------------------------------------------------------------------

_EXCEL_FORMULA_TEXT_RE: Final = re.compile(r'^="(.*)"$', re.DOTALL)  # ="3213..." keeps digits as text in CSV


def _text(value: object) -> str:
    """A cell as normalised text: NFKC (full-width to ASCII), whitespace collapsed, numbers unexponented."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    text = v.normalize_text(str(value))
    match = _EXCEL_FORMULA_TEXT_RE.match(text)
    return v.normalize_text(match.group(1)) if match else text


def _compact(value: object) -> str:
    """Text without any whitespace: for codes, numbers and Chinese words (``户 主`` is ``户主``)."""
    return "".join(_text(value).split())


_CJK_RE: Final = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _name_like(value: object) -> str:
    """Compound and grid names: whitespace collapsed, and dropped entirely next to Chinese."""
    text = _text(value)
    return text.replace(" ", "") if _CJK_RE.search(text) else text


# --- Addresses -------------------------------------------------------------------------------------

_CN_DIGITS: Final = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


def _cn_number(text: str) -> str:
    """``三`` → ``3``, ``十二`` → ``12``, ``二十`` → ``20`` (building and unit numbers up to 99)."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return text
    if "十" not in text:
        return "".join(str(_CN_DIGITS[ch]) for ch in text)
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return text
    return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))


def _part(value: object, suffix: str) -> str:
    """A building, unit or room number as the app stores it: ``第3栋`` → ``3``, ``二单元`` → ``2``,
    ``0502室`` → ``502``."""
    text = re.sub(f"(?:{suffix})$", "", _compact(value).removeprefix("第"))
    text = _cn_number(text).upper()
    return str(int(text)) if text.isascii() and text.isdigit() else text


_BUILDING_SUFFIX: Final = "号楼|栋|幢|座|号|楼"
_UNIT_SUFFIX: Final = "单元"
_ROOM_SUFFIX: Final = "室|号|房"
_NUM: Final = r"[0-9A-Za-z零〇一二两三四五六七八九十]+"
_ADDRESS_RE: Final = re.compile(
    rf"(?P<compound>.+?)第?(?P<building>{_NUM})(?:{_BUILDING_SUFFIX})"
    rf"(?:第?(?P<unit>{_NUM}){_UNIT_SUFFIX})?"
    rf"(?P<room>[0-9A-Za-z]+)(?:{_ROOM_SUFFIX})?"
)
_ADDRESS_DASH_RE: Final = re.compile(
    r"(?P<compound>.*?[^0-9A-Za-z-])(?P<building>[0-9A-Za-z]+)-(?:(?P<unit>[0-9]+)-)?(?P<room>[0-9]+)(?:室|号)?"
)
_DASHES: Final = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63"), "-")
_ADMIN_PREFIX_RE: Final = re.compile(r"^.*(?:街道办事处|街道|社区居委会|居委会|社区|村委会)")


@dataclass(frozen=True)
class _Address:
    compound: str
    building: str
    unit: str
    room: str
    floor: int | None

    @property
    def key(self) -> str:
        return f"{self.compound}/{self.building}/{self.unit}/{self.room}"

    def same_place(self, other: _Address) -> bool:
        return self.key == other.key


def _floor_from_room(room: str) -> int | None:
    """Room numbers carry their floor: 502 → 5, 1203 → 12; anything else says nothing."""
    digits = room.split("-")[0]
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (3, 4):
        return None
    return int(digits[:-2]) or None


def _split_address(text: str) -> _Address | None:
    """``幸福小区3栋2单元502室``, ``幸福小区3幢2单元502``, ``幸福里3-2-502`` → its parts; None if it has none.

    Street and community names in front (``幸福街道古城社区幸福小区…``) are dropped: the compound is
    what follows the last of them. Province and city names go with them.
    """
    compact = "".join(text.split()).translate(_DASHES)
    match = _ADDRESS_RE.fullmatch(compact) or _ADDRESS_DASH_RE.fullmatch(compact)
    if match is None:
        return None
    compound = match.group("compound")
    stripped = _ADMIN_PREFIX_RE.sub("", compound)
    compound = stripped or compound
    room = _part(match.group("room"), _ROOM_SUFFIX)
    return _Address(
        compound=compound,
        building=_part(match.group("building"), _BUILDING_SUFFIX),
        unit=_part(match.group("unit") or "", _UNIT_SUFFIX),
        room=room,
        floor=_floor_from_room(room),
    )


_FLOOR_RE: Final = re.compile(r"第?(-?\d{1,3})(?:层|楼|F)?", re.IGNORECASE)


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
_ID_SCIENTIFIC_RE: Final = re.compile(r"\d+(?:\.\d+)?[eE]\+?\d+")


@dataclass
class _Line:
    """A data row while it is being checked."""

    row: int
    place: dict[str, str]
    signature: tuple[str, ...]
    issues: list[RosterIssue] = field(default_factory=list)
    address: _Address | None = None
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


class _RowReader:
    """Reads one sheet's rows below the header into lines and skipped-row outcomes."""

    def __init__(self, header: _Header, today: date) -> None:
        self.header = header
        self.today = today
        self.fields = tuple(header.columns)
        self.mapped = frozenset(c.index for cols in header.columns.values() for c in cols)

    # -- cells

    def cell(self, cells: Sequence[object], name: str) -> object:
        """The field's value: from its first column with a value (two phone columns: the first filled)."""
        for column in self.header.columns.get(name, ()):
            if column.index < len(cells) and _text(cells[column.index]):
                return cells[column.index]
        return None

    def column(self, cells: Sequence[object], name: str) -> str:
        """The header text of the column the field's value came from (its first column if none)."""
        for column in self.header.columns.get(name, ()):
            if column.index < len(cells) and _text(cells[column.index]):
                return column.header
        return self.header.header(name)

    def issue(
        self, line: _Line, cells: Sequence[object], name: str, code: str, message: str, severity: str = ERROR
    ) -> None:
        column = self.column(cells, name) if name else ""
        line.issues.append(RosterIssue(line.row, column, code, message, severity))

    # -- classification

    def skip_reason(self, cells: Sequence[object]) -> tuple[str, str] | None:
        """Why a non-blank row is not a resident: a totals, title, signature or repeated header row."""
        values = [_text(c) for c in cells]
        filled = [(i, t) for i, t in enumerate(values) if t]
        firsts = ["".join(t.split()) for _, t in filled[:3]]
        if any(t.startswith(_TOTALS_WORDS) for t in firsts):
            return "totals_row", "合计行，已跳过。"
        if len(_row_fields(cells)) >= 3:
            return "repeated_header", "重复的表头行，已跳过。"
        if len(filled) >= 3 and len({t for _, t in filled}) == 1:  # one value merged across the row
            return "note_row", "这一行不是住户数据（标题、说明或签名等），已跳过。"
        name = _text(self.cell(cells, "name") or self.cell(cells, "head_name"))
        if not name and all(_COUNT_RE.fullmatch(t) for _, t in filled):
            return "totals_row", "合计行，已跳过。"
        if not any(i in self.mapped for i, _ in filled):
            return "note_row", "这一行不是住户数据（标题、说明或签名等），已跳过。"
        return None

    def is_silent_blank(self, cells: Sequence[object], copied: frozenset[int]) -> bool:
        """Blank, or only a running number in an unmapped column (序号 pre-filled in a template), or only
        the values of ranges merged down from the rows above."""
        filled = [(i, _text(c)) for i, c in enumerate(cells) if _text(c) and i not in copied]
        return all(i not in self.mapped and t.isdigit() for i, t in filled)

    # -- a data row

    def place(self, cells: Sequence[object], previous: _Line | None) -> dict[str, str]:
        """The household-level cells; a row that writes no room or 户号 continues the row above it.

        Rosters often write the address (or 户号) on the head's row only and leave it blank on the
        members' rows below, or merge only some of the columns.
        """
        place = {
            name: (
                _name_like(self.cell(cells, name)) if name in ("grid", "compound") else _compact(self.cell(cells, name))
            )
            for name in _PLACE_FIELDS
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

    def read(self, number: int, cells: Sequence[object], previous: _Line | None) -> _Line:
        place = self.place(cells, previous)
        member = tuple(_compact(self.cell(cells, f)) for f in self.fields if f not in _PLACE_FIELDS)
        line = _Line(number, place, tuple(place.values()) + member)
        self.read_address(line, cells)
        self.check_lengths(line, cells)
        self.read_person(line, cells)
        self.read_extras(line, cells)
        return line

    def read_address(self, line: _Line, cells: Sequence[object]) -> None:
        place = line.place
        parts = ("compound", "building", "room")
        if all(place[p] for p in parts):
            room = _part(place["room"], _ROOM_SUFFIX)
            line.address = _Address(
                compound=place["compound"],
                building=_part(place["building"], _BUILDING_SUFFIX),
                unit=_part(place["unit"], _UNIT_SUFFIX),
                room=room,
                floor=_floor_from_room(room),
            )
        elif place["address"]:
            line.address = _split_address(place["address"])
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
            names = "、".join(self.header.header(p) or _LABELS[p] for p in missing)
            self.issue(line, cells, missing[0], "address_incomplete", f"地址不完整：未填写{names}。")
        else:
            line.address_blank = True
            if not place["household_no"]:
                self.issue(
                    line, cells, "address" if self.header.has("address") else "room", "address_missing", "未填写地址。"
                )
        if line.address is not None and place["floor"]:
            self.read_floor(line, cells)

    def check_lengths(self, line: _Line, cells: Sequence[object]) -> None:
        values = {"household_no": line.place["household_no"], "grid": line.place["grid"]}
        if line.address is not None:
            a = line.address
            values |= {"compound": a.compound, "building": a.building, "unit": a.unit, "room": a.room}
        for name, value in values.items():
            limit = _MAX_LENGTHS[name]
            if len(value) > limit:
                message = f"{_LABELS[name]}过长（{len(value)} 个字），最多 {limit} 个字。"
                self.issue(line, cells, name if self.header.has(name) else "address", "value_too_long", message)

    def read_floor(self, line: _Line, cells: Sequence[object]) -> None:
        assert line.address is not None
        match = _FLOOR_RE.fullmatch(line.place["floor"])
        if match is None:
            message = f"无法识别楼层“{line.place['floor']}”，已按房号推算。"
            self.issue(line, cells, "floor", "floor_invalid", message, WARNING)
            return
        floor = int(match.group(1))
        line.address = _Address(
            line.address.compound, line.address.building, line.address.unit, line.address.room, floor
        )

    def read_person(self, line: _Line, cells: Sequence[object]) -> None:
        self.read_name(line, cells)
        self.read_id(line, cells)
        self.read_sex(line, cells)
        self.read_birth_date(line, cells)

    def read_name(self, line: _Line, cells: Sequence[object]) -> None:
        name_field = "name" if self.header.has("name") else "head_name"
        raw = _text(self.cell(cells, name_field))
        if not raw:
            self.issue(line, cells, name_field, "name_missing", "未填写姓名。")
        else:
            try:
                line.name = v.validate_person_name(raw)
            except v.ValidationError as error:
                self.issue(line, cells, name_field, "name_invalid", _zh(error))
        if name_field == "head_name":  # a list of heads only (户主姓名, no 与户主关系)
            line.relation = "head"
            return
        word = _compact(self.cell(cells, "relation"))
        if not word:
            self.issue(line, cells, "relation", "relation_missing", "未填写与户主关系。")
            return
        line.relation = _relation(word)
        if line.relation is None:
            line.relation = "other"
            self.issue(line, cells, "relation", "relation_unknown", f"无法识别的关系“{word}”，按“其他”导入。", WARNING)

    def read_id(self, line: _Line, cells: Sequence[object]) -> None:
        if not self.header.has("id_number"):
            return
        value = self.cell(cells, "id_number")
        if value is None:
            self.issue(line, cells, "id_number", "id_missing", "未填写身份证号。", WARNING)
            return
        text, numeric = _id_text(value)
        if text is None:
            self.issue(line, cells, "id_number", "id_lost_digits", MSG_ID_LOST_DIGITS)
            return
        try:
            line.id_number = v.validate_id_number(text, today=self.today)
        except v.ValidationError as error:
            code = "id_old_15" if error.template == v.MSG_ID_OLD_15 else "id_invalid"
            self.issue(line, cells, "id_number", code, _zh(error))
            return
        if numeric:
            self.issue(line, cells, "id_number", "id_numeric_cell", MSG_ID_NUMERIC_CELL, WARNING)

    def read_sex(self, line: _Line, cells: Sequence[object]) -> None:
        word = _compact(self.cell(cells, "sex")).casefold()
        from_id = v.id_sex(line.id_number) if line.id_number else ""
        if not word:
            line.sex = from_id
            return
        sex = _SEX_BY_WORD.get(word)
        if sex is None:
            self.issue(
                line, cells, "sex", "sex_invalid", f"性别应填“男”或“女”，现在是“{_text(self.cell(cells, 'sex'))}”。"
            )
            line.sex = from_id
        elif from_id and sex != from_id:
            said = "男" if from_id == v.SEX_MALE else "女"
            self.issue(line, cells, "sex", "sex_mismatch", f"身份证号显示为{said}性，请核对性别或号码。")
        else:
            line.sex = sex

    def read_birth_date(self, line: _Line, cells: Sequence[object]) -> None:
        value = self.cell(cells, "birth_date")
        from_id = v.id_birth_date(line.id_number) if line.id_number else None
        line.birth_date = from_id
        if value is None:
            return
        parsed = _parse_date(value)
        if parsed is None:
            message = f"无法识别出生日期“{_text(value)}”，请按 1990-01-31 的格式填写。"
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
            self.issue(line, cells, "birth_date", "birth_date_invalid", _zh(error))
        except ValueError:
            message = f"出生日期“{_text(value)}”不是有效日期。"
            self.issue(line, cells, "birth_date", "birth_date_invalid", message)

    def read_extras(self, line: _Line, cells: Sequence[object]) -> None:
        self.read_phone(line, cells)
        self.read_tags(line, cells)
        line.notes = _text(self.cell(cells, "notes"))

    def read_phone(self, line: _Line, cells: Sequence[object]) -> None:
        raw = _text(self.cell(cells, "phone"))
        numbers = [p for p in _PHONE_SPLIT_RE.split(raw) if p.strip()]
        phones: list[str] = []
        for number in numbers:
            try:
                phones.append(v.validate_phone(number.removeprefix("'")))
            except v.ValidationError as error:
                self.issue(line, cells, "phone", "phone_invalid", _zh(error))
                return
        if phones:
            line.phone = phones[0]
        if len(phones) > 1:
            message = f"填写了 {len(phones)} 个号码，只导入第一个（{phones[0]}）。"
            self.issue(line, cells, "phone", "phone_multiple", message, WARNING)

    def read_tags(self, line: _Line, cells: Sequence[object]) -> None:
        tags: list[str] = []
        for word in _TAG_SPLIT_RE.split(_text(self.cell(cells, "tags"))):
            if not word or word in _NO_TAG:
                continue
            code = _TAG_BY_WORD.get(word) or _TAG_BY_WORD.get(word.casefold())
            if code is None:
                self.issue(line, cells, "tags", "tag_unknown", f"无法识别的人员类别“{word}”，已忽略。", WARNING)
            elif code not in tags:
                tags.append(code)
        line.tags = tuple(tags)


def _id_text(value: object) -> tuple[str | None, bool]:
    """An ID cell as text, and whether Excel held it as a number; None as text: digits were lost.

    Excel keeps 15 significant digits, so an 18-digit number reaches us as 3.21302199001011e+17 (or,
    exported to CSV, as 3.21302E+17 or 321302199001011000): the last digits are gone and no check
    character can bring them back.
    """
    if isinstance(value, float) and not isinstance(value, bool):
        if math.isfinite(value) and abs(value) >= 1e15:
            return None, True
        return (str(int(value)) if math.isfinite(value) and value.is_integer() else repr(value)), True
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return (None if len(text) >= 16 and text.endswith("000") else text), len(text) >= 16
    text = _compact(value).removeprefix("'")
    if _ID_SCIENTIFIC_RE.fullmatch(text):
        return None, True
    digits = len(text) == 18 and text.isascii() and text.isdigit()
    if digits and text.endswith("000") and v.id_check_char(text[:17]) != text[17]:
        return None, True
    return text, False


_DATE_RE: Final = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_DIGITS_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_EXCEL_EPOCH: Final = date(1899, 12, 30)


def _parse_date(value: object) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) from a date cell, ``1990-01-31``/``1990/1/31``/``1990年1月31日``/
    ``19900131``/``1990.01`` text, or an Excel day serial; None if it is none of those."""
    if isinstance(value, datetime | date):
        return value.year, value.month, value.day
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100_000:  # formatted as a number
        when = _EXCEL_EPOCH + timedelta(days=int(value))
        return when.year, when.month, when.day
    text = re.sub(r"\s*([^\d\s])\s*", r"\1", _text(value))  # "1990 年 1 月", but not "1990-01-31 08:00"
    match = _DATE_RE.fullmatch(text) or _DATE_DIGITS_RE.fullmatch(text)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    if not 1 <= month <= 12:
        return None
    return year, month, day


# --- Households ------------------------------------------------------------------------------------


def _mark_duplicates(lines: Sequence[_Line]) -> None:
    """Exact duplicates (same values in every column, after normalising) are counted once."""
    first: dict[tuple[str, ...], int] = {}
    for line in lines:
        original = first.setdefault(line.signature, line.row)
        if original != line.row:
            line.duplicate_of = original
            message = f"与第{original}行完全相同，只计一次。"
            # Whatever is wrong with it is said once, at the row it repeats.
            line.issues = [RosterIssue(line.row, "", "duplicate_row", message, WARNING)]


def _check_same_ids(lines: Sequence[_Line], header: _Header) -> None:
    """One ID number, two different rows: which one is right is for a person to say, so neither."""
    rows_by_id: dict[str, list[_Line]] = {}
    for line in lines:
        if line.id_number and line.duplicate_of is None:
            rows_by_id.setdefault(line.id_number, []).append(line)
    column = header.header("id_number")
    for same in rows_by_id.values():
        for line in same if len(same) > 1 else ():
            others = _rows_text(o.row for o in same if o is not line)
            message = f"身份证号与第{others}行相同，但其他信息不一致，请核对是否重复登记。"
            line.issues.append(RosterIssue(line.row, column, "duplicate_id", message, ERROR))


def _group(lines: Sequence[_Line]) -> dict[str, list[_Line]]:
    """Lines by household: 户号 where written, else the address."""
    groups: dict[str, list[_Line]] = {}
    for line in lines:
        line.key = line.place["household_no"] or (line.address.key if line.address else "")
        if line.key and line.duplicate_of is None:
            groups.setdefault(line.key, []).append(line)
    return groups


def _settle_place(group: Sequence[_Line], header: _Header) -> _Address | None:
    """The household's address and grid must be the same on all its rows (blank rows take them)."""
    anchor = next((line for line in group if line.address is not None), None)
    grid_anchor = next((line for line in group if line.place["grid"]), None)
    for line in group:
        if anchor is None:
            if line.address_blank:
                line.issues.append(
                    RosterIssue(
                        line.row,
                        header.header("address") or header.header("room"),
                        "address_missing",
                        "本户各行都没有填写地址。",
                        ERROR,
                    )
                )
            continue
        if line.address is None and line.address_blank:
            line.address = anchor.address
        elif line.address is not None and anchor.address is not None and not line.address.same_place(anchor.address):
            column = header.header("address") or header.header("room")
            _conflict(line, anchor, "地址", line.address.key, anchor.address.key, column)
        if grid_anchor is not None and line.place["grid"] not in ("", grid_anchor.place["grid"]):
            _conflict(line, grid_anchor, "网格", line.place["grid"], grid_anchor.place["grid"], header.header("grid"))
    return anchor.address if anchor is not None else None


def _conflict(line: _Line, anchor: _Line, what: str, mine: str, theirs: str, column: str) -> None:
    message = f"与同户第{anchor.row}行的{what}不一致（“{mine}”与“{theirs}”）。"
    line.issues.append(RosterIssue(line.row, column, "household_conflict", message, ERROR))


def _check_heads(group: Sequence[_Line], header: _Header) -> None:
    column = header.header("relation") or header.header("head_name")
    heads = [line for line in group if line.relation == "head"]
    if not heads:
        for line in group:
            message = "本户没有户主：请在“与户主关系”中把一人填为“户主”。"
            line.issues.append(RosterIssue(line.row, column, "missing_head", message, ERROR))
    elif len(heads) > 1:
        for line in heads:
            message = f"本户有 {len(heads)} 位户主（第{_rows_text(h.row for h in heads)}行），每户只能有一位户主。"
            line.issues.append(RosterIssue(line.row, column, "multiple_heads", message, ERROR))


def _household(key: str, group: Sequence[_Line], address: _Address) -> RosterHousehold:
    members = tuple(
        RosterMember(
            line.name, line.relation or "other", line.sex, line.birth_date, line.id_number, line.phone, line.row
        )
        for line in group
    )
    head = next(line for line in group if line.relation == "head")
    phone = head.phone or next((line.phone for line in group if line.phone), "")
    tags = {tag for line in group for tag in line.tags}
    notes: list[str] = []
    for line in group:
        # A note merged over the household's rows is the household's; one on a member's row is theirs.
        note = line.notes if line is head else f"{line.name}：{line.notes}"
        if line.notes and line.notes not in notes and note not in notes:
            notes.append(note)
    return RosterHousehold(
        key=key,
        grid=next((line.place["grid"] for line in group if line.place["grid"]), ""),
        compound=address.compound,
        building=address.building,
        unit=address.unit,
        floor=address.floor,
        room=address.room,
        phone=phone,
        tags=tuple(t.code for t in CARE_TAGS if t.code in tags),
        notes="；".join(notes),
        members=members,
        rows=tuple(line.row for line in group),
    )


def _households(lines: Sequence[_Line], header: _Header) -> list[RosterHousehold]:
    households: list[RosterHousehold] = []
    for key, group in _group(lines).items():
        address = _settle_place(group, header)
        _check_heads(group, header)
        bad = [line.row for line in group if line.has_error]
        if bad:
            for line in group:
                if not line.has_error:
                    message = f"同户第{_rows_text(bad)}行有错误，整户暂不能导入。"
                    line.issues.append(RosterIssue(line.row, "", "household_invalid", message, ERROR))
        elif address is not None:
            households.append(_household(key, group, address))
    return households


# --- The whole file --------------------------------------------------------------------------------


def _choose_sheet(sheets: Sequence[_Sheet]) -> tuple[_Sheet, _Header, list[RosterIssue]] | None:
    """The first visible sheet with a header; the others with one are named in a warning."""
    found = [(sheet, header) for sheet in sheets if (header := _find_header(sheet.rows)) is not None]
    if not found:
        return None
    sheet, header = found[0]
    issues: list[RosterIssue] = []
    others = [s.title for s, h in found[1:] if any(_text(c) for n, cells in s.rows if n > h.row for c in cells)]
    if others:
        names = "、".join(f"“{t}”" for t in others)
        message = f"只导入了工作表“{sheet.title}”；工作表{names}也有住户数据，未导入。请合并到一个工作表，或分别上传。"
        issues.append(_file_issue("other_sheets_ignored", message, WARNING))
    return sheet, header, issues


def _parse(data: bytes, filename: str, today: date) -> RosterReport:
    sheets = _read(data, filename)
    if isinstance(sheets, RosterIssue):
        return _file_report([sheets])
    chosen = _choose_sheet(sheets)
    if chosen is None:
        message = f"在前 {HEADER_SEARCH_ROWS} 行中没有找到表头（如“姓名”“与户主关系”“身份证号”“地址”等列名）。"
        return _file_report([_file_issue("header_not_found", message)])
    sheet, header, file_issues = chosen
    file_issues += _column_issues(header)
    if any(i.severity == ERROR for i in file_issues):
        return _file_report(file_issues, header.row)
    body = [(n, cells) for n, cells in sheet.rows if n > header.row]
    if sum(1 for _, cells in body if any(_text(c) for c in cells)) > MAX_DATA_ROWS:
        message = f"数据超过 {MAX_DATA_ROWS} 行，请按网格或小区拆分后分别上传。"
        return _file_report([*file_issues, _file_issue("too_many_rows", message)], header.row)

    reader = _RowReader(header, today)
    lines: list[_Line] = []
    skipped: list[RowOutcome] = []
    previous: _Line | None = None
    for number, cells in body:
        if reader.is_silent_blank(cells, sheet.copied.get(number, frozenset())):
            previous = None
            continue
        reason = reader.skip_reason(cells)
        if reason is not None:
            issue = RosterIssue(number, "", reason[0], reason[1], WARNING)
            skipped.append(RowOutcome(number, "skipped", "", (issue,)))
            previous = None
            continue
        line = reader.read(number, cells, previous)
        lines.append(line)
        previous = line
    if not lines:
        file_issues.append(_file_issue("no_data", "表头下面没有住户数据。"))

    _mark_duplicates(lines)
    _check_same_ids(lines, header)
    households = _households(lines, header)
    return _report(households, lines, skipped, file_issues, header.row)


def _status(line: _Line) -> str:
    if line.duplicate_of is not None:
        return "duplicate"
    return "invalid" if line.has_error else "ok"


def _report(
    households: Sequence[RosterHousehold],
    lines: Sequence[_Line],
    skipped: Sequence[RowOutcome],
    file_issues: Sequence[RosterIssue],
    header_row: int,
) -> RosterReport:
    outcomes = [RowOutcome(line.row, _status(line), line.key, tuple(line.issues)) for line in lines]
    rows = sorted([*outcomes, *skipped], key=lambda o: o.row)
    issues = [*file_issues, *(issue for outcome in rows for issue in outcome.issues)]
    return RosterReport(tuple(households), tuple(rows), tuple(issues), header_row)
