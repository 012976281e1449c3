"""Database work off the GUI thread (Anki's taskman): one writer thread, one reader thread.

SQLite has one writer at a time, so every write goes through the single writer thread, in order.
Reads run on their own thread (WAL lets them proceed beside a write), so typing in the search box is
never stuck behind a save. Results come back to the GUI thread by a queued signal; errors reach the
user in one place (the ``failed`` signal), sorted into known ones with a clear message and bugs.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from gridworker.store.schema import classify
from gridworker.ui.i18n import error_text
from gridworker_shared.domain.validation import ValidationError

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskManager(QObject):
    # a message for the user, and the technical detail (empty for known errors)
    failed = Signal(str, str)
    # every queued task has finished and delivered its result
    became_idle = Signal()
    _delivered = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="gw-db-write")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="gw-db-read")
        # aggregates over the whole grid (coverage) never hold up a keystroke's search
        self._background = ThreadPoolExecutor(1, thread_name_prefix="gw-db-background")
        self._pending = 0
        self._closed = False
        self._delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

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

    def is_idle(self) -> bool:
        return self._pending == 0

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

    def _submit(
        self,
        pool: ThreadPoolExecutor,
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
        future = pool.submit(fn)
        # The delivery holds ``fn`` (and the callbacks) until the GUI thread has run it: a closure may hold
        # the last reference to a widget, and a widget destroyed on a worker thread crashes Qt.
        future.add_done_callback(lambda f: self._delivered.emit(partial(self._finish, f, on_done, on_error, owner, fn)))

    def _on_delivered(self, deliver: Callable[[], None]) -> None:
        try:
            deliver()
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.became_idle.emit()

    def _finish(
        self,
        future: Future[Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[Exception], None] | None,
        owner: QObject | None,
        _fn: object = None,
    ) -> None:
        if future.cancelled():  # dropped at shutdown
            return
        exc = future.exception()
        if owner is not None and not shiboken6.isValid(owner):
            on_done = on_error = None  # the screen that asked is gone; errors still reach the user
        if exc is None:
            if on_done is not None:
                on_done(future.result())
            return
        if isinstance(exc, ValidationError):
            if on_error is not None:
                on_error(exc)
            else:
                self.failed.emit(error_text(exc), "")
            return
        if not isinstance(exc, Exception):
            raise exc
        known = classify(exc)
        if known is not None:
            self.failed.emit(error_text(known), "")
        else:
            detail = "".join(traceback.format_exception(exc))
            log.error("unexpected error in a database task:\n%s", detail)
            self.failed.emit(
                self.tr("Something went wrong; nothing was lost. Details were written to the log."), detail
            )
        if on_error is not None:
            on_error(exc)
