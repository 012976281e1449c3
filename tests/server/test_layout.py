"""The server's house rules that are about its code and schema rather than its behaviour: no import
cycle among its modules, and every constraint of the database named as the metadata names it."""

from __future__ import annotations

import ast
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint, select

import gridworker_server
from gridworker_server import admin, auth
from gridworker_server.db import Database, alembic_config
from gridworker_server.demo_city import generate_city
from gridworker_server.models import Base, MutationLog, User, Visit
from tests.server.support import Seeded

PACKAGE = Path(gridworker_server.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the server modules it imports, lazy imports included."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                    for a in node.names
                ]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_server_modules_import_each_other_without_a_cycle() -> None:
    graph = import_graph()
    assert {"gridworker_server.auth", "gridworker_server.changes", "gridworker_server.driver"} <= set(graph)
    assert "gridworker_server.driver" in graph["gridworker_server.auth"]  # the walk sees imports
    assert cycles(graph) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_constraint_has_the_name_the_metadata_gives_it(server: Seeded) -> None:
    """Databases made before the naming convention got its names from revision 0004 (on PostgreSQL
    its own names such as ``org_unit_pkey`` are renamed; SQLite's unnamed ones are written out)."""
    inspector = sa.inspect(server.engine)
    for table in Base.metadata.sorted_tables:
        wanted = {
            c.name
            for c in table.constraints
            if isinstance(c, PrimaryKeyConstraint | ForeignKeyConstraint | UniqueConstraint)
        }
        found = {inspector.get_pk_constraint(table.name)["name"]}
        found |= {fk["name"] for fk in inspector.get_foreign_keys(table.name)}
        found |= {uq["name"] for uq in inspector.get_unique_constraints(table.name)}
        assert found == wanted, table.name
        assert all(name.startswith(("pk_", "fk_", "uq_")) for name in wanted), table.name


def test_every_index_is_the_one_the_metadata_declares(server: Seeded) -> None:
    """The migrated schema's indexes (unique constraints aside) are the models' own, by name, columns
    and, for a partial index, its rows: revision 0014's leaner visit and change-log indexes included."""
    inspector = sa.inspect(server.engine)
    dialect = server.engine.dialect.name
    for table in Base.metadata.sorted_tables:
        wanted = {
            i.name: ([c.name for c in i.columns], _predicate(i.dialect_options[dialect]["where"]))
            for i in table.indexes
        }
        found = {
            i["name"]: (
                list(i["column_names"]),
                _predicate(i.get("dialect_options", {}).get(f"{dialect}_where")),
            )
            for i in inspector.get_indexes(table.name)
            if not i.get("duplicates_constraint") and not i["name"].startswith(("uq_", "sqlite_autoindex"))
        }
        assert found == wanted, table.name
    visit = {i.name for i in Visit.__table__.indexes}
    assert "ix_visit_worker_id" not in visit and {"ix_visit_amends_id", "ix_visit_worker_visited"} <= visit


def _predicate(where: Any) -> str | None:
    """A partial index's condition, written the same whatever wrote it (PostgreSQL adds parentheses
    and casts)."""
    if where is None:
        return None
    return re.sub(r"::\w+|[()\s]", "", str(where)).lower()


def test_revision_0004_names_the_constraints_of_an_older_database_and_keeps_its_rows(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A database at 0003 with rows in every table that others refer to: after ``migrate`` every
    constraint has its conventional name, every row is there and every reference still holds."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database(f"old_{uuid.uuid4().hex[:12]}")
    db = Database(url, pool_size=1)
    try:
        config = alembic_config(url)
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
        _copy_rows(_seeded_at_head(tmp_path), db)
        counts = _counts(db)

        db.migrate()

        after = _counts(db)  # later revisions add tables (0009: the review's), empty
        assert {t: after[t] for t in counts} == counts
        assert all(after[t] == 0 for t in set(after) - set(counts))
        inspector = sa.inspect(db.engine)
        assert inspector.get_pk_constraint("org_unit")["name"] == "pk_org_unit"
        assert {fk["name"] for fk in inspector.get_foreign_keys("visit")} == {
            "fk_visit_amends_id_visit",
            "fk_visit_household_id_household",
            "fk_visit_worker_id_app_user",
        }
        assert "uq_app_user_username" in {uq["name"] for uq in inspector.get_unique_constraints("app_user")}
        if backend == "sqlite":
            with db.engine.connect() as c:
                assert c.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
                assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for what follows
    finally:
        db.dispose()


def _seeded_at_head(tmp_path: Path) -> Database:
    """A small demo street with a device, a pushed mutation and an amendment, in a database at head."""
    scratch = Database(f"sqlite:///{tmp_path / 'scratch.db'}", pool_size=1)
    scratch.migrate()
    with scratch.write() as s:
        admin.seed_demo(s, generate_city(grids_per_community=1, households_per_grid=(3, 4), history_days=3))
        worker = s.scalars(select(User).where(User.role == "worker")).first()
        assert worker is not None
        device, _token = auth.register_device(s, worker, None, "old laptop")
        s.flush()
        s.add(
            MutationLog(
                device_id=device.id,
                seq=1,
                mutation_id=uuid.uuid4(),
                user_id=worker.id,
                kind="visit.create",
                status="applied",
            )
        )
        visits = s.scalars(select(Visit).limit(2)).all()
        visits[1].amends_id = visits[0].id
    return scratch


def _copy_rows(source: Database, old: Database) -> None:
    """The source's rows into a database at an older revision: each table as the models type it, with only
    the columns the older schema has (the seed is written against today's models)."""
    try:
        with old.engine.connect() as c:
            present = {
                t: {col["name"] for col in sa.inspect(c).get_columns(t)} for t in sa.inspect(c).get_table_names()
            }
        with source.read() as src, old.write() as dst:
            for table in Base.metadata.sorted_tables:
                if table.name not in present:
                    continue
                columns = [col for col in table.columns if col.name in present[table.name]]
                trimmed = sa.Table(table.name, sa.MetaData(), *(sa.Column(col.name, col.type) for col in columns))
                rows = [dict(r) for r in src.execute(select(*columns)).mappings()]
                if rows:
                    dst.execute(sa.insert(trimmed), rows)
    finally:
        source.dispose()


def _counts(db: Database) -> dict[str, int]:
    """Rows per table of today's models that the database has (a later revision adds tables), but
    ``server_meta`` (migrate marks its data steps) and ``login_attempt`` (revision 0005 begins it anew)."""
    present = set(sa.inspect(db.engine).get_table_names())
    with db.read() as s:
        tables = [
            t
            for t in Base.metadata.sorted_tables
            if t.name in present and t.name not in ("server_meta", "login_attempt")
        ]
        return {t.name: s.scalar(select(sa.func.count()).select_from(t)) or 0 for t in tables}
