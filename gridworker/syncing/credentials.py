"""Where the device token lives on the laptop: the OS keyring where there is one, else a file that only
the user can read (0600, in the user's data folder). Never in the database, never in a log."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
SERVICE = "gridworker"


def _keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return False
        return getattr(backend, "priority", 0) > 0
    except Exception:  # no backend, a broken D-Bus session, ...: fall back to the file
        return False


class TokenStore:
    """One token per (server, user). ``folder``: where the fallback file goes."""

    def __init__(self, folder: Path, *, use_keyring: bool | None = None) -> None:
        self.file = folder / "tokens.json"
        self.use_keyring = _keyring_usable() if use_keyring is None else use_keyring

    @staticmethod
    def _key(server: str, username: str) -> str:
        return f"{server.rstrip('/')}|{username}"

    def get(self, server: str, username: str) -> str | None:
        key = self._key(server, username)
        if self.use_keyring:
            import keyring

            with contextlib.suppress(Exception):
                value = keyring.get_password(SERVICE, key)
                if value:
                    return str(value)
        return self._read().get(key)

    def set(self, server: str, username: str, token: str) -> None:
        key = self._key(server, username)
        if self.use_keyring:
            import keyring

            try:
                keyring.set_password(SERVICE, key, token)
                return
            except Exception as exc:  # the keyring refused: fall back to the owner-only file
                log.warning("keyring unavailable (%s); keeping the token in an owner-only file", type(exc).__name__)
        data = self._read()
        data[key] = token
        self._write(data)

    def delete(self, server: str, username: str) -> None:
        key = self._key(server, username)
        if self.use_keyring:
            import keyring

            with contextlib.suppress(Exception):
                keyring.delete_password(SERVICE, key)
        data = self._read()
        if data.pop(key, None) is not None:
            self._write(data)

    def servers(self, username: str) -> list[str]:
        """The servers the owner-only file holds a token of ``username`` for (a wipe removes them all;
        the keyring cannot be listed: the caller names its server too)."""
        return sorted({key.rpartition("|")[0] for key in self._read() if key.rpartition("|")[2] == username})

    def _read(self) -> dict[str, str]:
        try:
            return {str(k): str(v) for k, v in json.loads(self.file.read_text("utf-8")).items()}
        except (OSError, ValueError, AttributeError):
            return {}

    def _write(self, data: dict[str, str]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        # created 0600 from the start: the token is never readable by others, not even for a moment
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.file)
