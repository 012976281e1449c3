"""The server's database: one URL picks SQLite (embedded default) or PostgreSQL (production).

Write transactions on SQLite begin IMMEDIATE (the pysqlite recipe shared with the app), so two writers
serialize at the start instead of failing half-way; on PostgreSQL each write locks what it changes
(the device row ``FOR UPDATE``, the scope counter by its UPDATE) and holds the lock to commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from gridworker_server import upgrades
from gridworker_server.models import ServerMeta
from gridworker_shared import sqlite

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool_size=pool_size)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # no pre-ping (a round trip per checkout on the hot path): connections are recycled instead, and a
    # dropped one fails a single request with 503 and the client retries
    # sessions in UTC: a naive datetime the code binds is UTC (models.UtcDateTime), and PostgreSQL reads a
    # naive value against a timestamptz in the session's zone (a server set to Asia/Shanghai would be off
    # by eight hours)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        hide_parameters=True,
        connect_args={"options": "-c TimeZone=UTC"},
    )


def _sqlite_engine(url: str, *, pool_size: int) -> Engine:
    """The embedded database: connections set up as ``gridworker_shared.sqlite`` says (as the laptop's
    are), writes begun IMMEDIATE, reads (``sqlite_begin``) deferred."""
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=pool_size,
        max_overflow=pool_size,
        hide_parameters=True,  # an error's text never carries a resident's data (gridworker_shared.logsafe)
    )
    event.listen(engine, "connect", lambda dbapi_conn, _record: sqlite.configure(dbapi_conn, BUSY_TIMEOUT_MS))
    event.listen(
        engine,
        "begin",
        lambda conn: conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", sqlite.BEGIN_WRITE)),
    )
    return engine


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.pool_size = pool_size
        self.engine = make_engine(url, pool_size=pool_size)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Reads: on SQLite a deferred transaction (one snapshot for the whole read, no write lock); on
        # PostgreSQL autocommit, which under READ COMMITTED gives every statement the same snapshot a
        # transaction would, without the BEGIN and ROLLBACK round trips (a pull is a few statements, and
        # each round trip costs both processes more CPU than the indexed read itself).
        self.read_engine = (
            self.engine.execution_options(sqlite_begin=sqlite.BEGIN_READ)
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to head; a new database gets its epoch."""
        cfg = alembic_config(self.url)
        with self.engine.connect() as connection:
            raw = connection.connection.dbapi_connection  # no transaction begun yet
            if self.is_sqlite and raw is not None:
                # SQLite's procedure for changing a table: foreign keys off outside the transaction (a
                # table others refer to is copied, dropped and renamed), checked by the revision itself
                raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    cfg.attributes["connection"] = connection
                    command.upgrade(cfg, "head")
            finally:
                if self.is_sqlite and raw is not None:
                    raw.execute("PRAGMA foreign_keys=ON")
        with self.write() as s:
            if s.get(ServerMeta, "epoch") is None:
                s.add(ServerMeta(key="epoch", value=str(uuid.uuid4())))
            upgrades.run(s)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions.begin() as session:
            yield session

    def epoch(self) -> uuid.UUID:
        with self.read() as s:
            value = s.scalar(select(ServerMeta.value).where(ServerMeta.key == "epoch"))
        if value is None:
            raise RuntimeError("the server database has no epoch: run `gridworker-server migrate`")
        return uuid.UUID(value)

    def new_epoch(self) -> uuid.UUID:
        """After restoring the database from a backup: clients reset their scopes and push again."""
        epoch = uuid.uuid4()
        with self.write() as s:
            row = s.get(ServerMeta, "epoch")
            if row is None:
                s.add(ServerMeta(key="epoch", value=str(epoch)))
            else:
                row.value = str(epoch)
        return epoch

    def dispose(self) -> None:
        self.engine.dispose()
