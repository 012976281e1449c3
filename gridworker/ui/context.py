"""What every screen is handed: the reader, the (lazily opened) store, the task manager, settings
and the app's event bus. Passed in explicitly; there are no global singletons."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from gridworker.store.reads import Reader
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager

if TYPE_CHECKING:
    from gridworker.store.db import Database
    from gridworker.store.services import LocalStore


class Events(QObject):
    """Domain changes the screens react to (Plover's engine hooks turned into Qt signals)."""

    household_changed = Signal(object)  # uuid.UUID of the household whose rows changed
    outbox_changed = Signal()
    drafts_changed = Signal()
    data_changed = Signal()  # a sync changed rows of many households (and the outbox's states)
    profile_changed = Signal()  # the signed-in user's own contact card was saved


@dataclass
class Identity:
    worker_id: uuid.UUID
    username: str
    name: str
    grid_name: str
    # worker, station, supervisor or admin, as the server said at sign-in (a station or supervisor
    # gets the review workspace instead of Today)
    role: str = "worker"


@dataclass
class AppContext:
    path: Path
    reader: Reader
    tasks: TaskManager
    settings: Settings
    identity: Identity
    events: Events
    today: Callable[[], dt.date] = field(default=lambda: dt.date.today())
    _store: LocalStore | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def store(self) -> LocalStore:
        """The write side (SQLAlchemy), opened on first use: on the writer thread, after the first
        screen is up (MainWindow warms it), so start-up never waits for SQLAlchemy to load."""
        with self._lock:
            if self._store is None:
                from gridworker.store.db import Database
                from gridworker.store.services import LocalStore

                self._store = LocalStore(Database(self.path), self.identity.worker_id)
            return self._store

    @property
    def db(self) -> Database:
        return self.store.db

    def close(self) -> None:
        self.reader.close()
        if self._store is not None:
            self._store.db.close()
