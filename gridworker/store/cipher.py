"""The one place the app opens a user's SQLite database, and its encryption (SQLCipher 4 through
``sqlcipher3.dbapi2``, a DB-API module like the standard library's sqlite3).

A database is encrypted with its **data key** (32 random bytes, gridworker.store.keys unwraps it from
the key file with the user's PIN). Once unlocked, the key is registered here for the database's path
(``register_key``); from then on every connection this process opens to that file (the writer's
engine, the screens' reader, exports, backups, the migrations) is a SQLCipher connection that applies
it as its first statement, ``PRAGMA key = "x'<hex>'"`` (a raw key: SQLCipher derives nothing). SQLCipher
encrypts every page of the file, the WAL's frames and a backup made through a keyed connection
(AES-256-CBC with an HMAC-SHA512 per page); the ``-shm`` file holds only the WAL's index (page numbers
and checksums), no data.

No registered key means a plain database (the tests' files and the benchmarks' plain side), opened
with the standard library's sqlite3. Why not SQLCipher's build for those too: two copies of the SQLite
library in one process must never open the same file. POSIX locks belong to the process, so each
library believes it holds the file alone; when one closes its last connection it checkpoints and
deletes the ``-wal``/``-shm`` files under the other's feet ("disk I/O error", and worse). One file is
therefore only ever opened by one library: an encrypted file by SQLCipher's, a plain one by the
stdlib's (the tests and tools that read plain files with sqlite3 stay safe). Code that catches or
tests for the driver's classes uses this module's :data:`Error`, :data:`DatabaseError` (tuples of
both libraries' classes) and ``connect(..., rows=True)`` for rows by name.

Order at start-up (gridworker.app, the lock helper): ``register_key(path, key)``, then
``convert.encrypt_in_place(path, key)`` (a no-op once the file is encrypted), then open the
``Database`` and the ``Reader``.

Only the standard library and sqlcipher3; no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from types import ModuleType
from typing import Any, cast
from urllib.parse import quote

from sqlcipher3 import dbapi2

KEY_BYTES = 32
PLAIN_HEADER = b"SQLite format 3\x00"

# the driver's exceptions, whichever library opened the connection (``except cipher.Error``)
Error: tuple[type[Exception], ...] = (sqlite3.Error, dbapi2.Error)
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError, dbapi2.DatabaseError)
OperationalError: tuple[type[Exception], ...] = (sqlite3.OperationalError, dbapi2.OperationalError)
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError, dbapi2.IntegrityError)

# SQLCipher decrypts a page (and checks its HMAC) each time the page enters SQLite's page cache, where a
# plain file's page is only copied from the OS's cache. An encrypted database's connections (the
# screens' reader and the writer's engine) keep more decrypted pages than the build's default 8 MB. On
# the 50k bench: the search's hand-written SQL median 0.77 ms -> 0.49 ms (the plain file's 0.50), a
# visit save's median (fsync off, to see the CPU alone) 15.7 ms -> 12.8 ms (plain 12.1), on a loaded
# 2-core machine. A plain file keeps SQLite's defaults, as before. Allocated as pages are read.
PAGE_CACHE_KIB = 32 * 1024

_keys: dict[str, bytes] = {}
_lock = threading.Lock()


def _slot(path: Path | str) -> str:
    return str(Path(path).resolve())


def register_key(path: Path, key: bytes) -> None:
    """Every later connection of this process to ``path`` is keyed with ``key`` (32 bytes)."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"a data key is {KEY_BYTES} bytes, not {len(key)}")
    with _lock:
        _keys[_slot(path)] = bytes(key)


def forget_key(path: Path) -> None:
    """The key of ``path`` is dropped (sign-out, wipe); later connections open it as plain."""
    with _lock:
        _keys.pop(_slot(path), None)


def key_for(path: Path) -> bytes | None:
    with _lock:
        return _keys.get(_slot(path))


def key_pragma(key: bytes) -> str:
    """The statement that keys a connection (a raw 256-bit key, as hex: no derivation by SQLCipher)."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def attach_key(key: bytes | None) -> str:
    """The KEY clause of an ``ATTACH`` (empty string: attach as plain)."""
    return f"KEY \"x'{key.hex()}'\"" if key is not None else "KEY ''"


def module_for(path: Path) -> ModuleType:
    """The DB-API module that opens ``path``: SQLCipher's when a key is registered, else sqlite3."""
    return dbapi2 if key_for(path) is not None else sqlite3


def open_keyed(
    path: Path,
    key: bytes | None,
    *,
    read_only: bool = False,
    check: bool = True,
    rows: bool = False,
    sqlcipher: bool = False,
    **kwargs: Any,
) -> sqlite3.Connection:
    """A connection to ``path`` with ``key`` applied first: SQLCipher's; with no key the standard
    library's unless ``sqlcipher`` (a plain file read by SQLCipher's build, as the conversion does).
    ``check`` reads the schema at once, so a wrong key or a plain/encrypted mix-up fails here
    (``DatabaseError: file is not a database``) instead of at the first query. ``rows``: rows by name
    (the module's Row)."""
    module: Any = dbapi2 if key is not None or sqlcipher else sqlite3
    # a URI for read-only: the path percent-encoded (a folder named "a#b" or "50%" stays a path)
    target: str = f"file:{quote(Path(path).as_posix(), safe='/:')}?mode=ro" if read_only else str(path)
    if read_only:
        kwargs["uri"] = True
    con = module.connect(target, **kwargs)
    try:
        if key is not None:
            con.execute(key_pragma(key))
        if check:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if rows:
            con.row_factory = module.Row
    except BaseException:
        con.close()
        raise
    return cast(sqlite3.Connection, con)


def connect(
    path: Path, *, read_only: bool = False, rows: bool = False, cache_kib: int | None = None, **kwargs: Any
) -> sqlite3.Connection:
    """A connection to a user's database, keyed when a key is registered for it. ``kwargs`` are
    sqlite3's (timeout, check_same_thread, isolation_level); ``rows``: rows by name; ``cache_kib``: the
    page cache of an encrypted connection (see PAGE_CACHE_KIB). Typed as ``sqlite3.Connection``: the
    same interface whichever library opened it."""
    key = key_for(path)
    con = open_keyed(path, key, read_only=read_only, rows=rows, **kwargs)
    if key is not None and cache_kib:
        con.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    return con


def is_encrypted(path: Path) -> bool:
    """Whether the file at ``path`` is an encrypted database. A plain SQLite file starts with its
    magic header; an encrypted one starts with its salt (random). A missing or empty file is not
    encrypted (it becomes whatever its first connection makes it)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return False
    return bool(head) and head != PLAIN_HEADER


__all__ = [
    "DatabaseError",
    "Error",
    "IntegrityError",
    "OperationalError",
    "attach_key",
    "connect",
    "dbapi2",
    "forget_key",
    "is_encrypted",
    "key_for",
    "key_pragma",
    "module_for",
    "open_keyed",
    "register_key",
]
