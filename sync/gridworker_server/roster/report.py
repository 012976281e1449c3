"""The roster's report: every issue where the user sees it, the households that can be imported, each
row's outcome, and the shape (with its counts) that the server's dry run answers with.

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
  ``same_name_without_id`` (no ID number, and another row of the household has the same name),
  ``household_invalid`` (the row is fine, another row of its household is not).
* row warnings: ``relation_unknown`` (imported as "other"), ``id_missing`` (blank, or ``无``, ``暂无``,
  ``/``: imported without one), ``id_numeric_cell``, ``birth_date_partial``, ``phone_multiple``,
  ``floor_invalid``, ``tag_unknown``.

An issue's ``params`` carry what its message says, for a client that words it itself: ``missing_column``
has ``missing`` (``name``, ``address`` or ``relation``), ``expected`` (field -> accepted header texts)
and ``found`` (the header's texts as written); ``sex_mismatch`` has ``sex`` (the column's) and ``id_sex``
(the ID number's 17th digit's); ``id_missing`` has ``written`` when the cell says there is none;
``same_name_without_id`` has ``rows``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from gridworker_shared.domain import validation as v

__all__ = [
    "ERROR",
    "WARNING",
    "RosterHousehold",
    "RosterIssue",
    "RosterMember",
    "RosterReport",
    "RowOutcome",
    "file_issue",
    "file_report",
    "rows_text",
]

ERROR: Final = "error"
WARNING: Final = "warning"


@dataclass(frozen=True)
class RosterIssue:
    """One problem, where the user sees it: row number and header text as in Excel or the CSV."""

    row: int | None  # 1-based row as the user sees it; None for the file as a whole
    column: str  # header text as in the file; "" for a row-level or file-level issue
    code: str  # stable machine code, e.g. "id_lost_digits"
    message: str  # a Chinese sentence without the row prefix
    severity: str  # ERROR: the row (or file) cannot be imported; WARNING: it can
    # what the message says, for a client that words it itself (e.g. missing_column: what was expected
    # and what the header has); JSON-ready; empty for most codes
    params: dict[str, object] = field(default_factory=dict, hash=False)

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
            "params": self.params,
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


def rows_text(rows: Iterable[int]) -> str:
    """``5、7、9``: rows listed the way a Chinese sentence lists them."""
    return "、".join(str(r) for r in rows)


def file_issue(
    code: str, message: str, severity: str = ERROR, *, params: dict[str, object] | None = None
) -> RosterIssue:
    return RosterIssue(None, "", code, message, severity, params or {})


def file_report(issues: Sequence[RosterIssue], header_row: int | None = None) -> RosterReport:
    return RosterReport((), (), tuple(issues), header_row)
