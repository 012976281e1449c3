"""The session locking, heard on D-Bus (Linux): a real session bus (``dbus-run-session``), the app's
lock controller listening on it, and the screen saver's ``ActiveChanged(true)`` sent on it locks the app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or shutil.which("dbus-run-session") is None,
        reason="needs a D-Bus session bus (Linux, dbus-run-session)",
    ),
]

SCREEN_SAVER_ON = """\
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtWidgets import QApplication, QMainWindow
from gridworker.store.keys import KeyFile, key_path
from gridworker.ui.lock import LockController
from gridworker.ui.pin_gate import PinGate

app = QApplication(sys.argv[:1])
db = Path(sys.argv[1])
KeyFile.create(key_path(db), "470258", kdf={"name": "argon2id", "time_cost": 1, "memory_cost": 1024, "parallelism": 1})
window = QMainWindow()
window.show()
lock = LockController(app, PinGate(db))
lock.locked.connect(lambda: (print("LOCKED", flush=True), app.quit()))
signal = QDBusMessage.createSignal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged")
signal.setArguments([True])
QTimer.singleShot(0, lambda: print("SENT", QDBusConnection.sessionBus().send(signal), flush=True))
QTimer.singleShot(20000, app.quit)
app.exec()
"""


def test_the_screen_saver_starting_locks_the_app(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", SCREEN_SAVER_ON, str(tmp_path / "w.db")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "SENT True" in result.stdout, result.stderr[-2000:]
    assert "LOCKED" in result.stdout, result.stderr[-2000:]
