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

The steps, one module each: :mod:`.read` (the file into sheets of cells), :mod:`.header` (which column
holds what), :mod:`.rows` (each row read and checked; :mod:`.cells` and :mod:`.address` read the values),
:mod:`.households` (rows grouped into households), :mod:`.report` (the issues, their codes, and the dry
run's shape) and :mod:`.parse` (the steps in order). They are pure (no database, no web framework), so
that the server's dry run, its import and the tests all see the same answer. :mod:`.importing` writes a
parsed roster into a grid's households; this package does not load it, nor the database with it.
"""

from __future__ import annotations

from gridworker_server.roster.header import HEADER_SEARCH_ROWS
from gridworker_server.roster.parse import MAX_DATA_ROWS, parse_roster
from gridworker_server.roster.read import MAX_FILE_BYTES
from gridworker_server.roster.report import (
    ERROR,
    WARNING,
    RosterHousehold,
    RosterIssue,
    RosterMember,
    RosterReport,
    RowOutcome,
)

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
