"""Rows into households: exact duplicates counted once, one ID number on two different rows refused,
the rows grouped by 户号 (else by address), each household's address and grid the same on all its rows,
one head per household, a resident without an ID number told apart by their name. A household is
imported whole or not at all."""

from __future__ import annotations

from collections.abc import Sequence

from gridworker_server.roster.address import Address
from gridworker_server.roster.header import Header
from gridworker_server.roster.report import ERROR, WARNING, RosterHousehold, RosterIssue, RosterMember, rows_text
from gridworker_server.roster.rows import Line
from gridworker_shared.domain.codes import CARE_TAGS

__all__ = ["group_households"]


def _mark_duplicates(lines: Sequence[Line]) -> None:
    """Exact duplicates (same values in every column, after normalising) are counted once."""
    first: dict[tuple[str, ...], int] = {}
    for line in lines:
        original = first.setdefault(line.signature, line.row)
        if original != line.row:
            line.duplicate_of = original
            message = f"与第{original}行完全相同，只计一次。"
            # Whatever is wrong with it is said once, at the row it repeats.
            line.issues = [RosterIssue(line.row, "", "duplicate_row", message, WARNING)]


def _check_same_ids(lines: Sequence[Line], header: Header) -> None:
    """One ID number, two different rows: which one is right is for a person to say, so neither."""
    rows_by_id: dict[str, list[Line]] = {}
    for line in lines:
        if line.id_number and line.duplicate_of is None:
            rows_by_id.setdefault(line.id_number, []).append(line)
    column = header.header("id_number")
    for same in rows_by_id.values():
        for line in same if len(same) > 1 else ():
            others = rows_text(o.row for o in same if o is not line)
            message = f"身份证号与第{others}行相同，但其他信息不一致，请核对是否重复登记。"
            line.issues.append(RosterIssue(line.row, column, "duplicate_id", message, ERROR))


def _group(lines: Sequence[Line]) -> dict[str, list[Line]]:
    """Lines by household: 户号 where written, else the address."""
    groups: dict[str, list[Line]] = {}
    for line in lines:
        line.key = line.place["household_no"] or (line.address.key if line.address else "")
        if line.key and line.duplicate_of is None:
            groups.setdefault(line.key, []).append(line)
    return groups


def _settle_place(group: Sequence[Line], header: Header) -> Address | None:
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


def _conflict(line: Line, anchor: Line, what: str, mine: str, theirs: str, column: str) -> None:
    message = f"与同户第{anchor.row}行的{what}不一致（“{mine}”与“{theirs}”）。"
    line.issues.append(RosterIssue(line.row, column, "household_conflict", message, ERROR))


def _check_heads(group: Sequence[Line], header: Header) -> None:
    column = header.header("relation") or header.header("head_name")
    heads = [line for line in group if line.relation == "head"]
    if not heads:
        for line in group:
            message = "本户没有户主：请在“与户主关系”中把一人填为“户主”。"
            line.issues.append(RosterIssue(line.row, column, "missing_head", message, ERROR))
    elif len(heads) > 1:
        for line in heads:
            message = f"本户有 {len(heads)} 位户主（第{rows_text(h.row for h in heads)}行），每户只能有一位户主。"
            line.issues.append(RosterIssue(line.row, column, "multiple_heads", message, ERROR))


def _check_names_without_id(group: Sequence[Line], header: Header) -> None:
    """A resident without an ID number is known by their name in the household (a later import matches
    them by it): another row of the household with the same name makes the row nobody's, so it waits."""
    column = header.header("name") or header.header("head_name")
    for line in group:
        same = [other.row for other in group if other is not line and line.name and other.name == line.name]
        if same and not line.id_number:
            message = (
                f"与同户第{rows_text(same)}行同名，又没有身份证号，无法区分是否同一人，请补填身份证号或删去重复行。"
            )
            line.issues.append(RosterIssue(line.row, column, "same_name_without_id", message, ERROR, {"rows": same}))


def _household(key: str, group: Sequence[Line], address: Address) -> RosterHousehold:
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


def group_households(lines: Sequence[Line], header: Header) -> list[RosterHousehold]:
    """The households whose every row is valid; the issues found on the way go to the rows' lines."""
    _mark_duplicates(lines)
    _check_same_ids(lines, header)
    households: list[RosterHousehold] = []
    for key, group in _group(lines).items():
        address = _settle_place(group, header)
        _check_heads(group, header)
        _check_names_without_id(group, header)
        bad = [line.row for line in group if line.has_error]
        if bad:
            for line in group:
                if not line.has_error:
                    message = f"同户第{rows_text(bad)}行有错误，整户暂不能导入。"
                    line.issues.append(RosterIssue(line.row, "", "household_invalid", message, ERROR))
        elif address is not None:
            households.append(_household(key, group, address))
    return households
