"""Before a worker's database opens: its PIN. The first time (after the first sign-in, or an older
version's plain database) the worker sets one: the key file is written, the database encrypted, the
device's recovery secret wrapped and sent to the server. At every later start the PIN unlocks the data
key (or the keyring's copy for this boot, if the worker asked), and every connection uses it.

The demo opens without typing: its key file is the demo PIN's (gridworker.demo.DEMO_PIN).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from gridworker.paths import worker_db_path
from gridworker.store.keys import KEY_BYTES, KeyFile, KeyFileError, key_path
from gridworker.store.reads import Reader
from gridworker.syncing.credentials import TokenStore
from gridworker.ui.pin_gate import (
    PinGate,
    encrypt,
    key_registered,
    needs_encrypting,
    register_key,
    remember_session_key,
    session_key,
    session_tag,
)
from gridworker.ui.settings import SERVER_URL, Settings
from gridworker.ui.sync import FirstSignIn, has_signed_in

if TYPE_CHECKING:  # the dialogs load when one is shown: a start with the key at hand never shows one
    from gridworker.ui.pin_dialogs import Recover

log = logging.getLogger(__name__)

# the recovery secret, to the server (blocking; True once the server holds it; a failure or False leaves
# it pending: the sync wraps and sends a new one by itself)
SendSecret = Callable[[bytes], bool]


def unlock_database(
    path: Path,
    *,
    who: str = "",
    recover: Recover | None = None,
    send_secret: SendSecret | None = None,
    parent: QWidget | None = None,
) -> bool:
    """The database at ``path`` may be opened (its key registered); False if the worker cancelled."""
    if key_path(path).exists():
        return _unlock(path, who, recover, parent)
    return set_pin(path, send_secret, parent)


def _unlock(path: Path, who: str, recover: Recover | None, parent: QWidget | None) -> bool:
    if key_registered(path):
        return True
    try:
        gate = PinGate(path)
    except (KeyFileError, OSError) as exc:
        log.error("key file", exc_info=exc)
        QMessageBox.critical(
            parent,
            "Gridworker",
            QCoreApplication.translate(
                "unlock", "The key file of your data ({name}) cannot be read. Ask your office for help."
            ).format(name=key_path(path).name),
        )
        return False
    key = session_key(path, fingerprint(gate.keyfile))
    if key is None:
        from gridworker.ui.pin_dialogs import UnlockDialog

        dialog = UnlockDialog(gate, who=who, recover=recover, can_remember=session_tag() is not None, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.key is None:
            return False
        key = dialog.key
        if dialog.remember.isChecked():
            remember_session_key(path, key, fingerprint(gate.keyfile))
    register_key(path, key)
    if needs_encrypting(path):  # the key file was written, the conversion had not run: it runs now
        return _convert(path, key, parent)
    return True


def fingerprint(keyfile: KeyFile) -> str:
    """Changes with the key file (a new PIN, a new file): the keyring's copy of an older one is dropped."""
    return str(keyfile.data.get("salt", ""))[:16]


def set_pin(path: Path, send_secret: SendSecret | None, parent: QWidget | None = None) -> bool:
    """The worker's first PIN: key file, recovery secret (sent where possible), the database encrypted."""
    converting = needs_encrypting(path)

    def apply(pin: str) -> tuple[bytes, KeyFile]:
        keyfile, key = KeyFile.create(key_path(path), pin)
        secret = secrets.token_bytes(KEY_BYTES)
        keyfile.set_recovery(key, secret)
        register_key(path, key)
        if converting:
            encrypt(path, key)
        if send_secret is not None:
            try:
                if send_secret(secret):
                    keyfile.recovery_sent()
            except Exception as exc:  # offline, or a server before protocol 5: the sync sends it later
                log.info("recovery secret not sent yet (%s)", type(exc).__name__)
        return key, keyfile

    from gridworker.ui.pin_dialogs import SetPinDialog

    dialog = SetPinDialog(apply, converting=converting, can_remember=session_tag() is not None, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    key, keyfile = dialog.result_value
    if dialog.remember.isChecked():
        remember_session_key(path, key, fingerprint(keyfile))
    return True


def _convert(path: Path, key: bytes, parent: QWidget | None) -> bool:
    """A plain database beside a key file (the conversion interrupted): encrypted now, with its progress."""
    from gridworker.ui.pin_dialogs import ConvertDialog

    dialog = ConvertDialog(lambda: encrypt(path, key), parent=parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def demo_unlock(path: Path, pin: str) -> None:
    """The demo's database, encrypted with the demo PIN: opened without asking."""
    kpath = key_path(path)
    if kpath.exists():
        key = KeyFile.load(kpath).unlock(pin)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _, key = KeyFile.create(kpath, pin)
    register_key(path, key)
    if needs_encrypting(path):
        encrypt(path, key)


# -- the server's part (the sync engine's, called where this build has it) -----------------------------


def send_recovery_secret(path: Path, tokens: TokenStore, secret: bytes) -> bool:
    """PUT the device's recovery secret (SyncEngine.send_recovery_secret); blocking. False where this
    build's engine cannot (it stays pending)."""
    from gridworker.store.db import Database
    from gridworker.syncing.engine import SyncEngine

    db = Database(path)
    try:
        engine: Any = SyncEngine(db, tokens)
        send = getattr(engine, "send_recovery_secret", None)
        if send is None:
            log.info("this build cannot send the recovery secret yet")
            return False
        send(secret)
        return True
    finally:
        db.close()


def recover_secret(path: Path, tokens: TokenStore, server: str, username: str, password: str) -> bytes:
    """A password sign-in that gives back this device's recovery secret (SyncEngine.recover_secret);
    blocking. Raises the engine's SyncError."""
    from gridworker.store.cipher import key_for
    from gridworker.syncing.engine import SyncEngine
    from gridworker.syncing.recovery import recover_secret as by_password
    from gridworker.syncing.transport import NotPossibleError

    if key_for(path) is None:  # at start-up: the database cannot open; the key file names the device
        try:
            device = KeyFile.load(key_path(path)).device_id
        except (OSError, KeyFileError):
            device = ""
        if not device:
            raise NotPossibleError("recovery_unavailable", "The server holds no recovery key for this laptop yet.")
        return by_password(server, username, password, uuid.UUID(device), tokens)
    from gridworker.store.db import Database  # on the lock screen: the database open (its key registered)

    db = Database(path)
    try:
        engine: Any = SyncEngine(db, tokens)
        return bytes(engine.recover_secret(server, username, password))
    finally:
        db.close()


def unlock_worker(
    folder: Path, username: str, settings: Settings, server: str | None, tokens: TokenStore | None
) -> bool:
    """Before ``username``'s database opens: its PIN, or the first PIN set (and the database encrypted).
    ``tokens`` None: this start does not talk to the server (no recovery by password). False: cancelled."""
    path = worker_db_path(username, folder)
    server = server or settings.get(SERVER_URL)

    def recover(password: str) -> bytes:
        assert tokens is not None and server
        return recover_secret(path, tokens, server, username, password)

    def send(secret: bytes) -> bool:
        assert tokens is not None
        return send_recovery_secret(path, tokens, secret)

    online = tokens is not None and bool(server)
    return unlock_database(
        path, who=username, recover=recover if online else None, send_secret=send if online else None
    )


def signed_in_here(path: Path, has_key: bool, tokens: TokenStore, server: str, username: str) -> bool:
    """Whether ``username``'s database still has its token here (an encrypted one is not read for it)."""
    if has_key:
        return bool(server and tokens.get(server, username))
    try:
        reader = Reader(path)
        try:
            meta = reader.meta()
        finally:
            reader.close()
        return has_signed_in(meta, tokens)
    except Exception:  # an older database the reader cannot read yet: its worker is the one here
        return True


class UnlockingSignIn(FirstSignIn):
    """The sign-in screen's call: signing in to a database of this laptop that has a PIN asks for its
    PIN first (the sign-in writes into it)."""

    def __call__(
        self,
        server_url: str,
        username: str,
        password: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        from gridworker.syncing.transport import NotPossibleError
        from gridworker_shared.domain.usernames import normalize_username

        path = worker_db_path(normalize_username(username), self.folder)
        if key_path(path).exists() and not key_registered(path) and not unlock_database(path, who=username):
            on_error(NotPossibleError("pin_needed", "Type this worker's PIN to sign in on this laptop."))
            return
        super().__call__(server_url, username, password, on_done, on_error)
