"""Statements on the hot paths run straight through the driver on PostgreSQL.

SQLAlchemy's execution path costs some 75 µs of Python a statement even for a cached, compiled one (and
more for an expanding ``IN``, rendered again at every call). The statements every request runs (the
token's read, the pull's reads) are compiled once to psycopg's SQL and run on the connection's own
cursor, in its transaction; their lists are arrays (:func:`among`), so the text never changes and the
driver prepares it. SQLite takes SQLAlchemy's ordinary path.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

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
        _DRIVER_SQL[stmt] = (
            (state.statement, dict(state.parameters), namedtuple("Row", [c.name for c in stmt.selected_columns]))
            if state is not None
            else None
        )
    cached = _DRIVER_SQL[stmt]
    if cached is None:
        return None
    sql, defaults, row_type = cached
    values = defaults | params
    driver = conn.connection.dbapi_connection
    assert driver is not None
    try:
        return driver.execute(sql, values), row_type
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, values, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect) from exc


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
