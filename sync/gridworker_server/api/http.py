"""Transport details every route shares: request bodies that may be gzip (with limits), and load
shedding past a number of requests in flight."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from gridworker_server.api.errors import BUSY, ApiError, error_response

MAX_BODY = 8 * 1024 * 1024  # bytes, after decompression
MAX_IN_FLIGHT = 48  # requests per process before the server sheds load with 429 + Retry-After

_TOO_LARGE = (413, "too_large", "The request is too large.")


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
                try:
                    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    body = inflater.decompress(raw, MAX_BODY)
                    if inflater.unconsumed_tail:
                        raise ApiError(*_TOO_LARGE)
                    if not inflater.eof:
                        raise zlib.error("truncated")
                except zlib.error as exc:
                    raise ApiError(400, "bad_encoding", "The request body is damaged.") from exc
                raw = body
            self._body = raw
        return self._body


class GzipRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            decoded = GzipRequest(request.scope, request.receive)
            # read (and inflate) here: inside FastAPI's body parsing our 400/413 would become its generic 400
            await decoded.body()
            return await handler(decoded)

        return route
