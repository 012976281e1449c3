"""A visit form in progress survives the app being killed (kill -9, like a power cut)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gridworker.demo.seed import load_city
from gridworker.paths import worker_db_path
from gridworker.store.db import Database
from gridworker.store.meta import set_meta
from gridworker.store.reads import Reader
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager
from gridworker.ui.visit_dialog import VisitDialog
from gridworker_server.demo_city import DemoCity
from tests.helpers.gui import wait_idle

ROOT = Path(__file__).resolve().parents[2]
TEXT = "老人说腿疼，下周再来"


def draft_notes(db_path: Path) -> str | None:
    con = sqlite3.connect(db_path)
    try:
        row = con.execute("SELECT json_extract(payload, '$.notes') FROM draft").fetchone()
        return row[0] if row else None
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()


@pytest.mark.slow
def test_draft_comes_back_after_kill_9(qtbot: QtBot, tmp_path: Path, grid: DemoCity) -> None:
    folder = tmp_path / "data"
    path = worker_db_path("worker", folder)
    db = Database(path)
    load_city(db, grid)
    worker = grid.workers[0]
    with db.transaction() as s:
        set_meta(s, worker_id=str(worker.id), username="worker", worker_name=worker.name, grid_name="第1网格")
    db.close()

    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.draft_app", str(folder), "worker", TEXT],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # wait for the draft to be on disk, then pull the plug
        qtbot.waitUntil(lambda: draft_notes(path) == TEXT or proc.poll() is not None, timeout=60000)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    tasks = TaskManager()
    ctx = AppContext(
        path,
        Reader(path),
        tasks,
        Settings(folder / "settings.ini"),
        Identity(worker.id, "worker", worker.name, "第1网格"),
        Events(),
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.start()
    wait_idle(qtbot, ctx)
    assert window.today.draft_banner.isVisible()
    with qtbot.waitSignal(window.visit_form_opened, timeout=10000) as opened:
        window.today.resume_button.click()
    dialog = opened.args[0]
    assert isinstance(dialog, VisitDialog)
    assert dialog.notes.toPlainText() == TEXT
    assert dialog.outcome() == "not_home"
    assert dialog.restored_label.isVisible()
    with qtbot.waitSignal(dialog.visit_saved, timeout=10000):
        dialog.save()
    wait_idle(qtbot, ctx)
    assert ctx.reader.drafts() == []  # saved: the draft is gone with the same transaction
    assert not window.today.draft_banner.isVisible()
    tasks.shutdown()
    ctx.close()
