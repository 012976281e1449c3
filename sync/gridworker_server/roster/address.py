"""Addresses as rosters write them: in columns (小区, 楼栋, 单元, 房号) or in one text
(``幸福小区3栋2单元502室``, ``幸福里3-2-502``), with Chinese numbers and suffixes, reduced to the parts
the app stores."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from gridworker_server.roster.cells import compact_text

__all__ = [
    "BUILDING_SUFFIX",
    "FLOOR_RE",
    "ROOM_SUFFIX",
    "UNIT_SUFFIX",
    "Address",
    "address_part",
    "floor_from_room",
    "split_address",
]


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


def address_part(value: object, suffix: str) -> str:
    """A building, unit or room number as the app stores it: ``第3栋`` → ``3``, ``二单元`` → ``2``,
    ``0502室`` → ``502``."""
    text = re.sub(f"(?:{suffix})$", "", compact_text(value).removeprefix("第"))
    text = _cn_number(text).upper()
    return str(int(text)) if text.isascii() and text.isdigit() else text


BUILDING_SUFFIX: Final = "号楼|栋|幢|座|号|楼"
UNIT_SUFFIX: Final = "单元"
ROOM_SUFFIX: Final = "室|号|房"
_NUM: Final = r"[0-9A-Za-z零〇一二两三四五六七八九十]+"
_ADDRESS_RE: Final = re.compile(
    rf"(?P<compound>.+?)第?(?P<building>{_NUM})(?:{BUILDING_SUFFIX})"
    rf"(?:第?(?P<unit>{_NUM}){UNIT_SUFFIX})?"
    rf"(?P<room>[0-9A-Za-z]+)(?:{ROOM_SUFFIX})?"
)
_ADDRESS_DASH_RE: Final = re.compile(
    r"(?P<compound>.*?[^0-9A-Za-z-])(?P<building>[0-9A-Za-z]+)-(?:(?P<unit>[0-9]+)-)?(?P<room>[0-9]+)(?:室|号)?"
)
_DASHES: Final = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63"), "-")
_ADMIN_PREFIX_RE: Final = re.compile(r"^.*(?:街道办事处|街道|社区居委会|居委会|社区|村委会)")


@dataclass(frozen=True)
class Address:
    compound: str
    building: str
    unit: str
    room: str
    floor: int | None

    @property
    def key(self) -> str:
        return f"{self.compound}/{self.building}/{self.unit}/{self.room}"

    def same_place(self, other: Address) -> bool:
        return self.key == other.key


def floor_from_room(room: str) -> int | None:
    """Room numbers carry their floor: 502 → 5, 1203 → 12; anything else says nothing."""
    digits = room.split("-")[0]
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (3, 4):
        return None
    return int(digits[:-2]) or None


def split_address(text: str) -> Address | None:
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
    room = address_part(match.group("room"), ROOM_SUFFIX)
    return Address(
        compound=compound,
        building=address_part(match.group("building"), BUILDING_SUFFIX),
        unit=address_part(match.group("unit") or "", UNIT_SUFFIX),
        room=room,
        floor=floor_from_room(room),
    )


FLOOR_RE: Final = re.compile(r"第?(-?\d{1,3})(?:层|楼|F)?", re.IGNORECASE)
