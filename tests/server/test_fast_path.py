"""The push's fast path (gridworker_server.api.fast): a push as the app sends it is read and validated
from its bytes and answered by the route's own function; any other request goes on to the FastAPI route
with its body, and gets that route's answer. Driven through the real app's ASGI stack, in process: the
answer function is replaced by one that records what reached it (the push itself is tested against real
servers everywhere else, by this same path)."""

from __future__ import annotations

import asyncio
import gzip
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.responses import Response

from gridworker_server.api.routes import sync
from gridworker_server.app import create_app
from gridworker_server.db import Database
from gridworker_shared.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION, PushRequest
from tests.server.support import Seeded, visit

BODY = {"device_id": str(uuid.uuid4()), "mutations": [], "pull": {"cursors": {"global": 3}}}
APP_HEADERS = {
    HEADER_PROTOCOL: str(PROTOCOL_VERSION),
    "Authorization": "Bearer tok",
    "Content-Type": "application/json",
    "Content-Encoding": "gzip",
}


def call(app: Any, body: bytes, headers: dict[str, str], query: bytes = b"", chunk: int = 0) -> tuple[int, Any]:
    """One request through the app's whole ASGI stack; the body in pieces of ``chunk`` bytes if given."""
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] if chunk else [body]
    messages = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/sync/push",
        "raw_path": b"/v1/sync/push",
        "root_path": "",
        "query_string": query,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8080),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    asyncio.run(run())
    body_out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], json.loads(body_out)


@pytest.fixture
def answered(server: Seeded, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, list[PushRequest]]]:
    """The real app on the seeded database, the fast path's answers recorded on their way."""
    seen: list[PushRequest] = []
    real = sync.fast_push.answer

    def answer(db: Database, body: PushRequest, token: str, protocol: int) -> Response:
        assert protocol == PROTOCOL_VERSION  # the header's, as the route would have it
        seen.append(body)
        return real(db, body, token, protocol)

    monkeypatch.setattr(sync.fast_push, "answer", answer)
    db = Database(server.url, pool_size=2)
    try:
        yield create_app(db), seen
    finally:
        db.dispose()


def test_a_push_as_the_app_sends_it_takes_the_fast_path(server: Seeded, answered: tuple[Any, list[Any]]) -> None:
    app, seen = answered
    dev = server.device("worker04")
    households = server.take(server.grid("worker04"), 3)
    headers = {**APP_HEADERS, "Authorization": f"Bearer {dev.token}"}
    plain = {k: v for k, v in headers.items() if k != "Content-Encoding"}
    sent = []
    for hid, encode, chunk in zip(households, (gzip.compress, gzip.compress, bytes), (0, 7, 0), strict=True):
        body = dev.body(dev.batch(visit(hid))) | {"pull": {"epoch": dev.epoch, "cursors": {}, "limit": 1000}}
        status, answer = call(
            app, encode(json.dumps(body).encode()), headers if encode is gzip.compress else plain, chunk=chunk
        )
        assert status == 200, answer
        assert [r["status"] for r in answer["results"]] == ["applied"] and "household" in answer["pull"]["upserts"]
        sent.append(body)
    # each reached the route's function by the fast path: in one message, in many, gzip and plain
    assert [(str(b.device_id), [m.seq for m in b.mutations]) for b in seen] == [
        (b["device_id"], [m["seq"] for m in b["mutations"]]) for b in sent
    ]
    assert all(server.visit_count(uuid.UUID(b["mutations"][0]["payload"]["id"])) == 1 for b in sent)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({HEADER_PROTOCOL: "3"}, 426, "client_too_old"),
        ({HEADER_PROTOCOL: str(PROTOCOL_VERSION + 1)}, 426, "server_too_old"),
        ({HEADER_PROTOCOL: "six"}, 426, "client_too_old"),
        ({"Content-Encoding": "br"}, 400, "bad_request"),  # not inflated: gzip bytes are no JSON
        ({"Authorization": "Basic dG9rOnRvaw=="}, 401, "not_signed_in"),
        ({"Content-Type": "text/plain"}, 422, "invalid_request"),
    ],
)
def test_a_push_off_the_happy_path_gets_the_routes_own_answer(
    answered: tuple[Any, list[Any]], change: dict[str, str], status: int, code: str
) -> None:
    app, seen = answered
    got, body = call(app, gzip.compress(json.dumps(BODY).encode()), {**APP_HEADERS, **change})
    assert (got, body["error"]) == (status, code), body
    assert seen == []


def test_bodies_the_fast_path_cannot_read_go_on_with_their_bytes(answered: tuple[Any, list[Any]]) -> None:
    app, seen = answered
    raw = gzip.compress(json.dumps(BODY).encode())
    assert call(app, raw[:-4], APP_HEADERS)[1]["error"] == "bad_encoding"  # damaged gzip: 400
    assert call(app, raw, APP_HEADERS, query=b"grid=1")[1]["error"] == "unknown_parameter"
    invalid = gzip.compress(json.dumps({**BODY, "mutations": "none"}).encode())
    status, body = call(app, invalid, APP_HEADERS, chunk=5)
    # the route read the same bytes again: its error names the field
    assert (status, body["error"]) == (422, "invalid_request") and "mutations" in json.dumps(body)
    deep = gzip.compress(b'{"device_id":"x","mutations":' + b"[" * 600 + b"]" * 600 + b"}")
    assert call(app, deep, APP_HEADERS)[1]["error"] == "invalid_request"  # nested past the limit: 422
    assert seen == []
