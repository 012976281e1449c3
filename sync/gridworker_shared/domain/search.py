"""Search as the user types: the keys a household is found by, and how a query maps onto them.

A household is indexed by a set of short keys, each with a one-letter namespace:

    n:  a member's name in hanzi, its full pinyin and its pinyin initials (张三, zhangsan, zs),
        and the given name alone (三)
    c:  the compound (小区) name
    a:  building-unit-room, the way people write it (3-2-501)
    r:  building-room, for addresses written without the unit (3-501)
    b:  building number alone (3号楼)
    m:  room number alone (501)
    p:  a phone number (prefix search)
    t:  the last 4 digits of a phone number
    i:  the last 4 characters of an ID number
    d:  a whole ID number (prefix search)

A query is split into tokens; each token becomes a few key ranges (OR) and the tokens are ANDed, so
``幸福 3-2`` finds building 3, unit 2 of compound 幸福里. Every range is a prefix or exact match on one
indexed column, which keeps each lookup a B-tree range scan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SEP = r"[-—–_/\\.·]"


def fold(text: str) -> str:
    """NFKC (full-width to ASCII), lower case, no spaces: the form keys and queries are compared in."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


@lru_cache(maxsize=8192)
def _syllables(name: str) -> tuple[tuple[str, ...], ...]:
    """Pinyin readings per character; the first character (the surname) keeps its other readings
    too (曾 zeng/ceng, 单 shan/dan, 解 xie/jie), since surnames are where polyphones bite."""
    from pypinyin import Style, lazy_pinyin, pinyin  # imported lazily: start-up does not need it

    readings: list[tuple[str, ...]] = [(s,) for s in lazy_pinyin(name, style=Style.NORMAL, errors="default")]
    if readings and _CJK.match(name[0]):
        first = pinyin(name[0], style=Style.NORMAL, heteronym=True)[0]
        ordered = [readings[0][0], *[r for r in first if r != readings[0][0]]]
        readings[0] = tuple(ordered[:3])
    return tuple(readings)


def name_keys(name: str) -> set[str]:
    name = fold(name)
    if not name:
        return set()
    keys = {"n:" + name}
    if _CJK.search(name):
        readings = _syllables(name)
        rest = readings[1:]
        for first in readings[0]:
            full = first + "".join(r[0] for r in rest)
            initials = first[0] + "".join(r[0][0] for r in rest if r[0])
            keys.add("n:" + full)
            keys.add("n:" + initials)
            if "v" in full:  # ü: pinyin keyboards type v (lv for 吕), people also write u (lu)
                keys.add("n:" + full.replace("v", "u"))
        if len(name) >= 2:
            keys.add("n:" + name[1:])
    return keys


def _num(part: str) -> str:
    """Address parts as written: digits keep no leading zeros (03 -> 3); letters stay (3A)."""
    part = fold(part)
    return part.lstrip("0") or part


@dataclass(frozen=True)
class AddressParts:
    compound: str
    building: str
    unit: str
    room: str


def address_keys(addr: AddressParts) -> set[str]:
    b, u, r = _num(addr.building), _num(addr.unit), _num(addr.room)
    keys: set[str] = set()
    if addr.compound:
        keys.add("c:" + fold(addr.compound))
    if b:
        keys.add("b:" + b)
        if r:
            keys.add("r:" + b + "-" + r)
        keys.add("a:" + "-".join(p for p in (b, u, r)))
    if r:
        keys.add("m:" + r)
    return keys


def phone_keys(phone: str) -> set[str]:
    normal = unicodedata.normalize("NFKC", phone)
    digits = re.sub(r"\D", "", normal)
    if len(digits) < 4:
        return set()
    keys = {"p:" + digits, "t:" + digits[-4:]}
    # a landline is also found by its local number, without the area code (0527-84361234)
    keys |= {"p:" + part for part in re.split(r"\D+", normal) if len(part) >= 7}
    return keys


def id_keys(id_number: str) -> set[str]:
    value = fold(id_number).upper()
    if len(value) < 4:
        return set()
    return {"i:" + value[-4:], "d:" + value}


def household_keys(
    addr: AddressParts, names: Iterable[str], phones: Iterable[str], id_numbers: Iterable[str]
) -> set[str]:
    keys = address_keys(addr)
    for n in names:
        keys |= name_keys(n)
    for p in phones:
        keys |= phone_keys(p)
    for i in id_numbers:
        keys |= id_keys(i)
    return keys


def household_search_keys(
    address: AddressParts, head_name: str, phone: str, members: Iterable[tuple[str, str, str]]
) -> set[str]:
    """A household's keys from its address, head, phone and members as (name, phone, ID number)."""
    people = list(members)
    return household_keys(
        address,
        [head_name, *(name for name, _, _ in people)],
        [phone, *(p for _, p, _ in people)],
        [number for _, _, number in people if number],
    )


# --- queries -------------------------------------------------------------------------------------

# A key range: keys k with lo <= k < hi. An exact match is (k, k + "\x00").
KeyRange = tuple[str, str]

_HIGH = "\U0010ffff"

_ADDR_FULL = re.compile(rf"^(\d+[a-z]?){_SEP}(\d+){_SEP}(\d*)$")
_ADDR_TWO = re.compile(rf"^(\d+[a-z]?){_SEP}(\d*)$")
_ADDR_CN = re.compile(
    r"^(?:(?P<b>\d+[a-z]?)(?:号楼|号|栋|幢|座|#|楼))?"
    r"(?:(?P<u>\d+)单元)?"
    r"(?:(?P<r>\d+)(?:室|号)?)?$"
)
_ID_TAIL = re.compile(r"^\d{3}[0-9x]$")


def prefix(key: str) -> KeyRange:
    return (key, key + _HIGH)


def exact(key: str) -> KeyRange:
    return (key, key + "\x00")


def _address_ranges(token: str) -> list[KeyRange] | None:
    m = _ADDR_FULL.match(token)
    if m:
        b, u, r = _num(m[1]), _num(m[2]), m[3]
        return [prefix(f"a:{b}-{u}-{r}")]
    m = _ADDR_TWO.match(token)
    if m:
        b, second = _num(m[1]), m[2]
        if not second:
            return [prefix(f"a:{b}-")]
        # 3-2 is building 3 unit 2, or building 3 room 2xx as it is being typed
        return [prefix(f"a:{b}-{_num(second)}-"), prefix(f"r:{b}-{second}")]
    if any(c in token for c in "号楼栋幢座#单元室"):
        m = _ADDR_CN.match(token)
        if m and any(m.group(g) for g in "bur"):
            b, u, r = (_num(m.group(g)) if m.group(g) else "" for g in "bur")
            if b and u:
                return [prefix(f"a:{b}-{u}-{r}")]
            if b and r:
                return [prefix(f"r:{b}-{r}")]
            if b:
                return [exact(f"b:{b}")]
            if r:
                return [exact(f"m:{r}")]
            return None
    return None


def _digit_ranges(token: str) -> list[KeyRange]:
    ranges: list[KeyRange] = []
    if len(token) <= 3:
        ranges.append(exact("b:" + _num(token)))
    if len(token) <= 5:
        ranges.append(exact("m:" + _num(token)))
    if len(token) == 4:
        ranges += [exact("t:" + token), exact("i:" + token)]
    if len(token) >= 3:
        ranges.append(prefix("p:" + token))
    if len(token) >= 6:
        ranges.append(prefix("d:" + token))
    return ranges


def _split_compound(token: str) -> list[str]:
    """'幸福里3栋2单元501' -> ['幸福里', '3栋2单元501']: a name part glued to an address part."""
    m = re.match(r"^([^\d]+?)(\d.*)$", token)
    if m and _CJK.search(m[1]) and _address_ranges(m[2]) is not None:
        return [m[1], m[2]]
    return [token]


def token_ranges(token: str) -> list[KeyRange]:
    """The key ranges one token may match (ORed)."""
    if not token:
        return []
    address = _address_ranges(token)
    if address is not None:
        return address
    if token.isdigit():
        return _digit_ranges(token)
    if _ID_TAIL.match(token) or re.fullmatch(r"\d{17}[0-9x]|\d{6,17}", token):
        value = token.upper()
        ranges = [prefix("d:" + value)]
        if len(value) == 4:
            ranges.append(exact("i:" + value))
        return ranges
    return [prefix("n:" + token), prefix("c:" + token)]


def parse_query(text: str) -> list[list[KeyRange]]:
    """Tokens of a query, each as its list of key ranges. Empty list: no text to search by."""
    normal = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for raw in normal.split():
        tokens += _split_compound(raw)
    return [r for r in (token_ranges(t) for t in tokens) if r]
