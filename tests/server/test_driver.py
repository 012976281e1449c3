"""The hot paths' statements through the driver (gridworker_server.driver), on SQLite and PostgreSQL:
many rows in one INSERT with the columns' defaults and ON CONFLICT as SQLAlchemy's own path gives them,
and lists bound as arrays whatever their words hold."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import DBAPIError

from gridworker_server.changes import insert_for
from gridworker_server.db import Database
from gridworker_server.driver import all_rows, among, insert_rows
from gridworker_server.models import ChangeLog, ScopeVersion, UtcDateTime
from tests.server.support import DatabaseFactory

SCOPE = "test:driver"


@pytest.fixture
def db(backend: str, db_factory: DatabaseFactory, request: pytest.FixtureRequest) -> Iterator[Database]:
    url, drop = db_factory.new(backend, request)
    database = Database(url, pool_size=1)
    try:
        yield database
    finally:
        database.dispose()
        drop()


def _log_rows(db: Database) -> dict[uuid.UUID, Any]:
    with db.read() as s:
        return {r.entity_id: r for r in s.execute(select(ChangeLog).where(ChangeLog.scope == SCOPE)).scalars()}


def test_many_rows_in_one_insert_as_sqlalchemy_writes_them(db: Database) -> None:
    ids = [uuid.uuid4() for _ in range(7)]
    rows: list[dict[str, Any]] = [
        {"scope": SCOPE, "entity": "household", "entity_id": i, "version": n + 1, "op": "u"} for n, i in enumerate(ids)
    ]
    before = dt.datetime.now(dt.UTC)
    with db.write() as s:
        conn = s.connection()
        # no changed_at given: the column's default (utcnow) fills it, as SQLAlchemy's own path would
        insert_rows(conn, insert(ChangeLog), rows[:4])
        conn.execute(insert(ChangeLog), rows[4:])
    logged = _log_rows(db)
    assert sorted(logged) == sorted(ids)
    assert {(r.entity, r.version, r.op) for r in logged.values()} == {("household", n + 1, "u") for n in range(7)}
    for r in logged.values():
        at = r.changed_at if r.changed_at.tzinfo else r.changed_at.replace(tzinfo=dt.UTC)
        assert before - dt.timedelta(seconds=1) <= at <= dt.datetime.now(dt.UTC)


def test_an_upsert_of_many_rows_takes_the_newer_versions(db: Database) -> None:
    old, new = [uuid.uuid4() for _ in range(3)], uuid.uuid4()
    upsert = insert_for(db.engine.dialect.name)(ChangeLog.__table__)
    upsert = upsert.on_conflict_do_update(
        index_elements=["scope", "entity", "entity_id"], set_={"version": upsert.excluded.version}
    )
    now = dt.datetime.now(dt.UTC)

    def row(entity_id: uuid.UUID, version: int) -> dict[str, Any]:
        return {"scope": SCOPE, "entity": "household", "entity_id": entity_id, "version": version, "op": "u"} | {
            "changed_at": now
        }

    with db.write() as s:
        insert_rows(s.connection(), upsert, [row(i, n + 1) for n, i in enumerate(old)])
    with db.write() as s:
        insert_rows(s.connection(), upsert, [row(old[0], 9), row(new, 10)])
    logged = _log_rows(db)
    assert {i: r.version for i, r in logged.items()} == {old[0]: 9, old[1]: 2, old[2]: 3, new: 10}


def test_a_refused_row_refuses_the_whole_insert(db: Database) -> None:
    row = {"scope": SCOPE, "entity": "household", "entity_id": uuid.uuid4(), "version": 1, "op": "u"}
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), db.write() as s:
        insert_rows(s.connection(), insert(ChangeLog), [row, dict(row)])
    assert _log_rows(db) == {}


def test_a_list_bound_as_an_array_keeps_its_words_whole(db: Database) -> None:
    words = ['q"uote', "back\\slash", "com,ma", "{brace}", "sp ace", "NULL", "全角"]
    table = ScopeVersion.__table__
    with db.write() as s:
        s.execute(insert(ScopeVersion), [{"scope": w, "version": 1, "floor": 0} for w in [*words, "other"]])
    stmt = select(table.c.scope).where(among(table.c.scope, "scopes", db.engine.dialect.name))
    with db.read() as s:
        found = [r.scope for r in all_rows(s.connection(), stmt, {"scopes": words})]
        none = all_rows(s.connection(), stmt, {"scopes": []})
    assert sorted(found) == sorted(words) and none == []
    with db.write() as s:
        s.execute(delete(ScopeVersion).where(table.c.scope.in_([*words, "other"])))


def _twin_tables() -> tuple[MetaData, Table, Table]:
    """Two tables of every kind of column the hot paths insert, the driver's and SQLAlchemy's."""
    meta = MetaData()

    def table(name: str) -> Table:
        return Table(
            name,
            meta,
            Column("k", Integer, primary_key=True, autoincrement=False),
            Column("id", Uuid),
            Column("word", String(12)),
            Column("text", Text),
            Column("big", BigInteger),
            Column("flag", Boolean),
            Column("day", Date),
            Column("at", UtcDateTime),
            Column("doc", JSON),
            Column("amount", Numeric(10, 2)),
        )

    return meta, table("driver_rows"), table("sqlalchemy_rows")


AWKWARD = ['q"uote', "back\\slash", "com,ma", "{brace}", "NULL", "", "行\n二", "全角 空格"]


def test_rows_go_in_as_sqlalchemy_writes_them_whatever_their_values_hold(db: Database) -> None:
    """Each value of each kind, NULLs among them, stored as SQLAlchemy's own executemany stores it (on
    PostgreSQL the rows travel as one array per column, whose literal quotes every element)."""
    meta, ours, theirs = _twin_tables()
    meta.create_all(db.engine)
    china = dt.timezone(dt.timedelta(hours=8))
    rows: list[dict[str, Any]] = []
    for k, word in enumerate([*AWKWARD, None]):
        rows.append(
            {
                "k": k,
                "id": None if k % 4 == 3 else uuid.uuid4(),
                "word": word,
                "text": None if word is None else word * 50,
                "big": None if k == 2 else 2**40 + k,
                "flag": None if k == 5 else k % 2 == 0,
                "day": None if k == 6 else dt.date(2026, 12, 1 + k),
                "at": None if k == 1 else dt.datetime(2026, 12, 5, 9, k, 30, 123456, tzinfo=china),
                "doc": None if k == 0 else {"word": word, "list": [1, None, "二"], "nested": {"x": [k]}},
                "amount": None if k == 4 else Decimal("12.50") + k,
            }
        )
    try:
        with db.write() as s:
            insert_rows(s.connection(), insert(ours), rows)
            s.connection().execute(insert(theirs), rows)
        with db.read() as s:
            stored = [tuple(r) for r in s.connection().execute(select(ours).order_by(ours.c.k))]
            expected = [tuple(r) for r in s.connection().execute(select(theirs).order_by(theirs.c.k))]
        assert len(stored) == len(rows)
        assert stored == expected
    finally:
        meta.drop_all(db.engine)


class Size(enum.IntEnum):
    LARGE = 2**40


def test_a_value_too_long_for_its_column_is_refused_not_cut(db: Database) -> None:
    """PostgreSQL refuses the rows (no cast in the statement cuts the value to the column's length);
    SQLite, which keeps any length, stores the value whole."""
    meta, ours, _ = _twin_tables()
    meta.create_all(db.engine)
    rows = [{"k": 1, "word": "thirteen char"}, {"k": 2, "word": "ok"}]
    try:
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="too long"), db.write() as s:
                insert_rows(s.connection(), insert(ours), rows)
            kept: list[tuple[int, str]] = []
        else:
            with db.write() as s:
                insert_rows(s.connection(), insert(ours), rows)
            kept = [(1, "thirteen char"), (2, "ok")]
        with db.read() as s:
            assert [(r.k, r.word) for r in s.connection().execute(select(ours).order_by(ours.c.k))] == kept
    finally:
        meta.drop_all(db.engine)


def test_a_value_of_another_kind_goes_in_as_its_driver_binds_it(db: Database) -> None:
    """A value no array element is made of here (an enum of whole numbers): the rows go as VALUES."""
    meta, ours, _ = _twin_tables()
    meta.create_all(db.engine)
    try:
        with db.write() as s:
            insert_rows(s.connection(), insert(ours), [{"k": 1, "big": Size.LARGE}, {"k": 2, "big": None}])
        with db.read() as s:
            assert [(r.k, r.big) for r in s.connection().execute(select(ours).order_by(ours.c.k))] == [
                (1, 2**40),
                (2, None),
            ]
    finally:
        meta.drop_all(db.engine)
