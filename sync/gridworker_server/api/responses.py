"""The error answers the routes document in the OpenAPI schema, every one an :class:`ErrorBody`; the
429 and 503 answers carry ``Retry-After`` (seconds), as :func:`gridworker_server.api.errors.error_response`
sends it."""

from __future__ import annotations

from typing import Any

from gridworker_shared.protocol import ErrorBody

__all__ = ["ERRORS", "SERVICE_ERRORS"]

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody, **({"headers": _RETRY_AFTER} if code in (429, 503) else {})} for code in codes}


# every route under /v1 (versions refused: 426; load shed or too many sign-ins: 429; database down: 503)
ERRORS = _errors(400, 401, 403, 404, 409, 413, 422, 426, 429, 503)
# /health and /ping: no body, no credentials, no version headers; load shed (429), database down (503)
SERVICE_ERRORS = _errors(429, 503)
