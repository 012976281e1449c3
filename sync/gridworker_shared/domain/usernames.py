"""User names: one spelling wherever a name comes in, and text a database must not hold.

A user name is compared, stored and rate-limited in its normal form (:func:`normalize_username`):
Unicode NFKC (full-width letters become ASCII), case-folded, trimmed, inner runs of white space as one
space. The app's sign-in dialog, the server's sign-in, its limiter, user creation, the command line and
the roster and org imports all call it, so ``" Worker02"``, ``"worker02 "`` and ``"ＷＯＲＫＥＲ０２"``
are one user, with one count of failed sign-ins and one local database file.

:func:`validate_username` is for a name being created: it refuses invisible characters (zero-width
spaces, bidirectional marks, control characters) a person cannot see or type again.
:func:`forbidden_char` finds a character no stored text may hold (NUL, other control characters, lone
surrogates), so both databases refuse the same inputs the same way.

Standard library only (shared by the app and the server).
"""

from __future__ import annotations

import unicodedata
from typing import Final

from gridworker_shared.domain.validation import QT_TRANSLATE_NOOP, ValidationError

__all__ = [
    "MSG_USERNAME_CHAR",
    "MSG_USERNAME_EMPTY",
    "MSG_USERNAME_TOO_LONG",
    "USERNAME_MAX_LENGTH",
    "forbidden_char",
    "normalize_username",
    "validate_username",
]

USERNAME_MAX_LENGTH: Final = 64

MSG_USERNAME_EMPTY: Final = QT_TRANSLATE_NOOP("validation", "Enter a user name.")
MSG_USERNAME_TOO_LONG: Final = QT_TRANSLATE_NOOP(
    "validation", "A user name can have at most {max_length} characters; this one has {length}."
)
MSG_USERNAME_CHAR: Final = QT_TRANSLATE_NOOP(
    "validation", "A user name cannot contain invisible or control characters ({char} at position {position})."
)

# control, format (zero-width, bidi marks), surrogate, private-use, unassigned, line/paragraph separators
_INVISIBLE: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# what no stored text may hold: control characters and lone surrogates (PostgreSQL refuses NUL and
# cannot encode a surrogate; SQLite would store both)
_FORBIDDEN: Final = frozenset({"Cc", "Cs"})
_MULTILINE: Final = frozenset("\n\r\t")


def normalize_username(value: str) -> str:
    """The one spelling of a user name: NFKC, case-folded, trimmed, inner white space as one space.

    Idempotent: ``normalize_username(normalize_username(x)) == normalize_username(x)``.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return " ".join(folded.split())


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def validate_username(value: str, field: str = "username") -> str:
    """The normal form of a new user name; :class:`ValidationError` for an empty or too long name, or
    one holding an invisible or control character (checked on the name as given)."""
    for position, char in enumerate(value, start=1):
        if unicodedata.category(char) in _INVISIBLE:
            raise ValidationError(field, MSG_USERNAME_CHAR, char=_describe(char), position=position)
    name = normalize_username(value)
    if not name:
        raise ValidationError(field, MSG_USERNAME_EMPTY)
    if len(name) > USERNAME_MAX_LENGTH:
        raise ValidationError(field, MSG_USERNAME_TOO_LONG, max_length=USERNAME_MAX_LENGTH, length=len(name))
    return name


def forbidden_char(value: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first character no stored text may hold, as (1-based position, ``U+XXXX``), or None.

    Control characters (NUL among them) and lone surrogates; ``multiline`` text may hold line breaks
    and tabs."""
    for position, char in enumerate(value, start=1):
        if unicodedata.category(char) in _FORBIDDEN and not (multiline and char in _MULTILINE):
            return position, _describe(char)
    return None
