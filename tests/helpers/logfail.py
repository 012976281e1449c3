"""A test fails on a logged warning or error it did not expect (qutebrowser ``tests/helpers/logfail.py``).

A handler on the root logger collects every record at WARNING or above, from any logger and any thread
(the writer thread, an in-process server); after each phase of a test (set-up, call, tear-down) the
records that no expectation covers fail that phase. pytest-qt's ``qt_log_level_fail`` does the same for
Qt's own messages.

A test declares what it expects, either for its whole run::

    @pytest.mark.expect_log("gridworker.store.schema", "WARNING", match="stays in .* journal mode")

or for a block, which must then log it::

    def test_x(expect_log: ExpectLog) -> None:
        with expect_log("gridworker.syncing", "ERROR", match="refused"):
            ...

``logger`` covers that logger and its children; ``match`` is a regular expression searched in the
message. An expectation must be met: a marked test that never logs what it declared fails too (``optional=True``
for a record that may or may not come, say from a thread racing the test's end).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

import pytest

MIN_LEVEL = logging.WARNING


@dataclass
class Expected:
    """Records of ``logger`` (or a child) at ``level`` whose message matches ``match``."""

    logger: str
    level: int
    match: str = ""
    optional: bool = False
    seen: int = field(default=0, compare=False)

    def covers(self, record: logging.LogRecord) -> bool:
        name_ok = record.name == self.logger or record.name.startswith(self.logger + ".") or self.logger == ""
        return name_ok and record.levelno == self.level and re.search(self.match, record.getMessage()) is not None

    def __str__(self) -> str:
        return f"{logging.getLevelName(self.level)} on {self.logger or 'root'} matching {self.match!r}"


def _level(level: int | str) -> int:
    if isinstance(level, int):
        return level
    value = logging.getLevelName(level.upper())
    if not isinstance(value, int):
        raise ValueError(f"unknown log level {level!r}")
    return value


def expected(logger: str, level: int | str = "WARNING", match: str = "", *, optional: bool = False) -> Expected:
    return Expected(logger, _level(level), match, optional)


class LogFailHandler(logging.Handler):
    """Keeps the records at WARNING or above that no current expectation covers."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self._lock_records = threading.Lock()
        self.unexpected: list[logging.LogRecord] = []
        self.expectations: list[Expected] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < MIN_LEVEL:
            return
        with self._lock_records:
            for exp in reversed(self.expectations):
                if exp.covers(record):
                    exp.seen += 1
                    return
            self.unexpected.append(record)

    def take(self) -> list[logging.LogRecord]:
        with self._lock_records:
            records, self.unexpected = self.unexpected, []
        return records


_handler = LogFailHandler()

ExpectLog = Callable[..., AbstractContextManager[None]]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "expect_log(logger, level='WARNING', match='', optional=False): the test logs this warning or error, "
        "and it does not fail the test (tests/helpers/logfail.py)",
    )
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)


def pytest_unconfigure(config: pytest.Config) -> None:
    logging.getLogger().removeHandler(_handler)


def _format(records: list[logging.LogRecord]) -> str:
    lines = [f"  {r.levelname} on {r.name} ({r.threadName}): {r.getMessage()}" for r in records[:20]]
    if len(records) > 20:
        lines.append(f"  ... and {len(records) - 20} more")
    return "\n".join(lines)


def _check(when: str) -> None:
    records = _handler.take()
    if records:
        pytest.fail(
            f"unexpected log message(s) during {when} (declare them with @pytest.mark.expect_log or the "
            f"expect_log fixture):\n{_format(records)}",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    _handler.take()  # whatever an earlier test's threads logged after it ended is not this test's
    _handler.expectations = [expected(*m.args, **m.kwargs) for m in item.iter_markers("expect_log")]
    yield
    _check("set-up")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    yield
    _check("the test")
    unmet = [str(e) for e in _handler.expectations if not e.seen and not e.optional]
    if unmet:
        pytest.fail(f"expected log message(s) never came: {'; '.join(unmet)}", pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    try:
        yield
        _check("tear-down")
    finally:
        _handler.expectations = []


@pytest.fixture
def expect_log() -> ExpectLog:
    """``with expect_log(logger, level, match):`` the block must log a matching record, which does not
    fail the test."""

    @contextmanager
    def expecting(logger: str, level: int | str = "WARNING", match: str = "") -> Iterator[None]:
        exp = expected(logger, level, match)
        _handler.expectations.append(exp)
        try:
            yield
        finally:
            _handler.expectations.remove(exp)
        assert exp.seen, f"expected a log message: {exp}"

    return expecting
