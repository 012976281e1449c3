"""PostgreSQL's errors put the row in their text (``DETAIL: Key (id_number)=(...) already exists``,
``Failing row contains (...)``, ``invalid input syntax for type integer: "..."``): on a real server, the
server's engine and ``gridworker_shared.logsafe.describe`` keep the code, the table and the constraint
and drop the values."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from gridworker_server.db import make_engine
from gridworker_shared.logsafe import describe, format_exception

NAME, ID_NUMBER, PHONE = "王秀英", "11010119900307123X", "13912345678"


def failure(engine: sa.Engine, sql: str, params: dict[str, object]) -> DBAPIError:
    with pytest.raises(DBAPIError) as caught, engine.begin() as con:
        con.execute(sa.text(sql), params)
    return caught.value


def test_postgresqls_errors_are_described_without_the_row(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=1)
    try:
        with engine.begin() as con:
            con.exec_driver_sql(
                "CREATE TABLE person (id serial PRIMARY KEY, name text, phone text CONSTRAINT phone_digits "
                "CHECK (phone ~ '^[0-9]*$'), id_number text CONSTRAINT uq_person_id_number UNIQUE, age integer)"
            )
            con.execute(sa.text("INSERT INTO person (name, id_number) VALUES (:n, :i)"), {"n": NAME, "i": ID_NUMBER})
        insert = "INSERT INTO person (name, phone, id_number) VALUES (:n, :p, :i)"
        unique = failure(engine, insert, {"n": NAME, "p": PHONE, "i": ID_NUMBER})
        check = failure(engine, insert, {"n": NAME, "p": PHONE + "x", "i": "1"})
        data = failure(engine, "UPDATE person SET age = CAST(:a AS integer)", {"a": NAME})
    finally:
        engine.dispose()
    assert ID_NUMBER in str(unique.orig) and PHONE in str(check.orig) and NAME in str(data.orig)
    for exc in (unique, check, data):
        text = format_exception(exc)
        assert [v for v in (NAME, ID_NUMBER, PHONE) if v in text] == [], text
        assert NAME not in str(exc).split("\n[SQL:")[1]  # the server's engine hides the parameters
    assert describe(unique) == (
        "sqlalchemy.exc.IntegrityError: (psycopg.errors.UniqueViolation) [23505] table=person "
        'constraint=uq_person_id_number duplicate key value violates unique constraint "" '
        "[SQL: INSERT INTO person ...]"
    )
    assert describe(check).startswith("sqlalchemy.exc.IntegrityError: (psycopg.errors.CheckViolation) [23514]")
    assert "constraint=phone_digits" in describe(check)
    assert describe(data) == (
        "sqlalchemy.exc.DataError: (psycopg.errors.InvalidTextRepresentation) [22P02] "
        'invalid input syntax for type integer: "" [SQL: UPDATE person ...]'
    )
