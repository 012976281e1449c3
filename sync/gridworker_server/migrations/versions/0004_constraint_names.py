"""constraint names by the metadata's naming convention (pk_, fk_, uq_), on databases made before it

The tables were created with unnamed constraints: PostgreSQL named them itself (``org_unit_pkey``,
``household_grid_id_fkey``, ``org_unit_code_key``), SQLite keeps them unnamed. From here on every
constraint has the name ``gridworker_server.models.NAMING_CONVENTION`` gives it, so a later migration
can drop or alter one by name on both (Alembic's batch mode needs names on SQLite). PostgreSQL renames
in place; SQLite copies each table (batch mode) with the names written out, with foreign keys off
(``Database.migrate`` turns them off before its transaction, as SQLite's ALTER TABLE procedure says)
and checked before the commit.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the convention as of this revision (a migration never reads today's models)
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def renames(inspector: Any, table: str) -> list[tuple[str | None, str]]:
    """(current name, conventional name) of the table's primary key, foreign keys and unique
    constraints whose name is not the conventional one (an explicit name is left as it is)."""
    found: list[tuple[str | None, str]] = []
    pk = inspector.get_pk_constraint(table)
    if pk.get("constrained_columns"):
        found.append((pk.get("name"), f"pk_{table}"))
    for fk in inspector.get_foreign_keys(table):
        found.append((fk.get("name"), f"fk_{table}_{fk['constrained_columns'][0]}_{fk['referred_table']}"))
    for uq in inspector.get_unique_constraints(table):
        found.append((uq.get("name"), f"uq_{table}_{uq['column_names'][0]}"))
    return [(old, new) for old, new in found if old != new and not _explicit(old, table)]


def _explicit(name: str | None, table: str) -> bool:
    """A name the models spell out (``uq_household_roster_key``): not PostgreSQL's own, kept."""
    if name is None:
        return False
    return not name.startswith(f"{table}_") or not name.endswith(("_pkey", "_fkey", "_key"))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # a table others refer to cannot be dropped and re-created while SQLite enforces foreign keys
        raise RuntimeError("revision 0004 runs with foreign keys off on SQLite: use `gridworker-server migrate`")
    inspector = sa.inspect(bind)
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        todo = renames(inspector, table)
        if not todo:
            continue
        if bind.dialect.name == "postgresql":
            for old, new in todo:
                op.execute(sa.text(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{old}" TO "{new}"'))
        else:
            with op.batch_alter_table(table, recreate="always", naming_convention=NAMING_CONVENTION):
                pass
    if bind.dialect.name == "sqlite":
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken after copying the tables: {broken[:5]}")


def downgrade() -> None:
    # The names are only names: the schema of 0003 works the same with them.
    pass
