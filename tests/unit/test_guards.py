"""The suite's own guards (tests/helpers/netguard.py, tests/helpers/logfail.py) fire: a connection
beyond loopback is refused before a packet leaves, and a test that logs an unexpected warning fails."""

from __future__ import annotations

import logging
import os
import socket
import textwrap
import threading
from pathlib import Path

import pytest

from tests.helpers import netguard
from tests.helpers.logfail import ExpectLog
from tests.helpers.netguard import NonLoopbackConnectionError

pytest_plugins = ["pytester"]

TEST_NET = "192.0.2.1"  # TEST-NET-1 (RFC 5737): routed nowhere, so a real connect would hang, not fail
ROOT = Path(__file__).resolve().parents[2]


def test_a_connection_to_test_net_is_refused_before_the_real_connect() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)  # a real connect would start and say EINPROGRESS (BlockingIOError)
    try:
        with pytest.raises(NonLoopbackConnectionError, match=TEST_NET):
            sock.connect((TEST_NET, 80))
        with pytest.raises(NonLoopbackConnectionError):
            sock.connect_ex((TEST_NET, 80))
        with pytest.raises(OSError) as no_peer:  # never connected, not even half-way
            sock.getpeername()
        assert no_peer.value.errno is not None
    finally:
        sock.close()
    assert netguard.take_attempts() == [f"connect to {(TEST_NET, 80)!r}"] * 2


def test_create_connection_and_name_lookups_are_refused() -> None:
    with pytest.raises(NonLoopbackConnectionError):
        socket.create_connection((TEST_NET, 443), timeout=30)
    with pytest.raises(NonLoopbackConnectionError):
        socket.getaddrinfo("example.com", 443)  # no DNS query either
    sock6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    try:
        with pytest.raises(NonLoopbackConnectionError):
            sock6.connect(("2001:db8::1", 80, 0, 0))
    finally:
        sock6.close()
    assert len(netguard.take_attempts()) == 3


def test_a_refusal_swallowed_by_the_code_still_fails_the_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run_inner(
        pytester,
        monkeypatch,
        """
        import socket

        def test_swallows() -> None:
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=30)
            except Exception:
                pass  # the code under test treats it as "offline"
        """,
    )
    outcome.assert_outcomes(failed=1)
    outcome.stdout.fnmatch_lines(["*network access beyond loopback during the test*192.0.2.1*"])


def test_loopback_and_unix_sockets_are_allowed(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("localhost", port), timeout=10) as client:
            peer, _ = server.accept()
            client.sendall(b"ok")
            assert peer.recv(2) == b"ok"
            peer.close()
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)
    assert netguard.take_attempts() == []


@pytest.mark.expect_log("gridworker.test_guards", "WARNING", match="declared")
def test_a_declared_warning_passes() -> None:
    logging.getLogger("gridworker.test_guards").warning("a declared warning")


def test_the_fixture_expects_a_warning_from_another_thread(expect_log: ExpectLog) -> None:
    log = logging.getLogger("gridworker.test_guards")
    with expect_log("gridworker", "ERROR", match="from a thread"):
        thread = threading.Thread(target=log.error, args=("logged from a thread",))
        thread.start()
        thread.join()


def test_unexpected_and_missing_log_messages_fail(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = run_inner(
        pytester,
        monkeypatch,
        """
        import logging
        import pytest

        def test_warns() -> None:
            logging.getLogger("gridworker.x").warning("nobody said this would happen")

        def test_info_is_fine() -> None:
            logging.getLogger("gridworker.x").info("just so you know")

        @pytest.mark.expect_log("gridworker.x", "ERROR", match="broke")
        def test_declared_but_silent() -> None:
            pass

        @pytest.mark.expect_log("gridworker.x", "ERROR", match="broke")
        def test_declared_other_level() -> None:
            logging.getLogger("gridworker.x").warning("broke")
        """,
    )
    outcome.assert_outcomes(passed=1, failed=3)
    outcome.stdout.fnmatch_lines(
        [
            "*unexpected log message(s) during the test*",
            "*WARNING on gridworker.x (MainThread): nobody said this would happen*",
        ]
    )
    outcome.stdout.fnmatch_lines(["*expected log message(s) never came: ERROR on gridworker.x matching 'broke'*"])


def run_inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, source: str) -> pytest.RunResult:
    """A pytest run in its own process with only the guards as plugins (in this process, the inner
    test's log records and connections would reach this test's guards too)."""
    pytester.makepyfile(test_inner=textwrap.dedent(source))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return pytester.runpytest_subprocess(
        "-p", "tests.helpers.logfail", "-p", "tests.helpers.netguard", "-p", "no:cacheprovider", "-q"
    )
