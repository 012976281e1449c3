"""Transport details every route shares: request bodies that may be gzip (with limits), and load
shedding past a number of requests in flight."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from gridworker_server.api.errors import BUSY, ApiError, error_response

MAX_BODY = 8 * 1024 * 1024  # bytes, after decompression
# requests per process before the server sheds load with 429 + Retry-After (GRIDWORKER_MAX_IN_FLIGHT)
MAX_IN_FLIGHT = int(os.environ.get("GRIDWORKER_MAX_IN_FLIGHT", "48"))
# nesting of a JSON body, refused whole past it (422): far past any message of the protocol (6), so that a
# mutation nested too deeply is rejected by the push on its own (the device's queue goes on), and short of
# the parser's own recursion limit
MAX_DEPTH = 512

_TOO_LARGE = (413, "too_large", "The request is too large.")
_TOO_DEEP = (422, "invalid_request", "The request is nested too deeply.")


class ShedLoad:
    """Past ``limit`` requests in flight the answer is an immediate 429 with Retry-After, never a queue
    that times out. A plain ASGI middleware: it costs a counter, not a task per request."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.active = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            response = error_response(ApiError(429, *BUSY, retry_after=1))
            await response(scope, receive, send)
            return
        self.active += 1  # one event loop per process: no lock needed
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


class GzipRequest(Request):
    """A request body that may be gzip-compressed (FastAPI's custom-request recipe), with limits."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            raw = b""
            async for chunk in self.stream():
                raw += chunk
                if len(raw) > MAX_BODY:
                    raise ApiError(*_TOO_LARGE)
            if "gzip" in self.headers.getlist("Content-Encoding"):
                raw = inflate(raw)
            self._body = raw
        return self._body


def inflate(raw: bytes) -> bytes:
    """A gzip request body inflated, at most :data:`MAX_BODY` bytes of it (413 past that, 400 damaged)."""
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        body = inflater.decompress(raw, MAX_BODY)
        if inflater.unconsumed_tail:
            raise ApiError(*_TOO_LARGE)
        if not inflater.eof:
            raise zlib.error("truncated")
    except zlib.error as exc:
        raise ApiError(400, "bad_encoding", "The request body is damaged.") from exc
    return body


class GzipRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            decoded = GzipRequest(request.scope, request.receive)
            # read (and inflate) here: inside FastAPI's body parsing our 400/413 would become its generic 400
            body = await decoded.body()
            content_type = decoded.headers.get("Content-Type", "")
            if body and (not content_type or "json" in content_type):
                parse_bounded(decoded, body)
            return await handler(decoded)

        return route


def parse_bounded(request: Request, body: bytes) -> None:
    """Parse a JSON body once, refusing one nested deeper than :data:`MAX_DEPTH` (422) before any
    model or handler walks it; FastAPI then takes the parsed value (Starlette keeps it on the request).
    A body that is not JSON is left to FastAPI's own answer."""
    try:
        value = json.loads(body)
    except RecursionError as exc:
        raise ApiError(*_TOO_DEEP, limit=MAX_DEPTH) from exc
    except ValueError:
        return
    if json_depth(value) > MAX_DEPTH:
        raise ApiError(*_TOO_DEEP, limit=MAX_DEPTH)
    request._json = value


def json_depth(value: Any) -> int:
    """How deep containers nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            v = list(v.values())
        if isinstance(v, list):
            depth += 1
            if depth > MAX_DEPTH:
                return depth
            deepest = max(deepest, depth)
            stack.extend((x, depth) for x in v if isinstance(x, dict | list))
    return deepest
