"""The task manager's threads never destroy a Qt object: a task's closure may hold the last reference
to a widget, and Qt crashes when a widget is destroyed off the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from gridworker.ui.tasks import TaskManager


def test_what_a_task_held_is_released_on_the_gui_thread(qtbot: QtBot) -> None:
    tasks = TaskManager()
    released: list[str] = []
    gate = threading.Event()
    done: list[bool] = []

    def submit() -> None:  # the task's closure is the only holder of the object once this returns
        held = QObject()
        held.destroyed.connect(
            lambda: released.append(threading.current_thread().name), Qt.ConnectionType.DirectConnection
        )
        tasks.read(lambda: held is not None and gate.wait(30), done.append)

    submit()
    gate.set()
    qtbot.waitUntil(lambda: bool(done and released), timeout=10_000)
    assert done == [True]
    assert released == [threading.main_thread().name]
    tasks.shutdown()
