"""Tables to files a supervisor opens in Excel or WPS: xlsx (openpyxl's write-only mode, streamed) and
CSV in UTF-8 with a byte order mark (without it Excel reads the file in the system's ANSI code page and
Chinese turns into mojibake). No Qt here.

Rows come in pages, so nothing holds the whole table: the writer reports progress after each page and
asks whether to stop before the next. The file is written beside its target under a temporary name
and renamed into place at the end, so a cancelled or failed export leaves no partial file and never
spoils an earlier file of the same name.

A cell a spreadsheet would take for a formula (=, +, -, @, and the tab or carriage return some
programs strip before them) gets a leading apostrophe, in both formats: a household's notes are
typed by people, and a note such as ``=HYPERLINK(...)`` must stay text (OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

# Excel's (and WPS's) rows per sheet, the header included; past it a table goes on in a new sheet
EXCEL_MAX_ROWS: Final = 1_048_576
# the characters Excel keeps in one cell; a longer text is cut there rather than failing the file
EXCEL_MAX_CELL: Final = 32_767
FORMATS: Final = ("xlsx", "csv")
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
# control characters XML 1.0 (so xlsx) cannot hold; openpyxl refuses a cell with one
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Cell = str | int | float | None
Row = Sequence[Cell]
Progress = Callable[[int, int], None]  # (rows written, rows in all)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


MSG_DISK_FULL = QT_TRANSLATE_NOOP(
    "exports", "The disk is full: the export was not saved. Free some space and try again."
)
MSG_NO_PERMISSION = QT_TRANSLATE_NOOP(
    "exports",
    "The file {path} cannot be written (no permission, a read-only folder, or the file is open in "
    "another program). Choose another folder or close the file, and try again.",
)
MSG_NO_FOLDER = QT_TRANSLATE_NOOP("exports", "The folder {path} does not exist. Choose another one.")
MSG_WRITE_FAILED = QT_TRANSLATE_NOOP("exports", "The export could not be written to {path}: {error}")
MSG_UNKNOWN_FORMAT = QT_TRANSLATE_NOOP("exports", "Choose a file format: xlsx or csv.")


class ExportError(Exception):
    """A failure the user can act on, with a translatable message (context "exports")."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))


class ExportCancelled(Exception):  # noqa: N818 - a stop the user asked for, not an error
    """The user stopped the export; no file was left behind."""


@dataclass(frozen=True)
class ExportInfo:
    """Who made a file and when (local time), and what it holds: the first row of every sheet (xlsx)
    and of a CSV file. ``personal``: the file holds residents' ID numbers and phones in full (a
    supervisor's choice, gridworker_shared.domain.masking.may_export_personal); the line says so."""

    made_by: str
    made_at: dt.datetime
    description: str = ""
    personal: bool = False

    def line(self) -> str:
        text = f"导出人：{self.made_by}　导出时间：{self.made_at:%Y-%m-%d %H:%M}"
        if self.personal:
            text += "　含个人信息，请妥善保管"
        return f"{text}　{self.description}" if self.description else text


@dataclass(frozen=True)
class Table:
    """What a writer writes: a title (the sheet's name), the header and the rows in pages; ``total``
    the number of rows, for progress (None when the source cannot tell beforehand)."""

    title: str
    headers: Sequence[str]
    pages: Iterable[Sequence[Row]]
    total: int | None = None
    widths: Sequence[int] = ()  # columns' widths in characters (by the header's length when missing)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    sheets: int


def guard(value: Cell) -> Cell:
    """A text a spreadsheet would read as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        if _ILLEGAL_XML.search(value):
            value = _ILLEGAL_XML.sub("", value)
        if len(value) > EXCEL_MAX_CELL:
            value = value[:EXCEL_MAX_CELL]
    return guard(value)


def pages_of(rows: Iterable[Row], size: int = 1000) -> Iterable[list[Row]]:
    """Rows from any iterable, in pages (so a cancel is looked at every ``size`` rows)."""
    page: list[Row] = []
    for row in rows:
        page.append(row)
        if len(page) >= size:
            yield page
            page = []
    if page:
        yield page


class _Run:
    """Progress and cancel of one export."""

    def __init__(self, total: int | None, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self.done = 0
        self.total = total
        self._progress = progress
        self._cancelled = cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled

    def page_done(self, rows: int) -> None:
        self.done += rows
        if self._progress is not None:
            self._progress(self.done, max(self.total or 0, self.done))


def write_table(
    target: Path,
    fmt: str,
    table: Table,
    info: ExportInfo,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    sheet_rows: int = EXCEL_MAX_ROWS,
) -> ExportResult:
    """Write ``table`` to ``target`` as ``fmt`` (xlsx or csv). An xlsx sheet holds at most
    ``sheet_rows`` rows (the info row and the header included); the rows go on in a new sheet with
    the header again. Raises ExportCancelled or ExportError; either way no file is left behind."""
    if fmt not in FORMATS:
        raise ExportError(MSG_UNKNOWN_FORMAT)
    if sheet_rows < 3:
        raise ValueError("a sheet must hold the info row, the header and a row")
    run = _Run(table.total, progress, cancelled)
    run.check()
    target = Path(target)
    temp = _temp_beside(target)
    try:
        if fmt == "xlsx":
            sheets = _write_xlsx(temp, table, info, run, sheet_rows)
        else:
            sheets = _write_csv(temp, table, info, run)
        run.check()
        os.replace(temp, target)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _os_error(exc, target) from exc
        raise
    return ExportResult(target, run.done, sheets)


def _temp_beside(target: Path) -> Path:
    """An empty file in the target's folder (so the final rename is atomic), hidden by its dot."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _os_error(exc, target) from exc
    os.close(fd)
    return Path(name)


def _os_error(exc: OSError, target: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ExportError(MSG_DISK_FULL)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(MSG_NO_PERMISSION, path=str(target))
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return ExportError(MSG_NO_FOLDER, path=str(target.parent))
    return ExportError(MSG_WRITE_FAILED, path=str(target), error=exc.strerror or str(exc))


def _write_csv(temp: Path, table: Table, info: ExportInfo, run: _Run) -> int:
    # utf-8-sig writes the byte order mark; csv quotes a cell holding a comma, a quote or a line break
    with temp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([info.line()])
        writer.writerow(table.headers)
        for page in table.pages:
            run.check()
            writer.writerows([[guard(v) for v in row] for row in page])
            run.page_done(len(page))
    return 1


def _write_xlsx(temp: Path, table: Table, info: ExportInfo, run: _Run, sheet_rows: int) -> int:
    from openpyxl import Workbook  # loaded when a supervisor exports, not at start-up

    wb = Workbook(write_only=True)
    wb.properties.creator = info.made_by
    # the file's properties are in UTC (written with a Z); made_at is the laptop's local time
    wb.properties.created = info.made_at.astimezone(dt.UTC).replace(tzinfo=None)
    wb.properties.title = table.title
    wb.properties.description = info.line()
    try:
        sheets = _fill_workbook(wb, table, info, run, sheet_rows)
        run.check()
        wb.save(temp)
    except BaseException:
        _discard(wb)
        raise
    return sheets


def _fill_workbook(wb: Any, table: Table, info: ExportInfo, run: _Run, sheet_rows: int) -> int:
    headers = list(table.headers)
    sheets = 1
    ws = _new_sheet(wb, table, table.title, 3)
    ws.append([info.line()])
    ws.append(headers)
    used = 2
    for page in table.pages:
        run.check()
        for row in page:
            if used >= sheet_rows:
                sheets += 1
                # every sheet says who made the file and when (a sheet may be printed or sent alone)
                ws = _new_sheet(wb, table, f"{table.title}{sheets}", 3)
                ws.append([info.line()])
                ws.append(headers)
                used = 2
            ws.append([_xlsx_cell(v) for v in row])
            used += 1
        run.page_done(len(page))
    return sheets


def _discard(wb: Any) -> None:
    """A workbook not saved (cancelled, failed): its sheets' rows wait in temporary files that openpyxl
    would otherwise keep until the app quits; close and remove them."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()
            writer.cleanup()
        except (OSError, ValueError):  # already gone, or the disk that failed the export
            pass


def _new_sheet(wb: Any, table: Table, title: str, first_row: int) -> Any:
    """A sheet with its columns' widths and the rows above ``first_row`` (the header) kept in view."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title[:31])  # Excel's limit on a sheet's name
    for i, header in enumerate(table.headers):
        width = table.widths[i] if i < len(table.widths) else 2 * len(header) + 4
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = f"A{first_row}"
    return ws
