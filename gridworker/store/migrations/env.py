"""Alembic environment for the worker's local database (SQLite, batch mode for ALTERs)."""

from __future__ import annotations

from alembic import context

from gridworker.store import schema
from gridworker.store.db import sqlite_engine
from gridworker.store.models import Base
from gridworker_shared.faults import crash_point

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        # real transactions: every revision and its version stamp commit together, or not at all
        url = str(config.get_main_option("sqlalchemy.url"))
        engine = sqlite_engine(url, busy_timeout_ms=schema.BUSY_TIMEOUT_MS, pool_size=1)
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connectable)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        crash_point("migration_before_commit")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
