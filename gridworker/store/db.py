"""The SQLAlchemy side of a worker's database: the engine with its pragmas and a session factory,
used by the writer thread (gridworker.store.services). Reads for the screens go through the stdlib
reader (gridworker.store.reads)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from gridworker.store import cipher, schema
from gridworker.store.schema import prepare
from gridworker_shared import sqlite


def sqlite_engine(url: str, *, busy_timeout_ms: int, pool_size: int) -> Engine:
    """The worker database's engine: connections set up as ``gridworker_shared.sqlite`` says, and each
    transaction begun explicitly (IMMEDIATE unless a session's ``sqlite_begin`` says otherwise).

    Every connection is opened by ``gridworker.store.cipher`` (SQLCipher, keyed before any statement,
    when the file's key is registered; else the standard library's sqlite3); the dialect is told that
    module, so it maps the driver's exceptions to SQLAlchemy's as usual."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError(f"a worker database is a file, not {url!r}")
    path = Path(database)

    def creator() -> Any:
        return cipher.connect(
            path, cache_kib=cipher.PAGE_CACHE_KIB, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )

    engine = create_engine(
        url,
        module=cipher.module_for(path),
        creator=creator,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=pool_size,
        hide_parameters=True,  # an error's text never carries a resident's data (gridworker_shared.logsafe)
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        sqlite.configure(dbapi_conn, busy_timeout_ms)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", sqlite.BEGIN_WRITE))

    return engine


def make_engine(path: Path) -> Engine:
    return sqlite_engine(f"sqlite+pysqlite:///{path}", busy_timeout_ms=schema.BUSY_TIMEOUT_MS, pool_size=4)


class Database:
    """One worker's database file: the engine and a session factory. No Qt."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened = prepare(path)
        self.engine = make_engine(path)
        with self.engine.connect():
            pass  # the first connection switches the file to WAL, before any write
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # reads take no write lock: a plain (deferred) BEGIN
        self._read_sessions = sessionmaker(
            self.engine.execution_options(sqlite_begin=sqlite.BEGIN_READ), expire_on_commit=False
        )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: everything inside commits together, or not at all."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """ORM reads (the loader's checks, tests); the screens read through gridworker.store.reads."""
        with self._read_sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
