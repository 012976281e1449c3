"""Logs hold ids, codes, counts and timings, never a resident's name, ID number, phone, address or the
text a user typed (issue 14). The app's log file and the server's output both format through
:class:`SafeFormatter`.

An exception's own text often carries the values it failed on: SQLAlchemy's errors end with
``[parameters: ('张三', '1380013800', ...)]``, a PostgreSQL error's ``DETAIL: Key (id_number)=(...)``,
pydantic's with ``input_value=...``, Python's own with the value quoted (``invalid literal for int():
'张三'``). :func:`describe` renders an exception without them: its type, and what of its message is
safe (the driver's error code and constraint, the validation error's location and type, our errors'
code or untranslated template; anything else with its quoted parts cut out). :func:`format_exception`
is a traceback (files, lines, the source lines, never the locals) with each exception described so.

As a last guard :func:`redact` cuts what looks like an ID number, a phone number or Chinese text out of
every line (logs are written in English: Chinese in one is a resident's name, address or note). A test
session's logs never show its mark (``tests/gui/test_logs_private.py``): it is a net, not the fix.
No Qt, no SQLAlchemy here: exceptions are recognised by their attributes.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Mapping
from typing import Any

__all__ = ["MARK", "SafeFormatter", "describe", "format_exception", "log_uncaught", "redact"]

MARK = "<redacted>"
MAX_MESSAGE = 300

_EDGE_L = r"(?<![0-9A-Za-z])"
_EDGE_R = r"(?![0-9A-Za-z])"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_PERSONAL = re.compile(
    "|".join(
        [
            f"[{_HAN}][{_HAN}·・]*",  # names, addresses, notes: the log's own words are English
            rf"{_EDGE_L}\d{{17}}[\dXx]{_EDGE_R}",  # a resident ID number
            rf"{_EDGE_L}\d{{15}}{_EDGE_R}",  # the old 15-digit ID number
            rf"{_EDGE_L}(?:\+?86[- ]?)?1[3-9]\d{{9}}{_EDGE_R}",  # a mobile phone
            rf"{_EDGE_L}0\d{{2,3}}-\d{{7,8}}{_EDGE_R}",  # a landline with its area code
        ]
    )
)
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
_SQL_HEAD = re.compile(
    r"\s*(INSERT\s+(?:OR\s+\w+\s+)?INTO\s+\S+|UPDATE\s+\S+|DELETE\s+FROM\s+\S+|SELECT|WITH|PRAGMA\s+\w+|\w+)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """``text`` with every ID-number-, phone- or Chinese-looking part replaced by :data:`MARK`."""
    return _PERSONAL.sub(MARK, text)


def _unquoted(text: str) -> str:
    """Quoted parts (where Python, SQLite and PostgreSQL put the offending value) cut out."""
    return _QUOTED.sub(lambda m: m.group(0)[0] * 2, text)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _sql_head(statement: object) -> str:
    """What a statement does and to which table (``UPDATE household``), never the rest: a statement
    may carry a literal (a key pragma) that is no business of a log."""
    if not isinstance(statement, str):
        return ""
    m = _SQL_HEAD.match(statement)
    return " ".join(m.group(1).split()) if m else ""


def _driver_error(orig: BaseException) -> str:
    """A database driver's error: psycopg's SQLSTATE and constraint, SQLite's error name and message."""
    parts: list[str] = []
    sqlstate = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    if sqlstate:
        parts.append(f"[{sqlstate}]")
    if diag is not None:
        for key in ("table_name", "column_name", "constraint_name"):
            value = getattr(diag, key, None)
            if value:
                parts.append(f"{key.removesuffix('_name')}={value}")
        primary = getattr(diag, "message_primary", None)
        if primary:
            parts.append(_unquoted(str(primary)))
    else:
        name = getattr(orig, "sqlite_errorname", None)
        if name:
            parts.append(f"[{name}]")
        parts.append(_unquoted(str(orig).split("\n", 1)[0]))
    return " ".join(p for p in parts if p)


def _validation_errors(exc: BaseException) -> str | None:
    """pydantic's ValidationError and FastAPI's validation exceptions: where and what kind, never the input."""
    errors_of = getattr(exc, "errors", None)
    if not callable(errors_of):
        return None
    try:
        try:
            errors = errors_of(include_url=False, include_context=False, include_input=False)
        except TypeError:  # FastAPI's: a plain method
            errors = errors_of()
    except Exception:
        return None
    if not isinstance(errors, list | tuple):
        return None
    parts = []
    for e in errors[:10]:
        if not isinstance(e, Mapping):
            continue
        loc = ".".join(str(x) for x in e.get("loc", ()))
        parts.append(f"{loc}: {e.get('type', '?')}")
    more = f" (+{len(errors) - 10} more)" if len(errors) > 10 else ""
    title = getattr(exc, "title", "")
    head = f"{title} " if isinstance(title, str) and title else ""
    return f"{head}{len(errors)} error(s): " + "; ".join(parts) + more


def _message(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException) and hasattr(exc, "statement"):  # SQLAlchemy's StatementError family
        sql = _sql_head(getattr(exc, "statement", None))
        where = f" [SQL: {sql} ...]" if sql else ""
        return f"({_type_name(orig)}) {_driver_error(orig)}{where}"
    if hasattr(exc, "sqlite_errorcode") or hasattr(exc, "sqlstate"):  # a driver's own
        return _driver_error(exc)
    found = _validation_errors(exc)
    if found is not None:
        return found
    template = getattr(exc, "template", None)
    if isinstance(template, str):  # our ValidationError and StoreError: the English template, no values
        field = getattr(exc, "field", None)
        return f"{field}: {template}" if isinstance(field, str) and field else template
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:  # our coded refusals (ApiError, SyncError, FlowError ...)
        message = getattr(exc, "message", "")
        text = _unquoted(str(message)) if message and message != code else ""
        return f"[{code}] {text}".rstrip()
    if isinstance(exc, OSError) and exc.strerror:  # no file name: a user names files after residents
        return f"[Errno {exc.errno}] {exc.strerror}" if exc.errno is not None else exc.strerror
    if isinstance(exc, KeyError):
        return _unquoted(repr(exc.args[0])) if exc.args else ""
    try:
        text = str(exc)
    except Exception:
        return "(unprintable)"
    return _unquoted(text)


def describe(exc: BaseException) -> str:
    """``exc`` for a log: its type and the safe part of its message, on one line."""
    try:
        message = redact(_short(_message(exc)))
    except Exception:  # describing must never fail where an error is being logged
        message = "(not described)"
    name = _type_name(exc)
    return f"{name}: {message}" if message else name


def format_exception(exc: BaseException) -> str:
    """A traceback of ``exc`` and the exceptions it was raised from or during, each described by
    :func:`describe`: where it happened, what kind of failure, never the values."""
    parts: list[str] = []
    seen: set[int] = set()

    def walk(e: BaseException) -> None:
        if id(e) in seen:
            return
        seen.add(id(e))
        if e.__cause__ is not None:
            walk(e.__cause__)
            parts.append("\nThe above exception was the direct cause of the following exception:\n\n")
        elif e.__context__ is not None and not e.__suppress_context__:
            walk(e.__context__)
            parts.append("\nDuring handling of the above exception, another exception occurred:\n\n")
        if e.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(e.__traceback__))
        parts.append(describe(e) + "\n")
        if isinstance(e, BaseExceptionGroup):
            for n, sub in enumerate(e.exceptions, 1):
                parts.append(f"--- {n} of {len(e.exceptions)} in the group ---\n")
                walk(sub)

    walk(exc)
    return "".join(parts).rstrip("\n")


def _safe_arg(value: Any) -> Any:
    return describe(value) if isinstance(value, BaseException) else value


class SafeFormatter(logging.Formatter):
    """A formatter whose records show exceptions through :func:`format_exception` (an exception given as
    an argument, ``log.info("failed: %s", exc)``, through :func:`describe`), with :func:`redact` over the
    message. The record itself is left as it came (other handlers format it their own way)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.msg, record.args, record.exc_text
        try:
            args = record.args
            if isinstance(args, tuple):
                record.args = tuple(_safe_arg(a) for a in args)
            elif isinstance(args, Mapping):
                record.args = {k: _safe_arg(v) for k, v in args.items()}
            record.msg, record.args = redact(_render(record)), None
            exc = record.exc_info[1] if record.exc_info else None
            record.exc_text = format_exception(exc) if exc is not None else None
            return super().format(record)
        finally:
            record.msg, record.args, record.exc_text = saved

    def formatException(self, ei: Any) -> str:
        exc = ei[1] if ei else None
        return format_exception(exc) if isinstance(exc, BaseException) else ""


def _render(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a format string and its arguments that do not match: say so, not crash the log
        return f"(unformattable log message {str(record.msg)[:80]!r})"


def log_uncaught(logger: logging.Logger) -> None:
    """Exceptions nobody caught (a Qt slot's, a thread's) go to ``logger`` (so through its handlers'
    formatters), and to stderr only as :func:`format_exception` renders them, instead of Python's full
    text with the values in it."""

    def hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        logger.critical("uncaught exception", exc_info=(kind, exc, tb))
        if sys.stderr is not None:  # a windowed app on Windows has none
            print(format_exception(exc), file=sys.stderr)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        logger.critical(
            "uncaught exception in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
        )

    sys.excepthook = hook
    threading.excepthook = thread_hook
