"""The hot paths' statements through the driver (gridworker_server.driver), on SQLite and PostgreSQL:
many rows in one INSERT with the columns' defaults and ON CONFLICT as SQLAlchemy's own path gives them,
and lists bound as arrays whatever their words hold."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, insert, select

from gridworker_server.changes import insert_for
from gridworker_server.db import Database
from gridworker_server.driver import all_rows, among, insert_rows
from gridworker_server.models import ChangeLog, ScopeVersion
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
