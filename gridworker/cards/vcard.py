"""What a contact card says, without Qt: the person on it, the vCard 3.0 its QR code holds and the
short numeric fallback code printed under the QR code.

The vCard is what a phone camera offers to save as a contact, so it holds what a contact needs and no
more: name, phone, community and grid, title. The photo, the service hours and the card's line are
printed on the card but kept out of the payload: the payload decides the QR version, and a smaller
version has bigger modules on a 90 x 54 mm card. ``VCARD_MAX_BYTES`` bounds it at any text the app
allows (the organisation is shortened last, see :func:`vcard`)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Final

from gridworker_shared.domain.card_codes import is_card_code

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
# The most a vCard holds: what a version 11 QR code holds at error correction level L (byte mode).
# Version 11 has 61 modules: with the quiet zone, 0.45 mm or more on the card (see cards.art).
VCARD_MAX_BYTES: Final = 321


@dataclass(frozen=True)
class CardPerson:
    """The worker a card is for. ``photo`` is the bytes of a JPEG or PNG file, or None; ``card_code``
    the eight digits the server assigned the worker (unique city-wide), "" until the laptop has them."""

    worker_id: uuid.UUID
    name: str
    phone: str
    grid_name: str
    community_name: str
    service_hours: str
    line: str
    photo: bytes | None = None
    card_code: str = ""


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


def _org(community: str, grid: str) -> str:
    return f"ORG:{escape(community)};{escape(grid)}" if grid else f"ORG:{escape(community)}"


def vcard(p: CardPerson, max_bytes: int = VCARD_MAX_BYTES) -> str:
    """The vCard 3.0 a card's QR code holds: name, mobile phone, community and grid, title. Lines end
    with CRLF; lines are not folded (phone readers do not need it and it costs bytes).

    At most ``max_bytes`` of UTF-8: when the names are that long, the grid is left out of the
    organisation, then the community is shortened (name and phone, what a contact is for, stay whole;
    at the app's longest name and phone some of the community still fits)."""
    family, given = split_name(p.name)
    head = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{escape(family)};{escape(given)};;;",
        f"FN:{escape(p.name.strip())}",
        f"TEL;TYPE=CELL:{escape(_SPACES.sub('', p.phone))}",
    ]
    tail = [f"TITLE:{TITLE}", "END:VCARD"]

    def card(org: str) -> str:
        return CRLF.join([*head, org, *tail]) + CRLF

    community, grid = p.community_name.strip(), p.grid_name.strip()
    text = card(_org(community, grid))
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    while community and len(card(_org(community, "")).encode("utf-8")) > max_bytes:
        community = community[:-1].rstrip()
    return card(_org(community, ""))


def fallback_code(code: str) -> str:
    """The short code printed under the QR code, for a resident whose phone cannot scan: the worker's
    card code as the server assigned it (unique city-wide), in two groups of four: ``1234 5678``.
    Empty when the laptop has no code from the server yet (or a malformed one): no code is printed
    then, rather than one another worker may share."""
    digits = _SPACES.sub("", code)
    if not check_fallback_code(digits):
        return ""
    return f"{digits[:4]} {digits[4:]}"


def check_fallback_code(code: str) -> bool:
    """Whether ``code`` is a well-formed fallback code (eight digits, spaces anywhere, check digit right)."""
    digits = _SPACES.sub("", code)
    return is_card_code(digits)


def fallback_code_matches(code: str, card_code: str) -> bool:
    """Whether ``code`` (as typed, with or without spaces) is this worker's card code."""
    return check_fallback_code(code) and _SPACES.sub("", code) == _SPACES.sub("", card_code)
