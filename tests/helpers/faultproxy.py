"""A fault-injecting HTTP/1.1 proxy on loopback, for testing what a client does when the network misbehaves.

``FaultProxy(host, port)`` listens on 127.0.0.1 on a free port (``proxy.url``) and forwards to the target. It
understands just enough HTTP/1.1 to find where each request and each response ends, so a *fault plan* applies per
HTTP request, also on keep-alive connections (requests.Session reuses them)::

    with FaultProxy("127.0.0.1", server_port) as proxy:
        proxy.set_plan(Pass(), ResetBeforeResponse())  # 1st request passes, 2nd: server commits, client gets RST
        session.post(proxy.url + "/push", json=...)

Faults are taken from the plan, in order, when the first byte of a request arrives (idle keep-alive connections
take none); when the plan is empty ``proxy.default`` applies (``Pass()`` unless set otherwise).

=======================  ==========================================================================================
fault                    what happens / what a ``requests`` client sees
=======================  ==========================================================================================
``Pass()``               forwarded both ways unchanged
``ResetImmediately()``   the connection is reset (RST) as soon as the request starts arriving, nothing read or
                         forwarded: ``ConnectionError``
``CutRequest(n)``        the first n bytes of the request (head + body; ``body=True``: of the body, after the whole
                         head) reach the server, which then sees EOF; the client gets a RST: ``ConnectionError``
``ResetBeforeResponse()``the whole request reaches the server and its whole response is read (the server has
                         committed), then the client gets a RST and none of it: ``ConnectionError``
``CutResponse(n)``       the first n bytes of the response (``body=True``: of the body, after the whole head) reach
                         the client, then FIN (``reset=True``: RST, which may also drop bytes still in flight).
                         Cut in the head: ``ConnectionError`` -- but http.client takes a complete status line
                         followed by EOF for a header-less 200 with an empty body; cut in a Content-Length or
                         chunked body: ``ChunkedEncodingError`` (also gzip, as the length check comes first);
                         a close-delimited body (no length) is silently truncated.
``Html200()``            the server is not contacted: ``200 OK`` ``text/html`` captive-portal page, then close
=======================  ==========================================================================================

A fault that closes the connection closes the client's connection and the proxy's upstream connection together;
the next request arrives on a new connection. Per connection the proxy holds one upstream connection, opened at the
first request that needs the server. When the server ends the connection after a response (``Connection:
close``, HTTP/1.0, or a close-delimited body) the client's connection is closed too, as the server would have;
when the server closes an *idle* keep-alive connection, the proxy only drops its upstream and opens a new one for
the next request (so a client never trips over the server's idle timeout through the proxy).

Observability: ``connections``, ``requests`` and ``faults_applied`` counters and ``events`` (one
:class:`ProxyEvent` per request). A fault that ends the connection records its event before the client can see
the close/reset (Html200: before the page is sent); a passed request's event may come just after the client has
its response, so wait with :meth:`FaultProxy.wait_for_events` / :meth:`FaultProxy.wait_until` (no sleeps).

Not supported: ``Expect: 100-continue`` (requests never sends it), pipelined requests are handled one after
another, ``101 Switching Protocols`` is forwarded one way only until EOF. Latency faults are deliberately absent.
Threads and the stdlib ``socket`` only.
"""

from __future__ import annotations

import contextlib
import enum
import selectors
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Final

__all__ = [
    "CAPTIVE_PORTAL_HTML",
    "CutRequest",
    "CutResponse",
    "Fault",
    "FaultProxy",
    "Html200",
    "Pass",
    "ProxyEvent",
    "ResetBeforeResponse",
    "ResetImmediately",
]

CAPTIVE_PORTAL_HTML: Final = (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Wi-Fi login</title></head>\n'
    "<body><h1>Welcome to Free Wi-Fi</h1><p>Please sign in to continue.</p>"
    '<form method="post" action="/login"><input name="phone"><button>Sign in</button></form></body></html>\n'
)

_MAX_HEAD: Final = 64 * 1024
_CHUNK: Final = 64 * 1024


# ---------------------------------------------------------------------------------------------------- faults


@dataclass(frozen=True)
class Pass:
    """Forward the request and its response unchanged."""


@dataclass(frozen=True)
class CutRequest:
    """Forward only the first `after_bytes` of the request, then close both sides (server: EOF, client: RST).

    With ``body=True`` the head is forwarded whole and `after_bytes` counts body bytes.
    """

    after_bytes: int
    body: bool = False


@dataclass(frozen=True)
class ResetBeforeResponse:
    """Forward the whole request, read the server's whole response, then RST the client: committed, answer lost."""


@dataclass(frozen=True)
class CutResponse:
    """Forward only the first `after_bytes` of the response, then close the client side (FIN, or RST if `reset`).

    With ``body=True`` the head is forwarded whole and `after_bytes` counts body bytes (as on the wire: chunk
    framing counts, content encodings are not undone).
    """

    after_bytes: int
    body: bool = False
    reset: bool = False


@dataclass(frozen=True)
class ResetImmediately:
    """RST the connection as soon as a request starts arriving; nothing reaches the server."""


@dataclass(frozen=True)
class Html200:
    """Answer ``200 OK`` with an HTML page (a captive portal) without contacting the server, then close."""

    html: str = CAPTIVE_PORTAL_HTML


Fault = Pass | CutRequest | ResetBeforeResponse | CutResponse | ResetImmediately | Html200


@dataclass(frozen=True)
class ProxyEvent:
    """What happened to one request (or to a connection that broke before a request could be parsed)."""

    connection: int  # 1-based number of the client connection
    request: int  # 1-based number of the request on that connection
    fault: Fault
    outcome: str  # passed | request cut | reset before response | response cut | reset | captive portal | ...
    method: str = ""
    target: str = ""
    request_bytes: int = 0  # request bytes forwarded to the server (head included)
    response_bytes: int = 0  # response bytes read from the server
    client_bytes: int = 0  # response bytes forwarded to the client
    status: int | None = None  # the server's status code, if a response head was read
    upstream_connected: bool = False  # whether this request used a connection to the server


# ---------------------------------------------------------------------------------------------------- HTTP bits


class _EofError(Exception):
    """The peer closed the connection before the message was complete."""


class _CutError(Exception):
    """The byte budget of a cut is spent."""


class _BadMessageError(Exception):
    """Not HTTP/1.x this proxy understands."""


class _Reader:
    """Buffered reads from a socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()

    def fill(self) -> bool:
        data = self.sock.recv(_CHUNK)
        if not data:
            return False
        self.buf += data
        return True

    def take(self, n: int) -> bytes:
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read_until(self, delim: bytes, limit: int = _MAX_HEAD) -> bytes:
        start = 0
        while True:
            i = self.buf.find(delim, start)
            if i >= 0:
                return self.take(i + len(delim))
            if len(self.buf) > limit:
                raise _BadMessageError(f"no {delim!r} within {limit} bytes")
            start = max(0, len(self.buf) - len(delim) + 1)
            if not self.fill():
                raise _EofError

    def read_some(self, max_n: int) -> bytes:
        if not self.buf and not self.fill():
            raise _EofError
        return self.take(min(max_n, len(self.buf)))


@dataclass(frozen=True)
class _Head:
    raw: bytes
    start: list[str]  # request: method, target, version; response: version, status, reason
    headers: list[tuple[str, str]]

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name]

    def tokens(self, name: str) -> set[str]:
        return {t.strip().lower() for v in self.values(name) for t in v.split(",") if t.strip()}


def _parse_head(raw: bytes) -> _Head:
    lines = raw.decode("latin-1").split("\r\n")
    start = lines[0].split(" ", 2)
    if len(start) < 2:
        raise _BadMessageError(f"bad start line {lines[0]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise _BadMessageError(f"bad header line {line!r}")
        headers.append((name.strip().lower(), value.strip()))
    return _Head(raw, start, headers)


# A body's framing: ("length", n), ("chunked", 0) or ("eof", 0) (until the server closes).
_Framing = tuple[str, int]


def _length_framing(head: _Head) -> _Framing | None:
    if "chunked" in head.tokens("transfer-encoding"):
        return ("chunked", 0)
    lengths = {v.strip() for v in head.values("content-length")}
    if len(lengths) > 1:
        raise _BadMessageError(f"conflicting Content-Length {sorted(lengths)}")
    if lengths:
        try:
            return ("length", int(lengths.pop()))
        except ValueError as exc:
            raise _BadMessageError("bad Content-Length") from exc
    return None


def _request_framing(head: _Head) -> _Framing:
    return _length_framing(head) or ("length", 0)


def _response_framing(method: str, status: int, head: _Head) -> _Framing:
    if method == "HEAD" or status in (204, 304) or (100 <= status < 200 and status != 101):
        return ("length", 0)
    if status == 101:
        return ("eof", 0)
    return _length_framing(head) or ("eof", 0)


def _forward_body(reader: _Reader, framing: _Framing, out: Callable[[bytes], None]) -> None:
    kind, length = framing
    if kind == "length":
        _forward_exact(reader, length, out)
    elif kind == "chunked":
        while True:
            line = reader.read_until(b"\r\n", 4096)
            out(line)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError as exc:
                raise _BadMessageError(f"bad chunk size line {line!r}") from exc
            if size == 0:
                while True:  # trailers, up to the empty line
                    trailer = reader.read_until(b"\r\n", _MAX_HEAD)
                    out(trailer)
                    if trailer == b"\r\n":
                        return
            _forward_exact(reader, size + 2, out)  # the data and its CRLF
    else:
        while reader.buf or reader.fill():
            out(reader.take(len(reader.buf)))


def _forward_exact(reader: _Reader, n: int, out: Callable[[bytes], None]) -> None:
    while n > 0:
        data = reader.read_some(min(n, _CHUNK))
        out(data)
        n -= len(data)


class _Sink:
    """Writes to a socket (or nowhere), counting bytes; raises _CutError once an armed budget is spent."""

    def __init__(self, sock: socket.socket | None) -> None:
        self.sock = sock
        self.sent = 0
        self.limit: int | None = None

    def arm(self, budget: int) -> None:
        self.limit = self.sent + max(0, budget)
        if budget <= 0:
            raise _CutError

    def __call__(self, data: bytes) -> None:
        if self.limit is not None:
            data = data[: max(0, self.limit - self.sent)]
        if data and self.sock is not None:
            self.sock.sendall(data)
        self.sent += len(data)
        if self.limit is not None and self.sent >= self.limit:
            raise _CutError


def _discard(_data: bytes) -> None:
    pass


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer gets a RST, unsent data is dropped."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


def _finish(sock: socket.socket) -> None:
    """Send FIN after what was written, then close."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)
    with contextlib.suppress(OSError):
        sock.close()


class _After(enum.Enum):
    KEEP = "keep"  # wait for the next request on this connection
    CLOSE = "close"  # FIN the client
    RESET = "reset"  # RST the client


# ---------------------------------------------------------------------------------------------------- the proxy


class FaultProxy:
    """See the module docstring. Listens from construction on; ``close()`` (or leaving ``with``) stops it."""

    def __init__(
        self, target_host: str, target_port: int, *, default: Fault | None = None, io_timeout: float | None = 60.0
    ) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.io_timeout = io_timeout
        self._cond = threading.Condition()  # an RLock inside: predicates may read the properties below
        self._plan: deque[Fault] = deque()
        self._default: Fault = default or Pass()
        self._events: list[ProxyEvent] = []
        self._connections = 0
        self._requests = 0
        self._faults_applied = 0
        self._closing = False
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []

        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self._listener.setblocking(False)
        self.host = "127.0.0.1"
        self.port: int = self._listener.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"faultproxy-{self.port}", daemon=True)
        self._acceptor.start()

    # ------------------------------------------------------------------ plan and observation

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def set_plan(self, *faults: Fault) -> None:
        """Replace the queue of faults: the next requests get them in order, then ``default``."""
        with self._cond:
            self._plan = deque(faults)

    def add(self, *faults: Fault) -> None:
        """Append faults to the queue."""
        with self._cond:
            self._plan.extend(faults)

    @property
    def pending(self) -> list[Fault]:
        """The faults not yet taken."""
        with self._cond:
            return list(self._plan)

    @property
    def default(self) -> Fault:
        with self._cond:
            return self._default

    @default.setter
    def default(self, fault: Fault) -> None:
        with self._cond:
            self._default = fault

    @property
    def connections(self) -> int:
        """Client connections accepted."""
        with self._cond:
            return self._connections

    @property
    def requests(self) -> int:
        """Requests that started arriving (each took a fault)."""
        with self._cond:
            return self._requests

    @property
    def faults_applied(self) -> int:
        """Requests that got a fault other than Pass (counted when their event is recorded)."""
        with self._cond:
            return self._faults_applied

    @property
    def events(self) -> list[ProxyEvent]:
        """A copy of the events so far, in the order they were recorded."""
        with self._cond:
            return list(self._events)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Block until `predicate()` holds (re-checked whenever the proxy records something); TimeoutError if not."""
        with self._cond:
            if not self._cond.wait_for(predicate, timeout):
                raise TimeoutError(f"fault proxy: condition not met within {timeout}s; events: {self._events}")

    def wait_for_events(self, count: int, timeout: float = 10.0) -> list[ProxyEvent]:
        """Block until at least `count` events are recorded; return them all."""
        self.wait_until(lambda: len(self._events) >= count, timeout)
        return self.events

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Stop listening, break every open connection and join the threads. Safe to call twice."""
        with self._cond:
            if self._closing:
                return
            self._closing = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        self._acceptor.join(timeout=10)
        with self._cond:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=10)
        for sock in (self._listener, self._wake_r, self._wake_w):
            sock.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def threads_alive(self) -> int:
        """Connection threads still running (0 after close())."""
        with self._cond:
            return sum(t.is_alive() for t in self._threads) + self._acceptor.is_alive()

    # ------------------------------------------------------------------ internals

    def _accept_loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                for key, _mask in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    try:
                        client, _addr = self._listener.accept()
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        return
                    client.setblocking(True)
                    client.settimeout(self.io_timeout)
                    with self._cond:
                        if self._closing:
                            _reset(client)
                            return
                        self._connections += 1
                        number = self._connections
                        self._sockets.add(client)
                        thread = threading.Thread(
                            target=self._serve, args=(number, client), name=f"faultproxy-{self.port}-{number}"
                        )
                        thread.daemon = True
                        self._threads.append(thread)
                        self._cond.notify_all()
                    thread.start()

    def _take_fault(self) -> Fault:
        with self._cond:
            self._requests += 1
            self._cond.notify_all()
            return self._plan.popleft() if self._plan else self._default

    def _record(self, event: ProxyEvent) -> None:
        with self._cond:
            self._events.append(event)
            if not isinstance(event.fault, Pass):
                self._faults_applied += 1
            self._cond.notify_all()

    def _untrack(self, sock: socket.socket) -> None:
        with self._cond:
            self._sockets.discard(sock)

    def _serve(self, number: int, client: socket.socket) -> None:
        reader = _Reader(client)
        upstream = _Upstream()
        after = _After.CLOSE
        try:
            index = 0
            while True:
                try:
                    if not self._await_request(reader, upstream):
                        return  # the client closed an idle connection, or it idled out
                except OSError:
                    return
                index += 1
                fault = self._take_fault()
                exchange = _Exchange(self, number, index, fault, client, reader, upstream)
                after = exchange.run()
                exchange.record()
                if after is not _After.KEEP:
                    return
        finally:
            with self._cond:
                self._sockets.discard(client)
                if upstream.sock is not None:
                    self._sockets.discard(upstream.sock)
                    _finish(upstream.sock)  # the server sees EOF (the kernel sends RST if its bytes were unread)
                if after is _After.RESET:
                    _reset(client)
                else:
                    _finish(client)

    def _await_request(self, reader: _Reader, upstream: _Upstream) -> bool:
        """Wait for the first bytes of the next request; meanwhile drop the upstream if the server closes it."""
        if reader.buf:
            return True
        with selectors.DefaultSelector() as selector:
            selector.register(reader.sock, selectors.EVENT_READ, "client")
            if upstream.sock is not None:
                selector.register(upstream.sock, selectors.EVENT_READ, "server")
            while True:
                ready = {key.data for key, _mask in selector.select(self.io_timeout)}
                if not ready:
                    return False
                if "server" in ready and upstream.sock is not None:
                    # the server closed its idle keep-alive connection (or sent something unasked): the next
                    # request gets a new upstream connection, the client's connection stays as it is
                    selector.unregister(upstream.sock)
                    with self._cond:
                        self._sockets.discard(upstream.sock)
                    _finish(upstream.sock)
                    upstream.sock = upstream.reader = None
                if "client" in ready:
                    return reader.fill()

    def _connect_upstream(self) -> socket.socket:
        sock = socket.create_connection((self.target_host, self.target_port), timeout=self.io_timeout)
        with self._cond:
            if self._closing:
                sock.close()
                raise OSError("fault proxy closing")
            self._sockets.add(sock)
        return sock


class _Upstream:
    """The connection to the server that belongs to one client connection, opened when first needed."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.reader: _Reader | None = None


class _Exchange:
    """One request and its response on a client connection, with one fault."""

    def __init__(
        self,
        proxy: FaultProxy,
        connection: int,
        request: int,
        fault: Fault,
        client: socket.socket,
        reader: _Reader,
        upstream: _Upstream,
    ) -> None:
        self.proxy = proxy
        self.connection = connection
        self.request = request
        self.fault = fault
        self.client = client
        self.reader = reader
        self.upstream = upstream
        self.outcome = ""
        self.method = ""
        self.target = ""
        self.to_server = _Sink(None)
        self.from_server = 0
        self.to_client = _Sink(client)
        self.status: int | None = None
        self.used_upstream = False
        self.recorded = False

    def record(self) -> None:
        """Record this exchange's event (once)."""
        if not self.recorded:
            self.recorded = True
            self.proxy._record(self.event())

    def event(self) -> ProxyEvent:
        return ProxyEvent(
            connection=self.connection,
            request=self.request,
            fault=self.fault,
            outcome=self.outcome,
            method=self.method,
            target=self.target,
            request_bytes=self.to_server.sent,
            response_bytes=self.from_server,
            client_bytes=self.to_client.sent,
            status=self.status,
            upstream_connected=self.used_upstream,
        )

    def run(self) -> _After:
        try:
            return self._run()
        except _EofError:
            self.outcome = self.outcome or "peer closed mid-message"
            return _After.CLOSE
        except _BadMessageError as exc:
            self.outcome = f"bad message: {exc}"
            return _After.RESET
        except OSError as exc:
            self.outcome = f"error: {exc!r}"
            return _After.RESET
        except Exception as exc:  # a bug here must show in the events, not kill the thread silently
            self.outcome = f"proxy error: {exc!r}"
            return _After.RESET

    def _run(self) -> _After:
        fault = self.fault
        if isinstance(fault, ResetImmediately):
            self.outcome = "reset"
            return _After.RESET

        self.outcome = "client closed mid-request"
        head_raw = self.reader.read_until(b"\r\n\r\n")
        head = _parse_head(head_raw)
        self.method, self.target = head.start[0].upper(), head.start[1]
        framing = _request_framing(head)

        if isinstance(fault, Html200):
            _forward_body(self.reader, framing, _discard)  # read it all: closing on unread data would RST
            page = fault.html.encode("utf-8")
            self.outcome = "captive portal"
            self.record()  # before the client can see the page
            self.to_client(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
                b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(page) + page
            )
            return _After.CLOSE

        if self.upstream.sock is None or self.upstream.reader is None:
            try:
                self.upstream.sock = self.proxy._connect_upstream()
            except OSError as exc:
                self.outcome = f"upstream unreachable: {exc!r}"
                return _After.RESET
            self.upstream.reader = _Reader(self.upstream.sock)
        server, server_reader = self.upstream.sock, self.upstream.reader
        self.used_upstream = True
        self.to_server = _Sink(server)

        if isinstance(fault, CutRequest):
            self.outcome = "request cut"
            try:
                if not fault.body:
                    self.to_server.arm(fault.after_bytes)
                self.to_server(head_raw)
                if fault.body:
                    self.to_server.arm(fault.after_bytes)
                _forward_body(self.reader, framing, self.to_server)
            except _CutError:
                pass
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_WR)  # the server sees EOF in the middle of the request
            return _After.RESET

        self.outcome = "client closed mid-request"
        self.to_server(head_raw)
        _forward_body(self.reader, framing, self.to_server)

        self.outcome = "server closed before responding"
        # ResetBeforeResponse: the response is read whole and dropped
        to_client = _Sink(None) if isinstance(fault, ResetBeforeResponse) else self.to_client
        cut = fault if isinstance(fault, CutResponse) else None
        try:
            if cut is not None and not cut.body:
                to_client.arm(cut.after_bytes)
            response = self._forward_response(server_reader, to_client, cut)
        except _CutError:
            response = None
        if cut is not None:
            self.outcome = "response cut"
            return _After.RESET if cut.reset else _After.CLOSE
        if isinstance(fault, ResetBeforeResponse):
            self.outcome = "reset before response"
            return _After.RESET
        self.outcome = "passed"
        assert response is not None
        if self._reusable(head, response):
            return _After.KEEP
        return _After.CLOSE

    def _forward_response(self, server_reader: _Reader, to_client: _Sink, cut: CutResponse | None) -> _Head:
        counted = self._counting(to_client)
        while True:
            self.outcome = "server closed before responding"
            raw = server_reader.read_until(b"\r\n\r\n")
            self.from_server += len(raw)
            response = _parse_head(raw)
            try:
                self.status = int(response.start[1])
            except ValueError as exc:
                raise _BadMessageError(f"bad status line {response.start!r}") from exc
            self.outcome = "server closed mid-response"
            to_client(raw)
            if 100 <= self.status < 200 and self.status != 101:
                continue  # interim response: the final one follows
            if cut is not None and cut.body:
                to_client.arm(cut.after_bytes)
            _forward_body(server_reader, _response_framing(self.method, self.status, response), counted)
            return response

    def _counting(self, sink: _Sink) -> Callable[[bytes], None]:
        def out(data: bytes) -> None:
            self.from_server += len(data)
            sink(data)

        return out

    def _reusable(self, request: _Head, response: _Head) -> bool:
        framing = _response_framing(self.method, self.status or 0, response)
        return (
            framing[0] != "eof"
            and request.start[2:] == ["HTTP/1.1"]
            and response.start[0] == "HTTP/1.1"
            and "close" not in request.tokens("connection")
            and "close" not in response.tokens("connection")
        )
