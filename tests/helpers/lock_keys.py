"""Key files for the lock's tests: the real KeyFile, with an Argon2id cheap enough for a test (the
parameters are stored in the file, so everything else runs as it does for a worker)."""

from __future__ import annotations

from pathlib import Path

from gridworker.store.keys import KeyFile, key_path

FAST_KDF = {"name": "argon2id", "time_cost": 1, "memory_cost": 1024, "parallelism": 1}
PIN = "135790"
SECRET = bytes(range(32))  # the recovery secret the server would hold


class Clock:
    """A clock the test moves (seconds)."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_key_file(db_path: Path, pin: str = PIN) -> tuple[KeyFile, bytes]:
    keyfile, key = KeyFile.create(key_path(db_path), pin, kdf=FAST_KDF)
    keyfile.set_recovery(key, SECRET)
    return keyfile, key


def answer_set_pin(pin: str = PIN) -> list[object]:
    """Set ``pin`` in the set-PIN dialog once it is up (it runs modally, its own event loop, as at start
    and after a sign-in); returns the dialogs answered."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gridworker.ui.pin_dialogs import SetPinDialog

    answered: list[object] = []

    def poll() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, SetPinDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, poll)
            return
        dialog = shown[0]
        answered.append(dialog)
        dialog.pin.setText(pin)
        dialog.repeat.setText(pin)
        dialog.submit()

    QTimer.singleShot(0, poll)
    return answered
