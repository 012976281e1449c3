"""A real first start: ``python -m gridworker`` on a fresh laptop, without ``--demo``. The sign-in screen comes
first, with no user name filled in; Cancel quits, having created no database and opened no one's data. Each
start is a real process, offscreen; a timer in it reads the sign-in screen and cancels it."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 180

pytestmark = pytest.mark.slow

# what the sign-in screen showed, whether a main window was ever shown, then Cancel
CANCEL_THE_SIGN_IN = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from gridworker.ui.main_window import MainWindow
from gridworker.ui.sign_in import SignInDialog

app = QApplication(sys.argv[:1])
seen = {"window": False}

def look():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow) and w.isVisible():
            seen["window"] = True
            print("WINDOW SHOWN", flush=True)
            app.quit()
        if isinstance(w, SignInDialog) and w.isVisible():
            print("SIGN-IN USER:", repr(w.username.text()), flush=True)
            w.reject()

timer = QTimer(interval=50, timeout=look)
timer.start()
from gridworker.app import main
code = main(sys.argv[1:])
print("WINDOW:", seen["window"], flush=True)
sys.exit(code)
"""


def start(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    env.pop("GRIDWORKER_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-c", CANCEL_THE_SIGN_IN, "--data-dir", str(folder), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def test_cancel_on_the_first_sign_in_quits_and_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    result = start(folder)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "SIGN-IN USER: ''" in result.stdout  # nobody's name (least of all 'demo') filled in
    assert "WINDOW: False" in result.stdout
    assert list(folder.glob("workers/*.db")) == []  # no database for a worker who never signed in
    settings = configparser.ConfigParser()
    settings.read(folder / "settings.ini")
    assert not settings.has_option("session", "last_user")


def test_a_plain_start_after_the_demo_does_not_open_the_demo_city(tmp_path: Path) -> None:
    """The laptop ran ``--demo`` once (its database and LAST_USER were left behind by earlier versions): a
    plain start shows the sign-in with no name filled in, and Cancel opens neither the demo city nor
    anything else."""
    from gridworker.paths import worker_db_path
    from gridworker.store.db import Database
    from gridworker.store.meta import set_meta
    from gridworker.store.schema import prepare

    folder = tmp_path / "data"
    demo_db = worker_db_path("demo", folder)
    prepare(demo_db)
    db = Database(demo_db)
    with db.transaction() as s:
        set_meta(s, worker_id=str(uuid.uuid4()), username="demo", worker_name="演示", grid_name="演示网格")
    db.close()
    (folder / "settings.ini").write_text("[session]\nlast_user=demo\n", encoding="utf-8")
    result = start(folder)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "SIGN-IN USER: ''" in result.stdout
    assert "WINDOW: False" in result.stdout
    assert sorted(p.name for p in folder.glob("workers/*.db")) == ["demo.db"]


def test_cancel_after_a_sign_out_quits(tmp_path: Path) -> None:
    """A worker's database whose token was forgotten (signed out): the sign-in shows that worker's name, and
    Cancel quits instead of opening their residents to whoever is at the laptop."""
    from gridworker.paths import worker_db_path
    from gridworker.store.db import Database
    from gridworker.store.meta import set_meta
    from gridworker.store.schema import prepare

    folder = tmp_path / "data"
    path = worker_db_path("worker07", folder)
    prepare(path)
    db = Database(path)
    with db.transaction() as s:
        set_meta(s, worker_id=str(uuid.uuid4()), username="worker07", server_url="http://127.0.0.1:9")
    db.close()
    (folder / "settings.ini").write_text("[session]\nlast_user=worker07\n", encoding="utf-8")
    result = start(folder)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "SIGN-IN USER: 'worker07'" in result.stdout
    assert "WINDOW: False" in result.stdout
