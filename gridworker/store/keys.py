"""The key of a user's encrypted database, and how it is kept on the laptop.

The database is encrypted (SQLCipher, gridworker.store.cipher) with a random 256-bit **data key**.
The data key is never stored as it is: the key file beside the database holds it **wrapped**
(AES-256-GCM) by a key derived from the user's PIN (Argon2id, with the parameters and salt stored in
the file, so a later version can raise them for new files and still open old ones), and, once the
server holds the device's recovery secret, wrapped a second time by that secret. Changing the PIN
re-wraps the data key; the data is never re-encrypted.

The file is written atomically (a temporary file, fsync, rename, fsync of the folder): a crash leaves
the old file or the new one, never half of either.

The recovery secret is the server's (SYNC.md's device): a user who forgot the PIN (five wrong PINs)
signs in to the server with the password, the server hands the secret back to that device, and the
data key is unwrapped with it. A revoked device is never given it, so a lost laptop's copy cannot be
opened even by someone who learns the password later.

Standard library, argon2-cffi and cryptography; no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridworker.store.durable import fsync_folder

KEY_BYTES = 32
FORMAT = 1
# Argon2id for a PIN typed at every start and unlock: OWASP's second recommended configuration
# (m=46 MiB would do for t=1; t=3, m=64 MiB, p=2 is RFC 9106's second choice, scaled to a 2-core laptop)
DEFAULT_KDF = {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 2}
MIN_PIN = 6
MAX_PIN = 64


class KeyFileError(Exception):
    """The key file is missing, damaged or of a newer format (not a wrong PIN: see WrongPinError)."""


class WrongPinError(Exception):
    """The PIN (or recovery secret) does not unwrap the data key."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def derive(pin: str, kdf: dict[str, Any], salt: bytes) -> bytes:
    """The key-encryption key of ``pin`` (Argon2id with the stored parameters)."""
    from argon2.low_level import Type, hash_secret_raw

    if kdf.get("name") != "argon2id":
        raise KeyFileError(f"unknown key derivation {kdf.get('name')!r}")
    return hash_secret_raw(
        pin.encode("utf-8"),
        salt,
        time_cost=int(kdf["time_cost"]),
        memory_cost=int(kdf["memory_cost"]),
        parallelism=int(kdf["parallelism"]),
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _wrap(kek: bytes, data_key: bytes, label: bytes) -> dict[str, str]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return {"nonce": _b64(nonce), "wrapped": _b64(AESGCM(kek).encrypt(nonce, data_key, label))}


def _unwrap(kek: bytes, box: dict[str, str], label: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(kek).decrypt(_unb64(box["nonce"]), _unb64(box["wrapped"]), label)
    except InvalidTag as exc:
        raise WrongPinError from exc
    except (KeyError, ValueError) as exc:
        raise KeyFileError("damaged key file") from exc


def key_path(db_path: Path) -> Path:
    """The key file of a database: ``workers/demo.db`` -> ``workers/demo.db.key``."""
    return db_path.with_name(db_path.name + ".key")


@dataclass
class KeyFile:
    """A database's key file, as read (``data`` is its JSON). Use :meth:`create`, :meth:`load`."""

    path: Path
    data: dict[str, Any]

    # -- reading and writing -----------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as exc:
            raise KeyFileError(f"cannot read {path.name}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT or "pin" not in data:
            raise KeyFileError(f"{path.name} is of an unknown format")
        return cls(path, data)

    @classmethod
    def create(
        cls, path: Path, pin: str, data_key: bytes | None = None, kdf: dict[str, Any] | None = None
    ) -> tuple[KeyFile, bytes]:
        """A new key file for ``pin`` wrapping ``data_key`` (a new random one by default); written
        atomically. Returns the file and the data key."""
        data_key = data_key or secrets.token_bytes(KEY_BYTES)
        keyfile = cls(path, {"format": FORMAT, "kdf": dict(kdf or DEFAULT_KDF)})
        keyfile._set_pin(pin, data_key)
        keyfile.save()
        return keyfile, data_key

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
        fsync_folder(self.path.parent)

    # -- the PIN -----------------------------------------------------------------------------------

    def _set_pin(self, pin: str, data_key: bytes) -> None:
        salt = secrets.token_bytes(16)
        self.data["salt"] = _b64(salt)
        self.data["pin"] = _wrap(derive(pin, self.data["kdf"], salt), data_key, b"pin")

    def unlock(self, pin: str) -> bytes:
        """The data key, or WrongPinError. Takes the key derivation's time (see DEFAULT_KDF)."""
        kek = derive(pin, self.data["kdf"], _unb64(self.data["salt"]))
        return _unwrap(kek, self.data["pin"], b"pin")

    def change_pin(self, data_key: bytes, new_pin: str) -> None:
        """Wrap the (already unlocked) data key for ``new_pin``; the data is not touched."""
        self._set_pin(new_pin, data_key)
        self.save()

    # -- the server's recovery secret --------------------------------------------------------------

    def set_recovery(self, data_key: bytes, secret: bytes) -> None:
        """Wrap the data key by the device's recovery secret (held by the server) as well."""
        self.data["recovery"] = _wrap(secret, data_key, b"recovery")
        self.data["recovery_sent"] = False
        self.save()

    def recovery_sent(self, device_id: str = "") -> None:
        """The server confirmed it holds the secret, for ``device_id`` (kept here: a forgotten PIN at
        start-up asks the server for this device's secret before the database can be opened)."""
        self.data["recovery_sent"] = True
        if device_id:
            self.data["device_id"] = device_id
        self.save()

    @property
    def device_id(self) -> str:
        """The device the server holds the recovery secret for ("" before it does)."""
        return str(self.data.get("device_id", ""))

    @property
    def has_recovery(self) -> bool:
        return "recovery" in self.data

    @property
    def recovery_pending(self) -> bool:
        """The recovery wrap exists but the server has not confirmed the secret yet."""
        return self.has_recovery and not self.data.get("recovery_sent", False)

    def unlock_with_recovery(self, secret: bytes) -> bytes:
        if not self.has_recovery:
            raise KeyFileError("no recovery wrap")
        return _unwrap(secret, self.data["recovery"], b"recovery")

    # -- wrong PINs (kept in the file: quitting the app does not reset them) ---------------------------

    @property
    def failures(self) -> int:
        return int(self.data.get("failures", 0))

    def record_failure(self, now: float | None = None) -> int:
        self.data["failures"] = self.failures + 1
        self.data["failed_at"] = time.time() if now is None else now
        self.save()
        return self.failures

    def clear_failures(self) -> None:
        if self.data.get("failures"):
            self.data.pop("failures", None)
            self.data.pop("failed_at", None)
            self.save()

    @property
    def last_failure(self) -> float | None:
        value = self.data.get("failed_at")
        return float(value) if value is not None else None


def check_pin(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN (a code for the screen), or None: 6 to 64 characters, not all one
    digit or a run of digits (123456, 000000)."""
    if not MIN_PIN <= len(pin) <= MAX_PIN:
        return "pin_length"
    if pin.isdigit() and (
        len(set(pin)) == 1 or pin in "0123456789012345678901234567890" or pin in "9876543210987654321"
    ):
        return "pin_too_simple"
    return None


__all__ = [
    "DEFAULT_KDF",
    "KEY_BYTES",
    "KeyFile",
    "KeyFileError",
    "WrongPinError",
    "check_pin",
    "derive",
    "key_path",
]
