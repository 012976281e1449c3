"""What a contact card says, without Qt: the person on it, the vCard 3.0 its QR code holds and the
short numeric fallback code printed under the QR code.

The vCard is what a phone camera offers to save as a contact, so it is kept small (no photo: the
payload decides the QR version, and a smaller version has bigger modules on a 90 x 54 mm card)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Final

TITLE: Final = "网格员"
CRLF: Final = "\r\n"

# Two-character surnames (复姓) common enough to appear on a roster. A name of two characters is a
# one-character surname and a one-character given name even when the pair is on this list (司马 as a
# whole name is 司 + 马: nobody is called by a surname alone).
COMPOUND_SURNAMES: Final = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
        "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "百里", "呼延", "澹台", "单于", "太史",
        "申屠", "万俟", "闻人", "司空", "钟离", "赫连", "淳于", "濮阳", "公冶", "宗政", "拓跋", "第五",
    }
)  # fmt: skip

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_SPACES = re.compile(r"[\s\u3000]+")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
FALLBACK_MODULUS: Final = 10**7


@dataclass(frozen=True)
class CardPerson:
    """The worker a card is for. ``photo`` is the bytes of a JPEG or PNG file, or None."""

    worker_id: uuid.UUID
    name: str
    phone: str
    grid_name: str
    community_name: str
    service_hours: str
    line: str
    photo: bytes | None = None


@dataclass(frozen=True)
class CardTarget:
    """One card to print: for a household (None for a spare card) and its address, printed small on
    the card when the job asks for addresses, so the worker knows where the card goes."""

    household_id: uuid.UUID | None
    address: str = ""


def escape(value: str) -> str:
    """A vCard 3.0 text value (RFC 2426 section 5): backslash, comma, semicolon and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def split_name(name: str) -> tuple[str, str]:
    """(family name, given name). A Chinese name: the first character, or the first two for a
    compound surname (欧阳建国 -> 欧阳, 建国). A name with a middle dot (买买提·艾力, transliterated
    names) has no family name in that sense: all of it is the given name. A Latin-script name: the
    last word is the family name (as contacts apps expect for "Anna Li")."""
    name = name.strip()
    if not name:
        return "", ""
    if "·" in name or "•" in name or "・" in name:
        return "", name
    if _HAN.match(name):
        if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
            return name[:2], name[2:]
        return name[0], name[1:].strip()
    words = name.split()
    if len(words) == 1:
        return words[0], ""
    return words[-1], " ".join(words[:-1])


def note(p: CardPerson) -> str:
    """The NOTE: service hours, then the card's line, one per line (either may be empty)."""
    parts = []
    if p.service_hours.strip():
        parts.append(f"服务时间：{p.service_hours.strip()}")
    if p.line.strip():
        parts.append(p.line.strip())
    return "\n".join(parts)


def vcard(p: CardPerson) -> str:
    """The vCard 3.0 a card's QR code holds: name, mobile phone, community and grid, title, note.
    Lines end with CRLF; lines are not folded (phone readers do not need it and it costs bytes)."""
    family, given = split_name(p.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{escape(family)};{escape(given)};;;",
        f"FN:{escape(p.name.strip())}",
        f"TEL;TYPE=CELL:{escape(_SPACES.sub('', p.phone))}",
        f"ORG:{escape(p.community_name.strip())};{escape(p.grid_name.strip())}",
        f"TITLE:{TITLE}",
    ]
    if text := note(p):
        lines.append(f"NOTE:{escape(text)}")
    lines.append("END:VCARD")
    return CRLF.join(lines) + CRLF


def luhn_check_digit(digits: str) -> str:
    """The digit that makes ``digits`` + it pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # doubled: the rightmost of the payload is next to the check digit
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def luhn_valid(digits: str) -> bool:
    return luhn_check_digit(digits[:-1]) == digits[-1]


def fallback_code(worker_id: uuid.UUID) -> str:
    """The short code printed under the QR code, for a resident whose phone cannot scan: seven digits
    from the worker's id and a Luhn check digit (which catches any one mistyped digit and most swaps
    of neighbours), shown in two groups of four: ``1234 5678``."""
    body = f"{worker_id.int % FALLBACK_MODULUS:07d}"
    code = body + luhn_check_digit(body)
    return f"{code[:4]} {code[4:]}"


def check_fallback_code(code: str) -> bool:
    """Whether ``code`` is a well-formed fallback code (eight digits, spaces anywhere, check digit right)."""
    digits = _SPACES.sub("", code)
    return bool(_EIGHT_DIGITS.fullmatch(digits)) and luhn_valid(digits)


def fallback_code_matches(code: str, worker_id: uuid.UUID) -> bool:
    """Whether ``code`` (as typed, with or without spaces) is this worker's fallback code."""
    return check_fallback_code(code) and _SPACES.sub("", code) == fallback_code(worker_id).replace(" ", "")
