"""Work off the GUI thread (Anki's taskman), its results delivered back on the GUI thread.

:class:`TaskQueue` is the one way the app does this: a job runs on a worker thread, and its callback
runs on the GUI thread by a queued signal, unless the object that asked was destroyed meanwhile; the
delivery holds the job until then, so nothing Qt owns is released on a worker thread.

:class:`TaskManager` is the database's: SQLite has one writer at a time, so every write goes through
the single writer thread, in order. Reads run on their own thread (WAL lets them proceed beside a
write), so typing in the search box is never stuck behind a save. Errors reach the user in one place
(the ``failed`` signal), sorted into known ones with a clear message and bugs.

:class:`BackgroundTasks` is the network's (sync, sign-in): one daemon thread, so a job waiting minutes
on a server never holds up the database threads, the window or quitting.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from gridworker.store.schema import classify
from gridworker.ui.i18n import error_text
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.logsafe import format_exception

log = logging.getLogger(__name__)
T = TypeVar("T")


def _call_held(held: list[Any]) -> Any:
    return held[0]()


class DaemonExecutor(Executor):
    """Jobs run in order on one daemon thread (a ``ThreadPoolExecutor``'s threads are joined when the
    interpreter exits: a job waiting on the network would hold up quitting)."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((future, partial(fn, *args, **kwargs)))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False, timeout: float | None = None) -> None:
        self._jobs.put(None)
        if wait:
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, fn = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # delivered to the GUI thread, which decides
                future.set_exception(exc)
            # the delivery holds the job until the GUI thread has run it; this thread must not
            # hold it past that (its last reference would go here, on the wrong thread)
            del job, future, fn


class TaskQueue(QObject):
    """Jobs on executors, results on the GUI thread (see the module's doc)."""

    # every queued task has finished and delivered its result
    became_idle = Signal()
    _delivered = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending = 0
        self._closed = False
        self._delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

    def is_idle(self) -> bool:
        return self._pending == 0

    def _submit(
        self,
        pool: Executor,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[Exception], None] | None,
        owner: QObject | None,
    ) -> None:
        if self._closed:
            return
        if owner is None:
            bound = getattr(on_done, "__self__", None)
            owner = bound if isinstance(bound, QObject) else None
        self._pending += 1
        # Only ``held`` holds the job and its callbacks, and only the GUI thread empties it: a closure may
        # hold the last reference to a widget, and a widget destroyed on a worker thread crashes Qt. The
        # executor's thread and the future (which a worker may release last) reach them only through it.
        held: list[Any] = [fn, on_done, on_error, owner]
        future = pool.submit(_call_held, held)
        future.add_done_callback(partial(self._deliver, held))

    def _deliver(self, held: list[Any], future: Future[Any]) -> None:
        try:
            self._delivered.emit(partial(self._finish, future, held))
        except RuntimeError:  # this queue is gone (the window closed while a daemon job ran): nobody to tell
            log.debug("a result arrived after its queue was deleted")

    def _on_delivered(self, deliver: Callable[[], None]) -> None:
        try:
            deliver()
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.became_idle.emit()

    def _finish(self, future: Future[Any], held: list[Any]) -> None:
        _fn, on_done, on_error, owner = held
        held.clear()  # what the job held goes with this frame, on the GUI thread
        if future.cancelled():  # dropped at shutdown
            return
        exc = future.exception()
        if owner is not None and not shiboken6.isValid(owner):
            on_done = on_error = None  # the object that asked is gone; errors still reach the user
        if exc is None:
            if on_done is not None:
                on_done(future.result())
            return
        if not isinstance(exc, Exception):
            raise exc
        self._failed(exc, on_error)

    def _failed(self, exc: Exception, on_error: Callable[[Exception], None] | None) -> None:
        if on_error is not None:
            on_error(exc)


class BackgroundTasks(TaskQueue):
    """Jobs in order on one daemon thread, for work that waits on the network (see the module's doc).
    ``on_error`` gets every failure; the caller reports it."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = DaemonExecutor(name)

    def submit(self, fn: Callable[[], T], on_done: Callable[[T], None], on_error: Callable[[Exception], None]) -> None:
        self._submit(self._worker, fn, on_done, on_error, None)

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Run no more jobs; wait up to ``timeout`` seconds for the running one. True if it ended."""
        self._closed = True
        self._worker.shutdown(timeout=timeout)
        return not self._worker.is_alive()


class TaskManager(TaskQueue):
    # a message for the user, and the technical detail (empty for known errors)
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="gw-db-write")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="gw-db-read")
        # aggregates over the whole grid (coverage) never hold up a keystroke's search
        self._background = ThreadPoolExecutor(1, thread_name_prefix="gw-db-background")

    def write(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run ``fn`` on the writer thread; ``on_done``/``on_error`` run on the GUI thread, unless
        ``owner`` (by default the object of a bound-method callback) was destroyed meanwhile.
        ``on_error`` gets every failure, so a form can let the user try again: a ValidationError is
        the form's to show; any other error is also reported once through ``failed``."""
        self._submit(self._writer, fn, on_done, on_error, owner)

    def read(
        self, fn: Callable[[], T], on_done: Callable[[T], None] | None = None, owner: QObject | None = None
    ) -> None:
        self._submit(self._reader, fn, on_done, None, owner)

    def background(self, fn: Callable[[], T], on_done: Callable[[T], None] | None = None) -> None:
        """A read that may take a while (a month's figures over a street): its own thread."""
        self._submit(self._background, fn, on_done, None, None)

    def shutdown(self, interrupt: Callable[[], None] | None = None) -> None:
        """Let queued writes (a draft being saved) finish before the app exits; reads are only
        for the screen, so queued ones are dropped and a running one is interrupted."""
        self._closed = True  # a screen still asking (a window being torn down) is not answered
        for pool in (self._reader, self._background):
            pool.shutdown(wait=False, cancel_futures=True)
        if interrupt is not None:
            interrupt()
        self._writer.shutdown(wait=True)
        for pool in (self._reader, self._background):
            pool.shutdown(wait=True)

    def _failed(self, exc: Exception, on_error: Callable[[Exception], None] | None) -> None:
        if isinstance(exc, ValidationError):
            if on_error is not None:
                on_error(exc)
            else:
                self.failed.emit(error_text(exc), "")
            return
        known = classify(exc)
        if known is not None:
            self.failed.emit(error_text(known), "")
        else:
            # the traceback without the values (a failed statement's parameters are a resident's data): the
            # log's, and the details a worker may copy into a message to support
            detail = format_exception(exc)
            log.error("unexpected error in a database task:\n%s", detail)
            self.failed.emit(
                self.tr("Something went wrong; nothing was lost. Details were written to the log."), detail
            )
        if on_error is not None:
            on_error(exc)
