"""The contact card's vCard (what a phone saves from the QR code) and its numeric fallback code."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridworker.cards.vcard import (
    VCARD_MAX_BYTES,
    CardPerson,
    check_fallback_code,
    escape,
    fallback_code,
    fallback_code_matches,
    split_name,
    vcard,
)
from gridworker_shared.domain.card_codes import card_code, is_card_code, luhn_check_digit, random_card_code
from gridworker_shared.domain.validation import NAME_MAX_LENGTH

WORKER = uuid.UUID("6f1c2a4e-8b3d-4c5e-9f70-123456789abc")


def person(**changes: object) -> CardPerson:
    fields: dict[str, object] = {
        "worker_id": WORKER,
        "name": "张伟",
        "phone": "138 1234 5678",
        "grid_name": "古城社区第1网格",
        "community_name": "古城社区",
        "service_hours": "周一至周五 8:30-17:30",
        "line": "有事找网格，服务零距离",
    }
    fields.update(changes)
    return CardPerson(**fields)  # type: ignore[arg-type]


def properties(card: str) -> dict[str, str]:
    """Property name (with parameters) -> raw value, of a vCard as a reader splits it."""
    assert card.endswith("\r\n")
    out: dict[str, str] = {}
    for line in card[:-2].split("\r\n"):
        name, _, value = line.partition(":")
        out[name] = value
    return out


def split_unescaped(value: str, sep: str) -> list[str]:
    """A structured value's components: split at separators that are not escaped, then unescaped."""
    parts, current, i = [], "", 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            current += "\n" if nxt in "nN" else nxt
            i += 2
            continue
        if ch == sep:
            parts.append(current)
            current = ""
        else:
            current += ch
        i += 1
    parts.append(current)
    return parts


def test_the_card_has_every_property_in_order_with_crlf() -> None:
    card = vcard(person())
    assert card == (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "N:张;伟;;;\r\n"
        "FN:张伟\r\n"
        "TEL;TYPE=CELL:13812345678\r\n"
        "ORG:古城社区;古城社区第1网格\r\n"
        "TITLE:网格员\r\n"
        "END:VCARD\r\n"
    )
    # no bare LF or CR anywhere: every line break is CRLF
    assert re.search(r"(?<!\r)\n|\r(?!\n)", card) is None


def test_the_photo_stays_out_of_the_qr_payload() -> None:
    card = vcard(person(photo=b"\xff\xd8" + bytes(50_000)))
    assert "PHOTO" not in card
    assert card == vcard(person())
    assert len(card.encode("utf-8")) < 300  # a small QR version: big modules on a 90 x 54 mm card


@pytest.mark.parametrize(
    ("name", "family", "given_name"),
    [
        ("张伟", "张", "伟"),
        ("王秀英", "王", "秀英"),
        ("欧阳建国", "欧阳", "建国"),
        ("司马相如", "司马", "相如"),
        ("诸葛亮", "诸葛", "亮"),
        ("上官婉儿", "上官", "婉儿"),
        ("东方明珠", "东方", "明珠"),
        ("皇甫嵩", "皇甫", "嵩"),
        ("尉迟恭", "尉迟", "恭"),
        ("公孙胜", "公孙", "胜"),
        ("慕容复", "慕容", "复"),
        ("长孙无忌", "长孙", "无忌"),
        ("宇文泰", "宇文", "泰"),
        ("司徒雷登", "司徒", "雷登"),
        ("夏侯惇", "夏侯", "惇"),
        ("轩辕剑", "轩辕", "剑"),
        ("令狐冲", "令狐", "冲"),
        ("端木蓉", "端木", "蓉"),
        ("司马", "司", "马"),  # two characters: a one-character surname and a given name
        ("欧阳", "欧", "阳"),
        ("李", "李", ""),
        ("买买提·艾力", "", "买买提·艾力"),  # a transliterated name has no surname in that sense
        ("Anna Li", "Li", "Anna"),
    ],
)
def test_names_split_into_family_and_given(name: str, family: str, given_name: str) -> None:
    assert split_name(name) == (family, given_name)
    props = properties(vcard(person(name=name)))
    assert split_unescaped(props["N"], ";") == [family, given_name, "", "", ""]
    assert props["FN"] == name


def test_escaping_per_rfc_2426() -> None:
    assert escape("a\\b") == "a\\\\b"
    assert escape("a,b") == "a\\,b"
    assert escape("a;b") == "a\\;b"
    assert escape("a\nb") == "a\\nb"
    assert escape("a\r\nb") == "a\\nb"
    assert escape("a\rb") == "a\\nb"
    assert escape("冒号:不转义") == "冒号:不转义"
    card = vcard(
        person(community_name="A;B社区", grid_name="第1,2网格", line="请拨打\\热线;\n或留言, 谢谢", service_hours="")
    )
    props = properties(card)
    assert split_unescaped(props["ORG"], ";") == ["A;B社区", "第1,2网格"]
    assert split_unescaped(props["FN"], ";") == ["张伟"]
    card = vcard(person(name="Anna, Li; Jr"))
    assert properties(card)["FN"] == "Anna\\, Li\\; Jr"
    assert card.count("\r\n") == 8


def test_service_hours_and_the_line_stay_on_the_card_not_in_the_vcard() -> None:
    """They are printed on the card; in the vCard they made the QR code's modules too small."""
    card = vcard(person(service_hours="周" * 60, line="线" * 80))
    assert "NOTE" not in card and "周" not in card and "线" not in card
    assert card == vcard(person(service_hours="", line=""))


def test_at_the_longest_texts_the_app_allows_the_vcard_keeps_name_and_phone_whole() -> None:
    name = "买" * 14 + "·" + "提" * (NAME_MAX_LENGTH - 15)
    card = vcard(person(name=name, phone="0" * 32, community_name="社" * 100, grid_name="网" * 100))
    assert len(card.encode("utf-8")) <= VCARD_MAX_BYTES
    props = properties(card)
    assert props["FN"] == name and props["TEL;TYPE=CELL"] == "0" * 32
    # the grid is left out first, then the community shortened
    assert props["ORG"] and set(props["ORG"]) == {"社"}
    # texts that fit are whole
    assert (
        properties(vcard(person(grid_name="网" * 20, community_name="社" * 20)))["ORG"] == "社" * 20 + ";" + "网" * 20
    )


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\\,;\n:"), max_size=30)


@given(name=_text, community=_text, grid=_text, line=_text)
def test_any_text_survives_the_round_trip(name: str, community: str, grid: str, line: str) -> None:
    card = vcard(person(name=name, community_name=community, grid_name=grid, line=line, service_hours=""))
    lines = card[:-2].split("\r\n")
    assert lines[0] == "BEGIN:VCARD" and lines[1] == "VERSION:3.0" and lines[-1] == "END:VCARD"
    assert "\n" not in card.replace("\r\n", "")  # a newline in a value never breaks the line
    props = properties(card)
    assert split_unescaped(props["FN"], ";") == [name.strip()]
    org = split_unescaped(props["ORG"], ";")
    if org != ([community.strip(), grid.strip()] if grid.strip() else [community.strip()]):
        # over the budget: the grid left out, the community shortened
        assert len(org) == 1 and community.strip().startswith(org[0])
        assert len(card.encode("utf-8")) <= VCARD_MAX_BYTES or not org[0]


def test_the_printed_code_is_the_servers_card_code_in_two_groups() -> None:
    code = card_code("1234567")
    assert code == "12345674"  # 7*2=14 -> 5, 6, 5*2=10 -> 1, 4, 3*2=6, 2, 1*2=2; sum 26; check digit 4
    assert fallback_code(code) == "1234 5674"
    printed = fallback_code(code)
    assert check_fallback_code(printed)
    assert check_fallback_code(" ".join(code))  # spaces anywhere
    assert check_fallback_code(printed.replace(" ", "\u3000"))  # a full-width space from a Chinese IME
    assert fallback_code_matches(printed, code)
    assert not fallback_code_matches(fallback_code(card_code("1234568")), code)


@pytest.mark.parametrize("code", ["", "12345675", "1234567", "abcdefgh"])
def test_no_code_is_printed_without_a_valid_one_from_the_server(code: str) -> None:
    assert fallback_code(code) == ""


def test_luhn_matches_the_textbook_example() -> None:
    assert luhn_check_digit("7992739871") == "3"  # the usual Luhn example
    with pytest.raises(ValueError):
        card_code("123456")


def test_every_single_digit_change_of_a_valid_code_is_detected() -> None:
    for _ in range(200):
        digits = random_card_code()
        assert is_card_code(digits) and check_fallback_code(digits)
        for position in range(8):
            for digit in "0123456789":
                if digit != digits[position]:
                    changed = digits[:position] + digit + digits[position + 1 :]
                    assert not check_fallback_code(changed), (digits, changed)


@pytest.mark.parametrize("code", ["", "1234 567", "1234 56789", "1234-5674", "abcd efgh", "１２３４ ５６７４"])
def test_malformed_codes_are_refused(code: str) -> None:
    assert not check_fallback_code(code)


def test_what_a_card_says_is_decided_without_qt() -> None:
    """The vCard and the fallback code are the domain's: the server or a script can compute them."""
    code = "import sys, gridworker.cards.vcard; print(any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules))"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
