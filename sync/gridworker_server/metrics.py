"""Operations: Prometheus metrics and the access log, both from one plain ASGI middleware.

Every request is counted and timed by its route *template* (``/v1/users/{username}/devices``, never
the raw path, which may carry a user name) and status; the access log writes one line per request to
the ``gridworker_server.access`` logger with the method, the template, the status, the duration, the
response bytes and a token fingerprint (the first 12 hex digits of the SHA-256 the server stores as
``devices.token_hash``, so an operator can find the device) — never a name, phone or ID number.

Push results are counted by :func:`count_push_results` (the push core calls it), pull bytes and
sign-in failures by the middleware from the route and status.

With ``serve --workers N`` each worker keeps its own counters: set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty folder before starting the server and ``/metrics`` then sums all workers (prometheus-client's
multiprocess mode); without it a scrape sees the one worker that answered it.

Who may read ``/metrics``: a client on loopback that came through no proxy (no ``X-Forwarded-For``),
or anyone presenting ``Authorization: Bearer $GRIDWORKER_METRICS_TOKEN`` when that is set.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import logging.handlers
import os
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from gridworker_shared.logsafe import SafeFormatter

__all__ = [
    "CONTENT_TYPE",
    "RequestMetrics",
    "configure_access_log",
    "count_push_results",
    "may_read_metrics",
    "render",
]

ENV_TOKEN = "GRIDWORKER_METRICS_TOKEN"
ENV_ACCESS_LOG = "GRIDWORKER_ACCESS_LOG"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED = "(unmatched)"
PULL_ROUTE = "/v1/sync/pull"
SIGN_IN_ROUTES = frozenset({"/v1/auth/login", "/v1/auth/fork"})
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

access_log = logging.getLogger("gridworker_server.access")

REQUESTS = Counter(
    "gridworker_http_requests", "HTTP requests by route template, method and status", ["route", "method", "status"]
)
LATENCY = Histogram(
    "gridworker_http_request_duration_seconds",
    "Time to answer a request, by route template",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RESPONSE_BYTES = Counter("gridworker_http_response_bytes", "Response body bytes sent (after gzip), by route", ["route"])
PULL_BYTES = Counter("gridworker_pull_bytes", "Response body bytes of /v1/sync/pull (after gzip)")
PUSH_RESULTS = Counter("gridworker_push_results", "Pushed mutations by result status", ["status"])
SIGN_IN_FAILURES = Counter("gridworker_sign_in_failures", "Refused sign-ins (4xx on login/fork)", ["status"])


# the labelled children by (route, method, status): ``labels()`` costs a lock and a tuple per call
_CHILDREN: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}


def configure_access_log() -> None:
    """Send the access log where ``GRIDWORKER_ACCESS_LOG`` says: ``-`` for stderr, else a file path
    (appended; reopened when log rotation moves it). Unset: no access log (the logger stays quiet)."""
    target = os.environ.get(ENV_ACCESS_LOG, "")
    if not target or access_log.handlers:
        return
    handler: logging.Handler = (
        logging.StreamHandler() if target == "-" else logging.handlers.WatchedFileHandler(target, encoding="utf-8")
    )
    handler.setFormatter(SafeFormatter("%(asctime)s %(process)d %(message)s"))
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False


def count_push_results(results: Iterable[Any]) -> None:
    """Count a push's results by status (applied, rejected, conflict ...): one increment per status."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    for status, n in counts.items():
        PUSH_RESULTS.labels(status).inc(n)


def token_fingerprint(headers: Iterable[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token:
                return hashlib.sha256(token.encode()).hexdigest()[:12]
    return "-"


def may_read_metrics(client_host: str | None, headers: dict[str, str]) -> bool:
    """Loopback without a proxy in between, or the configured bearer token."""
    token = os.environ.get(ENV_TOKEN, "")
    if token:
        given = headers.get("authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    return client_host in LOOPBACK and "x-forwarded-for" not in headers and "forwarded" not in headers


def render() -> bytes:
    """The exposition text: every worker's when ``PROMETHEUS_MULTIPROC_DIR`` is set, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()


def _route_template(scope: dict[str, Any]) -> str:
    """The matched route's template with the prefix of the router that included it (``/v1``): FastAPI
    puts the route itself in the scope, whose template may lack that prefix, so the prefix is the part
    of the path before the segment where the route's own pattern matches the rest."""
    route = scope.get("route")
    template: str | None = getattr(route, "path_format", None)
    regex = getattr(route, "path_regex", None)
    if not template or regex is None:
        return UNMATCHED
    path: str = scope.get("path", "")
    cut = 0
    while cut != -1:
        if regex.match(path[cut:]):
            return path[:cut] + template
        cut = path.find("/", cut + 1)
    return template


class RequestMetrics:
    """Counts, times and logs every HTTP request (a plain ASGI middleware: no task per request)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        sent = 0

        async def watch(message: dict[str, Any]) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            self._record(scope, status, sent, time.perf_counter() - start)

    @staticmethod
    def _record(scope: dict[str, Any], status: int, sent: int, elapsed: float) -> None:
        route = _route_template(scope)
        method = scope["method"]
        key = (route, method, status)
        children = _CHILDREN.get(key)
        if children is None:  # a few dozen keys: routes x methods x statuses seen
            children = _CHILDREN[key] = (
                REQUESTS.labels(route, method, str(status)),
                LATENCY.labels(route),
                RESPONSE_BYTES.labels(route),
            )
        count, latency, size = children
        count.inc()
        latency.observe(elapsed)
        size.inc(sent)
        if route == PULL_ROUTE:
            PULL_BYTES.inc(sent)
        elif route in SIGN_IN_ROUTES and 400 <= status < 500:
            SIGN_IN_FAILURES.labels(str(status)).inc()
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %d %.1fms %dB token=%s",
                method,
                route,
                status,
                elapsed * 1000,
                sent,
                token_fingerprint(scope.get("headers", ())),
            )
