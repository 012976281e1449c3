"""Validation and normalisation of personal data entered by grid workers.

Pure Python (standard library only) so it can be used from the UI, importers
and tests alike.  Every user-facing message is an English ``str.format``
template declared as a module-level constant wrapped in
:func:`QT_TRANSLATE_NOOP`, so Qt's ``lupdate`` can extract it.  The UI layer
translates ``error.template`` in the ``"validation"`` context and then formats
it with ``error.params``::

    text = QCoreApplication.translate(CONTEXT, err.template).format(**err.params)

Covered data:

* Chinese resident identity numbers (GB 11643-1999, 18 characters).
* Mainland mobile numbers and landline numbers.
* Person names (Chinese, Latin and minority names with a middle dot).
* Birth dates.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Final

__all__ = [
    "CONTEXT",
    "ID_PROVINCE_CODES",
    "MSG_BIRTH_DATE_EMPTY",
    "MSG_BIRTH_DATE_FUTURE",
    "MSG_BIRTH_DATE_TOO_EARLY",
    "MSG_ID_BIRTH_DATE_FUTURE",
    "MSG_ID_BIRTH_DATE_INVALID",
    "MSG_ID_BIRTH_DATE_TOO_EARLY",
    "MSG_ID_CHECKSUM",
    "MSG_ID_EMPTY",
    "MSG_ID_FORMAT",
    "MSG_ID_LENGTH",
    "MSG_ID_OLD_15",
    "MSG_ID_PROVINCE",
    "MSG_LANDLINE_AREA_CODE",
    "MSG_LANDLINE_CHARS",
    "MSG_LANDLINE_EXTENSION",
    "MSG_LANDLINE_LOCAL_LENGTH",
    "MSG_LANDLINE_LOCAL_START",
    "MSG_MOBILE_LENGTH",
    "MSG_MOBILE_NOT_DIGITS",
    "MSG_MOBILE_PREFIX",
    "MSG_NAME_CHAR",
    "MSG_NAME_DOT",
    "MSG_NAME_EMPTY",
    "MSG_NAME_TOO_LONG",
    "MSG_PHONE_EMPTY",
    "MSG_PHONE_INVALID",
    "NAME_MAX_LENGTH",
    "QT_TRANSLATE_NOOP",
    "SEX_FEMALE",
    "SEX_MALE",
    "ValidationError",
    "id_birth_date",
    "id_check_char",
    "id_sex",
    "mask_id_number",
    "normalize_digits",
    "normalize_text",
    "validate_birth_date",
    "validate_id_number",
    "validate_landline",
    "validate_mobile",
    "validate_optional_phone",
    "validate_person_name",
    "validate_phone",
]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # N802 (ignored project-wide): lupdate scans for this name
    """Mark *text* for translation in *context*; returns *text* unchanged."""
    return text


CONTEXT: Final = "validation"

# --- Messages ---------------------------------------------------------------
# lupdate only sees literal calls, so the context is spelled out every time.

# Identity numbers
MSG_ID_EMPTY: Final = QT_TRANSLATE_NOOP("validation", "Enter an ID number.")
MSG_ID_LENGTH: Final = QT_TRANSLATE_NOOP("validation", "An ID number has 18 characters; this one has {length}.")
MSG_ID_OLD_15: Final = QT_TRANSLATE_NOOP("validation", "This is an old 15-digit ID number; enter the 18-digit number.")
MSG_ID_FORMAT: Final = QT_TRANSLATE_NOOP("validation", "An ID number has 17 digits followed by a digit or X.")
MSG_ID_PROVINCE: Final = QT_TRANSLATE_NOOP(
    "validation",
    "An ID number cannot start with {code}; the first two digits must be a province code.",
)
MSG_ID_BIRTH_DATE_INVALID: Final = QT_TRANSLATE_NOOP(
    "validation", "The birth date in the ID number ({date}) is not a real date."
)
MSG_ID_BIRTH_DATE_TOO_EARLY: Final = QT_TRANSLATE_NOOP(
    "validation", "The birth date in the ID number ({date}) is before 1900."
)
MSG_ID_BIRTH_DATE_FUTURE: Final = QT_TRANSLATE_NOOP(
    "validation", "The birth date in the ID number ({date}) is in the future."
)
MSG_ID_CHECKSUM: Final = QT_TRANSLATE_NOOP(
    "validation",
    "The check character does not match; expected {expected}. Check the number for a typo.",
)

# Phones (shared)
MSG_PHONE_EMPTY: Final = QT_TRANSLATE_NOOP("validation", "Enter a phone number.")
MSG_PHONE_INVALID: Final = QT_TRANSLATE_NOOP(
    "validation",
    "Enter an 11-digit mobile number (13x–19x) or a landline such as 0527-84361234.",
)

# Mobile phones
MSG_MOBILE_LENGTH: Final = QT_TRANSLATE_NOOP("validation", "A mobile number has 11 digits; this one has {length}.")
MSG_MOBILE_PREFIX: Final = QT_TRANSLATE_NOOP(
    "validation", "A mobile number starts with 13 to 19; this one starts with {prefix}."
)
MSG_MOBILE_NOT_DIGITS: Final = QT_TRANSLATE_NOOP(
    "validation", 'A mobile number can contain only digits; found "{char}".'
)

# Landlines
MSG_LANDLINE_CHARS: Final = QT_TRANSLATE_NOOP(
    "validation",
    'A landline number can contain only digits, spaces, dashes and brackets; found "{char}".',
)
MSG_LANDLINE_AREA_CODE: Final = QT_TRANSLATE_NOOP(
    "validation",
    "The area code {area_code} is not valid; it starts with 0 followed by 2 or 3 digits.",
)
MSG_LANDLINE_LOCAL_LENGTH: Final = QT_TRANSLATE_NOOP(
    "validation",
    "A landline number has 7 or 8 digits after the area code; this one has {length}.",
)
MSG_LANDLINE_LOCAL_START: Final = QT_TRANSLATE_NOOP(
    "validation",
    "A landline number starts with 2 to 9 after the area code; numbers starting with 0 or 1 are area "
    "codes, mobiles or service numbers.",
)
MSG_LANDLINE_EXTENSION: Final = QT_TRANSLATE_NOOP(
    "validation", "An extension has 1 to 6 digits, such as 0527-84361234-123."
)

# Names
MSG_NAME_EMPTY: Final = QT_TRANSLATE_NOOP("validation", "Enter a name.")
MSG_NAME_TOO_LONG: Final = QT_TRANSLATE_NOOP(
    "validation", "A name can have at most {max_length} characters; this one has {length}."
)
MSG_NAME_CHAR: Final = QT_TRANSLATE_NOOP(
    "validation",
    'A name can contain only Chinese or Latin letters and the middle dot (·); "{char}" is not allowed.',
)
MSG_NAME_DOT: Final = QT_TRANSLATE_NOOP("validation", "A middle dot (·) must stand between two parts of the name.")

# Birth dates
MSG_BIRTH_DATE_EMPTY: Final = QT_TRANSLATE_NOOP("validation", "Enter a birth date.")
MSG_BIRTH_DATE_TOO_EARLY: Final = QT_TRANSLATE_NOOP("validation", "The birth date {date} is before 1900.")
MSG_BIRTH_DATE_FUTURE: Final = QT_TRANSLATE_NOOP("validation", "The birth date {date} is in the future.")


# --- Error type ---------------------------------------------------------------


class ValidationError(ValueError):
    """A value failed validation.

    ``template`` is the untranslated English message template, ``params`` the
    values for its placeholders and ``field`` the name of the offending field.
    """

    field: str
    template: str
    params: dict[str, object]

    def __init__(self, field: str, template: str, **params: object) -> None:
        self.field = field
        self.template = template
        self.params = dict(params)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English message with the parameters filled in."""
        return self.template.format(**self.params)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(field={self.field!r}, template={self.template!r}, params={self.params!r})"

    def __reduce__(self) -> tuple[object, tuple[str, str, dict[str, object]]]:
        # Keyword-only params cannot be restored from ``args``; keep pickling working.
        return (_rebuild_validation_error, (self.field, self.template, self.params))


def _rebuild_validation_error(field: str, template: str, params: dict[str, object]) -> ValidationError:
    return ValidationError(field, template, **params)


# --- Normalisation ---------------------------------------------------------------

_ZERO_WIDTH: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_DIGIT_SEPARATORS: Final = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2212()."), None)
_ASCII_DIGITS: Final = frozenset("0123456789")


def _is_ascii_digits(value: str) -> bool:
    return bool(value) and all(ch in _ASCII_DIGITS for ch in value)


def _nfkc(value: str) -> str:
    """Drop zero-width characters, then NFKC-normalise."""
    return unicodedata.normalize("NFKC", value.translate(_ZERO_WIDTH))


def normalize_text(value: str) -> str:
    """NFKC-normalise, remove zero-width characters and collapse whitespace.

    Full-width letters, digits and the ideographic space become ASCII; leading
    and trailing whitespace is removed and inner runs become one space.
    """
    return " ".join(_nfkc(value).split())


def normalize_digits(value: str) -> str:
    """NFKC-normalise and remove whitespace and the separators ``- – — ( ) .``.

    ``"138 1234 5678"`` and ``"１３８－１２３４－５６７８"`` both become
    ``"13812345678"``.  Other characters (such as ``+``) are kept.
    """
    return "".join(_nfkc(value).translate(_DIGIT_SEPARATORS).split())


# --- Resident identity numbers (GB 11643-1999) -------------------------------

ID_PROVINCE_CODES: Final = frozenset(
    [str(code) for code in range(11, 16)]
    + [str(code) for code in range(21, 24)]
    + [str(code) for code in range(31, 38)]
    + [str(code) for code in range(41, 47)]
    + [str(code) for code in range(50, 55)]
    + [str(code) for code in range(61, 66)]
    + ["71", "81", "82", "83", "91"]
)
_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS: Final = "10X98765432"
_EARLIEST_BIRTH_DATE: Final = date(1900, 1, 1)

SEX_MALE: Final = "male"
SEX_FEMALE: Final = "female"


def id_check_char(first17: str) -> str:
    """Return the check character ("0"-"9" or "X") for the first 17 digits."""
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _normalize_id(value: str) -> str:
    return "".join(_nfkc(value).split())


def validate_id_number(value: str, field: str = "id_number", today: date | None = None) -> str:
    """Validate an 18-character resident identity number and return it normalised.

    Full-width characters and spaces are accepted; a lower-case check ``x`` is
    returned as ``X``.  Raises :class:`ValidationError` on the first problem,
    checked in this order: empty, length, format, province, birth date, check
    character.
    """
    number = _normalize_id(value)
    if not number:
        raise ValidationError(field, MSG_ID_EMPTY)
    if len(number) != 18:
        if len(number) == 15 and _is_ascii_digits(number):
            raise ValidationError(field, MSG_ID_OLD_15)
        raise ValidationError(field, MSG_ID_LENGTH, length=len(number))
    first17, check = number[:17], number[17]
    if not _is_ascii_digits(first17) or not (check in _ASCII_DIGITS or check in "xX"):
        raise ValidationError(field, MSG_ID_FORMAT)
    check = check.upper()
    number = first17 + check

    if number[:2] not in ID_PROVINCE_CODES:
        raise ValidationError(field, MSG_ID_PROVINCE, code=number[:2])

    date_text = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(field, MSG_ID_BIRTH_DATE_INVALID, date=date_text) from None
    if birth < _EARLIEST_BIRTH_DATE:
        raise ValidationError(field, MSG_ID_BIRTH_DATE_TOO_EARLY, date=date_text)
    if birth > (today if today is not None else date.today()):
        raise ValidationError(field, MSG_ID_BIRTH_DATE_FUTURE, date=date_text)

    expected = id_check_char(first17)
    if check != expected:
        raise ValidationError(field, MSG_ID_CHECKSUM, expected=expected)
    return number


def id_birth_date(id_number: str) -> date:
    """Birth date encoded in a valid ID number (raises ValidationError if invalid)."""
    number = validate_id_number(id_number, today=date.max)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_sex(id_number: str) -> str:
    """``"male"`` if the 17th digit is odd, else ``"female"``."""
    number = validate_id_number(id_number, today=date.max)
    return SEX_MALE if int(number[16]) % 2 == 1 else SEX_FEMALE


def mask_id_number(value: str) -> str:
    """Mask an ID number for display: ``110105*******002X``-style, same length.

    Keeps the first 3 and last 4 characters of 8+ character values; shorter
    values keep only their first and last character (3-7 characters) or are
    masked completely (1-2 characters).  Empty input stays empty.
    """
    number = _normalize_id(value)
    length = len(number)
    if length >= 8:
        return number[:3] + "*" * (length - 7) + number[-4:]
    if length >= 3:
        return number[0] + "*" * (length - 2) + number[-1]
    return "*" * length


# --- Phones ----------------------------------------------------------------------

_MOBILE_RE: Final = re.compile(r"1[3-9]\d{9}", re.ASCII)


def validate_mobile(value: str, field: str = "phone") -> str:
    """Validate a mainland mobile number; returns the 11 digits.

    Spaces, dashes, brackets, full-width digits and a ``+86``/``0086``/``86``
    country prefix are accepted.
    """
    number = normalize_digits(value)
    if not number:
        raise ValidationError(field, MSG_PHONE_EMPTY)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086") and len(number) == 15:
        number = number[4:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    for char in number:
        if char not in _ASCII_DIGITS:
            raise ValidationError(field, MSG_MOBILE_NOT_DIGITS, char=char)
    if len(number) != 11:
        raise ValidationError(field, MSG_MOBILE_LENGTH, length=len(number))
    if not _MOBILE_RE.fullmatch(number):
        raise ValidationError(field, MSG_MOBILE_PREFIX, prefix=number[:2])
    return number


_EXTENSION_RE: Final = re.compile(r"(?:转分机|分机|转|ext(?:ension)?\.?|x|#)\s*:?\s*(?P<ext>.*)$", re.IGNORECASE)
_LANDLINE_SEPARATORS: Final = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212().")
_DIGIT_GROUP_RE: Final = re.compile(r"[0-9]+")


def _check_extension(extension: str, field: str) -> str:
    if not (1 <= len(extension) <= 6 and _is_ascii_digits(extension)):
        raise ValidationError(field, MSG_LANDLINE_EXTENSION)
    return extension


def validate_landline(value: str, field: str = "phone") -> str:
    """Validate a landline number and return it in canonical form.

    Accepts e.g. ``0527-84361234``, ``(0527)84361234``, ``0527 8436 1234``,
    ``025-12345678``, ``84361234`` and an extension written ``-123``,
    ``转123`` or ``ext 123``.  Returns ``0527-84361234``, ``84361234`` or
    ``025-12345678-123``.
    """
    text = _nfkc(value).strip()
    if not text:
        raise ValidationError(field, MSG_PHONE_EMPTY)

    raw_extension: str | None = None
    marker = _EXTENSION_RE.search(text)
    # A marker only counts after a number ("025-12345678 ext 1", not "xyz").
    if marker is not None and _DIGIT_GROUP_RE.search(text, 0, marker.start()):
        raw_extension = marker.group("ext").strip()
        text = text[: marker.start()]

    for char in text:
        if not (char in _ASCII_DIGITS or char in _LANDLINE_SEPARATORS or char.isspace()):
            raise ValidationError(field, MSG_LANDLINE_CHARS, char=char)
    groups = _DIGIT_GROUP_RE.findall(text)
    if not groups:
        raise ValidationError(field, MSG_LANDLINE_LOCAL_LENGTH, length=0)

    area_code = ""
    first = groups[0]
    if first.startswith("0"):
        if len(groups) > 1 and len(first) <= 6:  # too short to hold a local number too
            area_code = first
            groups = groups[1:]
        else:
            # No separator after the area code: 010 and 02x have 3 digits, others 4.
            size = 3 if first[1:2] in ("1", "2") else 4
            area_code = first[:size]
            groups = [first[size:], *groups[1:]] if len(first) > size else groups[1:]
        if len(area_code) not in (3, 4) or area_code[1] == "0":
            raise ValidationError(field, MSG_LANDLINE_AREA_CODE, area_code=area_code)
    if not groups:
        raise ValidationError(field, MSG_LANDLINE_LOCAL_LENGTH, length=0)

    # A local number written in parts ("8436 1234") is joined until it has at
    # least 7 digits; a group after a complete local number is an extension.
    local = groups[0]
    used = 1
    while used < len(groups) and len(local) < 7:
        local += groups[used]
        used += 1
    if len(local) not in (7, 8):
        raise ValidationError(field, MSG_LANDLINE_LOCAL_LENGTH, length=len(local))
    if local[0] in "01":
        raise ValidationError(field, MSG_LANDLINE_LOCAL_START)
    if used < len(groups):
        if raw_extension is not None:  # both "-123" and "转123"
            raise ValidationError(field, MSG_LANDLINE_EXTENSION)
        raw_extension = "".join(groups[used:])
    extension = "" if raw_extension is None else _check_extension(raw_extension, field)

    parts = [part for part in (area_code, local, extension) if part]
    return "-".join(parts)


def _looks_like_mobile(digits: str) -> bool:
    if digits.startswith(("+86", "0086")):
        return True
    if digits.startswith("861") and len(digits) == 13:
        return True
    if digits.startswith("1"):
        # Local landline numbers start with 2 to 9 (1 is for service numbers such as 110 and
        # 12345), so an all-digit number starting with 1 is a mobile number, maybe mistyped.
        return len(digits) >= 11 or _is_ascii_digits(digits)
    return False


def validate_phone(value: str, field: str = "phone") -> str:
    """Validate a mobile or landline number (see the specific validators)."""
    digits = normalize_digits(value)
    if not digits:
        raise ValidationError(field, MSG_PHONE_EMPTY)
    if _looks_like_mobile(digits):
        return validate_mobile(value, field)
    try:
        return validate_landline(value, field)
    except ValidationError as error:
        # Keep the specific message when the input clearly is a landline
        # (it has an area code) or only the extension is wrong.
        if digits.startswith("0") or (error.template == MSG_LANDLINE_EXTENSION and digits[0] in _ASCII_DIGITS):
            raise
        raise ValidationError(field, MSG_PHONE_INVALID) from error


def validate_optional_phone(value: str | None, field: str = "phone") -> str:
    """Like :func:`validate_phone` but blank input (or None) gives ``""``."""
    if value is None or not normalize_text(value):
        return ""
    return validate_phone(value, field)


# --- Names -------------------------------------------------------------------------

NAME_MAX_LENGTH: Final = 30
_MIDDLE_DOT: Final = "\u00b7"
# Dot-like characters people type instead of the middle dot in names such as
# 阿卜杜·热合曼 (translated before NFKC, which would turn some into ".").
_NAME_DOTS: Final = dict.fromkeys(map(ord, "\u2022\uff0e\u30fb\uff65\u2027\u2219\u22c5\u0387"), _MIDDLE_DOT)
_CJK_CLASS: Final = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_CJK_RE: Final = re.compile(f"[{_CJK_CLASS}]")
_SPACE_NEXT_TO_CJK_RE: Final = re.compile(f"(?<=[{_CJK_CLASS}{_MIDDLE_DOT}]) | (?=[{_CJK_CLASS}{_MIDDLE_DOT}])")
_PERIOD_BETWEEN_CJK_RE: Final = re.compile(f"(?<=[{_CJK_CLASS}])\\.(?=[{_CJK_CLASS}])")


def _is_name_char(char: str) -> bool:
    if char in (_MIDDLE_DOT, " ") or _CJK_RE.fullmatch(char):
        return True
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def validate_person_name(value: str, field: str = "name") -> str:
    """Validate a person's name and return it normalised.

    Allows Chinese characters, Latin letters (including accented ones such as
    ü), spaces between Latin words and the middle dot ``·`` of minority and
    foreign names.  Dot variants (``•``, ``．``, ``・`` and a ``.`` between
    Chinese characters) become ``·``; spaces next to Chinese characters or the
    dot (e.g. the alignment space in ``张　三``) are removed.
    """
    name = normalize_text(value.translate(_NAME_DOTS))
    name = _SPACE_NEXT_TO_CJK_RE.sub("", name)
    name = _PERIOD_BETWEEN_CJK_RE.sub(_MIDDLE_DOT, name)
    if not name:
        raise ValidationError(field, MSG_NAME_EMPTY)
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(field, MSG_NAME_TOO_LONG, max_length=NAME_MAX_LENGTH, length=len(name))
    for char in name:
        if not _is_name_char(char):
            raise ValidationError(field, MSG_NAME_CHAR, char=char)
    if name.startswith(_MIDDLE_DOT) or name.endswith(_MIDDLE_DOT) or _MIDDLE_DOT * 2 in name:
        raise ValidationError(field, MSG_NAME_DOT)
    return name


# --- Dates -----------------------------------------------------------------------


def validate_birth_date(value: date | None, field: str = "birth_date", today: date | None = None) -> date:
    """Check that a birth date is given, not before 1900 and not in the future."""
    if value is None:
        raise ValidationError(field, MSG_BIRTH_DATE_EMPTY)
    if isinstance(value, datetime):
        value = value.date()
    if value < _EARLIEST_BIRTH_DATE:
        raise ValidationError(field, MSG_BIRTH_DATE_TOO_EARLY, date=value.isoformat())
    if value > (today if today is not None else date.today()):
        raise ValidationError(field, MSG_BIRTH_DATE_FUTURE, date=value.isoformat())
    return value
