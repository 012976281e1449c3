"""GUI fixtures: a real main window over a real seeded database, offscreen (the helpers the GUI tests
call are in tests/helpers/gui.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gridworker.store.db import Database
from gridworker.store.reads import Reader
from gridworker.store.services import LocalStore
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager
from gridworker_server.demo_city import DemoCity
from tests.helpers.data import TODAY
from tests.helpers.gui import open_window


@pytest.fixture
def ctx(qtbot: QtBot, seeded_db: Database, grid: DemoCity, tmp_path: Path) -> Iterator[AppContext]:
    worker = grid.workers[0]
    identity = Identity(worker.id, worker.username, worker.name, "古城社区第1网格")
    tasks = TaskManager()
    context = AppContext(
        seeded_db.path,
        Reader(seeded_db.path),
        tasks,
        Settings(tmp_path / "settings.ini"),
        identity,
        Events(),
        today=lambda: TODAY,
    )
    context._store = LocalStore(seeded_db, worker.id)  # the test's own store, closed by its fixture
    yield context
    qtbot.waitUntil(tasks.is_idle, timeout=10000)
    tasks.shutdown()
    context.reader.close()


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    return open_window(qtbot, ctx)
