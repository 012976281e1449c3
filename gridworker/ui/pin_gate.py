"""The rules of the PIN, apart from any screen: wrong PINs counted in the key file (quitting does not
reset them), five of them and the user must sign in to the server with the password (offline: a delay
that doubles with every further wrong PIN, counted from the last one), and the OS keyring's copy of the
data key for this boot of the laptop only, if the user asked for it.

No Qt. The key derivation (Argon2id, see gridworker.store.keys) takes a noticeable fraction of a second:
callers run :meth:`PinGate.try_pin` off the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from gridworker.store.keys import KeyFile, WrongPinError, key_path

log = logging.getLogger(__name__)

MAX_TRIES = 5  # wrong PINs before the password is needed
FIRST_DELAY = 30.0  # seconds after the fifth wrong PIN (offline), doubled for every further one
MAX_DELAY = 30 * 60.0
SESSION_SERVICE = "gridworker-session"
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")

Clock = Callable[[], float]


class PinGate:
    """One database's key file, and whether (and when) a PIN may be tried."""

    def __init__(self, db_path: Path, clock: Clock = time.time) -> None:
        self.db_path = db_path
        self.clock = clock
        self.keyfile = KeyFile.load(key_path(db_path))

    @property
    def failures(self) -> int:
        return int(self.keyfile.failures)

    @property
    def locked_out(self) -> bool:
        """Five wrong PINs: the password (a sign-in to the server) is needed, or the delay offline."""
        return self.failures >= MAX_TRIES

    def delay_left(self) -> float:
        """Seconds before a PIN may be tried again (0: now). Only after five wrong PINs: 30 s, then
        60 s, 120 s, … up to 30 minutes, from the last wrong PIN (a clock set back waits no longer)."""
        if not self.locked_out:
            return 0.0
        delay = min(MAX_DELAY, FIRST_DELAY * float(2 ** min(self.failures - MAX_TRIES, 16)))
        last = self.keyfile.last_failure or 0.0
        elapsed = self.clock() - last
        if elapsed < 0:  # the clock was set back: count from now
            elapsed = 0.0
        return max(0.0, delay - elapsed)

    def try_pin(self, pin: str) -> bytes:
        """The data key (the count of wrong PINs cleared), or WrongPinError (counted). Blocking: the
        key derivation's time. Refused (WrongPinError not counted) while a delay runs."""
        if self.delay_left() > 0:
            raise TooEarlyError(self.delay_left())
        try:
            key = self.keyfile.unlock(pin)
        except WrongPinError:
            self.keyfile.record_failure(self.clock())
            if self.locked_out:
                forget_session_key(self.db_path)
            raise
        self.keyfile.clear_failures()
        return key

    def recover(self, secret: bytes, new_pin: str) -> bytes:
        """After a password sign-in: the data key unwrapped by the server's recovery secret, wrapped
        for ``new_pin``; the wrong PINs forgotten. WrongPinError if the secret is not this file's."""
        key = self.keyfile.unlock_with_recovery(secret)
        self.keyfile.change_pin(key, new_pin)
        self.keyfile.clear_failures()
        return key


class TooEarlyError(Exception):
    """A PIN tried before the delay after wrong PINs has run out."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"wait {seconds:.0f} s")
        self.seconds = seconds


# -- the keyring's copy of the data key, for this boot of the laptop only ---------------------------------


def session_tag() -> str | None:
    """What names this boot of the laptop (a new one after a restart), or None where it is unknown
    (then nothing is remembered)."""
    with contextlib.suppress(OSError):
        return BOOT_ID.read_text("ascii").strip() or None
    try:
        import psutil

        return f"boot-{int(psutil.boot_time())}"
    except Exception:  # no psutil, or it cannot tell
        return None


def _session_name(db_path: Path) -> str:
    return str(db_path.resolve())


def remember_session_key(db_path: Path, key: bytes, fingerprint: str = "") -> bool:
    """Keep the data key in the OS keyring for this boot only (and this key file: ``fingerprint``);
    False if there is no keyring or no boot id."""
    tag = session_tag()
    if tag is None:
        return False
    try:
        import keyring

        keyring.set_password(SESSION_SERVICE, _session_name(db_path), f"{tag}|{fingerprint}:{key.hex()}")
        return True
    except Exception as exc:  # no usable keyring: the PIN is asked at every start
        log.warning("keyring unavailable (%s): the PIN is not remembered", type(exc).__name__)
        return False


def session_key(db_path: Path, fingerprint: str = "") -> bytes | None:
    """The data key remembered for this boot of the laptop and this key file, if any (one of an earlier
    boot or another key file is dropped)."""
    tag = session_tag()
    if tag is None:
        return None
    try:
        import keyring

        value = keyring.get_password(SESSION_SERVICE, _session_name(db_path))
    except Exception:
        return None
    if not value:
        return None
    stored_tag, _, hexkey = value.rpartition(":")
    if stored_tag != f"{tag}|{fingerprint}":
        forget_session_key(db_path)
        return None
    try:
        return bytes.fromhex(hexkey)
    except ValueError:
        forget_session_key(db_path)
        return None


def forget_session_key(db_path: Path) -> None:
    """At sign-out and after five wrong PINs: the keyring no longer holds the data key."""
    try:
        import keyring

        keyring.delete_password(SESSION_SERVICE, _session_name(db_path))
    except Exception:  # not there, or no keyring: nothing to forget
        return


# -- the other helpers' parts, called where they exist --------------------------------------------------


def register_key(db_path: Path, key: bytes) -> bool:
    """Every connection the app opens to the database uses ``key`` from now on (gridworker.store.cipher);
    False where this build has no encrypted store."""
    try:
        from gridworker.store import cipher  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        log.info("no encrypted store in this build: the database stays as it is")
        return False
    cipher.register_key(db_path, key)
    return True


def forget_key(db_path: Path) -> None:
    try:
        from gridworker.store import cipher  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return
    cipher.forget_key(db_path)


def key_registered(db_path: Path) -> bool:
    try:
        from gridworker.store import cipher  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return False
    return cipher.key_for(db_path) is not None


def needs_encrypting(db_path: Path) -> bool:
    """A plain database (an older version's, or one the first sign-in made before the PIN was set)."""
    if not db_path.exists():
        return False
    try:
        from gridworker.store import cipher  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return False
    return not cipher.is_encrypted(db_path)


def encrypt(db_path: Path, key: bytes) -> None:
    """Convert a plain database in place (crash-safe: gridworker.store.convert). Blocking."""
    from gridworker.store.convert import encrypt_in_place  # type: ignore[import-not-found,unused-ignore]

    encrypt_in_place(db_path, key)
