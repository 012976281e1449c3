"""The one error type of the server (Polar's ``polar/exceptions.py``): a refusal the API answers.

A refusal has a stable ``code`` the app translates (``gridworker.ui.i18n.server_message``), an HTTP
``status``, an English ``message`` for logs, curl and API users, and ``params``: what the code's text
needs (a user name, the expected sequence number ...). On the wire it is
:class:`gridworker_shared.protocol.ErrorBody`: ``error`` (the code), ``message`` and ``detail`` (the
params). Domain modules raise it; ``gridworker_server.api.errors`` answers it, in one handler.
"""

from __future__ import annotations

from typing import Any

from gridworker_shared.domain.usernames import forbidden_char


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, /, *, retry_after: int | None = None, **params: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {self.code!r}, {self.message!r}, **{self.params!r})"


def text_field(field: str, value: str, *, multiline: bool = False) -> str:
    """``value`` unchanged, or a 422 ``invalid_text`` for a character no stored text may hold (NUL and
    other control characters; line breaks and tabs only in ``multiline`` text): refused the same way
    before either database sees it (PostgreSQL refuses a NUL, SQLite would store it)."""
    found = forbidden_char(value, multiline=multiline)
    if found is not None:
        position, char = found
        raise ApiError(
            422,
            "invalid_text",
            f"The {field} holds a control character ({char} at position {position}).",
            field=field,
            char=char,
            position=position,
        )
    return value
