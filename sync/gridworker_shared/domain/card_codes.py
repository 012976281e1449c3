"""A worker's card code: the eight digits printed under the QR code of the worker's contact card, for a
resident whose phone cannot scan. The server assigns each worker one, unique city-wide and never
reused: seven digits and a Luhn check digit (which catches any one mistyped digit and most swaps of
neighbours)."""

from __future__ import annotations

import re
import secrets
from typing import Final

CARD_CODE_DIGITS: Final = 8
_BODY = re.compile(r"[0-9]{7}")
_CODE = re.compile(r"[0-9]{8}")


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
    return bool(digits) and luhn_check_digit(digits[:-1]) == digits[-1]


def card_code(body: str) -> str:
    """The card code of seven digits ``body``: the digits and their Luhn check digit."""
    if not _BODY.fullmatch(body):
        raise ValueError(f"a card code's body is seven digits, not {body!r}")
    return body + luhn_check_digit(body)


def random_card_code() -> str:
    """A card code of seven random digits (the server retries on the rare collision)."""
    return card_code(f"{secrets.randbelow(10**7):07d}")


def is_card_code(code: str) -> bool:
    """Whether ``code`` is eight ASCII digits with a right check digit."""
    return bool(_CODE.fullmatch(code)) and luhn_valid(code)
