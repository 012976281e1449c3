"""Residents' ID numbers and phones masked (gridworker_shared.domain.masking), and who may reveal one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridworker_shared.domain.masking import (
    mask,
    mask_id_number,
    mask_phone,
    may_export_personal,
    may_reveal,
)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("110105199001011234", "110105********1234"),
        ("11010519900101123X", "110105********123X"),
        ("１１０１０５１９９００１０１１２３４", "110105********1234"),  # full-width
        (" 110105 19900101 1234 ", "110105********1234"),  # spaces dropped
        ("110105900101123", "110105*****1123"),  # the old 15-digit number
        ("1101051990", "11******90"),
        ("12345", "****5"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(raw: str | None, masked: str) -> None:
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("0527-84361234", "0527-****1234"),
        ("010-12345678", "010-****5678"),
        ("(010)12345678", "(010)****5678"),
        ("84361234", "8***1234"),
        ("１３８１２３４５６７８", "138****5678"),
        ("123456", "****56"),
        ("12345", "****5"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
        ("--", "--"),
    ],
)
def test_mask_phone(raw: str | None, masked: str) -> None:
    assert mask_phone(raw) == masked


@given(st.text(max_size=40))
def test_masks_never_fail_and_always_hide(value: str) -> None:
    for field in ("id_number", "phone"):
        shown = mask(field, value)
        hidden = shown.count("*") - value.count("*")
        kept = sum(1 for c in shown if c.isalnum())
        if kept + hidden >= 8:
            assert hidden >= 3
        elif kept + hidden >= 1:
            assert hidden >= 1 or kept == 0


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_mobile_keeps_three_and_four(phone: str) -> None:
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]


def test_mask_refuses_other_fields() -> None:
    with pytest.raises(ValueError):
        mask("name", "张三")


@pytest.mark.parametrize(
    ("role", "own", "allowed"),
    [
        ("worker", True, True),
        ("worker", False, False),
        ("station", True, True),
        ("station", False, False),
        ("supervisor", True, True),
        ("supervisor", False, False),
        ("admin", False, True),
        ("admin", True, True),
        ("department", True, False),
        ("department", False, False),
        ("", True, False),
        ("someone", True, False),
    ],
)
def test_who_may_reveal(role: str, own: bool, allowed: bool) -> None:
    assert may_reveal(role, in_own_scope=own) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("supervisor", True), ("admin", True), ("station", False), ("worker", False), ("department", False)],
)
def test_who_may_export_personal_data(role: str, allowed: bool) -> None:
    assert may_export_personal(role) is allowed
