"""How the app starts where only the app is installed (the installer carries no server): the smoke test
starts as a worker does on a fresh laptop, and ``--demo`` says that it needs the server. Each start is a
real ``python`` process, offscreen."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 120

pytestmark = pytest.mark.slow

# ``--demo`` in an installation without the server: an import hook refuses gridworker_server (as if it were
# not installed), and a timer reads and closes the box the app opens, so that the process can end.
WITHOUT_THE_SERVER = """\
import importlib.abc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

class NoServer(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "gridworker_server":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoServer())
app = QApplication(sys.argv[:1])

def close_the_box():
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        print("BOX:", box.text(), flush=True)
        box.done(0)

timer = QTimer(interval=20, timeout=close_the_box)
timer.start()
from gridworker.app import main
code = main(sys.argv[1:])
print("SERVER LOADED:", any(m.split(".")[0] == "gridworker_server" for m in sys.modules), flush=True)
sys.exit(code)
"""


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    env.pop("GRIDWORKER_DATA_DIR", None)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)


def imported_modules(importtime: str) -> set[str]:
    """The modules a ``-X importtime`` run imported, from its stderr."""
    return {m.group(1).strip() for m in re.finditer(r"^import time:[^|]*\|[^|]*\|\s*(\S+)", importtime, re.M)}


def test_the_smoke_test_starts_as_a_worker_on_a_fresh_laptop(tmp_path: Path) -> None:
    """No --demo, no --user, an empty data folder, no server: the empty Today shows (no sign-in screen,
    which would wait for ever), then the app quits with 0, having loaded neither the server nor Faker."""
    folder = tmp_path / "fresh"
    result = run(["-X", "importtime", "-m", "gridworker", "--smoke-test", "--data-dir", str(folder)])
    assert result.returncode == 0, result.stderr[-3000:]
    modules = imported_modules(result.stderr)
    assert {"gridworker.app", "gridworker.ui.main_window"} <= modules  # the guard sees real imports
    assert {m for m in modules if m.split(".")[0] in {"gridworker_server", "faker", "fastapi", "uvicorn"}} == set()
    assert not any(m.startswith("gridworker.demo") for m in modules)
    assert [p.name for p in (folder / "workers").glob("*.db")] == ["worker.db"]
    assert not (folder / "tokens.json").exists()


def test_the_demo_without_the_server_says_how_to_install_it(tmp_path: Path) -> None:
    result = run(["-c", WITHOUT_THE_SERVER, "--demo", "--data-dir", str(tmp_path / "data")])
    assert result.returncode == 2, result.stderr[-3000:]
    assert "--demo needs the Gridworker server" in result.stderr
    assert "pip install 'gridworker[server]'" in result.stderr
    assert "BOX: 演示需要" in result.stdout  # in the user's language (Chinese first)
    assert "pip install 'gridworker[server]'" in result.stdout
    assert "SERVER LOADED: False" in result.stdout
    assert not (tmp_path / "data" / "workers").exists()  # nothing was seeded or opened
