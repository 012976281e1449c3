"""The PIN at a real start (``python -m gridworker``, offscreen, one process per start): an older
version's plain database gets a PIN before it opens (and is encrypted where this build can); the next
start asks for it before anything of the database is read; wrong PINs are counted in the key file across
starts; Cancel opens nothing. A timer in the process answers the dialogs as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from gridworker.store.keys import KeyFile, key_path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 180
PIN = "470258"

pytestmark = pytest.mark.slow

# ANSWERS: what to type into each PIN dialog in turn ("cancel" cancels); prints what was shown
ANSWER_THE_PIN = """\
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from gridworker.ui.main_window import MainWindow
from gridworker.ui.pin_dialogs import SetPinDialog, UnlockDialog

app = QApplication(sys.argv[:1])
answers = os.environ["ANSWERS"].split(",")
done = set()

def look():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow) and w.isVisible():
            print("WINDOW SHOWN", flush=True)
            app.quit()
            return
        busy = getattr(w, "busy", False) or getattr(getattr(w, "panel", None), "busy", False)
        if not w.isVisible() or id(w) in done or busy:
            continue
        if isinstance(w, SetPinDialog):
            answer = answers.pop(0)
            print("SET PIN", flush=True)
            if answer == "cancel":
                done.add(id(w)); w.reject(); continue
            w.pin.setText(answer); w.repeat.setText(answer); w.submit()
            done.add(id(w))
        elif isinstance(w, UnlockDialog):
            if not answers:
                print("UNLOCK ASKED AGAIN", flush=True); w.reject(); done.add(id(w)); continue
            answer = answers.pop(0)
            print("UNLOCK", flush=True)
            if answer == "cancel":
                done.add(id(w)); w.reject(); continue
            w.panel.pin.setText(answer); w.panel.submit()

timer = QTimer(interval=50, timeout=look)
timer.start()
from gridworker.app import main
code = main(sys.argv[1:])
sys.exit(code)
"""


def start(folder: Path, *answers: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "ANSWERS": ",".join(answers)}
    env.pop("GRIDWORKER_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-c", ANSWER_THE_PIN, "--data-dir", str(folder), "--user", "worker07", "--no-sync"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def plain_database(folder: Path) -> Path:
    from gridworker.paths import worker_db_path
    from gridworker.store.db import Database
    from gridworker.store.meta import set_meta
    from gridworker.store.schema import prepare

    path = worker_db_path("worker07", folder)
    prepare(path)
    db = Database(path)
    with db.transaction() as s:
        set_meta(s, worker_id=str(uuid.uuid4()), username="worker07", worker_name="王秀英")
    db.close()
    return path


def encrypted(path: Path) -> bool | None:
    try:
        from gridworker.store import cipher  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return bool(cipher.is_encrypted(path))


def test_a_plain_database_gets_its_pin_then_every_start_asks_for_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    path = plain_database(folder)
    # cancel the new PIN: nothing opens, nothing is written
    result = start(folder, "cancel")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "SET PIN" in result.stdout and "WINDOW SHOWN" not in result.stdout
    assert not key_path(path).exists()
    # the PIN set: the window opens; the database is encrypted where this build can
    result = start(folder, PIN)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "SET PIN" in result.stdout and "WINDOW SHOWN" in result.stdout
    keyfile = KeyFile.load(key_path(path))
    key = keyfile.unlock(PIN)
    assert keyfile.has_recovery  # the secret for the server is wrapped (the sync sends it)
    assert encrypted(path) in (None, True)
    if encrypted(path):
        assert "王秀英".encode() not in path.read_bytes()
    # the next start: the PIN before the window; two wrong ones are counted in the key file
    result = start(folder, "999000", "999001", PIN)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("UNLOCK") == 3 and "WINDOW SHOWN" in result.stdout
    assert KeyFile.load(key_path(path)).failures == 0  # the right PIN clears them
    result = start(folder, "999000", "cancel")
    assert result.returncode == 0 and "WINDOW SHOWN" not in result.stdout
    assert KeyFile.load(key_path(path)).failures == 1  # kept across starts
    assert KeyFile.load(key_path(path)).unlock(PIN) == key
