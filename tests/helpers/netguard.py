"""The suite runs with no network but loopback (STYLE row 30; Dangerzone's CI runs without a network).

Loaded as a plugin, this replaces ``socket.socket.connect``, ``connect_ex``, ``socket.create_connection``
and ``socket.getaddrinfo`` in the test process, in every thread: a connection to anything but
127.0.0.0/8, ``::1``, ``localhost`` or a Unix socket, and a name lookup of anything but those, raise
:class:`NonLoopbackConnectionError` before the real call, so no packet leaves. The error is not an
``OSError``, so code that treats a network error as "offline" does not swallow it; and should something
catch it anyway, the test still fails after the phase it happened in. Subprocesses are not covered (the
servers the tests start bind to 127.0.0.1 and the tests' clients connect there).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Generator
from typing import Any

import pytest

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class NonLoopbackConnectionError(RuntimeError):
    """A test tried to reach beyond this machine."""


_lock = threading.Lock()
_attempts: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_create_connection = socket.create_connection
_real_getaddrinfo = socket.getaddrinfo


def is_loopback(host: object) -> bool:
    """Whether ``host`` (an IP literal or a name) is this machine, without resolving anything."""
    if host is None or host == "" or host == b"":
        return True  # getaddrinfo(None, port): the local host, for a bind
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower().rstrip(".") in LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False  # a name: resolving it would ask a DNS server
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified  # 0.0.0.0 and :: mean this machine when connecting


def _refuse(what: str) -> None:
    with _lock:
        _attempts.append(what)
    raise NonLoopbackConnectionError(f"the tests run without a network: {what}")


def _check_address(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else address
        if not is_loopback(host):
            _refuse(f"connect to {address!r}")


def _connect(self: socket.socket, address: Any) -> None:
    _check_address(self, address)
    _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(self, address)
    return _real_connect_ex(self, address)


def _create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    if not is_loopback(address[0]):
        _refuse(f"create_connection to {address!r}")
    return _real_create_connection(address, *args, **kwargs)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not is_loopback(host):
        _refuse(f"name lookup of {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign,assignment]
    socket.create_connection = _create_connection  # type: ignore[assignment]
    socket.getaddrinfo = _getaddrinfo


def uninstall() -> None:
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
    socket.create_connection = _real_create_connection
    socket.getaddrinfo = _real_getaddrinfo


def take_attempts() -> list[str]:
    """The refused attempts since the last call (the guard's own test takes the ones it provoked)."""
    with _lock:
        attempts = list(_attempts)
        _attempts.clear()
    return attempts


def pytest_configure(config: pytest.Config) -> None:
    install()


def pytest_unconfigure(config: pytest.Config) -> None:
    uninstall()


def _check(when: str) -> None:
    attempts = take_attempts()
    if attempts:
        pytest.fail(f"network access beyond loopback during {when}: {'; '.join(attempts)}", pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    take_attempts()
    yield
    _check("set-up")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    yield
    _check("the test")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    yield
    _check("tear-down")
