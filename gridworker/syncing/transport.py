"""HTTP to the sync server (requests): protocol headers on every request, gzip both ways, and every
failure turned into one of a few kinds the engine acts on. A failure has a code and parameters,
as the server's refusals do, and an English message; the app shows it in the user's language by its code
(``gridworker.ui.i18n.server_message``). Request bodies are protocol models
(gridworker_shared.protocol), sent as their JSON. Nothing here touches the database."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from pydantic import BaseModel

from gridworker import __version__
from gridworker_shared.protocol import HEADER_APP, HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SERVICE_NAME

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 120.0


class SyncError(Exception):
    """Base of the failures a sync attempt can meet; ``retry`` says whether trying later can help."""

    retry = True

    def __init__(self, code: str, message: str = "", *, retry_after: float | None = None, **detail: Any) -> None:
        super().__init__(message or code)
        self.code = code
        self.message = message or code
        self.retry_after = retry_after
        self.detail = detail


class OfflineError(SyncError):
    """No connection, a reset, a timeout or a truncated answer: try again later."""


class NotOurServerError(SyncError):
    """Something answered that is not a Gridworker server (a captive portal's login page)."""


class BusyError(SyncError):
    """429/503: the server asked us to come back after ``retry_after`` seconds."""


class SignInNeededError(SyncError):
    """401: token expired, device revoked, user deactivated. Local data and the outbox are kept."""

    retry = False


class WipeRequiredError(SignInNeededError):
    """The laptop was revoked as lost or handed over (``mode``), what was unsent is sent, and the wipe is
    written down (syncing.wipe.begin_wipe): the app closes the database and finishes it."""

    def __init__(self, mode: str, message: str = "") -> None:
        super().__init__(
            "device_wiped", message or f"This laptop was revoked ({mode}); its data is removed.", wipe=mode
        )
        self.mode = mode


class DeviceWipedError(WipeRequiredError):
    """The laptop was revoked as lost or handed over and its user's local data is gone (wiped by the
    engine itself)."""


class UpdateNeededError(SyncError):
    """426: this app is too old (or the server too old) to sync. The outbox is kept."""

    retry = False


class NotPossibleError(SyncError):
    """Something only a person can sort out (this database belongs to another worker, ...)."""

    retry = False


class RefusedError(SyncError):
    """A 4xx about the whole request (a gap, a fork, a changed epoch, a bad request)."""


class ServerFaultError(SyncError):
    """A 5xx: the server failed; nothing was applied that we know of. Try again later."""


@dataclass
class Transport:
    base_url: str
    schema_version: str
    token: str | None = None
    session: requests.Session = field(default_factory=requests.Session)
    bytes_sent: int = 0
    bytes_received: int = 0
    # (connect, read) seconds; the start-up check of a revoked laptop waits briefly (syncing.wipe)
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)

    def headers(self) -> dict[str, str]:
        h = {
            HEADER_PROTOCOL: str(PROTOCOL_VERSION),
            HEADER_SCHEMA: self.schema_version,
            HEADER_APP: __version__,
            "Accept-Encoding": "gzip",
            "Accept": "application/json",
        }
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health", None)

    def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """A JSON read; ``params`` (empty values left out) as the query string."""
        query = urlencode({k: v for k, v in (params or {}).items() if v})
        return self._call("GET", f"{path}?{query}" if query else path, None)

    def post(self, path: str, body: BaseModel | None = None) -> dict[str, Any]:
        return self._call("POST", path, body)

    def put(self, path: str, body: BaseModel) -> dict[str, Any]:
        return self._call("PUT", path, body)

    def _call(self, method: str, path: str, body: BaseModel | None) -> dict[str, Any]:
        headers = self.headers()
        data: bytes | None = None
        if body is not None:
            data = gzip.compress(body.model_dump_json().encode(), 6)
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
            self.bytes_sent += len(data)
        url = self.base_url.rstrip("/") + path
        try:
            r = self.session.request(method, url, data=data, headers=headers, timeout=self.timeout, stream=True)
            raw = r.raw.read(decode_content=False)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise OfflineError(
                "offline", f"Cannot reach the server: {type(exc).__name__}.", error=type(exc).__name__
            ) from exc
        except Exception as exc:  # urllib3 protocol errors: a reset or a cut body
            raise OfflineError(
                "offline", f"The connection broke: {type(exc).__name__}.", reason="cut", error=type(exc).__name__
            ) from exc
        self.bytes_received += len(raw)
        try:
            text = gzip.decompress(raw) if r.headers.get("Content-Encoding", "").lower() == "gzip" else raw
        except (OSError, EOFError) as exc:  # a truncated gzip stream
            raise OfflineError("truncated", "The server's answer is incomplete.") from exc
        if "json" not in r.headers.get("Content-Type", ""):
            if r.status_code == 200 or r.status_code in (301, 302, 303, 307, 308, 511):
                raise NotOurServerError(
                    "not_our_server",
                    "This address is not a Gridworker server (sign in to the public network first?).",
                    reason="portal",
                )
            if r.status_code >= 500:
                raise ServerFaultError("server_error", f"Server error {r.status_code}.", status=r.status_code)
            raise NotOurServerError(
                "not_our_server",
                f"This address is not a Gridworker server (HTTP {r.status_code}).",
                reason="http",
                status=r.status_code,
            )
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise OfflineError("truncated", "The server's answer is incomplete.") from exc
        if not isinstance(payload, dict):
            raise NotOurServerError("not_our_server", "This address is not a Gridworker server.")
        if r.status_code < 300:
            if path == "/health" and payload.get("service") != SERVICE_NAME:
                raise NotOurServerError("not_our_server", "This address is not a Gridworker server.")
            return payload
        code = str(payload.get("error", "error"))
        message = str(payload.get("message", code))
        raw_detail = payload.get("detail")
        detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
        retry_after = _retry_after(r.headers.get("Retry-After"))
        if r.status_code == 401:
            raise SignInNeededError(code, message, **detail)
        if r.status_code == 426:
            raise UpdateNeededError(code, message, **detail)
        if r.status_code in (429, 503):
            raise BusyError(code, message, retry_after=retry_after, **detail)
        if r.status_code >= 500:
            raise ServerFaultError(code, message, **detail)
        raise RefusedError(code, message, status=r.status_code, **detail)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
