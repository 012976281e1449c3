"""The worker's contact card, checked the same way on the laptop and on the server: its short texts
normalised alike, and its photo at most ``MAX_PHOTO_BYTES`` (the protocol's limit), a JPEG or a PNG by
its first bytes, base64 on the wire."""

from __future__ import annotations

import base64
import binascii

from gridworker_shared.domain.codes import QT_TRANSLATE_NOOP
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.protocol import MAX_PHOTO_BYTES

MSG_PHOTO_TOO_BIG = QT_TRANSLATE_NOOP(
    "validation", "The photo is {size} KB; a card photo is at most {limit} KB. Choose a smaller picture."
)
MSG_PHOTO_FORMAT = QT_TRANSLATE_NOOP("validation", "The photo must be a JPEG or PNG picture.")


class PhotoEncodingError(ValueError):
    """The photo's text on the wire is not base64."""


def card_text(value: str) -> str:
    """Trimmed, runs of spaces made one; full-width punctuation kept (the card is Chinese: ，stays ，)."""
    return " ".join(value.split())


def is_card_photo(data: bytes) -> bool:
    """A JPEG or a PNG file, by its first bytes."""
    return data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")


def check_photo(data: bytes) -> bytes:
    """The photo if a card may carry it; ValidationError (size first, then format) if not."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(
            "photo", MSG_PHOTO_TOO_BIG, size=(len(data) + 1023) // 1024, limit=MAX_PHOTO_BYTES // 1024
        )
    if not is_card_photo(data):
        raise ValidationError("photo", MSG_PHOTO_FORMAT)
    return data


def photo_text(data: bytes) -> str:
    """A photo as the wire carries it."""
    return base64.b64encode(data).decode("ascii")


def photo_from_text(text: str) -> bytes:
    """The photo a message carries, checked (``check_photo``); PhotoEncodingError if not base64."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PhotoEncodingError(str(exc)) from exc
    return check_photo(data)
