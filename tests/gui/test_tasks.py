"""The task manager's threads never destroy a Qt object: a task's closure may hold the last reference
to a widget, and Qt crashes when a widget is destroyed off the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from gridworker.ui.collector import GuiThreadCollector
from gridworker.ui.tasks import BackgroundTasks, TaskManager


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


def test_a_reference_cycle_is_collected_on_the_gui_thread_not_by_a_worker(qtbot: QtBot) -> None:
    collector = GuiThreadCollector(interval_ms=10)
    released: list[str] = []

    def make_cycle() -> None:  # an object only a collection can free, as a widget with a lambda of its own
        held = QObject()
        held.cycle = held  # type: ignore[attr-defined]
        held.destroyed.connect(
            lambda: released.append(threading.current_thread().name), Qt.ConnectionType.DirectConnection
        )

    try:
        make_cycle()
        # a worker allocates (and keeps) far past the youngest generation's threshold: the automatic
        # collector would run there
        kept: list[list[object]] = []
        worker = threading.Thread(target=lambda: kept.extend([] for _ in range(100_000)), name="gw-worker")
        worker.start()
        worker.join()
        assert released == []
        qtbot.waitUntil(lambda: bool(released), timeout=10_000)
        assert released == [threading.main_thread().name]
    finally:
        collector.close()


def test_the_sync_thread_releases_what_a_job_held_on_the_gui_thread_too(qtbot: QtBot) -> None:
    """The sync and the sign-in run on BackgroundTasks: the same delivery as the database's threads,
    on a daemon thread (a job waiting on the network never holds up quitting)."""
    tasks = BackgroundTasks("gw-test-sync")
    released: list[str] = []
    gate = threading.Event()
    done: list[bool] = []
    failed: list[Exception] = []
    ran_on: list[threading.Thread] = []

    def submit() -> None:
        held = QObject()
        held.destroyed.connect(
            lambda: released.append(threading.current_thread().name), Qt.ConnectionType.DirectConnection
        )

        def job() -> bool:
            ran_on.append(threading.current_thread())
            return held is not None and gate.wait(30)

        tasks.submit(job, done.append, failed.append)

    submit()
    gate.set()
    qtbot.waitUntil(lambda: bool(done and released), timeout=10_000)
    assert (done, failed, released) == ([True], [], [threading.main_thread().name])
    assert ran_on[0].daemon and ran_on[0].name == "gw-test-sync"
    tasks.submit(lambda: 1 // 0, done.append, failed.append)
    qtbot.waitUntil(tasks.is_idle, timeout=10_000)
    assert isinstance(failed[0], ZeroDivisionError)
    assert tasks.shutdown(timeout=10)
