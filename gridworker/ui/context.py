"""What every screen is handed: the store, the task manager, settings and the app's event bus.
Passed in explicitly; there are no global singletons."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from gridworker.store.db import Database
from gridworker.store.services import LocalStore
from gridworker.ui.settings import Settings
from gridworker.ui.tasks import TaskManager


class Events(QObject):
    """Domain changes the screens react to (Plover's engine hooks turned into Qt signals)."""

    household_changed = Signal(object)  # uuid.UUID of the household whose rows changed
    outbox_changed = Signal()


@dataclass
class Identity:
    worker_id: uuid.UUID
    username: str
    name: str
    grid_name: str


@dataclass
class AppContext:
    db: Database
    store: LocalStore
    tasks: TaskManager
    settings: Settings
    identity: Identity
    events: Events
    today: Callable[[], dt.date] = field(default=lambda: dt.date.today())
