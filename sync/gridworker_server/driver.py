"""Statements on the hot paths run straight through the driver on PostgreSQL.

SQLAlchemy's execution path costs some 75 µs of Python a statement even for a cached, compiled one (and
more for an expanding ``IN``, rendered again at every call). The statements every request runs (the
token's read, the pull's reads) are compiled once to psycopg's SQL and run on the connection's own
cursor, in its transaction; their lists are arrays (:func:`among`), so the text never changes and the
driver prepares it. SQLite takes SQLAlchemy's ordinary path.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import uuid
from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.types.json import Json, Jsonb
from sqlalchemy import Connection, any_, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

# keyed by the statement itself (held here, so its id is never reused by another object)
_DRIVER_SQL: dict[Any, tuple[str, dict[str, Any], Any] | None] = {}


def among(column: Any, name: str, dialect: str) -> Any:
    """``column`` among the values of a list bound as ``name``: on PostgreSQL ``= ANY`` of an array, one
    statement text whatever the list's length (compiled once, prepared by the driver, runnable through
    :func:`all_rows`), elsewhere an expanding ``IN``."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


class _TextArray(list[Any]):
    """A list of ids, numbers or words bound as an array literal in text (``{"…","…"}``): the
    statement's own cast (``::UUID[]``) types it. psycopg's list dumper looks at the elements again at
    every call and dumps each one through its own dumper, some 30 µs a statement for a list of three."""


class _TextArrayDumper(Dumper):
    oid = 0  # unknown: the cast in the statement gives the type

    def dump(self, obj: Any) -> bytes:
        return ("{" + ",".join("NULL" if x is None else _quoted(str(x)) for x in obj) + "}").encode()


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _ArrayLiteral(str):
    """An array literal written out already (``{…}``, :func:`insert_rows`), bound as its text: the
    statement's cast types it."""


class _ArrayLiteralDumper(Dumper):
    oid = 0

    def dump(self, obj: Any) -> bytes:
        return obj.encode()  # type: ignore[no-any-return]


psycopg.adapters.register_dumper(_TextArray, _TextArrayDumper)
psycopg.adapters.register_dumper(_ArrayLiteral, _ArrayLiteralDumper)
_PLAIN = (str, int, uuid.UUID, dt.date)  # a day's text is its ISO form


def _bound(value: Any) -> Any:
    """A list of plain values (ids, words, whole numbers) as :class:`_TextArray`; anything else as is."""
    if type(value) is list and all(x is None or type(x) in _PLAIN for x in value):
        return _TextArray(value)
    return value


def _driver_cursor(conn: Connection, stmt: Any, params: dict[str, Any]) -> tuple[Any, Any] | None:
    """The statement run on the connection's own driver cursor (PostgreSQL, a statement without
    expanding parameters): the cursor and the row type; None for SQLAlchemy's ordinary path."""
    if conn.dialect.name != "postgresql":
        return None
    if stmt not in _DRIVER_SQL:
        compiled = stmt.compile(dialect=conn.dialect)
        # a list parameter (IN …) expands per call: such a statement takes the ordinary path
        fixed = not any(b.expanding for b in compiled.binds.values())
        state = compiled.construct_expanded_state(params) if fixed else None
        # a select's columns, or what an UPDATE … RETURNING returns
        columns = [c.name for c in stmt.exported_columns] if hasattr(stmt, "exported_columns") else []
        _DRIVER_SQL[stmt] = (
            (state.statement, dict(state.parameters), namedtuple("Row", columns)) if state is not None else None
        )
    cached = _DRIVER_SQL[stmt]
    if cached is None:
        return None
    sql, defaults, row_type = cached
    values = {name: _bound(value) for name, value in (defaults | params).items()}
    return _run(conn, sql, values), row_type


def _run(conn: Connection, sql: str, values: Any) -> Any:
    """``sql`` on the connection's driver, in its transaction; driver errors surface as SQLAlchemy's (a
    deadlock is retried by the caller as anywhere else)."""
    driver = conn.connection.dbapi_connection
    assert driver is not None
    try:
        return driver.execute(sql, values)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, values, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect) from exc


def run(conn: Connection, stmt: Any, params: dict[str, Any]) -> None:
    """A statement that returns nothing (an UPDATE of many rows by arrays), as :func:`first_row` runs
    its select: straight through the driver on PostgreSQL."""
    if _driver_cursor(conn, stmt, params) is None:
        conn.execute(stmt, params)


def first_row(conn: Connection, stmt: Any, params: dict[str, Any]) -> Any:
    """The first row of a select that every request runs, straight through the driver on PostgreSQL.

    SQLAlchemy's execution path costs some 75 µs of Python a statement even for a cached, compiled
    one; the statement a request authenticates with runs on every request, so on PostgreSQL it is
    compiled once to psycopg's SQL and run on the connection's own cursor (in the same transaction).
    Rows have the statement's column names as attributes; driver errors surface as SQLAlchemy's, as
    they do everywhere else. SQLite takes the ordinary path.
    """
    ran = _driver_cursor(conn, stmt, params)
    if ran is None:
        return conn.execute(stmt, params).first()
    cursor, row_type = ran
    found = cursor.fetchone()
    return None if found is None else row_type(*found)


def all_rows(conn: Connection, stmt: Any, params: dict[str, Any]) -> list[Any]:
    """Every row of a select on a hot path (the pull's reads), as :func:`first_row` runs it: straight
    through the driver on PostgreSQL, where its lists are arrays (:func:`among`), the values as the
    driver reads them (the models' types add nothing there: timestamptz is aware, JSON is parsed)."""
    ran = _driver_cursor(conn, stmt, params)
    if ran is None:
        return list(conn.execute(stmt, params))
    cursor, row_type = ran
    return [row_type(*row) for row in cursor.fetchall()]


# --- many rows in one INSERT -----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# a row's tuple as SQLAlchemy renders it for psycopg: each value a placeholder, most with a cast
_PLAIN_TUPLE = re.compile(r"\((?:%\(\w+\)s(?:::[A-Z][A-Z ]*)?(?:, |\)$))+")
_PLACEHOLDER_CAST = re.compile(r"%\((\w+)\)s(?:::([A-Z][A-Z ]*))?")
# a length in an explicit cast cuts a value short where the column's own refuses it: no length
_SIZED_TEXT = re.compile(r"^N?(?:VAR)?CHAR(?:ACTER)?(?: VARYING)?\(\d+\)$")
INSERT_CHUNK = 500  # rows per statement: far under PostgreSQL's 65,535 parameters for any of our tables


class _InsertPlan:
    """An INSERT compiled once for a set of columns, cut around its VALUES tuple: ``head``, one row's
    tuple with positional placeholders, ``tail`` (ON CONFLICT ...), and for each placeholder its column,
    the type's bind processor and the column's default (a function) for a row that leaves it out.
    ``arrays``: the same INSERT taking its rows as one array per column (``SELECT * FROM unnest(…)``),
    when every value is a plain cast placeholder."""

    __slots__ = ("arrays", "columns", "head", "one", "tail")

    def __init__(
        self,
        head: str,
        one: str,
        tail: str,
        columns: list[tuple[str, Any, Callable[[], Any] | None]],
        arrays: str | None,
    ):
        self.head, self.one, self.tail, self.columns, self.arrays = head, one, tail, columns, arrays


_INSERT_PLANS: dict[tuple[Any, frozenset[str]], _InsertPlan | None] = {}


def _insert_plan(conn: Connection, stmt: Any, keys: frozenset[str]) -> _InsertPlan | None:
    compiled = stmt.compile(dialect=conn.dialect, column_keys=sorted(keys))
    text: str = compiled.string
    at = text.find(" VALUES (")
    if at < 0:
        return None
    start = at + len(" VALUES ")
    depth = 0
    for end in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            break
    one = text[start : end + 1]
    names = _PLACEHOLDER.findall(one)
    if _PLACEHOLDER.search(text[:start] + text[end + 1 :]) or "%s" in one:
        return None  # a parameter outside the VALUES tuple: the ordinary path
    processors = compiled._bind_processors
    columns: list[tuple[str, Any, Callable[[], Any] | None]] = []
    table = stmt.table
    for name in names:
        default: Callable[[], Any] | None = None
        if name not in keys:
            column_default = table.c[name].default if name in table.c else None
            if column_default is None or not (column_default.is_scalar or column_default.is_callable):
                return None  # a default SQLAlchemy computes otherwise (a sequence, a SQL expression)
            arg = column_default.arg
            default = (lambda arg=arg: arg(None)) if column_default.is_callable else (lambda arg=arg: arg)
        columns.append((name, processors.get(name), default))
    arrays = None
    if _PLAIN_TUPLE.fullmatch(one) and all(name in table.c for name in names):
        # each array of the type SQLAlchemy casts the value to, or else of the column's own type
        types = [
            cast or _SIZED_TEXT.sub("TEXT", table.c[name].type.compile(dialect=conn.dialect))
            for name, cast in _PLACEHOLDER_CAST.findall(one)
        ]
        arrays = f"{text[:at]} SELECT * FROM unnest({', '.join(f'%s::{t}[]' for t in types)}){text[end + 1 :]}"
    return _InsertPlan(text[:start], _PLACEHOLDER.sub("%s", one), text[end + 1 :], columns, arrays)


class _NotPlainError(Exception):
    """A value an array literal does not carry as text here: the rows go as VALUES."""


# their text is PostgreSQL's input, and needs no quotes in an array (digits, letters, '-', '.')
_BARE = (int, float, decimal.Decimal, uuid.UUID, dt.date)


def _element(value: Any) -> str:
    """A bound value (after its type's bind processor) as an element of an array literal."""
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if value is None:
        return "NULL"
    if kind is bool:
        return "t" if value else "f"
    if kind in _BARE:
        return str(value)
    if kind is dt.datetime:
        return '"' + str(value) + '"'  # digits, '-', ':', '.', '+' and one space
    if kind is Json or kind is Jsonb:
        dumps = value.dumps or json.dumps
        return _quoted(dumps(value.obj))
    raise _NotPlainError


def insert_rows(conn: Connection, stmt: Any, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` inserted by ``stmt`` (an INSERT, with its ON CONFLICT if any) as one statement on
    PostgreSQL: psycopg's ``executemany`` sends a statement per row through its pipeline, and
    SQLAlchemy's multi-VALUES rendering costs more Python than the rows; this compiles the statement once
    per set of columns and applies the types' bind processors and the columns' defaults as SQLAlchemy
    would. The rows go as one array per column (one statement text whatever their number, so psycopg
    keeps it parsed and prepared: a multi-VALUES text of more than 50 parameters is parsed again at
    every call), or as VALUES when a value is not plain. Rows must share their keys, as for any
    executemany. SQLite takes the ordinary path."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(stmt, list(rows))
        return
    keys = frozenset(rows[0])
    cache_key = (stmt, keys)
    if cache_key not in _INSERT_PLANS:
        _INSERT_PLANS[cache_key] = _insert_plan(conn, stmt, keys)
    plan = _INSERT_PLANS[cache_key]
    if plan is None or any(r.keys() != keys for r in rows):
        conn.execute(stmt, list(rows))
        return
    columns = plan.columns
    for chunk in range(0, len(rows), INSERT_CHUNK):
        part = rows[chunk : chunk + INSERT_CHUNK]
        values: list[Any] = []
        for row in part:
            for name, process, default in columns:
                value = row[name] if default is None else default()
                values.append(value if process is None else process(value))
        if plan.arrays is not None:
            width = len(columns)
            try:
                arrays = [
                    _ArrayLiteral("{" + ",".join([_element(v) for v in values[k::width]]) + "}") for k in range(width)
                ]
            except _NotPlainError:
                pass
            else:
                _run(conn, plan.arrays, arrays)
                continue
        _run(conn, plan.head + ",".join([plan.one] * len(part)) + plan.tail, values)
