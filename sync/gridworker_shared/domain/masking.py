"""Residents' ID numbers and phones masked wherever they are shown, printed or exported (issue 14), and
who may see one in full.

- :func:`mask_id_number`: an 18-character ID number keeps its first 6 characters (the region where it
  was issued) and its last 4: ``110105********1234``. Shorter or odd values keep less, and at least
  half of any value is hidden.
- :func:`mask_phone`: a mobile keeps its first 3 digits and last 4 (``138****5678``); a landline
  written with its area code keeps the code and the last 4 (``0527-****1234``); separators stay.
- :func:`may_reveal`: a worker sees in full the residents of their own grids' households (they call
  and visit them), a station or a supervisor those of their area, an admin everyone; a department
  never (it sees a work order, not the resident's ID number).
- :func:`may_export_personal`: only a supervisor or an admin may export full numbers, and only when
  they ask for it ("include personal data"); every other export is masked.

Standard library only; used by the app and the server alike.
"""

from __future__ import annotations

import unicodedata
from typing import Final, Literal

MASK: Final = "*"
# the roles that may reveal, and over what: their grids (worker), their area (station, supervisor), all
REVEAL_SCOPE: Final[dict[str, Literal["grid", "area", "all"]]] = {
    "worker": "grid",
    "station": "area",
    "supervisor": "area",
    "admin": "all",
}
PERSONAL_EXPORT_ROLES: Final = ("supervisor", "admin")
FIELDS: Final = ("id_number", "phone")
ACTIONS: Final = ("reveal", "export", "print")


def _clean(value: str | None) -> str:
    """NFKC (full-width digits to ASCII), without spaces at either end."""
    if not value:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def mask_id_number(value: str | None) -> str:
    """``110105199001011234`` -> ``110105********1234``. Inner spaces are dropped (as the ID rule
    does). 15 characters or more keep 6 and 4; 8 to 14 keep 2 and 2; 4 to 7 keep the last one; 1 to 3
    are hidden completely; empty stays empty."""
    number = "".join(_clean(value).split())
    n = len(number)
    if n >= 15:
        head, tail = 6, 4
    elif n >= 8:
        head, tail = 2, 2
    elif n >= 4:
        head, tail = 0, 1
    else:
        head, tail = 0, 0
    return number[:head] + MASK * (n - head - tail) + (number[n - tail :] if tail else "")


def mask_phone(value: str | None) -> str:
    """``13812345678`` -> ``138****5678``; ``0527-84361234`` -> ``0527-****1234``; ``+86 138 1234
    5678`` -> ``+86 138 **** 5678``. Letters and digits count; anything else (spaces, dashes, ``+``,
    brackets) is kept where it is. Fewer than 7 characters keep only their last one or two (5 or 6) or
    nothing (4 or fewer)."""
    text = _clean(value)
    positions = [i for i, ch in enumerate(text) if ch.isalnum()]
    n = len(positions)
    if n == 0:
        return text
    if n >= 7:
        tail = 4
        head = _leading_group(text, positions)
        if head is None:
            # +86 / 0086 and then the number: the country code stays, then the number's first 3
            head = 3 + _country_code(text, positions)
        head = min(head, n - tail - 3)  # at least 3 hidden
    elif n >= 5:
        head, tail = 0, 2 if n == 6 else 1
    else:
        head, tail = 0, 0
    hidden = set(positions[head : n - tail])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(text))


def _leading_group(text: str, positions: list[int]) -> int | None:
    """The digits of a landline's area code written apart (``0527-``, ``(010)``), else None."""
    first = positions[0]
    if text[first] != "0":
        return None
    count = 0
    for i in range(first, len(text)):
        if text[i].isalnum():
            count += 1
        else:
            break
    return count if 3 <= count <= 4 and count < len(positions) else None


def _country_code(text: str, positions: list[int]) -> int:
    """How many of the first characters are a country code (+86, 0086) written apart from the number."""
    start = positions[0]
    if (start > 0 and text[start - 1] == "+") or text[start : start + 2] == "00":
        count = 0
        for i in range(start, len(text)):
            if not text[i].isalnum():
                break
            count += 1
        if count < len(positions) - 7:
            return count
    return 0


def mask(field: str, value: str | None) -> str:
    """The masked form of ``field`` (``id_number`` or ``phone``)."""
    if field == "id_number":
        return mask_id_number(value)
    if field == "phone":
        return mask_phone(value)
    raise ValueError(f"no mask for {field!r}")


def may_reveal(role: str, *, in_own_scope: bool) -> bool:
    """Whether ``role`` may see a resident's ID number or phone in full. ``in_own_scope``: the household
    is in the user's grids (a worker) or area (a station, a supervisor). An admin may see any; a
    department, or an unknown role, none."""
    scope = REVEAL_SCOPE.get(role)
    if scope is None:
        return False
    return scope == "all" or in_own_scope


def may_export_personal(role: str) -> bool:
    """Whether ``role`` may choose to export ID numbers and phones in full (otherwise masked)."""
    return role in PERSONAL_EXPORT_ROLES


__all__ = [
    "ACTIONS",
    "FIELDS",
    "MASK",
    "PERSONAL_EXPORT_ROLES",
    "REVEAL_SCOPE",
    "mask",
    "mask_id_number",
    "mask_phone",
    "may_export_personal",
    "may_reveal",
]
