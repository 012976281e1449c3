"""A plain worker database made encrypted, once, at the first start of the version that encrypts:
crash-safe, so ``kill -9`` (or a power cut) at any moment leaves a working database and loses nothing.

The steps, on ``workers/<user>.db`` (``P``), before anything else opens it:

1. **settle**: the plain file's WAL is checkpointed into it and the file left in rollback-journal
   mode: ``P`` alone holds every row, and no plain ``-wal``/``-shm`` stays beside it.
2. **backup**: a plain copy ``P.plain`` (SQLite's backup API), kept until the encrypted file is in
   place and verified.
3. **convert**: ``P.encrypting``, a new file keyed with the data key, filled by SQLCipher's
   ``sqlcipher_export`` (every table, index, trigger and row; ``user_version`` copied).
4. **verify**: ``P.encrypting`` opened with the key: ``integrity_check``, ``cipher_integrity_check``
   (every page's HMAC), the same schema and the same number of rows in every table as ``P``.
5. **swap**: ``os.replace(P.encrypting, P)`` (atomic), then the folder is fsynced.
6. **clean up**: ``P.plain`` is removed, and this user's plain backups in ``backups/`` (the
   migrations' ``<user>-before-<rev>-<stamp>.db``) are encrypted with the same key the same way
   (temporary file, verify, atomic replace), or removed if they are not readable databases: a plain
   backup left behind would reveal every resident.

**Which state a start is in** is read from the files alone, never from a flag that could disagree
with them: the caller (the app's start-up) has the data key, so encryption is wanted, and

- ``P`` starts with SQLite's plain header (``cipher.is_encrypted`` is false): the conversion has not
  happened, or was killed before the swap. ``P`` is untouched by steps 2-4, so any ``P.plain`` or
  ``P.encrypting`` left by a killed run is discarded and the conversion starts again from step 1.
- ``P`` is encrypted: the swap happened (or the file was made encrypted from the start). Only step 6
  may be unfinished; it is run again (it is idempotent: encrypted backups are left alone).
- ``P`` is missing or empty: a new database, encrypted by its first keyed connection; step 6 only.

Every file is written by SQLCipher's build of SQLite (``cipher.open_keyed(..., sqlcipher=True)``).
Standard library and sqlcipher3 only; no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from gridworker.store import cipher
from gridworker.store.durable import fsync_folder, fsync_path
from gridworker_shared.faults import crash_point

log = logging.getLogger(__name__)

PLAIN_COPY = ".plain"
ENCRYPTING = ".encrypting"
# the crash points, in the order they are passed (tests kill a real process at each)
CRASH_POINTS = (
    "encrypt_after_settle",
    "encrypt_after_backup",
    "encrypt_after_convert",
    "encrypt_after_verify",
    "encrypt_after_swap",
    "encrypt_backup_converted",
)


class ConversionError(Exception):
    """The encrypted copy does not hold what the plain file holds; the plain file is left as it is."""


# a backup that is not a readable database, or whose encrypted copy does not match it
UNCONVERTIBLE: tuple[type[Exception], ...] = (*cipher.DatabaseError, ConversionError)


def sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove(path: Path) -> None:
    """A database file and whatever SQLite keeps beside it."""
    for p in (path, sibling(path, "-journal"), sibling(path, "-wal"), sibling(path, "-shm")):
        p.unlink(missing_ok=True)


def _plain(path: Path, **kwargs: Any) -> sqlite3.Connection:
    return cipher.open_keyed(path, None, sqlcipher=True, **kwargs)


def _settle(path: Path) -> None:
    """Step 1: the WAL (replayed if a crash left one) checkpointed into the file, rollback journal."""
    con = _plain(path, isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        con.close()
    if mode != "delete":
        raise ConversionError(f"{path.name} stays in {mode} mode (is it open in another program?)")


def _backup(path: Path, target: Path) -> None:
    """Step 2: a plain copy through the backup API."""
    _remove(target)
    src = _plain(path, read_only=True)
    try:
        dst = _plain(target, check=False)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    fsync_path(target)


def _export(source: Path, target: Path, key: bytes) -> None:
    """Step 3: ``target`` (new) keyed with ``key`` and holding everything ``source`` holds."""
    _remove(target)
    con = _plain(source, isolation_level=None)
    try:
        version = int(con.execute("PRAGMA user_version").fetchone()[0])
        con.execute(f"ATTACH DATABASE ? AS encrypted {cipher.attach_key(key)}", (str(target),))
        try:
            con.execute("SELECT sqlcipher_export('encrypted')").fetchall()
            con.execute(f"PRAGMA encrypted.user_version = {version}")
        finally:
            con.execute("DETACH DATABASE encrypted")
    finally:
        con.close()
    fsync_path(target)


def _contents(con: sqlite3.Connection) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    schema = [
        (str(t), str(n), str(s or ""))
        for t, n, s in con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
    ]
    tables = [name for kind, name, _ in schema if kind == "table"]
    counts = {name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in tables}
    return schema, counts


def _verify(source: Path, target: Path, key: bytes) -> None:
    """Step 4: the encrypted copy is whole and holds the same schema and rows as the plain file."""
    enc = cipher.open_keyed(target, key, read_only=True)
    try:
        integrity = [r[0] for r in enc.execute("PRAGMA integrity_check")]
        pages = enc.execute("PRAGMA cipher_integrity_check").fetchall()
        got = _contents(enc)
    finally:
        enc.close()
    plain = _plain(source, read_only=True)
    try:
        want = _contents(plain)
    finally:
        plain.close()
    if integrity != ["ok"] or pages:
        raise ConversionError(f"the encrypted copy of {source.name} is damaged: {integrity[:3]} {pages[:3]}")
    if got != want:
        raise ConversionError(f"the encrypted copy of {source.name} differs from it")


def _encrypt_file(path: Path, key: bytes) -> None:
    """Steps 3-5 for one file: the encrypted copy beside it, verified, atomically in its place."""
    temp = sibling(path, ENCRYPTING)
    try:
        _export(path, temp, key)
        crash_point("encrypt_after_convert")
        _verify(path, temp, key)
        crash_point("encrypt_after_verify")
    except BaseException:
        _remove(temp)
        raise
    os.replace(temp, path)
    fsync_folder(path.parent)


def _backups(path: Path) -> list[Path]:
    """This database's backups (gridworker.store.schema.backup's names), not another user's."""
    pattern = re.compile(re.escape(path.stem) + r"-before-[0-9]{4}-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.db")
    folder = path.parent / "backups"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


def _clean_up(path: Path, key: bytes) -> None:
    """Step 6: no plain copy of the residents stays beside the encrypted database."""
    _remove(sibling(path, PLAIN_COPY))
    _remove(sibling(path, ENCRYPTING))
    for saved in _backups(path):
        _remove(sibling(saved, ENCRYPTING))
        if cipher.is_encrypted(saved):
            continue
        try:
            _settle(saved)
            _encrypt_file(saved, key)
        except UNCONVERTIBLE:
            log.warning("removing %s: it cannot be encrypted, and it must not stay plain", saved.name)
            _remove(saved)
        crash_point("encrypt_backup_converted")
    fsync_folder(path.parent)


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Encrypt the plain database at ``path`` with ``key`` (the data key), or finish a conversion a
    crash interrupted; a no-op beyond the clean-up when it is already encrypted. See the module's
    docstring for the steps and how the state is read. Call it before anything opens ``path``.

    A failure (the disk full: ``schema.classify`` says so) leaves the plain file as it was, raised as
    the driver's error or :class:`ConversionError`; the next start tries again."""
    if len(key) != cipher.KEY_BYTES:
        raise ValueError(f"a data key is {cipher.KEY_BYTES} bytes")
    if not path.exists() or path.stat().st_size == 0 or cipher.is_encrypted(path):
        _clean_up(path, key)
        return
    log.info("encrypting %s", path.name)
    copy = sibling(path, PLAIN_COPY)
    _remove(sibling(path, ENCRYPTING))  # a killed run's half-written copy
    _settle(path)
    crash_point("encrypt_after_settle")
    try:
        _backup(path, copy)
        crash_point("encrypt_after_backup")
        _encrypt_file(path, key)
    except BaseException:  # disk full, a damaged file: the plain file stays as it was, and only it
        _remove(copy)
        raise
    crash_point("encrypt_after_swap")
    _clean_up(path, key)
    log.info("encrypted %s", path.name)


__all__ = ["CRASH_POINTS", "ConversionError", "encrypt_in_place"]
