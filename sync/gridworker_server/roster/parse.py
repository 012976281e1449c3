"""A roster file to its report, step by step: read the file (:mod:`.read`), find the header
(:mod:`.header`), read and check the rows (:mod:`.rows`), group them into households (:mod:`.households`)
and report (:mod:`.report`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath
from typing import Final

from gridworker_server.roster.cells import cell_text
from gridworker_server.roster.header import HEADER_SEARCH_ROWS, Header, choose_sheet, column_issues
from gridworker_server.roster.households import group_households
from gridworker_server.roster.read import Sheet, read
from gridworker_server.roster.report import (
    ERROR,
    WARNING,
    RosterHousehold,
    RosterIssue,
    RosterReport,
    RowOutcome,
    file_issue,
    file_report,
)
from gridworker_server.roster.rows import Line, RowReader

__all__ = ["MAX_DATA_ROWS", "parse_roster"]

_log = logging.getLogger(__name__)

MAX_DATA_ROWS: Final = 50_000  # a whole street's residents; more is a mistake or an attack


def parse_roster(data: bytes, filename: str, *, today: date | None = None) -> RosterReport:
    """Read a roster (.xlsx or .csv) and check every row; never raises.

    ``today`` bounds birth dates (none in the future); tests pass a fixed day.
    """
    try:
        return _parse(data, filename, today or date.today())
    except Exception:  # the server must answer with a report, whatever the bytes; the log keeps the bug
        # not its name: a roster may be named after its households
        _log.exception("a roster (%s, %d bytes) could not be parsed", PurePath(filename).suffix.lower(), len(data))
        return file_report([file_issue("internal_error", "读取文件时出现内部错误，请联系管理员。")])


def _parse(data: bytes, filename: str, today: date) -> RosterReport:
    sheets = read(data, filename)
    if isinstance(sheets, RosterIssue):
        return file_report([sheets])
    chosen = choose_sheet(sheets)
    if chosen is None:
        message = f"在前 {HEADER_SEARCH_ROWS} 行中没有找到表头（如“姓名”“与户主关系”“身份证号”“地址”等列名）。"
        return file_report([file_issue("header_not_found", message)])
    sheet, header, file_issues = chosen
    file_issues += column_issues(header)
    if any(i.severity == ERROR for i in file_issues):
        return file_report(file_issues, header.row)
    body = [(n, cells) for n, cells in sheet.rows if n > header.row]
    if sum(1 for _, cells in body if any(cell_text(c) for c in cells)) > MAX_DATA_ROWS:
        message = f"数据超过 {MAX_DATA_ROWS} 行，请按网格或小区拆分后分别上传。"
        return file_report([*file_issues, file_issue("too_many_rows", message)], header.row)

    lines, skipped = _read_rows(sheet, header, body, today)
    if not lines:
        file_issues.append(file_issue("no_data", "表头下面没有住户数据。"))
    households = group_households(lines, header)
    return _report(households, lines, skipped, file_issues, header.row)


def _read_rows(
    sheet: Sheet, header: Header, body: Sequence[tuple[int, list[object]]], today: date
) -> tuple[list[Line], list[RowOutcome]]:
    """The data rows as lines, and the rows skipped as no resident's; blank rows are neither."""
    reader = RowReader(header, today)
    lines: list[Line] = []
    skipped: list[RowOutcome] = []
    previous: Line | None = None
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
    return lines, skipped


def _status(line: Line) -> str:
    if line.duplicate_of is not None:
        return "duplicate"
    return "invalid" if line.has_error else "ok"


def _report(
    households: Sequence[RosterHousehold],
    lines: Sequence[Line],
    skipped: Sequence[RowOutcome],
    file_issues: Sequence[RosterIssue],
    header_row: int,
) -> RosterReport:
    outcomes = [RowOutcome(line.row, _status(line), line.key, tuple(line.issues)) for line in lines]
    rows = sorted([*outcomes, *skipped], key=lambda o: o.row)
    issues = [*file_issues, *(issue for outcome in rows for issue in outcome.issues)]
    return RosterReport(tuple(households), tuple(rows), tuple(issues), header_row)
