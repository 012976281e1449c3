"""How every SQLite connection of ours is set up, the laptop's and the embedded server's alike (stdlib
``sqlite3`` connections, so it needs no SQLAlchemy): WAL, ``synchronous=FULL`` (laptops lose power),
foreign keys on, a busy timeout, and the driver's own transaction handling off.

The driver's handling starts transactions late and commits DDL on its own, so each side's engine turns
it off here and begins explicitly with ``BEGIN_WRITE`` (SQLAlchemy's pysqlite recipe). IMMEDIATE takes
the write lock at the start, so a transaction never fails half-way to upgrade."""

from __future__ import annotations

import sqlite3

BEGIN_WRITE = "BEGIN IMMEDIATE"
BEGIN_READ = "BEGIN"


def configure(con: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Called on each new connection, before it is used."""
    con.isolation_level = None
    cur = con.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cur.close()
