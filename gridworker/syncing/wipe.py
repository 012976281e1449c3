"""Remote wipe (issue 14): a laptop revoked as lost, or handed over, removes its user's local data.

The server tells a revoked laptop what to do in its 401 ``device_revoked`` (``detail.wipe``, protocol
WipeMode): "" sign in again and keep the data; "lost" wipe at once; "handover" push everything unsent
first (the server still takes that laptop's pushes until it confirms its wipe), then wipe. After the
wipe the laptop confirms it (POST /v1/device/wiped, with its revoked token) and the server records when.

A wipe is crash-safe: the intent is written first, to a small marker in the data folder
(:data:`MARKER`, owner-only), and the wipe is repeated at the next start until it is done
(:func:`finish_wipes`); so is the confirmation, until the server took it. The marker also tells the next
start to say "this laptop was reported lost / handed over; its data was removed" (:func:`notices`).

What :func:`wipe_local` removes, in this order:
1. the database's key file (gridworker.store.keys.key_path), first: without it the encrypted copy left
   on the disk by a crash half-way is unreadable;
2. the database and its ``-wal``, ``-shm`` and ``-journal`` (drafts, the outbox and the staged pull
   pages are tables in it; so are the contact cards' photos);
3. every other file of that database in the workers folder (``<db>.key.tmp``, ``<db>.pre-sync``, a
   conversion's temporary files: ``<db>.*`` and ``<db>-*``, never another user's database);
4. the user's backups (``workers/backups/<stem>-<label>-<stamp>.db``);
5. the user's device token (credentials.TokenStore), for every server it holds one for.
A database that was not encrypted (no key file) is overwritten with zeros before it is removed.

Standard library only at import (the start-up check runs before the window; the HTTP client, pydantic
and the sync engine load when the check runs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridworker.paths import worker_db_path
from gridworker.store.durable import fsync_folder
from gridworker.store.keys import key_path
from gridworker.syncing.credentials import TokenStore
from gridworker_shared.domain.usernames import normalize_username

if TYPE_CHECKING:
    from gridworker.syncing.transport import Transport

log = logging.getLogger(__name__)

MARKER = "wiped.json"
MODES = ("lost", "handover")
_SUFFIXES = ("-wal", "-shm", "-journal")
_CHUNK = 1 << 20


# -- the marker ---------------------------------------------------------------------------------------


def _marker(folder: Path) -> Path:
    return folder / MARKER


def _entries(folder: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(_marker(folder).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    items = data.get("wipes") if isinstance(data, dict) else None
    return [e for e in items if isinstance(e, dict) and e.get("username")] if isinstance(items, list) else []


def _save(folder: Path, entries: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = _marker(folder)
    tmp = target.with_name(target.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it may hold a revoked token
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"wipes": entries}, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    fsync_folder(folder)


def begin_wipe(
    folder: Path, username: str, mode: str, *, server_url: str = "", device_id: str = "", token: str | None = None
) -> None:
    """Write down that ``username``'s data on this laptop is to be wiped (``mode``: lost or handover),
    with what the confirmation needs (the server, the device, its revoked token). From here a crash
    cannot stop the wipe: the next start finishes it."""
    if mode not in MODES:
        raise ValueError(f"unknown wipe mode {mode!r}")
    name = normalize_username(username)
    entries = [e for e in _entries(folder) if e.get("username") != name or e.get("done")]
    entries.append(
        {
            "username": name,
            "mode": mode,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "server_url": server_url.rstrip("/"),
            "device_id": device_id,
            "token": token or "",
            "done": False,
            "confirmed": not (server_url and device_id and token),
            "shown": False,
        }
    )
    _save(folder, entries)


def finish_wipes(folder: Path, tokens: TokenStore | None = None, *, timeout: float | None = None) -> list[str]:
    """Finish every wipe begun (:func:`begin_wipe`) and not done, then send the confirmations the server
    has not taken yet (offline: they wait for the next start). The users wiped now."""
    tokens = tokens or TokenStore(folder)
    entries = _entries(folder)
    wiped: list[str] = []
    for entry in entries:
        if not entry.get("done"):
            wipe_local(folder, entry["username"], tokens=tokens, server_url=entry.get("server_url", ""))
            entry["done"] = True
            wiped.append(entry["username"])
            _save(folder, entries)
    for entry in entries:
        if entry.get("done") and not entry.get("confirmed") and _confirm(entry, timeout):
            entry["confirmed"] = True
            entry["token"] = ""  # the revoked token's last use is over
            _save(folder, entries)
    return wiped


def notices(folder: Path) -> list[tuple[str, str]]:
    """(user name, mode) of every wipe done that the user was not told of yet."""
    return [(e["username"], str(e.get("mode", ""))) for e in _entries(folder) if e.get("done") and not e.get("shown")]


def mark_shown(folder: Path) -> None:
    """The user was told of the wipes done (:func:`notices`)."""
    entries = _entries(folder)
    if any(e.get("done") and not e.get("shown") for e in entries):
        for e in entries:
            if e.get("done"):
                e["shown"] = True
        _save(folder, entries)


def pending_mode(folder: Path, username: str) -> str:
    """The wipe begun for ``username`` and not finished yet, or ""."""
    name = normalize_username(username)
    return next((str(e["mode"]) for e in _entries(folder) if e["username"] == name and not e.get("done")), "")


# -- the wipe itself --------------------------------------------------------------------------------------


def user_files(folder: Path, username: str) -> list[Path]:
    """The files of ``username``'s data on this laptop, in the order they are removed (the key file first)."""
    dbs = {worker_db_path(username, folder), worker_db_path(normalize_username(username), folder)}
    files: list[Path] = []
    for db in sorted(dbs):
        files += [key_path(db), key_path(db).with_name(key_path(db).name + ".tmp")]
    for db in sorted(dbs):
        files += [db, *(db.with_name(db.name + s) for s in _SUFFIXES)]
    for db in sorted(dbs):
        files += _derived(db)
    for db in sorted(dbs):
        files += _backups(db)
    return list(dict.fromkeys(files))


def _derived(db: Path) -> list[Path]:
    folder = db.parent
    if not folder.is_dir():
        return []
    # other users' databases whose names begin with this one's (user "a"'s a.db, user "a.db"'s a.db.db)
    others = {p.name for p in folder.glob("*.db")} | {p.name[: -len(".key")] for p in folder.glob("*.db.key")}
    longer = [n for n in others if n != db.name and n.startswith(db.name)]
    found = []
    for p in folder.iterdir():
        rest = p.name[len(db.name) :]
        if p.name.startswith(db.name) and rest[:1] in ("-", ".") and not any(p.name.startswith(n) for n in longer):
            found.append(p)
    return sorted(found)


def _backups(db: Path) -> list[Path]:
    folder = db.parent / "backups"
    if not folder.is_dir():
        return []
    stems = {p.stem for p in db.parent.glob("*.db")} | {p.name[: -len(".db.key")] for p in db.parent.glob("*.db.key")}
    longer = [s for s in stems if s != db.stem and s.startswith(db.stem + "-")]
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(db.stem + "-") and not any(p.name.startswith(s + "-") for s in longer)
    )


def wipe_local(
    folder: Path, username: str, *, tokens: TokenStore | None = None, server_url: str = "", mode: str = ""
) -> None:
    """Remove ``username``'s data from this laptop (see the module's doc for what and in which order).
    Idempotent; a crash half-way leaves the rest for the next call. ``mode`` (lost, handover): also
    write the marker that tells the next start why (a wipe begun with :func:`begin_wipe` has one)."""
    if mode:
        begin_wipe(folder, username, mode)
    files = user_files(folder, username)
    keyed = any(f.exists() for f in files if f.name.endswith((".key", ".key.tmp")))
    for path in files:
        _remove(path, overwrite=not keyed and (path.suffix == ".db" or path.name.endswith(_SUFFIXES)))
        if path.name.endswith(".key"):
            fsync_folder(path.parent)  # the key is gone for good before anything else goes
    _forget_key(worker_db_path(username, folder))
    _delete_tokens(tokens or TokenStore(folder), username, server_url)
    if mode:
        entries = _entries(folder)
        for e in entries:
            if e["username"] == normalize_username(username):
                e["done"] = True
        _save(folder, entries)
    log.info("wiped the local data of a user (%d files)", sum(1 for _ in files))


def _remove(path: Path, *, overwrite: bool) -> None:
    if path.is_dir() or not path.exists():
        return
    if overwrite:  # a plain database: its pages overwritten before the name goes
        with contextlib.suppress(OSError), open(path, "r+b") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(0)
            zeros = bytes(min(size, _CHUNK))
            for start in range(0, size, _CHUNK):
                f.write(zeros[: min(_CHUNK, size - start)])
            f.flush()
            os.fsync(f.fileno())
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _forget_key(db: Path) -> None:
    """The data key registered for the database in this process (gridworker.store.cipher), forgotten."""
    import importlib

    try:
        cipher = importlib.import_module("gridworker.store.cipher")
    except ImportError:
        return
    forget = getattr(cipher, "forget_key", None)
    if forget is not None:
        with contextlib.suppress(Exception):
            forget(db)


def _delete_tokens(tokens: TokenStore, username: str, server_url: str) -> None:
    names = {username, normalize_username(username)}
    servers = {server_url.rstrip("/")} if server_url else set()
    for name in names:
        servers.update(tokens.servers(name))
    for server in servers:
        for name in names:
            tokens.delete(server, name)


# -- talking to the server ----------------------------------------------------------------------------------


def _transport(server_url: str, token: str, timeout: float | None) -> Transport:
    from gridworker.store.schema import head_revision
    from gridworker.syncing.transport import Transport

    transport = Transport(server_url, head_revision(), token)
    if timeout is not None:
        transport.timeout = (timeout, timeout)
    return transport


def _confirm(entry: dict[str, Any], timeout: float | None) -> bool:
    """POST /v1/device/wiped with the revoked token; True once the server took it (or never will: a
    refusal other than being offline or busy is not retried)."""
    import uuid

    from gridworker.syncing.transport import BusyError, OfflineError, ServerFaultError, SyncError
    from gridworker_shared.protocol import WipeConfirmation

    token, server, device = entry.get("token"), entry.get("server_url"), entry.get("device_id")
    if not (token and server and device):
        return True
    try:
        body = WipeConfirmation(device_id=uuid.UUID(device), wiped_at=dt.datetime.now(dt.UTC))
        _transport(server, token, timeout).post("/v1/device/wiped", body)
    except (OfflineError, BusyError, ServerFaultError):
        return False
    except (SyncError, ValueError) as exc:
        log.warning("the server refused the wipe confirmation: %s", getattr(exc, "code", type(exc).__name__))
    return True


def wipe_mode(exc: Exception) -> str:
    """The wipe a refusal asks for: "lost" or "handover" from a 401 ``device_revoked``, else ""."""
    from gridworker.syncing.transport import SignInNeededError

    if isinstance(exc, SignInNeededError) and exc.code == "device_revoked":
        mode = str(exc.detail.get("wipe", ""))
        return mode if mode in MODES else ""
    return ""


def check_device(folder: Path, username: str, server_url: str, tokens: TokenStore, timeout: float = 2.0) -> str:
    """Before anything shows: finish a wipe a crash interrupted, then ask the server about this laptop
    (GET /v1/device). Revoked as lost: wipe now. Handed over: push what is unsent, then wipe (when the
    database cannot be opened yet, an encrypted one before its PIN, the first sync does it). The wipe
    mode done, or "" (none; offline, a timeout or any other failure: the app goes on as usual)."""
    from gridworker.syncing.transport import SyncError

    name = normalize_username(username)
    interrupted = pending_mode(folder, name)
    if name in finish_wipes(folder, tokens, timeout=timeout):
        return interrupted
    db = worker_db_path(username, folder)
    token = tokens.get(server_url, username) or tokens.get(server_url, name) if server_url else None
    if not token or not db.exists():
        return ""
    try:
        _transport(server_url, token, timeout).get("/v1/device")
        return ""
    except SyncError as exc:
        mode = wipe_mode(exc)
        if not mode:
            return ""
        device_id = str(exc.detail.get("device_id", ""))
    if mode == "handover" and not _push_unsent(db, tokens):
        return ""
    begin_wipe(folder, name, mode, server_url=server_url, device_id=device_id, token=token)
    finish_wipes(folder, tokens, timeout=timeout)
    return mode


def _push_unsent(db: Path, tokens: TokenStore) -> bool:
    """A handed-over laptop's unsent work pushed (the outbox empty, or only set-aside items left);
    False when that could not be done now (offline, the database locked by its PIN)."""
    try:
        from gridworker.store.db import Database
        from gridworker.syncing.engine import SyncEngine

        database = Database(db)
        try:
            return SyncEngine(database, tokens).push_unsent()
        finally:
            database.close()
    except Exception as exc:  # not now: the first sync after the PIN does it
        log.info("handover: the unsent work could not be pushed before the start (%s)", type(exc).__name__)
        return False
