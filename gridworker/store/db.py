"""The SQLAlchemy side of a worker's database: the engine with its pragmas and a session factory,
used by the writer thread (gridworker.store.services). Reads for the screens go through the stdlib
reader (gridworker.store.reads)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from gridworker.store import schema
from gridworker.store.schema import prepare


def transactional(engine: Engine, begin: str = "BEGIN IMMEDIATE") -> None:
    """Make SQLite transactions real under pysqlite: the driver's own handling starts them late and
    commits DDL on its own, so turn it off and begin explicitly (SQLAlchemy's pysqlite recipe).
    IMMEDIATE takes the write lock at the start, so a transaction never fails half-way to upgrade."""

    @event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", begin))


def sqlite_engine(url: str, *, busy_timeout_ms: int, pool_size: int) -> Engine:
    """A SQLite engine as both the app and the embedded server need it: WAL, ``synchronous=FULL``
    (laptops lose power), foreign keys on, a busy timeout, and real transactions (``transactional``)."""

    def pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cur.close()

    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        pool_size=pool_size,
        max_overflow=pool_size,
    )
    event.listen(engine, "connect", pragmas)
    transactional(engine)
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
        self._read_sessions = sessionmaker(self.engine.execution_options(sqlite_begin="BEGIN"), expire_on_commit=False)

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
