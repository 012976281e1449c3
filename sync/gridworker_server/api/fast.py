"""The hot route's fast path: a push answered without FastAPI's machinery of every request.

FastAPI solves a route's dependencies, parses its body to Python, walks it for depth and validates
the Python again at every request: a tenth of the server's time under a workday's syncs. A push as the
app sends it (protocol headers in the window, a bearer token, gzip JSON, no query) is read here and
validated straight from its bytes (``model_validate_json``) on the event loop, then answered on a worker
thread by the route's own function. Anything else, a request any check here would refuse included, goes
on to the FastAPI route unchanged, with its body: its answer, its errors and its OpenAPI entry are the
route's, so no request is answered differently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from gridworker_server.api.deps import MIN_PROTOCOL
from gridworker_server.api.http import MAX_BODY, inflate
from gridworker_server.errors import ApiError
from gridworker_shared.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION

__all__ = ["FastJsonRoute"]

_PROTOCOL = HEADER_PROTOCOL.lower().encode()
_PASSED = "gridworker.fast_path_passed"  # set in the scope of a request handed on to the FastAPI route


class FastJsonRoute(BaseRoute):
    """``POST path`` with a JSON body of ``model``, answered by ``answer(db, body, token, protocol)`` on a worker
    thread; any request off the happy path is handed to the app's own routes (matched again, past this
    one). ``route``: the FastAPI route it stands in front of, named in the scope for the metrics."""

    def __init__(self, path: str, model: type[BaseModel], answer: Callable[[Any, Any, str, int], Response], route: Any):
        self.path = path
        self.model = model
        self.answer = answer
        self.route = route

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path or _PASSED in scope:
            return Match.NONE, {}
        return Match.FULL, {"route": self.route}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        token, gzip, protocol = _happy_headers(scope)
        raw = b""
        more = True
        while more and len(raw) <= MAX_BODY:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            raw += message.get("body", b"")
            more = message.get("more_body", False)
        body = self._parsed(raw, gzip) if token and not more else None
        if body is None or token is None:
            scope[_PASSED] = True
            await scope["app"].router(scope, _replayed(raw, more, receive), send)
            return
        response = await run_in_threadpool(self.answer, scope["app"].state.db, body, token, protocol)
        await response(scope, receive, send)

    def _parsed(self, raw: bytes, gzip: bool) -> BaseModel | None:
        try:
            return self.model.model_validate_json(inflate(raw) if gzip else raw) if raw else None
        except (ApiError, ValidationError):
            return None  # the route answers it, with its own error


def _happy_headers(scope: Scope) -> tuple[str | None, bool, int]:
    """The bearer token, whether the body is gzip and the protocol version, for a request with no query,
    a protocol in the window and a JSON body; (None, …) for any other, which the FastAPI route answers."""
    if scope.get("query_string"):
        return None, False, 0
    token: str | None = None
    protocol = content_type = None
    encodings: list[bytes] = []
    for name, value in scope["headers"]:
        if name == b"authorization" and token is None:
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            token = credentials if scheme.lower() == "bearer" and credentials else ""
        elif name == _PROTOCOL and protocol is None:
            protocol = value
        elif name == b"content-type" and content_type is None:
            content_type = value
        elif name == b"content-encoding":
            encodings.append(value)
    try:
        version = int(protocol or b"")
    except ValueError:
        return None, False, 0
    media = (content_type or b"").split(b";")[0].strip().lower()
    if (
        not MIN_PROTOCOL <= version <= PROTOCOL_VERSION
        or media != b"application/json"
        or encodings not in ([], [b"gzip"])
    ):
        return None, False, 0
    return token, bool(encodings), version


def _replayed(raw: bytes, more: bool, receive: Receive) -> Receive:
    """``receive`` with the body read so far given back first."""
    given = False

    async def replay() -> Any:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": raw, "more_body": more}
        return await receive()

    return replay
