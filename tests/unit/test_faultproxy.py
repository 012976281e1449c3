"""The fault-injecting proxy (tests/helpers/faultproxy.py) against a small real HTTP server, seen through requests."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.helpers.faultproxy import (
    CAPTIVE_PORTAL_HTML,
    CutRequest,
    CutResponse,
    FaultProxy,
    Html200,
    Pass,
    ResetBeforeResponse,
    ResetImmediately,
)

TIMEOUT = 30  # generous upper bounds only: nothing waits for them to pass


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    expected: int  # Content-Length the client announced
    body: bytes

    @property
    def complete(self) -> bool:
        return len(self.body) == self.expected


@dataclass
class Recorder:
    """What the server saw, with a condition to wait on instead of sleeping."""

    cond: threading.Condition = field(default_factory=threading.Condition)
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    finished: int = 0  # connections whose handler has returned
    closed: int = 0  # connections the server has closed

    def note(self, change: Callable[[Recorder], None]) -> None:
        with self.cond:
            change(self)
            self.cond.notify_all()

    def wait(self, predicate: Callable[[Recorder], bool]) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: predicate(self), TIMEOUT), f"server state: {self}"

    def snapshot(self) -> list[Received]:
        with self.cond:
            return list(self.received)


def payload(size: int) -> bytes:
    return json.dumps({"pad": "a" * size}).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    recorder: Recorder

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # broken connections are what these tests are about

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        super().shutdown_request(request)
        self.recorder.note(lambda r: setattr(r, "closed", r.closed + 1))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.recorder.note(lambda r: setattr(r, "connections", r.connections + 1))

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.recorder.note(lambda r: setattr(r, "finished", r.finished + 1))

    def _record(self, expected: int, body: bytes) -> None:
        item = Received(self.command, self.path, expected, body)
        self.server.recorder.note(lambda r: r.received.append(item))

    def _send(self, body: bytes, content_type: str = "application/json", **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        expected = int(self.headers.get("Content-Length") or 0)
        try:
            body = self.rfile.read(expected)
        except OSError:
            body = b""
        self._record(expected, body)
        if len(body) < expected:
            self.close_connection = True
            return
        self._send(json.dumps({"received": len(body), "sha256": hashlib.sha256(body).hexdigest()}).encode())

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        size = int(parse_qs(url.query).get("size", ["1000"])[0])
        body = payload(size)
        self._record(0, b"")
        if url.path == "/json":
            self._send(body)
        elif url.path == "/bye":  # a keep-alive response, then the server closes the connection anyway
            self._send(body)
            self.close_connection = True
        elif url.path == "/gzip":
            self._send(gzip.compress(body), Content_Encoding="gzip")
        elif url.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 100):
                part = body[i : i + 100]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif url.path == "/eof":  # no length: the body ends when the server closes
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        else:
            self.send_error(404)


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.recorder = Recorder()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(TIMEOUT)


@pytest.fixture
def proxy(server: Server) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", server.server_address[1]) as p:
        yield p
    assert p.threads_alive() == 0


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def test_pass_forwards_both_ways_on_one_keep_alive_connection(
    proxy: FaultProxy, server: Server, session: requests.Session
) -> None:
    body = b"x" * 200_000
    r1 = session.post(proxy.url + "/push", data=body, timeout=TIMEOUT)
    r2 = session.get(proxy.url + "/json?size=300000", timeout=TIMEOUT)
    r3 = session.get(proxy.url + "/chunked?size=5000", timeout=TIMEOUT)
    r4 = session.get(proxy.url + "/gzip?size=5000", timeout=TIMEOUT)
    assert r1.json() == {"received": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    assert r2.content == payload(300_000)
    assert r3.content == payload(5000) and r3.headers["Transfer-Encoding"] == "chunked"
    assert r4.content == payload(5000) and r4.headers["Content-Encoding"] == "gzip"
    events = proxy.wait_for_events(4)
    assert [(e.connection, e.request, e.outcome, e.status) for e in events] == [
        (1, i, "passed", 200) for i in (1, 2, 3, 4)
    ]
    assert events[0].method == "POST" and events[0].target == "/push" and events[0].request_bytes > len(body)
    assert proxy.connections == 1 and proxy.requests == 4 and proxy.faults_applied == 0
    assert server.recorder.connections == 1
    assert server.recorder.snapshot()[0].body == body


def test_reset_immediately_reaches_nobody(proxy: FaultProxy, server: Server, session: requests.Session) -> None:
    proxy.set_plan(ResetImmediately())
    with pytest.raises(requests.ConnectionError):
        session.post(proxy.url + "/push", data=b"hello", timeout=TIMEOUT)
    (event,) = proxy.wait_for_events(1)
    assert event.outcome == "reset" and not event.upstream_connected and event.request_bytes == 0
    assert proxy.faults_applied == 1 and proxy.pending == []
    assert server.recorder.connections == 0
    # the plan is spent: the next request passes, on a new connection
    assert session.post(proxy.url + "/push", data=b"hello", timeout=TIMEOUT).json()["received"] == 5
    assert proxy.connections == 2


def test_cut_request_in_the_body_leaves_the_server_an_incomplete_body(
    proxy: FaultProxy, server: Server, session: requests.Session
) -> None:
    body = b"y" * 100_000
    proxy.set_plan(CutRequest(40_000, body=True))
    with pytest.raises(requests.ConnectionError):
        session.post(proxy.url + "/push", data=body, timeout=TIMEOUT)
    server.recorder.wait(lambda r: r.finished == 1)
    (got,) = server.recorder.snapshot()
    assert not got.complete and got.expected == len(body) and got.body == body[:40_000]
    (event,) = proxy.wait_for_events(1)
    assert event.outcome == "request cut" and event.client_bytes == 0 and event.status is None


def test_cut_request_in_the_head_gives_the_server_no_request(
    proxy: FaultProxy, server: Server, session: requests.Session
) -> None:
    proxy.set_plan(CutRequest(10))  # "POST /push", and EOF
    with pytest.raises(requests.ConnectionError):
        session.post(proxy.url + "/push", data=b"z" * 1000, timeout=TIMEOUT)
    server.recorder.wait(lambda r: r.finished == 1)
    assert server.recorder.snapshot() == []
    assert proxy.wait_for_events(1)[0].request_bytes == 10


def test_reset_before_response_loses_a_committed_answer(
    proxy: FaultProxy, server: Server, session: requests.Session
) -> None:
    body = b'{"visits": ["v1", "v2"]}'
    proxy.set_plan(ResetBeforeResponse())
    with pytest.raises(requests.ConnectionError):
        session.post(proxy.url + "/push", data=body, timeout=TIMEOUT)
    # the proxy resets only after reading the whole response: the server has recorded the body already
    (got,) = server.recorder.snapshot()
    assert got.complete and got.body == body
    (event,) = proxy.wait_for_events(1)
    assert event.outcome == "reset before response" and event.status == 200
    assert event.response_bytes > 0 and event.client_bytes == 0
    # a retry goes through, and the server now has the push twice: what idempotency keys are for
    assert session.post(proxy.url + "/push", data=body, timeout=TIMEOUT).status_code == 200
    assert [r.body for r in server.recorder.snapshot()] == [body, body]


def test_cut_response_in_a_content_length_body(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.set_plan(CutResponse(100, body=True))
    response = session.get(proxy.url + "/json?size=5000", timeout=TIMEOUT, stream=True)
    assert response.status_code == 200
    got = bytearray()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for part in response.iter_content(1):  # bytes in the chunk that fails are lost
            got += part
    assert bytes(got) == payload(5000)[:100]
    (event,) = proxy.wait_for_events(1)
    assert event.outcome == "response cut" and event.response_bytes < event.client_bytes + 5000


def test_cut_response_without_stream_raises(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.set_plan(CutResponse(100, body=True))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        session.get(proxy.url + "/json?size=5000", timeout=TIMEOUT)


def test_cut_response_in_the_head(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.set_plan(CutResponse(0), CutResponse(5), CutResponse(12))
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            session.get(proxy.url + "/json", timeout=TIMEOUT)
    # http.client takes a bare status line then EOF for a whole response: no headers, empty close-delimited body
    response = session.get(proxy.url + "/json", timeout=TIMEOUT)
    assert response.status_code == 200 and response.content == b"" and "Content-Type" not in response.headers
    assert [e.client_bytes for e in proxy.wait_for_events(3)] == [0, 5, 12]


def test_cut_chunked_response(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.set_plan(CutResponse(250, body=True))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        session.get(proxy.url + "/chunked?size=5000", timeout=TIMEOUT)


def test_cut_gzip_response(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.set_plan(CutResponse(30, body=True))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        session.get(proxy.url + "/gzip?size=5000", timeout=TIMEOUT)


def test_cut_response_with_reset(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.set_plan(CutResponse(100, body=True, reset=True))
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        session.get(proxy.url + "/json?size=5000", timeout=TIMEOUT)


def test_cut_close_delimited_response_is_silently_truncated(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.set_plan(CutResponse(100, body=True))
    response = session.get(proxy.url + "/eof?size=5000", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.content == payload(5000)[:100]
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_html200_is_a_captive_portal(proxy: FaultProxy, server: Server, session: requests.Session) -> None:
    proxy.set_plan(Html200())
    response = session.post(proxy.url + "/push", data=b"q" * 10_000, timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text == CAPTIVE_PORTAL_HTML
    with pytest.raises(requests.JSONDecodeError):
        response.json()
    (event,) = proxy.events  # recorded before the page was sent
    assert event.outcome == "captive portal" and not event.upstream_connected
    assert server.recorder.connections == 0


def test_faults_apply_per_request_on_a_keep_alive_connection(
    proxy: FaultProxy, server: Server, session: requests.Session
) -> None:
    proxy.set_plan(Pass(), Pass(), CutResponse(10, body=True))
    assert session.get(proxy.url + "/json", timeout=TIMEOUT).status_code == 200
    assert session.get(proxy.url + "/json", timeout=TIMEOUT).status_code == 200
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        session.get(proxy.url + "/json", timeout=TIMEOUT)
    assert session.get(proxy.url + "/json", timeout=TIMEOUT).status_code == 200
    events = proxy.wait_for_events(4)
    assert [(e.connection, e.request, e.fault) for e in events] == [
        (1, 1, Pass()),
        (1, 2, Pass()),
        (1, 3, CutResponse(10, body=True)),
        (2, 1, Pass()),
    ]
    assert proxy.faults_applied == 1


def test_default_fault_applies_once_the_plan_is_spent(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.default = Html200()
    proxy.set_plan(Pass())
    assert session.get(proxy.url + "/json", timeout=TIMEOUT).headers["Content-Type"] == "application/json"
    for _ in range(2):
        assert session.get(proxy.url + "/json", timeout=TIMEOUT).headers["Content-Type"].startswith("text/html")
    assert [e.outcome for e in proxy.wait_for_events(3)] == ["passed", "captive portal", "captive portal"]


def test_unreachable_server_resets_the_client(session: requests.Session) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        with FaultProxy("127.0.0.1", port) as proxy:
            with pytest.raises(requests.ConnectionError):
                session.get(proxy.url + "/json", timeout=TIMEOUT)
            assert proxy.wait_for_events(1)[0].outcome.startswith("upstream unreachable")


def test_close_stops_the_listener_and_open_connections(server: Server, session: requests.Session) -> None:
    proxy = FaultProxy("127.0.0.1", server.server_address[1])
    assert session.get(proxy.url + "/json", timeout=TIMEOUT).status_code == 200  # leaves a keep-alive connection
    idle = socket.create_connection((proxy.host, proxy.port), timeout=TIMEOUT)
    proxy.wait_until(lambda: proxy.connections == 2)

    proxy.close()

    assert proxy.threads_alive() == 0
    try:
        assert idle.recv(1) == b""
    except ConnectionResetError:
        pass
    finally:
        idle.close()
    with pytest.raises(ConnectionRefusedError), socket.create_connection((proxy.host, proxy.port), timeout=TIMEOUT):
        pass
    server.recorder.wait(lambda r: r.finished == 1)  # the upstream connection was closed too
    proxy.close()  # twice is fine


def test_server_closing_an_idle_connection_gets_a_new_upstream(
    proxy: FaultProxy, server: Server, session: requests.Session
) -> None:
    assert session.get(proxy.url + "/bye", timeout=TIMEOUT).status_code == 200
    server.recorder.wait(lambda r: r.closed == 1)
    assert session.get(proxy.url + "/json", timeout=TIMEOUT).status_code == 200
    assert proxy.connections == 1  # the client's connection stayed open
    assert server.recorder.connections == 2
