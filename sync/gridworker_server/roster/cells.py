"""A cell's value as the roster's checks read it: normalised text, an ID number Excel may have turned
into a number, a date written in any of the ways people write one."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Final

from gridworker_shared.domain import validation as v

__all__ = ["cell_text", "compact_text", "id_text", "name_like", "parse_date"]


_EXCEL_FORMULA_TEXT_RE: Final = re.compile(r'^="(.*)"$', re.DOTALL)  # ="3213..." keeps digits as text in CSV


def cell_text(value: object) -> str:
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


def compact_text(value: object) -> str:
    """Text without any whitespace: for codes, numbers and Chinese words (``户 主`` is ``户主``)."""
    return "".join(cell_text(value).split())


_CJK_RE: Final = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def name_like(value: object) -> str:
    """Compound and grid names: whitespace collapsed, and dropped entirely next to Chinese."""
    text = cell_text(value)
    return text.replace(" ", "") if _CJK_RE.search(text) else text


_ID_SCIENTIFIC_RE: Final = re.compile(r"\d+(?:\.\d+)?[eE]\+?\d+")


def id_text(value: object) -> tuple[str | None, bool]:
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
    text = compact_text(value).removeprefix("'")
    if _ID_SCIENTIFIC_RE.fullmatch(text):
        return None, True
    digits = len(text) == 18 and text.isascii() and text.isdigit()
    if digits and text.endswith("000") and v.id_check_char(text[:17]) != text[17]:
        return None, True
    return text, False


_DATE_RE: Final = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_DIGITS_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_EXCEL_EPOCH: Final = date(1899, 12, 30)


def parse_date(value: object) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) from a date cell, ``1990-01-31``/``1990/1/31``/``1990年1月31日``/
    ``19900131``/``1990.01`` text, or an Excel day serial; None if it is none of those."""
    if isinstance(value, datetime | date):
        return value.year, value.month, value.day
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100_000:  # formatted as a number
        when = _EXCEL_EPOCH + timedelta(days=int(value))
        return when.year, when.month, when.day
    text = re.sub(r"\s*([^\d\s])\s*", r"\1", cell_text(value))  # "1990 年 1 月", but not "1990-01-31 08:00"
    match = _DATE_RE.fullmatch(text) or _DATE_DIGITS_RE.fullmatch(text)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    if not 1 <= month <= 12:
        return None
    return year, month, day
